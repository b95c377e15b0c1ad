//! A police force's outcomes and stop and search over the latest twelve months held: what
//! happened to each type of crime (police.uk's last outcome, grouped), and searches by what was
//! looked for, what happened, whether the outcome was linked to what was looked for, and the
//! officer-recorded ethnicity. Outcomes and searches are published by force, not by district.

use std::collections::BTreeMap;

use platform::db::Pool;
use serde::Serialize;

use crate::measures::months_before;
use crate::reference::{self, CRIME_TYPES, OutcomeGroup};

/// A force with data held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Force {
    pub slug: String,
    pub name: String,
}

/// "west-yorkshire" → "West Yorkshire"; "btp" → "British Transport Police".
pub fn force_name(slug: &str) -> String {
    match slug {
        "btp" => return "British Transport Police".into(),
        "metropolitan" => return "Metropolitan Police".into(),
        _ => {}
    }
    slug.split('-')
        .map(|word| match word {
            "and" | "of" => word.to_string(),
            _ => {
                let mut chars = word.chars();
                chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
            }
        })
        .collect::<Vec<String>>()
        .join(" ")
}

pub async fn forces(pool: &Pool) -> Result<Vec<Force>, sqlx::Error> {
    let slugs: Vec<(String,)> =
        sqlx::query_as("SELECT DISTINCT force FROM crimedata_force_month ORDER BY force").fetch_all(pool).await?;
    Ok(slugs.into_iter().map(|(slug,)| Force { name: force_name(&slug), slug }).collect())
}

/// A count the engine holds for a force and month: street crimes and ASB by crime type, outcomes
/// recorded by outcome, or searches by outcome.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct MonthlyCount {
    pub force: String,
    /// "2026-11".
    pub month: String,
    /// "street", "outcomes" or "stop-and-search".
    pub kind: String,
    /// The crime type's slug ("anti-social-behaviour"), or the outcome as police.uk words it.
    pub category: String,
    pub count: i64,
}

/// Every force's monthly counts the engine holds, for other capabilities to build measures on.
pub async fn monthly_counts(pool: &Pool) -> Result<Vec<MonthlyCount>, sqlx::Error> {
    sqlx::query_as(
        "SELECT force, month, 'street' AS kind, crime_type AS category, CAST(recorded AS BIGINT) AS count FROM crimedata_force_month_type \
         UNION ALL SELECT force, month, 'outcomes' AS kind, outcome AS category, CAST(outcomes AS BIGINT) AS count FROM crimedata_outcome_count \
         UNION ALL SELECT force, month, 'stop-and-search' AS kind, outcome AS category, CAST(SUM(searches) AS BIGINT) AS count \
         FROM crimedata_stop_count GROUP BY force, month, outcome",
    )
    .fetch_all(pool)
    .await
}

/// One crime type's outcomes: crimes in each outcome group, in `OutcomeGroup::ALL` order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutcomeRow {
    pub crime_type: String,
    pub name: String,
    pub crimes: u64,
    pub by_group: Vec<u64>,
}

impl OutcomeRow {
    /// The share (0–100) in group `i`.
    pub fn percent(&self, i: usize) -> f64 {
        if self.crimes == 0 { 0.0 } else { self.by_group.get(i).copied().unwrap_or(0) as f64 * 100.0 / self.crimes as f64 }
    }
}

