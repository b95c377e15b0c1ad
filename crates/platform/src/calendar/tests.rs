use proptest::prelude::*;
use time::macros::date;
use time::{Date, Month, Weekday};

use super::*;

fn d(year: i32, month: u8, day: u8) -> Date {
    Date::from_calendar_date(year, Month::try_from(month).expect("month"), day).expect("date")
}

/// Published lists of bank holidays (GOV.UK "UK bank holidays"), as (month, day) per year.
const ENGLAND_AND_WALES: &[(i32, &[(u8, u8)])] = &[
    (2015, &[(1, 1), (4, 3), (4, 6), (5, 4), (5, 25), (8, 31), (12, 25), (12, 28)]),
    (2016, &[(1, 1), (3, 25), (3, 28), (5, 2), (5, 30), (8, 29), (12, 26), (12, 27)]),
    (2017, &[(1, 2), (4, 14), (4, 17), (5, 1), (5, 29), (8, 28), (12, 25), (12, 26)]),
    (2018, &[(1, 1), (3, 30), (4, 2), (5, 7), (5, 28), (8, 27), (12, 25), (12, 26)]),
    (2019, &[(1, 1), (4, 19), (4, 22), (5, 6), (5, 27), (8, 26), (12, 25), (12, 26)]),
    (2020, &[(1, 1), (4, 10), (4, 13), (5, 8), (5, 25), (8, 31), (12, 25), (12, 28)]),
    (2021, &[(1, 1), (4, 2), (4, 5), (5, 3), (5, 31), (8, 30), (12, 27), (12, 28)]),
    (2022, &[(1, 3), (4, 15), (4, 18), (5, 2), (6, 2), (6, 3), (8, 29), (9, 19), (12, 26), (12, 27)]),
    (2023, &[(1, 2), (4, 7), (4, 10), (5, 1), (5, 8), (5, 29), (8, 28), (12, 25), (12, 26)]),
    (2024, &[(1, 1), (3, 29), (4, 1), (5, 6), (5, 27), (8, 26), (12, 25), (12, 26)]),
    (2025, &[(1, 1), (4, 18), (4, 21), (5, 5), (5, 26), (8, 25), (12, 25), (12, 26)]),
    (2026, &[(1, 1), (4, 3), (4, 6), (5, 4), (5, 25), (8, 31), (12, 25), (12, 28)]),
    (2027, &[(1, 1), (3, 26), (3, 29), (5, 3), (5, 31), (8, 30), (12, 27), (12, 28)]),
    (2028, &[(1, 3), (4, 14), (4, 17), (5, 1), (5, 29), (8, 28), (12, 25), (12, 26)]),
    (2029, &[(1, 1), (3, 30), (4, 2), (5, 7), (5, 28), (8, 27), (12, 25), (12, 26)]),
    (2030, &[(1, 1), (4, 19), (4, 22), (5, 6), (5, 27), (8, 26), (12, 25), (12, 26)]),
];

const SCOTLAND: &[(i32, &[(u8, u8)])] = &[
    (2015, &[(1, 1), (1, 2), (4, 3), (5, 4), (5, 25), (8, 3), (11, 30), (12, 25), (12, 28)]),
    (2016, &[(1, 1), (1, 4), (3, 25), (5, 2), (5, 30), (8, 1), (11, 30), (12, 26), (12, 27)]),
    (2017, &[(1, 2), (1, 3), (4, 14), (5, 1), (5, 29), (8, 7), (11, 30), (12, 25), (12, 26)]),
    (2018, &[(1, 1), (1, 2), (3, 30), (5, 7), (5, 28), (8, 6), (11, 30), (12, 25), (12, 26)]),
    (2019, &[(1, 1), (1, 2), (4, 19), (5, 6), (5, 27), (8, 5), (12, 2), (12, 25), (12, 26)]),
    (2020, &[(1, 1), (1, 2), (4, 10), (5, 8), (5, 25), (8, 3), (11, 30), (12, 25), (12, 28)]),
    (2021, &[(1, 1), (1, 4), (4, 2), (5, 3), (5, 31), (8, 2), (11, 30), (12, 27), (12, 28)]),
    (2022, &[(1, 3), (1, 4), (4, 15), (5, 2), (6, 2), (6, 3), (8, 1), (9, 19), (11, 30), (12, 26), (12, 27)]),
    (2023, &[(1, 2), (1, 3), (4, 7), (5, 1), (5, 8), (5, 29), (8, 7), (11, 30), (12, 25), (12, 26)]),
    (2024, &[(1, 1), (1, 2), (3, 29), (5, 6), (5, 27), (8, 5), (12, 2), (12, 25), (12, 26)]),
    (2025, &[(1, 1), (1, 2), (4, 18), (5, 5), (5, 26), (8, 4), (12, 1), (12, 25), (12, 26)]),
    (2026, &[(1, 1), (1, 2), (4, 3), (5, 4), (5, 25), (6, 15), (8, 3), (11, 30), (12, 25), (12, 28)]),
];

