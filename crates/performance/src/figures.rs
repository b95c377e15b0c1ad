//! A measure's figures as published: its series for the office's area, the control chart and the
//! verdict in words, the assurance against its target, and the comparison with the most similar
//! group. [`MeasureFigures`] is what a public page shows, what a locked quarter keeps (as JSON)
//! and what a meeting pack is made from, so all three say the same.

use std::collections::BTreeMap;

use platform::periods::Period;
use serde::{Deserialize, Serialize};

use crate::compare::{self, Comparison, Member};
use crate::model::{Definition, Frequency, Recipe, Take, Unit};
use crate::spc::{self, Assurance, Variation};
use crate::store::Sums;

/// One period's figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub period: String,
    pub value: f64,
}

/// A comparison with the most similar group over a window of periods.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupFigures {
    /// "12 months to March 2018" or "2023/24".
    pub window: String,
    pub members: Vec<GroupMember>,
    pub group_rate: f64,
    /// Where the group comes from and what the residents are.
    pub group_source: String,
    pub residents_source: String,
    /// The over-dispersion factor the funnel's limits were widened by (1 for none).
    pub dispersion: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupMember {
    pub code: String,
    pub name: String,
    pub events: f64,
    pub residents: f64,
    pub rate: f64,
    pub low: f64,
    pub high: f64,
    pub home: bool,
    pub position: String,
}

/// Everything published about a measure at one moment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeasureFigures {
    pub definition: Definition,
    pub version: i64,
    pub catalogue: String,
    /// The area the figures are for (a police force area or a fire authority) and its name.
    pub area: String,
    pub area_name: String,
    pub points: Vec<Point>,
    pub chart: Option<spc::Chart>,
    pub variation: Variation,
    pub assurance: Assurance,
    pub group: Option<GroupFigures>,
    /// The vintages the figures come from ("Home Office, April 2025 release"), or "Returns".
    pub vintages: Vec<String>,
    /// Plan commitments evidenced: (plan slug, commitment words).
    pub commitments: Vec<(String, String)>,
}

impl MeasureFigures {
    pub fn latest(&self) -> Option<&Point> {
        self.points.last()
    }
    pub fn unit(&self) -> Unit {
        self.definition.unit
    }
    /// The verdict in a sentence, with why.
    pub fn verdict(&self) -> String {
        match (&self.chart, self.variation) {
            (None, _) => format!(
                "There are {} periods of figures: a control chart needs at least {}, so no verdict is given yet.",
                self.points.len(),
                spc::MIN_POINTS
            ),
            (Some(chart), variation) => {
                let i = self.points.len().saturating_sub(1);
                let reasons = chart.reasons(i);
                match variation {
                    Variation::NoSignificantChange => {
                        "No significant change: the latest figure is within the range the past figures vary by.".to_string()
                    }
                    other if reasons.is_empty() => format!("{}.", other.words()),
                    other => format!("{}: the latest figure is {reasons}.", other.words()),
                }
            }
        }
    }
}

/// A measure's value per period from the sums of its rows (and of its denominator's, for a
/// share), per 1,000 of `residents` for a rate. Periods with nothing to divide by are left out.
pub fn series(
    definition: &Definition,
    recipe: &Recipe,
    sums: &BTreeMap<String, Sums>,
    denominator: Option<&BTreeMap<String, Sums>>,
    residents: Option<f64>,
) -> Vec<Point> {
    let wanted_kind = |slug: &str| {
        matches!(
            (Period::from_slug(slug), definition.frequency),
            (Some(Period::Year(_)), Frequency::Year)
                | (Some(Period::Quarter(_)), Frequency::Quarter)
                | (Some(Period::Month(..)), Frequency::Month)
        )
    };
    sums.iter()
        .filter(|(period, _)| wanted_kind(period))
        .filter_map(|(period, s)| {
            let value = match recipe.take {
                Take::Sum => Some(s.value),
                Take::SumSecond => Some(s.second),
                Take::WeightedMean => (s.value > 0.0).then(|| s.weighted / s.value),
                Take::ShareOf => {
                    denominator.and_then(|d| d.get(period)).filter(|d| d.value > 0.0).map(|d| 100.0 * s.value / d.value)
                }
            }?;
            let value = match definition.unit {
                Unit::Rate => residents.filter(|r| *r > 0.0).map(|r| value / r * compare::PER)?,
                _ => value,
            };
            value.is_finite().then(|| Point { period: period.clone(), value })
        })
        .collect()
}

