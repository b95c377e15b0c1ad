//! Harm-weighted totals: each crime counted by a weight for how much harm that type does (days
//! of custody a typical sentence carries, as in the ONS Crime Severity Score or the Cambridge
//! Crime Harm Index). Weights come only from tables an administrator imports, with their source
//! and vintage, and every figure names the table it used.

use std::collections::BTreeMap;

use platform::audit::{self, Actor, Event};
use platform::db::{self, Pool};
use serde::Serialize;
use time::OffsetDateTime;

use crate::reference::{self, CRIME_TYPES};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HarmTable {
    pub name: String,
    pub source: String,
    pub vintage: String,
    /// Crime type slug → weight.
    pub weights: BTreeMap<String, f64>,
}

/// Reads a weights CSV: a `crime_type` column (police.uk label or slug) and a `weight` column,
/// in any order. Every problem is named by line; a table with any problem is refused whole.
pub fn parse_weights(text: &str) -> Result<BTreeMap<String, f64>, Vec<String>> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().trim_start_matches('\u{feff}').to_ascii_lowercase()).collect(),
        Err(e) => return Err(vec![format!("the header cannot be read ({e})")]),
    };
    let column = |names: &[&str]| header.iter().position(|h| names.contains(&h.as_str()));
    let (Some(type_column), Some(weight_column)) =
        (column(&["crime_type", "crime type", "category"]), column(&["weight", "harm_weight", "days"]))
    else {
        return Err(vec!["the file needs a crime_type column and a weight column".to_string()]);
    };
    let mut weights = BTreeMap::new();
    let mut problems = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let line = index + 2;
        let Ok(record) = record else {
            problems.push(format!("line {line}: cannot be read"));
            continue;
        };
        let label = record.get(type_column).unwrap_or("").trim();
        let slug = reference::crime_type_slug(label).or_else(|| CRIME_TYPES.iter().map(|(_, s)| *s).find(|s| *s == label));
        let Some(slug) = slug else {
            problems.push(format!("line {line}: {label:?} is not a police.uk crime type"));
            continue;
        };
        match record.get(weight_column).unwrap_or("").trim().replace(',', "").parse::<f64>() {
            Ok(weight) if weight.is_finite() && weight >= 0.0 => {
                if weights.insert(slug.to_string(), weight).is_some() {
                    problems.push(format!("line {line}: {label} has a weight already"));
                }
            }
            _ => problems.push(format!("line {line}: the weight for {label} is not a number of zero or more")),
        }
    }
    if weights.is_empty() && problems.is_empty() {
        problems.push("the file holds no weights".to_string());
    }
    if problems.is_empty() { Ok(weights) } else { Err(problems) }
}

/// Stores a table, replacing one of the same name, in one transaction with its audit entry.
pub async fn store(pool: &Pool, table: &HarmTable, actor: &Actor) -> Result<(), sqlx::Error> {
    let now = OffsetDateTime::now_utc();
    let mut tx = platform::db::begin_write(pool).await?;
    sqlx::query("DELETE FROM crimedata_harm_weight WHERE table_name = $1").bind(&table.name).execute(&mut *tx).await?;
    sqlx::query("DELETE FROM crimedata_harm_table WHERE name = $1").bind(&table.name).execute(&mut *tx).await?;
    sqlx::query("INSERT INTO crimedata_harm_table (name, source, vintage, imported_at) VALUES ($1, $2, $3, $4)")
        .bind(&table.name)
        .bind(&table.source)
        .bind(&table.vintage)
        .bind(db::timestamp(now))
        .execute(&mut *tx)
        .await?;
    for (crime_type, weight) in &table.weights {
        sqlx::query("INSERT INTO crimedata_harm_weight (table_name, crime_type, weight) VALUES ($1, $2, $3)")
            .bind(&table.name)
            .bind(crime_type)
            .bind(*weight)
            .execute(&mut *tx)
            .await?;
    }
    let detail = format!("{} weights from {} ({})", table.weights.len(), table.source, table.vintage);
    audit::record(
        &mut tx,
        actor,
        Event { action: "imported harm weights", record_type: "harm table", record_id: &table.name, detail: &detail },
        now,
    )
    .await?;
    tx.commit().await
}