/// Northern Ireland has England and Wales's holidays plus these two.
const NORTHERN_IRELAND_EXTRA: &[(i32, [(u8, u8); 2])] = &[
    (2015, [(3, 17), (7, 13)]),
    (2016, [(3, 17), (7, 12)]),
    (2017, [(3, 17), (7, 12)]),
    (2018, [(3, 19), (7, 12)]),
    (2019, [(3, 18), (7, 12)]),
    (2020, [(3, 17), (7, 13)]),
    (2021, [(3, 17), (7, 12)]),
    (2022, [(3, 17), (7, 12)]),
    (2023, [(3, 17), (7, 12)]),
    (2024, [(3, 18), (7, 12)]),
    (2025, [(3, 17), (7, 14)]),
    (2026, [(3, 17), (7, 13)]),
];

fn computed(nation: Nation, year: i32) -> Vec<Date> {
    bank_holidays(nation, year, &built_in_changes()).into_iter().map(|h| h.date).collect()
}

fn published(year: i32, days: &[(u8, u8)]) -> Vec<Date> {
    let mut dates: Vec<Date> = days.iter().map(|(m, day)| d(year, *m, *day)).collect();
    dates.sort();
    dates
}

#[test]
fn england_and_wales_matches_the_published_lists_2015_to_2030() {
    for (year, days) in ENGLAND_AND_WALES {
        assert_eq!(computed(Nation::EnglandAndWales, *year), published(*year, days), "England and Wales {year}");
    }
}

#[test]
fn scotland_matches_the_published_lists_2015_to_2026() {
    for (year, days) in SCOTLAND {
        assert_eq!(computed(Nation::Scotland, *year), published(*year, days), "Scotland {year}");
    }
}

#[test]
fn northern_ireland_matches_the_published_lists_2015_to_2026() {
    for (year, extra) in NORTHERN_IRELAND_EXTRA {
        let (_, england) = ENGLAND_AND_WALES.iter().find(|(y, _)| y == year).expect("year listed");
        let mut days = england.to_vec();
        days.extend_from_slice(extra);
        assert_eq!(computed(Nation::NorthernIreland, *year), published(*year, &days), "Northern Ireland {year}");
    }
}

#[test]
fn easter_sunday_matches_known_dates() {
    let known = [
        (2015, date!(2015 - 04 - 05)),
        (2016, date!(2016 - 03 - 27)),
        (2019, date!(2019 - 04 - 21)),
        (2024, date!(2024 - 03 - 31)),
        (2025, date!(2025 - 04 - 20)),
        (2038, date!(2038 - 04 - 25)),
        (2285, date!(2285 - 03 - 22)),
    ];
    for (year, expected) in known {
        assert_eq!(easter_sunday(year), expected, "{year}");
    }
}

#[test]
fn substitute_days_are_named_as_such() {
    let holidays = bank_holidays(Nation::EnglandAndWales, 2021, &built_in_changes());
    let names: Vec<&str> = holidays.iter().filter(|h| h.date.month() == Month::December).map(|h| h.name.as_str()).collect();
    assert_eq!(names, ["Christmas Day (substitute day)", "Boxing Day (substitute day)"]);
}

#[test]
fn years_beyond_the_published_list_are_provisional() {
    assert!(bank_holidays(Nation::Scotland, PUBLISHED_THROUGH + 1, &[]).iter().all(|h| h.provisional));
    assert!(bank_holidays(Nation::Scotland, PUBLISHED_THROUGH, &[]).iter().all(|h| !h.provisional));
}

