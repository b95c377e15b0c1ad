//! Appeals against a review: the appeal's page, hearing a late one, and the decision.

use super::*;

#[derive(Template)]
#[template(path = "asb/appeal_case.html")]
pub(super) struct AppealCasePage {
    chrome: Chrome,
    /// Staff by name, for "decided by", "checked by" and the like.
    names: platform::auth::store::StaffNames,
    moves: Vec<casekit::deadlines::Moved>,
    appeal: StoredAppeal,
    step: Step,
    status: StepStatus,
    window_ends: String,
    files: Vec<StoredFile>,
    letters: Vec<store::Letter>,
    form: ActionForm,
    errors: FormErrors,
    preview: Option<letters::Preview>,
}

impl AppealCasePage {
    fn day(&self, date: &Date) -> String {
        calendar::long_date(*date)
    }
    fn date(&self, text: &str) -> String {
        long(text)
    }
    fn may_decide(&self) -> bool {
        self.appeal.outcome.is_none() && (self.appeal.in_time != 0 || self.appeal.hearing_decision.as_deref() == Some("hear"))
    }
    fn hearing(&self) -> Choices<'_> {
        Choices::radios(
            "hearing",
            "Will the office consider this late appeal?",
            vec![Choice::new("hear", "Yes, consider it"), Choice::new("not-heard", "No, it is out of time")],
            Some(self.form.hearing.as_str()),
            &self.errors,
        )
    }
    fn outcome(&self) -> Choices<'_> {
        Choices::radios(
            "outcome",
            "Decision",
            vec![
                Choice::with_hint("upheld", "Upheld", "The review body is asked to look at the case again, with directions."),
                Choice::new("not-upheld", "Not upheld"),
            ],
            Some(self.form.outcome.as_str()),
            &self.errors,
        )
    }
    fn reasons(&self) -> Textarea<'_> {
        Textarea::new("reasons", "Reasons", &self.form.reasons, &self.errors).rows(4)
    }
    fn directions(&self) -> Textarea<'_> {
        Textarea::new("directions", "Directions to the review body (if upheld)", &self.form.directions, &self.errors).rows(3)
    }
    fn link(&self) -> TextInput<'_> {
        TextInput::new("application-reference", "Application reference", &self.form.application_reference, &self.errors)
            .width("govuk-input--width-20")
    }
}

pub(super) async fn load_appeal(platform: &Platform, reference: &str) -> Result<StoredAppeal, AppError> {
    let reference: platform::reference::Reference = reference.parse().map_err(|_| AppError::NotFound)?;
    appeal::find(platform.pool(), &reference.to_string()).await?.ok_or(AppError::NotFound)
}

pub(super) async fn render_appeal(
    platform: &Platform,
    chrome: Chrome,
    appeal: StoredAppeal,
    form: ActionForm,
    errors: FormErrors,
) -> Result<Response, AppError> {
    render_appeal_page(platform, chrome, appeal, (form, errors), None).await
}

async fn render_appeal_page(
    platform: &Platform,
    chrome: Chrome,
    appeal: StoredAppeal,
    (form, errors): (ActionForm, FormErrors),
    preview: Option<letters::Preview>,
) -> Result<Response, AppError> {
    let calendar = calendar_of(platform).await?;
    let step = timescales::appeal_step(appeal.received(), appeal.decided(), &appeal.timescales(), &calendar);
    let status = step.status(today(), &calendar);
    let window_ends = db::parse_date(&appeal.decision_letter_on)
        .map(|d| calendar::long_date(timescales::appeal_window_ends(d, &appeal.timescales(), &calendar)))
        .unwrap_or_default();
    let files = files::files_of(platform.pool(), store::APPEAL_FILES, &appeal.id).await?;
    let letters = store::letters_of(platform.pool(), "appeal", &appeal.id).await?;
    let code = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let moves = casekit::deadlines::moves_of(platform.pool(), &appeal.id).await?;
    let names = platform::auth::store::StaffNames::load(platform.pool()).await?;
    let page = AppealCasePage {
        names,
        chrome: chrome.with_errors(!errors.is_empty()),
        moves,
        appeal,
        step,
        status,
        window_ends,
        files,
        letters,
        form,
        errors,
        preview,
    };
    Ok((code, render(&page)?).into_response())
}

