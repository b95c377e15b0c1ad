//! The administrator's pages for staff accounts: the list (with each person's last sign-in),
//! adding an account, changing one (name, role, organisation), disabling and enabling it,
//! resetting its second factor, and sending a link to choose a password. No password is ever
//! typed or seen by an administrator: a new account gets an emailed link instead.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use time::OffsetDateTime;

use super::reset::{self, LinkPurpose};
use super::session::CurrentStaff;
use super::store::{self, AccountChange, CreateUserError, NewUser, StaffUser};
use crate::access::{Access, Role, Routes};
use crate::audit::{self, Event};
use crate::capability::WorkCount;
use crate::organisations::Organisation;
use crate::web::forms::{Choice, Choices, FormErrors, Select, TextInput};
use crate::web::{AppError, Chrome, Form, PageRequest, Platform, StaffPage, render};

const ADMINISTRATORS: &[Role] = &[Role::Administrator];
const USERS: &str = "/staff/admin/users";

pub fn routes() -> Routes {
    Routes::new()
        .route(USERS, Access::Roles(ADMINISTRATORS), get(list_users).post(add_user))
        .route("/staff/admin/users/{id}", Access::Roles(ADMINISTRATORS), get(show_user).post(change_user))
        .route("/staff/admin/users/{id}/disable", Access::Roles(ADMINISTRATORS), post(disable_user))
        .route("/staff/admin/users/{id}/enable", Access::Roles(ADMINISTRATORS), post(enable_user))
        .route("/staff/admin/users/{id}/reset-two-factor", Access::Roles(ADMINISTRATORS), post(reset_user_two_factor))
        .route("/staff/admin/users/{id}/password-link", Access::Roles(ADMINISTRATORS), post(send_password_link))
        .route("/staff/admin/users/{id}/hand-over", Access::Roles(ADMINISTRATORS), post(hand_over))
}

/// The questions an account has: for a new one, and for changing one (which keeps its email).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AccountForm {
    #[serde(rename = "display-name")]
    display_name: String,
    email: String,
    role: String,
    organisation: String,
}

impl AccountForm {
    fn of(user: &StaffUser) -> Self {
        AccountForm {
            display_name: user.display_name.clone(),
            email: user.email.clone(),
            role: user.role.slug().to_string(),
            organisation: user.organisation_id.clone().unwrap_or_default(),
        }
    }
    fn role(&self, errors: &mut FormErrors) -> Option<Role> {
        let role = self.role.parse::<Role>().ok();
        if role.is_none() {
            errors.add("role", "Select a role");
        }
        role
    }
}

/// Where a store refusal belongs on the form.
fn field_of(message: &str) -> &'static str {
    if message.contains("email") {
        "email"
    } else if message.contains("organisation") {
        "organisation"
    } else {
        "display-name"
    }
}

/// The fields both account pages draw.
struct AccountFields<'a> {
    form: &'a AccountForm,
    errors: &'a FormErrors,
    organisations: &'a [Organisation],
}

impl AccountFields<'_> {
    fn name(&self) -> TextInput<'_> {
        TextInput::new("display-name", "Name", &self.form.display_name, self.errors).no_spellcheck().autocomplete("off")
    }
    fn email(&self) -> TextInput<'_> {
        TextInput::new("email", "Email address", &self.form.email, self.errors)
            .input_type("email")
            .no_spellcheck()
            .hint("We email a link to choose a password here. It works once, for 3 days.")
    }
    fn role(&self) -> Choices<'_> {
        let items = Role::ALL.iter().map(|r| Choice::new(r.slug(), r.name())).collect();
        Choices::radios("role", "Role", items, Some(self.form.role.as_str()), self.errors)
    }
    fn organisation(&self) -> Select<'_> {
        let options = std::iter::once(Choice::new("", "None: not a partner"))
            .chain(self.organisations.iter().map(|o| Choice::new(o.id.as_str(), o.name.as_str())))
            .collect();
        Select::new("organisation", "Organisation (partners only)", options, &self.form.organisation, self.errors).hint(
            "The outside organisation whose records a partner may see. Add organisations on the partner organisations page.",
        )
    }
}

#[derive(Template)]
#[template(path = "staff/users.html")]
struct UsersPage {
    chrome: Chrome,
    users: Vec<StaffUser>,
    organisations: Vec<Organisation>,
    form: AccountForm,
    errors: FormErrors,
    added: Option<String>,
}

impl UsersPage {
    fn fields(&self) -> AccountFields<'_> {
        AccountFields { form: &self.form, errors: &self.errors, organisations: &self.organisations }
    }
    fn last_signed_in(&self, user: &StaffUser) -> String {
        user.last_signed_in_at.as_deref().map(crate::calendar::time_and_date_of).unwrap_or_else(|| "Never".into())
    }
}

async fn users_page(
    platform: &Platform,
    chrome: Chrome,
    form: AccountForm,
    errors: FormErrors,
    added: Option<String>,
) -> Result<Response, AppError> {
    let users = store::list_users(platform.pool()).await?;
    let organisations = crate::organisations::list(platform.pool()).await?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = render(&UsersPage { chrome: chrome.with_errors(!errors.is_empty()), users, organisations, form, errors, added })?;
    Ok((status, page).into_response())
}