/// The table imported last, which figures use.
pub async fn current(pool: &Pool) -> Result<Option<HarmTable>, sqlx::Error> {
    let Some((name, source, vintage)): Option<(String, String, String)> =
        sqlx::query_as("SELECT name, source, vintage FROM crimedata_harm_table ORDER BY imported_at DESC, name LIMIT 1")
            .fetch_optional(pool)
            .await?
    else {
        return Ok(None);
    };
    let weights: Vec<(String, f64)> =
        sqlx::query_as("SELECT crime_type, weight FROM crimedata_harm_weight WHERE table_name = $1")
            .bind(&name)
            .fetch_all(pool)
            .await?;
    Ok(Some(HarmTable { name, source, vintage, weights: weights.into_iter().collect() }))
}

/// Harm in two periods: Σ crimes × weight by crime type, over (crime type, latest, previous).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HarmTotals {
    pub latest: f64,
    pub previous: f64,
    /// Change in percent, when the earlier period had any harm.
    pub change_percent: Option<f64>,
    /// Crime types counted that the table has no weight for (left out of both totals).
    pub unweighted: Vec<String>,
}

pub fn totals(table: &HarmTable, counts: &[(String, u64, u64)]) -> HarmTotals {
    let (mut latest, mut previous, mut unweighted) = (0.0, 0.0, Vec::new());
    for (crime_type, now, before) in counts {
        match table.weights.get(crime_type) {
            Some(weight) => {
                latest += *now as f64 * weight;
                previous += *before as f64 * weight;
            }
            None if now + before > 0 => unweighted.push(reference::crime_type_name(crime_type).to_string()),
            None => {}
        }
    }
    let change_percent = (previous > 0.0).then(|| (latest / previous - 1.0) * 100.0);
    HarmTotals { latest, previous, change_percent, unweighted }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_are_read_by_label_or_slug_and_problems_named_by_line() {
        let weights = parse_weights("Crime type,Weight\nBurglary,273.5\nviolent-crime,\"1,000\"\n").expect("good");
        assert_eq!(weights.get("burglary"), Some(&273.5));
        assert_eq!(weights.get("violent-crime"), Some(&1000.0));
        let problems = parse_weights("crime_type,weight\nFraud,5\nDrugs,lots\nDrugs,3\nDrugs,4\n").expect_err("bad");
        assert_eq!(
            problems,
            vec![
                "line 2: \"Fraud\" is not a police.uk crime type",
                "line 3: the weight for Drugs is not a number of zero or more",
                "line 5: Drugs has a weight already",
            ]
        );
        assert_eq!(
            parse_weights("name,value\nx,1\n").expect_err("no columns"),
            vec!["the file needs a crime_type column and a weight column"]
        );
        assert_eq!(parse_weights("crime_type,weight\n").expect_err("empty"), vec!["the file holds no weights"]);
        assert!(parse_weights("crime_type,weight\nDrugs,-1\n").is_err(), "negative harm");
    }

    #[test]
    fn totals_by_hand() {
        let table = HarmTable {
            name: "t".into(),
            source: "s".into(),
            vintage: "v".into(),
            weights: [("burglary".to_string(), 273.5), ("drugs".to_string(), 3.0)].into_iter().collect(),
        };
        let counts = vec![
            ("burglary".to_string(), 10, 20),
            ("drugs".to_string(), 100, 50),
            ("shoplifting".to_string(), 5, 0),
            ("robbery".to_string(), 0, 0),
        ];
        let t = totals(&table, &counts);
        // 10 × 273.5 + 100 × 3 = 3,035; 20 × 273.5 + 50 × 3 = 5,620.
        assert_eq!((t.latest, t.previous), (3035.0, 5620.0));
        assert!((t.change_percent.expect("change") - (3035.0 / 5620.0 - 1.0) * 100.0).abs() < 1e-12);
        assert_eq!(t.unweighted, vec!["Shoplifting"]);
    }
}
