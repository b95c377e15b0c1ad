//! The published figures for police complaint reviews, per quarter and per financial year: the
//! figures an office publishes under the Specified Information Order's complaints paragraph.
//! Worked out from the case records every time, so they are never stale. A review counts in the
//! period it arrived for "received", "valid" and "in time", and in the period it was decided for
//! "decided", "upheld", the median and recommendations.

use platform::access::Routes;
use platform::calendar::{self, Nation, WorkingDayCalendar, working_days_between};
use platform::db::{self, Pool};
use platform::figures::{Column, Field, Figure, FiguresTable, Headlines, PairedBars, Publication, YearOfFigures, YearlyFigures};
use platform::{AppError, Platform};
use serde::Serialize;
use time::Date;

use super::rules;
use platform::periods::{FinancialYear, Quarter, median};

/// What the figures need to know about one review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewFacts {
    pub received_on: Date,
    pub outcome_given_on: Date,
    pub forwarding_days: i64,
    pub valid: bool,
    pub decided_on: Option<Date>,
    pub upheld: bool,
    pub recommendations: u32,
    pub recommendations_accepted: u32,
}

impl ReviewFacts {
    pub fn in_time(&self) -> bool {
        // The forwarding is known only as a number of days here; one span of that length gives
        // the same window.
        let forwarding = (self.forwarding_days > 0).then(|| rules::Forwarding {
            sent_on: self.received_on,
            arrived_on: self.received_on.saturating_add(time::Duration::days(self.forwarding_days)),
        });
        rules::timeliness(self.outcome_given_on, self.received_on, forwarding.as_slice()).in_time()
    }
}

/// The published figures for one period.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Figures {
    pub period: String,
    pub received: u32,
    pub valid: u32,
    pub in_time: u32,
    pub decided: u32,
    pub upheld: u32,
    pub upheld_percent: Option<f64>,
    pub median_working_days_to_decision: Option<f64>,
    pub recommendations_made: u32,
    pub recommendations_accepted: u32,
}

/// The figures for the reviews that fall in a period (`within` says which dates do).
pub fn figures(period: String, facts: &[ReviewFacts], within: impl Fn(Date) -> bool, calendar: &WorkingDayCalendar) -> Figures {
    let arrived: Vec<&ReviewFacts> = facts.iter().filter(|f| within(f.received_on)).collect();
    let decided: Vec<&ReviewFacts> = facts.iter().filter(|f| f.decided_on.is_some_and(&within)).collect();
    let upheld = decided.iter().filter(|f| f.upheld).count() as u32;
    let mut days: Vec<i64> =
        decided.iter().filter_map(|f| f.decided_on.map(|d| working_days_between(f.received_on, d, calendar))).collect();
    Figures {
        period,
        received: arrived.len() as u32,
        valid: arrived.iter().filter(|f| f.valid).count() as u32,
        in_time: arrived.iter().filter(|f| f.in_time()).count() as u32,
        decided: decided.len() as u32,
        upheld,
        upheld_percent: (!decided.is_empty()).then(|| (f64::from(upheld) * 1000.0 / decided.len() as f64).round() / 10.0),
        median_working_days_to_decision: median(&mut days),
        recommendations_made: decided.iter().map(|f| f.recommendations).sum(),
        recommendations_accepted: decided.iter().map(|f| f.recommendations_accepted).sum(),
    }
}

/// One financial year's four quarters and the year as a whole.
pub fn year_figures(year: FinancialYear, facts: &[ReviewFacts], calendar: &WorkingDayCalendar) -> (Vec<Figures>, Figures) {
    let quarters = (1..=4)
        .map(|number| {
            let quarter = Quarter { year, number };
            figures(quarter.label(), facts, |d| quarter.contains(d), calendar)
        })
        .collect();
    (quarters, figures(year.label(), facts, |d| year.contains(d), calendar))
}

