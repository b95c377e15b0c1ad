//! The administrators' bank-holidays page: each nation's holidays for a year, and whether an
//! imported GOV.UK list confirmed them or they are computed by rule.

use platform::access::Role;
use platform::audit::Actor;
use platform::calendar::{self, govuk};
use time::OffsetDateTime;

use crate::support::TestApp;

const GOVUK_2025: &str = include_str!("../../../platform/testdata/govuk-bank-holidays-2025-07.json");

#[tokio::test]
async fn an_administrator_sees_which_years_an_imported_list_confirmed() {
    let app = TestApp::spawn().await;
    let (admin, _) = app.signed_in(Role::Administrator).await;
    let (status, page) = admin.get_page("/staff/admin/calendar?year=2027").await;
    assert_eq!(status, 200);
    assert_eq!(page.matches("Computed by rule").count(), 3, "no list imported yet");
    assert!(page.contains("Monday 29 March 2027") && page.contains("Easter Monday"));

    // The July 2025 list covers 2019 to 2027 and predates Scotland's World Cup holiday.
    let list = govuk::read(GOVUK_2025).expect("reads");
    let differences = govuk::differences(&list, &calendar::store::all_changes(&app.pool).await.expect("changes"));
    let now = OffsetDateTime::now_utc();
    calendar::store::import(&app.pool, &list, &differences, "the July 2025 copy", &Actor::system("test"), now)
        .await
        .expect("imported");
    let (_, page) = admin.get_page("/staff/admin/calendar?year=2027").await;
    assert_eq!(page.matches("Confirmed by the list imported at").count(), 3, "{page}");
    assert!(page.contains("from the July 2025 copy"));
    let audited: i64 = app.one("SELECT COUNT(*) FROM platform_audit_event WHERE action = 'imported bank holidays'").await;
    assert_eq!(audited, 1);

    // A year no list covers says so; a year outside those offered is not found.
    let this_year = calendar::uk_today().year();
    let (_, later) = admin.get_page(&format!("/staff/admin/calendar?year={}", this_year + 3)).await;
    assert!(later.contains("Computed by rule"));
    assert_eq!(admin.get_page("/staff/admin/calendar?year=1990").await.0, 404);
    assert_eq!(admin.get_page("/staff/admin/calendar?year=next").await.0, 404);
}
