//! Appeals against a review: the appeal's page, hearing a late one, and the decision.

use super::*;

#[derive(Template)]
#[template(path = "asb/appeal_case.html")]
pub(super) struct AppealCasePage {
    chrome: Chrome,
    appeal: StoredAppeal,
    step: Step,
    status: StepStatus,
    window_ends: String,
    files: Vec<StoredFile>,
    letters: Vec<store::Letter>,
    form: ActionForm,
    errors: FormErrors,
}

impl AppealCasePage {
    fn day(&self, date: &Date) -> String {
        calendar::long_date(*date)
    }
    fn error_summary(&self) -> ErrorSummary<'_> {
        ErrorSummary { errors: &self.errors }
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
    let calendar = calendar_of(platform).await?;
    let step = timescales::appeal_step(appeal.received(), appeal.decided(), &appeal.timescales(), &calendar);
    let status = step.status(today(), &calendar);
    let window_ends = db::parse_date(&appeal.decision_letter_on)
        .map(|d| calendar::long_date(timescales::appeal_window_ends(d, &appeal.timescales(), &calendar)))
        .unwrap_or_default();
    let files = files::files_of(platform.pool(), store::APPEAL_FILES, &appeal.id).await?;
    let letters = store::letters_of(platform.pool(), "appeal", &appeal.id).await?;
    let code = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = AppealCasePage {
        chrome: chrome.with_errors(!errors.is_empty()),
        appeal,
        step,
        status,
        window_ends,
        files,
        letters,
        form,
        errors,
    };
    Ok((code, render(&page)?).into_response())
}

pub(super) async fn appeal_page(
    State(platform): State<Platform>,
    chrome: Chrome,
    staff: CurrentStaff,
    Path(reference): Path<String>,
) -> Result<Response, AppError> {
    let appeal = load_appeal(&platform, &reference).await?;
    let event = Event { action: "viewed", record_type: "ASB case review appeal", record_id: &appeal.reference, detail: "" };
    audit::record_now(platform.pool(), &staff.actor(), event).await?;
    render_appeal(&platform, chrome, appeal, ActionForm::default(), FormErrors::new()).await
}

/// A column to set, and its new value.
type Column = (&'static str, Option<String>);
/// The placeholders of a letter, filled.
type LetterValues = Vec<(&'static str, String)>;

pub(super) async fn act_on_appeal(
    State(platform): State<Platform>,
    chrome: Chrome,
    staff: CurrentStaff,
    Path((reference, action)): Path<(String, String)>,
    Form(form): Form<ActionForm>,
) -> Result<Response, AppError> {
    let appeal = load_appeal(&platform, &reference).await?;
    let pool = platform.pool();
    let now = OffsetDateTime::now_utc();
    let today = calendar::uk_local_date(now);
    let office = platform.office().await?;
    let mut errors = FormErrors::new();
    let (sets, audit_action, letter): (Vec<Column>, &str, Option<LetterValues>) = match action.as_str() {
        "link" => {
            let linked = match form.application_reference.parse::<platform::reference::Reference>() {
                Ok(r) => store::find_application(pool, &r.to_string()).await?,
                Err(_) => None,
            };
            match linked {
                Some(application) => (
                    vec![
                        ("application_id", Some(application.id.clone())),
                        ("review_body_id", Some(application.review_body_id.clone())),
                    ],
                    "linked to application",
                    None,
                ),
                None => {
                    errors.add(
                        "application-reference",
                        "Enter the reference of an application in Commissioner, like ASB-2026-000042",
                    );
                    (Vec::new(), "", None)
                }
            }
        }
        "hearing" => {
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
            if form.hearing == "not-heard" {
                let mut values = vec![
                    ("name", appeal.full_name.clone()),
                    ("reference", appeal.reference.clone()),
                    ("office", office.name.clone()),
                ];
                values.push(("decision", "we cannot consider your appeal because it arrived after the time limit".into()));
                values.push(("reasons", reasons.clone()));
                values.push(("directions", String::new()));
                (
                    vec![
                        ("hearing_decision", Some("not-heard".into())),
                        ("outcome", Some("not-heard".into())),
                        ("reasons", Some(reasons)),
                        ("decided_on", Some(db::date(today))),
                        ("decided_by", Some(staff.user.email.clone())),
                    ],
                    "decided not to hear",
                    Some(values),
                )
            } else {
                (vec![("hearing_decision", Some("hear".into()))], "decided to hear", None)
            }
        }
        "decide" => {
            if !matches!(form.outcome.as_str(), "upheld" | "not-upheld") {
                errors.add("outcome", "Select the decision");
            }
            let reasons = required(&mut errors, "reasons", &form.reasons, "Enter the reasons for the decision", 5000);
            let directions = if form.outcome == "upheld" {
                required(&mut errors, "directions", &form.directions, "Enter what the review body must do again", 5000)
            } else {
                String::new()
            };
            if appeal.in_time == 0 && appeal.hearing_decision.as_deref() != Some("hear") {
                errors.add("outcome", "Decide first whether to consider this late appeal");
            }
            let mut values = vec![
                ("name", appeal.full_name.clone()),
                ("reference", appeal.reference.clone()),
                ("office", office.name.clone()),
            ];
            values.push((
                "decision",
                if form.outcome == "upheld" { "your appeal is upheld".into() } else { "your appeal is not upheld".into() },
            ));
            values.push(("reasons", reasons.clone()));
            values.push((
                "directions",
                if directions.is_empty() {
                    String::new()
                } else {
                    format!(
                        "We have asked {} to look at your case again. We have told them: {directions}",
                        appeal.review_body_name
                    )
                },
            ));
            (
                vec![
                    ("outcome", Some(form.outcome.clone())),
                    ("reasons", Some(reasons)),
                    ("directions", (!directions.is_empty()).then_some(directions)),
                    ("decided_on", Some(db::date(today))),
                    ("decided_by", Some(staff.user.email.clone())),
                ],
                "decided appeal",
                Some(values),
            )
        }
        _ => return Err(AppError::NotFound),
    };
    if !errors.is_empty() {
        return render_appeal(&platform, chrome, appeal, form, errors).await;
    }
    let case = change::Case {
        table: "casework_asb_appeal",
        id: &appeal.id,
        record_type: "ASB case review appeal",
        reference: &appeal.reference,
    };
    let change = change::Change {
        sets: sets.into_iter().map(|(column, value)| (column, change::Value::Text(value))).collect(),
        action: audit_action,
        detail: form.outcome.clone(),
    };
    let mut tx = platform::db::begin_write(pool).await?;
    if !change::apply_guarded(&mut tx, &case, change::Guard::NotYet("outcome"), &change, &staff.actor(), now).await? {
        tx.rollback().await?;
        let fresh = load_appeal(&platform, &appeal.reference).await?;
        let page = render_appeal(&platform, chrome, fresh, form, change::moved_on()).await?;
        return Ok((StatusCode::CONFLICT, page).into_response());
    }
    if let Some(values) = letter {
        let letter = letters::compose(pool, &crate::asb::letters::KINDS, "appeal-decision", &values).await?;
        let email = (appeal.contact_method == "email").then(|| appeal.email.clone()).flatten();
        store::record_letter(&mut tx, platform.settings(), "appeal", &appeal.id, &letter, email.as_deref(), &staff.actor(), now)
            .await?;
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!("/staff/asb-appeals/{}", appeal.reference)).into_response())
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