async fn list_users(PageRequest { platform, chrome }: PageRequest) -> Result<Response, AppError> {
    users_page(&platform, chrome, AccountForm::default(), FormErrors::new(), None).await
}

async fn add_user(StaffPage { platform, chrome, staff }: StaffPage, Form(form): Form<AccountForm>) -> Result<Response, AppError> {
    let mut errors = FormErrors::new();
    let Some(role) = form.role(&mut errors) else {
        return users_page(&platform, chrome, form, errors, None).await;
    };
    // A password nobody knows: the person chooses their own through the emailed link.
    let new = NewUser {
        email: form.email.clone(),
        display_name: form.display_name.clone(),
        role,
        organisation_id: Some(form.organisation.clone()),
        password: store::new_token(),
    };
    match store::create_user(platform.pool(), &new, platform.settings().password_hash_cost(), &staff.actor()).await {
        Ok(user) => {
            send_link(&platform, &staff, &user, LinkPurpose::Welcome).await?;
            users_page(&platform, chrome, AccountForm::default(), errors, Some(user.email)).await
        }
        Err(CreateUserError::EmailTaken) => {
            errors.add("email", "An account with that email address already exists");
            users_page(&platform, chrome, form, errors, None).await
        }
        Err(CreateUserError::Invalid(message)) => {
            errors.add(field_of(message), message);
            users_page(&platform, chrome, form, errors, None).await
        }
        Err(CreateUserError::Database(e)) => Err(e.into()),
    }
}

async fn send_link(platform: &Platform, staff: &CurrentStaff, user: &StaffUser, purpose: LinkPurpose) -> Result<(), AppError> {
    let office = platform.office().await?.name;
    let now = OffsetDateTime::now_utc();
    let mut tx = crate::db::begin_write(platform.pool()).await?;
    reset::send_link(&mut tx, platform.settings(), user, &office, purpose, now).await?;
    let event = Event { action: "sent a link to choose a password", record_type: "staff user", record_id: &user.id, detail: "" };
    audit::record(&mut tx, &staff.actor(), event, now).await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Template)]
#[template(path = "staff/user.html")]
struct UserPage {
    chrome: Chrome,
    user: StaffUser,
    organisations: Vec<Organisation>,
    form: AccountForm,
    errors: FormErrors,
    saying: Option<&'static str>,
    is_self: bool,
    /// Their open cases, by service, and who could take them over.
    cases: Vec<WorkCount>,
    successors: Vec<StaffUser>,
    successor: String,
}

impl UserPage {
    fn fields(&self) -> AccountFields<'_> {
        AccountFields { form: &self.form, errors: &self.errors, organisations: &self.organisations }
    }
    fn state_change(&self) -> &'static str {
        if self.user.disabled { "enable" } else { "disable" }
    }
    fn last_signed_in(&self) -> String {
        self.user.last_signed_in_at.as_deref().map(crate::calendar::time_and_date_of).unwrap_or_else(|| "Never".into())
    }
    fn open_cases(&self) -> usize {
        self.cases.iter().map(|c| c.count).sum()
    }
    fn successor(&self) -> Select<'_> {
        let options = std::iter::once(Choice::new("", "Choose who takes them over"))
            .chain(self.successors.iter().map(|u| Choice::new(&u.id, &u.display_name)))
            .collect();
        Select::new("successor", "Who takes over these cases", options, &self.successor, &self.errors)
    }
}

/// Who can take over someone's cases: enabled accounts of the office's own staff, not partners
/// or Panel members, and not the person themselves.
async fn successors(platform: &Platform, user: &StaffUser) -> Result<Vec<StaffUser>, sqlx::Error> {
    let all = store::list_users(platform.pool()).await?;
    let works_cases = |u: &StaffUser| !u.disabled && !matches!(u.role, Role::Partner | Role::PanelMember) && u.id != user.id;
    Ok(all.into_iter().filter(works_cases).collect())
}

async fn cases_of(platform: &Platform, user: &StaffUser) -> Result<Vec<WorkCount>, sqlx::Error> {
    match platform.staff_work() {
        Some(work) => work.assigned_open(platform.pool(), user).await,
        None => Ok(Vec::new()),
    }
}

async fn account(platform: &Platform, id: &str) -> Result<StaffUser, AppError> {
    if !crate::ids::is_well_formed(id) {
        return Err(AppError::NotFound);
    }
    store::find_by_id(platform.pool(), id).await?.ok_or(AppError::NotFound)
}

