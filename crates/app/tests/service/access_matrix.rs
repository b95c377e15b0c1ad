//! Every route × every kind of viewer (signed out, and each of the ten roles), allow or deny.
//! The expected table is written out here by hand: a route added without a row fails the build.

use std::collections::BTreeSet;

use platform::access::Role;

use crate::support::TestApp;

const EVERYONE: &[&str] = &[
    "signed-out",
    "administrator",
    "caseworker",
    "transparency-officer",
    "performance-officer",
    "grants-officer",
    "offender-management-practitioner",
    "victims-services-practitioner",
    "panel-member",
    "panel-officer",
    "partner",
];
/// Everyone but the signed-out visitor, who comes first in `EVERYONE`.
const ALL_STAFF: &[&str] = EVERYONE.split_at(1).1;
const MESSAGE_READERS: &[&str] = &["administrator", "caseworker"];
const ADMINISTRATORS: &[&str] = &["administrator"];
/// The office's caseworkers, and partners from review bodies (who see only their own cases).
const CASE_READERS: &[&str] = &["administrator", "caseworker", "partner"];
const OFFICE: &[&str] = &["administrator", "caseworker"];
/// Plans are managed by performance officers; Panel members read drafts shared with them.
const PLAN_MANAGERS: &[&str] = &["administrator", "performance-officer"];
const PLAN_READERS: &[&str] = &["administrator", "performance-officer", "panel-member"];
/// Performance is managed by performance officers; the force's and fire service's partners make
/// returns and update inspection findings.
const PERFORMANCE_MANAGERS: &[&str] = &["administrator", "performance-officer"];
const RETURN_READERS: &[&str] = &["administrator", "performance-officer", "partner"];
const RETURN_MAKERS: &[&str] = &["partner"];
/// The Panel's business is run by its support officer; its members read it, Part 2 included.
const PANEL_OFFICERS: &[&str] = &["administrator", "panel-officer"];
const PANEL: &[&str] = &["administrator", "panel-member", "panel-officer"];
/// The annual report is written by the office (as plans are) and read in draft by the Panel.
const ANNUAL_REPORT_READERS: &[&str] = &["administrator", "performance-officer", "panel-member", "panel-officer"];
/// Information requests are handled by the transparency officers.
const INFORMATION_HANDLERS: &[&str] = &["administrator", "transparency-officer"];
/// What is published is managed by the transparency officers.
const TRANSPARENCY: &[&str] = &["administrator", "transparency-officer"];

