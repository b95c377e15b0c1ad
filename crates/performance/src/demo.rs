//! The demo office's performance framework (demo/README.md says what is real and what is made
//! up): the measure catalogues in demo/, residents at the 2011 census, a most similar group for
//! Staffordshire Police computed from the real 2017/18 recorded crime table and one chosen for its
//! fire service, synthetic quarterly crime and yearly fire figures shaped on real ones, returns
//! from the force and the fire service (one waiting for the office), inspections with findings,
//! links to the demo plans, and the last two quarters locked with commentary.

use std::collections::BTreeMap;

use platform::audit::Actor;
use platform::db::Pool;
use platform::organisations::NewOrganisation;
use platform::periods::{FinancialYear, Period, Quarter};
use time::OffsetDateTime;

use crate::datasets::Observation;
use crate::model::{Dataset, Service};
use crate::store::{self, NewCatalogue};

/// The catalogues, in the order they are loaded, with the date each version took effect.
const CATALOGUES: [(&str, &str, &str, &str, &str); 5] = [
    (
        "National measures",
        "National Crime and Policing Measures (Home Office, 2021)",
        "2021-07-01",
        "",
        include_str!("../demo/national-2021.csv"),
    ),
    ("Local measures", "Staffordshire Police and Crime Plan measures", "2021-04-01", "", include_str!("../demo/local-v1.csv")),
    ("Fire and rescue measures", "Fire and Rescue Plan measures", "2021-04-01", "", include_str!("../demo/fire.csv")),
    (
        "National measures",
        "Police Performance Framework (demo stand-in for the published list)",
        "2025-04-01",
        "Superseded by the Police Performance Framework",
        include_str!("../demo/ppf-2025.csv"),
    ),
    (
        "Local measures",
        "Staffordshire Police and Crime Plan measures, refreshed",
        "2026-04-01",
        "Local measures reviewed when the plan was refreshed for 2026/27",
        include_str!("../demo/local-v2.csv"),
    ),
];

/// The fire comparators chosen for the demo: shire services of a similar size.
const FIRE_GROUP: [&str; 7] = ["E31000010", "E31000006", "E31000024", "E31000030", "E31000032", "E31000036", "E31000018"];

/// Which demo measure evidences which demo plan commitment (by its words).
const LINKS: [(&str, &str); 7] = [
    ("calls-999-in-10-seconds", "Make 101 and 999 faster and better for callers"),
    ("neighbourhood-crime", "Put neighbourhood teams back at the heart of policing"),
    ("serious-violence", "Support the Violence Reduction Alliance"),
    ("victims-code-transfers", "Make sure providers meet the Victims' Code"),
    ("days-to-charge", "Deliver justice more quickly"),
    ("safe-and-well-visits", "Focus prevention on those most at risk"),
    ("fire-safety-audits", "Enforce fire safety law"),
];

/// A small deterministic random stream (SplitMix64), so the demo is the same every time.
struct Random(u64);

impl Random {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }
    /// About normal, mean 0 and standard deviation 1 (sum of twelve uniforms).
    fn normal(&mut self) -> f64 {
        (0..12).map(|_| self.next()).sum::<f64>() - 6.0
    }
    /// A count around `mean`: Poisson-like noise plus `extra` relative spread, never below 0.
    fn count(&mut self, mean: f64, extra: f64) -> f64 {
        (mean + self.normal() * (mean.sqrt() + extra * mean)).round().max(0.0)
    }
}

