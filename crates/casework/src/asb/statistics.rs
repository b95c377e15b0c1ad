//! The published figures. STATUTORY (ASB, Crime and Policing Act 2014 s.104(11)): at least every
//! twelve months, the number of applications, of decisions that the threshold was not met, of
//! reviews carried out and of reviews that led to recommendations. The office adds appeals and
//! how long each step took. Worked out from the case records every time, so they are never stale.

use platform::access::Routes;
use platform::calendar::{self, Nation, WorkingDayCalendar, working_days_between};
use platform::db::{self, Pool};
use platform::figures::{Column, Field, Figure, FiguresTable, Headlines, PairedBars, Publication, YearOfFigures, YearlyFigures};
use platform::{AppError, Platform};
use serde::Serialize;
use time::Date;

use platform::periods::{FinancialYear, median};

/// What the figures need to know about one application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationFacts {
    pub review_body: String,
    pub received_on: Date,
    pub threshold_not_met: bool,
    pub threshold_decided_on: Option<Date>,
    pub review_held: bool,
    pub recommendations: u32,
    pub outcome_sent_on: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppealFacts {
    pub review_body: String,
    pub received_on: Date,
    pub upheld: bool,
    pub decided_on: Option<Date>,
}

/// The figures for one review body (or all of them) in one year.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Figures {
    pub review_body: String,
    pub applications: u32,
    pub threshold_not_met: u32,
    pub reviews_held: u32,
    pub reviews_with_recommendations: u32,
    pub appeals_received: u32,
    pub appeals_upheld: u32,
    pub median_working_days_to_threshold_decision: Option<f64>,
    pub median_working_days_to_outcome: Option<f64>,
    pub median_working_days_to_appeal_decision: Option<f64>,
}

fn figures_for(
    name: &str,
    applications: &[&ApplicationFacts],
    appeals: &[&AppealFacts],
    calendar: &WorkingDayCalendar,
) -> Figures {
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    let mut to_threshold: Vec<i64> = applications
        .iter()
        .filter_map(|a| a.threshold_decided_on.map(|d| working_days_between(a.received_on, d, calendar)))
        .collect();
    let mut to_outcome: Vec<i64> =
        applications.iter().filter_map(|a| a.outcome_sent_on.map(|d| working_days_between(a.received_on, d, calendar))).collect();
    let mut to_appeal: Vec<i64> =
        appeals.iter().filter_map(|a| a.decided_on.map(|d| working_days_between(a.received_on, d, calendar))).collect();
    Figures {
        review_body: name.to_string(),
        applications: count(applications.len()),
        threshold_not_met: count(applications.iter().filter(|a| a.threshold_not_met).count()),
        reviews_held: count(applications.iter().filter(|a| a.review_held).count()),
        reviews_with_recommendations: count(applications.iter().filter(|a| a.review_held && a.recommendations > 0).count()),
        appeals_received: count(appeals.len()),
        appeals_upheld: count(appeals.iter().filter(|a| a.upheld).count()),
        median_working_days_to_threshold_decision: median(&mut to_threshold),
        median_working_days_to_outcome: median(&mut to_outcome),
        median_working_days_to_appeal_decision: median(&mut to_appeal),
    }
}

/// Figures for each review body with any cases in the year, then the total for the area. Each
/// case counts in the year its application (or appeal) arrived.
pub fn figures(
    year: FinancialYear,
    review_bodies: &[String],
    applications: &[ApplicationFacts],
    appeals: &[AppealFacts],
    calendar: &WorkingDayCalendar,
) -> (Vec<Figures>, Figures) {
    let in_year: Vec<&ApplicationFacts> = applications.iter().filter(|a| year.contains(a.received_on)).collect();
    let appeals_in_year: Vec<&AppealFacts> = appeals.iter().filter(|a| year.contains(a.received_on)).collect();
    let mut names: Vec<&String> = review_bodies.iter().collect();
    for extra in in_year.iter().map(|a| &a.review_body).chain(appeals_in_year.iter().map(|a| &a.review_body)) {
        if !names.contains(&extra) {
            names.push(extra);
        }
    }
    let per_body = names
        .into_iter()
        .map(|name| {
            let apps: Vec<&ApplicationFacts> = in_year.iter().copied().filter(|a| &a.review_body == name).collect();
            let appeals: Vec<&AppealFacts> = appeals_in_year.iter().copied().filter(|a| &a.review_body == name).collect();
            figures_for(name, &apps, &appeals, calendar)
        })
        .collect();
    let total = figures_for("All review bodies", &in_year, &appeals_in_year, calendar);
    (per_body, total)
}

