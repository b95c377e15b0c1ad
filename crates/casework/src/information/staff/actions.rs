//! The officer's steps on a request. A step of an open request taken after someone else
//! answered it, or publishing what someone else published, is told it moved on.

use super::*;
use time::Date;

/// Checks an action's form; `Err` holds the messages to show.
pub(super) fn check_minutes(form: &ActionForm) -> Result<TimeEntry, FormErrors> {
    let mut errors = FormErrors::new();
    let minutes = form.minutes.trim().parse::<i64>().ok().filter(|m| (1..=24 * 60).contains(m));
    if minutes.is_none() {
        errors.add("minutes", "Enter the minutes spent as a whole number from 1 to 1440");
    }
    let activity = form.activity.trim();
    if activity.is_empty() {
        errors.add("activity", "Enter what was done");
    } else if activity.chars().count() > 500 {
        errors.add("activity", "What was done must be 500 characters or fewer");
    }
    match minutes {
        Some(minutes) if errors.is_empty() => {
            Ok(TimeEntry { logged_on: String::new(), minutes, activity: activity.to_string(), logged_by: String::new() })
        }
        _ => Err(errors),
    }
}

pub(super) fn check_response(form: &ActionForm, kind: RequestKind) -> Result<store::Response, FormErrors> {
    let open_to = store::exemptions_for(kind);
    let mut errors = FormErrors::new();
    if !OUTCOMES.iter().any(|(slug, _)| *slug == form.outcome) {
        errors.add("outcome", "Select the outcome");
    }
    let exemptions: Vec<String> =
        form.exemptions.iter().filter(|c| open_to.iter().any(|(code, _, _)| code == c)).cloned().collect();
    if (form.outcome == "refused" || form.outcome == "part-disclosed") && exemptions.is_empty() {
        errors.add("exemptions", "Select the exemptions that allow the information to be withheld");
    }
    if form.outcome == "disclosed" && !exemptions.is_empty() {
        errors.add(
            "exemptions",
            "Information disclosed in full cites no exemption: clear the exemptions or choose “Disclosed in part”",
        );
    }
    let text = form.response_text.replace("\r\n", "\n").trim().to_string();
    if text.is_empty() {
        errors.add("response-text", "Enter the response");
    } else if text.chars().count() > 20_000 {
        errors.add("response-text", "The response must be 20,000 characters or fewer");
    } else if exemptions.iter().any(|c| exemption_needs_public_interest_test(c))
        && !text.to_lowercase().contains("public interest")
    {
        errors
            .add("response-text", "A qualified exemption needs the public interest test: say in the response how it was weighed");
    }
    if errors.is_empty() {
        Ok(store::Response { outcome: form.outcome.clone(), exemptions, response_text: text })
    } else {
        Err(errors)
    }
}

/// What every step needs to know.
struct Acting<'a> {
    platform: &'a Platform,
    request: &'a InformationRequest,
    staff: &'a CurrentStaff,
    form: &'a ActionForm,
    now: OffsetDateTime,
    today: Date,
}

