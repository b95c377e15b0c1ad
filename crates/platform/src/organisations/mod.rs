//! Partner organisations as records: review bodies, the force's professional standards
//! department, providers, councils. A partner account belongs to one by id, and every decision
//! about which records a partner sees compares ids, so renaming an organisation changes nobody's
//! access. Administrators list organisations with their accounts, add them and rename them on
//! one page; every change is audited.

pub mod contacts;

use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use sqlx::AnyConnection;
use time::OffsetDateTime;

use crate::access::{Access, Role, Routes};
use crate::audit::{self, Actor, Event};
use crate::auth::store::StaffUser;
use crate::db::{self, Pool};
use crate::web::forms::{Choice, Choices, FormErrors, TextInput};
use crate::web::{Form, PageRequest, StaffPage, render};
use crate::{AppError, Chrome, Platform};

crate::slugged! {
    /// What an organisation is to the office.
    pub enum Kind {
        /// Carries out ASB case reviews (usually a community safety partnership).
        ReviewBody = "review-body",
        /// The force's professional standards department, which answers for complaint reviews.
        ForcePsd = "force-psd",
        PoliceForce = "police-force", FireService = "fire-service", Council = "council",
        /// A commissioned service provider.
        Provider = "provider",
        Other = "other",
    }
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::ReviewBody => "ASB case review body",
            Kind::ForcePsd => "Police professional standards department",
            Kind::PoliceForce => "Police force",
            Kind::FireService => "Fire and rescue service",
            Kind::Council => "Council",
            Kind::Provider => "Commissioned service provider",
            Kind::Other => "Other partner",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organisation {
    pub id: String,
    pub name: String,
    pub kind: Kind,
    pub email: Option<String>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    name: String,
    kind: String,
    email: Option<String>,
}

impl TryFrom<Row> for Organisation {
    type Error = sqlx::Error;
    /// A kind the code does not know is a fault, not something to guess at.
    fn try_from(row: Row) -> Result<Self, sqlx::Error> {
        let kind = Kind::from_slug(&row.kind)
            .ok_or_else(|| sqlx::Error::Decode(format!("organisation {} has an unknown kind {:?}", row.id, row.kind).into()))?;
        Ok(Organisation { id: row.id, name: row.name, kind, email: row.email })
    }
}

/// Names are compared without regard to case or surrounding spaces.
fn same_name(name: &str) -> String {
    name.trim().to_lowercase()
}

pub async fn list(pool: &Pool) -> Result<Vec<Organisation>, sqlx::Error> {
    let rows: Vec<Row> =
        sqlx::query_as("SELECT id, name, kind, email FROM platform_organisation ORDER BY name").fetch_all(pool).await?;
    rows.into_iter().map(Organisation::try_from).collect()
}

pub async fn find(pool: &Pool, id: &str) -> Result<Option<Organisation>, sqlx::Error> {
    let row: Option<Row> = sqlx::query_as("SELECT id, name, kind, email FROM platform_organisation WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await?;
    row.map(Organisation::try_from).transpose()
}

/// The organisation with this name, whatever its case. Compared here, not in SQL: SQLite's
/// LOWER folds ASCII only, and an office has tens of organisations, not thousands.
pub async fn find_by_name(conn: &mut sqlx::AnyConnection, name: &str) -> Result<Option<Organisation>, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as("SELECT id, name, kind, email FROM platform_organisation").fetch_all(&mut *conn).await?;
    let wanted = same_name(name);
    rows.into_iter().find(|r| same_name(&r.name) == wanted).map(Organisation::try_from).transpose()
}

/// The id of the organisation with this name, for set-up by name (the command line, the demo).
pub async fn id_named(pool: &Pool, name: &str) -> Result<Option<String>, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    Ok(find_by_name(&mut conn, name).await?.map(|o| o.id))
}