/// Reads the facts from the case records.
pub async fn load_facts(pool: &Pool) -> Result<(Vec<String>, Vec<ApplicationFacts>, Vec<AppealFacts>), sqlx::Error> {
    let bodies: Vec<String> = super::policy::review_bodies(pool).await?.into_iter().map(|b| b.name).collect();
    type AppRow = (String, String, Option<String>, Option<String>, Option<String>, i64, Option<String>);
    let rows: Vec<AppRow> = sqlx::query_as(
        "SELECT b.name, a.received_on, a.threshold_outcome, a.threshold_decided_on, a.meeting_on, \
         (SELECT COUNT(*) FROM casework_asb_recommendation r WHERE r.application_id = a.id), a.outcome_sent_on \
         FROM casework_asb_application a JOIN casework_asb_review_body b ON b.id = a.review_body_id",
    )
    .fetch_all(pool)
    .await?;
    let date = |t: Option<String>| t.as_deref().and_then(db::parse_date);
    let applications = rows
        .into_iter()
        .filter_map(|(body, received, outcome, decided, meeting, recommendations, outcome_sent)| {
            Some(ApplicationFacts {
                review_body: body,
                received_on: db::parse_date(&received)?,
                threshold_not_met: outcome.as_deref() == Some("not-met"),
                threshold_decided_on: date(decided),
                review_held: meeting.is_some(),
                recommendations: u32::try_from(recommendations).unwrap_or(0),
                outcome_sent_on: date(outcome_sent),
            })
        })
        .collect();
    type AppealRow = (Option<String>, String, String, Option<String>, Option<String>);
    let rows: Vec<AppealRow> = sqlx::query_as(
        "SELECT b.name, p.review_body_name, p.received_on, p.outcome, p.decided_on FROM casework_asb_appeal p \
         LEFT JOIN casework_asb_review_body b ON b.id = p.review_body_id",
    )
    .fetch_all(pool)
    .await?;
    let appeals = rows
        .into_iter()
        .filter_map(|(known, given, received, outcome, decided)| {
            Some(AppealFacts {
                // Appeals about reviews by bodies outside the area's list are grouped under the name given.
                review_body: known.unwrap_or(given),
                received_on: db::parse_date(&received)?,
                upheld: outcome.as_deref() == Some("upheld"),
                decided_on: date(decided),
            })
        })
        .collect();
    Ok((bodies, applications, appeals))
}

pub fn routes() -> Routes {
    platform::figures::yearly_routes::<AsbCaseReviewFigures>()
}

/// The published figures: a row a review body.
pub struct AsbCaseReviewFigures;

impl YearlyFigures for AsbCaseReviewFigures {
    type Row = Figures;
    const PUBLICATION: Publication = Publication {
        page: "/asb-case-review/statistics",
        name: "Anti-social behaviour case reviews",
        rows_key: "review_bodies",
        // The Anti-social Behaviour, Crime and Policing Act 2014 brought in case reviews.
        first_year: 2014,
        about: "The law asks every area to publish, at least once a year, how many case reviews were applied for, how many \
                did not meet the threshold, how many were carried out and how many led to recommendations. These figures \
                are worked out from the case records each time this page is opened. Each case counts in the year its \
                application or appeal arrived.",
        caveats: "A review can be carried out even when the threshold was not met, so reviews carried out can include cases \
                  counted as “threshold not met”.",
    };

    async fn year(platform: &Platform, year: FinancialYear) -> Result<YearOfFigures<Figures>, AppError> {
        let (bodies, applications, appeals) = load_facts(platform.pool()).await?;
        let calendar = calendar::store::for_nation(platform.pool(), Nation::EnglandAndWales).await?;
        let (rows, total) = figures(year, &bodies, &applications, &appeals, &calendar);
        let earliest = applications.iter().map(|a| FinancialYear::containing(a.received_on)).min();
        Ok(YearOfFigures { rows, total, earliest })
    }

    fn table(per_body: &[Figures], total: &Figures) -> FiguresTable {
        table(per_body, total)
    }

    fn headlines(total: &Figures) -> Headlines {
        Headlines(vec![
            (Figure::Count(total.applications), "applications"),
            (Figure::Count(total.threshold_not_met), "did not meet the threshold"),
            (Figure::Count(total.reviews_held), "reviews carried out"),
            (Figure::Count(total.reviews_with_recommendations), "reviews led to recommendations"),
        ])
    }

    fn chart(year: FinancialYear, per_body: &[Figures]) -> PairedBars {
        PairedBars {
            heading: "Applications and reviews by review body".into(),
            title: format!("Applications and reviews carried out by review body, {}", year.label()),
            series: ["Applications", "Reviews carried out"],
            bars: per_body.iter().map(|f| (f.review_body.clone(), f.applications, f.reviews_held)).collect(),
        }
    }
}

