//! Steps that add to a review without moving it on: a question to the force, a finding on one
//! part of the complaint, a recommendation, and closing a recommendation the force has answered
//! (the last one closes the review).

use super::actions::Acting;
use super::*;
use crate::complaints::workflow::{Action, record};

/// Shows the review again with what to fix.
async fn refuse(
    step: &Acting<'_>,
    chrome: Chrome,
    scope: Scope,
    errors: FormErrors,
    marks: Marks,
    failed: String,
) -> Result<Response, AppError> {
    let problem = Problem { form: step.form.clone(), errors, marks, failed, preview: None };
    render_case(step.platform, chrome, (step.review.clone(), scope, step.policy.clone()), problem).await
}

fn back(step: &Acting<'_>, anchor: &str) -> Result<Response, AppError> {
    Ok(Redirect::to(&format!("{}{anchor}", case_url(step.review))).into_response())
}

/// A date that must be today or later, with its marks.
fn future_date(
    errors: &mut FormErrors,
    field: &str,
    parts: &DateParts,
    what: &str,
    message: &str,
    today: Date,
) -> (Option<Date>, DatePartsInError) {
    let (due, mut marks) = date_field(errors, field, parts, what);
    if due.is_some_and(|d| d < today) {
        errors.add_targeted(field, &format!("{field}-day"), message);
        marks = DatePartsInError { day: true, month: true, year: true };
    }
    (due, marks)
}

pub(super) async fn question(step: &Acting<'_>, chrome: Chrome, scope: Scope) -> Result<Response, AppError> {
    let (review, form, policy) = (step.review, step.form, step.policy);
    let mut errors = FormErrors::new();
    let question = required(&mut errors, "question", &form.question, "Enter your question for the force", 5000);
    let message = "The reply-by date must be today or in the future";
    let (due, due_marks) = future_date(&mut errors, "due", &form.due(), "the reply-by date", message, step.today);
    if !Action::Question.may_start_at(review.stage()) {
        errors.add("question", "Questions can be put to the force once the complaint file has been asked for");
    }
    let (true, Some(due)) = (errors.is_empty(), due) else {
        return refuse(step, chrome, scope, errors, Marks { due: due_marks, ..Marks::default() }, String::new()).await;
    };
    let mut tx = platform::db::begin_write(step.platform.pool()).await?;
    store::ask_force(&mut tx, review, &question, step.today, due, &step.staff.actor(), step.now).await?;
    if !policy.psd_email.is_empty() {
        let link = format!("{}{}#questions", step.public_url(), case_url(review));
        let (office, due) = (&step.office_name, calendar::long_date(due));
        let email = Email {
            to: policy.psd_email.clone(),
            subject: format!("Question about complaint review {} (your reference {})", review.reference, review.force_reference),
            text: format!(
                "{office} has a question about review {}, due {due}:\n\n{question}\n\nAnswer it here: {link}\n",
                review.reference
            ),
            html: format!(
                "<p>{office} has a question about review {}, due {due}.</p><p><a href=\"{link}\">Answer it in Commissioner</a></p>",
                review.reference
            ),
        };
        platform::mail::enqueue(&mut tx, step.platform.settings(), &email).await?;
    }
    tx.commit().await?;
    back(step, "#questions")
}

pub(super) async fn finding(step: &Acting<'_>, chrome: Chrome, scope: Scope) -> Result<Response, AppError> {
    let (review, form) = (step.review, step.form);
    let allegations = store::allegations_of(step.platform.pool(), &review.id).await?;
    let allegation = allegations.iter().find(|a| a.id == form.allegation_id).ok_or(AppError::NotFound)?;
    let id = &allegation.id;
    let mut errors = FormErrors::new();
    let mut yes_no = |field: &str, value: &str, message: &str| {
        if !["yes", "no"].contains(&value) {
            errors.add(&format!("{field}-{id}"), message);
        }
        value == "yes"
    };
    let handling =
        yes_no("handling-reasonable", &form.handling_reasonable, "Select whether the handling was reasonable and proportionate");
    let outcome =
        yes_no("outcome-reasonable", &form.outcome_reasonable, "Select whether the outcome was reasonable and proportionate");
    if !["upheld", "not-upheld"].contains(&form.finding.as_str()) {
        errors.add(&format!("finding-{id}"), "Select whether this part is upheld");
    }
    let reasons = required(&mut errors, &format!("reasons-{id}"), &form.reasons, "Enter the reasons for the finding", 5000);
    if !Action::Finding.may_start_at(review.stage()) {
        errors.add(&format!("finding-{id}"), "Findings are recorded once the complaint file has arrived");
    }
    if !errors.is_empty() {
        return refuse(step, chrome, scope, errors, Marks::default(), id.clone()).await;
    }
    let finding = store::AllegationFinding {
        handling_reasonable: handling,
        outcome_reasonable: outcome,
        upheld: form.finding == "upheld",
        reasons,
    };
    let mut tx = platform::db::begin_write(step.platform.pool()).await?;
    store::record_finding(&mut tx, review, id, &finding, &step.staff.actor(), step.now).await?;
    tx.commit().await?;
    back(step, &format!("#allegation-{}", allegation.position))
}

pub(super) async fn recommendation(step: &Acting<'_>, chrome: Chrome, scope: Scope) -> Result<Response, AppError> {
    let (review, form) = (step.review, step.form);
    let mut errors = FormErrors::new();
    let text = required(&mut errors, "recommendation", &form.recommendation, "Enter what the force should do", 5000);
    let message = "The response date must be today or in the future";
    let (due, marks) =
        future_date(&mut errors, "respond-by", &form.respond_by(), "the date the force should respond by", message, step.today);
    if !Action::Recommendation.may_start_at(review.stage()) {
        errors.add("recommendation", "Recommendations are made while the review is being decided");
    }
    let (true, Some(due)) = (errors.is_empty(), due) else {
        return refuse(step, chrome, scope, errors, Marks { respond_by: marks, ..Marks::default() }, String::new()).await;
    };
    let mut tx = platform::db::begin_write(step.platform.pool()).await?;
    store::add_recommendation(&mut tx, review, &text, due, &step.staff.actor(), step.now).await?;
    tx.commit().await?;
    back(step, "#recommendations")
}

pub(super) async fn close_recommendation(step: &Acting<'_>, chrome: Chrome, scope: Scope) -> Result<Response, AppError> {
    let (review, id, actor) = (step.review, &step.form.recommendation_id, step.staff.actor());
    let mut tx = platform::db::begin_write(step.platform.pool()).await?;
    match store::close_recommendation(&mut tx, review, id, step.today, &actor, step.now).await? {
        None => {
            tx.rollback().await?;
            let mut errors = FormErrors::new();
            errors.add(&format!("response-{id}"), "A recommendation can be closed once the force’s response is recorded");
            refuse(step, chrome, scope, errors, Marks::default(), id.clone()).await
        }
        Some(last) => {
            if last {
                // Closing is the same whoever answers last; a second close changes nothing.
                let change = record::every_recommendation_closed(step.today);
                store::change(&mut tx, review, Action::CloseRecommendation.starts_from(), &change, &actor, step.now).await?;
            }
            tx.commit().await?;
            back(step, "#recommendations")
        }
    }
}
