//! What every page's handler starts from: the layout's chrome (the office, the navigation,
//! where we are, the member of staff signed in) and the extractors that bundle it with the
//! platform.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use super::{AppError, NavItem, Platform, assets};
use crate::access::{Decision, ViewerKind, decide};
use crate::auth::Viewer;
use crate::office::Office;

/// The signed-in person, for the header and for the CSRF token every staff form carries.
#[derive(Debug, Clone)]
pub struct StaffBar {
    pub name: String,
    pub role: String,
    pub csrf_token: String,
    pub signed_in: bool,
    /// Minutes without a request before the session ends, for the warning before it does.
    pub idle_minutes: i64,
}

/// What the layout needs on every page: the office, the navigation and where we are.
#[derive(Debug, Clone)]
pub struct Chrome {
    pub office: Office,
    pub phase: String,
    pub navigation: Arc<Vec<NavItem>>,
    pub path: String,
    /// Set when the page shows form errors, so the title starts "Error:".
    pub has_errors: bool,
    pub staff: Option<StaffBar>,
    pub(crate) viewer: ViewerKind,
    /// A partner's kind of organisation, for the links that are theirs.
    pub(crate) partner_of: Option<crate::organisations::Kind>,
    /// What the step just taken did, shown as a success banner (a status message, WCAG 4.1.3).
    pub done: Option<&'static str>,
}

impl Chrome {
    pub(crate) fn without_database(platform: &Platform, path: &str) -> Self {
        Self {
            office: platform.last_known_office(),
            phase: platform.settings().phase.clone(),
            navigation: platform.inner.navigation.clone(),
            path: path.to_string(),
            has_errors: false,
            staff: None,
            viewer: ViewerKind::Public,
            partner_of: None,
            done: None,
        }
    }
    /// The page says what the step just taken did.
    pub fn saying(mut self, done: Option<&'static str>) -> Self {
        self.done = done;
        self
    }
    /// The navigation links this viewer may follow, and, for a partner, those meant for their
    /// kind of organisation.
    pub fn visible_navigation(&self) -> impl Iterator<Item = &NavItem> {
        let is_partner = matches!(self.viewer, ViewerKind::Staff(crate::access::Role::Partner));
        self.navigation.iter().filter(move |item| {
            decide(item.access, self.viewer) == Decision::Allow
                && (!is_partner || item.partners.is_none_or(|kinds| self.partner_of.is_some_and(|k| kinds.contains(&k))))
        })
    }
    /// Whether the page is one of the signed-in staff's own (not the public site they may also
    /// visit while signed in).
    pub fn on_staff_pages(&self) -> bool {
        self.path.starts_with("/staff") && self.staff.as_ref().is_some_and(|s| s.signed_in)
    }
    /// The navigation of the part of the site the page is in: the staff's links on staff pages,
    /// the public site's elsewhere; the staff bar links from one to the other.
    pub fn navigation_here(&self) -> impl Iterator<Item = &NavItem> {
        let staff_pages = self.on_staff_pages();
        self.visible_navigation().filter(move |item| (item.access == crate::access::Access::Public) != staff_pages)
    }
    /// The CSRF token for a form on this page (empty for the public, whose forms need none).
    pub fn csrf_token(&self) -> &str {
        self.staff.as_ref().map(|s| s.csrf_token.as_str()).unwrap_or("")
    }
    pub fn with_errors(mut self, has_errors: bool) -> Self {
        self.has_errors = has_errors;
        self
    }
    pub fn asset(&self, path: &str) -> String {
        assets::ASSETS.url(path)
    }
    pub fn body_class_script(&self) -> &'static str {
        assets::BODY_CLASS_SCRIPT
    }
    pub fn phase_label(&self) -> String {
        let mut label = self.phase.clone();
        if let Some(first) = label.get_mut(..1) {
            first.make_ascii_uppercase();
        }
        label
    }
    /// Whether a navigation link is the current section: exact for home, by prefix otherwise.
    pub fn is_current(&self, href: &str) -> bool {
        if href == "/" { self.path == "/" } else { self.path == href || self.path.starts_with(&format!("{href}/")) }
    }
}

impl FromRequestParts<Platform> for Chrome {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, platform: &Platform) -> Result<Self, Self::Rejection> {
        let mut chrome = Chrome::without_database(platform, parts.uri.path());
        chrome.office = platform.office().await?;
        if let Some(viewer) = parts.extensions.get::<Viewer>() {
            chrome.viewer = viewer.kind();
            if let Some(session) = viewer.session() {
                chrome.staff = Some(StaffBar {
                    name: session.user.display_name.clone(),
                    role: session.user.role.name().to_string(),
                    csrf_token: session.csrf_token.clone(),
                    signed_in: matches!(viewer.kind(), ViewerKind::Staff(_)),
                    idle_minutes: platform.settings().session_idle_minutes,
                });
                if let (crate::access::Role::Partner, Some(id)) = (session.user.role, &session.user.organisation_id) {
                    chrome.partner_of = crate::organisations::find(platform.pool(), id).await?.map(|o| o.kind);
                }
            }
        }
        Ok(chrome)
    }
}

/// What any page's handler starts from: the platform and the page's chrome.
#[derive(Clone)]
pub struct PageRequest {
    pub platform: Platform,
    pub chrome: Chrome,
}

impl FromRequestParts<Platform> for PageRequest {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, platform: &Platform) -> Result<Self, Self::Rejection> {
        Ok(Self { platform: platform.clone(), chrome: Chrome::from_request_parts(parts, platform).await? })
    }
}

/// What a staff page's handler starts from: the platform, the page's chrome and the member of
/// staff signed in. One extractor, so handlers do not each list the same three.
#[derive(Clone)]
pub struct StaffPage {
    pub platform: Platform,
    pub chrome: Chrome,
    pub staff: crate::auth::CurrentStaff,
}

impl FromRequestParts<Platform> for StaffPage {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, platform: &Platform) -> Result<Self, Self::Rejection> {
        let chrome = Chrome::from_request_parts(parts, platform).await?;
        let staff = crate::auth::CurrentStaff::from_request_parts(parts, platform).await?;
        Ok(Self { platform: platform.clone(), chrome, staff })
    }
}
