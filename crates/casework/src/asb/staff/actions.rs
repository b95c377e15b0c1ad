//! The office's steps on an application. The handler finds the case and the action; each step's
//! function checks its form and plans the change (`asb::workflow::record`) and the letter; the
//! change is applied only if the case is still at a stage the action starts from
//! (`workflow::Action::starts_from`), and an officer who lost the race is told so.

use super::*;
use crate::asb::workflow::{Action, record};

/// What a step changes and the letter it sends.
pub(super) struct Planned {
    change: Change<'static>,
    letter: Option<(&'static str, Vec<(&'static str, String)>)>,
}

/// Why a step was not taken: what to fix, with the date inputs to mark.
type Refused = (FormErrors, (DatePartsInError, DatePartsInError));

/// What every step needs to know.
struct Acting<'a> {
    platform: &'a Platform,
    application: &'a Application,
    staff: &'a CurrentStaff,
    form: &'a ActionForm,
    now: OffsetDateTime,
    today: Date,
    calendar: WorkingDayCalendar,
    office_name: String,
}

impl Acting<'_> {
    /// The placeholders every letter of the case shares.
    fn letter_values(&self) -> Vec<(&'static str, String)> {
        let app = self.application;
        vec![("name", app.applicant_name.clone()), ("reference", app.reference.clone()), ("office", self.office_name.clone())]
    }
    fn case_url(&self, anchor: &str) -> String {
        format!("/staff/asb-case-reviews/{}{anchor}", self.application.reference)
    }
    /// The case page with the banner saying what `done` did (casekit::done).
    fn case_url_saying(&self, done: &str, anchor: &str) -> String {
        format!("/staff/asb-case-reviews/{}?done={done}{anchor}", self.application.reference)
    }
}

fn refused(errors: FormErrors) -> Refused {
    (errors, Default::default())
}

pub(super) async fn act(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path((reference, action)): Path<(String, String)>,
    Form(form): Form<ActionForm>,
) -> Result<Response, AppError> {
    let action = Action::from_slug(&action).ok_or(AppError::NotFound)?;
    let (application, scope) = load_case(&platform, &staff, &reference).await?;
    let now = OffsetDateTime::now_utc();
    let step = Acting {
        platform: &platform,
        application: &application,
        staff: &staff,
        form: &form,
        now,
        today: calendar::uk_local_date(now),
        calendar: calendar_of(&platform).await?,
        office_name: platform.office().await?.name,
    };
    let planned = match action {
        Action::Assign => assign(&step).await?,
        Action::Acknowledge => Ok(acknowledge(&step)),
        Action::Threshold => threshold(&step),
        Action::Meeting => meeting(&step),
        Action::Outcome => outcome(&step).await?,
        Action::Close => close(&step).await?,
        // Actions that add to the case rather than move it.
        Action::InformationRequest => return information_request(&step, chrome, &scope).await,
        Action::Recommendation => return recommendation(&step, chrome, &scope).await,
        Action::RecommendationStatus => return recommendation_status(&step).await,
    };
    match planned {
        Ok(Planned { letter: Some((kind, values)), .. }) if form.preview == "yes" => {
            let letter = letters::compose(platform.pool(), &crate::asb::letters::KINDS, kind, &values).await?;
            let preview = letters::Preview { action: action.slug(), letters: vec![letter] };
            render_preview(&platform, chrome, application.clone(), &scope, form, preview).await
        }
        Ok(planned) => apply(&step, action, planned, chrome, &scope).await,
        Err((errors, marks)) => render_case(&platform, chrome, application.clone(), &scope, form, errors, marks).await,
    }
}

/// Applies a planned change with its letter, if the case is still where the action starts from.
async fn apply(step: &Acting<'_>, action: Action, planned: Planned, chrome: Chrome, scope: &Scope) -> Result<Response, AppError> {
    let (pool, application, actor) = (step.platform.pool(), step.application, step.staff.actor());
    let mut tx = platform::db::begin_write(pool).await?;
    if !store::change_application(&mut tx, application, action.starts_from(), &planned.change, &actor, step.now).await? {
        tx.rollback().await?;
        let fresh = store::find_application(pool, &application.reference).await?.ok_or(AppError::NotFound)?;
        let form = step.form.clone();
        let page = render_case(step.platform, chrome, fresh, scope, form, change::moved_on(), Default::default()).await?;
        return Ok((StatusCode::CONFLICT, page).into_response());
    }
    if let Some((kind, values)) = planned.letter {
        let letter = letters::compose(pool, &crate::asb::letters::KINDS, kind, &values).await?;
        let settings = step.platform.settings();
        let email = application.contact.email_to_use();
        store::record_letter(&mut tx, settings, "application", &application.id, &letter, email, &actor, step.now).await?;
    }
    tx.commit().await?;
    Ok(Redirect::to(&casekit::done::back_to(&step.case_url(""), action.slug())).into_response())
}

