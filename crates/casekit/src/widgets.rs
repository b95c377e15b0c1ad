//! Inputs for pages that carry one small form per item (an allegation, a question to the force,
//! a recommendation, a sampled review): the inputs share a name across the forms but need an id
//! of their own, and only the form that failed shows what was typed.

use platform::auth::store::StaffUser;
use platform::web::forms::{Choice, Choices, FormErrors, Textarea};

/// Who a case is assigned to: one of the staff who can be assigned.
pub fn caseworker_choice<'a>(caseworkers: &'a [StaffUser], assigned: Option<&'a str>, errors: &'a FormErrors) -> Choices<'a> {
    let items = caseworkers.iter().map(|u| Choice::new(u.id.as_str(), u.display_name.as_str())).collect();
    Choices::radios("assignee", "Caseworker", items, assigned, errors)
}

pub struct ItemForm<'a> {
    /// The item this form is about; ids are `{name}-{item}`.
    pub item: &'a str,
    /// The item whose form was just refused, if any.
    pub failed: &'a str,
    pub errors: &'a FormErrors,
}

impl<'a> ItemForm<'a> {
    fn kept<'v>(&self, typed: &'v str) -> &'v str {
        if self.failed == self.item { typed } else { "" }
    }

    pub fn textarea(&self, name: &str, label: &str, typed: &str, rows: u32) -> String {
        let id = format!("{name}-{}", self.item);
        let mut input = Textarea::new(&id, label, self.kept(typed), self.errors).rows(rows);
        input.name = name;
        askama::Template::render(&input).unwrap_or_default()
    }

    pub fn radios(&self, name: &str, legend: &str, choices: Vec<Choice<'_>>, typed: &str, inline: bool) -> String {
        let id = format!("{name}-{}", self.item);
        let mut radios = Choices::radios(&id, legend, choices, Some(self.kept(typed)), self.errors);
        if inline {
            radios = radios.inline();
        }
        radios.name = name;
        askama::Template::render(&radios).unwrap_or_default()
    }

    /// Yes or no, side by side.
    pub fn yes_no(&self, name: &str, legend: &str, typed: &str) -> String {
        self.radios(name, legend, vec![Choice::new("yes", "Yes"), Choice::new("no", "No")], typed, true)
    }
}