pub async fn seed(pool: &Pool, now: OffsetDateTime) -> anyhow::Result<()> {
    if !store::catalogues(pool).await?.is_empty() {
        return Ok(());
    }
    let Some(office) = platform::office::load(pool).await? else { return Ok(()) };
    if office.force_area.is_empty() {
        return Ok(());
    }
    let actor = Actor::system("demo office");
    let today = now.date();
    for (name, source, effective, reason, csv) in CATALOGUES {
        let rows = platform::spreadsheet::first_sheet(csv.as_bytes(), "catalogue.csv", 1_000)?;
        let (definitions, problems) = crate::model::read_catalogue(&rows).map_err(anyhow::Error::msg)?;
        anyhow::ensure!(problems.is_empty(), "demo catalogue {name} has problems: {problems:?}");
        let effective_on = platform::db::parse_date(effective).ok_or_else(|| anyhow::anyhow!("demo date {effective}"))?;
        let slug = platform::slugs::of_title(name);
        let new = NewCatalogue { slug: &slug, name, source, effective_on, reason };
        store::load_catalogue(pool, &new, &definitions, &actor, now).await?;
    }
    let mut tx = platform::db::begin_write(pool).await?;
    for (area, residents) in crate::reference::force_residents_2011().into_iter().chain(crate::reference::fire_residents_2011()) {
        store::set_population(&mut tx, &area, 2011, residents, crate::reference::RESIDENTS_SOURCE).await?;
    }
    let home = office.force_area.clone();
    let groups = crate::reference::stand_in_groups(&crate::reference::rates_2017_18());
    let police_group = groups.get(&home).cloned().unwrap_or_default();
    store::set_group_in(&mut tx, &home, &police_group, crate::reference::STAND_IN_SOURCE).await?;
    let fire_home = crate::assemble::home_area(&office, Service::Fire).unwrap_or_default();
    let fire_group: Vec<String> = FIRE_GROUP.iter().map(|c| c.to_string()).filter(|c| *c != fire_home).collect();
    store::set_group_in(
        &mut tx,
        &fire_home,
        &fire_group,
        "chosen by the office for the demo: shire services of a similar size (there is no published list)",
    )
    .await?;
    tx.commit().await?;

    let last_quarter = Quarter::containing(today).previous();
    let mut random = Random(0x5EED_2026);
    let crime = synthetic_crime(&home, &police_group, last_quarter, &mut random);
    store::apply_generated(
        pool,
        Dataset::Prc,
        "Synthetic demo figures shaped on the Home Office’s 2017/18 table (not published figures)",
        &crime,
        &actor,
        now,
    )
    .await?;
    let last_year = FinancialYear::containing(today).previous();
    let (incidents, response, prevention) = synthetic_fire(&fire_home, &fire_group, last_year, &mut random);
    let vintage = "Synthetic demo figures shaped on the fire statistics data tables (not published figures)";
    store::apply_generated(pool, Dataset::FireIncidents, vintage, &incidents, &actor, now).await?;
    store::apply_generated(pool, Dataset::FireResponse, vintage, &response, &actor, now).await?;
    store::apply_generated(pool, Dataset::FirePrevention, vintage, &prevention, &actor, now).await?;

    store::take_police_uk(pool, &actor, now).await?;
    seed_returns(pool, &office, today, now, &mut random).await?;
    seed_inspections(pool, now).await?;
    seed_links(pool, now).await?;
    for (service, quarter) in
        [(Service::Police, last_quarter.previous()), (Service::Police, last_quarter), (Service::Fire, last_quarter)]
    {
        let locked = crate::snapshot::lock_as_it_stood(pool, &office, service, &quarter.slug(), &actor, (now, today))
            .await
            .map_err(|e| anyhow::anyhow!("demo lock {}: {e}", quarter.slug()))?;
        let words = match service {
            Service::Police => [
                (
                    "neighbourhood-crime",
                    "Neighbourhood crime has stayed below its old average since the neighbourhood teams were rebuilt: the chart shows a shift, not a single good quarter.\n\nThe force is asked to report at the next meeting how much of the fall is vehicle crime.",
                ),
                (
                    "calls-999-in-10-seconds",
                    "The share of 999 calls answered within 10 seconds varies around its average; the target of 90% will be missed some months and met in others until the process changes.",
                ),
            ],
            Service::Fire => [
                (
                    "dwelling-fire-response",
                    "Response times to dwelling fires are steady and the process meets the 10-minute standard reliably.",
                ),
                (
                    "safe-and-well-visits",
                    "Visits are being aimed at older people living alone; the office will ask for the share of visits to those most at risk.",
                ),
            ],
        };
        for (key, text) in words {
            crate::snapshot::save_commentary(pool, &locked.id, key, text, &actor, now).await?;
        }
    }
    Ok(())
}

