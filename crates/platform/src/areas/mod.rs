//! The 43 police force areas of England and Wales, each named by police.uk's identifier for its
//! force (data.police.uk's list of forces, Open Government Licence v3; the same 43 as the Home
//! Office's recorded-crime tables in `crimedata/reference`). The forces' names are police.uk's too.
//! An office is set up for one of them; [`districts`] gives each area's districts, partnerships
//! and fire and rescue authorities.

pub mod districts;

pub use districts::{District, FireAuthority, Partnership};

/// The nation a force area is in: Welsh areas have Welsh-language duties and Welsh councils.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nation {
    England,
    Wales,
}

/// One police force area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ForceArea {
    /// police.uk's identifier, e.g. "west-yorkshire".
    pub slug: &'static str,
    /// The area as offices name it, e.g. "West Yorkshire".
    pub name: &'static str,
    /// The force as police.uk's list of forces names it, e.g. "Dyfed-Powys Police".
    pub force: &'static str,
    pub nation: Nation,
}

/// Every force area, by identifier.
pub const FORCE_AREAS: [ForceArea; 43] = [
    ForceArea {
        slug: "avon-and-somerset",
        name: "Avon and Somerset",
        force: "Avon and Somerset Constabulary",
        nation: Nation::England,
    },
    ForceArea { slug: "bedfordshire", name: "Bedfordshire", force: "Bedfordshire Police", nation: Nation::England },
    ForceArea { slug: "cambridgeshire", name: "Cambridgeshire", force: "Cambridgeshire Constabulary", nation: Nation::England },
    ForceArea { slug: "cheshire", name: "Cheshire", force: "Cheshire Constabulary", nation: Nation::England },
    ForceArea { slug: "city-of-london", name: "City of London", force: "City of London Police", nation: Nation::England },
    ForceArea { slug: "cleveland", name: "Cleveland", force: "Cleveland Police", nation: Nation::England },
    ForceArea { slug: "cumbria", name: "Cumbria", force: "Cumbria Constabulary", nation: Nation::England },
    ForceArea { slug: "derbyshire", name: "Derbyshire", force: "Derbyshire Constabulary", nation: Nation::England },
    ForceArea {
        slug: "devon-and-cornwall",
        name: "Devon and Cornwall",
        force: "Devon & Cornwall Police",
        nation: Nation::England,
    },
    ForceArea { slug: "dorset", name: "Dorset", force: "Dorset Police", nation: Nation::England },
    ForceArea { slug: "durham", name: "Durham", force: "Durham Constabulary", nation: Nation::England },
    ForceArea { slug: "dyfed-powys", name: "Dyfed-Powys", force: "Dyfed-Powys Police", nation: Nation::Wales },
    ForceArea { slug: "essex", name: "Essex", force: "Essex Police", nation: Nation::England },
    ForceArea {
        slug: "gloucestershire",
        name: "Gloucestershire",
        force: "Gloucestershire Constabulary",
        nation: Nation::England,
    },
    ForceArea {
        slug: "greater-manchester",
        name: "Greater Manchester",
        force: "Greater Manchester Police",
        nation: Nation::England,
    },
    ForceArea { slug: "gwent", name: "Gwent", force: "Gwent Police", nation: Nation::Wales },
    ForceArea { slug: "hampshire", name: "Hampshire", force: "Hampshire Constabulary", nation: Nation::England },
    ForceArea { slug: "hertfordshire", name: "Hertfordshire", force: "Hertfordshire Constabulary", nation: Nation::England },
    ForceArea { slug: "humberside", name: "Humberside", force: "Humberside Police", nation: Nation::England },
    ForceArea { slug: "kent", name: "Kent", force: "Kent Police", nation: Nation::England },
    ForceArea { slug: "lancashire", name: "Lancashire", force: "Lancashire Constabulary", nation: Nation::England },
    ForceArea { slug: "leicestershire", name: "Leicestershire", force: "Leicestershire Police", nation: Nation::England },
    ForceArea { slug: "lincolnshire", name: "Lincolnshire", force: "Lincolnshire Police", nation: Nation::England },
    ForceArea { slug: "merseyside", name: "Merseyside", force: "Merseyside Police", nation: Nation::England },
    ForceArea {
        slug: "metropolitan",
        name: "London (Metropolitan Police District)",
        force: "Metropolitan Police Service",
        nation: Nation::England,
    },
    ForceArea { slug: "norfolk", name: "Norfolk", force: "Norfolk Constabulary", nation: Nation::England },
    ForceArea { slug: "north-wales", name: "North Wales", force: "North Wales Police", nation: Nation::Wales },
    ForceArea { slug: "north-yorkshire", name: "North Yorkshire", force: "North Yorkshire Police", nation: Nation::England },
    ForceArea { slug: "northamptonshire", name: "Northamptonshire", force: "Northamptonshire Police", nation: Nation::England },
    ForceArea { slug: "northumbria", name: "Northumbria", force: "Northumbria Police", nation: Nation::England },
    ForceArea { slug: "nottinghamshire", name: "Nottinghamshire", force: "Nottinghamshire Police", nation: Nation::England },
    ForceArea { slug: "south-wales", name: "South Wales", force: "South Wales Police", nation: Nation::Wales },
    ForceArea { slug: "south-yorkshire", name: "South Yorkshire", force: "South Yorkshire Police", nation: Nation::England },
    ForceArea { slug: "staffordshire", name: "Staffordshire", force: "Staffordshire Police", nation: Nation::England },
    ForceArea { slug: "suffolk", name: "Suffolk", force: "Suffolk Constabulary", nation: Nation::England },
    ForceArea { slug: "surrey", name: "Surrey", force: "Surrey Police", nation: Nation::England },
    ForceArea { slug: "sussex", name: "Sussex", force: "Sussex Police", nation: Nation::England },
    ForceArea { slug: "thames-valley", name: "Thames Valley", force: "Thames Valley Police", nation: Nation::England },
    ForceArea { slug: "warwickshire", name: "Warwickshire", force: "Warwickshire Police", nation: Nation::England },
    ForceArea { slug: "west-mercia", name: "West Mercia", force: "West Mercia Police", nation: Nation::England },
    ForceArea { slug: "west-midlands", name: "West Midlands", force: "West Midlands Police", nation: Nation::England },
    ForceArea { slug: "west-yorkshire", name: "West Yorkshire", force: "West Yorkshire Police", nation: Nation::England },
    ForceArea { slug: "wiltshire", name: "Wiltshire", force: "Wiltshire Police", nation: Nation::England },
];

