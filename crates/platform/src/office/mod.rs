//! The office this installation serves: its name, how the public reach it, the police force area
//! it covers and who governs it. Governance is data, not wording in templates: a Police and
//! Crime Commissioner, a Police, Fire and Crime Commissioner, a mayor exercising those functions
//! (with or without fire), or a policing and crime board, which the government announced on 13
//! November 2025 will take over from commissioners in May 2028. A change of governance takes
//! effect from a date, and the changes are kept.

use time::{Date, OffsetDateTime};

use crate::audit::{self, Actor, Event};

pub mod logo;
mod page;
pub mod setup;
use crate::db::{self, Pool};
pub use page::routes;

crate::slugged! {
    /// Who holds the police (and perhaps fire) to account in the area.
    pub enum Governance {
        Pcc = "pcc",
        Pfcc = "pfcc",
        Mayor = "mayor",
        MayorWithFire = "mayor-fire",
        Board = "board",
    }
}
crate::stored_as_slug!(Governance);

impl Governance {
    /// What it is, as a choice on the set-up page.
    pub fn name(self) -> &'static str {
        match self {
            Governance::Pcc => "A Police and Crime Commissioner",
            Governance::Pfcc => "A Police, Fire and Crime Commissioner",
            Governance::Mayor => "A mayor, with a deputy mayor for policing and crime",
            Governance::MayorWithFire => "A mayor, with a deputy mayor for policing, fire and crime",
            Governance::Board => "A policing and crime board",
        }
    }
    /// Who it is in running text: "the Commissioner", "the Mayor", "the Board".
    pub fn holder(self) -> &'static str {
        match self {
            Governance::Pcc | Governance::Pfcc => "the Commissioner",
            Governance::Mayor | Governance::MayorWithFire => "the Mayor",
            Governance::Board => "the Board",
        }
    }
    /// The office that serves it, in running text: "the Commissioner’s office".
    pub fn office(self) -> &'static str {
        match self {
            Governance::Pcc | Governance::Pfcc => "the Commissioner’s office",
            Governance::Mayor | Governance::MayorWithFire => "the Mayor’s office",
            Governance::Board => "the Board’s office",
        }
    }
    /// The same at the start of a sentence or a heading: "The Commissioner’s office".
    pub fn office_capitalised(self) -> String {
        capitalised(self.office())
    }
    /// "The Commissioner", "The Mayor", "The Board".
    pub fn holder_capitalised(self) -> String {
        capitalised(self.holder())
    }
    /// Whether it governs the fire and rescue service too.
    pub fn covers_fire(self) -> bool {
        matches!(self, Governance::Pfcc | Governance::MayorWithFire)
    }
}

/// "the Mayor’s office" → "The Mayor’s office".
fn capitalised(text: &str) -> String {
    text.get(..1).map(str::to_uppercase).unwrap_or_default() + text.get(1..).unwrap_or_default()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Office {
    pub name: String,
    pub short_name: String,
    /// The area the public know, e.g. "Staffordshire and Stoke-on-Trent".
    pub area: String,
    /// The police force area as police.uk names it, e.g. "staffordshire"; empty before set-up.
    pub force_area: String,
    /// Who governs the area today (the latest change in force, see [`governance_on`]).
    pub governance: Governance,
    pub email: String,
    pub telephone: String,
    pub postal_address: String,
    /// A paragraph for the home page on what the office does.
    pub introduction: String,
    /// The data protection officer's email address, for the privacy notice; empty if not set.
    pub privacy_contact: String,
    /// Who signs letters, and their role; letters are signed by the office's name until set.
    pub signatory_name: String,
    pub signatory_role: String,
    /// Who is emailed when new work arrives.
    pub new_work_to: NewWorkTo,
    pub is_demo: bool,
    /// Whether an administrator has uploaded a logo (`logo`); read with the office, never saved with it.
    pub has_logo: bool,
}

crate::slugged! {
    /// Who is told by email when new work arrives.
    pub enum NewWorkTo {
        SharedAddress = "shared-address",
        Assignee = "assignee",
        Nobody = "nobody",
    }
}

impl NewWorkTo {
    pub fn name(self) -> &'static str {
        match self {
            NewWorkTo::SharedAddress => "The office’s email address",
            NewWorkTo::Assignee => "The person the case is assigned to (the office’s address while nobody is)",
            NewWorkTo::Nobody => "Nobody: staff look at their queues",
        }
    }
}

impl Office {
    /// How letters are signed: the signatory and their role on lines of their own, or the
    /// office's name until a signatory is set.
    pub fn signature(&self) -> String {
        match (self.signatory_name.trim(), self.signatory_role.trim()) {
            ("", _) => self.name.clone(),
            (name, "") => name.to_string(),
            (name, role) => format!("{name}\n{role}"),
        }
    }
    /// What pages show before an office has been set up, or while the database is away.
    pub fn unconfigured() -> Self {
        Self {
            name: "Police, Fire and Crime Commissioner".into(),
            short_name: "the Commissioner".into(),
            area: String::new(),
            force_area: String::new(),
            governance: Governance::Pfcc,
            email: String::new(),
            telephone: String::new(),
            postal_address: String::new(),
            introduction: String::new(),
            privacy_contact: String::new(),
            signatory_name: String::new(),
            signatory_role: String::new(),
            new_work_to: NewWorkTo::SharedAddress,
            is_demo: false,
            has_logo: false,
        }
    }
}