/// Quarterly recorded crime by offence subgroup for the office's area and its group, from April
/// 2014 to `last`: each force's real 2017/18 quarters, moved by a yearly trend per offence
/// group, noise a little wider than chance, and for the office's area a fall in neighbourhood
/// crime from April 2024 and a rise in violence with injury over the last two years.
fn synthetic_crime(home: &str, group: &[String], last: Quarter, random: &mut Random) -> Vec<Observation> {
    let read = crate::datasets::read(Dataset::Prc, &crate::reference::prc_2017_18(), "prc.csv").unwrap_or_default();
    let mut base: BTreeMap<(String, String, String, u8), f64> = BTreeMap::new();
    for o in &read.observations {
        if o.area != home && !group.contains(&o.area) {
            continue;
        }
        let Some(Period::Quarter(q)) = Period::from_slug(&o.period) else { continue };
        *base.entry((o.area.clone(), o.group.clone(), o.subgroup.clone(), q.number)).or_default() += o.value;
    }
    let trend = |offence_group: &str| -> f64 {
        match offence_group {
            "Violence against the person" => 1.06,
            "Sexual offences" => 1.05,
            "Theft offences" => 0.97,
            "Criminal damage and arson" => 0.99,
            "Public order offences" => 1.04,
            _ => 1.0,
        }
    };
    let neighbourhood = [
        "Domestic burglary",
        "Robbery of personal property",
        "Theft from the person",
        "Theft of a motor vehicle",
        "Theft from a vehicle",
        "Vehicle interference",
    ];
    let mut out = Vec::new();
    let mut quarter = Quarter { year: FinancialYear(2014), number: 1 };
    while quarter <= last {
        let years = f64::from(quarter.year.0 - 2017) + f64::from(quarter.number - 1) / 4.0;
        for ((area, offence_group, subgroup, number), value) in &base {
            if *number != quarter.number {
                continue;
            }
            let mut mean = value * trend(offence_group).powf(years);
            if area == home && neighbourhood.contains(&subgroup.as_str()) && quarter.year.0 >= 2024 {
                mean *= 0.85;
            }
            // Quarters before the last: 0 for the last.
            let back = (last.year.0 - quarter.year.0) * 4 + i32::from(last.number) - i32::from(quarter.number);
            if area == home && subgroup == "Violence with injury" && back < 8 {
                mean *= 1.0 + 0.035 * f64::from(8 - back);
            }
            let subgroup_name =
                if subgroup == "Domestic burglary" && quarter.year.0 >= 2022 { "Residential burglary" } else { subgroup };
            out.push(Observation {
                area: area.clone(),
                period: quarter.slug(),
                category: subgroup_name.to_string(),
                group: offence_group.clone(),
                subgroup: subgroup_name.to_string(),
                value: random.count(mean, 0.04),
                second: None,
            });
        }
        quarter = quarter.next();
    }
    out
}

/// Yearly fire figures from 2010/11 to `last` for the service and its group, in proportion to
/// residents: fires falling slowly, false alarms falling after a change of policy in 2019,
/// response times steady around 8 to 9 minutes, fire safety audits rising.
fn synthetic_fire(
    home: &str,
    group: &[String],
    last: FinancialYear,
    random: &mut Random,
) -> (Vec<Observation>, Vec<Observation>, Vec<Observation>) {
    let residents = crate::reference::fire_residents_2011();
    let (mut incidents, mut response, mut prevention) = (Vec::new(), Vec::new(), Vec::new());
    for area in std::iter::once(home.to_string()).chain(group.iter().cloned()) {
        let people = residents.get(&area).copied().unwrap_or(800_000) as f64 / 1_000.0;
        let character = 0.85 + 0.3 * random.next();
        for year in 2010..=last.0 {
            let t = f64::from(year - 2010);
            let period = Period::Year(FinancialYear(year)).slug();
            let row = |category: &str, value: f64, second: Option<f64>| Observation {
                area: area.clone(),
                period: period.clone(),
                category: category.to_string(),
                group: String::new(),
                subgroup: String::new(),
                value,
                second,
            };
            let alarm_policy = if year >= 2019 { 0.8 } else { 1.0 };
            incidents.push(row("Fire", random.count(people * 2.6 * character * 0.98f64.powf(t), 0.03), None));
            incidents.push(row("False alarm", random.count(people * 5.2 * alarm_policy * character, 0.03), None));
            incidents.push(row("Non-fire incident", random.count(people * 2.9 * 1.01f64.powf(t), 0.03), None));
            let dwelling_fires = random.count(people * 0.45 * character, 0.02);
            let minutes = (8.2 + 0.9 * character + 0.25 * random.normal()).max(6.0);
            response.push(row("Primary fires: dwellings", dwelling_fires, Some(minutes)));
            prevention.push(row("Fire safety audit", random.count(people * 1.1 * 1.03f64.powf(t), 0.04), None));
        }
    }
    (incidents, response, prevention)
}