/// (route as declared, method to try, who is let in)
const EXPECTED: &[(&str, &str, &[&str])] = &[
    ("/", "GET", EVERYONE),
    ("/accessibility", "GET", EVERYONE),
    ("/privacy", "GET", EVERYONE),
    ("/cookies", "GET", EVERYONE),
    ("/contact", "GET", EVERYONE),
    ("/agency-request/{token}", "GET", EVERYONE),
    ("/agency-request/{token}", "POST", EVERYONE),
    ("/feedback", "GET", EVERYONE),
    ("/contact/sent/{submission_key}", "GET", EVERYONE),
    ("/healthz", "GET", EVERYONE),
    ("/metrics", "GET", EVERYONE),
    ("/assets/{version}/{*path}", "GET", EVERYONE),
    ("/staff/sign-in", "GET", EVERYONE),
    ("/staff", "GET", ALL_STAFF),
    ("/staff/keep-alive", "GET", ALL_STAFF),
    ("/staff/search", "GET", ALL_STAFF),
    ("/staff/kept-form", "GET", ALL_STAFF),
    ("/staff/kept-form/discard", "POST", ALL_STAFF),
    ("/staff/two-factor", "GET", ALL_STAFF),
    ("/staff/sign-out", "POST", ALL_STAFF),
    ("/staff/messages", "GET", MESSAGE_READERS),
    ("/staff/messages/{reference}", "GET", MESSAGE_READERS),
    ("/staff/messages/{reference}/files/{file_id}", "GET", MESSAGE_READERS),
    ("/staff/messages/{reference}/actions/{action}", "POST", MESSAGE_READERS),
    ("/staff/messages/{reference}/notes", "GET", MESSAGE_READERS),
    ("/staff/messages/{reference}/letters/{letter_id}", "GET", MESSAGE_READERS),
    ("/staff/messages/{reference}/letters/{letter_id}/pdf", "GET", MESSAGE_READERS),
    ("/staff/feedback", "GET", MESSAGE_READERS),
    ("/staff/admin/users", "GET", ADMINISTRATORS),
    ("/staff/admin/users/{id}", "GET", ADMINISTRATORS),
    ("/staff/admin/users/{id}/password-link", "POST", ADMINISTRATORS),
    ("/staff/admin/users/{id}/hand-over", "POST", ADMINISTRATORS),
    ("/staff/admin/users/{id}/disable", "POST", ADMINISTRATORS),
    ("/staff/admin/users/{id}/enable", "POST", ADMINISTRATORS),
    ("/staff/admin/users/{id}/reset-two-factor", "POST", ADMINISTRATORS),
    ("/staff/admin/audit", "GET", ADMINISTRATORS),
    ("/staff/admin/audit.csv", "GET", ADMINISTRATORS),
    ("/staff/admin/jobs", "GET", ADMINISTRATORS),
    ("/staff/admin/jobs/{id}/retry", "POST", ADMINISTRATORS),
    ("/staff/admin/calendar", "GET", ADMINISTRATORS),
    ("/staff/admin/office", "GET", ADMINISTRATORS),
    ("/staff/admin/office", "POST", ADMINISTRATORS),
    ("/staff/admin/office/logo", "POST", ADMINISTRATORS),
    ("/staff/admin/organisations", "GET", ADMINISTRATORS),
    ("/staff/admin/organisations", "POST", ADMINISTRATORS),
    ("/staff/admin/organisations/{id}", "GET", ADMINISTRATORS),
    ("/staff/admin/organisations/{id}", "POST", ADMINISTRATORS),
    ("/staff/admin/organisations/{id}/contacts", "POST", ADMINISTRATORS),
    ("/staff/admin/organisations/{id}/contacts/{contact_id}/remove", "POST", ADMINISTRATORS),
    ("/staff/admin/retention", "GET", ADMINISTRATORS),
    ("/staff/admin/retention", "POST", ADMINISTRATORS),
    ("/staff/people", "GET", INFORMATION_HANDLERS),
    ("/staff/people/export.json", "GET", INFORMATION_HANDLERS),
    ("/staff/people/export.pdf", "GET", INFORMATION_HANDLERS),
    ("/staff/password-reset", "GET", EVERYONE),
    ("/staff/password-reset/{token}", "GET", EVERYONE),
    ("/plans", "GET", EVERYONE),
    ("/plans/{plan}", "GET", EVERYONE),
    ("/plans/{plan}/overview", "GET", EVERYONE),
    ("/plans/{plan}/changes", "GET", EVERYONE),
    ("/plans/{plan}/plan.csv", "GET", EVERYONE),
    ("/plans/{plan}/plan.json", "GET", EVERYONE),
    ("/plans/{plan}/actions/{reference}", "GET", EVERYONE),
    ("/plans/{plan}/quarters/{quarter}", "GET", EVERYONE),
    ("/plans/{plan}/quarters/{quarter}/snapshot.csv", "GET", EVERYONE),
    ("/plans/{plan}/quarters/{quarter}/snapshot.json", "GET", EVERYONE),
    ("/plans/{plan}/quarters/{quarter}/report", "GET", EVERYONE),
    ("/plans/{plan}/quarters/{quarter}/report.pdf", "GET", EVERYONE),
    ("/plans/{plan}/quarters/{quarter}/report-figures.csv", "GET", EVERYONE),
    ("/plans/{plan}/priorities/{position}/subscribe", "GET", EVERYONE),
    ("/plans/{plan}/priorities/{position}/subscribe", "POST", EVERYONE),
    ("/plans/subscriptions/confirm/{token}", "GET", EVERYONE),
    ("/plans/subscriptions/unsubscribe/{token}", "GET", EVERYONE),
    ("/plans/subscriptions/unsubscribe/{token}", "POST", EVERYONE),
    ("/panel", "GET", EVERYONE),
    ("/panel/meetings.ics", "GET", EVERYONE),
    ("/panel/meetings/{meeting}", "GET", EVERYONE),
    ("/panel/papers/{paper}", "GET", EVERYONE),
    ("/panel/questions/ask", "GET", EVERYONE),
    ("/panel/questions/ask", "POST", EVERYONE),
    ("/panel/questions/sent/{reference}", "GET", EVERYONE),
    ("/panel/promised-responses", "GET", EVERYONE),
    ("/panel/precept", "GET", EVERYONE),
    ("/api/oparl/v1/system", "GET", EVERYONE),
    ("/api/oparl/v1/bodies", "GET", EVERYONE),
    ("/api/oparl/v1/body", "GET", EVERYONE),
    ("/api/oparl/v1/organizations", "GET", EVERYONE),
    ("/api/oparl/v1/persons", "GET", EVERYONE),
    ("/api/oparl/v1/meetings", "GET", EVERYONE),
    ("/api/oparl/v1/meetings/{meeting}", "GET", EVERYONE),
    ("/api/oparl/v1/papers", "GET", EVERYONE),
    ("/staff/panel", "GET", PANEL),
    ("/staff/panel/meetings", "POST", PANEL_OFFICERS),
    ("/staff/panel/members", "POST", PANEL_OFFICERS),
    ("/staff/panel/members/{member}/end", "POST", PANEL_OFFICERS),
    ("/staff/panel/source", "POST", PANEL_OFFICERS),
    ("/staff/panel/import", "POST", PANEL_OFFICERS),
    ("/staff/panel/meetings/{meeting}", "GET", PANEL),
    ("/staff/panel/meetings/{meeting}/items", "POST", PANEL_OFFICERS),
    ("/staff/panel/meetings/{meeting}/papers", "POST", PANEL_OFFICERS),
    ("/staff/panel/meetings/{meeting}/generate", "POST", PANEL_OFFICERS),
    ("/staff/panel/meetings/{meeting}/record", "POST", PANEL_OFFICERS),
    ("/staff/panel/papers/{paper}", "GET", PANEL),
    ("/staff/panel/papers/{paper}/withdraw", "POST", PANEL_OFFICERS),
    ("/staff/panel/meetings/{meeting}/questions", "POST", PANEL_OFFICERS),
    ("/staff/panel/questions/{question}", "POST", PANEL_OFFICERS),
    ("/staff/panel/precept", "GET", PANEL),
    ("/staff/panel/precept/rounds", "POST", PANEL_OFFICERS),
    ("/staff/panel/precept/rounds/{round}", "POST", PANEL_OFFICERS),
    ("/staff/panel/hearings", "POST", PANEL_OFFICERS),
    ("/staff/panel/hearings/{hearing}", "POST", PANEL_OFFICERS),
    ("/panel/recommendations", "GET", EVERYONE),
    ("/staff/panel/recommendations", "GET", PANEL),
    ("/staff/panel/recommendations/new", "POST", PANEL_OFFICERS),
    ("/staff/panel/recommendations/{recommendation}", "POST", PANEL_OFFICERS),
    ("/staff/panel/complaints", "GET", PANEL_OFFICERS),
    ("/staff/panel/complaints", "POST", PANEL_OFFICERS),
    ("/staff/panel/complaints/{complaint}", "POST", PANEL_OFFICERS),
    ("/panel/annual-reports", "GET", EVERYONE),
    ("/panel/annual-reports/{year}", "GET", EVERYONE),
    ("/panel/annual-reports/{year}/pdf", "GET", EVERYONE),
    ("/panel/annual-reports/{year}/csv", "GET", EVERYONE),
    ("/staff/annual-reports", "GET", ANNUAL_REPORT_READERS),
    ("/staff/annual-reports/new", "POST", PLAN_MANAGERS),
    ("/staff/annual-reports/{year}", "GET", ANNUAL_REPORT_READERS),
    ("/staff/annual-reports/{year}/text", "POST", PLAN_MANAGERS),
    ("/staff/annual-reports/{year}/publish", "POST", PLAN_MANAGERS),
    ("/staff/annual-reports/{year}/review", "POST", PANEL_OFFICERS),
    ("/panel/annual-reports/{year}/photos/{photo}", "GET", EVERYONE),
    ("/staff/annual-reports/{year}/photos", "POST", PLAN_MANAGERS),
    ("/staff/annual-reports/{year}/photos/{photo}", "GET", ANNUAL_REPORT_READERS),
    ("/staff/annual-reports/{year}/photos/{photo}/remove", "POST", PLAN_MANAGERS),
    ("/performance", "GET", EVERYONE),
    ("/performance/measures.csv", "GET", EVERYONE),
    ("/performance/measures.json", "GET", EVERYONE),
    ("/performance/catalogue", "GET", EVERYONE),
    ("/performance/priorities/{service}/{theme}", "GET", EVERYONE),
    ("/performance/measures/{key}", "GET", EVERYONE),
    ("/performance/measures/{key}/figures.csv", "GET", EVERYONE),
    ("/performance/measures/{key}/figures.json", "GET", EVERYONE),
    ("/performance/packs/{service}/{quarter}", "GET", EVERYONE),
    ("/performance/packs/{service}/{quarter}/pack.pdf", "GET", EVERYONE),
    ("/performance/packs/{service}/{quarter}/pack-figures.csv", "GET", EVERYONE),
    ("/performance/packs/{service}/{quarter}/snapshot.json", "GET", EVERYONE),
    ("/performance/inspections", "GET", EVERYONE),
    ("/staff/performance", "GET", PERFORMANCE_MANAGERS),
    ("/staff/performance/catalogues", "POST", PERFORMANCE_MANAGERS),
    ("/staff/performance/imports", "POST", PERFORMANCE_MANAGERS),
    ("/staff/performance/imports/{import}", "GET", PERFORMANCE_MANAGERS),
    ("/staff/performance/imports/{import}", "POST", PERFORMANCE_MANAGERS),
    ("/staff/performance/imports/{import}/discard", "POST", PERFORMANCE_MANAGERS),
    ("/staff/performance/police-uk", "POST", PERFORMANCE_MANAGERS),
    ("/staff/performance/residents", "POST", PERFORMANCE_MANAGERS),
    ("/staff/performance/groups/{service}", "GET", PERFORMANCE_MANAGERS),
    ("/staff/performance/groups/{service}", "POST", PERFORMANCE_MANAGERS),
    ("/staff/performance/measures/{key}", "GET", PERFORMANCE_MANAGERS),
    ("/staff/performance/measures/{key}", "POST", PERFORMANCE_MANAGERS),
    ("/staff/performance/returns", "GET", RETURN_READERS),
    ("/staff/performance/returns/{template}/{period}", "GET", RETURN_READERS),
    ("/staff/performance/returns/{template}/{period}/figures", "POST", RETURN_MAKERS),
    ("/staff/performance/returns/{template}/{period}/upload", "POST", RETURN_MAKERS),
    ("/staff/performance/returns/{template}/{period}/decision", "POST", PERFORMANCE_MANAGERS),
    ("/staff/performance/packs", "GET", PERFORMANCE_MANAGERS),
    ("/staff/performance/packs", "POST", PERFORMANCE_MANAGERS),
    ("/staff/performance/packs/{service}/{quarter}", "GET", PERFORMANCE_MANAGERS),
    ("/staff/performance/packs/{service}/{quarter}", "POST", PERFORMANCE_MANAGERS),
    ("/staff/performance/inspections", "GET", RETURN_READERS),
    ("/staff/performance/inspections/new", "POST", PERFORMANCE_MANAGERS),
    ("/staff/performance/findings", "POST", PERFORMANCE_MANAGERS),
    ("/staff/performance/findings/{finding}", "POST", RETURN_READERS),
    ("/staff/plans", "GET", PLAN_READERS),
    ("/staff/plans", "POST", PLAN_MANAGERS),
    ("/staff/plans/{plan}", "GET", PLAN_READERS),
    ("/staff/plans/{plan}/status", "POST", PLAN_MANAGERS),
    ("/staff/plans/{plan}/share", "POST", PLAN_MANAGERS),
    ("/staff/plans/{plan}/details", "GET", PLAN_MANAGERS),
    ("/staff/plans/{plan}/details", "POST", PLAN_MANAGERS),
    ("/staff/plans/{plan}/priorities", "POST", PLAN_MANAGERS),
    ("/staff/plans/{plan}/priorities/{position}", "GET", PLAN_MANAGERS),
    ("/staff/plans/{plan}/priorities/{position}", "POST", PLAN_MANAGERS),
    ("/staff/plans/{plan}/priorities/{position}/withdraw", "POST", PLAN_MANAGERS),
    ("/staff/plans/{plan}/commitments/{commitment}", "POST", PLAN_MANAGERS),
    ("/staff/plans/{plan}/commitments/{commitment}/withdraw", "POST", PLAN_MANAGERS),
    ("/staff/plans/{plan}/commitments", "POST", PLAN_MANAGERS),
    ("/staff/plans/{plan}/actions", "GET", PLAN_MANAGERS),
    ("/staff/plans/{plan}/actions", "POST", PLAN_MANAGERS),
    ("/staff/plans/{plan}/actions/{reference}", "GET", PLAN_MANAGERS),
    ("/staff/plans/{plan}/actions/{reference}", "POST", PLAN_MANAGERS),
    ("/staff/plans/{plan}/actions/{reference}/withdraw", "POST", PLAN_MANAGERS),
    ("/staff/plans/{plan}/actions/{reference}/evidence", "POST", PLAN_MANAGERS),
    ("/staff/plans/{plan}/import", "GET", PLAN_MANAGERS),
    ("/staff/plans/{plan}/import", "POST", PLAN_MANAGERS),
    ("/staff/plans/{plan}/import/{import}", "GET", PLAN_MANAGERS),
    ("/staff/plans/{plan}/import/{import}", "POST", PLAN_MANAGERS),
    ("/staff/plans/{plan}/quarters", "POST", PLAN_MANAGERS),
    ("/staff/plans/{plan}/quarters/{quarter}", "GET", PLAN_MANAGERS),
    ("/staff/plans/{plan}/quarters/{quarter}/chase", "POST", PLAN_MANAGERS),
    ("/staff/plans/{plan}/quarters/{quarter}/close", "POST", PLAN_MANAGERS),
    ("/staff/plans/{plan}/quarters/{quarter}/updates/{reference}", "GET", PLAN_MANAGERS),
    ("/staff/plans/{plan}/quarters/{quarter}/updates/{reference}", "POST", PLAN_MANAGERS),
    ("/staff/plans/{plan}/quarters/{quarter}/report", "GET", PLAN_MANAGERS),
    ("/staff/plans/{plan}/quarters/{quarter}/report", "POST", PLAN_MANAGERS),
    ("/staff/plan-updates", "GET", &["partner"]),
    ("/staff/plan-updates/{update}", "GET", &["partner"]),
    ("/staff/plan-updates/{update}", "POST", &["partner"]),
    ("/crime", "GET", EVERYONE),
    ("/crime/report.csv", "GET", EVERYONE),
    ("/crime/report.json", "GET", EVERYONE),
    ("/staff/crime-data", "GET", &["administrator", "performance-officer"]),
    ("/staff/crime-data/fetch", "POST", &["administrator", "performance-officer"]),
    ("/crime/forces/{force}", "GET", EVERYONE),
    ("/crime/forces/{force}/outcomes.csv", "GET", EVERYONE),
    ("/crime/forces/{force}/stop-and-search.csv", "GET", EVERYONE),
    ("/crime/{district}", "GET", EVERYONE),
    ("/crime/{district}/data.csv", "GET", EVERYONE),
    ("/crime/{district}/data.json", "GET", EVERYONE),
    ("/crime/{district}/hotspots.csv", "GET", EVERYONE),
    ("/crime/{district}/report", "GET", EVERYONE),
    ("/crime/{district}/report.pdf", "GET", EVERYONE),
    ("/crime/{district}/report-figures.csv", "GET", EVERYONE),
    ("/crime/{district}/report-figures.json", "GET", EVERYONE),
    ("/crime/{district}/areas/{lsoa}", "GET", EVERYONE),
    ("/crime/{district}/areas/{lsoa}/data.csv", "GET", EVERYONE),
    ("/crime/{district}/areas/{lsoa}/data.json", "GET", EVERYONE),
    ("/asb-case-review", "GET", EVERYONE),
    ("/asb-case-review/apply", "POST", EVERYONE),
    ("/asb-case-review/apply/{draft}/{question}", "GET", EVERYONE),
    ("/asb-case-review/apply/{draft}/incidents/{number}", "GET", EVERYONE),
    ("/asb-case-review/apply/{draft}/incidents/{number}/remove", "POST", EVERYONE),
    ("/asb-case-review/apply/{draft}/evidence", "GET", EVERYONE),
    ("/asb-case-review/apply/{draft}/evidence/{file_id}/remove", "POST", EVERYONE),
    ("/asb-case-review/apply/{draft}/sent", "GET", EVERYONE),
    ("/asb-case-review/appeal", "GET", EVERYONE),
    ("/asb-case-review/apply/{draft}/come-back-later", "GET", EVERYONE),
    ("/asb-case-review/apply/{draft}/return/{token}", "GET", EVERYONE),
    ("/information-request/apply/{draft}/come-back-later", "GET", EVERYONE),
    ("/information-request/apply/{draft}/return/{token}", "GET", EVERYONE),
    ("/police-complaint-review/apply/{draft}/come-back-later", "GET", EVERYONE),
    ("/police-complaint-review/apply/{draft}/return/{token}", "GET", EVERYONE),
    ("/subject-access-request/apply/{draft}/come-back-later", "GET", EVERYONE),
    ("/subject-access-request/apply/{draft}/return/{token}", "GET", EVERYONE),
    ("/asb-case-review/appeal/sent/{submission_key}", "GET", EVERYONE),
    ("/asb-case-review/track", "GET", EVERYONE),
    ("/asb-case-review/track/{token}", "GET", EVERYONE),
    ("/asb-case-review/statistics", "GET", EVERYONE),
    ("/asb-case-review/statistics.csv", "GET", EVERYONE),
    ("/asb-case-review/statistics.json", "GET", EVERYONE),
    ("/staff/asb-case-reviews", "GET", CASE_READERS),
    ("/staff/asb-case-reviews/{reference}", "GET", CASE_READERS),
    ("/staff/asb-case-reviews/assign", "POST", OFFICE),
    ("/staff/asb-case-reviews/{reference}/notes", "GET", OFFICE),
    ("/staff/asb-case-reviews/{reference}/actions/{action}", "POST", OFFICE),
    ("/staff/asb-case-reviews/{reference}/information-requests/{request_id}", "POST", CASE_READERS),
    ("/staff/asb-case-reviews/{reference}/files/{file_id}", "GET", CASE_READERS),
    ("/staff/asb-case-reviews/{reference}/agency-documents/{file_id}", "GET", CASE_READERS),
    ("/staff/asb-case-reviews/{reference}/letters/{letter_id}", "GET", CASE_READERS),
    ("/staff/asb-case-reviews/{reference}/letters/{letter_id}/pdf", "GET", CASE_READERS),
    ("/staff/asb-case-reviews/settings", "GET", ADMINISTRATORS),
    ("/staff/asb-case-reviews/settings/review-bodies", "POST", ADMINISTRATORS),
    ("/staff/letter-templates", "GET", ADMINISTRATORS),
    ("/staff/letter-templates/{kind}", "GET", ADMINISTRATORS),
    ("/staff/asb-appeals/{reference}", "GET", OFFICE),
    ("/staff/asb-appeals/{reference}/notes", "GET", OFFICE),
    ("/staff/asb-appeals/{reference}/actions/{action}", "POST", OFFICE),
    ("/staff/asb-appeals/{reference}/files/{file_id}", "GET", OFFICE),
    ("/staff/asb-appeals/{reference}/letters/{letter_id}", "GET", OFFICE),
    ("/staff/asb-appeals/{reference}/letters/{letter_id}/pdf", "GET", OFFICE),
    ("/police-complaint-review", "GET", EVERYONE),
    ("/police-complaint-review/apply", "POST", EVERYONE),
    ("/police-complaint-review/apply/{draft}/{question}", "GET", EVERYONE),
    ("/police-complaint-review/apply/{draft}/allegations/{number}", "GET", EVERYONE),
    ("/police-complaint-review/apply/{draft}/allegations/{number}/remove", "POST", EVERYONE),
    ("/police-complaint-review/apply/{draft}/documents", "GET", EVERYONE),
    ("/police-complaint-review/apply/{draft}/documents/{file_id}/remove", "POST", EVERYONE),
    ("/police-complaint-review/apply/{draft}/sent", "GET", EVERYONE),
    ("/police-complaint-review/track", "GET", EVERYONE),
    ("/police-complaint-review/track/{token}", "GET", EVERYONE),
    ("/police-complaint-review/figures", "GET", EVERYONE),
    ("/police-complaint-review/figures.csv", "GET", EVERYONE),
    ("/police-complaint-review/figures.json", "GET", EVERYONE),
    ("/staff/complaint-reviews", "GET", CASE_READERS),
    ("/staff/complaint-reviews/settings", "GET", ADMINISTRATORS),
    ("/staff/information-requests/settings", "GET", ADMINISTRATORS),
    ("/staff/complaint-reviews/quality", "GET", OFFICE),
    ("/staff/complaint-reviews/quality/draw", "POST", OFFICE),
    ("/staff/complaint-reviews/quality/{id}", "POST", OFFICE),
    ("/staff/complaint-reviews/{reference}", "GET", CASE_READERS),
    ("/staff/complaint-reviews/assign", "POST", OFFICE),
    ("/staff/complaint-reviews/{reference}/notes", "GET", OFFICE),
    ("/staff/complaint-reviews/{reference}/actions/{action}", "POST", OFFICE),
    ("/staff/complaint-reviews/{reference}/complaint-file", "POST", CASE_READERS),
    ("/staff/complaint-reviews/{reference}/complaint-file/complete", "POST", CASE_READERS),
    ("/staff/complaint-reviews/{reference}/questions/{question_id}", "POST", CASE_READERS),
    ("/staff/complaint-reviews/{reference}/recommendations/{recommendation_id}", "POST", CASE_READERS),
    ("/staff/complaint-reviews/{reference}/files/{file_id}", "GET", CASE_READERS),
    ("/staff/complaint-reviews/{reference}/letters/{letter_id}", "GET", OFFICE),
    ("/staff/complaint-reviews/{reference}/letters/{letter_id}/pdf", "GET", OFFICE),
    ("/information-request", "GET", EVERYONE),
    ("/information-request/apply", "POST", EVERYONE),
    ("/information-request/apply/{draft}/request", "GET", EVERYONE),
    ("/information-request/apply/{draft}/published-answers", "GET", EVERYONE),
    ("/information-request/apply/{draft}/contact", "GET", EVERYONE),
    ("/information-request/apply/{draft}/check", "GET", EVERYONE),
    ("/information-request/apply/{draft}/sent", "GET", EVERYONE),
    ("/information-request/track", "GET", EVERYONE),
    ("/information-request/track/{token}", "GET", EVERYONE),
    ("/subject-access-request", "GET", EVERYONE),
    ("/subject-access-request/apply", "POST", EVERYONE),
    ("/subject-access-request/apply/{draft}/who-for", "GET", EVERYONE),
    ("/subject-access-request/apply/{draft}/about-you", "GET", EVERYONE),
    ("/subject-access-request/apply/{draft}/what", "GET", EVERYONE),
    ("/subject-access-request/apply/{draft}/identity", "GET", EVERYONE),
    ("/subject-access-request/apply/{draft}/identity/done", "POST", EVERYONE),
    ("/subject-access-request/apply/{draft}/identity/{file_id}/remove", "POST", EVERYONE),
    ("/subject-access-request/apply/{draft}/check", "GET", EVERYONE),
    ("/subject-access-request/apply/{draft}/sent", "GET", EVERYONE),
    ("/disclosure-log", "GET", EVERYONE),
    ("/office/logo", "GET", EVERYONE),
    ("/information-request/released/{token}", "GET", EVERYONE),
    ("/information-request/released/{token}/{file_id}", "GET", EVERYONE),
    ("/disclosure-log.atom", "GET", EVERYONE),
    ("/disclosure-log.csv", "GET", EVERYONE),
    ("/disclosure-log.json", "GET", EVERYONE),
    ("/disclosure-log/{reference}", "GET", EVERYONE),
    ("/disclosure-log/{reference}/documents/{file_id}", "GET", EVERYONE),
    ("/staff/information-requests", "GET", INFORMATION_HANDLERS),
    ("/staff/information-requests/statistics", "GET", INFORMATION_HANDLERS),
    ("/staff/information-requests/statistics.csv", "GET", INFORMATION_HANDLERS),
    ("/staff/information-requests/{reference}", "GET", INFORMATION_HANDLERS),
    ("/staff/information-requests/assign", "POST", INFORMATION_HANDLERS),
    ("/staff/information-requests/{reference}/notes", "GET", INFORMATION_HANDLERS),
    ("/staff/information-requests/{reference}/actions/{action}", "POST", INFORMATION_HANDLERS),
    ("/staff/information-requests/{reference}/documents", "POST", INFORMATION_HANDLERS),
    ("/staff/information-requests/{reference}/documents/{file_id}", "GET", INFORMATION_HANDLERS),
    ("/staff/information-requests/{reference}/documents/{file_id}/{action}", "POST", INFORMATION_HANDLERS),
    ("/staff/information-requests/{reference}/files/{file_id}", "GET", INFORMATION_HANDLERS),
    ("/staff/information-requests/{reference}/appeals/{appeal_id}", "POST", INFORMATION_HANDLERS),
    ("/staff/information-requests/{reference}/letters/{letter_id}", "GET", INFORMATION_HANDLERS),
    ("/staff/information-requests/{reference}/letters/{letter_id}/pdf", "GET", INFORMATION_HANDLERS),
    ("/transparency", "GET", EVERYONE),
    ("/transparency/decisions", "GET", EVERYONE),
    ("/transparency/decisions.csv", "GET", EVERYONE),
    ("/transparency/decisions.json", "GET", EVERYONE),
    ("/transparency/decisions.atom", "GET", EVERYONE),
    ("/transparency/decisions/{decision}", "GET", EVERYONE),
    ("/transparency/spending", "GET", EVERYONE),
    ("/transparency/spending.csv", "GET", EVERYONE),
    ("/transparency/spending.json", "GET", EVERYONE),
    ("/transparency/registers/{register}", "GET", EVERYONE),
    ("/transparency/registers/{register}/data.csv", "GET", EVERYONE),
    ("/transparency/registers/{register}/data.json", "GET", EVERYONE),
    ("/transparency/documents/{document}", "GET", EVERYONE),
    ("/transparency/documents/{document}/versions/{number}", "GET", EVERYONE),
    ("/transparency/documents/{document}/versions/{number}/file", "GET", EVERYONE),
    ("/transparency/documents/{document}/another-format", "GET", EVERYONE),
    ("/transparency/documents/{document}/another-format", "POST", EVERYONE),
    ("/staff/transparency", "GET", TRANSPARENCY),
    ("/staff/transparency/items", "POST", TRANSPARENCY),
    ("/staff/transparency/items/{item}/reviewed", "POST", TRANSPARENCY),
    ("/staff/transparency/items/{item}/remove", "POST", TRANSPARENCY),
    ("/staff/transparency/decisions", "GET", TRANSPARENCY),
    ("/staff/transparency/decisions", "POST", TRANSPARENCY),
    ("/staff/transparency/decisions/{decision}", "GET", TRANSPARENCY),
    ("/staff/transparency/decisions/{decision}", "POST", TRANSPARENCY),
    ("/staff/transparency/decisions/{decision}/step", "POST", TRANSPARENCY),
    ("/staff/transparency/spending", "GET", TRANSPARENCY),
    ("/staff/transparency/spending", "POST", TRANSPARENCY),
    ("/staff/transparency/spending/mapping/{held}", "GET", TRANSPARENCY),
    ("/staff/transparency/spending/mapping/{held}", "POST", TRANSPARENCY),
    ("/staff/transparency/spending/individuals", "POST", TRANSPARENCY),
    ("/staff/transparency/registers/{register}", "GET", TRANSPARENCY),
    ("/staff/transparency/registers/{register}", "POST", TRANSPARENCY),
    ("/staff/transparency/registers/{register}/import", "POST", TRANSPARENCY),
    ("/staff/transparency/registers/{register}/{entry}/remove", "POST", TRANSPARENCY),
    ("/staff/transparency/documents", "GET", TRANSPARENCY),
    ("/staff/transparency/documents", "POST", TRANSPARENCY),
    ("/staff/transparency/documents/{document}", "GET", TRANSPARENCY),
    ("/staff/transparency/documents/{document}", "POST", TRANSPARENCY),
    ("/staff/transparency/format-requests", "GET", TRANSPARENCY),
    ("/staff/transparency/format-requests/{reference}", "POST", TRANSPARENCY),
];