/// The points of the definition's baseline periods, as a range of `points`: `None` for the
/// whole series.
pub fn baseline(definition: &Definition, points: &[Point]) -> Option<std::ops::Range<usize>> {
    if definition.baseline_from.is_empty() && definition.baseline_to.is_empty() {
        return None;
    }
    let start = points.iter().filter(|p| p.period < definition.baseline_from).count();
    let to = if definition.baseline_to.is_empty() { "~" } else { definition.baseline_to.as_str() };
    let end = points.iter().filter(|p| p.period.as_str() <= to).count();
    Some(start..end.max(start))
}

/// The chart, verdict and assurance for a series.
pub fn judge(definition: &Definition, points: &[Point]) -> (Option<spc::Chart>, Variation, Assurance) {
    let values: Vec<f64> = points.iter().map(|p| p.value).collect();
    match spc::xmr(&values, baseline(definition, points)) {
        Some(chart) => {
            let variation = chart.variation(definition.polarity);
            let assurance = chart.assurance(definition.target, definition.polarity);
            (Some(chart), variation, assurance)
        }
        None => (
            None,
            Variation::NotEnoughData,
            if definition.target.is_some() { Assurance::HitAndMiss } else { Assurance::NoTarget },
        ),
    }
}

/// The latest window every member shares: the last four quarters (12 months) for a quarterly
/// measure, the last year for a yearly one, the last twelve months for a monthly one. Gives the
/// window's periods and its name.
pub fn window(frequency: Frequency, latest: &str) -> Option<(Vec<String>, String)> {
    let last = Period::from_slug(latest)?;
    let count = match frequency {
        Frequency::Year => 1,
        Frequency::Quarter => 4,
        Frequency::Month => 12,
    };
    let mut periods = vec![last];
    while periods.len() < count {
        let before = periods.last().copied().map(Period::previous)?;
        periods.push(before);
    }
    let name = match (frequency, last) {
        (Frequency::Year, p) => p.short_label(),
        (_, p) => {
            let end = p.last_day();
            format!("12 months to {}", platform::format::month(end.year(), end.month()))
        }
    };
    Some((periods.into_iter().map(Period::slug).collect(), name))
}

