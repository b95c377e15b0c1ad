//! The vocabulary of measures: what a measure is, which data it is made from (its recipe), and
//! how a catalogue file describes measures. Pure, with tests beside it.

use serde::{Deserialize, Serialize};

use crate::spc::{Polarity, Target};

/// A source of figures: a published open data table, or the partners' own returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Dataset {
    /// Police recorded crime by police force area (long format, quarterly).
    Prc,
    /// Crime outcomes by force, offence and outcome type (quarterly).
    Outcomes,
    /// Police workforce by force, rank, worker type and sex (as at 31 March).
    Workforce,
    /// FIRE0102: incidents attended by type and fire and rescue authority.
    FireIncidents,
    /// FIRE1001: response times by fire type and authority.
    FireResponse,
    /// FIRE12xx: prevention and protection (home fire safety checks, fire safety audits).
    FirePrevention,
    /// Returns from the force and the fire service, approved by the office.
    Returns,
    /// police.uk's street-level data as the crime data engine holds it: monthly street crimes
    /// and ASB by type (group `street`), outcomes (`outcomes`) and searches (`stop-and-search`).
    PoliceUk,
}

impl Dataset {
    pub const IMPORTED: [Dataset; 6] = [
        Dataset::Prc,
        Dataset::Outcomes,
        Dataset::Workforce,
        Dataset::FireIncidents,
        Dataset::FireResponse,
        Dataset::FirePrevention,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Dataset::Prc => "prc",
            Dataset::Outcomes => "outcomes",
            Dataset::Workforce => "workforce",
            Dataset::FireIncidents => "fire-incidents",
            Dataset::FireResponse => "fire-response",
            Dataset::FirePrevention => "fire-prevention",
            Dataset::Returns => "returns",
            Dataset::PoliceUk => "police-uk",
        }
    }
    pub fn from_slug(slug: &str) -> Option<Dataset> {
        Dataset::IMPORTED.into_iter().chain([Dataset::Returns, Dataset::PoliceUk]).find(|d| d.slug() == slug.trim())
    }
    pub fn name(self) -> &'static str {
        match self {
            Dataset::Prc => "Police recorded crime by police force area",
            Dataset::Outcomes => "Crime outcomes by police force area",
            Dataset::Workforce => "Police workforce",
            Dataset::FireIncidents => "Fire statistics: incidents attended (FIRE0102)",
            Dataset::FireResponse => "Fire statistics: response times (FIRE1001)",
            Dataset::FirePrevention => "Fire statistics: prevention and protection (FIRE12xx)",
            Dataset::Returns => "Returns from the force and the fire service",
            Dataset::PoliceUk => "police.uk street-level data (from the crime data engine)",
        }
    }
    /// Whether the dataset's areas are fire and rescue authorities (else police force areas).
    pub fn is_fire(self) -> bool {
        matches!(self, Dataset::FireIncidents | Dataset::FireResponse | Dataset::FirePrevention)
    }
}

/// A measure's unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unit {
    Count,
    /// Per 1,000 residents.
    Rate,
    Percent,
    Minutes,
    Seconds,
    Days,
}

impl Unit {
    pub fn slug(self) -> &'static str {
        match self {
            Unit::Count => "count",
            Unit::Rate => "rate",
            Unit::Percent => "percent",
            Unit::Minutes => "minutes",
            Unit::Seconds => "seconds",
            Unit::Days => "days",
        }
    }
    pub fn from_slug(slug: &str) -> Option<Unit> {
        [Unit::Count, Unit::Rate, Unit::Percent, Unit::Minutes, Unit::Seconds, Unit::Days]
            .into_iter()
            .find(|u| u.slug() == slug.trim().to_ascii_lowercase())
    }
    /// What the axis and the table say the numbers are.
    pub fn axis(self) -> &'static str {
        match self {
            Unit::Count => "number",
            Unit::Rate => "per 1,000 residents",
            Unit::Percent => "per cent",
            Unit::Minutes => "minutes",
            Unit::Seconds => "seconds",
            Unit::Days => "days",
        }
    }
    /// A value as GOV.UK writes it.
    pub fn show(self, value: f64) -> String {
        use platform::format::{count, decimal};
        match self {
            Unit::Count => count(value.round() as i64),
            Unit::Rate => decimal(value, 2),
            Unit::Percent => format!("{}%", decimal(value, 1)),
            Unit::Minutes | Unit::Seconds | Unit::Days => decimal(value, 1),
        }
    }
}

