//! Each part of the complaint: the "add another" pattern, one part a page.

use super::*;

#[derive(Template)]
#[template(path = "complaints/allegation.html")]
pub(super) struct AllegationPage {
    chrome: Chrome,
    draft: String,
    number: String,
    form: AllegationForm,
    errors: FormErrors,
}

impl AllegationPage {
    fn summary(&self) -> Textarea<'_> {
        Textarea::new("summary", "What was this part of your complaint about?", &self.form.summary, &self.errors)
            .rows(3)
            .max_chars(1000)
            .hint("Your outcome letter may call it an allegation. For example, “The officer was rude to me at the front desk”.")
    }
    fn unhappy_with(&self) -> Choices<'_> {
        let items = Choice::each(&UNHAPPY_WITH);
        Choices::radios("unhappy-with", "What are you unhappy with?", items, Some(self.form.unhappy_with.as_str()), &self.errors)
            .hint("The handling is how the force dealt with your complaint; the outcome is what it decided.")
    }
    fn why(&self) -> Textarea<'_> {
        Textarea::new("why", "Why are you unhappy with it?", &self.form.why, &self.errors).rows(6).max_chars(MAX_TEXT_CHARS)
    }
}

pub(super) fn allegation_index(number: &str, count: usize) -> Result<Option<usize>, AppError> {
    if number == "new" {
        return Ok(None);
    }
    let n: usize = number.parse().map_err(|_| AppError::NotFound)?;
    if n == 0 || n > count {
        return Err(AppError::NotFound);
    }
    Ok(Some(n - 1))
}

pub(super) async fn show_allegation(
    PageRequest { platform, chrome }: PageRequest,
    Path((draft_id, number)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let draft = open_or_return!(platform, draft_id);
    let index = allegation_index(&number, draft.answers.allegations.len())?;
    if index.is_none() && draft.answers.allegations.len() >= MAX_ALLEGATIONS {
        return Ok(Redirect::to(&page_url(&draft.id, Question::Allegations)).into_response());
    }
    let form = index.map(|i| AllegationForm::of(&draft.answers.allegations[i])).unwrap_or_default();
    render(&AllegationPage { chrome, draft: draft.id, number, form, errors: FormErrors::new() })
}

pub(super) async fn save_allegation(
    PageRequest { platform, chrome }: PageRequest,
    Path((draft_id, number)): Path<(String, String)>,
    Form(form): Form<AllegationForm>,
) -> Result<Response, AppError> {
    let mut draft = open_or_return!(platform, draft_id);
    let index = allegation_index(&number, draft.answers.allegations.len())?;
    match form.check() {
        Ok(allegation) => {
            match index {
                Some(i) => draft.answers.allegations[i] = allegation,
                None if draft.answers.allegations.len() < MAX_ALLEGATIONS => draft.answers.allegations.push(allegation),
                None => {}
            }
            draft.answers.allegations_done = false;
            DRAFTS.save(platform.pool(), &draft.id, &draft.answers, OffsetDateTime::now_utc()).await?;
            Ok(Redirect::to(&page_url(&draft.id, Question::Allegations)).into_response())
        }
        Err(errors) => {
            let page = AllegationPage { chrome: chrome.with_errors(true), draft: draft.id, number, form, errors };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
        }
    }
}

pub(super) async fn remove_allegation(
    State(platform): State<Platform>,
    Path((draft_id, number)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let mut draft = open_or_return!(platform, draft_id);
    let index = allegation_index(&number, draft.answers.allegations.len())?.ok_or(AppError::NotFound)?;
    draft.answers.allegations.remove(index);
    draft.answers.allegations_done = false;
    DRAFTS.save(platform.pool(), &draft.id, &draft.answers, OffsetDateTime::now_utc()).await?;
    Ok(Redirect::to(&page_url(&draft.id, Question::Allegations)).into_response())
}
