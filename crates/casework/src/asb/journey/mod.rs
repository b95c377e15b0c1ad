//! The public application: a start page, one question per page, a check-your-answers page and
//! a confirmation. Answers are saved as a draft after every page, so nothing typed is lost to a
//! closed tab, a restart or a failed email; the draft's random id in the address is the only key.

use askama::Template;
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use platform::access::{Access, Routes};
use platform::auth::Viewer;
use platform::calendar;
use platform::contact::ContactQuestions;
use platform::files::{self, StoredFile};
use platform::web::forms::{Choice, Choices, DateInput, FormErrors, TextInput, Textarea};
use platform::web::{Form, PageRequest, render};
use platform::{AppError, Chrome, Platform};
use serde::Deserialize;
use time::OffsetDateTime;

use super::answers::{
    self, AGENCIES, APPLYING_FOR, ApplicationAnswers, IncidentDatesInError, IncidentForm, MAX_DESCRIPTION_CHARS, MAX_INCIDENTS,
    PageForm, Question, agency_name,
};
use super::policy::{self, District};
use super::store::{self, DRAFT_FILES, Draft};
use casekit::journey::{Journey, Questions};

/// LOCAL: how many files an application may carry (the office's form: three).
pub const MAX_ATTACHMENTS: usize = 3;

pub fn routes() -> Routes {
    Routes::new()
        .route("/asb-case-review", Access::Public, get(start))
        .route("/asb-case-review/apply", Access::Public, post(begin))
        .route("/asb-case-review/apply/{draft}/{question}", Access::Public, get(show_question).post(answer_question))
        .route("/asb-case-review/apply/{draft}/incidents/{number}", Access::Public, get(show_incident).post(save_incident))
        .route("/asb-case-review/apply/{draft}/incidents/{number}/remove", Access::Public, post(remove_incident))
        // Uploads are bounded per file and in number by `read_form_with_files`, not by the body limit.
        .route(
            "/asb-case-review/apply/{draft}/evidence",
            Access::Public,
            get(show_evidence).post(upload_evidence).layer(DefaultBodyLimit::disable()),
        )
        .route("/asb-case-review/apply/{draft}/evidence/{file_id}/remove", Access::Public, post(remove_evidence))
        .route("/asb-case-review/apply/{draft}/sent", Access::Public, get(sent))
        .merge(casekit::come_back::routes(&JOURNEY))
}

/// ASB's questions do not depend on the day, but the journey kit asks for it.
fn today() -> time::Date {
    calendar::uk_today()
}

/// The journey's pages and drafts (casekit::journey).
const JOURNEY: Journey =
    Journey { base: "/asb-case-review", drafts: store::DRAFTS, caption: "ASB case review", in_title: "ASB case review" };

fn page_url(draft: &str, question: Question) -> String {
    JOURNEY.page(draft, question.slug())
}

/// Loads a draft that is still open; a submitted one sends the applicant to its confirmation.
async fn open_draft(platform: &Platform, draft_id: &str) -> Result<Result<Draft, Response>, AppError> {
    JOURNEY.open(platform, draft_id).await
}

#[derive(Template)]
#[template(path = "asb/start.html")]
struct StartPage {
    chrome: Chrome,
    policy: policy::Policy,
}

async fn start(PageRequest { platform, chrome }: PageRequest) -> Result<Response, AppError> {
    let policy = policy::load(platform.pool()).await?;
    render(&StartPage { chrome, policy })
}

async fn begin(State(platform): State<Platform>) -> Result<Response, AppError> {
    JOURNEY.begin::<ApplicationAnswers>(&platform, Question::Applicant.slug()).await
}

#[derive(Debug, Default, Deserialize)]
struct ReturnTo {
    #[serde(default)]
    change: String,
}

#[derive(Template)]
#[template(path = "asb/question.html")]
struct QuestionPage {
    chrome: Chrome,
    draft: String,
    question: Question,
    answers: ApplicationAnswers,
    form: PageForm,
    errors: FormErrors,
    districts: Vec<District>,
    back: String,
    changing: bool,
}