/// How often a measure is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Frequency {
    Month,
    Quarter,
    Year,
}

impl Frequency {
    pub fn slug(self) -> &'static str {
        match self {
            Frequency::Month => "month",
            Frequency::Quarter => "quarter",
            Frequency::Year => "year",
        }
    }
    pub fn from_slug(slug: &str) -> Option<Frequency> {
        match slug.trim().to_ascii_lowercase().as_str() {
            "month" | "monthly" => Some(Frequency::Month),
            "quarter" | "quarterly" => Some(Frequency::Quarter),
            "year" | "yearly" | "annual" | "annually" => Some(Frequency::Year),
            _ => None,
        }
    }
    pub fn words(self) -> &'static str {
        match self {
            Frequency::Month => "Monthly",
            Frequency::Quarter => "Quarterly",
            Frequency::Year => "Yearly",
        }
    }
}

/// Police or fire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Service {
    Police,
    Fire,
}

impl Service {
    pub fn slug(self) -> &'static str {
        match self {
            Service::Police => "police",
            Service::Fire => "fire",
        }
    }
    pub fn from_slug(slug: &str) -> Option<Service> {
        match slug.trim().to_ascii_lowercase().as_str() {
            "police" => Some(Service::Police),
            "fire" => Some(Service::Fire),
            _ => None,
        }
    }
    pub fn words(self) -> &'static str {
        match self {
            Service::Police => "Police",
            Service::Fire => "Fire and rescue",
        }
    }
}

/// Which value of matching rows a measure takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Take {
    /// The sum of the rows' values (offences, incidents, officers).
    Sum,
    /// The sum of the rows' second values (headcount beside FTE).
    SumSecond,
    /// The mean of the second value weighted by the first (an average response time over
    /// incidents).
    WeightedMean,
    /// The matching rows' sum as a percentage of the sum of rows matching `of`.
    ShareOf,
}

/// Which rows of a dataset make a measure, and how: `dataset=prc; group=Robbery`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recipe {
    pub dataset: Dataset,
    /// Each filter is a column (category, group, subgroup) and the values any of which match.
    pub category: Vec<String>,
    pub group: Vec<String>,
    pub subgroup: Vec<String>,
    pub take: Take,
    /// For `ShareOf`: the denominator's filters, as `category`/`group`/`subgroup` of another recipe.
    pub of: Option<Box<Recipe>>,
}

