//! "Save and come back later" for every public journey: the person gives an email address and is
//! sent a secret link that opens their draft in any browser (a draft is otherwise open only in
//! the browser that started it), with the date their answers are kept until.

use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use platform::access::{Access, Routes};
use platform::auth::Viewer;
use platform::mail::{self, Email};
use platform::throttle::{self, Limit};
use platform::web::forms::{FormErrors, TextInput};
use platform::web::{Form, PageRequest, render};
use platform::{AppError, Chrome, Platform};
use serde::Deserialize;
use time::{Duration, OffsetDateTime};

use crate::journey::Journey;

/// Links one draft may have emailed in an hour, and one network address may ask for.
const LINKS_PER_DRAFT: Limit = Limit { kind: "come-back link for draft", limit: 3, window: Duration::hours(1) };
const LINKS_PER_ADDRESS: Limit = Limit { kind: "come-back link from address", limit: 10, window: Duration::hours(1) };

/// The journey's "come back later" page and the link it sends.
pub fn routes(journey: &'static Journey) -> Routes {
    Routes::new()
        .route(
            format!("{}/apply/{{draft}}/come-back-later", journey.base),
            Access::Public,
            get(move |page: PageRequest, path: Path<String>| show(journey, page, path)).post(
                move |page: PageRequest, viewer: Viewer, path: Path<String>, form: Form<LinkForm>| {
                    send(journey, page, viewer, path, form)
                },
            ),
        )
        .route(
            format!("{}/apply/{{draft}}/return/{{token}}", journey.base),
            Access::Public,
            get(move |platform: axum::extract::State<Platform>, path: Path<(String, String)>| follow(journey, platform, path)),
        )
}

/// Where a draft's "come back later" page is.
pub fn page(journey: &Journey, draft: &str) -> String {
    journey.page(draft, "come-back-later")
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LinkForm {
    email: String,
}

#[derive(Template)]
#[template(path = "journey/come_back.html")]
struct ComeBackPage {
    chrome: Chrome,
    caption: &'static str,
    back: String,
    action: String,
    email: String,
    errors: FormErrors,
    kept_until: String,
    sent_to: Option<String>,
}

impl ComeBackPage {
    fn email_input(&self) -> TextInput<'_> {
        TextInput::new("email", "Email address", &self.email, &self.errors)
            .input_type("email")
            .autocomplete("email")
            .no_spellcheck()
            .hint("We will only use it to send you this link.")
    }
}

async fn page_for(
    journey: &'static Journey,
    platform: &Platform,
    chrome: Chrome,
    draft: &str,
    (email, errors, sent_to): (String, FormErrors, Option<String>),
) -> Result<Response, AppError> {
    let kept_until =
        journey.drafts.kept_until(platform.pool(), draft).await?.map(platform::calendar::long_date).unwrap_or_default();
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = ComeBackPage {
        chrome: chrome.with_errors(!errors.is_empty()),
        caption: journey.caption,
        back: journey.page(draft, "check"),
        action: page(journey, draft),
        email,
        errors,
        kept_until,
        sent_to,
    };
    Ok((status, render(&page)?).into_response())
}

async fn show(
    journey: &'static Journey,
    PageRequest { platform, chrome }: PageRequest,
    Path(draft): Path<String>,
) -> Result<Response, AppError> {
    if let Err(elsewhere) = journey.open::<serde_json::Value>(&platform, &draft).await? {
        return Ok(elsewhere);
    }
    page_for(journey, &platform, chrome, &draft, (String::new(), FormErrors::new(), None)).await
}

struct LinkWords<'a> {
    service: &'a str,
    office: &'a str,
    link: &'a str,
    kept_until: &'a str,
}

#[derive(Template)]
#[template(path = "email/come_back.txt")]
struct LinkText<'a> {
    words: &'a LinkWords<'a>,
}

#[derive(Template)]
#[template(path = "email/come_back.html")]
struct LinkHtml<'a> {
    words: &'a LinkWords<'a>,
}

async fn send(
    journey: &'static Journey,
    PageRequest { platform, chrome }: PageRequest,
    viewer: Viewer,
    Path(draft): Path<String>,
    Form(form): Form<LinkForm>,
) -> Result<Response, AppError> {
    if let Err(elsewhere) = journey.open::<serde_json::Value>(&platform, &draft).await? {
        return Ok(elsewhere);
    }
    let email = form.email.trim().to_string();
    let mut errors = FormErrors::new();
    if !platform::contact::is_email(&email) {
        errors.add("email", "Enter an email address in the correct format, like name@example.com");
        return page_for(journey, &platform, chrome, &draft, (email, errors, None)).await;
    }
    let now = OffsetDateTime::now_utc();
    let allowed = throttle::take(platform.pool(), LINKS_PER_DRAFT, &draft, 1, now).await?.is_some()
        && throttle::take(platform.pool(), LINKS_PER_ADDRESS, viewer.address(), 1, now).await?.is_some();
    if !allowed {
        errors.add("email", "We have sent several links already. Wait an hour, or use the link in the last email");
        let page = page_for(journey, &platform, chrome, &draft, (email, errors, None)).await?;
        return Ok((StatusCode::TOO_MANY_REQUESTS, page).into_response());
    }
    let token = journey.drafts.issue_link(platform.pool(), &draft, now).await?;
    let link = format!("{}{}/apply/{draft}/return/{token}", platform.settings().public_url.trim_end_matches('/'), journey.base);
    let office = platform.office().await?.name;
    let kept_until =
        journey.drafts.kept_until(platform.pool(), &draft).await?.map(platform::calendar::long_date).unwrap_or_default();
    let words = LinkWords { service: journey.caption, office: &office, link: &link, kept_until: &kept_until };
    let (text, html) = (LinkText { words: &words }.render()?, LinkHtml { words: &words }.render()?);
    let message =
        Email { to: email.clone(), subject: format!("Your {} form: a link to come back to it", journey.caption), text, html };
    let mut tx = platform::db::begin_write(platform.pool()).await?;
    mail::enqueue(&mut tx, platform.settings(), &message).await?;
    tx.commit().await?;
    page_for(journey, &platform, chrome, &draft, (String::new(), FormErrors::new(), Some(email))).await
}

async fn follow(
    journey: &'static Journey,
    axum::extract::State(platform): axum::extract::State<Platform>,
    Path((draft, token)): Path<(String, String)>,
) -> Result<Response, AppError> {
    if !platform::ids::is_well_formed(&draft)
        || !journey.drafts.follow_link(platform.pool(), &draft, &token, OffsetDateTime::now_utc()).await?
    {
        return Err(AppError::NotFound);
    }
    // The check page sends the person on to the first question still to answer.
    Ok(Redirect::to(&journey.page(&draft, "check")).into_response())
}
