//! The police.uk vocabularies: crime types with their API slugs, and outcome categories with
//! their codes and the group each is reported under, with the older labels kept as aliases.
//! Source: data.police.uk documentation and archive files (OGL v3), vintage 2026.

/// (CSV label, API slug), in the order police.uk lists them.
pub const CRIME_TYPES: [(&str, &str); 14] = [
    ("Anti-social behaviour", "anti-social-behaviour"),
    ("Bicycle theft", "bicycle-theft"),
    ("Burglary", "burglary"),
    ("Criminal damage and arson", "criminal-damage-arson"),
    ("Drugs", "drugs"),
    ("Other crime", "other-crime"),
    ("Other theft", "other-theft"),
    ("Possession of weapons", "possession-of-weapons"),
    ("Public order", "public-order"),
    ("Robbery", "robbery"),
    ("Shoplifting", "shoplifting"),
    ("Theft from the person", "theft-from-the-person"),
    ("Vehicle crime", "vehicle-crime"),
    ("Violence and sexual offences", "violent-crime"),
];

/// Labels used in older files, and the type they are counted under now.
pub const CRIME_TYPE_ALIASES: [(&str, &str); 2] = [
    // Split in May 2013 into public order and possession of weapons; counted as public order.
    ("Public disorder and weapons", "public-order"),
    ("Violent crime", "violent-crime"),
];

pub const SOURCE: &str = "data.police.uk documentation and archive files (OGL v3), vintage 2026";

/// The API slug of a CSV crime type label (current or older), matched without regard to case.
pub fn crime_type_slug(label: &str) -> Option<&'static str> {
    let label = label.trim();
    // Files spell labels exactly as listed on all but old or hand-made rows: look those up first.
    CRIME_TYPES
        .iter()
        .find(|(l, _)| *l == label)
        .or_else(|| CRIME_TYPES.iter().chain(CRIME_TYPE_ALIASES.iter()).find(|(l, _)| l.eq_ignore_ascii_case(label)))
        .map(|(_, slug)| *slug)
}

/// Where a crime type's count is kept in the table of counts by LSOA and month: its place in
/// [`CRIME_TYPES`], which is also the order of the table's columns.
pub fn crime_type_index(slug: &str) -> Option<usize> {
    CRIME_TYPES.iter().position(|(_, s)| *s == slug)
}

/// The column of `crimedata_lsoa_month` that holds a crime type: its slug with underscores.
pub fn crime_type_column(index: usize) -> String {
    CRIME_TYPES[index].1.replace('-', "_")
}

pub fn crime_type_name(slug: &str) -> &'static str {
    CRIME_TYPES.iter().find(|(_, s)| *s == slug).map(|(l, _)| *l).unwrap_or("Unknown")
}

/// How outcomes are grouped in reports (a project choice, shown on the pages).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OutcomeGroup {
    Charged,
    OutOfCourt,
    NoFurtherAction,
    OtherBody,
    Pending,
    Unknown,
}

impl OutcomeGroup {
    pub const ALL: [OutcomeGroup; 6] = [
        OutcomeGroup::Charged,
        OutcomeGroup::OutOfCourt,
        OutcomeGroup::NoFurtherAction,
        OutcomeGroup::OtherBody,
        OutcomeGroup::Pending,
        OutcomeGroup::Unknown,
    ];
    pub fn slug(self) -> &'static str {
        match self {
            OutcomeGroup::Charged => "charged-or-court",
            OutcomeGroup::OutOfCourt => "out-of-court",
            OutcomeGroup::NoFurtherAction => "no-further-action",
            OutcomeGroup::OtherBody => "other-body",
            OutcomeGroup::Pending => "under-investigation",
            OutcomeGroup::Unknown => "not-recorded",
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            OutcomeGroup::Charged => "Charged or dealt with at court",
            OutcomeGroup::OutOfCourt => "Dealt with out of court",
            OutcomeGroup::NoFurtherAction => "No further action",
            OutcomeGroup::OtherBody => "Passed to another organisation",
            OutcomeGroup::Pending => "Under investigation or awaiting court",
            OutcomeGroup::Unknown => "No outcome recorded",
        }
    }
}