async fn assign(step: &Acting<'_>) -> Result<Result<Planned, Refused>, AppError> {
    let users = platform::auth::store::assignable_users(step.platform.pool()).await?;
    Ok(match users.iter().find(|u| u.id == step.form.assignee) {
        Some(user) => Ok(Planned { change: record::assigned(&user.id, &user.email), letter: None }),
        None => {
            let mut errors = FormErrors::new();
            errors.add_targeted("assignee", "assignee", "Select a caseworker");
            Err(refused(errors))
        }
    })
}

fn acknowledge(step: &Acting<'_>) -> Planned {
    let application = step.application;
    let dates = timescales::ApplicationDates { acknowledged_on: Some(step.today), ..application.dates() };
    let steps = timescales::application_steps(&dates, &application.timescales(), &step.calendar);
    let threshold_due = steps.iter().find(|s| s.kind == timescales::StepKind::ThresholdDecision).map(|s| s.due_on);
    let public_url = step.platform.settings().public_url.trim_end_matches('/').to_string();
    let mut values = step.letter_values();
    values.push(("received", calendar::long_date(application.received())));
    values.push(("threshold_due", threshold_due.map(calendar::long_date).unwrap_or_default()));
    values.push(("threshold_rule", application.threshold_rule().describe()));
    values.push(("tracker_link", format!("{public_url}/asb-case-review/track (with your reference and postcode)")));
    Planned { change: record::acknowledged(step.today), letter: Some(("acknowledgement", values)) }
}

fn threshold(step: &Acting<'_>) -> Result<Planned, Refused> {
    let form = step.form;
    let mut errors = FormErrors::new();
    let outcome = ThresholdOutcome::from_slug(&form.outcome);
    if outcome.is_none() {
        errors.add("outcome", "Select the threshold decision");
    }
    let factors: Vec<&str> = DISCRETION_FACTORS.iter().map(|(s, _)| *s).filter(|s| form.factors.iter().any(|f| f == s)).collect();
    if outcome == Some(ThresholdOutcome::MetAtDiscretion) && factors.is_empty() {
        errors.add("factors", "Select the factors that led to a decision at discretion");
    }
    let reasons = required(&mut errors, "reasons", &form.reasons, "Enter the reasons for the decision", 5000);
    if !matches!(form.hold_review.as_str(), "yes" | "no") {
        errors.add("hold-review", "Select whether a case review will be held");
    }
    let hold_review = form.hold_review == "yes";
    if outcome.is_some_and(|o| o != ThresholdOutcome::NotMet) && form.hold_review == "no" {
        errors.add("hold-review", "When the threshold is met, a case review must be held");
    }
    let Some(outcome) = outcome.filter(|_| errors.is_empty()) else { return Err(refused(errors)) };
    let timescales = step.application.timescales();
    let next_steps = if hold_review {
        let meeting_due = calendar::add_working_days(step.today, timescales.review_meeting, &step.calendar);
        format!(
            "The agencies will now review your case together. The review meeting is due by {}. We will write to you with the outcome.",
            calendar::long_date(meeting_due)
        )
    } else {
        format!(
            "Your case is now closed. If you think the threshold was wrongly found not to be met, you can appeal to {} within {} working days of this letter.",
            step.office_name, timescales.appeal_window
        )
    };
    let mut values = step.letter_values();
    values.push(("decision", outcome.name().to_string()));
    values.push(("reasons", reasons.clone()));
    values.push(("next_steps", next_steps));
    let decision = record::ThresholdDecision {
        outcome,
        factors: &factors,
        reasons: &reasons,
        hold_review,
        decided_by: &step.staff.user.email,
    };
    Ok(Planned { change: record::threshold_decided(&decision, step.today), letter: Some(("threshold-decision", values)) })
}

fn meeting(step: &Acting<'_>) -> Result<Planned, Refused> {
    let form = step.form;
    let mut errors = FormErrors::new();
    let (meeting_on, mut marks) = date_field(&mut errors, "meeting", &form.meeting(), "the date of the meeting");
    if let Some(on) = meeting_on
        && on > step.today
    {
        let message = "Record the meeting once it has been held: the date must be today or in the past";
        errors.add_targeted("meeting", "meeting-day", message);
        marks = DatePartsInError { day: true, month: true, year: true };
    }
    let chair = required(&mut errors, "chair", &form.chair, "Enter who chaired the meeting", 200);
    if !matches!(form.chair_independent.as_str(), "yes" | "no") {
        errors.add("chair-independent", "Select whether the chair was independent");
    }
    let attendees = required(&mut errors, "attendees", &form.attendees, "Enter who attended", 5000);
    match meeting_on.filter(|_| errors.is_empty()) {
        Some(on) => {
            let change = record::meeting_held(on, &chair, form.chair_independent == "yes", &attendees);
            Ok(Planned { change, letter: None })
        }
        None => Err((errors, (DatePartsInError::default(), marks))),
    }
}

