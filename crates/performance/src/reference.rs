//! Public data shipped with the capability (reference/README.md says where each file comes from
//! and under which licence): the real police recorded crime table for 2017/18 by force area,
//! residents by force area at the 2011 census, and a stand-in for most similar groups computed
//! from them where no published copy of the Home Office's groups could be found.

use std::collections::BTreeMap;
use std::io::Read as _;

/// The Home Office's police recorded crime by police force area for 2017/18, as CSV in its own
/// headings.
pub fn prc_2017_18() -> Vec<u8> {
    let mut text = Vec::new();
    flate2::read::GzDecoder::new(&include_bytes!("../reference/prc-pfa-2017-18.csv.gz")[..])
        .read_to_end(&mut text)
        .expect("the shipped table is gzip, checked by the tests");
    text
}

/// Where the residents come from, said beside every rate.
pub const RESIDENTS_SOURCE: &str = "usual residents at the 2011 census (Office for National Statistics)";

/// Residents by police force area at the 2011 census.
pub fn force_residents_2011() -> BTreeMap<String, i64> {
    include_str!("../reference/force-population-2011.csv")
        .lines()
        .skip(1)
        .filter_map(|line| {
            let (force, residents) = line.split_once(',')?;
            Some((force.to_string(), residents.trim().parse().ok()?))
        })
        .collect()
}

/// Residents by fire and rescue authority (ONS code, or name for an authority combined since)
/// at the 2011 census.
pub fn fire_residents_2011() -> BTreeMap<String, i64> {
    include_str!("../reference/fire-population-2011.csv")
        .lines()
        .skip(1)
        .filter_map(|line| {
            let (authority, residents) = line.rsplit_once(',')?;
            Some((authority.to_string(), residents.trim().parse().ok()?))
        })
        .collect()
}

/// What the stand-in groups are, said wherever they are used.
pub const STAND_IN_SOURCE: &str = "a stand-in for the Home Office’s most similar groups: the 7 forces whose mix of \
    recorded crime per 1,000 residents in 2017/18 is closest (no public copy of the published groups was found); \
    the office can replace it";

/// For each force area, the seven others whose crime per 1,000 residents, offence group by
/// offence group, is closest (Euclidean distance between the logarithms of the rates, so a
/// group's share of the mix counts, not its size). City of London, with 7,375 residents and a
/// daytime population many times that, is given no group, as in the published groups.
pub fn stand_in_groups(rates: &BTreeMap<String, BTreeMap<String, f64>>) -> BTreeMap<String, Vec<String>> {
    let groups: Vec<&String> =
        rates.values().flat_map(|r| r.keys()).collect::<std::collections::BTreeSet<_>>().into_iter().collect();
    let profile =
        |area: &str| -> Vec<f64> { groups.iter().map(|g| (rates[area].get(*g).copied().unwrap_or(0.0) + 0.01).ln()).collect() };
    let areas: Vec<&String> = rates.keys().filter(|a| a.as_str() != "city-of-london").collect();
    let mut out = BTreeMap::new();
    for area in &areas {
        let own = profile(area);
        let mut others: Vec<(f64, &String)> = areas
            .iter()
            .filter(|other| *other != area)
            .map(|other| (own.iter().zip(profile(other)).map(|(a, b)| (a - b).powi(2)).sum::<f64>().sqrt(), *other))
            .collect();
        others.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(b.1)));
        out.insert((*area).clone(), others.into_iter().take(crate::store::GROUP_SIZE).map(|(_, a)| a.clone()).collect());
    }
    out
}

/// Crime per 1,000 residents by offence group and force area in the shipped 2017/18 table
/// (fraud left out: it is recorded by national bodies, not forces).
pub fn rates_2017_18() -> BTreeMap<String, BTreeMap<String, f64>> {
    let read = crate::datasets::read(crate::model::Dataset::Prc, &prc_2017_18(), "prc-pfa-2017-18.csv")
        .expect("the shipped table reads, checked by the tests");
    let residents = force_residents_2011();
    let mut rates: BTreeMap<String, BTreeMap<String, f64>> = BTreeMap::new();
    for o in read.observations.iter().filter(|o| o.group != "Fraud offences") {
        *rates.entry(o.area.clone()).or_default().entry(o.group.clone()).or_default() += o.value;
    }
    for (area, by_group) in &mut rates {
        let people = residents.get(area).copied().unwrap_or(0) as f64;
        for value in by_group.values_mut() {
            *value = if people > 0.0 { *value / people * 1_000.0 } else { 0.0 };
        }
    }
    rates
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn residents_add_up_to_the_2011_census_for_england_and_wales() {
        let residents = force_residents_2011();
        assert_eq!(residents.len(), 43);
        // The census's published total for England and Wales.
        assert_eq!(residents.values().sum::<i64>(), 56_075_912);
        for area in platform::areas::FORCE_AREAS {
            assert!(residents.contains_key(area.slug), "{}", area.slug);
        }
    }

    #[test]
    fn fire_residents_are_the_same_people_by_authority() {
        let fire = fire_residents_2011();
        assert_eq!(fire.values().sum::<i64>(), 56_075_912);
        assert_eq!(fire["E31000033"], force_residents_2011()["staffordshire"], "one authority, one force area");
        for authority in platform::areas::districts::fire_authorities() {
            let key = if authority.code.is_empty() { authority.name.clone() } else { authority.code.clone() };
            assert!(fire.contains_key(&key), "{key}");
        }
    }

    #[test]
    fn stand_in_groups_have_seven_others_and_the_city_none() {
        let groups = stand_in_groups(&rates_2017_18());
        assert_eq!(groups.len(), 42);
        assert!(!groups.contains_key("city-of-london"));
        for (area, members) in &groups {
            assert_eq!(members.len(), 7, "{area}");
            assert!(!members.contains(area));
            assert!(!members.iter().any(|m| m == "city-of-london"));
        }
        // Not symmetric in general, as the published groups are not: only checked to be a
        // nearest-neighbour choice, so a force's nearest other is in its group.
        let rates = rates_2017_18();
        assert!(rates["staffordshire"]["Violence against the person"] > 0.0);
    }
}