/// Returns from the force (monthly, from April 2023) and the fire service (quarterly, from April
/// 2022), approved by the office, except the force's latest month, waiting for its decision.
async fn seed_returns(
    pool: &Pool,
    office: &platform::office::Office,
    today: time::Date,
    now: OffsetDateTime,
    random: &mut Random,
) -> anyhow::Result<()> {
    let actor = Actor::system("demo office");
    let partner = Actor::system("demo partner");
    let measures = store::active_measures(pool).await?;
    for template in crate::returns::templates(&measures) {
        let organisation = match crate::returns::maker_of(pool, &template).await? {
            Some(organisation) => organisation,
            None => {
                let name = match template.service {
                    Service::Police => "Staffordshire Police",
                    Service::Fire => "Staffordshire Fire and Rescue Service",
                };
                let mut tx = platform::db::begin_write(pool).await?;
                let added = platform::organisations::find_or_add(
                    &mut tx,
                    NewOrganisation { name, kind: template.maker_kind(), email: None },
                    &actor,
                    now,
                )
                .await
                .map_err(|e| anyhow::anyhow!("demo organisation {name}: {e}"))?;
                tx.commit().await?;
                added
            }
        };
        let area = crate::assemble::home_area(office, template.service).unwrap_or_default();
        let mut periods = template.periods(today);
        // More history than the form offers: a year and more for the charts.
        while periods.len() < 44 {
            let before = periods.last().map(|p| p.previous()).ok_or_else(|| anyhow::anyhow!("no periods"))?;
            periods.push(before);
        }
        if template.service == Service::Fire {
            periods.truncate(18);
        }
        periods.reverse();
        let count = periods.len();
        for (i, period) in periods.into_iter().enumerate() {
            let figures: Vec<crate::returns::Figure> = template
                .measures
                .iter()
                .map(|m| {
                    let t = i as f64;
                    let value = match m.key() {
                        "calls-999-in-10-seconds" => (84.0 + 0.12 * t + 2.5 * random.normal()).clamp(60.0, 99.5),
                        "calls-101-answer-time" => (6.5 - 0.05 * t + 0.8 * random.normal()).max(0.5),
                        "arrests" => random.count(1_050.0, 0.05),
                        "police-officers" => (1_700.0 + 2.0 * t + 4.0 * random.normal()).round(),
                        "days-to-charge" => (38.0 + 0.2 * t + 3.0 * random.normal()).max(5.0),
                        "victims-code-transfers" => (93.0 + 1.5 * random.normal()).clamp(70.0, 100.0),
                        "victim-satisfaction" => (80.0 + 4.0 * random.normal()).clamp(40.0, 100.0),
                        "safe-and-well-visits" => random.count(4_200.0 + 40.0 * t, 0.04),
                        "rtcs-attended" => random.count(240.0, 0.05),
                        _ => random.count(100.0, 0.05),
                    };
                    let value = match m.definition.unit {
                        crate::model::Unit::Count => value.round(),
                        _ => (value * 10.0).round() / 10.0,
                    };
                    crate::returns::Figure { measure_key: m.key().to_string(), value, note: String::new(), flag: String::new() }
                })
                .collect();
            crate::returns::save_return(pool, &template.slug(), &organisation.id, &period.slug(), &figures, true, &partner, now)
                .await
                .map_err(|e| anyhow::anyhow!("demo return: {e}"))?;
            let waiting = template.service == Service::Police && i + 1 == count;
            if !waiting {
                let (found, _) = crate::returns::find_return(pool, &template.slug(), &period.slug())
                    .await?
                    .ok_or_else(|| anyhow::anyhow!("demo return not saved"))?;
                crate::returns::decide_return(pool, &found, &area, Some(()), "", found.revision, &actor, now)
                    .await
                    .map_err(|e| anyhow::anyhow!("demo approval: {e}"))?;
            }
        }
    }
    Ok(())
}