/// Groups (crime type, outcome code, crimes) rows by crime type and outcome group; ASB has no
/// outcomes and is left out. A last row totals all crime.
pub fn outcome_table(rows: &[(String, String, u64)]) -> Vec<OutcomeRow> {
    let mut by_type: BTreeMap<&str, Vec<u64>> = BTreeMap::new();
    for (crime_type, outcome, n) in rows {
        if crime_type == "anti-social-behaviour" {
            continue;
        }
        let group = if outcome.is_empty() { OutcomeGroup::Unknown } else { reference::outcome_group(outcome) };
        let i = OutcomeGroup::ALL.iter().position(|g| *g == group).unwrap_or(OutcomeGroup::ALL.len() - 1);
        by_type.entry(crime_type).or_insert_with(|| vec![0; OutcomeGroup::ALL.len()])[i] += n;
    }
    let mut table: Vec<OutcomeRow> = CRIME_TYPES
        .iter()
        .filter_map(|(name, slug)| {
            let by_group = by_type.get(slug)?.clone();
            Some(OutcomeRow { crime_type: slug.to_string(), name: name.to_string(), crimes: by_group.iter().sum(), by_group })
        })
        .collect();
    if !table.is_empty() {
        let mut total = vec![0; OutcomeGroup::ALL.len()];
        for row in &table {
            for (t, n) in total.iter_mut().zip(&row.by_group) {
                *t += n;
            }
        }
        table.push(OutcomeRow {
            crime_type: "all-crime".into(),
            name: "All crime".into(),
            crimes: total.iter().sum(),
            by_group: total,
        });
    }
    table
}

/// Searches in one category (an object, an outcome or an ethnicity).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchLine {
    pub label: String,
    pub searches: u64,
    pub percent: f64,
    /// Searches whose outcome was linked to what was looked for.
    pub linked: u64,
    pub linked_percent: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StopAndSearch {
    pub searches: u64,
    pub linked: u64,
    pub linked_percent: f64,
    /// Searches that ended in no further action.
    pub no_further_action: u64,
    pub by_object: Vec<SearchLine>,
    pub by_outcome: Vec<SearchLine>,
    pub by_ethnicity: Vec<SearchLine>,
}

/// `part` as a percentage of `whole` (0 when there is no whole).
pub(crate) fn percent(part: u64, whole: u64) -> f64 {
    if whole == 0 { 0.0 } else { part as f64 * 100.0 / whole as f64 }
}

/// Sums (object, outcome, linked "yes"/"no"/"", ethnicity, searches) rows; each breakdown is
/// ordered by searches, most first.
pub fn stop_and_search(rows: &[(String, String, String, String, u64)]) -> StopAndSearch {
    let mut lines: [BTreeMap<&str, (u64, u64)>; 3] = Default::default();
    let (mut searches, mut linked, mut nfa) = (0, 0, 0);
    for (object, outcome, link, ethnicity, n) in rows {
        let is_linked = if link == "yes" { *n } else { 0 };
        searches += n;
        linked += is_linked;
        if outcome.eq_ignore_ascii_case("A no further action disposal")
            || outcome.eq_ignore_ascii_case("Nothing found - no further action")
        {
            nfa += n;
        }
        for (map, key) in lines.iter_mut().zip([object.as_str(), outcome.as_str(), ethnicity.as_str()]) {
            let entry = map.entry(key).or_default();
            entry.0 += n;
            entry.1 += is_linked;
        }
    }
    let [objects, outcomes, ethnicities] = lines.map(|map| {
        let mut list: Vec<SearchLine> = map
            .into_iter()
            .map(|(label, (n, l))| SearchLine {
                label: label.to_string(),
                searches: n,
                percent: percent(n, searches),
                linked: l,
                linked_percent: percent(l, n),
            })
            .collect();
        list.sort_by(|a, b| b.searches.cmp(&a.searches).then_with(|| a.label.cmp(&b.label)));
        list
    });
    StopAndSearch {
        searches,
        linked,
        linked_percent: percent(linked, searches),
        no_further_action: nfa,
        by_object: objects,
        by_outcome: outcomes,
        by_ethnicity: ethnicities,
    }
}

/// The months a report covers: the first and last held within the latest twelve, and how many
/// are held, so a page never states a year when it holds one month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Period {
    pub from: String,
    pub to: String,
    pub months: u32,
}

impl Period {
    /// The latest twelve months of those held.
    pub fn latest_of(held: &[String]) -> Option<Period> {
        let to = held.iter().max()?;
        let start = months_before(to, 11);
        let within: Vec<&String> = held.iter().filter(|m| **m >= start && *m <= to).collect();
        Some(Period {
            from: within.iter().min().map_or_else(|| to.clone(), |m| (*m).clone()),
            to: to.clone(),
            months: u32::try_from(within.len()).unwrap_or(0),
        })
    }
    pub fn words(&self) -> String {
        if self.months == 1 {
            format!("in {} (the only month held)", platform::format::month_of(&self.to))
        } else {
            format!("from {} ({} months held)", platform::format::month_range(&self.from, &self.to), self.months)
        }
    }
}