pub async fn load_facts(pool: &Pool) -> Result<Vec<ReviewFacts>, sqlx::Error> {
    #[allow(clippy::type_complexity)]
    let rows: Vec<(String, String, String, Option<String>, Option<String>, Option<String>, Option<String>, i64, i64, i64)> =
        sqlx::query_as(
            "SELECT r.id, r.received_on, r.outcome_given_on, r.forwarded_sent_on, r.forwarded_arrived_on, r.validity, r.decided_on, \
             CAST((SELECT COUNT(*) FROM casework_complaint_allegation a WHERE a.review_id = r.id AND a.finding = 'upheld') AS BIGINT), \
             CAST((SELECT COUNT(*) FROM casework_complaint_recommendation m WHERE m.review_id = r.id) AS BIGINT), \
             CAST((SELECT COUNT(*) FROM casework_complaint_recommendation m WHERE m.review_id = r.id \
                   AND m.force_response IN ('accepted', 'partly-accepted')) AS BIGINT) \
             FROM casework_complaint_review r",
        )
        .fetch_all(pool)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(_, received, outcome, sent, arrived, validity, decided, upheld, made, accepted)| {
            let forwarding_days = match (sent.as_deref().and_then(db::parse_date), arrived.as_deref().and_then(db::parse_date)) {
                (Some(s), Some(a)) => (a - s).whole_days().max(0),
                _ => 0,
            };
            Some(ReviewFacts {
                received_on: db::parse_date(&received)?,
                outcome_given_on: db::parse_date(&outcome)?,
                forwarding_days,
                valid: validity.as_deref() == Some("valid"),
                decided_on: decided.as_deref().and_then(db::parse_date),
                upheld: upheld > 0,
                recommendations: u32::try_from(made).unwrap_or(0),
                recommendations_accepted: u32::try_from(accepted).unwrap_or(0),
            })
        })
        .collect())
}

pub fn routes() -> Routes {
    platform::figures::yearly_routes::<ComplaintReviewFigures>()
}

/// The published figures: a row a quarter.
pub struct ComplaintReviewFigures;

impl YearlyFigures for ComplaintReviewFigures {
    type Row = Figures;
    const PUBLICATION: Publication = Publication {
        page: "/police-complaint-review/figures",
        name: "Police complaint reviews",
        rows_key: "quarters",
        // The 2020 Regulations brought in reviews by the local policing body.
        first_year: 2020,
        about: "How many requests to review a police complaint we received, how many we could review, and what we decided. \
                The figures are worked out from our case records each time this page is opened. A request counts in the \
                quarter it arrived for received, valid and in time, and in the quarter it was decided for the rest.",
        caveats: "A review is “upheld” when we upheld at least one part of the complaint. Working days do not include \
                  weekends or bank holidays, and run from the day we received the request to the day we decided.",
    };

    async fn year(platform: &Platform, year: FinancialYear) -> Result<YearOfFigures<Figures>, AppError> {
        let facts = load_facts(platform.pool()).await?;
        let calendar = calendar::store::for_nation(platform.pool(), Nation::EnglandAndWales).await?;
        let (rows, total) = year_figures(year, &facts, &calendar);
        let earliest = facts.iter().map(|f| FinancialYear::containing(f.received_on)).min();
        Ok(YearOfFigures { rows, total, earliest })
    }

    fn table(quarters: &[Figures], total: &Figures) -> FiguresTable {
        table(quarters, total)
    }

    fn headlines(total: &Figures) -> Headlines {
        Headlines(vec![
            (Figure::Count(total.received), "requests received"),
            (Figure::Count(total.decided), "reviews decided"),
            (Figure::Percent(total.upheld_percent), "upheld"),
            (Figure::Measure(total.median_working_days_to_decision), "median working days to a decision"),
        ])
    }

    fn chart(year: FinancialYear, quarters: &[Figures]) -> PairedBars {
        PairedBars {
            heading: "Requests received and reviews decided, by quarter".into(),
            title: format!("Requests received and reviews decided by quarter, {}", year.label()),
            series: ["Received", "Decided"],
            bars: quarters.iter().map(|f| (f.period.clone(), f.received, f.decided)).collect(),
        }
    }
}