impl Acting<'_> {
    fn pool(&self) -> &platform::db::Pool {
        self.platform.pool()
    }

    /// A letter of this service to the requester, with the placeholders every kind has (their
    /// name, the reference, the office, the day the request arrived) and those `kind` adds.
    async fn letter<const N: usize>(
        &self,
        kind: &str,
        extra: [(&'static str, String); N],
    ) -> Result<casekit::letters::LetterText, AppError> {
        let request = self.request;
        let office = self.platform.office().await?;
        let mut values = vec![
            ("name", request.requester_name.clone()),
            ("reference", request.reference.clone()),
            ("office", office.name.clone()),
            ("received", db::parse_date(&request.received_on).map(calendar::long_date).unwrap_or_default()),
        ];
        values.extend(extra);
        Ok(casekit::letters::compose(self.pool(), &crate::information::letters::KINDS, kind, &values).await?)
    }
}

/// A step's result: done, or what to show the officer.
type Done = Result<(), FormErrors>;

pub(super) async fn act(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path((reference, action)): Path<(String, String)>,
    Form(form): Form<ActionForm>,
) -> Result<Response, AppError> {
    let request = load(&platform, &reference).await?;
    let now = OffsetDateTime::now_utc();
    let step =
        Acting { platform: &platform, request: &request, staff: &staff, form: &form, now, today: calendar::uk_local_date(now) };
    let (open, kind) = (request.is_open(), request.kind());
    let result: Done = match action.as_str() {
        "assign-to-me" => assign_to_me(&step).await?,
        "log-time" => log_time(&step).await?,
        "ask-clarification" if open => clock_fact(&step, ClockColumn::ClarificationAsked).await?,
        "clarified" if open => clock_fact(&step, ClockColumn::Clarified).await?,
        // No fee for subject access (UK GDPR Article 12(5) allows one only for a manifestly
        // unfounded or excessive request, which is recorded as the answer's reason instead).
        "fee-notice" if open && kind != RequestKind::SubjectAccess => clock_fact(&step, ClockColumn::FeeNotice).await?,
        "fee-paid" if open && kind != RequestKind::SubjectAccess => clock_fact(&step, ClockColumn::FeePaid).await?,
        "identity-confirmed" if open && kind == RequestKind::SubjectAccess => confirm_identity(&step).await?,
        "identity-asked" if open && kind == RequestKind::SubjectAccess => ask_for_identity(&step).await?,
        "identity-received" if open && kind == RequestKind::SubjectAccess && request.identity_asked_on.is_some() => {
            clock_fact(&step, ClockColumn::IdentityReceived).await?
        }
        // A subject access request by two months; an EIR request to 40 working days.
        "extend" if open && request.extended == 0 && kind != RequestKind::Foi => extend(&step).await?,
        "treat-as-eir" if open && kind == RequestKind::Foi => regime(&step, RequestKind::Eir).await?,
        "treat-as-foi" if open && kind == RequestKind::Eir => regime(&step, RequestKind::Foi).await?,
        "extend-public-interest" if open && kind == RequestKind::Foi => public_interest(&step).await?,
        "response" if open => respond(&step).await?,
        "approve" if open && request.response_text.is_some() => approve(&step).await?,
        "send" if open && request.approved_on.is_some() => send(&step).await?,
        // Subject access answers are personal: never published.
        "publish"
            if request.responded_on.is_some() && request.stage != Stage::Published && kind != RequestKind::SubjectAccess =>
        {
            publish(&step).await?
        }
        "internal-review" | "ico-complaint" if request.responded_on.is_some() => open_review(&step, &action).await?,
        // A step of an open request, taken after someone else answered it (or publishing what
        // someone else published): told so, not "not found".
        late if (WHILE_OPEN.contains(&late) && !open) || (late == "publish" && request.stage == Stage::Published) => {
            Err(change::moved_on())
        }
        _ => return Err(AppError::NotFound),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&casekit::done::back_to(&format!("{BASE}/{}", request.reference), &action)).into_response()),
        Err(errors) => show(&platform, chrome, request.clone(), form.clone(), errors).await,
    }
}

async fn assign_to_me(step: &Acting<'_>) -> Result<Done, AppError> {
    store::assign(step.pool(), step.request, &step.staff.user.display_name, &step.staff.actor(), step.now).await?;
    Ok(Ok(()))
}

async fn log_time(step: &Acting<'_>) -> Result<Done, AppError> {
    let mut entry = match check_minutes(step.form) {
        Ok(entry) => entry,
        Err(errors) => return Ok(Err(errors)),
    };
    entry.logged_on = db::date(step.today);
    entry.logged_by = step.staff.user.display_name.clone();
    store::log_time(step.pool(), step.request, &entry, &step.staff.actor(), step.now).await?;
    Ok(Ok(()))
}

async fn clock_fact(step: &Acting<'_>, column: ClockColumn) -> Result<Done, AppError> {
    let today = Some(db::date(step.today));
    Ok(moved_on_unless(store::set_clock_fact(step.pool(), step.request, column, today, &step.staff.actor(), step.now).await?))
}

