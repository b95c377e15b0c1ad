//! The office's steps on a review. The handler finds the review and the action; each step's
//! function checks its form and plans the change (`complaints::workflow::record`) and the letters;
//! the change is applied only if the review is still at a stage the action starts from
//! (`workflow::Action::starts_from`), and an officer who lost the race is told so.

use super::additions;
use super::*;
use crate::complaints::workflow::{Action, record};

/// A letter to write with a change.
pub(super) struct Letter {
    pub(super) kind: &'static str,
    pub(super) values: Vec<(&'static str, String)>,
    /// None for the complainant; otherwise the addressee's name and lines, and an email address.
    pub(super) to: Option<(String, Option<String>)>,
}

/// What a step changes and the letters it writes.
pub(super) struct Planned {
    pub(super) change: Change<'static>,
    pub(super) letters: Vec<Letter>,
}

/// What every step needs to know.
pub(super) struct Acting<'a> {
    pub(super) platform: &'a Platform,
    pub(super) review: &'a Review,
    pub(super) policy: &'a ComplaintPolicy,
    pub(super) staff: &'a CurrentStaff,
    pub(super) form: &'a ActionForm,
    pub(super) now: OffsetDateTime,
    pub(super) today: Date,
    pub(super) office_name: String,
}

impl Acting<'_> {
    /// The placeholders every letter of the review shares.
    pub(super) fn letter_values(&self) -> Vec<(&'static str, String)> {
        let review = self.review;
        vec![
            ("name", review.addressee()),
            ("reference", review.reference.clone()),
            ("office", self.office_name.clone()),
            ("force", self.policy.force_name.clone()),
            ("force_reference", review.force_reference.clone()),
        ]
    }
    /// The force's professional standards department, as a letter's addressee.
    pub(super) fn to_force(&self) -> Option<(String, Option<String>)> {
        Some((self.policy.psd_name.clone(), Some(self.policy.psd_email.clone()).filter(|e| !e.is_empty())))
    }
    pub(super) fn public_url(&self) -> String {
        self.platform.settings().public_url.trim_end_matches('/').to_string()
    }
}

/// Why a step was not taken: what to fix, the date inputs to mark, and the item whose form failed.
type Refused = (FormErrors, Marks, String);

fn refused(errors: FormErrors) -> Refused {
    (errors, Marks::default(), String::new())
}

pub(super) async fn act(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path((reference, action)): Path<(String, String)>,
    Form(form): Form<ActionForm>,
) -> Result<Response, AppError> {
    let action = Action::from_slug(&action).ok_or(AppError::NotFound)?;
    let (review, scope, policy) = load(&platform, &staff, &reference).await?;
    let now = OffsetDateTime::now_utc();
    let office_name = platform.office().await?.name;
    let today = calendar::uk_local_date(now);
    let step =
        Acting { platform: &platform, review: &review, policy: &policy, staff: &staff, form: &form, now, today, office_name };
    let planned = match action {
        Action::Assign => assign(&step).await?,
        Action::Acknowledge => Ok(acknowledge(&step)),
        Action::Validity => validity(&step).await?,
        Action::RequestFile => request_file(&step),
        Action::FileReceived => Ok(Planned {
            change: record::file_received(today, "recorded the complaint file as received", String::new()),
            letters: vec![],
        }),
        Action::Decide => decide(&step).await?,
        // Steps that add to the review rather than move it.
        Action::Question => return additions::question(&step, chrome, scope).await,
        Action::Finding => return additions::finding(&step, chrome, scope).await,
        Action::Recommendation => return additions::recommendation(&step, chrome, scope).await,
        Action::CloseRecommendation => return additions::close_recommendation(&step, chrome, scope).await,
    };
    match planned {
        Ok(planned) if form.preview == "yes" && !planned.letters.is_empty() => {
            let mut composed = Vec::new();
            for letter in &planned.letters {
                composed.push(
                    letters::compose(platform.pool(), &crate::complaints::letters::KINDS, letter.kind, &letter.values).await?,
                );
            }
            let preview = Some(letters::Preview { action: action.slug(), letters: composed });
            let problem = Problem { form: form.clone(), preview, ..Problem::default() };
            render_case(&platform, chrome, (review.clone(), scope, policy.clone()), problem).await
        }
        Ok(planned) => apply(&step, action, planned, chrome).await,
        Err((errors, marks, failed)) => {
            let problem = Problem { form: form.clone(), errors, marks, failed, preview: None };
            render_case(&platform, chrome, (review.clone(), scope, policy.clone()), problem).await
        }
    }
}

