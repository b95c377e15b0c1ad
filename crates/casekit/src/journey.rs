//! The skeleton every public journey shares: a draft started from the start page, opened by its
//! id on each page (a submitted one sends the person to its confirmation, an id that is not one
//! is "not found"), and each page's address under the journey's own.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use platform::files::StoredFile;
use platform::web::forms::{FileUpload, FormErrors};
use platform::{AppError, Chrome, Platform};
use serde::Serialize;
use serde::de::DeserializeOwned;
use time::{Date, OffsetDateTime};

use crate::drafts::{Draft, Drafts};

/// A journey's pages in the order they are asked, each with its address segment. Declared with
/// [`journey_pages!`](crate::journey_pages), which writes the list once.
pub trait Pages: Copy + PartialEq + Sized + 'static {
    const ORDER: &'static [Self];
    fn slug(self) -> &'static str;

    fn from_slug(slug: &str) -> Option<Self> {
        Self::ORDER.iter().copied().find(|q| q.slug() == slug)
    }
}

/// Declares a journey's pages: the enum, in order, with each page's address segment.
///
/// ```
/// casekit::journey_pages! {
///     /// The pages of a small journey.
///     pub enum Step { Name = "name", Check = "check" }
/// }
/// use casekit::journey::Pages;
/// assert_eq!(Step::from_slug("check"), Some(Step::Check));
/// assert_eq!(Step::ORDER, &[Step::Name, Step::Check]);
/// ```
#[macro_export]
macro_rules! journey_pages {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($variant:ident = $slug:literal),+ $(,)? }) => {
        $crate::platform::slugged! {
            $(#[$meta])*
            $vis enum $name { $($variant = $slug),+ }
        }

        impl $crate::journey::Pages for $name {
            const ORDER: &'static [$name] = &$name::ALL;
            fn slug(self) -> &'static str {
                $name::slug(self)
            }
        }
    };
}

/// A journey's questions, one page each, in order with the check page last. Each says whether it
/// is asked (some depend on earlier answers or on the day; by default every page is) and whether
/// it is answered; the next and previous pages and the first still to answer follow from that.
pub trait Questions: Pages {
    type Answers;
    /// The check-your-answers page, last of all.
    const CHECK: Self;
    fn applies(self, _answers: &Self::Answers, _today: Date) -> bool {
        true
    }
    fn is_answered(self, answers: &Self::Answers) -> bool;

    /// The page after this one.
    fn next(self, answers: &Self::Answers, today: Date) -> Self {
        let mut after = Self::ORDER.iter().copied().skip_while(|q| *q != self).skip(1);
        after.find(|q| q.applies(answers, today)).unwrap_or(Self::CHECK)
    }
    /// The page before this one, for the back link.
    fn previous(self, answers: &Self::Answers, today: Date) -> Option<Self> {
        Self::ORDER.iter().copied().take_while(|q| *q != self).filter(|q| q.applies(answers, today)).last()
    }
    /// Where a returning applicant is sent, and the check page's guard against a typed address
    /// skipping questions.
    fn first_unanswered(answers: &Self::Answers, today: Date) -> Self {
        Self::ORDER.iter().copied().find(|q| q.applies(answers, today) && !q.is_answered(answers)).unwrap_or(Self::CHECK)
    }
}

/// A public journey: where its pages live (`{base}/apply/{draft}/{page}`) and its drafts.
#[derive(Debug, Clone, Copy)]
pub struct Journey {
    /// The service's public address, e.g. "/asb-case-review".
    pub base: &'static str,
    pub drafts: Drafts,
    /// The service's name as the caption above a page's heading, e.g. "Police complaint review".
    pub caption: &'static str,
    /// The service's name after the page's own in the browser title, e.g. "police complaint review".
    pub in_title: &'static str,
}

/// What heads a page of a journey: the browser title, the caption and heading, the back link and
/// where the page's form posts. The journey layouts (`journey/check.html`) read it as `page`.
#[derive(Debug, Clone)]
pub struct Heading {
    pub title: String,
    pub caption: &'static str,
    pub heading: &'static str,
    pub back: String,
    pub action: String,
    /// The draft's "save and come back later" page (casekit::come_back).
    pub come_back: String,
}

impl Journey {
    /// A page of a draft's journey.
    pub fn page(&self, draft: &str, page: &str) -> String {
        format!("{}/apply/{draft}/{page}", self.base)
    }