/// What the force page shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ForceReport {
    pub force: Force,
    pub outcomes_period: Option<Period>,
    pub outcomes: Vec<OutcomeRow>,
    /// Every crime the force recorded in the period, with and without a location.
    pub locations: Option<crate::measures::ForceLocations>,
    pub searches_period: Option<Period>,
    pub stop_and_search: StopAndSearch,
}

async fn months_held(pool: &Pool, force: &str, kind: &str) -> Result<Vec<String>, sqlx::Error> {
    let months: Vec<(String,)> = sqlx::query_as("SELECT month FROM crimedata_force_month WHERE force = $1 AND kind = $2")
        .bind(force)
        .bind(kind)
        .fetch_all(pool)
        .await?;
    Ok(months.into_iter().map(|(m,)| m).collect())
}

pub async fn force_report(pool: &Pool, force: Force) -> Result<ForceReport, sqlx::Error> {
    let count = |n: i64| u64::try_from(n).unwrap_or(0);
    let outcomes_period = Period::latest_of(&months_held(pool, &force.slug, "street").await?);
    let outcomes = match &outcomes_period {
        Some(Period { from, to, .. }) => {
            let rows: Vec<(String, String, i64)> = sqlx::query_as(
                "SELECT crime_type, outcome, CAST(SUM(crimes) AS BIGINT) FROM crimedata_street_outcome \
                 WHERE force = $1 AND month >= $2 AND month <= $3 GROUP BY crime_type, outcome",
            )
            .bind(&force.slug)
            .bind(from)
            .bind(to)
            .fetch_all(pool)
            .await?;
            outcome_table(&rows.into_iter().map(|(t, o, n)| (t, o, count(n))).collect::<Vec<_>>())
        }
        None => Vec::new(),
    };
    let searches_period = Period::latest_of(&months_held(pool, &force.slug, "stop-and-search").await?);
    let rows: Vec<(String, String, String, String, i64)> = match &searches_period {
        Some(Period { from, to, .. }) => {
            sqlx::query_as(
                "SELECT object, outcome, linked, ethnicity, CAST(SUM(searches) AS BIGINT) FROM crimedata_stop_count \
                 WHERE force = $1 AND month >= $2 AND month <= $3 GROUP BY object, outcome, linked, ethnicity",
            )
            .bind(&force.slug)
            .bind(from)
            .bind(to)
            .fetch_all(pool)
            .await?
        }
        None => Vec::new(),
    };
    let stop_and_search =
        stop_and_search(&rows.into_iter().map(|(o, out, l, e, n)| (o, out, l, e, count(n))).collect::<Vec<_>>());
    let published = crate::measures::published_months(pool).await?;
    let locations = crate::measures::force_locations(pool, &published).await?.remove(&force.slug);
    Ok(ForceReport { force, outcomes_period, outcomes, locations, searches_period, stop_and_search })
}

/// The outcome table as CSV: counts and shares by group.
pub fn outcomes_csv(report: &ForceReport) -> String {
    let mut out = String::from("force,crime_type,crimes");
    for group in OutcomeGroup::ALL {
        out.push_str(&format!(",{0},{0}_percent", group.slug()));
    }
    out.push('\n');
    for row in &report.outcomes {
        out.push_str(&format!("{},{},{}", report.force.slug, row.crime_type, row.crimes));
        for (i, n) in row.by_group.iter().enumerate() {
            out.push_str(&format!(",{n},{:.1}", row.percent(i)));
        }
        out.push('\n');
    }
    out
}