/// Applies a planned change with its letters, if the review is still where the action starts from.
async fn apply(step: &Acting<'_>, action: Action, planned: Planned, chrome: Chrome) -> Result<Response, AppError> {
    let (platform, review, actor) = (step.platform, step.review, step.staff.actor());
    let mut tx = platform::db::begin_write(platform.pool()).await?;
    if !store::change(&mut tx, review, action.starts_from(), &planned.change, &actor, step.now).await? {
        tx.rollback().await?;
        let fresh = load(platform, step.staff, &review.reference).await?;
        let problem = Problem { form: step.form.clone(), errors: change::moved_on(), ..Problem::default() };
        let page = render_case(platform, chrome, fresh, problem).await?;
        return Ok((StatusCode::CONFLICT, page).into_response());
    }
    if action == Action::Decide {
        store::request_responses(&mut tx, review, step.today).await?;
    }
    for letter in planned.letters {
        let text = letters::compose(platform.pool(), &crate::complaints::letters::KINDS, letter.kind, &letter.values).await?;
        let case = (crate::complaints::service::LETTER_CASE, review.id.as_str());
        let settings = platform.settings();
        match letter.to {
            None => {
                let email = review.contact.email_to_use();
                letters::record_letter(&mut tx, settings, case.0, case.1, &text, email, &actor, step.now).await?;
            }
            Some((addressee, email)) => {
                letters::record_letter_to(&mut tx, settings, case, &addressee, &text, email.as_deref(), &actor, step.now).await?;
            }
        }
    }
    tx.commit().await?;
    Ok(Redirect::to(&casekit::done::back_to(&case_url(review), action.slug())).into_response())
}

async fn assign(step: &Acting<'_>) -> Result<Result<Planned, Refused>, AppError> {
    let users = platform::auth::store::assignable_users(step.platform.pool()).await?;
    Ok(match users.iter().find(|u| u.id == step.form.assignee) {
        Some(user) => Ok(Planned { change: record::assigned(&user.id, &user.email), letters: Vec::new() }),
        None => {
            let mut errors = FormErrors::new();
            errors.add("assignee", "Select a caseworker");
            Err(refused(errors))
        }
    })
}

fn acknowledge(step: &Acting<'_>) -> Planned {
    let review = step.review;
    let timeliness = review.timeliness();
    let timing = if timeliness.in_time() {
        "Your request arrived within the 28 days allowed.".to_string()
    } else {
        format!(
            "The 28 days to ask for a review ended on {}. We will decide whether there are exceptional circumstances that mean we can still review your complaint, and tell you.",
            calendar::long_date(timeliness.due_on)
        )
    };
    let mut values = step.letter_values();
    values.push(("received", calendar::long_date(review.received())));
    values.push(("timing", timing));
    values.push((
        "tracker_link",
        format!("{}/police-complaint-review/track (with your reference and postcode)", step.public_url()),
    ));
    Planned {
        change: record::acknowledged(step.today),
        letters: vec![Letter { kind: "complaint-acknowledgement", values, to: None }],
    }
}

