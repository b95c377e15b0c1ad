//! Commissioner's service tests: the real server on a random port, over real HTTP, against
//! SQLite or PostgreSQL as `TEST_DATABASE` says (scripts/test runs the suite once for each).

mod support;

mod access_matrix;
mod accounts;
mod asb;
mod asb_agencies;
mod assets_and_headers;
mod audit;
mod backup;
mod binary;
mod calendar;
mod complaints;
mod contact;
mod crimedata;
mod crimedata_national;
mod crimedata_truth;
mod database;
mod information;
mod kept;
mod kit;
mod mail;
mod office;
mod organisations;
mod outage;
mod pages;
mod panel;
mod performance;
mod plans;
mod races;
mod robustness;
mod sign_in;
mod transparency;
mod trust;
mod uploads;
