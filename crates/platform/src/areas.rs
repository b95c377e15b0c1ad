//! The 43 police force areas of England and Wales, each named by police.uk's identifier for its
//! force (data.police.uk's list of forces, Open Government Licence v3; the same 43 as the Home
//! Office's recorded-crime tables in `crimedata/reference`). An office is set up for one of them.

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
    pub nation: Nation,
}

/// Every force area, by identifier.
pub const FORCE_AREAS: [ForceArea; 43] = [
    ForceArea { slug: "avon-and-somerset", name: "Avon and Somerset", nation: Nation::England },
    ForceArea { slug: "bedfordshire", name: "Bedfordshire", nation: Nation::England },
    ForceArea { slug: "cambridgeshire", name: "Cambridgeshire", nation: Nation::England },
    ForceArea { slug: "cheshire", name: "Cheshire", nation: Nation::England },
    ForceArea { slug: "city-of-london", name: "City of London", nation: Nation::England },
    ForceArea { slug: "cleveland", name: "Cleveland", nation: Nation::England },
    ForceArea { slug: "cumbria", name: "Cumbria", nation: Nation::England },
    ForceArea { slug: "derbyshire", name: "Derbyshire", nation: Nation::England },
    ForceArea { slug: "devon-and-cornwall", name: "Devon and Cornwall", nation: Nation::England },
    ForceArea { slug: "dorset", name: "Dorset", nation: Nation::England },
    ForceArea { slug: "durham", name: "Durham", nation: Nation::England },
    ForceArea { slug: "dyfed-powys", name: "Dyfed-Powys", nation: Nation::Wales },
    ForceArea { slug: "essex", name: "Essex", nation: Nation::England },
    ForceArea { slug: "gloucestershire", name: "Gloucestershire", nation: Nation::England },
    ForceArea { slug: "greater-manchester", name: "Greater Manchester", nation: Nation::England },
    ForceArea { slug: "gwent", name: "Gwent", nation: Nation::Wales },
    ForceArea { slug: "hampshire", name: "Hampshire", nation: Nation::England },
    ForceArea { slug: "hertfordshire", name: "Hertfordshire", nation: Nation::England },
    ForceArea { slug: "humberside", name: "Humberside", nation: Nation::England },
    ForceArea { slug: "kent", name: "Kent", nation: Nation::England },
    ForceArea { slug: "lancashire", name: "Lancashire", nation: Nation::England },
    ForceArea { slug: "leicestershire", name: "Leicestershire", nation: Nation::England },
    ForceArea { slug: "lincolnshire", name: "Lincolnshire", nation: Nation::England },
    ForceArea { slug: "merseyside", name: "Merseyside", nation: Nation::England },
    ForceArea { slug: "metropolitan", name: "London (Metropolitan Police District)", nation: Nation::England },
    ForceArea { slug: "norfolk", name: "Norfolk", nation: Nation::England },
    ForceArea { slug: "north-wales", name: "North Wales", nation: Nation::Wales },
    ForceArea { slug: "north-yorkshire", name: "North Yorkshire", nation: Nation::England },
    ForceArea { slug: "northamptonshire", name: "Northamptonshire", nation: Nation::England },
    ForceArea { slug: "northumbria", name: "Northumbria", nation: Nation::England },
    ForceArea { slug: "nottinghamshire", name: "Nottinghamshire", nation: Nation::England },
    ForceArea { slug: "south-wales", name: "South Wales", nation: Nation::Wales },
    ForceArea { slug: "south-yorkshire", name: "South Yorkshire", nation: Nation::England },
    ForceArea { slug: "staffordshire", name: "Staffordshire", nation: Nation::England },
    ForceArea { slug: "suffolk", name: "Suffolk", nation: Nation::England },
    ForceArea { slug: "surrey", name: "Surrey", nation: Nation::England },
    ForceArea { slug: "sussex", name: "Sussex", nation: Nation::England },
    ForceArea { slug: "thames-valley", name: "Thames Valley", nation: Nation::England },
    ForceArea { slug: "warwickshire", name: "Warwickshire", nation: Nation::England },
    ForceArea { slug: "west-mercia", name: "West Mercia", nation: Nation::England },
    ForceArea { slug: "west-midlands", name: "West Midlands", nation: Nation::England },
    ForceArea { slug: "west-yorkshire", name: "West Yorkshire", nation: Nation::England },
    ForceArea { slug: "wiltshire", name: "Wiltshire", nation: Nation::England },
];

/// The force area with this identifier.
pub fn force_area(slug: &str) -> Option<&'static ForceArea> {
    FORCE_AREAS.iter().find(|area| area.slug == slug)
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
        let table = include_str!("../../crimedata/reference/force-crime-mix.csv");
        let mut forces: Vec<&str> = table.lines().skip(1).filter_map(|line| line.split(',').next()).collect();
        forces.dedup();
        assert_eq!(forces, slugs);
        assert_eq!(force_area("dyfed-powys").map(|a| a.name), Some("Dyfed-Powys"));
        assert_eq!(force_area("btp"), None, "British Transport Police has no area and no local policing body");
    }
}
