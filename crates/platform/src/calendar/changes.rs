//! One-off changes to the bank-holiday rules made by royal proclamation.

use time::Date;
use time::macros::date;

use super::{CalendarChange, ChangeKind, Nation};

/// Every one-off since 1995, as published: those proclaimed for the whole United Kingdom, then
/// those for one nation. Administrators add later ones by importing the GOV.UK list.
pub fn built_in_changes() -> Vec<CalendarChange> {
    let everywhere: &[(Date, ChangeKind, &str)] = &[
        (date!(1995 - 05 - 01), ChangeKind::Removed, "Early May bank holiday"),
        (date!(1995 - 05 - 08), ChangeKind::Added, "Early May bank holiday (VE day)"),
        (date!(1999 - 12 - 31), ChangeKind::Added, "Millennium celebrations"),
        (date!(2002 - 05 - 27), ChangeKind::Removed, "Spring bank holiday"),
        (date!(2002 - 06 - 03), ChangeKind::Added, "Golden Jubilee bank holiday"),
        (date!(2002 - 06 - 04), ChangeKind::Added, "Spring bank holiday"),
        (date!(2011 - 04 - 29), ChangeKind::Added, "Royal wedding"),
        (date!(2012 - 05 - 28), ChangeKind::Removed, "Spring bank holiday"),
        (date!(2012 - 06 - 04), ChangeKind::Added, "Spring bank holiday"),
        (date!(2012 - 06 - 05), ChangeKind::Added, "Queen’s Diamond Jubilee"),
        (date!(2020 - 05 - 04), ChangeKind::Removed, "Early May bank holiday"),
        (date!(2020 - 05 - 08), ChangeKind::Added, "Early May bank holiday (VE day)"),
        (date!(2022 - 05 - 30), ChangeKind::Removed, "Spring bank holiday"),
        (date!(2022 - 06 - 02), ChangeKind::Added, "Spring bank holiday"),
        (date!(2022 - 06 - 03), ChangeKind::Added, "Platinum Jubilee bank holiday"),
        (date!(2022 - 09 - 19), ChangeKind::Added, "Bank Holiday for the State Funeral of Queen Elizabeth II"),
        (date!(2023 - 05 - 08), ChangeKind::Added, "Bank holiday for the coronation of King Charles III"),
    ];
    // Scotland, 15 June 2026: proclaimed in February 2026 for the national team's first match at
    // the FIFA World Cup (GOV.UK; the Privy Council's proclamation).
    let one_nation: &[(Nation, Date, ChangeKind, &str)] =
        &[(Nation::Scotland, date!(2026 - 06 - 15), ChangeKind::Added, "Bank holiday for the FIFA World Cup")];
    let mut changes: Vec<CalendarChange> = Nation::ALL
        .into_iter()
        .flat_map(|nation| {
            everywhere.iter().map(move |(date, kind, name)| CalendarChange {
                date: *date,
                nation,
                kind: *kind,
                name: (*name).to_string(),
            })
        })
        .collect();
    changes.extend(one_nation.iter().map(|(nation, date, kind, name)| CalendarChange {
        date: *date,
        nation: *nation,
        kind: *kind,
        name: (*name).to_string(),
    }));
    changes
}