impl Recipe {
    /// Reads `dataset=prc; group=Robbery | Theft offences; take=sum`. Values are matched without
    /// regard to case; `of=` takes the rest of the text as the denominator's recipe.
    pub fn parse(text: &str) -> Result<Recipe, String> {
        let (own, of) = match text.split_once("of=") {
            Some((own, rest)) => (own, Some(rest)),
            None => (text, None),
        };
        let mut recipe = Recipe {
            dataset: Dataset::Returns,
            category: Vec::new(),
            group: Vec::new(),
            subgroup: Vec::new(),
            take: Take::Sum,
            of: None,
        };
        let mut dataset = None;
        for part in own.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            let (key, value) =
                part.split_once('=').ok_or_else(|| format!("“{part}” needs a name and a value, like group=Robbery"))?;
            let values: Vec<String> = value.split('|').map(|v| v.trim().to_string()).filter(|v| !v.is_empty()).collect();
            match key.trim() {
                "dataset" => {
                    dataset = Some(Dataset::from_slug(value).ok_or_else(|| format!("“{}” is not a dataset", value.trim()))?)
                }
                "category" | "code" | "type" => recipe.category = values,
                "group" => recipe.group = values,
                "subgroup" => recipe.subgroup = values,
                "take" => {
                    recipe.take = match value.trim() {
                        "sum" => Take::Sum,
                        "sum-second" => Take::SumSecond,
                        "weighted-mean" => Take::WeightedMean,
                        "share" => Take::ShareOf,
                        other => return Err(format!("“{other}” is not a way to take values")),
                    }
                }
                other => return Err(format!("“{other}” is not part of a recipe")),
            }
        }
        recipe.dataset = dataset.ok_or("A recipe needs a dataset, like dataset=prc")?;
        if let Some(of) = of {
            let mut denominator = Recipe::parse(&format!("dataset={}; {of}", recipe.dataset.slug()))?;
            denominator.take = Take::Sum;
            recipe.of = Some(Box::new(denominator));
            recipe.take = Take::ShareOf;
        } else if recipe.take == Take::ShareOf {
            return Err("A share needs of= and the rows it is a share of".into());
        }
        Ok(recipe)
    }

    /// Whether a row's columns match every filter.
    pub fn matches(&self, category: &str, group: &str, subgroup: &str) -> bool {
        let any = |wanted: &[String], value: &str| wanted.is_empty() || wanted.iter().any(|w| w.eq_ignore_ascii_case(value));
        any(&self.category, category) && any(&self.group, group) && any(&self.subgroup, subgroup)
    }
}

/// A measure as a catalogue file describes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Definition {
    pub key: String,
    pub name: String,
    pub definition: String,
    pub service: Service,
    /// The priority or theme the measure reports under on the dashboard.
    pub theme: String,
    pub unit: Unit,
    pub polarity: Polarity,
    pub frequency: Frequency,
    pub source: String,
    pub owner: String,
    /// The first period of the baseline the limits are computed from (a period slug); empty for
    /// the whole series.
    pub baseline_from: String,
    pub baseline_to: String,
    pub target: Option<Target>,
    pub quality_note: String,
    /// Empty for a measure with no data yet (its page says so).
    pub recipe: String,
}

impl Definition {
    /// What changed between two definitions of one measure, in words; empty when they match.
    pub fn differences(&self, newer: &Definition) -> Vec<&'static str> {
        let mut changed = Vec::new();
        let mut check = |same: bool, what: &'static str| {
            if !same {
                changed.push(what);
            }
        };
        check(self.name == newer.name, "name");
        check(self.definition == newer.definition, "definition");
        check(self.unit == newer.unit, "unit");
        check(self.polarity == newer.polarity, "which way is better");
        check(self.frequency == newer.frequency, "frequency");
        check(self.recipe == newer.recipe, "data");
        check(self.target == newer.target, "target");
        check(self.baseline_from == newer.baseline_from && self.baseline_to == newer.baseline_to, "baseline");
        changed
    }
    /// Changes that keep the measure the same measure (words, owner, note): no new version.
    pub fn same_measure(&self, newer: &Definition) -> bool {
        self.unit == newer.unit && self.recipe == newer.recipe && self.frequency == newer.frequency
    }
}

/// A problem with one row of a catalogue file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowProblem {
    pub line: usize,
    pub message: String,
}

/// The columns a catalogue file has, by squashed heading.
const CATALOGUE_COLUMNS: [&str; 16] = [
    "key",
    "name",
    "definition",
    "service",
    "theme",
    "unit",
    "polarity",
    "frequency",
    "source",
    "owner",
    "baselinefrom",
    "baselineto",
    "target",
    "expectedrange",
    "qualitynote",
    "recipe",
];