    /// A question page's heading (the check page's too): its title names the service, its back
    /// link goes to the question asked before it, and its form posts to the page itself.
    pub fn heading<Q: Questions>(
        &self,
        draft: &str,
        question: Q,
        answers: &Q::Answers,
        today: Date,
        heading: &'static str,
    ) -> Heading {
        Heading {
            title: format!("{heading} – {}", self.in_title),
            caption: self.caption,
            heading,
            back: self.back(draft, question, answers, today, false),
            action: self.page(draft, question.slug()),
            come_back: crate::come_back::page(self, draft),
        }
    }

    /// The confirmation page of a submitted draft.
    pub fn sent(&self, draft: &str) -> String {
        self.page(draft, "sent")
    }

    /// Where a question's back link goes: the check page when changing an answer, else the page
    /// before, else the start page.
    pub fn back<Q: Questions>(&self, draft: &str, question: Q, answers: &Q::Answers, today: Date, changing: bool) -> String {
        match (changing, question.previous(answers, today)) {
            (true, _) => self.page(draft, Q::CHECK.slug()),
            (false, Some(previous)) => self.page(draft, previous.slug()),
            (false, None) => self.base.to_string(),
        }
    }

    /// Where to send someone instead of showing `question`: on past a page not asked of them, or
    /// from the check page back to the first question still unanswered.
    pub fn instead_of<Q: Questions>(&self, draft: &str, question: Q, answers: &Q::Answers, today: Date) -> Option<Response> {
        let elsewhere = if !question.applies(answers, today) {
            Some(question.next(answers, today))
        } else if question == Q::CHECK {
            Some(Q::first_unanswered(answers, today)).filter(|q| *q != Q::CHECK)
        } else {
            None
        };
        elsewhere.map(|q| Redirect::to(&self.page(draft, q.slug())).into_response())
    }

    /// Where an answered question leads: back to what is still unanswered when changing an
    /// answer from the check page, else the next page.
    pub fn after<Q: Questions>(&self, draft: &str, question: Q, answers: &Q::Answers, today: Date, changing: bool) -> Response {
        let next = if changing { Q::first_unanswered(answers, today) } else { question.next(answers, today) };
        Redirect::to(&self.page(draft, next.slug())).into_response()
    }

    /// A confirmation page's draft and the reference it was sent as; a draft not sent yet sends
    /// the person on to its first unanswered question.
    pub async fn sent_draft<Q: Questions>(
        &self,
        platform: &Platform,
        draft_id: &str,
        today: Date,
    ) -> Result<Result<(Draft<Q::Answers>, String), Response>, AppError>
    where
        Q::Answers: DeserializeOwned + Default,
    {
        if !platform::ids::is_well_formed(draft_id) {
            return Err(AppError::NotFound);
        }
        let draft: Draft<Q::Answers> = self.drafts.load(platform.pool(), draft_id).await?.ok_or(AppError::NotFound)?;
        match draft.reference.clone() {
            Some(reference) => Ok(Ok((draft, reference))),
            None => {
                let next = Q::first_unanswered(&draft.answers, today);
                Ok(Err(Redirect::to(&self.page(draft_id, next.slug())).into_response()))
            }
        }
    }

    /// Starts a draft and sends the person to its first page.
    pub async fn begin<A: Serialize + Default>(&self, platform: &Platform, first_page: &str) -> Result<Response, AppError> {
        let draft = self.drafts.create::<A>(platform.pool(), OffsetDateTime::now_utc()).await?;
        Ok(Redirect::to(&self.page(&draft, first_page)).into_response())
    }

    /// The draft still being filled in; `Err` is where to send the person instead (a submitted
    /// draft's confirmation).
    pub async fn open<A: DeserializeOwned + Default>(
        &self,
        platform: &Platform,
        draft_id: &str,
    ) -> Result<Result<Draft<A>, Response>, AppError> {
        if !platform::ids::is_well_formed(draft_id) {
            return Err(AppError::NotFound);
        }
        let draft: Draft<A> = self.drafts.load(platform.pool(), draft_id).await?.ok_or(AppError::NotFound)?;
        if draft.reference.is_some() {
            return Ok(Err(Redirect::to(&self.sent(draft_id)).into_response()));
        }
        Ok(Ok(draft))
    }
}

/// What a journey's files page says: its service, heading and the upload's words.
#[derive(Debug, Clone, Copy)]
pub struct FilesWords {
    /// The service, as the caption and the page title say it.
    pub caption: &'static str,
    pub service: &'static str,
    pub heading: &'static str,
    pub intro: &'static str,
    /// The file input's name, and the field its errors are shown against.
    pub field: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
    /// A hint to the browser's file picker; the server checks content, not this.
    pub accept: Option<&'static str>,
}

