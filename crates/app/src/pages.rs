//! The office-wide public pages: home, the statements every public sector site must publish,
//! and the staff entrance.

use askama::Template;
use axum::response::Response;
use axum::routing::get;
use platform::access::{Access, Routes};
use platform::web::render;
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
page!(PrivacyPage, "pages/privacy.html");
page!(CookiesPage, "pages/cookies.html");

async fn home(chrome: Chrome) -> Result<Response, AppError> {
    render(&HomePage { chrome })
}

async fn accessibility(chrome: Chrome) -> Result<Response, AppError> {
    render(&AccessibilityPage { chrome })
}

async fn privacy(chrome: Chrome) -> Result<Response, AppError> {
    render(&PrivacyPage { chrome })
}

async fn cookies(chrome: Chrome) -> Result<Response, AppError> {
    render(&CookiesPage { chrome })
}