#[derive(sqlx::FromRow)]
struct Row {
    name: String,
    short_name: String,
    area: String,
    force_area: String,
    governance: Governance,
    email: String,
    telephone: String,
    postal_address: String,
    introduction: String,
    privacy_contact: String,
    signatory_name: String,
    signatory_role: String,
    new_work_to: String,
    is_demo: i64,
    logos: i64,
}

impl From<Row> for Office {
    fn from(row: Row) -> Self {
        Office {
            name: row.name,
            short_name: row.short_name,
            area: row.area,
            force_area: row.force_area,
            governance: row.governance,
            email: row.email,
            telephone: row.telephone,
            postal_address: row.postal_address,
            introduction: row.introduction,
            privacy_contact: row.privacy_contact,
            signatory_name: row.signatory_name,
            signatory_role: row.signatory_role,
            // Written only from `NewWorkTo`; an unknown value tells the office's address, the default.
            new_work_to: NewWorkTo::from_slug(&row.new_work_to).unwrap_or(NewWorkTo::SharedAddress),
            is_demo: row.is_demo != 0,
            has_logo: row.logos > 0,
        }
    }
}

/// Reads the office, with the governance in force today (the latest dated change that has taken
/// effect, else the office's own); `None` before one has been set up. One query: every page
/// reads it.
pub async fn load(pool: &Pool) -> Result<Option<Office>, sqlx::Error> {
    let row: Option<Row> = sqlx::query_as(
        "SELECT name, short_name, area, force_area, COALESCE((SELECT c.governance FROM platform_governance_change c \
         WHERE c.effective_from <= $1 ORDER BY c.effective_from DESC, c.recorded_at DESC LIMIT 1), governance) AS governance, \
         email, telephone, postal_address, introduction, privacy_contact, signatory_name, signatory_role, new_work_to, is_demo, \
         (SELECT COUNT(*) FROM platform_file f WHERE f.owner_type = 'office-logo') AS logos FROM platform_office WHERE id = 1",
    )
    .bind(db::date(crate::calendar::uk_today()))
    .fetch_optional(pool)
    .await?;
    Ok(row.map(Office::from))
}

/// Creates or replaces the office (its governance as set up, before any dated change).
pub async fn save(pool: &Pool, office: &Office, now: OffsetDateTime) -> Result<(), sqlx::Error> {
    let mut tx = db::begin_write(pool).await?;
    write(&mut tx, office, now).await?;
    tx.commit().await
}

async fn write(conn: &mut sqlx::AnyConnection, office: &Office, now: OffsetDateTime) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO platform_office (id, name, short_name, area, force_area, governance, email, telephone, postal_address, \
         introduction, is_demo, updated_at, privacy_contact, signatory_name, signatory_role, new_work_to) \
         VALUES (1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) \
         ON CONFLICT (id) DO UPDATE SET name = $1, short_name = $2, area = $3, force_area = $4, governance = $5, email = $6, \
         telephone = $7, postal_address = $8, introduction = $9, is_demo = $10, updated_at = $11, privacy_contact = $12, \
         signatory_name = $13, signatory_role = $14, new_work_to = $15",
    )
    .bind(&office.name)
    .bind(&office.short_name)
    .bind(&office.area)
    .bind(&office.force_area)
    .bind(office.governance.slug())
    .bind(&office.email)
    .bind(&office.telephone)
    .bind(&office.postal_address)
    .bind(&office.introduction)
    .bind(i64::from(office.is_demo))
    .bind(db::timestamp(now))
    .bind(&office.privacy_contact)
    .bind(&office.signatory_name)
    .bind(&office.signatory_role)
    .bind(office.new_work_to.slug())
    .execute(conn)
    .await?;
    Ok(())
}

/// Saves the office as an administrator changed it, audited in the same transaction.
pub async fn update(pool: &Pool, office: &Office, actor: &Actor, now: OffsetDateTime) -> Result<(), sqlx::Error> {
    let mut tx = db::begin_write(pool).await?;
    write(&mut tx, office, now).await?;
    let detail = format!("{} ({}), {}", office.name, office.force_area, office.governance.slug());
    audit::record(
        &mut tx,
        actor,
        Event { action: "updated the office", record_type: "office", record_id: "1", detail: &detail },
        now,
    )
    .await?;
    tx.commit().await
}