fn sample_path(route: &str) -> String {
    route
        .replace("{submission_key}", &platform::ids::new_id())
        .replace("{version}", "x")
        .replace("{force}", "staffordshire")
        .replace("{*path}", "commissioner.css")
        .replace("{reference}", "CON-2026-000001")
        .replace("{id}", &platform::ids::new_id())
        .replace("{file_id}", &platform::ids::new_id())
        .replace("{token}", "no-such-token")
        .replace("{draft}", &platform::ids::new_id())
        .replace("{question}", "victim")
        .replace("{number}", "1")
        .replace("{action}", "acknowledge")
        .replace("{request_id}", &platform::ids::new_id())
        .replace("{question_id}", &platform::ids::new_id())
        .replace("{recommendation_id}", &platform::ids::new_id())
        .replace("{letter_id}", &platform::ids::new_id())
        .replace("{appeal_id}", &platform::ids::new_id())
        .replace("{kind}", "outcome")
        .replace("{district}", "E08000035")
        .replace("{lsoa}", "E01007359")
        .replace("{plan}", "police-and-crime-plan-2021-to-2024")
        .replace("{quarter}", "2023-Q1")
        .replace("{position}", "1")
        .replace("{update}", &platform::ids::new_id())
        .replace("{import}", &platform::ids::new_id())
        .replace("{commitment}", &platform::ids::new_id())
        .replace("{key}", "neighbourhood-crime")
        .replace("{service}", "police")
        .replace("{theme}", "a-local-and-responsive-service")
        .replace("{template}", "police-month")
        .replace("{period}", "2026-11")
        .replace("{finding}", &platform::ids::new_id())
        .replace("{meeting}", &platform::ids::new_id())
        .replace("{paper}", &platform::ids::new_id())
        .replace("{member}", &platform::ids::new_id())
        .replace("{round}", &platform::ids::new_id())
        .replace("{hearing}", &platform::ids::new_id())
        .replace("{recommendation}", "PR-2026-01-ABCD")
        .replace("{complaint}", "PCX-2026-ABCDEF")
        .replace("{year}", "2019")
        .replace("{photo}", &platform::ids::new_id())
        .replace("{item}", &platform::ids::new_id())
        .replace("{decision}", "2026-001")
        .replace("{held}", &platform::ids::new_id())
        .replace("{register}", "contracts")
        .replace("{entry}", &platform::ids::new_id())
        .replace("{document}", "budget")
}

