//! The skeleton every public journey shares: a draft started from the start page, opened by its
//! id on each page (a submitted one sends the person to its confirmation, an id that is not one
//! is "not found"), and each page's address under the journey's own.

use axum::response::{IntoResponse, Redirect, Response};
use platform::{AppError, Platform};
use serde::Serialize;
use serde::de::DeserializeOwned;
use time::OffsetDateTime;

use crate::drafts::{Draft, Drafts};

/// A public journey: where its pages live (`{base}/apply/{draft}/{page}`) and its drafts.
#[derive(Debug, Clone, Copy)]
pub struct Journey {
    /// The service's public address, e.g. "/asb-case-review".
    pub base: &'static str,
    pub drafts: Drafts,
}

impl Journey {
    /// A page of a draft's journey.
    pub fn page(&self, draft: &str, page: &str) -> String {
        format!("{}/apply/{draft}/{page}", self.base)
    }

    /// The confirmation page of a submitted draft.
    pub fn sent(&self, draft: &str) -> String {
        self.page(draft, "sent")
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