/// Why an organisation could not be added or renamed.
#[derive(Debug, thiserror::Error)]
pub enum OrganisationError {
    #[error("Enter the organisation’s name")]
    NoName,
    #[error("The name must be 200 characters or fewer")]
    TooLong,
    #[error("There is already an organisation called {0}")]
    NameTaken(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

fn checked_name(name: &str) -> Result<&str, OrganisationError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(OrganisationError::NoName);
    }
    if name.chars().count() > 200 {
        return Err(OrganisationError::TooLong);
    }
    Ok(name)
}

/// An organisation to add: its name, kind and email address (if any).
#[derive(Debug, Clone, Copy)]
pub struct NewOrganisation<'a> {
    pub name: &'a str,
    pub kind: Kind,
    pub email: Option<&'a str>,
}

/// The organisation added or found, or why not.
pub type Added = Result<Organisation, OrganisationError>;

/// Adds an organisation, in the caller's transaction, audited.
pub async fn add(conn: &mut AnyConnection, new: NewOrganisation<'_>, actor: &Actor, now: OffsetDateTime) -> Added {
    let NewOrganisation { name, kind, email } = new;
    let name = checked_name(name)?;
    if let Some(existing) = find_by_name(conn, name).await? {
        return Err(OrganisationError::NameTaken(existing.name));
    }
    let id = crate::ids::new_id();
    let email = email.map(str::trim).filter(|e| !e.is_empty());
    sqlx::query("INSERT INTO platform_organisation (id, name, kind, email, updated_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(&id)
        .bind(name)
        .bind(kind.slug())
        .bind(email)
        .bind(db::timestamp(now))
        .execute(&mut *conn)
        .await?;
    let event = Event { action: "added organisation", record_type: "organisation", record_id: &id, detail: name };
    audit::record(conn, actor, event, now).await?;
    Ok(Organisation { id, name: name.to_string(), kind, email: email.map(str::to_string) })
}

/// The organisation with this name, added with `kind` if there is none yet: a capability that
/// creates a partner (a review body) links it to the one record for it.
pub async fn find_or_add(conn: &mut AnyConnection, new: NewOrganisation<'_>, actor: &Actor, now: OffsetDateTime) -> Added {
    match find_by_name(conn, new.name).await? {
        Some(existing) => Ok(existing),
        None => add(conn, new, actor, now).await,
    }
}

/// Renames an organisation. Its id, and so every account's access through it, stays.
pub async fn rename(pool: &Pool, id: &str, name: &str, actor: &Actor, now: OffsetDateTime) -> Result<(), OrganisationError> {
    let name = checked_name(name)?;
    let mut tx = db::begin_write(pool).await?;
    if let Some(existing) = find_by_name(&mut tx, name).await?
        && existing.id != id
    {
        return Err(OrganisationError::NameTaken(existing.name));
    }
    let before: Option<String> =
        sqlx::query_scalar("SELECT name FROM platform_organisation WHERE id = $1").bind(id).fetch_optional(&mut *tx).await?;
    let Some(before) = before else { return Ok(()) };
    sqlx::query("UPDATE platform_organisation SET name = $1, updated_at = $2 WHERE id = $3")
        .bind(name)
        .bind(db::timestamp(now))
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let detail = format!("{before} → {name}");
    audit::record(
        &mut tx,
        actor,
        Event { action: "renamed organisation", record_type: "organisation", record_id: id, detail: &detail },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The administrator's page

const ADMINS: &[Role] = &[Role::Administrator];

pub fn routes() -> Routes {
    Routes::new()
        .route("/staff/admin/organisations", Access::Roles(ADMINS), get(show).post(add_from_form))
        .route("/staff/admin/organisations/{id}", Access::Roles(ADMINS), get(edit).post(rename_from_form))
        .route("/staff/admin/organisations/{id}/contacts", Access::Roles(ADMINS), post(add_contact))
        .route("/staff/admin/organisations/{id}/contacts/{contact_id}/remove", Access::Roles(ADMINS), post(remove_contact))
}

/// An organisation with the accounts and contacts that belong to it.
struct Listed {
    organisation: Organisation,
    members: Vec<StaffUser>,
    contacts: Vec<contacts::Contact>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct AddForm {
    name: String,
    kind: String,
    email: String,
}

#[derive(Template)]
#[template(path = "staff/organisations.html")]
struct ListPage {
    chrome: Chrome,
    organisations: Vec<Listed>,
    form: AddForm,
    errors: FormErrors,
    added: Option<String>,
}

impl ListPage {
    fn name_input(&self) -> TextInput<'_> {
        TextInput::new("name", "Name", &self.form.name, &self.errors)
    }
    fn kind_input(&self) -> Choices<'_> {
        let choices = Kind::ALL.iter().map(|k| Choice::new(k.slug(), k.name())).collect();
        Choices::radios("kind", "What kind of organisation is it?", choices, Some(self.form.kind.as_str()), &self.errors)
    }
    fn email_input(&self) -> TextInput<'_> {
        TextInput::new("email", "Shared email address (optional)", &self.form.email, &self.errors)
            .input_type("email")
            .no_spellcheck()
            .hint("Where the office writes to the organisation as a whole.")
    }
}

async fn listed(pool: &Pool) -> Result<Vec<Listed>, sqlx::Error> {
    let users = crate::auth::store::list_users(pool).await?;
    let all_contacts = contacts::all(pool).await?;
    Ok(list(pool)
        .await?
        .into_iter()
        .map(|organisation| {
            let of = |id: &str| id == organisation.id;
            let members = users.iter().filter(|u| u.organisation_id.as_deref().is_some_and(of)).cloned().collect();
            let contacts = all_contacts.iter().filter(|c| of(&c.organisation_id)).cloned().collect();
            Listed { organisation, members, contacts }
        })
        .collect())
}

async fn show(PageRequest { platform, chrome }: PageRequest) -> Result<Response, AppError> {
    let organisations = listed(platform.pool()).await?;
    render(&ListPage { chrome, organisations, form: AddForm::default(), errors: FormErrors::new(), added: None })
}

async fn add_from_form(
    StaffPage { platform, chrome, staff }: StaffPage,
    Form(form): Form<AddForm>,
) -> Result<Response, AppError> {
    let mut errors = FormErrors::new();
    if let Err(refused) = checked_name(&form.name) {
        errors.add("name", refused.to_string());
    }
    let kind = Kind::from_slug(&form.kind);
    if kind.is_none() {
        errors.add("kind", "Select what kind of organisation it is");
    }
    if !form.email.trim().is_empty() && !crate::contact::is_email(form.email.trim()) {
        errors.add("email", "Enter an email address in the correct format, like name@example.com");
    }
    if let (true, Some(kind)) = (errors.is_empty(), kind) {
        let now = OffsetDateTime::now_utc();
        let mut tx = db::begin_write(platform.pool()).await?;
        let new = NewOrganisation { name: &form.name, kind, email: Some(&form.email) };
        match add(&mut tx, new, &staff.actor(), now).await {
            Ok(added) => {
                tx.commit().await?;
                let organisations = listed(platform.pool()).await?;
                let page = ListPage { chrome, organisations, form: AddForm::default(), errors, added: Some(added.name) };
                return render(&page);
            }
            Err(OrganisationError::Database(e)) => return Err(e.into()),
            Err(refused) => errors.add("name", refused.to_string()),
        }
    }
    let organisations = listed(platform.pool()).await?;
    let page = render(&ListPage { chrome: chrome.with_errors(true), organisations, form, errors, added: None })?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct RenameForm {
    name: String,
}

#[derive(Template)]
#[template(path = "staff/organisation.html")]
struct EditPage {
    chrome: Chrome,
    organisation: Organisation,
    form: RenameForm,
    errors: FormErrors,
    contacts: Vec<contacts::Contact>,
    contact: contacts::NewContact,
    saying: Option<&'static str>,
}

impl EditPage {
    fn name_input(&self) -> TextInput<'_> {
        TextInput::new("name", "Name", &self.form.name, &self.errors)
            .hint("Accounts keep what they may see: access follows the organisation, not its name.")
    }
    fn contact_name(&self) -> TextInput<'_> {
        TextInput::new("contact-name", "Full name", &self.contact.name, &self.errors).autocomplete("off")
    }
    fn contact_email(&self) -> TextInput<'_> {
        TextInput::new("contact-email", "Email address", &self.contact.email, &self.errors)
            .input_type("email")
            .no_spellcheck()
            .autocomplete("off")
            .hint("Requests for information are sent here, with a secure link to answer.")
    }
    fn job_title(&self) -> TextInput<'_> {
        TextInput::new("job-title", "Job title (optional)", &self.contact.job_title, &self.errors).autocomplete("off")
    }
}

