//! Police complaint reviews: the office as the relevant review body for complaints recorded under
//! Schedule 3 of the Police Reform Act 2002. This first part holds the rules (who reviews, and
//! the 28-day window); the journey, casework and published figures reuse the ASB Case Review's
//! machinery as they are built.

pub mod rules;
pub mod timescales;