/// The group comparison of counts per 1,000 residents over `window`, for areas with a figure in
/// every period of it. Only counts and rates compare this way; other units are left out.
pub fn group_figures(
    definition: &Definition,
    by_area: &BTreeMap<String, BTreeMap<String, Sums>>,
    residents: &BTreeMap<String, (f64, String)>,
    (home, group): (&str, &[String]),
    window: &[String],
    area_name: &dyn Fn(&str) -> String,
) -> Option<(Comparison, Vec<GroupMember>)> {
    if !matches!(definition.unit, Unit::Count | Unit::Rate) || group.is_empty() {
        return None;
    }
    let members: Vec<Member> = std::iter::once(home.to_string())
        .chain(group.iter().cloned())
        .filter_map(|code| {
            let sums = by_area.get(&code)?;
            let events: Option<f64> = window.iter().map(|p| sums.get(p).map(|s| s.value)).sum();
            let (people, _) = residents.get(&code)?;
            Some(Member { name: area_name(&code), home: code == home, code, events: events?, residents: *people })
        })
        .collect();
    if !members.iter().any(|m| m.home) || members.len() < 2 {
        return None;
    }
    let comparison = compare::compare(&members)?;
    let listed = comparison
        .members
        .iter()
        .map(|c| GroupMember {
            code: c.member.code.clone(),
            name: c.member.name.clone(),
            events: c.member.events,
            residents: c.member.residents,
            rate: c.rate,
            low: c.low,
            high: c.high,
            home: c.member.home,
            position: c.position.words(definition.polarity).to_string(),
        })
        .collect();
    Some((comparison, listed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Dataset, Service};
    use crate::spc::Polarity;

    fn definition(unit: Unit, frequency: Frequency) -> Definition {
        Definition {
            key: "m".into(),
            name: "M".into(),
            definition: String::new(),
            service: Service::Police,
            theme: String::new(),
            unit,
            polarity: Polarity::LowerIsBetter,
            frequency,
            source: String::new(),
            owner: String::new(),
            baseline_from: String::new(),
            baseline_to: String::new(),
            target: None,
            quality_note: String::new(),
            recipe: "dataset=prc".into(),
        }
    }

    fn sums(values: &[(&str, f64, f64)]) -> BTreeMap<String, Sums> {
        values.iter().map(|(p, v, s)| (p.to_string(), Sums { value: *v, second: *s, weighted: v * s, rows: 1 })).collect()
    }

    #[test]
    fn rates_shares_and_weighted_means_by_hand() {
        let recipe = Recipe::parse("dataset=prc").expect("recipe");
        let rows = sums(&[("2017-Q1", 2_000.0, 0.0), ("2017-Q2", 2_200.0, 0.0), ("2017-FY", 9_000.0, 0.0)]);
        let rate = series(&definition(Unit::Rate, Frequency::Quarter), &recipe, &rows, None, Some(1_000_000.0));
        assert_eq!(rate, [Point { period: "2017-Q1".into(), value: 2.0 }, Point { period: "2017-Q2".into(), value: 2.2 }]);
        assert!(
            series(&definition(Unit::Rate, Frequency::Quarter), &recipe, &rows, None, None).is_empty(),
            "no residents, no rate"
        );
        let share = Recipe::parse("dataset=outcomes; category=Charged; of=").expect("share");
        let all = sums(&[("2017-Q1", 8_000.0, 0.0), ("2017-Q2", 0.0, 0.0)]);
        let shared = series(&definition(Unit::Percent, Frequency::Quarter), &share, &rows, Some(&all), None);
        assert_eq!(shared, [Point { period: "2017-Q1".into(), value: 25.0 }], "no share of nothing");
        let mut times = Recipe::parse("dataset=fire-response").expect("recipe");
        times.take = Take::WeightedMean;
        // 400 incidents at 9 minutes and 200 at 10.5: (3,600 + 2,100) / 600 = 9.5.
        let mut both = BTreeMap::new();
        both.insert("2023-FY".to_string(), Sums { value: 600.0, second: 19.5, weighted: 400.0 * 9.0 + 200.0 * 10.5, rows: 2 });
        let mean = series(&definition(Unit::Minutes, Frequency::Year), &times, &both, None, None);
        assert_eq!(mean, [Point { period: "2023-FY".into(), value: 9.5 }]);
        assert_eq!(Dataset::FireResponse.slug(), times.dataset.slug());
    }

    #[test]
    fn windows_are_the_latest_twelve_months_or_year() {
        let (periods, name) = window(Frequency::Quarter, "2017-Q4").expect("window");
        assert_eq!(periods, ["2017-Q4", "2017-Q3", "2017-Q2", "2017-Q1"]);
        assert_eq!(name, "12 months to March 2018");
        assert_eq!(window(Frequency::Year, "2023-FY").map(|w| w.1), Some("2023/24".into()));
        assert_eq!(window(Frequency::Month, "2026-02").map(|w| w.0.len()), Some(12));
    }

    #[test]
    fn a_baseline_is_the_points_of_its_periods() {
        let mut d = definition(Unit::Count, Frequency::Quarter);
        let points: Vec<Point> =
            (2015..2020).flat_map(|y| (1..=4).map(move |q| Point { period: format!("{y}-Q{q}"), value: 1.0 })).collect();
        assert_eq!(baseline(&d, &points), None);
        d.baseline_from = "2016-Q1".into();
        d.baseline_to = "2018-Q4".into();
        assert_eq!(baseline(&d, &points), Some(4..16), "after 2015's four quarters, the twelve of the baseline");
        d.baseline_to.clear();
        assert_eq!(baseline(&d, &points), Some(4..20), "from 2016 on");
    }
}
