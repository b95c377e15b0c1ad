//! Information requests: Freedom of Information (FOI), Environmental Information Regulations
//! (EIR) and subject access (SAR) requests, and the public disclosure log.
//!
//! - clock.rs: the statutory clocks with their pauses and extensions (pure).
//! - hidden.rs: the hidden-data checks run on a document before it is released (pure).
//! - search.rs, disclosure.rs: the log's portable word index, publishing and searching.
//! - answers.rs, journey.rs: the public request journey, with published answers suggested
//!   before a request is sent.
//! - store.rs, staff.rs: requests in the database and the officers' handling of them.
//! - release.rs: documents released with a response, checked for hidden data, withdrawable.
//! - log.rs: the public disclosure log, its feed and downloads, and the compliance rate.

pub mod answers;
pub mod clock;
pub mod demo;
pub mod disclosure;
pub mod hidden;
pub mod journey;
pub mod log;
pub mod release;
pub mod search;
pub mod staff;
pub mod store;
pub mod tracker;

use platform::access::Routes;

pub fn routes() -> Routes {
    journey::routes().merge(log::routes()).merge(staff::routes())
}