#[test]
fn an_administrator_added_holiday_retimes_deadlines() {
    let received = date!(2029 - 06 - 01);
    let unchanged = WorkingDayCalendar::freedom_of_information(built_in_changes());
    let before = add_working_days(received, 20, &unchanged);
    let mut changes = built_in_changes();
    changes.push(CalendarChange {
        date: date!(2029 - 06 - 11),
        nation: Nation::Scotland,
        kind: ChangeKind::Added,
        name: "A proclaimed holiday".into(),
    });
    let after = add_working_days(received, 20, &WorkingDayCalendar::freedom_of_information(changes));
    assert_eq!(after, add_working_days(before, 1, &unchanged));
}

#[test]
fn freedom_of_information_deadlines_skip_holidays_in_any_nation() {
    let foi = WorkingDayCalendar::freedom_of_information(built_in_changes());
    let england = WorkingDayCalendar::for_nation(Nation::EnglandAndWales, built_in_changes());
    // Received Friday 20 December 2024: Christmas, Boxing Day, New Year's Day, and Scotland's 2 January.
    assert_eq!(add_working_days(date!(2024 - 12 - 20), 20, &foi), date!(2025 - 01 - 23));
    assert_eq!(add_working_days(date!(2024 - 12 - 20), 20, &england), date!(2025 - 01 - 22));
    // Received Monday 10 March 2025: St Patrick's Day in Northern Ireland counts too.
    assert_eq!(add_working_days(date!(2025 - 03 - 10), 20, &foi), date!(2025 - 04 - 08));
    assert_eq!(add_working_days(date!(2025 - 03 - 10), 20, &england), date!(2025 - 04 - 07));
    assert_eq!(foi.why_not_working(date!(2025 - 03 - 17)).as_deref(), Some("St Patrick’s Day (Northern Ireland)"));
}

#[test]
fn christmas_day_is_never_an_foi_working_day() {
    // Christmas Day on a weekday is a bank holiday anyway; the statute also names it, so a
    // calendar with every change removed still excludes it.
    let foi = WorkingDayCalendar::freedom_of_information(
        Nation::ALL
            .into_iter()
            .map(|nation| CalendarChange { date: date!(2024 - 12 - 25), nation, kind: ChangeKind::Removed, name: "test".into() })
            .collect(),
    );
    assert!(WorkingDayCalendar::for_nation(Nation::Scotland, foi.changes.clone()).is_working_day(date!(2024 - 12 - 25)));
    assert!(!foi.is_working_day(date!(2024 - 12 - 25)));
}

#[test]
fn working_days_between_counts_after_start_up_to_end() {
    let england = WorkingDayCalendar::for_nation(Nation::EnglandAndWales, built_in_changes());
    assert_eq!(working_days_between(date!(2026 - 11 - 20), date!(2026 - 11 - 23), &england), 1);
    assert_eq!(working_days_between(date!(2026 - 11 - 23), date!(2026 - 11 - 20), &england), -1);
    assert_eq!(working_days_between(date!(2026 - 11 - 23), date!(2026 - 11 - 23), &england), 0);
}

#[test]
fn the_uk_date_follows_british_summer_time() {
    use time::macros::datetime;
    // 23:30 UTC on a July evening is already the next day in London.
    assert_eq!(uk_local_date(datetime!(2026-07-14 23:30 UTC)), date!(2026 - 07 - 15));
    assert_eq!(uk_local_date(datetime!(2026-01-14 23:30 UTC)), date!(2026 - 01 - 14));
    // The clocks go forward at 01:00 UTC on 29 March 2026 and back at 01:00 UTC on 25 October.
    assert_eq!(uk_local_date(datetime!(2026-03-29 00:59 UTC)), date!(2026 - 03 - 29));
    assert_eq!(uk_local_date(datetime!(2026-03-28 23:30 UTC)), date!(2026 - 03 - 28));
    assert_eq!(uk_local_date(datetime!(2026-10-24 23:30 UTC)), date!(2026 - 10 - 25));
    assert_eq!(uk_local_date(datetime!(2026-10-25 23:30 UTC)), date!(2026 - 10 - 25));
}

#[test]
fn long_dates_read_as_gov_uk_writes_them() {
    assert_eq!(long_date(date!(2026 - 12 - 07)), "Monday 7 December 2026");
}

fn any_date() -> impl Strategy<Value = Date> {
    (1980i32..2150, 1u16..=365).prop_map(|(year, ordinal)| Date::from_ordinal_date(year, ordinal).expect("ordinal"))
}

