//! The kernel of Commissioner. It knows nothing about any capability: each capability crate
//! depends on it for configuration, the database, the working-day calendar, reference numbers
//! and the GOV.UK page kit.

pub mod access;
pub mod areas;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod calendar;
pub mod capability;
pub mod charts;
pub mod config;
pub mod contact;
pub mod db;
pub mod figures;
pub mod files;
pub mod format;
pub mod ics;
pub mod ids;
pub mod jobs;
pub mod mail;
pub mod office;
pub mod organisations;
pub mod periods;
pub mod postcode;
pub mod reference;
pub mod slugs;
pub mod spreadsheet;
pub mod telemetry;
pub mod throttle;
pub mod web;
pub mod words;

pub use web::{AppError, Chrome, Form, Platform};
