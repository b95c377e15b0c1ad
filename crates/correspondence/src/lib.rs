//! Correspondence: what members of the public send to the Commissioner's office.
//!
//! The contact form lives here. Casework capabilities will later turn a message into a case
//! (an ASB Case Review application, an information request); until then the office reads them.

pub mod contact;
pub mod feedback;

use sqlx::migrate::Migrator;

pub static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

use platform::access::{Role, Routes};

/// Who may read messages from the public: they hold personal data.
pub const READERS: &[Role] = &[Role::Administrator, Role::Caseworker];

pub fn routes() -> Routes {
    contact::routes().merge(contact::staff::routes()).merge(feedback::routes())
}

/// Correspondence as the application composes it.
pub struct Correspondence;

impl platform::capability::Capability for Correspondence {
    fn name(&self) -> &'static str {
        "correspondence"
    }
    fn migrator(&self) -> Option<&'static Migrator> {
        Some(&MIGRATOR)
    }
    fn routes(&self) -> Routes {
        routes()
    }
    fn navigation(&self) -> Vec<platform::web::NavItem> {
        use platform::web::NavItem;
        vec![
            NavItem::new("/contact", "Contact us"),
            NavItem::for_staff("/staff/messages", "Messages from the public", platform::access::Access::Roles(READERS)),
        ]
    }
}