async fn seed_inspections(pool: &Pool, now: OffsetDateTime) -> anyhow::Result<()> {
    use crate::inspections::{NewInspection, add, add_finding_in, add_update_in};
    let actor = Actor::system("demo office");
    let force = Actor::system("demo partner");
    let date = |text: &str| platform::db::parse_date(text).ok_or_else(|| anyhow::anyhow!("demo date {text}"));
    let grades = |list: &[(&str, &str)]| list.iter().map(|(q, g)| (q.to_string(), g.to_string())).collect::<Vec<_>>();
    let mut tx = platform::db::begin_write(pool).await?;
    let old = grades(&[("Effectiveness", "Good"), ("Efficiency", "Good"), ("Legitimacy", "Good")]);
    add(
        &mut tx,
        &NewInspection {
            service: Service::Police,
            programme: "PEEL 2018/19 (demo record, grades invented)",
            scale: "four",
            published_on: date("2019-05-02")?,
            report_url: "https://hmicfrs.justiceinspectorates.gov.uk/",
            grades: &old,
        },
        &actor,
        now,
    )
    .await?;
    let new = grades(&[
        ("Providing a service to victims of crime", "Adequate"),
        ("Investigating crime", "Requires improvement"),
        ("Protecting vulnerable people", "Adequate"),
        ("Responding to the public", "Requires improvement"),
        ("Treatment of the public", "Good"),
    ]);
    let peel = add(
        &mut tx,
        &NewInspection {
            service: Service::Police,
            programme: "PEEL 2023–25 (demo record, grades invented)",
            scale: "five",
            published_on: date("2024-06-20")?,
            report_url: "https://hmicfrs.justiceinspectorates.gov.uk/",
            grades: &new,
        },
        &actor,
        now,
    )
    .await?;
    let afi = add_finding_in(
        &mut tx,
        &peel,
        ("area-for-improvement", "AFI 1", "The force should make sure it answers emergency calls within the national standard."),
        Some(date("2025-06-30")?),
        &actor,
        now,
    )
    .await?;
    add_update_in(
        &mut tx,
        &afi,
        "Twenty-two call handlers recruited; 999 answer times reported monthly to the office.",
        "in-progress",
        &force,
        now,
    )
    .await?;
    add_finding_in(
        &mut tx,
        &peel,
        ("area-for-improvement", "AFI 2", "The force should make sure investigations are supervised and victims kept updated."),
        Some(date("2025-12-31")?),
        &actor,
        now,
    )
    .await?;
    let fire = grades(&[("Effectiveness", "Good"), ("Efficiency", "Good"), ("People", "Requires improvement")]);
    let frs = add(
        &mut tx,
        &NewInspection {
            service: Service::Fire,
            programme: "Fire and rescue inspection 2022 (demo record, grades invented)",
            scale: "four",
            published_on: date("2022-07-27")?,
            report_url: "https://hmicfrs.justiceinspectorates.gov.uk/",
            grades: &fire,
        },
        &actor,
        now,
    )
    .await?;
    let cause = add_finding_in(
        &mut tx,
        &frs,
        (
            "cause-of-concern",
            "CoC 1",
            "The service has not done enough to improve the diversity of its workforce and promote its values.",
        ),
        Some(date("2023-03-31")?),
        &actor,
        now,
    )
    .await?;
    add_update_in(
        &mut tx,
        &cause,
        "Action plan agreed with the inspectorate; values training for every manager.",
        "in-progress",
        &force,
        now,
    )
    .await?;
    add_update_in(&mut tx, &cause, "The inspectorate’s revisit found the cause of concern addressed.", "completed", &actor, now)
        .await?;
    tx.commit().await?;
    Ok(())
}

async fn seed_links(pool: &Pool, now: OffsetDateTime) -> anyhow::Result<()> {
    let actor = Actor::system("demo office");
    let refs = plans::store::commitment_refs(pool).await?;
    for (key, pledge) in LINKS {
        let ids: Vec<String> = refs.iter().filter(|c| c.pledge == pledge).map(|c| c.id.clone()).collect();
        if !ids.is_empty() {
            store::link_commitments(pool, key, &ids, &actor, now).await?;
        }
    }
    Ok(())
}
