//! The demo office's complaint review set-up: Staffordshire Police and its Professional
//! Standards Department, and requests at different stages so the queue, tracker and figures have
//! something in them. Names are invented.

use platform::audit::Actor;
use platform::config::Settings;
use platform::contact::ContactAnswers;
use platform::db::Pool;
use time::{Date, Duration, OffsetDateTime};

use super::Stage;
use super::answers::{Allegation, ReviewAnswers};
use super::policy;
use super::store::{self, Change, Value};

/// The demo PSD partner account belongs to this department, which set-up adds for Staffordshire.
pub const PSD_ORGANISATION: &str = "Staffordshire Police Professional Standards Department";

/// Gives the department set up for Staffordshire a (fictional) email address and adds sample
/// requests, unless there are requests already.
pub async fn seed(pool: &Pool, settings: &Settings, now: OffsetDateTime) -> Result<bool, platform::db::StoreError> {
    let requests: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM casework_complaint_review").fetch_one(pool).await?;
    if requests > 0 {
        return Ok(false);
    }
    let actor = Actor::system("demo office");
    let mut policy = policy::load(pool).await?;
    if policy.psd_email.is_empty() {
        policy.psd_email = "psd@staffordshire-police.example".into();
        policy::save(pool, &policy, &actor, now).await?;
    }
    let today = platform::calendar::uk_local_date(now);
    let samples = [
        (
            "Jordan Sample",
            "CO/04121/26",
            12,
            "office",
            "The officer did not take my report of a stolen bicycle seriously",
            "outcome",
        ),
        ("Casey Demo", "CO/03977/26", 40, "not-sure", "I was kept waiting four hours at the front counter", "handling"),
        ("Riley Example", "CO/04230/26", 5, "iopc", "Officers used force when arresting my son", "both"),
    ];
    for (position, (name, force_reference, outcome_days_ago, stated, summary, unhappy_with)) in samples.into_iter().enumerate() {
        let answers = ReviewAnswers {
            stated_review_body: stated.into(),
            iopc_seen: stated == "iopc",
            force_reference: force_reference.into(),
            outcome_given_on: platform::db::date(today - Duration::days(outcome_days_ago)),
            late_reason: if outcome_days_ago > 28 { "The outcome letter went to my old address.".into() } else { String::new() },
            applying_as: "complainant".into(),
            full_name: name.into(),
            contact: ContactAnswers {
                contact_method: "email".into(),
                email: format!("{}@example.com", name.to_lowercase().replace(' ', ".")),
                postcode: "ST16 2DH".into(),
                ..Default::default()
            },
            allegations: vec![Allegation {
                summary: summary.into(),
                unhappy_with: unhappy_with.into(),
                why: "The outcome letter did not explain what was looked at.".into(),
            }],
            allegations_done: true,
            documents_done: true,
            ..ReviewAnswers::default()
        };
        let draft = store::DRAFTS.create::<ReviewAnswers>(pool, now).await?;
        let arrived = now - Duration::days(i64::try_from(position).unwrap_or(0) * 2);
        let submitted = store::submit(
            pool,
            &draft,
            &answers,
            &policy.timescales,
            arrived,
            platform::calendar::uk_local_date(arrived),
            &actor,
            |_, _| None,
            settings,
        )
        .await?;
        if position == 0 {
            file_requested(pool, &submitted.reference.to_string(), today, &actor, now).await?;
        }
    }
    Ok(true)
}

/// Takes the first sample through its validity check to a request for the file, so the demo
/// PSD account has a review to open straight away.
async fn file_requested(
    pool: &Pool,
    reference: &str,
    today: Date,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let Some(review) = store::find(pool, reference).await? else { return Ok(()) };
    let calendar = platform::calendar::store::for_nation(pool, platform::calendar::Nation::EnglandAndWales).await?;
    let policy_days = policy::load(pool).await?.timescales.complaint_file;
    let add_working_days = platform::calendar::add_working_days;
    let text = |v: String| Value::Text(Some(v));
    let change = Change {
        sets: vec![
            ("acknowledged_on", text(platform::db::date(today))),
            ("schedule_3", Value::Number(1)),
            ("validity", text("valid".into())),
            ("validity_decided_on", text(platform::db::date(today))),
            ("file_requested_on", text(platform::db::date(today))),
            // The target's working days, as an officer's request would give (never a weekend).
            ("file_due_on", text(platform::db::date(add_working_days(today, policy_days, &calendar)))),
            ("stage", text(Stage::AwaitingFile.slug().into())),
        ],
        action: "requested the complaint file",
        detail: "demo".into(),
    };
    let mut tx = platform::db::begin_write(pool).await?;
    store::change(&mut tx, &review, &[Stage::Received], &change, actor, now).await?;
    tx.commit().await
}
