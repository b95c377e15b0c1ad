//! The demo office's ASB Case Reviews: a few applications at different stages so the queue has
//! something in it. Names and addresses are invented.

use platform::audit::Actor;
use platform::config::Settings;
use platform::contact::ContactAnswers;
use platform::db::Pool;
use time::{Duration, OffsetDateTime};

use super::answers::{ApplicationAnswers, Incident};
use super::policy;
use super::store;

/// The demo partner account belongs to this review body, one of those set-up adds for
/// Staffordshire from the reference data.
pub const PARTNER_ORGANISATION: &str = "Stafford Community Safety Partnership";

/// Adds sample cases, unless there are applications already. The review bodies come from
/// setting up the office, as for a real one.
pub async fn seed(pool: &Pool, settings: &Settings, now: OffsetDateTime) -> Result<bool, platform::db::StoreError> {
    let applications: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM casework_asb_application").fetch_one(pool).await?;
    if applications > 0 {
        return Ok(false);
    }
    let actor = Actor::system("demo office");
    let today = platform::calendar::uk_local_date(now);
    let day = |days_ago: i64| platform::db::date(today - Duration::days(days_ago));
    let incident = |occurred: i64, reported: i64, to: &str, text: &str| Incident {
        occurred_on: day(occurred),
        reported_on: day(reported),
        reported_to: to.into(),
        agency_reference: String::new(),
        reporter: String::new(),
        description: text.into(),
    };
    let samples = [
        (
            "Pat Example",
            "stafford",
            "ST16 2DJ",
            vec![
                incident(60, 59, "police", "Group of youths kicking a football against the house until late at night."),
                incident(41, 40, "council", "Fireworks thrown at the front door."),
                incident(41, 38, "police", "Same fireworks incident, reported to the police as well."),
                incident(12, 12, "housing", "Bins set alight in the shared yard."),
            ],
        ),
        (
            "Alex Sample",
            "stoke-on-trent",
            "ST4 1AA",
            vec![
                incident(90, 88, "council", "Loud music from the flat above every night."),
                incident(50, 10, "council", "Threatening note pushed under the door."),
            ],
        ),
    ];
    let policy = policy::load(pool).await?;
    let districts = policy::districts(pool).await?;
    for (name, district, postcode, incidents) in samples {
        let answers = ApplicationAnswers {
            applying_as: "victim".into(),
            victim_kind: "person".into(),
            victim_name: name.into(),
            district_id: district.into(),
            location_postcode: postcode.into(),
            incidents,
            incidents_done: true,
            continuing: "yes".into(),
            hate: "no".into(),
            applicant_name: name.into(),
            contact: ContactAnswers {
                contact_method: "email".into(),
                email: format!("{}@example.com", name.to_lowercase().replace(' ', ".")),
                ..Default::default()
            },
            needs_answered: true,
            evidence_done: true,
            consent: true,
            ..Default::default()
        };
        let draft = store::create_draft(pool, now).await?;
        let body = districts.iter().find(|d| d.id == district).map(|d| d.review_body_id.clone()).unwrap_or_default();
        store::submit_application(pool, &draft, &answers, &body, &policy, now, today, &actor, |_, _| None, settings).await?;
    }
    add_agency_contacts(pool, &actor, now).await?;
    Ok(true)
}

/// A contact at the force and at the first council, so a case review can ask them for
/// information. Their addresses are on the reserved `.example` domain: mail to them goes nowhere.
async fn add_agency_contacts(pool: &Pool, actor: &Actor, now: OffsetDateTime) -> Result<(), sqlx::Error> {
    use platform::organisations::{Kind, contacts};
    let organisations = platform::organisations::list(pool).await?;
    let people = [
        (Kind::PoliceForce, "Jordan Reeve", "jordan.reeve@police.example", "Neighbourhood inspector"),
        (Kind::Council, "Morgan Lloyd", "morgan.lloyd@council.example", "ASB coordinator"),
    ];
    let mut wanted = Vec::new();
    for (kind, name, email, job_title) in people {
        let Some(organisation) = organisations.iter().find(|o| o.kind == kind) else { continue };
        if contacts::of(pool, &organisation.id).await?.is_empty() {
            let new = contacts::NewContact { name: name.into(), email: email.into(), job_title: job_title.into() };
            wanted.push((organisation.id.clone(), new));
        }
    }
    let mut tx = platform::db::begin_write(pool).await?;
    for (organisation_id, new) in &wanted {
        contacts::add(&mut tx, organisation_id, new, actor, now).await?;
    }
    tx.commit().await
}
