//! The office-wide public pages: home, the statements every public sector site must publish,
//! and the staff entrance.

use askama::Template;
use axum::Router;
use axum::response::Response;
use axum::routing::get;
use platform::web::render;
use platform::{AppError, Chrome, Platform};

pub fn routes() -> Router<Platform> {
    Router::new()
        .route("/", get(home))
        .route("/accessibility", get(accessibility))
        .route("/privacy", get(privacy))
        .route("/cookies", get(cookies))
        .route("/staff", get(staff))
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
page!(StaffPage, "pages/staff.html");

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

async fn staff(chrome: Chrome) -> Result<Response, AppError> {
    render(&StaffPage { chrome })
}
