//! The office-wide public pages: home, the statements every public sector site must publish,
//! and the staff entrance.

use askama::Template;
use axum::response::Response;
use axum::routing::get;
use platform::access::{Access, Routes};
use platform::web::{PageRequest, render};
use platform::{AppError, Chrome};

/// The office-wide pages as a capability.
pub struct Pages;

impl platform::capability::Capability for Pages {
    fn name(&self) -> &'static str {
        "pages"
    }
    fn routes(&self) -> Routes {
        routes()
    }
    fn navigation(&self) -> Vec<platform::web::NavItem> {
        vec![platform::web::NavItem::new("/", "Home")]
    }
}

pub fn routes() -> Routes {
    Routes::new()
        .route("/", Access::Public, get(home))
        .route("/accessibility", Access::Public, get(accessibility))
        .route("/privacy", Access::Public, get(privacy))
        .route("/cookies", Access::Public, get(cookies))
}

macro_rules! page {
    ($name:ident, $path:literal) => {
        #[derive(Template)]
        #[template(path = $path)]
        struct $name {
            chrome: Chrome,
        }
    };
}

page!(HomePage, "pages/home.html");
page!(AccessibilityPage, "pages/accessibility.html");
/// The privacy notice: the office as controller, then what each registered service holds, why,
/// with whom it is shared and how long it is kept (the office's retention settings).
#[derive(Template)]
#[template(path = "pages/privacy.html")]
struct PrivacyPage {
    chrome: Chrome,
    services: Vec<ServicePrivacy>,
}

struct ServicePrivacy {
    name: &'static str,
    words: casekit::registry::PrivacyWords,
    years: i64,
    from: &'static str,
}
page!(CookiesPage, "pages/cookies.html");

async fn home(chrome: Chrome) -> Result<Response, AppError> {
    render(&HomePage { chrome })
}

async fn accessibility(chrome: Chrome) -> Result<Response, AppError> {
    render(&AccessibilityPage { chrome })
}

async fn privacy(PageRequest { platform, chrome }: PageRequest) -> Result<Response, AppError> {
    let mut services = Vec::new();
    for service in crate::services().iter() {
        let years = casekit::retention::years(platform.pool(), service).await?;
        let about = service.about();
        services.push(ServicePrivacy { name: about.name, words: about.privacy, years, from: about.retention.from });
    }
    render(&PrivacyPage { chrome, services })
}

async fn cookies(chrome: Chrome) -> Result<Response, AppError> {
    render(&CookiesPage { chrome })
}