pub(super) async fn appeal_page(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path(reference): Path<String>,
) -> Result<Response, AppError> {
    let appeal = load_appeal(&platform, &reference).await?;
    let event = Event { action: "viewed", record_type: "ASB case review appeal", record_id: &appeal.reference, detail: "" };
    audit::record_now(platform.pool(), &staff.actor(), event).await?;
    render_appeal(&platform, chrome, appeal, ActionForm::default(), FormErrors::new()).await
}

/// What a step on an appeal changes, and the decision letter's placeholders when it sends one.
struct AppealChange {
    sets: Vec<(&'static str, Option<String>)>,
    action: &'static str,
    letter: Option<Vec<(&'static str, String)>>,
}

/// What every step on an appeal needs to know.
struct OnAppeal<'a> {
    appeal: &'a StoredAppeal,
    form: &'a ActionForm,
    today: Date,
    office_name: String,
    decided_by: &'a str,
}

impl OnAppeal<'_> {
    fn letter_values(&self, decision: String, reasons: &str, directions: String) -> Vec<(&'static str, String)> {
        vec![
            ("name", self.appeal.full_name.clone()),
            ("reference", self.appeal.reference.clone()),
            ("office", self.office_name.clone()),
            ("decision", decision),
            ("reasons", reasons.to_string()),
            ("directions", directions),
        ]
    }
}

pub(super) async fn act_on_appeal(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path((reference, action)): Path<(String, String)>,
    Form(form): Form<ActionForm>,
) -> Result<Response, AppError> {
    let appeal = load_appeal(&platform, &reference).await?;
    let now = OffsetDateTime::now_utc();
    let office_name = platform.office().await?.name;
    let step = OnAppeal {
        appeal: &appeal,
        form: &form,
        today: calendar::uk_local_date(now),
        office_name,
        decided_by: &staff.user.email,
    };
    let planned = match action.as_str() {
        "link" => link_appeal(&platform, &step).await?,
        "hearing" => hear_or_not(&step),
        "decide" => decide_appeal(&step),
        _ => return Err(AppError::NotFound),
    };
    let planned = match planned {
        Ok(AppealChange { letter: Some(values), .. }) if form.preview == "yes" => {
            let letter = letters::compose(platform.pool(), &crate::asb::letters::KINDS, "appeal-decision", &values).await?;
            let action = if action == "hearing" { "hearing" } else { "decide" };
            let preview = letters::Preview { action, letters: vec![letter] };
            return render_appeal_page(&platform, chrome, appeal.clone(), (form, FormErrors::new()), Some(preview)).await;
        }
        Ok(planned) => planned,
        Err(errors) => return render_appeal(&platform, chrome, appeal.clone(), form, errors).await,
    };
    let case = change::Case {
        table: "casework_asb_appeal",
        id: &appeal.id,
        record_type: "ASB case review appeal",
        reference: &appeal.reference,
    };
    let sets = planned.sets.into_iter().map(|(column, value)| (column, change::Value::Text(value))).collect();
    let recorded = change::Change { sets, action: planned.action, detail: form.outcome.clone() };
    let mut tx = platform::db::begin_write(platform.pool()).await?;
    // Until the appeal is decided, whoever acts first wins and the other is told.
    if !change::apply_guarded(&mut tx, &case, change::Guard::NotYet("outcome"), &recorded, &staff.actor(), now).await? {
        tx.rollback().await?;
        let fresh = load_appeal(&platform, &appeal.reference).await?;
        let page = render_appeal(&platform, chrome, fresh, form, change::moved_on()).await?;
        return Ok((StatusCode::CONFLICT, page).into_response());
    }
    if let Some(values) = planned.letter {
        let letter = letters::compose(platform.pool(), &crate::asb::letters::KINDS, "appeal-decision", &values).await?;
        let actor = staff.actor();
        store::record_letter(
            &mut tx,
            platform.settings(),
            "appeal",
            &appeal.id,
            &letter,
            appeal.contact.email_to_use(),
            &actor,
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!("/staff/asb-appeals/{}", appeal.reference)).into_response())
}