/// (code, current CSV label, group).
pub const OUTCOMES: [(&str, &str, OutcomeGroup); 28] = [
    ("awaiting-court-result", "Awaiting court outcome", OutcomeGroup::Pending),
    ("court-result-unavailable", "Court result unavailable", OutcomeGroup::Charged),
    ("unable-to-proceed", "Court case unable to proceed", OutcomeGroup::Charged),
    ("local-resolution", "Local resolution", OutcomeGroup::OutOfCourt),
    ("no-further-action", "Investigation complete; no suspect identified", OutcomeGroup::NoFurtherAction),
    ("deprived-of-property", "Offender deprived of property", OutcomeGroup::Charged),
    ("fined", "Offender fined", OutcomeGroup::Charged),
    ("absolute-discharge", "Offender given absolute discharge", OutcomeGroup::Charged),
    ("cautioned", "Offender given a caution", OutcomeGroup::OutOfCourt),
    ("drugs-possession-warning", "Offender given a drugs possession warning", OutcomeGroup::OutOfCourt),
    ("penalty-notice-issued", "Offender given penalty notice", OutcomeGroup::OutOfCourt),
    ("community-penalty", "Offender given community sentence", OutcomeGroup::Charged),
    ("conditional-discharge", "Offender given conditional discharge", OutcomeGroup::Charged),
    ("suspended-sentence", "Offender given suspended prison sentence", OutcomeGroup::Charged),
    ("imprisoned", "Offender sent to prison", OutcomeGroup::Charged),
    ("other-court-disposal", "Offender otherwise dealt with", OutcomeGroup::Charged),
    ("compensation", "Offender ordered to pay compensation", OutcomeGroup::Charged),
    ("sentenced-in-another-case", "Suspect charged as part of another case", OutcomeGroup::Charged),
    ("charged", "Suspect charged", OutcomeGroup::Charged),
    ("not-guilty", "Defendant found not guilty", OutcomeGroup::Charged),
    ("sent-to-crown-court", "Defendant sent to Crown Court", OutcomeGroup::Pending),
    ("unable-to-prosecute", "Unable to prosecute suspect", OutcomeGroup::NoFurtherAction),
    ("formal-action-not-in-public-interest", "Formal action is not in the public interest", OutcomeGroup::NoFurtherAction),
    ("further-action-not-in-public-interest", "Further action is not in the public interest", OutcomeGroup::NoFurtherAction),
    ("action-taken-by-another-organisation", "Action to be taken by another organisation", OutcomeGroup::OtherBody),
    (
        "further-investigation-not-in-public-interest",
        "Further investigation is not in the public interest",
        OutcomeGroup::NoFurtherAction,
    ),
    ("under-investigation", "Under investigation", OutcomeGroup::Pending),
    ("status-update-unavailable", "Status update unavailable", OutcomeGroup::Unknown),
];

/// Labels renamed in 2014, and the code they mean now.
pub const OUTCOME_ALIASES: [(&str, &str); 4] = [
    ("No further action", "no-further-action"),
    ("Offender imprisoned", "imprisoned"),
    ("Offender sentenced as part of another case", "sentenced-in-another-case"),
    ("Awaiting court result", "awaiting-court-result"),
];

/// The outcome code of a CSV label (current or older), matched without regard to case.
pub fn outcome_code(label: &str) -> Option<&'static str> {
    let label = label.trim();
    if let Some((code, _, _)) = OUTCOMES.iter().find(|(_, l, _)| *l == label) {
        return Some(code);
    }
    OUTCOMES
        .iter()
        .map(|(code, l, _)| (*l, *code))
        .chain(OUTCOME_ALIASES.iter().copied())
        .find(|(l, _)| l.eq_ignore_ascii_case(label))
        .map(|(_, code)| code)
}

pub fn outcome_group(code: &str) -> OutcomeGroup {
    OUTCOMES.iter().find(|(c, _, _)| *c == code).map(|(_, _, g)| *g).unwrap_or(OutcomeGroup::Unknown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_crime_type_has_its_column_in_the_counts_table() {
        let migration = include_str!("../migrations/20261124000500_crimedata_lsoa_month.sql");
        for (i, (_, slug)) in CRIME_TYPES.iter().enumerate() {
            assert_eq!(crime_type_index(slug), Some(i));
            let column = crime_type_column(i);
            assert!(migration.contains(&format!("    {column} BIGINT NOT NULL DEFAULT 0,")), "{column}");
            assert!(migration.contains(&format!("WHEN crime_type = '{slug}' THEN")), "{slug} carried over");
        }
        assert_eq!(crime_type_index("fraud"), None);
    }

    #[test]
    fn labels_old_and_new_find_their_codes() {
        assert_eq!(crime_type_slug("Violence and sexual offences"), Some("violent-crime"));
        assert_eq!(crime_type_slug("ANTI-SOCIAL BEHAVIOUR"), Some("anti-social-behaviour"));
        assert_eq!(crime_type_slug("Public disorder and weapons"), Some("public-order"));
        assert_eq!(crime_type_slug("Fraud"), None);
        assert_eq!(outcome_code("No further action"), Some("no-further-action"));
        assert_eq!(outcome_code("Investigation complete; no suspect identified"), Some("no-further-action"));
        assert_eq!(outcome_code("Offender imprisoned"), Some("imprisoned"));
        assert_eq!(outcome_group("cautioned"), OutcomeGroup::OutOfCourt);
        assert_eq!(crime_type_name("burglary"), "Burglary");
    }

    #[test]
    fn every_code_and_slug_is_unique() {
        let mut slugs: Vec<&str> = CRIME_TYPES.iter().map(|(_, s)| *s).collect();
        slugs.sort_unstable();
        slugs.dedup();
        assert_eq!(slugs.len(), CRIME_TYPES.len());
        let mut codes: Vec<&str> = OUTCOMES.iter().map(|(c, _, _)| *c).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), OUTCOMES.len());
    }
}