impl QuestionPage {
    fn applying_as(&self) -> Choices<'_> {
        APPLYING_FOR.question(&self.form.applying_as, &self.errors)
    }
    fn relationship(&self) -> TextInput<'_> {
        APPLYING_FOR.relationship_input(&self.form.relationship, &self.errors)
    }
    fn victim_consents(&self) -> Choices<'_> {
        Choices::checkboxes(
            "victim-consents",
            "Their agreement",
            vec![Choice::new("yes", "The person I am applying for has agreed to me applying for them")],
            if self.form.victim_consents == "yes" { vec!["yes"] } else { vec![] },
            &self.errors,
        )
    }
    fn victim_kind(&self) -> Choices<'_> {
        Choices::radios(
            "victim-kind",
            "Who is affected?",
            vec![
                Choice::new("person", "A person or a household"),
                Choice::new("business", "A business"),
                Choice::with_hint(
                    "community-group",
                    "A community group",
                    "For example a residents’ association or a faith group.",
                ),
            ],
            Some(self.form.victim_kind.as_str()),
            &self.errors,
        )
    }
    fn victim_name(&self) -> TextInput<'_> {
        TextInput::new("victim-name", "Name of the person, business or group", &self.form.victim_name, &self.errors)
    }
    fn district(&self) -> Choices<'_> {
        let items = self.districts.iter().map(|d| Choice::new(d.id.as_str(), d.name.as_str())).collect();
        Choices::radios("district", "Which area is it in?", items, Some(self.form.district.as_str()), &self.errors)
            .hint("This decides which partnership of agencies reviews your case.")
    }
    fn location_address(&self) -> Textarea<'_> {
        Textarea::new(
            "location-address",
            "Address or description of the place (optional)",
            &self.form.location_address,
            &self.errors,
        )
        .rows(3)
        .hint("For example, the street, the block of flats or the park.")
    }
    fn location_postcode(&self) -> TextInput<'_> {
        TextInput::new("location-postcode", "Postcode", &self.form.location_postcode, &self.errors)
            .width("govuk-input--width-10")
            .hint("The nearest postcode. With your reference number, it lets you check progress online.")
    }
    fn add_another(&self) -> Choices<'_> {
        Choices::yes_no("add-another", "Do you need to add another incident?", None, &self.errors)
            .legend_size("govuk-fieldset__legend--m")
    }
    fn continuing(&self) -> Choices<'_> {
        Choices::yes_no(
            "continuing",
            "Is the anti-social behaviour still happening?",
            Some(self.form.continuing.as_str()),
            &self.errors,
        )
        .as_heading()
    }
    fn hate(&self) -> Choices<'_> {
        Choices::radios(
            "hate",
            "Do you think the behaviour is motivated by hate?",
            vec![Choice::new("yes", "Yes"), Choice::new("no", "No"), Choice::new("not-sure", "I’m not sure")],
            Some(self.form.hate.as_str()),
            &self.errors,
        )
        .as_heading()
        .hint("Hostility or prejudice because of race, religion, disability, sexual orientation or transgender identity, or what someone thinks you are.")
    }
    fn contact(&self) -> ContactQuestions<'_> {
        answers::CONTACT.questions(&self.form.contact, &self.errors)
    }
    fn needs(&self) -> Textarea<'_> {
        Textarea::new("needs", "Do you have any accessibility or language needs? (optional)", &self.form.needs, &self.errors)
            .rows(4)
            .max_chars(MAX_DESCRIPTION_CHARS)
            .hint("For example, large print, an interpreter, a British Sign Language interpreter, or meeting in an accessible place.")
    }
    fn consent(&self) -> Choices<'_> {
        Choices::checkboxes(
            "consent",
            "Your agreement",
            vec![Choice::new(
                "yes",
                "I agree to my information, and information about the anti-social behaviour, being shared with the agencies reviewing my case",
            )],
            if self.form.consent == "yes" { vec!["yes"] } else { vec![] },
            &self.errors,
        )
    }
    fn agency(&self, slug: &str) -> String {
        agency_name(slug).to_string()
    }
    fn long_date(&self, text: &str) -> String {
        platform::db::parse_date(text).map(calendar::long_date).unwrap_or_default()
    }
}