/// Records that the area is governed differently from `effective_from` (today or later): pages,
/// letters and reports use the new names from that day, and what was made before keeps the old.
pub async fn change_governance(
    pool: &Pool,
    governance: Governance,
    effective_from: Date,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let mut tx = db::begin_write(pool).await?;
    sqlx::query(
        "INSERT INTO platform_governance_change (id, effective_from, governance, recorded_at, recorded_by) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(crate::ids::new_id())
    .bind(db::date(effective_from))
    .bind(governance.slug())
    .bind(db::timestamp(now))
    .bind(&actor.label)
    .execute(&mut *tx)
    .await?;
    let detail = format!("{} from {}", governance.slug(), db::date(effective_from));
    let event = Event { action: "changed the governance", record_type: "office", record_id: "1", detail: &detail };
    audit::record(&mut tx, actor, event, now).await?;
    tx.commit().await
}

/// The governance in force on a day by a recorded change, if any change had taken effect by then.
pub async fn governance_on(pool: &Pool, day: Date) -> Result<Option<Governance>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT governance FROM platform_governance_change WHERE effective_from <= $1 \
         ORDER BY effective_from DESC, recorded_at DESC LIMIT 1",
    )
    .bind(db::date(day))
    .fetch_optional(pool)
    .await
}

/// Every recorded change, latest first: (effective from, governance, recorded by).
pub async fn governance_history(pool: &Pool) -> Result<Vec<(String, Governance, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT effective_from, governance, recorded_by FROM platform_governance_change ORDER BY effective_from DESC, recorded_at DESC",
    )
    .fetch_all(pool)
    .await
}

/// New work, as the email telling staff about it says: what arrived, its reference and where.
pub struct NewWork<'a> {
    /// What arrived, e.g. "ASB case review" or "complaint file for".
    pub what: &'a str,
    pub reference: &'a str,
    /// The case's staff page.
    pub path: String,
    /// The account id the case is assigned to, if it is.
    pub assigned_to: Option<&'a str>,
}

/// Tells the office of what a partner recorded from their own account (an agency's answer, the
/// force's response): new work for the office. What the office's own staff record is not.
pub async fn tell_if_from_partner(
    conn: &mut sqlx::AnyConnection,
    settings: &crate::config::Settings,
    by: &crate::auth::StaffUser,
    work: &NewWork<'_>,
) -> Result<Option<String>, sqlx::Error> {
    if by.role != crate::access::Role::Partner {
        return Ok(None);
    }
    tell_of_new_work(conn, settings, work).await
}

/// Queues the email telling staff about new work, as the office chose, in the transaction that
/// stores the work (so it is sent if, and only if, the work is kept). It carries the reference
/// and a link, never the person's details. Returns whom it went to, if anyone.
pub async fn tell_of_new_work(
    conn: &mut sqlx::AnyConnection,
    settings: &crate::config::Settings,
    work: &NewWork<'_>,
) -> Result<Option<String>, sqlx::Error> {
    let office: Option<(String, String, String)> =
        sqlx::query_as("SELECT name, email, new_work_to FROM platform_office WHERE id = 1").fetch_optional(&mut *conn).await?;
    let Some((office_name, shared, new_work_to)) = office else { return Ok(None) };
    let assignee: Option<String> = match (NewWorkTo::from_slug(&new_work_to), work.assigned_to) {
        (Some(NewWorkTo::Assignee), Some(id)) => {
            sqlx::query_scalar("SELECT email FROM platform_staff_user WHERE id = $1 AND disabled = 0")
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?
        }
        _ => None,
    };
    let to = match NewWorkTo::from_slug(&new_work_to) {
        Some(NewWorkTo::Nobody) => None,
        _ => assignee.or(Some(shared)).filter(|to| !to.trim().is_empty()),
    };
    let Some(to) = to else { return Ok(None) };
    let link = format!("{}{}", settings.public_url.trim_end_matches('/'), work.path);
    let text = format!(
        "New work for {office_name}: {} {}.\n\nOpen it: {link}\n\nThis email has no personal details: sign in to see the case.\n",
        work.what, work.reference
    );
    let html = format!(
        "<p>New work for {}: {} {}.</p><p><a href=\"{link}\">Open it</a></p><p>This email has no personal details: sign in to see the case.</p>",
        crate::words::escape_html(&office_name),
        crate::words::escape_html(work.what),
        crate::words::escape_html(work.reference)
    );
    let email = crate::mail::Email { to: to.clone(), subject: format!("New work: {} {}", work.what, work.reference), text, html };
    crate::mail::enqueue(conn, settings, &email).await?;
    Ok(Some(to))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_governance_has_its_own_words() {
        let table = [
            (Governance::Pcc, "the Commissioner", "The Commissioner’s office", false),
            (Governance::Pfcc, "the Commissioner", "The Commissioner’s office", true),
            (Governance::Mayor, "the Mayor", "The Mayor’s office", false),
            (Governance::MayorWithFire, "the Mayor", "The Mayor’s office", true),
            (Governance::Board, "the Board", "The Board’s office", false),
        ];
        for (governance, holder, office, fire) in table {
            assert_eq!(governance.holder(), holder);
            assert_eq!(governance.office_capitalised(), office);
            assert_eq!(governance.covers_fire(), fire, "{governance:?}");
            assert_eq!(Governance::from_slug(governance.slug()), Some(governance));
        }
    }
}