async fn user_page(
    platform: &Platform,
    page: (Chrome, &CurrentStaff),
    user: StaffUser,
    form: Option<AccountForm>,
    errors: FormErrors,
    saying: Option<&'static str>,
    hand_over: Option<String>,
) -> Result<Response, AppError> {
    let (chrome, staff) = page;
    let organisations = crate::organisations::list(platform.pool()).await?;
    let form = form.unwrap_or_else(|| AccountForm::of(&user));
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let chrome = chrome.with_errors(!errors.is_empty());
    let is_self = user.id == staff.user.id;
    let cases = cases_of(platform, &user).await?;
    let successors = successors(platform, &user).await?;
    let successor = hand_over.unwrap_or_default();
    let page = render(&UserPage { chrome, user, organisations, form, errors, saying, is_self, cases, successors, successor })?;
    Ok((status, page).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Said {
    said: String,
}

async fn show_user(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path(id): Path<String>,
    axum::extract::Query(said): axum::extract::Query<Said>,
) -> Result<Response, AppError> {
    let user = account(&platform, &id).await?;
    let saying = match said.said.as_str() {
        "changed" => Some("Account changed"),
        "link" => Some("A link to choose a password has been emailed. It works once, for 3 days"),
        "two-factor" => Some("Two-factor reset: they set up an authenticator app at their next sign-in"),
        "handed-over" => Some("Their open cases have been handed over"),
        _ => None,
    };
    user_page(&platform, (chrome, &staff), user, None, FormErrors::new(), saying, None).await
}

async fn change_user(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path(id): Path<String>,
    Form(form): Form<AccountForm>,
) -> Result<Response, AppError> {
    let user = account(&platform, &id).await?;
    let mut errors = FormErrors::new();
    let role = form.role(&mut errors);
    if user.id == staff.user.id && role.is_some_and(|r| r != Role::Administrator) {
        errors.add("role", "You cannot take away your own administrator role: ask another administrator");
    }
    let Some(role) = role.filter(|_| errors.is_empty()) else {
        return user_page(&platform, (chrome, &staff), user, Some(form), errors, None, None).await;
    };
    let change =
        AccountChange { display_name: form.display_name.clone(), role, organisation_id: Some(form.organisation.clone()) };
    match store::change_account(platform.pool(), &user, &change, &staff.actor()).await {
        Ok(()) => Ok(Redirect::to(&format!("{USERS}/{id}?said=changed")).into_response()),
        Err(CreateUserError::Invalid(message)) => {
            errors.add(field_of(message), message);
            user_page(&platform, (chrome, &staff), user, Some(form), errors, None, None).await
        }
        Err(CreateUserError::EmailTaken) => Err(AppError::Internal(anyhow::anyhow!("email unchanged, yet taken"))),
        Err(CreateUserError::Database(e)) => Err(e.into()),
    }
}

async fn send_password_link(
    State(platform): State<Platform>,
    staff: CurrentStaff,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let user = account(&platform, &id).await?;
    if user.disabled {
        return Err(AppError::BadRequest("the account is disabled".into()));
    }
    send_link(&platform, &staff, &user, LinkPurpose::Welcome).await?;
    Ok(Redirect::to(&format!("{USERS}/{id}?said=link")).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct HandOverForm {
    successor: String,
}

/// Hands every open case assigned to this person to someone else (a leaver's, or while they are
/// away), each case's change audited.
async fn hand_over(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path(id): Path<String>,
    Form(form): Form<HandOverForm>,
) -> Result<Response, AppError> {
    let user = account(&platform, &id).await?;
    let successor = successors(&platform, &user).await?.into_iter().find(|u| u.id == form.successor);
    let (Some(successor), Some(work)) = (successor, platform.staff_work()) else {
        let mut errors = FormErrors::new();
        errors.add("successor", "Choose who takes over these cases");
        return user_page(&platform, (chrome, &staff), user, None, errors, None, Some(form.successor)).await;
    };
    work.hand_over(platform.pool(), &user, &successor, &staff.actor(), OffsetDateTime::now_utc()).await?;
    Ok(Redirect::to(&format!("{USERS}/{id}?said=handed-over")).into_response())
}

async fn set_state(platform: &Platform, staff: &CurrentStaff, id: &str, change: &str) -> Result<Response, AppError> {
    let user = account(platform, id).await?;
    if user.id == staff.user.id && change != "reset-two-factor" {
        return Err(AppError::BadRequest("administrators cannot disable themselves".into()));
    }
    match change {
        "disable" => store::set_disabled(platform.pool(), id, true, &staff.actor()).await?,
        "enable" => store::set_disabled(platform.pool(), id, false, &staff.actor()).await?,
        _ => {
            store::reset_two_factor(platform.pool(), id, &staff.actor()).await?;
            return Ok(Redirect::to(&format!("{USERS}/{id}?said=two-factor")).into_response());
        }
    }
    Ok(Redirect::to(USERS).into_response())
}

async fn disable_user(
    State(platform): State<Platform>,
    staff: CurrentStaff,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    set_state(&platform, &staff, &id, "disable").await
}

async fn enable_user(
    State(platform): State<Platform>,
    staff: CurrentStaff,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    set_state(&platform, &staff, &id, "enable").await
}

async fn reset_user_two_factor(
    State(platform): State<Platform>,
    staff: CurrentStaff,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    set_state(&platform, &staff, &id, "reset-two-factor").await
}
