//! Putting a measure's figures together from the database: the office's area, its most similar
//! group, the residents, the rows of the measure's recipe, the vintages and the plan commitments.
//! The rules are in `figures`; this only gathers.

use std::collections::{BTreeMap, HashMap};

use platform::db::Pool;
use platform::office::Office;

use crate::figures::{self, GroupFigures, MeasureFigures};
use crate::model::{Dataset, Service, Take};
use crate::store::{self, Measure};

/// The area the office reports on for a service: its police force area, or the fire and rescue
/// authority covering it (the first, where several do). `None` before set-up.
pub fn home_area(office: &Office, service: Service) -> Option<String> {
    if office.force_area.is_empty() {
        return None;
    }
    match service {
        Service::Police => Some(office.force_area.clone()),
        Service::Fire => platform::areas::districts::fire_authorities_of(&office.force_area)
            .into_iter()
            .next()
            .map(|f| if f.code.is_empty() { f.name } else { f.code }),
    }
}

/// An area's name as people know it: "Staffordshire", "Stoke-on-Trent and Staffordshire".
pub fn area_name(code: &str) -> String {
    if let Some(area) = platform::areas::force_area(code) {
        return area.name.to_string();
    }
    platform::areas::districts::fire_authorities()
        .into_iter()
        .find(|f| f.code == code || f.name == code)
        .map(|f| f.name)
        .unwrap_or_else(|| code.to_string())
}

/// Everything published about `measure` for the office's area, with every figure held.
pub async fn measure_figures(pool: &Pool, office: &Office, measure: &Measure) -> Result<MeasureFigures, sqlx::Error> {
    measure_figures_as_of(pool, office, measure, None).await
}

/// Keeps only the periods ended by `as_of`, when there is one.
fn ended_by(by_area: &mut BTreeMap<String, BTreeMap<String, crate::store::Sums>>, as_of: Option<time::Date>) {
    let Some(as_of) = as_of else { return };
    for periods in by_area.values_mut() {
        periods.retain(|slug, _| platform::periods::Period::from_slug(slug).is_some_and(|p| p.last_day() <= as_of));
    }
}

/// Everything published about `measure` for the office's area, as it stood with the periods
/// ended by `as_of` (a locked quarter's last day).
pub async fn measure_figures_as_of(
    pool: &Pool,
    office: &Office,
    measure: &Measure,
    as_of: Option<time::Date>,
) -> Result<MeasureFigures, sqlx::Error> {
    let definition = measure.definition.clone();
    let area = home_area(office, definition.service).unwrap_or_default();
    let commitments = commitments(pool, measure.key()).await?;
    let mut out = MeasureFigures {
        version: measure.version,
        catalogue: measure.catalogue.clone(),
        area_name: area_name(&area),
        area: area.clone(),
        points: Vec::new(),
        chart: None,
        variation: crate::spc::Variation::NotEnoughData,
        assurance: crate::spc::Assurance::NoTarget,
        group: None,
        vintages: Vec::new(),
        commitments,
        definition,
    };
    let Some(mut recipe) = measure.recipe() else { return Ok(out) };
    if area.is_empty() {
        return Ok(out);
    }
    if recipe.dataset == Dataset::Returns && recipe.category.is_empty() {
        recipe.category = vec![measure.key().to_string()];
    }
    let (group, group_source) =
        if recipe.dataset == Dataset::Returns { (Vec::new(), String::new()) } else { store::group_of(pool, &area).await? };
    let areas: Vec<String> = std::iter::once(area.clone()).chain(group.iter().cloned()).collect();
    let mut by_area = store::sums(pool, &recipe, &areas).await?;
    ended_by(&mut by_area, as_of);
    let denominators = match (&recipe.take, &recipe.of) {
        (Take::ShareOf, Some(of)) => {
            let mut sums = store::sums(pool, of, &areas).await?;
            ended_by(&mut sums, as_of);
            Some(sums)
        }
        _ => None,
    };
    let populations = store::populations(pool).await?;
    let residents: BTreeMap<String, (f64, String)> =
        populations.iter().map(|(a, (year, people, source))| (a.clone(), (*people, format!("{source} ({year})")))).collect();
    let empty = BTreeMap::new();
    let home_sums = by_area.get(&area).unwrap_or(&empty);
    out.points = figures::series(
        &out.definition,
        &recipe,
        home_sums,
        denominators.as_ref().and_then(|d| d.get(&area)),
        residents.get(&area).map(|r| r.0),
    );
    let (chart, variation, assurance) = figures::judge(&out.definition, &out.points);
    out.chart = chart;
    out.variation = variation;
    out.assurance = assurance;
    if let Some(latest) = out.points.last()
        && let Some((window, window_name)) = figures::window(out.definition.frequency, &latest.period)
        && let Some((comparison, members)) =
            figures::group_figures(&out.definition, &by_area, &residents, (&area, &group), &window, &area_name)
    {
        out.group = Some(GroupFigures {
            window: window_name,
            members,
            group_rate: comparison.group_rate,
            dispersion: comparison.dispersion,
            group_source,
            residents_source: residents.get(&area).map(|r| r.1.clone()).unwrap_or_default(),
        });
    }
    out.vintages = if recipe.dataset == Dataset::Returns {
        vec!["Returns from the service, approved by the office".into()]
    } else {
        store::vintages(pool, recipe.dataset, &area).await?
    };
    Ok(out)
}

/// The plan commitments a measure evidences: (plan slug, the commitment's words), public ones only.
pub async fn commitments(pool: &Pool, key: &str) -> Result<Vec<(String, String)>, sqlx::Error> {
    let linked = store::commitments_of(pool, key).await?;
    if linked.is_empty() {
        return Ok(Vec::new());
    }
    let refs: HashMap<String, plans::store::CommitmentRef> =
        plans::store::commitment_refs(pool).await?.into_iter().map(|c| (c.id.clone(), c)).collect();
    Ok(linked
        .iter()
        .filter_map(|id| refs.get(id))
        .filter(|c| c.public == 1)
        .map(|c| (c.plan_slug.clone(), c.pledge.clone()))
        .collect())
}

/// Every measure in use for a service, with its figures.
pub async fn all_figures(pool: &Pool, office: &Office, service: Option<Service>) -> Result<Vec<MeasureFigures>, sqlx::Error> {
    all_figures_as_of(pool, office, service, None).await
}

/// Every measure in use for a service, with its figures for the periods ended by `as_of`.
pub async fn all_figures_as_of(
    pool: &Pool,
    office: &Office,
    service: Option<Service>,
    as_of: Option<time::Date>,
) -> Result<Vec<MeasureFigures>, sqlx::Error> {
    let mut out = Vec::new();
    for measure in store::active_measures(pool).await? {
        if service.is_none_or(|s| s == measure.definition.service) {
            out.push(measure_figures_as_of(pool, office, &measure, as_of).await?);
        }
    }
    Ok(out)
}