#[test]
fn every_declared_route_has_a_row_in_the_expected_table() {
    let routes = commissioner::server::routes();
    let declared: BTreeSet<&str> = routes.rules().iter().map(|r| r.path.as_ref()).collect();
    let expected: BTreeSet<&str> = EXPECTED.iter().map(|(path, _, _)| *path).collect();
    let missing: Vec<_> = declared.difference(&expected).collect();
    let stale: Vec<_> = expected.difference(&declared).collect();
    assert!(missing.is_empty(), "routes without a row in the access matrix: {missing:?}");
    assert!(stale.is_empty(), "rows for routes that no longer exist: {stale:?}");
}

#[tokio::test]
async fn every_route_allows_exactly_whom_it_should() {
    let app = TestApp::spawn().await;
    let mut staff = Vec::new();
    for role in Role::ALL {
        staff.push(app.staff(role, true).await);
    }
    let mut cells = 0;
    let mut wrong = Vec::new();
    for (route, method, allowed) in EXPECTED {
        for viewer in EVERYONE {
            let path = sample_path(route);
            // A fresh session per cell, so signing out in one cell cannot affect the next.
            let mut visitor = match staff.iter().find(|s| s.role.slug() == *viewer) {
                Some(member) => app.session_for(member).await,
                None => app.visitor(),
            };
            let response = if *method == "GET" {
                visitor.get(&path).await
            } else {
                let token = if visitor.cookie.is_some() { visitor.csrf_token("/staff").await } else { String::new() };
                visitor.post(&path, &[("csrf-token", &token)]).await
            };
            let status = response.status();
            let to_sign_in = status == 303
                && response
                    .headers()
                    .get("location")
                    .and_then(|l| l.to_str().ok())
                    .is_some_and(|l| l == "/staff/sign-in" || l == "/staff/two-factor");
            let denied = status == 403 || to_sign_in;
            let should_allow = allowed.contains(viewer);
            if denied == should_allow {
                wrong.push(format!(
                    "{method} {route} as {viewer}: got {status}, expected {}",
                    if should_allow { "allow" } else { "deny" }
                ));
            }
            cells += 1;
        }
    }
    assert_eq!(cells, EXPECTED.len() * EVERYONE.len());
    assert!(wrong.is_empty(), "{} of {cells} cells wrong:\n{}", wrong.len(), wrong.join("\n"));
}
