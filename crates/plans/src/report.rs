//! The Panel's plan update report, made from a locked snapshot in the shape offices already
//! send their Panel: purpose, recommendation, background, progress by priority (the officer's
//! narrative, then the actions and their status), changes since the last quarter, the programme
//! overview, and the contact officer. Pure: the same snapshot and words give the same document.

use platform::charts::{Column, Table};
use platform::format::Value;
use publishing::{Block, Document, Figure};
use time::Date;

use crate::model::PlanKind;
use crate::snapshot::{Snapshot, StatusChange};
use crate::store::ReportDetails;

/// What the report is made from besides the snapshot.
pub struct ReportParts<'a> {
    pub snapshot: &'a Snapshot,
    pub sha256: &'a str,
    pub changes: &'a [StatusChange],
    /// Whether there was a locked quarter before this one to compare with.
    pub compared: bool,
    /// (priority id, the officer's words); paragraphs split at blank lines.
    pub narratives: &'a [(String, String)],
    pub details: &'a ReportDetails,
    pub office: &'a str,
    /// "the Commissioner", "the Mayor", "the Board".
    pub holder: &'a str,
    pub panel: &'a str,
    pub today: Date,
}

pub fn update_report(parts: &ReportParts<'_>) -> Document {
    let snapshot = parts.snapshot;
    let quarter = crate::model::quarter_label(&snapshot.quarter);
    let kind = PlanKind::from_slug(&snapshot.plan.kind).map(PlanKind::name).unwrap_or("plan");
    let mut document = Document::new(format!("{}: update for {quarter}", snapshot.plan.title), parts.office, parts.today);
    document.contents = true;
    let period = match (platform::db::parse_date(&snapshot.plan.starts_on), platform::db::parse_date(&snapshot.plan.ends_on)) {
        (Some(from), Some(to)) => platform::format::date_range(from, to),
        _ => String::new(),
    };
    let meeting = parts.details.meeting_on.as_deref().and_then(platform::db::parse_date).map(platform::format::date);
    if let Some(meeting) = &meeting {
        document.push(Block::Paragraph(format!("{} – {meeting}", parts.panel)));
    }
    document.push(Block::Heading(2, "1. Purpose of the report".into()));
    document.push(Block::Paragraph(format!(
        "To update {} on the delivery of {} ({}) in {quarter}.",
        parts.panel, snapshot.plan.title, kind
    )));
    document.push(Block::Heading(2, "2. Recommendation".into()));
    document.push(Block::Paragraph(format!(
        "That {} notes the update on delivery of the plan and comments as it sees fit.",
        parts.panel
    )));
    document.push(Block::Heading(2, "3. Background".into()));
    let actions = snapshot.action_count();
    document.push(Block::Paragraph(format!(
        "{} runs {period}. It has {} {} and {} delivery {}. This report is made from the record of the plan locked when {quarter} closed on {}; every figure in it can be checked against that record (SHA-256 {}).",
        snapshot.plan.title,
        platform::format::count(snapshot.priorities.len() as i64),
        if snapshot.priorities.len() == 1 { "priority" } else { "priorities" },
        platform::format::count(actions as i64),
        if actions == 1 { "action" } else { "actions" },
        platform::db::parse_date(&snapshot.taken_on).map(platform::format::date).unwrap_or_default(),
        parts.sha256,
    )));
    document.push(Block::List {
        ordered: false,
        items: snapshot
            .priorities
            .iter()
            .map(|p| if p.aim.is_empty() { p.title.clone() } else { format!("{}: {}", p.title, p.aim) })
            .collect(),
    });
    document.push(Block::Heading(2, "4. Progress to date".into()));
    for (index, priority) in snapshot.priorities.iter().enumerate() {
        document.push(Block::Heading(3, format!("4.{} {}", index + 1, priority.title)));
        let words = parts.narratives.iter().find(|(id, _)| *id == priority.id).map(|(_, w)| w.as_str()).unwrap_or("");
        let paragraphs: Vec<&str> = words.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).collect();
        if paragraphs.is_empty() {
            document.push(Block::Note(format!("No narrative has been written for this priority for {quarter}.")));
        }
        for paragraph in paragraphs {
            document.push(Block::Paragraph(paragraph.replace('\n', " ")));
        }
        let rows: Vec<Vec<Value>> = priority
            .commitments
            .iter()
            .flat_map(|c| &c.actions)
            .map(|a| {
                vec![
                    Value::Text(a.reference.clone()),
                    Value::Text(a.key_deliverable.clone()),
                    Value::Text(a.status().described()),
                    Value::Text(if a.progress.is_empty() { "No progress reported".into() } else { a.progress.clone() }),
                ]
            })
            .collect();
        if !rows.is_empty() {
            document.push(Block::Table(Table {
                caption: format!("Actions under {}", priority.title),
                columns: vec![
                    Column::text("Ref"),
                    Column::text("Key deliverable"),
                    Column::text("Status"),
                    Column::text("Progress"),
                ],
                rows,
            }));
        }
    }
    document.push(Block::Heading(2, "5. Changes of status since the last quarter".into()));
    if !parts.compared {
        document
            .push(Block::Paragraph("This is the first quarter reported, so there is no earlier quarter to compare with.".into()));
    } else if parts.changes.is_empty() {
        document.push(Block::Paragraph("No action changed status since the last locked quarter.".into()));
    } else {
        let backwards = parts.changes.iter().filter(|c| c.is_backwards()).count();
        document.push(Block::Paragraph(format!(
            "{} {} changed status; {} went backwards or left the plan.",
            platform::format::count(parts.changes.len() as i64),
            if parts.changes.len() == 1 { "action" } else { "actions" },
            platform::format::count(backwards as i64)
        )));
        document.push(Block::Table(Table {
            caption: "Actions whose status changed".into(),
            columns: vec![
                Column::text("Ref"),
                Column::text("Priority"),
                Column::text("Was"),
                Column::text("Now"),
                Column::text("Direction"),
            ],
            rows: parts
                .changes
                .iter()
                .map(|c| {
                    vec![
                        Value::Text(c.reference.clone()),
                        Value::Text(c.priority.clone()),
                        Value::Text(c.was_words().into()),
                        Value::Text(c.now_words().into()),
                        Value::Text(if c.is_backwards() { "Backwards".into() } else { "Forwards or new".into() }),
                    ]
                })
                .collect(),
        }));
    }
    document.push(Block::Heading(2, "6. Programme overview".into()));
    let overview = crate::overview::overview(snapshot);
    document.push(Block::Figure(Box::new(Figure {
        chart: overview.chart("Actions by theme and delivery status"),
        table: overview.table("Actions by theme and delivery status"),
    })));
    for table in overview.horizon_tables() {
        document.push(Block::Table(table));
    }
    document.push(Block::Note(
        "Statuses are the office’s judgement on the leads’ updates, approved before the quarter closed. An action with no approved update this quarter shows its last recorded evidence.".into(),
    ));
    document.push(Block::Heading(2, "7. Contact officer".into()));
    let details = parts.details;
    let mut lines: Vec<String> = [details.contact_name.as_str(), details.contact_role.as_str(), details.contact_email.as_str()]
        .iter()
        .filter(|l| !l.is_empty())
        .map(|l| l.to_string())
        .collect();
    if lines.is_empty() {
        lines.push(format!("{} ({})", parts.office, parts.holder));
    }
    document.push(Block::Lines(lines));
    document
}