/// Links an appeal made outside Commissioner's journey to the application it is about.
async fn link_appeal(platform: &Platform, step: &OnAppeal<'_>) -> Result<Result<AppealChange, FormErrors>, AppError> {
    let linked = match step.form.application_reference.parse::<platform::reference::Reference>() {
        Ok(r) => store::find_application(platform.pool(), &r.to_string()).await?,
        Err(_) => None,
    };
    let Some(application) = linked else {
        let mut errors = FormErrors::new();
        errors.add("application-reference", "Enter the reference of an application in Commissioner, like ASB-2026-000042");
        return Ok(Err(errors));
    };
    let sets =
        vec![("application_id", Some(application.id.clone())), ("review_body_id", Some(application.review_body_id.clone()))];
    Ok(Ok(AppealChange { sets, action: "linked to application", letter: None }))
}

/// Whether a late appeal will be considered; one that will not is decided there and then.
fn hear_or_not(step: &OnAppeal<'_>) -> Result<AppealChange, FormErrors> {
    let (appeal, form) = (step.appeal, step.form);
    let mut errors = FormErrors::new();
    if !matches!(form.hearing.as_str(), "hear" | "not-heard") {
        errors.add("hearing", "Select whether the office will consider the appeal");
    }
    let reasons = if form.hearing == "not-heard" {
        required(&mut errors, "reasons", &form.reasons, "Enter why the appeal cannot be considered", 5000)
    } else {
        form.reasons.trim().to_string()
    };
    if appeal.in_time != 0 || appeal.hearing_decision.is_some() {
        errors.add("hearing", "This appeal does not need a decision on whether to consider it");
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if form.hearing != "not-heard" {
        return Ok(AppealChange {
            sets: vec![("hearing_decision", Some("hear".into()))],
            action: "decided to hear",
            letter: None,
        });
    }
    let decision = "we cannot consider your appeal because it arrived after the time limit".to_string();
    let letter = step.letter_values(decision, &reasons, String::new());
    let sets = vec![
        ("hearing_decision", Some("not-heard".into())),
        ("outcome", Some("not-heard".into())),
        ("reasons", Some(reasons)),
        ("decided_on", Some(db::date(step.today))),
        ("decided_by", Some(step.decided_by.to_string())),
    ];
    Ok(AppealChange { sets, action: "decided not to hear", letter: Some(letter) })
}

fn decide_appeal(step: &OnAppeal<'_>) -> Result<AppealChange, FormErrors> {
    let (appeal, form) = (step.appeal, step.form);
    let mut errors = FormErrors::new();
    if !matches!(form.outcome.as_str(), "upheld" | "not-upheld") {
        errors.add("outcome", "Select the decision");
    }
    let upheld = form.outcome == "upheld";
    let reasons = required(&mut errors, "reasons", &form.reasons, "Enter the reasons for the decision", 5000);
    let directions = if upheld {
        required(&mut errors, "directions", &form.directions, "Enter what the review body must do again", 5000)
    } else {
        String::new()
    };
    if appeal.in_time == 0 && appeal.hearing_decision.as_deref() != Some("hear") {
        errors.add("outcome", "Decide first whether to consider this late appeal");
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let decision = if upheld { "your appeal is upheld" } else { "your appeal is not upheld" };
    let told = if directions.is_empty() {
        String::new()
    } else {
        format!("We have asked {} to look at your case again. We have told them: {directions}", appeal.review_body_name)
    };
    let letter = step.letter_values(decision.to_string(), &reasons, told);
    let sets = vec![
        ("outcome", Some(form.outcome.clone())),
        ("reasons", Some(reasons)),
        ("directions", (!directions.is_empty()).then_some(directions)),
        ("decided_on", Some(db::date(step.today))),
        ("decided_by", Some(step.decided_by.to_string())),
    ];
    Ok(AppealChange { sets, action: "decided appeal", letter: Some(letter) })
}

pub(super) async fn download_appeal_file(
    State(platform): State<Platform>,
    staff: CurrentStaff,
    Path((reference, file_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let appeal = load_appeal(&platform, &reference).await?;
    let owner = (store::APPEAL_FILES, appeal.id.as_str());
    platform::web::download_record_file(&platform, &staff.actor(), owner, &file_id, ("ASB case review appeal", &appeal.reference))
        .await
}