async fn validity(step: &Acting<'_>) -> Result<Result<Planned, Refused>, AppError> {
    let mut errors = FormErrors::new();
    let mut marks = Marks::default();
    let Some((outcome, change)) =
        plan_validity(step.review, step.form, (step.today, &step.staff.user.email), &mut errors, &mut marks)
    else {
        return Ok(Err((errors, marks, String::new())));
    };
    let allegations = store::allegations_of(step.platform.pool(), &step.review.id).await?;
    Ok(Ok(Planned { change, letters: validity_letters(step, &outcome, &allegations) }))
}

fn request_file(step: &Acting<'_>) -> Result<Planned, Refused> {
    let (review, form, policy) = (step.review, step.form, step.policy);
    let mut errors = FormErrors::new();
    let mut marks = Marks::default();
    let (due, due_marks) = date_field(&mut errors, "due", &form.due(), "the date the file is due");
    marks.due = due_marks;
    if due.is_some_and(|d| d < step.today) {
        errors.add_targeted("due", "due-day", "The date the file is due must be today or in the future");
        marks.due = DatePartsInError { day: true, month: true, year: true };
    }
    let question = form.question.trim().replace("\r\n", "\n");
    if question.chars().count() > 5000 {
        errors.add("question", "Questions must be 5000 characters or fewer");
    }
    if review.validity() != Some(ValidityOutcome::Valid) {
        errors.add_targeted("due", "due-day", "Record that the request is valid before asking for the file");
    }
    if policy.psd_email.is_empty() {
        let message = "Add the force’s Professional Standards Department email address in the settings first";
        errors.add_targeted("due", "due-day", message);
    }
    let Some(due) = due.filter(|_| errors.is_empty()) else { return Err((errors, marks, String::new())) };
    let mut values = step.letter_values();
    values[0] = ("name", policy.psd_name.clone());
    values.push(("due", calendar::long_date(due)));
    values.push(("link", format!("{}{}", step.public_url(), case_url(review))));
    let questions = if question.is_empty() { String::new() } else { format!("We would also like you to answer:\n{question}") };
    values.push(("questions", questions));
    let change = record::file_requested(due, review.acknowledged_on.is_none(), step.today);
    Ok(Planned { change, letters: vec![Letter { kind: "complaint-file-request", values, to: step.to_force() }] })
}

async fn decide(step: &Acting<'_>) -> Result<Result<Planned, Refused>, AppError> {
    let (review, form) = (step.review, step.form);
    let pool = step.platform.pool();
    let allegations = store::allegations_of(pool, &review.id).await?;
    let recommendations = store::recommendations_of(pool, &review.id).await?;
    let mut errors = FormErrors::new();
    let summary = required(&mut errors, "summary", &form.summary, "Enter the overall conclusion", 10_000);
    if allegations.iter().any(|a| a.finding.is_none()) {
        errors.add("summary", "Record a finding on every part of the complaint before deciding");
    }
    let subject_name = form.subject_name.trim().to_string();
    let subject_address = form.subject_address.trim().replace("\r\n", "\n");
    if subject_name.chars().count() > 200 {
        errors.add("subject-name", "The name must be 200 characters or fewer");
    }
    if !subject_name.is_empty() && subject_address.is_empty() {
        errors.add("subject-address", "Enter the address for the letter to the person complained about");
    }
    if !Action::Decide.may_start_at(review.stage()) {
        errors.add("summary", "A review is decided once the complaint file has arrived");
    }
    if !errors.is_empty() {
        return Ok(Err(refused(errors)));
    }
    let subject = (!subject_name.is_empty()).then(|| format!("{subject_name}\n{subject_address}"));
    let letters = decision_letters(step, &summary, &allegations, &recommendations, subject);
    let upheld = allegations.iter().filter(|a| a.finding.as_deref() == Some("upheld")).count();
    let change = record::decided(&summary, &step.staff.user.email, upheld, allegations.len(), recommendations.len(), step.today);
    Ok(Ok(Planned { change, letters }))
}