async fn outcome(step: &Acting<'_>) -> Result<Result<Planned, Refused>, AppError> {
    let (application, form) = (step.application, step.form);
    let mut errors = FormErrors::new();
    let summary = required(&mut errors, "outcome-summary", &form.outcome_summary, "Enter what the review found", 10_000);
    if !errors.is_empty() {
        return Ok(Err(refused(errors)));
    }
    let recommendations = store::recommendations_of(step.platform.pool(), &application.id).await?;
    let plan = if recommendations.is_empty() {
        "The review made no recommendations.".to_string()
    } else {
        let line = |r: &Recommendation| format!("- {} ({}, by {})", r.action, r.owner, long(&r.due_on));
        recommendations.iter().map(line).collect::<Vec<_>>().join("\n")
    };
    let appeal_deadline = calendar::add_working_days(step.today, application.timescales().appeal_window, &step.calendar);
    let mut values = step.letter_values();
    values.push(("meeting_date", application.meeting_on.as_deref().map(long).unwrap_or_default()));
    values.push(("outcome", summary.clone()));
    values.push(("recommendations", plan));
    values.push(("appeal_deadline", calendar::long_date(appeal_deadline)));
    let open = recommendations.iter().any(|r| r.status == "open");
    let change = record::outcome_sent(&summary, recommendations.len(), open, step.today);
    Ok(Ok(Planned { change, letter: Some(("outcome", values)) }))
}

async fn close(step: &Acting<'_>) -> Result<Result<Planned, Refused>, AppError> {
    let recommendations = store::recommendations_of(step.platform.pool(), &step.application.id).await?;
    if recommendations.iter().any(|r| r.status == "open") {
        let mut errors = FormErrors::new();
        errors.add("status", "Mark every action as done or not done before closing the case");
        return Ok(Err(refused(errors)));
    }
    Ok(Ok(Planned { change: record::closed(step.today), letter: None }))
}

async fn information_request(step: &Acting<'_>, chrome: Chrome, scope: &Scope) -> Result<Response, AppError> {
    let (application, form) = (step.application, step.form);
    let mut errors = FormErrors::new();
    let contact = match form.contact.as_str() {
        "" => None,
        id => platform::organisations::contacts::find(step.platform.pool(), id).await?,
    };
    if contact.is_none() {
        errors.add("contact", "Choose who to ask");
    }
    let question = required(&mut errors, "question", &form.question, "Enter what you need from them", 5000);
    let (due, mut marks) = date_field(&mut errors, "due", &form.due(), "the reply-by date");
    if let Some(due) = due
        && due < step.today
    {
        errors.add_targeted("due", "due-day", "The reply-by date must be today or in the future");
        marks = DatePartsInError { day: true, month: true, year: true };
    }
    if !Action::InformationRequest.may_start_at(application.stage()) {
        errors.add("contact", "Information can be requested while the review is being prepared");
    }
    let (true, Some(due), Some(contact)) = (errors.is_empty(), due, contact) else {
        let form = form.clone();
        return render_case(step.platform, chrome, application.clone(), scope, form, errors, (marks, Default::default())).await;
    };
    let ask = crate::asb::agency::Ask {
        office: &step.office_name,
        contact: &contact,
        question: &question,
        today: step.today,
        due_on: due,
    };
    let mut tx = platform::db::begin_write(step.platform.pool()).await?;
    let settings = step.platform.settings();
    crate::asb::agency::ask(&mut tx, settings, application, &ask, &step.staff.actor(), step.now).await?;
    tx.commit().await?;
    Ok(Redirect::to(&step.case_url_saying("information-request", "#information")).into_response())
}

async fn recommendation(step: &Acting<'_>, chrome: Chrome, scope: &Scope) -> Result<Response, AppError> {
    let (application, form) = (step.application, step.form);
    let mut errors = FormErrors::new();
    let text = required(&mut errors, "action", &form.action, "Enter the action", 2000);
    let owner = required(&mut errors, "owner", &form.owner, "Enter who owns the action", 200);
    let (due, marks) = date_field(&mut errors, "due", &form.due(), "the date it is due");
    if !Action::Recommendation.may_start_at(application.stage()) {
        errors.add("action", "Actions are added after the review meeting");
    }
    let (true, Some(due)) = (errors.is_empty(), due) else {
        let form = form.clone();
        return render_case(step.platform, chrome, application.clone(), scope, form, errors, (marks, Default::default())).await;
    };
    let mut tx = platform::db::begin_write(step.platform.pool()).await?;
    store::add_recommendation(&mut tx, application, &text, &owner, due, &step.staff.actor(), step.now).await?;
    tx.commit().await?;
    Ok(Redirect::to(&step.case_url("#action-plan")).into_response())
}

async fn recommendation_status(step: &Acting<'_>) -> Result<Response, AppError> {
    let form = step.form;
    if !matches!(form.status.as_str(), "open" | "done" | "not-done") {
        return Err(AppError::BadRequest("unknown status".into()));
    }
    let mut tx = platform::db::begin_write(step.platform.pool()).await?;
    let (id, status, actor) = (&form.recommendation_id, &form.status, step.staff.actor());
    let changed = store::set_recommendation_status(&mut tx, step.application, id, status, &actor, step.now).await?;
    tx.commit().await?;
    if !changed {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to(&step.case_url("#action-plan")).into_response())
}
