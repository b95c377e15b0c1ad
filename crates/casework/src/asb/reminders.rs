//! Which ASB Case Review steps are owed a reminder today (sent by casekit::reminders).

use platform::calendar::WorkingDayCalendar;
use platform::db::Pool;
use time::Date;

use super::appeal;
use super::store;
use super::timescales::{self, Step};
use casekit::deadlines::Deadline;
use casekit::reminders::Owed;

fn owed_for(
    case_id: &str,
    reference: &str,
    step: &Step,
    path: String,
    assignee: &Option<String>,
    today: Date,
    calendar: &WorkingDayCalendar,
) -> Option<Owed> {
    let reminder = timescales::reminder_owed(step, today, calendar)?;
    Some(Owed {
        case_id: case_id.to_string(),
        reference: reference.to_string(),
        step_slug: step.kind.slug(),
        step_name: step.kind.name(),
        due_on: step.due_on,
        rule: step.rule.clone(),
        reminder,
        path,
        assignee: assignee.clone(),
    })
}

pub async fn owed(pool: &Pool, today: Date, calendar: &WorkingDayCalendar) -> Result<Vec<Owed>, sqlx::Error> {
    let mut owed = Vec::new();
    for application in store::list_applications(pool, false, None).await? {
        let steps = timescales::application_steps(&application.dates(), &application.timescales(), calendar);
        if let Some(step) = timescales::next_step(&steps) {
            let path = format!("/staff/asb-case-reviews/{}", application.reference);
            owed.extend(owed_for(&application.id, &application.reference, step, path, &application.assigned_to, today, calendar));
        }
    }
    for appeal in appeal::list(pool, false, None).await? {
        let step = timescales::appeal_step(appeal.received(), appeal.decided(), &appeal.timescales(), calendar);
        let path = format!("/staff/asb-appeals/{}", appeal.reference);
        owed.extend(owed_for(&appeal.id, &appeal.reference, &step, path, &appeal.assigned_to, today, calendar));
    }
    Ok(owed)
}

/// Each open application's next step and each undecided appeal's decision, with their dates.
pub async fn deadlines(pool: &Pool, calendar: &WorkingDayCalendar) -> Result<Vec<Deadline>, sqlx::Error> {
    let mut deadlines = Vec::new();
    for application in store::list_applications(pool, false, None).await? {
        let steps = timescales::application_steps(&application.dates(), &application.timescales(), calendar);
        if let Some(step) = timescales::next_step(&steps) {
            let (case_id, reference) = (application.id.clone(), application.reference.clone());
            deadlines.push(Deadline {
                case_id,
                reference,
                step: step.kind.name(),
                due_on: step.due_on,
                assigned_to: application.assigned_to.clone(),
                received_on: application.received(),
            });
        }
    }
    for appeal in appeal::list(pool, false, None).await?.into_iter().filter(|a| a.decided().is_none()) {
        let step = timescales::appeal_step(appeal.received(), appeal.decided(), &appeal.timescales(), calendar);
        deadlines.push(Deadline {
            case_id: appeal.id.clone(),
            reference: appeal.reference.clone(),
            step: step.kind.name(),
            due_on: step.due_on,
            assigned_to: appeal.assigned_to.clone(),
            received_on: appeal.received(),
        });
    }
    Ok(deadlines)
}