/// Every locked quarter of every published plan, newest first, as (plan id, "plan title:
/// quarter" in words, quarter): the update reports another capability (the Panel's papers) can
/// ask for.
pub async fn locked_quarters(pool: &platform::db::Pool) -> Result<Vec<(String, String, String)>, sqlx::Error> {
    let mut out = Vec::new();
    for plan in crate::store::list_plans(pool).await?.into_iter().filter(|p| p.status.is_public()) {
        for (quarter, _) in crate::store::snapshot_quarters(pool, &plan.id).await? {
            out.push((plan.id.clone(), format!("{}: {}", plan.title, crate::model::quarter_label(&quarter)), quarter));
        }
    }
    out.sort_by(|a, b| b.2.cmp(&a.2));
    Ok(out)
}

/// The update report on a locked quarter, made from the records as the plan's pages make it.
pub async fn document_for(
    pool: &platform::db::Pool,
    office: &platform::office::Office,
    plan: &crate::store::Plan,
    locked: &crate::store::Locked,
    today: Date,
) -> Result<Document, sqlx::Error> {
    let before = crate::store::snapshot_before(pool, &plan.id, &locked.quarter).await?;
    let changes = crate::snapshot::changes(before.as_ref().map(|s| &s.snapshot), &locked.snapshot);
    let narratives = crate::store::narratives(pool, &locked.id).await?;
    let details = crate::store::report_details(pool, &locked.id).await?;
    let panel = if office.governance.covers_fire() { "the Police, Fire and Crime Panel" } else { "the Police and Crime Panel" };
    let parts = ReportParts {
        snapshot: &locked.snapshot,
        sha256: &locked.sha256,
        changes: &changes,
        compared: before.is_some(),
        narratives: &narratives,
        details: &details,
        office: &office.name,
        holder: office.governance.holder(),
        panel,
        today,
    };
    Ok(update_report(&parts))
}

