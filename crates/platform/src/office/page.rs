//! The administrators' page for the office itself: its name, area, contact details and
//! introduction, and who governs it, a change of governance taking effect from a date. Every
//! save is audited.

use askama::Template;
use axum::extract::Query;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;
use time::OffsetDateTime;

use super::{Governance, NewWorkTo, Office, change_governance, governance_history, update};
use crate::access::{Access, Role, Routes};
use crate::web::forms::{
    Choice, Choices, DateInput, DateParts, DatePartsInError, FormErrors, TextInput, Textarea, date_field, required_text,
};
use crate::web::{Form, StaffPage, render};
use crate::{AppError, Chrome, calendar, contact};

const ADMINS: &[Role] = &[Role::Administrator];
const PATH: &str = "/staff/admin/office";

pub fn routes() -> Routes {
    Routes::new().route(PATH, Access::Roles(ADMINS), get(show).post(save)).merge(super::logo::routes())
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct OfficeForm {
    name: String,
    area: String,
    email: String,
    telephone: String,
    #[serde(rename = "postal-address")]
    postal_address: String,
    introduction: String,
    #[serde(rename = "privacy-contact")]
    privacy_contact: String,
    #[serde(rename = "signatory-name")]
    signatory_name: String,
    #[serde(rename = "signatory-role")]
    signatory_role: String,
    #[serde(rename = "new-work-to")]
    new_work_to: String,
    governance: String,
    #[serde(rename = "from-day")]
    from_day: String,
    #[serde(rename = "from-month")]
    from_month: String,
    #[serde(rename = "from-year")]
    from_year: String,
}

impl OfficeForm {
    fn of(office: &Office) -> Self {
        Self {
            name: office.name.clone(),
            area: office.area.clone(),
            email: office.email.clone(),
            telephone: office.telephone.clone(),
            postal_address: office.postal_address.clone(),
            introduction: office.introduction.clone(),
            privacy_contact: office.privacy_contact.clone(),
            signatory_name: office.signatory_name.clone(),
            signatory_role: office.signatory_role.clone(),
            new_work_to: office.new_work_to.slug().into(),
            governance: office.governance.slug().into(),
            ..Self::default()
        }
    }
    fn effective_from(&self) -> DateParts {
        DateParts { day: self.from_day.clone(), month: self.from_month.clone(), year: self.from_year.clone() }
    }
}

#[derive(Template)]
#[template(path = "staff/office.html")]
struct OfficePage {
    chrome: Chrome,
    form: OfficeForm,
    from: DateParts,
    from_marks: DatePartsInError,
    history: Vec<(String, Governance, String)>,
    errors: FormErrors,
    saved: bool,
}

impl OfficePage {
    fn name(&self) -> TextInput<'_> {
        TextInput::new("name", "Name of the office", &self.form.name, &self.errors)
            .hint("As it signs letters, for example West Mercia Police and Crime Commissioner.")
    }
    fn area(&self) -> TextInput<'_> {
        TextInput::new("area", "Area served", &self.form.area, &self.errors)
            .hint("As the public know it, for example West Yorkshire.")
    }
    fn email(&self) -> TextInput<'_> {
        TextInput::new("email", "Email address for the public", &self.form.email, &self.errors)
            .input_type("email")
            .no_spellcheck()
    }
    fn telephone(&self) -> TextInput<'_> {
        TextInput::new("telephone", "Telephone number", &self.form.telephone, &self.errors)
            .input_type("tel")
            .width("govuk-input--width-20")
    }
    fn postal_address(&self) -> Textarea<'_> {
        Textarea::new("postal-address", "Postal address", &self.form.postal_address, &self.errors).rows(4)
    }
    fn introduction(&self) -> Textarea<'_> {
        Textarea::new("introduction", "What the office does, for the home page", &self.form.introduction, &self.errors)
            .rows(6)
            .max_chars(3000)
            .hint("Leave a blank line between paragraphs.")
    }
    fn privacy_contact(&self) -> TextInput<'_> {
        TextInput::new("privacy-contact", "Data protection officer’s email address", &self.form.privacy_contact, &self.errors)
            .input_type("email")
            .no_spellcheck()
            .hint("The privacy notice gives it, as the UK GDPR asks.")
    }
    fn signatory_name(&self) -> TextInput<'_> {
        TextInput::new("signatory-name", "Who signs the office’s letters", &self.form.signatory_name, &self.errors)
            .hint("Their name as it is printed under “Yours sincerely”. Leave blank to sign with the office’s name.")
            .autocomplete("off")
    }
    fn new_work_to(&self) -> Choices<'_> {
        let items = NewWorkTo::ALL.iter().map(|w| Choice::new(w.slug(), w.name())).collect();
        Choices::radios("new-work-to", "Who is emailed when new work arrives?", items, Some(self.form.new_work_to.as_str()), &self.errors)
            .hint("An application, a request, an appeal, a message from the public, or a partner’s answer. The email gives the reference and a link, never personal details.")
    }
    fn signatory_role(&self) -> TextInput<'_> {
        TextInput::new("signatory-role", "Their role", &self.form.signatory_role, &self.errors)
            .hint("For example, Chief Executive.")
    }
    fn governance(&self) -> Choices<'_> {
        let items = Governance::ALL.iter().map(|g| Choice::new(g.slug(), g.name())).collect();
        Choices::radios(
            "governance",
            "Who governs policing in the area?",
            items,
            Some(self.form.governance.as_str()),
            &self.errors,
        )
        .legend_size("govuk-fieldset__legend--m")
    }
    fn effective_date(&self) -> DateInput<'_> {
        let mut input = DateInput::new("from", "From when, if it changes", &self.from, &self.errors, self.from_marks);
        input.hint = Some(
            "Leave blank for today. Pages, letters and reports use the new names from that day; what was made before keeps the old ones.",
        );
        input
    }
    fn logo(&self) -> crate::web::forms::FileUpload<'_> {
        let mut upload = crate::web::forms::FileUpload::new("logo", "Upload a logo", &self.errors).accept("image/png,image/jpeg");
        upload.hint = Some(
            "A PNG or JPEG image smaller than 512 KB, at least 80 pixels high. It is shown beside the office’s name on every page.",
        );
        upload
    }
    fn long_date(&self, text: &str) -> String {
        calendar::long_date_of(text)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Saved {
    saved: String,
}

async fn show(StaffPage { platform, chrome, .. }: StaffPage, Query(saved): Query<Saved>) -> Result<Response, AppError> {
    stored_page(&platform, chrome, FormErrors::new(), saved.saved == "yes").await
}

/// The page with a problem from its logo form.
pub(super) async fn show_with_errors(
    platform: &crate::web::Platform,
    chrome: Chrome,
    errors: FormErrors,
) -> Result<Response, AppError> {
    stored_page(platform, chrome, errors, false).await
}

/// The page filled from the office as stored, with `errors` from a form other than its own.
async fn stored_page(
    platform: &crate::web::Platform,
    chrome: Chrome,
    errors: FormErrors,
    saved: bool,
) -> Result<Response, AppError> {
    let office = platform.office().await?;
    let history = governance_history(platform.pool()).await?;
    let form = OfficeForm::of(&office);
    let status = if errors.is_empty() { axum::http::StatusCode::OK } else { axum::http::StatusCode::UNPROCESSABLE_ENTITY };
    let page = OfficePage {
        chrome: chrome.with_errors(!errors.is_empty()),
        from: form.effective_from(),
        form,
        from_marks: DatePartsInError::default(),
        history,
        errors,
        saved,
    };
    Ok((status, render(&page)?).into_response())
}

async fn save(StaffPage { platform, chrome, staff }: StaffPage, Form(form): Form<OfficeForm>) -> Result<Response, AppError> {
    let current = platform.office().await?;
    let today = calendar::uk_today();
    let mut errors = FormErrors::new();
    let name = required_text(&mut errors, "name", &form.name, "Enter the name of the office", 200);
    let area = required_text(&mut errors, "area", &form.area, "Enter the area the office serves", 200);
    let email = form.email.trim().to_string();
    if !email.is_empty() && !contact::is_email(&email) {
        errors.add("email", "Enter an email address in the correct format, like name@example.com");
    }
    let telephone = form.telephone.trim().to_string();
    if !telephone.is_empty() && !contact::is_telephone(&telephone) {
        errors.add("telephone", "Enter a telephone number, like 01632 960 001 or +44 808 157 0192");
    }
    let postal_address = form.postal_address.trim().replace("\r\n", "\n");
    if postal_address.chars().count() > 500 {
        errors.add("postal-address", "The postal address must be 500 characters or fewer");
    }
    let privacy_contact = form.privacy_contact.trim().to_string();
    if !privacy_contact.is_empty() && !contact::is_email(&privacy_contact) {
        errors.add(
            "privacy-contact",
            "Enter the data protection officer’s email address in the correct format, like dpo@example.com",
        );
    }
    let signatory_name = form.signatory_name.trim().to_string();
    let signatory_role = form.signatory_role.trim().to_string();
    if signatory_name.chars().count() > 100 {
        errors.add("signatory-name", "The name of who signs letters must be 100 characters or fewer");
    }
    if signatory_role.chars().count() > 100 {
        errors.add("signatory-role", "Their role must be 100 characters or fewer");
    }
    if signatory_name.is_empty() && !signatory_role.is_empty() {
        errors.add("signatory-name", "Enter who signs the office’s letters, or leave their role blank too");
    }
    let introduction = form.introduction.trim().replace("\r\n", "\n");
    if introduction.chars().count() > 3000 {
        errors.add("introduction", "What the office does must be 3,000 characters or fewer");
    }
    // The radios always send one; a form from before the question keeps the setting as it was.
    let new_work_to =
        if form.new_work_to.is_empty() { Some(current.new_work_to) } else { NewWorkTo::from_slug(&form.new_work_to) };
    if new_work_to.is_none() {
        errors.add("new-work-to", "Select who is emailed when new work arrives");
    }
    let governance = Governance::from_slug(&form.governance);
    if governance.is_none() {
        errors.add("governance", "Select who governs policing in the area");
    }
    let from = form.effective_from();
    let (mut from_on, mut from_marks) = (Some(today), DatePartsInError::default());
    if ![&from.day, &from.month, &from.year].iter().all(|p| p.trim().is_empty()) {
        (from_on, from_marks) = date_field(&mut errors, "from", &from, "the date the change takes effect");
        if from_on.is_some_and(|d| d < today) {
            errors.add_targeted("from", "from-day", "The date the change takes effect must be today or in the future");
            from_on = None;
        }
    }
    let (Some(governance), Some(from_on), Some(new_work_to), true) = (governance, from_on, new_work_to, errors.is_empty()) else {
        let history = governance_history(platform.pool()).await?;
        let page = OfficePage { chrome: chrome.with_errors(true), from, form, from_marks, history, errors, saved: false };
        return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
    };
    let now = OffsetDateTime::now_utc();
    let actor = staff.actor();
    // The office's own row keeps the governance as it stands; a change is dated in its history.
    let office = Office {
        name,
        area,
        email,
        telephone,
        postal_address,
        introduction,
        privacy_contact,
        signatory_name,
        signatory_role,
        new_work_to,
        governance: current.governance,
        ..current.clone()
    };
    update(platform.pool(), &office, &actor, now).await?;
    if governance != current.governance {
        change_governance(platform.pool(), governance, from_on, &actor, now).await?;
    }
    Ok(Redirect::to(&format!("{PATH}?saved=yes")).into_response())
}