fn form_of(answers: &ApplicationAnswers) -> PageForm {
    let yes = |b: bool| if b { "yes".to_string() } else { String::new() };
    PageForm {
        applying_as: answers.applying_as.clone(),
        relationship: answers.relationship.clone(),
        victim_consents: yes(answers.victim_consents),
        victim_kind: answers.victim_kind.clone(),
        victim_name: answers.victim_name.clone(),
        district: answers.district_id.clone(),
        location_address: answers.location_address.clone(),
        location_postcode: answers.location_postcode.clone(),
        add_another: String::new(),
        continuing: answers.continuing.clone(),
        hate: answers.hate.clone(),
        contact: answers.contact.form(&answers.applicant_name),
        needs: answers.needs.clone(),
        consent: yes(answers.consent),
        changing: String::new(),
    }
}

async fn question_page(
    platform: &Platform,
    chrome: Chrome,
    draft: Draft,
    question: Question,
    form: PageForm,
    errors: FormErrors,
    changing: bool,
) -> Result<Response, AppError> {
    let districts = if question == Question::Location { policy::districts(platform.pool()).await? } else { Vec::new() };
    let back = JOURNEY.back(&draft.id, question, &draft.answers, today(), changing);
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let chrome = chrome.with_errors(!errors.is_empty());
    let page =
        QuestionPage { chrome, draft: draft.id, question, answers: draft.answers, form, errors, districts, back, changing };
    Ok((status, render(&page)?).into_response())
}

async fn show_question(
    PageRequest { platform, chrome }: PageRequest,
    Path((draft_id, slug)): Path<(String, String)>,
    Query(return_to): Query<ReturnTo>,
) -> Result<Response, AppError> {
    let question = Question::from_slug(&slug).ok_or(AppError::NotFound)?;
    let draft = match open_draft(&platform, &draft_id).await? {
        Ok(draft) => draft,
        Err(redirect) => return Ok(redirect),
    };
    if let Some(elsewhere) = JOURNEY.instead_of(&draft.id, question, &draft.answers, today()) {
        return Ok(elsewhere);
    }
    match question {
        Question::Incidents if draft.answers.incidents.is_empty() => {
            return Ok(Redirect::to(&format!("/asb-case-review/apply/{}/incidents/new", draft.id)).into_response());
        }
        Question::Evidence => return evidence_page(&platform, chrome, draft, FormErrors::new()).await,
        Question::Check => return check_page(&platform, chrome, draft).await,
        _ => {}
    }
    let form = form_of(&draft.answers);
    question_page(&platform, chrome, draft, question, form, FormErrors::new(), return_to.change == "yes").await
}

async fn answer_question(
    PageRequest { platform, chrome }: PageRequest,
    viewer: Viewer,
    Path((draft_id, slug)): Path<(String, String)>,
    Form(page): Form<PageForm>,
) -> Result<Response, AppError> {
    let question = Question::from_slug(&slug).ok_or(AppError::NotFound)?;
    let mut draft = match open_draft(&platform, &draft_id).await? {
        Ok(draft) => draft,
        Err(redirect) => return Ok(redirect),
    };
    if question == Question::Check {
        return submit(&platform, chrome, viewer, draft).await;
    }
    let changing = page.changing == "yes";
    let district_ids: Vec<String> = if question == Question::Location {
        policy::districts(platform.pool()).await?.into_iter().map(|d| d.id).collect()
    } else {
        Vec::new()
    };
    if let Err(errors) = answers::apply_page(question, &page, &mut draft.answers, &district_ids) {
        return question_page(&platform, chrome, draft, question, page, errors, changing).await;
    }
    store::save_draft(platform.pool(), &draft.id, &draft.answers, OffsetDateTime::now_utc()).await?;
    if question == Question::Incidents && !draft.answers.incidents_done {
        return Ok(Redirect::to(&format!("/asb-case-review/apply/{}/incidents/new", draft.id)).into_response());
    }
    Ok(JOURNEY.after(&draft.id, question, &draft.answers, today(), changing))
}

mod check;
mod evidence;
mod incidents;

use check::*;
use evidence::*;
use incidents::*;
