//! Incidents: the "add another" pattern, one incident a page.

use super::*;

#[derive(Template)]
#[template(path = "asb/incident.html")]
pub(super) struct IncidentPage {
    chrome: Chrome,
    draft: String,
    number: String,
    form: IncidentForm,
    errors: FormErrors,
    marks: IncidentDatesInError,
    occurred: platform::web::forms::DateParts,
    reported: platform::web::forms::DateParts,
}

impl IncidentPage {
    fn occurred_on(&self) -> DateInput<'_> {
        DateInput::new("occurred", "When did it happen?", &self.occurred, &self.errors, self.marks.occurred)
            .hint("For example, 27 3 2026. If it went on for several days, give the first.")
    }
    fn reported_on(&self) -> DateInput<'_> {
        DateInput::new("reported", "When did you report it?", &self.reported, &self.errors, self.marks.reported)
    }
    fn reported_to(&self) -> Choices<'_> {
        let items = Choice::each(&AGENCIES);
        Choices::radios("reported-to", "Who did you report it to?", items, Some(self.form.reported_to.as_str()), &self.errors)
            .hint("If you reported the same incident to more than one agency, add it once for each: we will count it once.")
    }
    fn agency_reference(&self) -> TextInput<'_> {
        TextInput::new("agency-reference", "Their reference number (optional)", &self.form.agency_reference, &self.errors)
            .width("govuk-input--width-20")
            .hint("For example, a police incident number or a council case number.")
    }
    fn reporter(&self) -> TextInput<'_> {
        TextInput::new("reporter", "Who reported it? (optional)", &self.form.reporter, &self.errors)
            .hint("Leave this empty if you reported it yourself.")
    }
    fn description(&self) -> Textarea<'_> {
        Textarea::new("description", "What happened?", &self.form.description, &self.errors)
            .rows(5)
            .max_chars(MAX_DESCRIPTION_CHARS)
    }
}

pub(super) fn incident_index(number: &str, count: usize) -> Result<Option<usize>, AppError> {
    if number == "new" {
        return Ok(None);
    }
    let n: usize = number.parse().map_err(|_| AppError::NotFound)?;
    if n == 0 || n > count {
        return Err(AppError::NotFound);
    }
    Ok(Some(n - 1))
}

pub(super) async fn show_incident(
    PageRequest { platform, chrome }: PageRequest,
    Path((draft_id, number)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let draft = match open_draft(&platform, &draft_id).await? {
        Ok(draft) => draft,
        Err(redirect) => return Ok(redirect),
    };
    let index = incident_index(&number, draft.answers.incidents.len())?;
    if index.is_none() && draft.answers.incidents.len() >= MAX_INCIDENTS {
        return Ok(Redirect::to(&page_url(&draft.id, Question::Incidents)).into_response());
    }
    let form = index.map(|i| IncidentForm::from_incident(&draft.answers.incidents[i])).unwrap_or_default();
    let page = IncidentPage {
        chrome,
        draft: draft.id,
        number,
        occurred: form.occurred(),
        reported: form.reported(),
        form,
        errors: FormErrors::new(),
        marks: IncidentDatesInError::default(),
    };
    render(&page)
}

pub(super) async fn save_incident(
    PageRequest { platform, chrome }: PageRequest,
    Path((draft_id, number)): Path<(String, String)>,
    Form(form): Form<IncidentForm>,
) -> Result<Response, AppError> {
    let mut draft = match open_draft(&platform, &draft_id).await? {
        Ok(draft) => draft,
        Err(redirect) => return Ok(redirect),
    };
    let index = incident_index(&number, draft.answers.incidents.len())?;
    let today = calendar::uk_local_date(OffsetDateTime::now_utc());
    match answers::check_incident(&form, today) {
        Ok(incident) => {
            // Changing one incident of a finished list (from "check your answers") goes back
            // there, or to whatever it made unanswered; a new one returns to the list.
            let changing = index.is_some() && draft.answers.incidents_done;
            match index {
                Some(i) => draft.answers.incidents[i] = incident,
                None if draft.answers.incidents.len() < MAX_INCIDENTS => draft.answers.incidents.push(incident),
                None => {}
            }
            draft.answers.incidents_done = changing;
            store::save_draft(platform.pool(), &draft.id, &draft.answers, OffsetDateTime::now_utc()).await?;
            let next = if changing { Question::first_unanswered(&draft.answers, today) } else { Question::Incidents };
            Ok(Redirect::to(&page_url(&draft.id, next)).into_response())
        }
        Err((errors, marks)) => {
            let page = IncidentPage {
                chrome: chrome.with_errors(true),
                draft: draft.id,
                number,
                occurred: form.occurred(),
                reported: form.reported(),
                form,
                errors,
                marks,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
        }
    }
}

pub(super) async fn remove_incident(
    State(platform): State<Platform>,
    Path((draft_id, number)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let mut draft = match open_draft(&platform, &draft_id).await? {
        Ok(draft) => draft,
        Err(redirect) => return Ok(redirect),
    };
    let index = incident_index(&number, draft.answers.incidents.len())?.ok_or(AppError::NotFound)?;
    draft.answers.incidents.remove(index);
    draft.answers.incidents_done = false;
    store::save_draft(platform.pool(), &draft.id, &draft.answers, OffsetDateTime::now_utc()).await?;
    Ok(Redirect::to(&page_url(&draft.id, Question::Incidents)).into_response())
}