fn any_calendar() -> impl Strategy<Value = WorkingDayCalendar> {
    prop_oneof![
        Just(WorkingDayCalendar::freedom_of_information(built_in_changes())),
        Just(WorkingDayCalendar::for_nation(Nation::EnglandAndWales, built_in_changes())),
        Just(WorkingDayCalendar::for_nation(Nation::Scotland, built_in_changes())),
        Just(WorkingDayCalendar::for_nation(Nation::NorthernIreland, built_in_changes())),
    ]
}

proptest! {
    #[test]
    fn adding_then_counting_gives_back_n(start in any_date(), n in 0u32..300, calendar in any_calendar()) {
        let end = add_working_days(start, n, &calendar);
        prop_assert_eq!(working_days_between(start, end, &calendar), i64::from(n));
        if n > 0 {
            prop_assert!(calendar.is_working_day(end));
        }
    }

    #[test]
    fn one_more_working_day_is_always_later(start in any_date(), n in 0u32..100, calendar in any_calendar()) {
        prop_assert!(add_working_days(start, n + 1, &calendar) > add_working_days(start, n, &calendar));
    }

    #[test]
    fn an_foi_working_day_is_a_working_day_in_every_nation(day in any_date()) {
        let foi = WorkingDayCalendar::freedom_of_information(built_in_changes());
        if foi.is_working_day(day) {
            for nation in Nation::ALL {
                prop_assert!(WorkingDayCalendar::for_nation(nation, built_in_changes()).is_working_day(day));
            }
        }
    }

    #[test]
    fn regular_holidays_fall_on_weekdays_and_number_as_the_act_says(year in 1978i32..2300) {
        for nation in Nation::ALL {
            let holidays = bank_holidays(nation, year, &[]);
            prop_assert!(holidays.iter().all(|h| !matches!(h.date.weekday(), Weekday::Saturday | Weekday::Sunday)));
            let expected = match nation {
                Nation::EnglandAndWales => 8,
                Nation::NorthernIreland => 10,
                Nation::Scotland => if year >= 2007 { 9 } else { 8 },
            };
            prop_assert_eq!(holidays.len(), expected, "{} {}", nation, year);
        }
    }

    #[test]
    fn easter_is_a_sunday_between_22_march_and_25_april(year in 1583i32..4000) {
        let easter = easter_sunday(year);
        prop_assert_eq!(easter.weekday(), Weekday::Sunday);
        prop_assert!(easter >= d(year, 3, 22) && easter <= d(year, 4, 25));
    }
}

#[test]
fn times_read_as_gov_uk_writes_them_in_uk_time() {
    use time::macros::datetime;
    assert_eq!(time_and_date(datetime!(2026-12-07 14:05 UTC)), "2:05pm on Monday 7 December 2026");
    assert_eq!(time_and_date(datetime!(2026-12-07 00:30 UTC)), "12:30am on Monday 7 December 2026");
    // British Summer Time: 23:30 UTC on 30 June is 00:30 on 1 July.
    assert_eq!(time_and_date(datetime!(2026-06-30 23:30 UTC)), "12:30am on Wednesday 1 July 2026");
    assert_eq!(time_and_date(datetime!(2026-06-30 11:00 UTC)), "12:00pm on Tuesday 30 June 2026");
    // As stored, for pages that show a stored moment.
    let stored = crate::db::timestamp(datetime!(2026-06-30 23:30 UTC));
    assert_eq!(time_and_date_of(&stored), "12:30am on Wednesday 1 July 2026");
    assert_eq!(time_and_date_of("not a time"), "not a time");
}

#[test]
fn a_request_received_in_late_may_2026_is_due_after_scotlands_world_cup_holiday() {
    let foi = WorkingDayCalendar::freedom_of_information(built_in_changes());
    // Received Friday 15 May 2026: the Spring bank holiday (25 May) and Scotland's Monday 15 June
    // both fall inside the 20 working days.
    assert_eq!(add_working_days(date!(2026 - 05 - 15), 20, &foi), date!(2026 - 06 - 16));
    assert_eq!(foi.why_not_working(date!(2026 - 06 - 15)).as_deref(), Some("Bank holiday for the FIFA World Cup (Scotland)"));
    let england = WorkingDayCalendar::for_nation(Nation::EnglandAndWales, built_in_changes());
    assert!(england.is_working_day(date!(2026 - 06 - 15)), "a Scottish holiday only");
}

