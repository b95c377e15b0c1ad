//! The local authority districts of England and Wales with their community safety partnership,
//! police force area and fire and rescue authority, from `reference/areas/districts.csv` (ONS
//! lookups of December 2019 brought up to date with mySociety's register of councils; how, and
//! the sources' licences, are in that folder's README). Set-up reads an area's districts here.

use std::sync::LazyLock;

use serde::Deserialize;

/// A local authority district as the reference data has it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct District {
    /// The ONS code, e.g. "E07000197".
    #[serde(rename = "district_code")]
    pub code: String,
    /// The name ONS uses, e.g. "Stafford".
    #[serde(rename = "district_name")]
    pub name: String,
    /// The council's own name, e.g. "Stafford Borough Council".
    pub council: String,
    pub nation: String,
    /// police.uk's identifier for the force area.
    pub force_area: String,
    /// The force area's ONS code, e.g. "E23000015".
    pub force_area_code: String,
    #[serde(flatten)]
    pub partnership: Partnership,
    #[serde(flatten)]
    pub fire_authority: FireAuthority,
    /// What changed since the ONS vintage, when anything did.
    pub note: String,
}

/// A community safety partnership.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
pub struct Partnership {
    /// The partnership's name as ONS gives it, e.g. "Stafford".
    #[serde(rename = "partnership_name")]
    pub name: String,
    /// Its ONS code; empty for a partnership formed since the ONS vintage.
    #[serde(rename = "partnership_code")]
    pub code: String,
}

/// A fire and rescue authority, by the name the fire statistics use.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
pub struct FireAuthority {
    /// e.g. "Stoke-on-Trent and Staffordshire".
    #[serde(rename = "fire_authority_name")]
    pub name: String,
    /// Its ONS code; empty for an authority combined since the ONS vintage.
    #[serde(rename = "fire_authority_code")]
    pub code: String,
}

impl FireAuthority {
    /// The service as the public would look for it: "West Yorkshire Fire and Rescue Service".
    /// London's authority is named as it is.
    pub fn service_name(&self) -> String {
        if self.name.ends_with("Authority") {
            self.name.clone()
        } else {
            format!("{} Fire and Rescue Service", self.name.replace(" & ", " and "))
        }
    }
}

const DISTRICTS_CSV: &str = include_str!("../../reference/areas/districts.csv");

/// Every district, in code order. The file is part of the program, so a fault in it is caught by
/// the tests below, never by a user.
pub fn all() -> &'static [District] {
    static DISTRICTS: LazyLock<Vec<District>> = LazyLock::new(|| {
        csv::Reader::from_reader(DISTRICTS_CSV.as_bytes())
            .deserialize()
            .collect::<Result<Vec<District>, _>>()
            .expect("reference/areas/districts.csv is checked by the tests")
    });
    &DISTRICTS
}

/// The districts of a force area, by police.uk's identifier, in name order.
pub fn of_force_area(slug: &str) -> Vec<&'static District> {
    let mut districts: Vec<&District> = all().iter().filter(|d| d.force_area == slug).collect();
    districts.sort_by(|a, b| a.name.cmp(&b.name));
    districts
}

/// The partnerships of a force area with the districts each covers, in name order.
pub fn partnerships_of(slug: &str) -> Vec<(Partnership, Vec<&'static District>)> {
    let mut partnerships: std::collections::BTreeMap<Partnership, Vec<&District>> = Default::default();
    for district in of_force_area(slug) {
        partnerships.entry(district.partnership.clone()).or_default().push(district);
    }
    partnerships.into_iter().collect()
}

/// The fire and rescue authorities covering any of a force area, in name order (most areas have
/// one; Thames Valley, Hampshire and Wales's forces have more, or share one).
pub fn fire_authorities_of(slug: &str) -> Vec<FireAuthority> {
    let mut authorities: Vec<FireAuthority> = of_force_area(slug).into_iter().map(|d| d.fire_authority.clone()).collect();
    authorities.sort();
    authorities.dedup();
    authorities
}

/// Every fire and rescue authority in the reference data, in name order.
pub fn fire_authorities() -> Vec<FireAuthority> {
    let mut authorities: Vec<FireAuthority> = all().iter().map(|d| d.fire_authority.clone()).collect();
    authorities.sort();
    authorities.dedup();
    authorities
}