/// The published columns, in order.
const FIELDS: [Field<Figures>; 9] = [
    Field { key: "applications", heading: Some("Applications"), figure: |f| Figure::Count(f.applications) },
    Field { key: "threshold_not_met", heading: Some("Threshold not met"), figure: |f| Figure::Count(f.threshold_not_met) },
    Field { key: "reviews_held", heading: Some("Reviews carried out"), figure: |f| Figure::Count(f.reviews_held) },
    Field {
        key: "reviews_with_recommendations",
        heading: Some("Reviews with recommendations"),
        figure: |f| Figure::Count(f.reviews_with_recommendations),
    },
    Field { key: "appeals_received", heading: Some("Appeals"), figure: |f| Figure::Count(f.appeals_received) },
    Field { key: "appeals_upheld", heading: Some("Appeals upheld"), figure: |f| Figure::Count(f.appeals_upheld) },
    Field {
        key: "median_working_days_to_threshold_decision",
        heading: Some("Median working days to threshold decision"),
        figure: |f| Figure::Measure(f.median_working_days_to_threshold_decision),
    },
    Field {
        key: "median_working_days_to_outcome",
        heading: Some("Median working days to outcome"),
        figure: |f| Figure::Measure(f.median_working_days_to_outcome),
    },
    Field {
        key: "median_working_days_to_appeal_decision",
        heading: Some("Median working days to appeal decision"),
        figure: |f| Figure::Measure(f.median_working_days_to_appeal_decision),
    },
];

/// The review bodies and the total as one table: the page's and the CSV's.
pub fn table(per_body: &[Figures], total: &Figures) -> FiguresTable {
    let by_body = (per_body, (|f: &Figures| f.review_body.clone()) as fn(&Figures) -> String);
    let label_column = Column::shown("review_body", "Review body");
    FiguresTable::of("Figures by review body", label_column, &FIELDS, by_body, Some((total.review_body.clone(), total)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn england() -> WorkingDayCalendar {
        WorkingDayCalendar::for_nation(Nation::EnglandAndWales, Vec::new())
    }

    fn application(body: &str, received_on: Date) -> ApplicationFacts {
        ApplicationFacts {
            review_body: body.into(),
            received_on,
            threshold_not_met: false,
            threshold_decided_on: None,
            review_held: false,
            recommendations: 0,
            outcome_sent_on: None,
        }
    }

    #[test]
    fn the_four_statutory_figures_and_medians_are_counted_per_body_and_in_total() {
        let bodies = vec!["North CSP".to_string(), "South CSP".to_string()];
        let applications = vec![
            // Decided not met in 3 working days.
            ApplicationFacts {
                threshold_not_met: true,
                threshold_decided_on: Some(date!(2026 - 06 - 04)),
                ..application("North CSP", date!(2026 - 06 - 01))
            },
            // Reviewed with recommendations, outcome after 20 working days.
            ApplicationFacts {
                threshold_decided_on: Some(date!(2026 - 06 - 08)),
                review_held: true,
                recommendations: 2,
                outcome_sent_on: Some(date!(2026 - 06 - 29)),
                ..application("North CSP", date!(2026 - 06 - 01))
            },
            // Reviewed below the threshold, no recommendations.
            ApplicationFacts {
                threshold_not_met: true,
                threshold_decided_on: Some(date!(2026 - 07 - 08)),
                review_held: true,
                ..application("South CSP", date!(2026 - 07 - 01))
            },
            // Last financial year: not counted.
            application("South CSP", date!(2026 - 03 - 31)),
        ];
        let appeals = vec![
            AppealFacts {
                review_body: "North CSP".into(),
                received_on: date!(2026 - 07 - 01),
                upheld: true,
                decided_on: Some(date!(2026 - 07 - 15)),
            },
            AppealFacts {
                review_body: "Elsewhere Council".into(),
                received_on: date!(2026 - 08 - 03),
                upheld: false,
                decided_on: None,
            },
        ];
        let (per_body, total) = figures(FinancialYear(2026), &bodies, &applications, &appeals, &england());
        assert_eq!(per_body.len(), 3, "bodies from the list, then any named only in an appeal");
        let north = &per_body[0];
        assert_eq!(
            (north.applications, north.threshold_not_met, north.reviews_held, north.reviews_with_recommendations),
            (2, 1, 1, 1)
        );
        assert_eq!(north.median_working_days_to_threshold_decision, Some(4.0));
        assert_eq!(north.median_working_days_to_outcome, Some(20.0));
        assert_eq!((north.appeals_received, north.appeals_upheld), (1, 1));
        assert_eq!(north.median_working_days_to_appeal_decision, Some(10.0));
        assert_eq!(per_body[2].review_body, "Elsewhere Council");
        assert_eq!(
            (total.applications, total.threshold_not_met, total.reviews_held, total.reviews_with_recommendations),
            (3, 2, 2, 1)
        );
        assert_eq!(total.median_working_days_to_threshold_decision, Some(5.0));
        assert_eq!(total.appeals_received, 2);
    }

    #[test]
    fn csv_defuses_formulas_and_quotes_names() {
        let rows = vec![Figures { review_body: "=HYPERLINK(\"x\")".into(), applications: 4, ..Default::default() }];
        let csv = table(&rows, &Figures::default()).to_csv(&[("financial_year", FinancialYear(2026).label())]);
        let line = csv.lines().nth(1).expect("row");
        assert!(line.starts_with("\"April 2026 to March 2027\",\"'=HYPERLINK(\"\"x\"\")\",4,0,"), "{line}");
    }
}