async fn ask_for_identity(step: &Acting<'_>) -> Result<Done, AppError> {
    Ok(moved_on_unless(store::ask_for_identity(step.pool(), step.request, step.today, &step.staff.actor(), step.now).await?))
}

async fn confirm_identity(step: &Acting<'_>) -> Result<Done, AppError> {
    store::confirm_identity(step.pool(), step.request, step.today, &step.staff.actor(), step.now).await?;
    Ok(Ok(()))
}

async fn extend(step: &Acting<'_>) -> Result<Done, AppError> {
    if step.request.kind() == RequestKind::SubjectAccess {
        return extend_subject_access(step).await;
    }
    let extended = Some("1".to_string());
    let done =
        store::set_clock_fact(step.pool(), step.request, ClockColumn::Extended, extended, &step.staff.actor(), step.now).await?;
    Ok(moved_on_unless(done))
}

/// Two more months for a subject access request, decided within the first, with the reason the
/// requester is told.
async fn extend_subject_access(step: &Acting<'_>) -> Result<Done, AppError> {
    let request = step.request;
    let local = calendar::store::for_nation(step.pool(), calendar::Nation::EnglandAndWales).await?;
    let reason = step.form.extension_reason.replace("\r\n", "\n").trim().to_string();
    let mut errors = FormErrors::new();
    if let Some(refused) = clock::sar_extension_refused(&request.facts(), &local, step.today) {
        errors.add("extension-reason", refused);
    } else if reason.is_empty() || reason.chars().count() > 2000 {
        errors.add("extension-reason", "Enter why more time is needed, in 2,000 characters or fewer: the requester is told");
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let extended = clock::ClockFacts { extended: true, ..request.facts() };
    let due = match clock::due(RequestKind::SubjectAccess, &extended, &local, &local) {
        clock::Due::On { due_on, .. } => calendar::long_date(due_on),
        clock::Due::Stopped { .. } => {
            return Err(AppError::Internal(anyhow::anyhow!("an extendable request has a running clock")));
        }
    };
    let letter = step.letter("information-sar-extension", [("reason", reason.clone()), ("due", due)]).await?;
    let told = store::Told { letter: &letter, action: "extended the time limit by two months", detail: &reason, carrying: &[] };
    let (actor, settings) = (step.staff.actor(), step.platform.settings());
    let change = store::extension(request);
    Ok(moved_on_unless(store::change_and_tell(step.pool(), change, request, told, &actor, step.now, settings).await?))
}

async fn regime(step: &Acting<'_>, kind: RequestKind) -> Result<Done, AppError> {
    store::set_kind(step.pool(), step.request, kind, &step.staff.actor(), step.now).await?;
    Ok(Ok(()))
}

async fn public_interest(step: &Acting<'_>) -> Result<Done, AppError> {
    let days = step
        .form
        .days
        .trim()
        .parse::<u32>()
        .map_err(|_| "Enter how many working days to extend by, from 1 to 20".to_string())
        .and_then(clock::check_public_interest_days);
    let days = match days {
        Ok(days) => Some(days.to_string()),
        Err(message) => {
            let mut errors = FormErrors::new();
            errors.add("days", message);
            return Ok(Err(errors));
        }
    };
    let column = ClockColumn::PublicInterestDays;
    Ok(moved_on_unless(store::set_clock_fact(step.pool(), step.request, column, days, &step.staff.actor(), step.now).await?))
}

async fn respond(step: &Acting<'_>) -> Result<Done, AppError> {
    match check_response(step.form, step.request.kind()) {
        Ok(response) => {
            let user = &step.staff.user;
            let drafter = store::Drafter { id: &user.id, name: &user.display_name };
            store::save_response(step.pool(), step.request, &response, &drafter, &step.staff.actor(), step.now).await?;
            Ok(Ok(()))
        }
        Err(errors) => Ok(Err(errors)),
    }
}

async fn approve(step: &Acting<'_>) -> Result<Done, AppError> {
    let policy = super::super::policy::load(step.pool()).await?;
    if let Some(refusal) = policy.refuses_approval(step.request.drafted_by_id.as_deref(), &step.staff.user.id) {
        let mut errors = FormErrors::new();
        errors.add("approve", refusal);
        return Ok(Err(errors));
    }
    let approver = &step.staff.user.display_name;
    Ok(moved_on_unless(store::approve(step.pool(), step.request, approver, &step.staff.actor(), step.now, step.today).await?))
}

async fn send(step: &Acting<'_>) -> Result<Done, AppError> {
    let documents = release::documents_of(step.pool(), &step.request.id).await?;
    let unconfirmed = documents.iter().filter(|d| d.needs_confirming()).count();
    if unconfirmed > 0 {
        let mut errors = FormErrors::new();
        errors.add(
            "documents",
            format!("{unconfirmed} of the documents may hide data: confirm each is safe, or remove it and upload a fixed copy, before sending"),
        );
        return Ok(Err(errors));
    }
    let settings = step.platform.settings();
    let delivery = release::Delivery::of(documents.into_iter().filter(|d| !d.is_withdrawn()).map(|d| d.file).collect());
    let response = step.request.response_text.clone().unwrap_or_default();
    let documents = delivery.paragraph(&settings.public_url);
    let letter = step.letter("information-response", [("response", response), ("documents", documents)]).await?;
    let (pool, actor) = (step.pool(), step.staff.actor());
    Ok(moved_on_unless(store::send(pool, step.request, &letter, &delivery, &actor, step.now, step.today, settings).await?))
}

async fn publish(step: &Acting<'_>) -> Result<Done, AppError> {
    let (form, request) = (step.form, step.request);
    let mut errors = FormErrors::new();
    let title = form.title.trim();
    let topic = form.topic.trim();
    if title.is_empty() || title.chars().count() > 200 {
        errors.add("title", "Enter a title of 200 characters or fewer");
    }
    if topic.is_empty() || topic.chars().count() > 60 {
        errors.add("topic", "Enter a topic of 60 characters or fewer");
    }
    let unconfirmed = release::documents_of(step.pool(), &request.id).await?.iter().filter(|d| d.needs_confirming()).count();
    if unconfirmed > 0 {
        errors.add(
            "documents",
            format!("{unconfirmed} of the documents may hide data: confirm each is safe, or remove it and upload a fixed copy, before publishing"),
        );
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let published = store::publish(step.pool(), request, title, topic, &step.staff.actor(), step.now).await?;
    Ok(moved_on_unless(published.is_some()))
}

async fn open_review(step: &Acting<'_>, action: &str) -> Result<Done, AppError> {
    let form = step.form;
    let mut errors = FormErrors::new();
    let grounds = form.grounds.replace("\r\n", "\n").trim().to_string();
    if grounds.is_empty() || grounds.chars().count() > 5000 {
        errors.add("grounds", "Enter what the requester is unhappy about, in 5,000 characters or fewer");
    }
    let ico_reference = form.ico_reference.trim();
    if action == "ico-complaint" && (ico_reference.is_empty() || ico_reference.chars().count() > 40) {
        errors.add("ico-reference", "Enter the ICO’s case reference, for example IC-123456-A1B2");
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let (kind, external) = if action == "ico-complaint" { ("ico", Some(ico_reference)) } else { ("internal-review", None) };
    appeals::open(step.pool(), step.request, kind, step.today, external, &grounds, &step.staff.actor(), step.now).await?;
    Ok(Ok(()))
}

/// The actions taken only while a request is unanswered.
pub(super) const WHILE_OPEN: [&str; 14] = [
    "ask-clarification",
    "identity-asked",
    "identity-received",
    "clarified",
    "fee-notice",
    "fee-paid",
    "identity-confirmed",
    "extend",
    "treat-as-eir",
    "treat-as-foi",
    "extend-public-interest",
    "response",
    "approve",
    "send",
];

/// Done, or the request moved on before the change could be made.
pub(super) fn moved_on_unless(done: bool) -> Result<(), FormErrors> {
    if done { Ok(()) } else { Err(change::moved_on()) }
}