/// A journey's page for adding files to a draft: the files so far, each with a Remove button
/// posting to `{action}/{file}/remove`, an upload while there is room, and Continue.
#[derive(Template)]
#[template(path = "journey/files.html")]
pub struct FilesPage {
    pub chrome: Chrome,
    pub words: &'static FilesWords,
    pub files: Vec<StoredFile>,
    pub errors: FormErrors,
    pub back: String,
    pub action: String,
    pub continue_action: String,
    pub max: usize,
    /// Whether the journey cannot go on without a file (the heading says "optional" otherwise).
    pub required: bool,
    pub inset: Option<&'static str>,
}

impl FilesPage {
    fn upload(&self) -> FileUpload<'_> {
        let upload = FileUpload::new(self.words.field, self.words.label, &self.errors).multiple().hint(self.words.hint);
        match self.words.accept {
            Some(accept) => upload.accept(accept),
            None => upload,
        }
    }
    fn remove_action(&self, file: &StoredFile) -> String {
        format!("{}/{}/remove", self.action, file.id)
    }
    fn room_left(&self) -> usize {
        self.max.saturating_sub(self.files.len())
    }

    /// The page, with 422 when it shows errors.
    pub fn respond(self) -> Result<Response, AppError> {
        let status = if self.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
        let has_errors = !self.errors.is_empty();
        let page = FilesPage { chrome: self.chrome.with_errors(has_errors), ..self };
        Ok((status, platform::web::render(&page)?).into_response())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    crate::journey_pages! {
        /// A toy journey: a name, a reason asked only of those who are late, then the check page.
        enum Toy {
            Name = "name",
            Late = "late",
            Check = "check",
        }
    }

    #[derive(Default)]
    struct Answers {
        name: String,
        due: Option<Date>,
        reason: String,
    }

    impl Questions for Toy {
        type Answers = Answers;
        const CHECK: Toy = Toy::Check;
        fn applies(self, answers: &Answers, today: Date) -> bool {
            self != Toy::Late || answers.due.is_some_and(|due| today > due)
        }
        fn is_answered(self, answers: &Answers) -> bool {
            match self {
                Toy::Name => !answers.name.is_empty(),
                Toy::Late => !answers.reason.is_empty(),
                Toy::Check => false,
            }
        }
    }

    const ON_TIME: Date = date!(2026 - 12 - 01);
    const LATE: Date = date!(2026 - 12 - 09);

    fn answers(name: &str) -> Answers {
        Answers { name: name.into(), due: Some(date!(2026 - 12 - 06)), reason: String::new() }
    }

    #[test]
    fn the_order_skips_what_is_not_asked_that_day() {
        let a = answers("Sam");
        let cases = [(ON_TIME, Toy::Check, None, Toy::Check), (LATE, Toy::Late, Some(Toy::Late), Toy::Late)];
        for (today, next, before_check, first) in cases {
            assert_eq!(Toy::Name.next(&a, today), next, "{today}");
            assert_eq!(Toy::Check.previous(&a, today).filter(|q| *q != Toy::Name), before_check, "{today}");
            assert_eq!(Toy::first_unanswered(&a, today), first, "{today}");
        }
        assert_eq!(Toy::from_slug("late"), Some(Toy::Late));
        assert_eq!(Toy::from_slug("nothing"), None);
    }

    #[test]
    fn pages_not_asked_and_a_check_page_too_soon_send_the_person_on() {
        let journey = Journey {
            base: "/toy",
            drafts: crate::drafts::Drafts { table: "t", cases: "c", case_column: "k", files: "f" },
            caption: "Toy",
            in_title: "toy",
        };
        let location = |response: Option<Response>| {
            response.map(|r| r.headers().get("location").and_then(|l| l.to_str().ok()).unwrap_or_default().to_string())
        };
        let a = answers("Sam");
        assert_eq!(location(journey.instead_of("d", Toy::Late, &a, ON_TIME)), Some("/toy/apply/d/check".into()));
        assert_eq!(location(journey.instead_of("d", Toy::Check, &a, LATE)), Some("/toy/apply/d/late".into()));
        assert_eq!(location(journey.instead_of("d", Toy::Check, &a, ON_TIME)), None, "everything answered");
        assert_eq!(location(journey.instead_of("d", Toy::Name, &answers(""), ON_TIME)), None);
        assert_eq!(journey.back("d", Toy::Name, &a, ON_TIME, false), "/toy");
        assert_eq!(journey.back("d", Toy::Late, &a, LATE, true), "/toy/apply/d/check");
        let after = journey.after("d", Toy::Name, &answers("Sam"), LATE, true);
        assert_eq!(location(Some(after)), Some("/toy/apply/d/late".into()), "a change goes on to what is still unanswered");
    }
}