/// Reads a catalogue of measures from rows of cells (a header row naming the columns, then one
/// measure a row). Every row is either a measure or a problem naming its row.
pub fn read_catalogue(rows: &[Vec<String>]) -> Result<(Vec<Definition>, Vec<RowProblem>), String> {
    use platform::spreadsheet::squash;
    let header =
        rows.iter().position(|r| r.iter().any(|c| squash(c) == "key")).ok_or("The file has no header row with a Key column")?;
    let index: Vec<Option<usize>> = CATALOGUE_COLUMNS.iter().map(|c| rows[header].iter().position(|h| squash(h) == *c)).collect();
    for (i, name) in [(0, "Key"), (1, "Name"), (3, "Service"), (5, "Unit"), (6, "Polarity"), (7, "Frequency")] {
        if index[i].is_none() {
            return Err(format!("The file has no column called {name}"));
        }
    }
    let mut measures: Vec<Definition> = Vec::new();
    let mut problems = Vec::new();
    for (at, row) in rows.iter().enumerate().skip(header + 1) {
        let line = at + 1;
        let cell = |i: usize| index[i].and_then(|c| row.get(c)).map(|v| v.trim().to_string()).unwrap_or_default();
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut says = |message: String| problems.push(RowProblem { line, message });
        let key = cell(0).to_ascii_lowercase();
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            says("Key must be letters, digits and hyphens, like neighbourhood-crime".into());
            continue;
        }
        if measures.iter().any(|m| m.key == key) {
            says(format!("Key {key} is on an earlier row"));
            continue;
        }
        let name = cell(1);
        if name.is_empty() {
            says("Enter the measure’s name".into());
            continue;
        }
        let Some(service) = Service::from_slug(&cell(3)) else {
            says("Service must be police or fire".into());
            continue;
        };
        let Some(unit) = Unit::from_slug(&cell(5)) else {
            says("Unit must be count, rate, percent, minutes, seconds or days".into());
            continue;
        };
        let Some(polarity) = Polarity::from_slug(&cell(6)) else {
            says("Polarity must be higher, lower or neither".into());
            continue;
        };
        let Some(frequency) = Frequency::from_slug(&cell(7)) else {
            says("Frequency must be month, quarter or year".into());
            continue;
        };
        let target = match (cell(12).as_str(), cell(13).as_str()) {
            ("", "") => None,
            (value, "") => match value.replace(',', "").trim_end_matches('%').parse::<f64>() {
                Ok(v) if v.is_finite() => Some(Target::Value { value: v }),
                _ => {
                    says(format!("Target “{value}” is not a number"));
                    continue;
                }
            },
            (_, range) => {
                let parts: Vec<Option<f64>> =
                    range.split(" to ").map(|p| p.replace(',', "").trim().trim_end_matches('%').parse::<f64>().ok()).collect();
                match parts.as_slice() {
                    [Some(low), Some(high)] if low < high => Some(Target::Range { low: *low, high: *high }),
                    _ => {
                        says(format!("Expected range “{range}” must be like 85 to 95"));
                        continue;
                    }
                }
            }
        };
        let recipe = cell(15);
        if !recipe.is_empty()
            && let Err(why) = Recipe::parse(&recipe)
        {
            says(format!("Recipe: {why}"));
            continue;
        }
        let baseline = |text: String| -> Result<String, String> {
            if text.is_empty() || platform::periods::Period::from_slug(&text).is_some() {
                Ok(text)
            } else {
                Err(format!("Baseline “{text}” must be a period like 2019-Q1, 2019-FY or 2019-04"))
            }
        };
        let (baseline_from, baseline_to) = match (baseline(cell(10)), baseline(cell(11))) {
            (Ok(from), Ok(to)) => (from, to),
            (Err(why), _) | (_, Err(why)) => {
                says(why);
                continue;
            }
        };
        measures.push(Definition {
            key,
            name,
            definition: cell(2),
            service,
            theme: cell(4),
            unit,
            polarity,
            frequency,
            source: cell(8),
            owner: cell(9),
            baseline_from,
            baseline_to,
            target,
            quality_note: cell(14),
            recipe,
        });
    }
    Ok((measures, problems))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recipes_read_and_refuse_with_reasons() {
        let r = Recipe::parse("dataset=prc; group=Robbery | Theft offences").expect("reads");
        assert_eq!(r.dataset, Dataset::Prc);
        assert_eq!(r.group, vec!["Robbery".to_string(), "Theft offences".into()]);
        assert!(r.matches("34B", "robbery", "Robbery of personal property"));
        assert!(!r.matches("28E", "Burglary", ""));
        let share = Recipe::parse("dataset=outcomes; category=Charged/Summonsed; of=").expect("share of all");
        assert_eq!(share.take, Take::ShareOf);
        assert!(share.of.as_ref().expect("of").matches("anything", "", ""));
        for (text, why) in [
            ("group=Robbery", "needs a dataset"),
            ("dataset=crimes", "not a dataset"),
            ("dataset=prc; colour=red", "not part of a recipe"),
            ("dataset=prc; group", "needs a name and a value"),
            ("dataset=prc; take=share", "needs of="),
        ] {
            let error = Recipe::parse(text).expect_err(text);
            assert!(error.contains(why), "{text}: {error}");
        }
    }

    fn rows(text: &str) -> Vec<Vec<String>> {
        text.lines().map(|l| l.split(',').map(str::to_string).collect()).collect()
    }

    #[test]
    fn a_catalogue_names_each_bad_row() {
        let file = rows(
            "Key,Name,Definition,Service,Theme,Unit,Polarity,Frequency,Source,Owner,Baseline from,Baseline to,Target,Expected range,Quality note,Recipe\n\
             neighbourhood-crime,Neighbourhood crime,Burglary etc,police,Safer,count,lower,quarter,PRC,Force,2019-Q1,2020-Q4,,,Recorded crime,dataset=prc; group=Robbery\n\
             999,999 answered in 10 seconds,,police,Service,percent,higher,month,Return,Force,,,90%,,Force's telephony,dataset=returns\n\
             neighbourhood-crime,Again,,police,,count,lower,quarter,,,,,,,,\n\
             bad key!,X,,police,,count,lower,quarter,,,,,,,,\n\
             fires,Fires,,fire,,count,sideways,year,,,,,,,,\n\
             range,In range,,fire,,minutes,neither,year,,,,,,9 to 7,,\n\
             late,Late,,police,,count,lower,quarter,,,2019,,,,,",
        );
        let (measures, problems) = read_catalogue(&file).expect("a catalogue");
        assert_eq!(measures.iter().map(|m| m.key.as_str()).collect::<Vec<_>>(), ["neighbourhood-crime", "999"]);
        assert_eq!(measures[1].target, Some(Target::Value { value: 90.0 }));
        let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [4, 5, 6, 7, 8]);
        assert!(problems[0].message.contains("earlier row"));
        assert!(problems[2].message.contains("Polarity"));
        assert!(problems[3].message.contains("85 to 95"));
        assert!(problems[4].message.contains("Baseline"));
        assert!(read_catalogue(&rows("Name,Unit\nx,count")).is_err());
    }

    #[test]
    fn a_redefinition_is_told_from_a_correction() {
        let (measures, _) = read_catalogue(&rows(
            "Key,Name,Service,Unit,Polarity,Frequency,Recipe\nm,Measure,police,count,lower,quarter,dataset=prc; group=Robbery",
        ))
        .expect("reads");
        let before = measures[0].clone();
        let mut reworded = before.clone();
        reworded.name = "Robbery".into();
        assert!(before.same_measure(&reworded));
        assert_eq!(before.differences(&reworded), ["name"]);
        let mut redefined = before.clone();
        redefined.recipe = "dataset=prc; group=Robbery | Burglary".into();
        assert!(!before.same_measure(&redefined));
        assert_eq!(before.differences(&redefined), ["data"]);
    }
}