/// The published columns, in order.
const FIELDS: [Field<Figures>; 9] = [
    Field { key: "received", heading: Some("Received"), figure: |f| Figure::Count(f.received) },
    Field { key: "valid", heading: Some("Valid"), figure: |f| Figure::Count(f.valid) },
    Field { key: "in_time", heading: Some("In time"), figure: |f| Figure::Count(f.in_time) },
    Field { key: "decided", heading: Some("Decided"), figure: |f| Figure::Count(f.decided) },
    Field { key: "upheld", heading: Some("Upheld"), figure: |f| Figure::Count(f.upheld) },
    Field { key: "upheld_percent", heading: Some("Upheld (%)"), figure: |f| Figure::Percent(f.upheld_percent) },
    Field {
        key: "median_working_days_to_decision",
        heading: Some("Median working days"),
        figure: |f| Figure::Measure(f.median_working_days_to_decision),
    },
    Field {
        key: "recommendations_made",
        heading: Some("Recommendations made"),
        figure: |f| Figure::Count(f.recommendations_made),
    },
    Field {
        key: "recommendations_accepted",
        heading: Some("Accepted by the force"),
        figure: |f| Figure::Count(f.recommendations_accepted),
    },
];

/// The quarters and the year as one table: the page's and the CSV's.
pub fn table(quarters: &[Figures], total: &Figures) -> FiguresTable {
    let by_quarter = (quarters, (|f: &Figures| f.period.clone()) as fn(&Figures) -> String);
    FiguresTable::of(
        "Figures by quarter",
        Column::shown("period", "Period"),
        &FIELDS,
        by_quarter,
        Some(("Whole year".into(), total)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use platform::calendar::Nation;
    use time::macros::date;

    fn england() -> WorkingDayCalendar {
        WorkingDayCalendar::for_nation(Nation::EnglandAndWales, Vec::new())
    }

    fn review(received_on: Date) -> ReviewFacts {
        ReviewFacts {
            received_on,
            outcome_given_on: received_on - time::Duration::days(10),
            forwarding_days: 0,
            valid: true,
            decided_on: None,
            upheld: false,
            recommendations: 0,
            recommendations_accepted: 0,
        }
    }

    #[test]
    fn each_figure_counts_the_right_reviews() {
        let calendar = england();
        let late = ReviewFacts { outcome_given_on: date!(2026 - 08 - 01), ..review(date!(2026 - 10 - 05)) };
        let forwarded_in_time =
            ReviewFacts { outcome_given_on: date!(2026 - 09 - 01), forwarding_days: 10, ..review(date!(2026 - 10 - 06)) };
        let invalid = ReviewFacts { valid: false, ..review(date!(2026 - 10 - 07)) };
        // Received last quarter, decided this one: counts as decided here, received there.
        let decided = ReviewFacts {
            decided_on: Some(date!(2026 - 10 - 20)),
            upheld: true,
            recommendations: 2,
            recommendations_accepted: 1,
            ..review(date!(2026 - 09 - 28))
        };
        let decided_not_upheld = ReviewFacts { decided_on: Some(date!(2026 - 10 - 21)), ..review(date!(2026 - 10 - 01)) };
        let facts = vec![late, forwarded_in_time, invalid, decided, decided_not_upheld];
        let q3 = Quarter { year: FinancialYear(2026), number: 3 };
        let f = figures(q3.label(), &facts, |d| q3.contains(d), &calendar);
        assert_eq!(f.received, 4);
        assert_eq!(f.valid, 3);
        assert_eq!(f.in_time, 3, "the late one is out; the forwarded one is in because forwarding days do not count");
        assert_eq!(f.decided, 2);
        assert_eq!(f.upheld, 1);
        assert_eq!(f.upheld_percent, Some(50.0));
        // 28 Sep → 20 Oct is 16 working days; 1 Oct → 21 Oct is 14: median 15.
        assert_eq!(f.median_working_days_to_decision, Some(15.0));
        assert_eq!((f.recommendations_made, f.recommendations_accepted), (2, 1));
        let (quarters, year) = year_figures(FinancialYear(2026), &facts, &calendar);
        assert_eq!(quarters[1].received, 1, "the one received in September");
        assert_eq!(year.received, 5);
        let csv = table(&[f], &year).to_csv(&[]);
        assert!(csv.lines().nth(1).is_some_and(|l| l == "\"October to December 2026\",4,3,3,2,1,50,15,2,1"), "{csv}");
        assert!(csv.lines().nth(2).is_some_and(|l| l.starts_with("\"Whole year\",5,")), "{csv}");
    }
}
