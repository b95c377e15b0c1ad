//! The programme overview: how many actions each theme (priority) has in each horizon and status,
//! as the action plan's front page counts them, with carried-forward actions counted too. Pure.

use platform::charts::{self, Body, Chart, Column, Series, Table, colour};
use platform::format::Value;

use crate::model::{DeliveryStatus, Horizon};
use crate::snapshot::Snapshot;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThemeCounts {
    pub theme: String,
    /// [horizon][status], in `Horizon::ALL` and `DeliveryStatus::ALL` order.
    pub counts: [[usize; 4]; 3],
    pub carried_forward: usize,
}

impl ThemeCounts {
    pub fn total(&self) -> usize {
        self.counts.iter().flatten().sum()
    }
    pub fn by_status(&self, status: DeliveryStatus) -> usize {
        let s = DeliveryStatus::ALL.iter().position(|x| *x == status).unwrap_or(0);
        self.counts.iter().map(|row| row[s]).sum()
    }
    pub fn by_horizon(&self, horizon: Horizon) -> usize {
        let h = Horizon::ALL.iter().position(|x| *x == horizon).unwrap_or(0);
        self.counts[h].iter().sum()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overview {
    pub themes: Vec<ThemeCounts>,
    pub total: ThemeCounts,
}

/// Counts the actions of a plan (as a snapshot, or the live plan made into one).
pub fn overview(plan: &Snapshot) -> Overview {
    let mut themes: Vec<ThemeCounts> =
        plan.priorities.iter().map(|p| ThemeCounts { theme: p.title.clone(), counts: [[0; 4]; 3], carried_forward: 0 }).collect();
    for (index, priority) in plan.priorities.iter().enumerate() {
        for action in priority.commitments.iter().flat_map(|c| &c.actions) {
            let h = Horizon::ALL.iter().position(|x| *x == action.horizon()).unwrap_or(1);
            let s = DeliveryStatus::ALL.iter().position(|x| *x == action.status()).unwrap_or(0);
            themes[index].counts[h][s] += 1;
            themes[index].carried_forward += usize::from(action.carried_forward);
        }
    }
    let mut total = ThemeCounts { theme: "Total".into(), counts: [[0; 4]; 3], carried_forward: 0 };
    for theme in &themes {
        for h in 0..3 {
            for s in 0..4 {
                total.counts[h][s] += theme.counts[h][s];
            }
        }
        total.carried_forward += theme.carried_forward;
    }
    Overview { themes, total }
}

impl Overview {
    /// A table with a row for each theme and the total: a column for each status, then `extra`;
    /// `counts` gives a row's numbers in that order.
    fn by_theme(&self, caption: String, extra: &[&str], counts: impl Fn(&ThemeCounts) -> Vec<usize>) -> Table {
        let mut columns = vec![Column::text("Theme")];
        columns.extend(DeliveryStatus::ALL.iter().map(|s| Column::number(s.described())));
        columns.extend(extra.iter().map(|label| Column::number(*label)));
        let rows = self
            .themes
            .iter()
            .chain(std::iter::once(&self.total))
            .map(|theme| {
                let mut cells = vec![Value::Text(theme.theme.clone())];
                cells.extend(counts(theme).into_iter().map(|n| Value::Count(n as i64)));
                cells
            })
            .collect();
        Table { caption, columns, rows }
    }

    /// Every action by theme and status (the chart's numbers), with those carried forward.
    pub fn table(&self, caption: &str) -> Table {
        self.by_theme(caption.to_string(), &["Carried forward", "All actions"], |theme| {
            let mut counts: Vec<usize> = DeliveryStatus::ALL.iter().map(|s| theme.by_status(*s)).collect();
            counts.extend([theme.carried_forward, theme.total()]);
            counts
        })
    }

    /// For each horizon, its actions by theme and status: the plan's overview split as the
    /// action plan splits it, one narrow table a horizon.
    pub fn horizon_tables(&self) -> Vec<Table> {
        Horizon::ALL
            .iter()
            .enumerate()
            .map(|(h, horizon)| {
                self.by_theme(format!("{} actions by theme and status", horizon.name()), &["All"], |theme| {
                    let mut counts = theme.counts[h].to_vec();
                    counts.push(theme.by_horizon(*horizon));
                    counts
                })
            })
            .collect()
    }

    /// The chart, its table and the tables by horizon, as HTML for a page.
    pub fn html(&self, id: &str) -> String {
        let mut out = self.chart("Actions by theme and delivery status").html(&format!("{id}-chart"));
        out.push_str(&self.table("Actions by theme and delivery status").html(&format!("{id}-table")));
        for (i, table) in self.horizon_tables().iter().enumerate() {
            out.push_str(&table.html(&format!("{id}-horizon-{i}")));
        }
        out
    }

    /// Actions by status in each theme, as stacked bars (hatched as well as coloured).
    pub fn chart(&self, title: &str) -> Chart {
        let series = DeliveryStatus::ALL
            .into_iter()
            .map(|status| Series {
                name: status.described(),
                values: self.themes.iter().map(|t| Some(t.by_status(status) as f64)).collect(),
            })
            .collect();
        let total = self.total.total();
        let implemented = self.total.by_status(DeliveryStatus::Implemented);
        let description = format!(
            "Actions in each theme by delivery status. {} of {} {} implemented.",
            platform::format::count(implemented as i64),
            platform::format::count(total as i64),
            if total == 1 { "action is" } else { "actions are" }
        );
        Chart::new(
            title,
            description,
            Body::Bars(charts::Bars {
                categories: self.themes.iter().map(|t| t.theme.clone()).collect(),
                series,
                stacked: true,
                unit: "actions".into(),
                places: 0,
                // Red, amber, green and grey, as the plan's own overview colours them.
                colours: vec![colour::RED, colour::ORANGE, colour::GREEN, colour::SECONDARY_TEXT],
            }),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::tests::{action, snapshot};
    use proptest::prelude::*;

    #[test]
    fn counts_fall_in_their_horizon_and_status() {
        use DeliveryStatus::*;
        let mut a = action("a", BeingImplemented);
        a.horizon = "medium".into();
        a.carried_forward = true;
        let plan = snapshot(vec![a, action("b", Implemented), action("c", Implemented)]);
        let overview = overview(&plan);
        let theme = &overview.themes[0];
        assert_eq!(theme.counts[1][1], 1, "medium, being implemented");
        assert_eq!(theme.counts[0][2], 2, "short, implemented");
        assert_eq!((theme.total(), theme.carried_forward), (3, 1));
        assert_eq!(overview.total, ThemeCounts { theme: "Total".into(), ..theme.clone() });
        let table = overview.table("Overview");
        assert_eq!((table.columns.len(), table.rows.len()), (1 + 4 + 2, 2));
        assert_eq!(table.rows[1].last(), Some(&Value::Count(3)));
        let by_horizon = overview.horizon_tables();
        assert_eq!(by_horizon.len(), 3);
        assert_eq!(by_horizon[1].rows[0][2], Value::Count(1), "medium term, being implemented");
    }

    proptest! {
        /// However the statuses and horizons fall, every action is counted once: the cells add
        /// up to the number of actions, by status and by horizon alike.
        #[test]
        fn every_action_is_counted_once(picks in proptest::collection::vec((0usize..4, 0usize..3, any::<bool>()), 0..60)) {
            let actions = picks.iter().enumerate().map(|(i, (s, h, cf))| {
                let mut a = action(&format!("a{i}"), DeliveryStatus::ALL[*s]);
                a.horizon = Horizon::ALL[*h].slug().into();
                a.carried_forward = *cf;
                a
            }).collect::<Vec<_>>();
            let overview = overview(&snapshot(actions));
            prop_assert_eq!(overview.total.total(), picks.len());
            let by_status: usize = DeliveryStatus::ALL.iter().map(|s| overview.total.by_status(*s)).sum();
            let by_horizon: usize = Horizon::ALL.iter().map(|h| overview.total.by_horizon(*h)).sum();
            prop_assert_eq!(by_status, picks.len());
            prop_assert_eq!(by_horizon, picks.len());
            prop_assert_eq!(overview.total.carried_forward, picks.iter().filter(|p| p.2).count());
            for (s, status) in DeliveryStatus::ALL.iter().enumerate() {
                prop_assert_eq!(overview.total.by_status(*status), picks.iter().filter(|p| p.0 == s).count());
            }
        }
    }
}