/// Stop and search as CSV: one block per breakdown.
pub fn searches_csv(report: &ForceReport) -> String {
    let s = &report.stop_and_search;
    let mut out = String::from("force,breakdown,label,searches,percent,outcome_linked_to_object,linked_percent\n");
    for (breakdown, lines) in
        [("object", &s.by_object), ("outcome", &s.by_outcome), ("officer-defined-ethnicity", &s.by_ethnicity)]
    {
        for line in lines {
            out.push_str(&format!(
                "{},{breakdown},{},{},{:.1},{},{:.1}\n",
                report.force.slug,
                platform::web::csv_field(&line.label),
                line.searches,
                line.percent,
                line.linked,
                line.linked_percent
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> String {
        text.to_string()
    }

    #[test]
    fn a_period_says_how_many_months_it_holds() {
        let one = Period::latest_of(&[s("2019-06")]).expect("period");
        assert_eq!(one, Period { from: s("2019-06"), to: s("2019-06"), months: 1 });
        assert_eq!(one.words(), "in June 2019 (the only month held)");
        let held: Vec<String> = ["2017-01", "2018-03", "2018-04", "2019-02"].iter().map(|m| s(m)).collect();
        let period = Period::latest_of(&held).expect("period");
        assert_eq!(period.words(), "from March 2018 to February 2019 (3 months held)");
        assert_eq!(Period::latest_of(&[]), None);
    }

    #[test]
    fn force_names_read_as_people_write_them() {
        assert_eq!(force_name("west-yorkshire"), "West Yorkshire");
        assert_eq!(force_name("avon-and-somerset"), "Avon and Somerset");
        assert_eq!(force_name("city-of-london"), "City of London");
        assert_eq!(force_name("btp"), "British Transport Police");
    }

    #[test]
    fn outcomes_are_grouped_by_hand() {
        let rows = vec![
            (s("burglary"), s("no-further-action"), 6),
            (s("burglary"), s("charged"), 3),
            (s("burglary"), s("imprisoned"), 1),
            (s("drugs"), s("cautioned"), 4),
            (s("drugs"), s(""), 1),
            (s("anti-social-behaviour"), s(""), 50),
        ];
        let table = outcome_table(&rows);
        assert_eq!(table.iter().map(|r| r.crime_type.as_str()).collect::<Vec<_>>(), ["burglary", "drugs", "all-crime"]);
        let burglary = &table[0];
        assert_eq!(burglary.crimes, 10);
        // Charged 3 + imprisoned 1 = 40%; no further action 60%.
        assert_eq!(burglary.by_group, vec![4, 0, 6, 0, 0, 0]);
        assert_eq!((burglary.percent(0), burglary.percent(2)), (40.0, 60.0));
        assert_eq!(table[1].by_group, vec![0, 4, 0, 0, 0, 1], "no outcome recorded is its own group");
        assert_eq!(table[2].crimes, 15, "ASB has no outcomes and is not counted");
        assert!(outcome_table(&[]).is_empty());
    }

    #[test]
    fn searches_and_the_linked_rate_by_hand() {
        let rows = vec![
            (s("Controlled drugs"), s("A no further action disposal"), s(""), s("White"), 60),
            (s("Controlled drugs"), s("Arrest"), s("yes"), s("White"), 10),
            (s("Controlled drugs"), s("Arrest"), s("no"), s("Black"), 5),
            (s("Offensive weapons"), s("Arrest"), s("yes"), s("Black"), 25),
        ];
        let summary = stop_and_search(&rows);
        assert_eq!((summary.searches, summary.linked, summary.no_further_action), (100, 35, 60));
        assert_eq!(summary.linked_percent, 35.0);
        assert_eq!(summary.by_object[0].label, "Controlled drugs");
        assert_eq!((summary.by_object[0].searches, summary.by_object[0].linked), (75, 10));
        let weapons = &summary.by_object[1];
        assert_eq!((weapons.percent, weapons.linked_percent), (25.0, 100.0));
        let black = summary.by_ethnicity.iter().find(|l| l.label == "Black").expect("black");
        // 30 searches, 25 linked.
        assert_eq!((black.searches, black.linked), (30, 25));
        assert!((black.linked_percent - 83.333).abs() < 0.01);
        assert_eq!(summary.by_outcome[0].label, "A no further action disposal");
    }
}
