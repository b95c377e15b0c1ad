//! Information requests: Freedom of Information (FOI), Environmental Information Regulations
//! (EIR) and subject access (SAR) requests, and the public disclosure log.
//!
//! - clock.rs: the statutory clocks with their pauses and extensions (pure).
//! - hidden.rs: the hidden-data checks run on a document before it is released (pure).
//! - search.rs, disclosure.rs: the log's portable word index, publishing and searching.
//! - answers.rs, journey.rs: the public request journey, with published answers suggested
//!   before a request is sent.
//! - store.rs, staff.rs: requests in the database and the officers' handling of them.
//! - subject_access.rs: the subject access request journey, with proof of identity.
//! - release.rs: documents released with a response, checked for hidden data, withdrawable.
//! - log.rs: the public disclosure log, its feed and downloads, and the compliance rate.
//! - appeals.rs: internal reviews and complaints to the ICO, linked to the request.
//! - statistics.rs: the office's statistics per quarter, with CSV.
//! - letters.rs: the acknowledgement, the response letter and the response templates.

pub mod answers;
pub mod appeals;
pub mod clock;
pub mod demo;
pub mod disclosure;
pub mod hidden;
pub mod journey;
pub mod letters;
pub mod log;
pub mod policy;
pub mod release;
pub mod search;
pub mod service;
pub mod staff;
pub mod statistics;
pub mod store;
pub mod subject_access;
pub mod tracker;

use platform::access::Routes;

pub fn routes() -> Routes {
    journey::routes()
        .merge(log::routes())
        .merge(policy::routes())
        .merge(release::routes())
        .merge(staff::routes())
        .merge(statistics::routes())
        .merge(subject_access::routes())
}