/// Groupings the fire statistics mix in among the services ("England", "Predominantly Rural"):
/// totals, never a service.
pub const FIRE_GROUPINGS: [&str; 9] = [
    "England",
    "Metropolitan",
    "Non-metropolitan",
    "Non metropolitan",
    "Predominantly Rural",
    "Predominantly Urban",
    "Significantly Rural",
    "Wales",
    "England and Wales",
];

/// Whether a fire statistics row names a grouping rather than a service.
pub fn is_fire_grouping(name: &str) -> bool {
    let squashed = crate::spreadsheet::squash(name);
    FIRE_GROUPINGS.iter().any(|g| crate::spreadsheet::squash(g) == squashed)
}

/// The fire and rescue authority a fire statistics row names: by its ONS code when it carries
/// one the reference data knows, or else by name. The statistics use short names ("Staffordshire"
/// for "Stoke-on-Trent and Staffordshire", "Durham" for "County Durham and Darlington",
/// "Berkshire" for "Royal Berkshire", "Greater London" for London's authority): a name matches
/// when every word of it is a word of exactly one authority's name.
pub fn fire_authority_named(name: &str, code: &str) -> Option<FireAuthority> {
    let authorities = fire_authorities();
    if let Some(found) = authorities.iter().find(|a| !a.code.is_empty() && a.code.eq_ignore_ascii_case(code.trim())) {
        return Some(found.clone());
    }
    if is_fire_grouping(name) {
        return None;
    }
    let words = |text: &str| -> Vec<String> {
        let words = super::place_words(text);
        // "Greater London" is London's authority; "Greater Manchester" keeps its "greater".
        if words == ["greater", "london"] { vec!["london".into()] } else { words }
    };
    let theirs = words(name);
    if theirs.is_empty() {
        return None;
    }
    let exact: Vec<&FireAuthority> = authorities.iter().filter(|a| words(&a.name) == theirs).collect();
    if exact.len() == 1 {
        return Some(exact[0].clone());
    }
    let within: Vec<&FireAuthority> = authorities.iter().filter(|a| theirs.iter().all(|w| words(&a.name).contains(w))).collect();
    (within.len() == 1).then(|| within[0].clone())
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;
    use crate::areas::{FORCE_AREAS, Nation};

    #[test]
    fn fire_statistics_names_reconcile_with_the_reference_data() {
        let named = |name: &str, code: &str| fire_authority_named(name, code).map(|a| a.name);
        assert_eq!(named("Staffordshire", ""), Some("Stoke-on-Trent and Staffordshire".into()));
        assert_eq!(named("Staffordshire", "E31000033"), Some("Stoke-on-Trent and Staffordshire".into()));
        assert_eq!(named("Durham", "").as_deref().map(|n| n.contains("Durham")), Some(true));
        assert_eq!(named("Berkshire", "").as_deref().map(|n| n.contains("Berkshire")), Some(true));
        assert_eq!(named("Greater London", "").as_deref().map(|n| n.contains("London")), Some(true));
        assert_eq!(named("Greater Manchester", "").as_deref(), Some("Greater Manchester"));
        assert_eq!(named("West Yorkshire", ""), Some("West Yorkshire".into()));
        for grouping in ["England", "Predominantly Rural", "Significantly Rural", "Metropolitan", "Non-metropolitan"] {
            assert!(is_fire_grouping(grouping));
            assert_eq!(named(grouping, ""), None, "{grouping} is a grouping, not a service");
        }
        assert_eq!(named("Yorkshire", ""), None, "more than one authority: no guess");
        assert_eq!(named("Atlantis", ""), None);
        // Every authority finds itself by its own name and by its code.
        for authority in fire_authorities() {
            assert_eq!(fire_authority_named(&authority.name, ""), Some(authority.clone()), "{}", authority.name);
            if !authority.code.is_empty() {
                assert_eq!(fire_authority_named("", &authority.code), Some(authority.clone()));
            }
        }
    }

    #[test]
    fn every_district_is_in_exactly_one_of_the_43_areas() {
        let districts = all();
        assert_eq!(districts.len(), 318, "296 English and 22 Welsh districts since April 2023");
        let codes: BTreeSet<&str> = districts.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes.len(), districts.len(), "no district twice");
        let areas: BTreeSet<&str> = districts.iter().map(|d| d.force_area.as_str()).collect();
        let known: BTreeSet<&str> = FORCE_AREAS.iter().map(|a| a.slug).collect();
        assert_eq!(areas, known, "the reference data's areas are police.uk's 43");
        for area in FORCE_AREAS {
            let own = of_force_area(area.slug);
            assert!(!own.is_empty(), "{} has districts", area.slug);
            let ons: BTreeSet<&str> = own.iter().map(|d| d.force_area_code.as_str()).collect();
            assert_eq!(ons.len(), 1, "{} has one ONS code", area.slug);
            let welsh = area.nation == Nation::Wales;
            assert!(own.iter().all(|d| d.code.starts_with('W') == welsh && (d.nation == "Wales") == welsh), "{}", area.slug);
            assert!(!fire_authorities_of(area.slug).is_empty());
        }
        assert_eq!(districts.iter().filter(|d| d.nation == "Wales").count(), 22);
    }

    /// Against the ONS file itself: every 2019 district that still exists keeps the partnership,
    /// force area and fire authority ONS gave it, unless a note says what changed.
    #[test]
    fn unchanged_districts_agree_with_the_ons_lookups() {
        let read = |text: &str| -> Vec<BTreeMap<String, String>> {
            csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes())
                .deserialize()
                .collect::<Result<_, _>>()
                .expect("ONS file")
        };
        let lookup = read(include_str!("../../reference/areas/ons-lad19-csp19-pfa19.csv"));
        let fire = read(include_str!("../../reference/areas/ons-lad19-fra19.csv"));
        let pfa: BTreeSet<&str> = lookup.iter().map(|r| r["PFA19CD"].as_str()).collect();
        assert_eq!(pfa.len(), 43);
        let by_code: BTreeMap<&str, &District> = all().iter().map(|d| (d.code.as_str(), d)).collect();
        let mut checked = 0;
        for row in &lookup {
            let Some(district) = by_code.get(row["LAD19CD"].as_str()) else { continue };
            assert_eq!(district.force_area_code, row["PFA19CD"], "{}", district.name);
            if district.note.is_empty() {
                assert_eq!(district.partnership.code, row["CSP19CD"], "{}", district.name);
                let f = fire.iter().find(|f| f["LAD19CD"] == row["LAD19CD"]).expect("fire row");
                assert_eq!(district.fire_authority.code, f["FRA19CD"], "{}", district.name);
                checked += 1;
            }
        }
        assert!(checked > 270, "most districts are unchanged since 2019 ({checked})");
    }

    #[test]
    fn staffordshire_west_yorkshire_and_dyfed_powys() {
        let names = |slug| of_force_area(slug).iter().map(|d| d.name.as_str()).collect::<Vec<_>>();
        assert_eq!(names("staffordshire").len(), 9);
        assert!(names("staffordshire").contains(&"Stoke-on-Trent"));
        assert_eq!(names("west-yorkshire"), ["Bradford", "Calderdale", "Kirklees", "Leeds", "Wakefield"]);
        assert_eq!(names("dyfed-powys"), ["Carmarthenshire", "Ceredigion", "Pembrokeshire", "Powys"]);
        let fire = fire_authorities_of("staffordshire");
        assert_eq!(fire.len(), 1);
        assert_eq!(fire[0].service_name(), "Stoke-on-Trent and Staffordshire Fire and Rescue Service");
        assert_eq!(fire_authorities_of("dyfed-powys")[0].service_name(), "Mid and West Wales Fire and Rescue Service");
        assert_eq!(
            fire_authorities_of("thames-valley").len(),
            3,
            "Buckinghamshire and Milton Keynes, Oxfordshire, Royal Berkshire"
        );
        let london = fire_authorities_of("metropolitan");
        assert_eq!(london[0].service_name(), "London Fire and Emergency Planning Authority");
        let partnerships = partnerships_of("north-yorkshire");
        assert_eq!(partnerships.len(), 2, "York, and North Yorkshire");
    }
}