/// The organisation's page: its name, and its contacts.
async fn edit_page(
    platform: &Platform,
    chrome: Chrome,
    organisation: Organisation,
    forms: (RenameForm, contacts::NewContact),
    errors: FormErrors,
    saying: Option<&'static str>,
) -> Result<Response, AppError> {
    let contacts = contacts::of(platform.pool(), &organisation.id).await?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let (form, contact) = forms;
    let chrome = chrome.with_errors(!errors.is_empty());
    let page = render(&EditPage { chrome, organisation, form, errors, contacts, contact, saying })?;
    Ok((status, page).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Said {
    said: String,
}

async fn edit(
    PageRequest { platform, chrome }: PageRequest,
    Path(id): Path<String>,
    axum::extract::Query(said): axum::extract::Query<Said>,
) -> Result<Response, AppError> {
    let organisation = find(platform.pool(), &id).await?.ok_or(AppError::NotFound)?;
    let form = RenameForm { name: organisation.name.clone() };
    let saying = match said.said.as_str() {
        "contact-added" => Some("Contact added"),
        "contact-removed" => Some("Contact removed"),
        _ => None,
    };
    edit_page(&platform, chrome, organisation, (form, Default::default()), FormErrors::new(), saying).await
}

async fn add_contact(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path(id): Path<String>,
    Form(new): Form<contacts::NewContact>,
) -> Result<Response, AppError> {
    let organisation = find(platform.pool(), &id).await?.ok_or(AppError::NotFound)?;
    let errors = new.problems();
    if !errors.is_empty() {
        let form = RenameForm { name: organisation.name.clone() };
        return edit_page(&platform, chrome, organisation, (form, new), errors, None).await;
    }
    let mut tx = db::begin_write(platform.pool()).await?;
    contacts::add(&mut tx, &id, &new, &staff.actor(), OffsetDateTime::now_utc()).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/staff/admin/organisations/{id}?said=contact-added#contacts")).into_response())
}

async fn remove_contact(
    axum::extract::State(platform): axum::extract::State<Platform>,
    staff: crate::auth::CurrentStaff,
    Path((id, contact_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let mut tx = db::begin_write(platform.pool()).await?;
    let removed = contacts::remove(&mut tx, &id, &contact_id, &staff.actor(), OffsetDateTime::now_utc()).await?;
    tx.commit().await?;
    if !removed {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to(&format!("/staff/admin/organisations/{id}?said=contact-removed#contacts")).into_response())
}

async fn rename_from_form(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path(id): Path<String>,
    Form(form): Form<RenameForm>,
) -> Result<Response, AppError> {
    let organisation = find(platform.pool(), &id).await?.ok_or(AppError::NotFound)?;
    match rename(platform.pool(), &id, &form.name, &staff.actor(), OffsetDateTime::now_utc()).await {
        Ok(()) => Ok(Redirect::to("/staff/admin/organisations").into_response()),
        Err(OrganisationError::Database(e)) => Err(e.into()),
        Err(refused) => {
            let mut errors = FormErrors::new();
            errors.add("name", refused.to_string());
            edit_page(&platform, chrome, organisation, (form, Default::default()), errors, None).await
        }
    }
}