/// The force area with this identifier.
pub fn force_area(slug: &str) -> Option<&'static ForceArea> {
    FORCE_AREAS.iter().find(|area| area.slug == slug)
}

/// Words that name a place the same way whatever the publisher: lower case, "&" as "and",
/// punctuation gone, and the words that say what kind of body it is left out.
fn place_words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .replace('&', " and ")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| {
            !w.is_empty()
                && !matches!(
                    *w,
                    "police" | "constabulary" | "service" | "force" | "area" | "fire" | "rescue" | "authority" | "and" | "the"
                )
        })
        .map(str::to_string)
        .collect()
}

/// The force area a publisher's force name means: police.uk's names, the Home Office tables'
/// ("London, City of", "Metropolitan Police", "Devon and Cornwall") and the area names alike.
/// `None` for bodies with no area (British Transport Police, Action Fraud, CIFAS, UK Finance) and
/// for totals ("England and Wales").
pub fn force_area_named(name: &str) -> Option<&'static ForceArea> {
    let mut words = place_words(name);
    words.sort();
    if words.is_empty() {
        return None;
    }
    let matches = |candidate: &str| {
        let mut theirs = place_words(candidate);
        theirs.sort();
        theirs == words
    };
    FORCE_AREAS.iter().find(|area| {
        matches(area.name)
            || matches(area.force)
            || matches(area.slug)
            || (area.slug == "metropolitan" && matches("Metropolitan"))
    })
}

impl ForceArea {
    /// The force's professional standards department, which answers complaints about it.
    pub fn professional_standards(&self) -> String {
        format!("{} Professional Standards Department", self.force.replace(" & ", " and "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_are_43_areas_four_of_them_welsh_and_the_crime_tables_have_the_same() {
        assert_eq!(FORCE_AREAS.len(), 43);
        assert_eq!(FORCE_AREAS.iter().filter(|a| a.nation == Nation::Wales).count(), 4);
        let mut slugs: Vec<&str> = FORCE_AREAS.iter().map(|a| a.slug).collect();
        slugs.dedup();
        assert_eq!(slugs.len(), 43, "no area twice, in order");
        // An independent list: the forces of the Home Office's recorded-crime tables.
        let table = include_str!("../../../crimedata/reference/force-crime-mix.csv");
        let mut forces: Vec<&str> = table.lines().skip(1).filter_map(|line| line.split(',').next()).collect();
        forces.dedup();
        assert_eq!(forces, slugs);
        assert_eq!(force_area("dyfed-powys").map(|a| a.name), Some("Dyfed-Powys"));
        assert_eq!(force_area("btp"), None, "British Transport Police has no area and no local policing body");
    }

    #[test]
    fn publishers_names_for_forces_reconcile() {
        // As the Home Office recorded-crime tables name them (crime-sim-toolkit's 2017/18 copy).
        for (name, slug) in [
            ("London, City of", Some("city-of-london")),
            ("Metropolitan Police", Some("metropolitan")),
            ("Devon and Cornwall", Some("devon-and-cornwall")),
            ("Devon & Cornwall Police", Some("devon-and-cornwall")),
            ("Dyfed-Powys", Some("dyfed-powys")),
            ("Staffordshire", Some("staffordshire")),
            ("West Midlands", Some("west-midlands")),
            ("British Transport Police", None),
            ("Action Fraud", None),
            ("CIFAS", None),
            ("England and Wales", None),
            ("", None),
        ] {
            assert_eq!(force_area_named(name).map(|a| a.slug), slug, "{name}");
        }
        for area in FORCE_AREAS {
            assert_eq!(force_area_named(area.name).map(|a| a.slug), Some(area.slug));
            assert_eq!(force_area_named(area.force).map(|a| a.slug), Some(area.slug));
        }
    }
}
