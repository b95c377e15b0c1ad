//! The Commissioner application: composes every capability around the platform, and holds the
//! command-line tools and the demo office.

pub mod cli;
pub mod demo;
pub mod pages;
pub mod server;

use platform::capability::{Capabilities, Capability};
use sqlx::migrate::Migrator;

/// The case services, registered with the case kit. A capability with case services of its own
/// adds its `register` here.
pub fn services() -> casekit::Services {
    casework::register(casekit::Services::new())
        .with(&correspondence::contact::service::ContactMessages)
        .with(&plans::personal::PlanSubscriptions)
        .with(&panel::personal::PanelQuestions)
        .with(&panel::personal::PanelComplaints)
        .with(&transparency::personal::FormatRequests)
}

/// Every capability of the product, in the order their links appear in the navigation. Adding a
/// capability is one line here; migrations, routes, navigation, jobs, daily tasks, housekeeping
/// and demo data all come from this list.
pub fn capabilities() -> Capabilities {
    let list: Vec<Box<dyn Capability>> = vec![
        Box::new(pages::Pages),
        Box::new(platform::capability::Kernel),
        Box::new(correspondence::Correspondence),
        Box::new(crimedata::CrimeData),
        Box::new(plans::Plans),
        Box::new(performance::Performance),
        Box::new(transparency::Transparency),
        Box::new(panel::Panel),
        Box::new(casework::Casework),
        Box::new(casekit::Kit(services())),
    ];
    Capabilities::new(list)
}

/// Every capability's migrations, run together in version order.
pub fn migrators() -> Vec<&'static Migrator> {
    capabilities().migrators()
}