/// The update report on a published plan's locked quarter, as the plan's own pages show it.
pub async fn for_quarter(
    pool: &platform::db::Pool,
    office: &platform::office::Office,
    (plan_id, quarter): (&str, &str),
    today: Date,
) -> Result<Option<Document>, sqlx::Error> {
    let Some(plan) = crate::store::list_plans(pool).await?.into_iter().find(|p| p.id == plan_id && p.status.is_public()) else {
        return Ok(None);
    };
    let Some(locked) = crate::store::find_snapshot(pool, &plan.id, quarter).await? else { return Ok(None) };
    Ok(Some(document_for(pool, office, &plan, &locked, today).await?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DeliveryStatus;
    use crate::snapshot::tests::{action, snapshot};

    #[test]
    fn the_report_follows_the_panels_shape_and_carries_the_snapshots_figures() {
        let mut a = action("a", DeliveryStatus::Implemented);
        a.progress = "Training delivered to 38 officers".into();
        let snapshot = snapshot(vec![a, action("b", DeliveryStatus::BeingImplemented)]);
        let narratives = vec![("p".to_string(), "First paragraph.\n\nSecond paragraph.".to_string())];
        let details = ReportDetails { contact_name: "Sam Patel".into(), ..Default::default() };
        let parts = ReportParts {
            snapshot: &snapshot,
            sha256: "abc",
            changes: &[],
            compared: false,
            narratives: &narratives,
            details: &details,
            office: "Test Office",
            holder: "the Commissioner",
            panel: "the Police, Fire and Crime Panel",
            today: time::macros::date!(2023 - 07 - 20),
        };
        let document = update_report(&parts);
        let headings: Vec<String> = document.sections().into_iter().map(|(_, h)| h).collect();
        assert_eq!(
            headings,
            [
                "1. Purpose of the report",
                "2. Recommendation",
                "3. Background",
                "4. Progress to date",
                "5. Changes of status since the last quarter",
                "6. Programme overview",
                "7. Contact officer"
            ]
        );
        let html = document.html();
        for expected in ["Second paragraph.", "Training delivered to 38 officers", "Being implemented (A)", "Sam Patel", "abc"] {
            assert!(html.contains(expected), "{expected}");
        }
        // The overview's total row counts both actions; the figures download carries it.
        let csv = document.figures_csv();
        assert!(csv.contains("Total"), "{csv}");
    }
}