proptest! {
    /// FOIA s.10(6): a day is not a working day when it is a weekend, Christmas Day, Good
    /// Friday or a bank holiday in any part of the United Kingdom, and for no other reason.
    #[test]
    fn the_foi_calendar_is_the_union_of_the_three_nations(days in 0i64..(16 * 366)) {
        let day = date!(2015 - 01 - 01) + time::Duration::days(days);
        prop_assume!(day.year() <= 2030);
        let changes = built_in_changes();
        let foi = WorkingDayCalendar::freedom_of_information(changes.clone());
        let holiday_somewhere = Nation::ALL.into_iter().any(|n| bank_holidays(n, day.year(), &changes).iter().any(|h| h.date == day));
        let weekend = matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday);
        let named = (day.month() == Month::December && day.day() == 25) || day == easter_sunday(day.year()) - time::Duration::days(2);
        prop_assert_eq!(foi.is_working_day(day), !(weekend || named || holiday_somewhere));
    }
}

const GOVUK_2025: &str = include_str!("../../testdata/govuk-bank-holidays-2025-07.json");

#[test]
fn the_rules_give_every_holiday_govuk_listed_for_2019_to_2027() {
    let list = govuk::read(GOVUK_2025).expect("reads");
    assert_eq!(list.years.len(), 27, "three nations, nine years");
    assert_eq!(list.holidays.len(), 75 + 84 + 93);
    // The file predates Scotland's 2026 proclamation: that is the one difference.
    let differences = govuk::differences(&list, &built_in_changes());
    assert_eq!(
        differences,
        [CalendarChange {
            date: date!(2026 - 06 - 15),
            nation: Nation::Scotland,
            kind: ChangeKind::Removed,
            name: "Bank holiday for the FIFA World Cup".into()
        }]
    );
}

#[test]
fn an_imported_list_adds_and_removes_against_what_is_held() {
    let mut list = govuk::read(GOVUK_2025).expect("reads");
    list.holidays.insert((Nation::Scotland, date!(2026 - 06 - 15)), "Bank holiday (Scotland)".into());
    list.holidays.insert((Nation::NorthernIreland, date!(2027 - 06 - 07)), "A proclaimed holiday".into());
    list.holidays.remove(&(Nation::EnglandAndWales, date!(2027 - 08 - 30)));
    let differences = govuk::differences(&list, &built_in_changes());
    let summary: Vec<(Date, Nation, ChangeKind)> = differences.iter().map(|c| (c.date, c.nation, c.kind)).collect();
    assert_eq!(
        summary,
        [
            (date!(2027 - 06 - 07), Nation::NorthernIreland, ChangeKind::Added),
            (date!(2027 - 08 - 30), Nation::EnglandAndWales, ChangeKind::Removed),
        ]
    );
    // Applied, the calendar then agrees with the list.
    let mut changes = built_in_changes();
    changes.extend(differences);
    assert!(govuk::differences(&list, &changes).is_empty());
}

#[test]
fn a_file_that_is_not_the_list_is_refused_with_the_reason() {
    assert!(govuk::read("<html>").unwrap_err().starts_with("This is not the GOV.UK bank holidays file"));
    let wales = r#"{"wales":{"division":"wales","events":[]}}"#;
    assert!(govuk::read(wales).unwrap_err().contains("unknown nation \"wales\""));
    let bad_date = r#"{"scotland":{"division":"scotland","events":[{"title":"St Andrew’s Day","date":"30/11/2026"}]}}"#;
    assert_eq!(
        govuk::read(bad_date).unwrap_err(),
        "Scotland, holiday 1 (St Andrew’s Day): the date \"30/11/2026\" is not YYYY-MM-DD"
    );
    assert_eq!(govuk::read("{}").unwrap_err(), "The file lists no bank holidays");
}

#[test]
fn uk_clock_times_are_read_as_gmt_or_bst() {
    use time::macros::datetime;
    // Winter: the clock is GMT.
    assert_eq!(from_uk_local(datetime!(2027-01-29 10:00)), datetime!(2027-01-29 10:00 UTC));
    // Summer: BST, an hour ahead of UTC.
    assert_eq!(from_uk_local(datetime!(2027-06-14 14:00)), datetime!(2027-06-14 13:00 UTC));
    // Round trips either side of the change on 28 March 2027 (01:00 UTC).
    for local in [datetime!(2027-03-28 00:30), datetime!(2027-03-28 02:30), datetime!(2027-10-31 03:00)] {
        assert_eq!(uk_local_time(from_uk_local(local)), local, "{local}");
    }
}
