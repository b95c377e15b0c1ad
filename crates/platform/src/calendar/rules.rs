//! The regular pattern of bank holidays, year by year.

use time::{Date, Duration, Month, Weekday};

use super::Nation;

/// Easter Sunday in the Gregorian calendar (the anonymous "Meeus/Jones/Butcher" computus).
pub fn easter_sunday(year: i32) -> Date {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    let month = if month == 3 { Month::March } else { Month::April };
    Date::from_calendar_date(year, month, day as u8).expect("computus gives a real date")
}

fn first_monday(year: i32, month: Month) -> Date {
    let first = Date::from_calendar_date(year, month, 1).expect("first of month exists");
    let mut day = first;
    while day.weekday() != Weekday::Monday {
        day = day.next_day().expect("in range");
    }
    day
}

fn last_monday(year: i32, month: Month) -> Date {
    let last = Date::from_calendar_date(year, month, month.length(year)).expect("last of month exists");
    let mut day = last;
    while day.weekday() != Weekday::Monday {
        day = day.previous_day().expect("in range");
    }
    day
}

fn fixed(year: i32, month: Month, day: u8) -> Date {
    Date::from_calendar_date(year, month, day).expect("fixed holiday exists")
}

fn is_weekend(date: Date) -> bool {
    matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
}

/// The holidays that follow the yearly rules, before any one-off change.
pub(super) fn regular_holidays(nation: Nation, year: i32) -> Vec<(Date, &'static str)> {
    let easter = easter_sunday(year);
    let mut moveable: Vec<(Date, &'static str)> = vec![(easter - Duration::days(2), "Good Friday")];
    if nation != Nation::Scotland {
        moveable.push((easter + Duration::days(1), "Easter Monday"));
    }
    moveable.push((first_monday(year, Month::May), "Early May bank holiday"));
    moveable.push((last_monday(year, Month::May), "Spring bank holiday"));
    moveable.push(match nation {
        Nation::Scotland => (first_monday(year, Month::August), "Summer bank holiday"),
        _ => (last_monday(year, Month::August), "Summer bank holiday"),
    });

    // Fixed-date holidays, in date order; one that falls at a weekend moves to the next weekday
    // not already a holiday, which is how Christmas on a Saturday gives Monday 27 and Tuesday 28.
    let mut fixed_days: Vec<(Date, &'static str, &'static str)> =
        vec![(fixed(year, Month::January, 1), "New Year’s Day", "New Year’s Day (substitute day)")];
    match nation {
        Nation::Scotland => {
            fixed_days.push((fixed(year, Month::January, 2), "2nd January", "2nd January (substitute day)"));
            if year >= 2007 {
                fixed_days.push((fixed(year, Month::November, 30), "St Andrew’s Day", "St Andrew’s Day (substitute day)"));
            }
        }
        Nation::NorthernIreland => {
            fixed_days.push((fixed(year, Month::March, 17), "St Patrick’s Day", "St Patrick’s Day (substitute day)"));
            fixed_days.push((
                fixed(year, Month::July, 12),
                "Battle of the Boyne (Orangemen’s Day)",
                "Battle of the Boyne (Orangemen’s Day) (substitute day)",
            ));
        }
        Nation::EnglandAndWales => {}
    }
    fixed_days.push((fixed(year, Month::December, 25), "Christmas Day", "Christmas Day (substitute day)"));
    fixed_days.push((fixed(year, Month::December, 26), "Boxing Day", "Boxing Day (substitute day)"));

    let mut holidays = moveable;
    holidays.extend(fixed_days.iter().filter(|(d, _, _)| !is_weekend(*d)).map(|(d, name, _)| (*d, *name)));
    for (date, _, substitute_name) in fixed_days.iter().filter(|(d, _, _)| is_weekend(*d)) {
        let mut day = *date;
        while is_weekend(day) || holidays.iter().any(|(taken, _)| *taken == day) {
            day = day.next_day().expect("in range");
        }
        holidays.push((day, *substitute_name));
    }
    holidays.sort_by_key(|(d, _)| *d);
    holidays
}
