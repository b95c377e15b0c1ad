//! The GOV.UK form kit: one typed component per Design System pattern, each rendering the
//! component's markup with its inline error, plus the error summary that links to them.
//!
//! Components are built in a page's view code and written into its template with `|safe`; all
//! text they hold is escaped by their own templates.

use askama::Template;

/// One problem with a submitted form, tied to the field the summary link should move focus to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field's name, as submitted.
    pub field: String,
    /// The `id` the error summary links to: the input, or the first input of a group.
    pub target: String,
    pub message: String,
}

/// Every problem with a submission, in the order the fields appear on the page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormErrors(Vec<FieldError>);

impl FormErrors {
    pub fn new() -> Self {
        Self::default()
    }
    /// The GOV.UK error summary for the top of the page (empty when there are no errors).
    pub fn summary(&self) -> ErrorSummary<'_> {
        ErrorSummary { errors: self }
    }

    /// Records an error on a field whose input has the field's name as its id.
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.add_targeted(field, field, message);
    }

    /// Records an error on a field whose first input has another id (radios, dates).
    pub fn add_targeted(&mut self, field: &str, target: &str, message: impl Into<String>) {
        if self.for_field(field).is_none() {
            self.0.push(FieldError { field: field.into(), target: target.into(), message: message.into() });
        }
    }

    pub fn for_field(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|e| e.field == field).map(|e| e.message.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &FieldError> {
        self.0.iter()
    }
}

#[derive(Template)]
#[template(path = "govuk/error_summary.html")]
pub struct ErrorSummary<'a> {
    pub errors: &'a FormErrors,
}

fn described_by(id: &str, hint: bool, error: bool, extra: Option<&str>) -> Option<String> {
    let mut ids = Vec::new();
    if hint {
        ids.push(format!("{id}-hint"));
    }
    if error {
        ids.push(format!("{id}-error"));
    }
    if let Some(extra) = extra {
        ids.push(format!("{id}-{extra}"));
    }
    (!ids.is_empty()).then(|| ids.join(" "))
}

/// What every GOV.UK input has: a hint under its label, and `aria-describedby` naming the hint,
/// the error and anything else that describes it (a character count's message).
macro_rules! hinted {
    ($input:ident) => {
        hinted!($input, |_: &$input| None);
    };
    ($input:ident, $extra:expr) => {
        impl<'a> $input<'a> {
            pub fn hint(mut self, hint: &'a str) -> Self {
                self.hint = Some(hint);
                self
            }
            fn described_by(&self) -> Option<String> {
                let extra: fn(&$input) -> Option<&'static str> = $extra;
                described_by(self.id, self.hint.is_some(), self.error.is_some(), extra(self))
            }
        }
    };
}

hinted!(TextInput);
hinted!(Textarea, |t| t.max_chars.map(|_| "info"));
hinted!(Select);
hinted!(Choices);
hinted!(DateInput);
hinted!(FileUpload);

#[derive(Template)]
#[template(path = "govuk/text_input.html")]
pub struct TextInput<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub label: &'a str,
    pub label_class: Option<&'a str>,
    pub hint: Option<&'a str>,
    pub value: &'a str,
    pub error: Option<&'a str>,
    pub input_type: &'a str,
    pub autocomplete: Option<&'a str>,
    pub width_class: Option<&'a str>,
    pub inputmode: Option<&'a str>,
    pub spellcheck: bool,
}

impl<'a> TextInput<'a> {
    /// A text input whose id and name are both `name`, with its error looked up in `errors`.
    pub fn new(name: &'a str, label: &'a str, value: &'a str, errors: &'a FormErrors) -> Self {
        Self {
            id: name,
            name,
            label,
            label_class: None,
            hint: None,
            value,
            error: errors.for_field(name),
            input_type: "text",
            autocomplete: None,
            width_class: None,
            inputmode: None,
            spellcheck: true,
        }
    }
    pub fn autocomplete(mut self, autocomplete: &'a str) -> Self {
        self.autocomplete = Some(autocomplete);
        self
    }
    pub fn input_type(mut self, input_type: &'a str) -> Self {
        self.input_type = input_type;
        self
    }
    pub fn width(mut self, width_class: &'a str) -> Self {
        self.width_class = Some(width_class);
        self
    }
    pub fn no_spellcheck(mut self) -> Self {
        self.spellcheck = false;
        self
    }
}

#[derive(Template)]
#[template(path = "govuk/textarea.html")]
pub struct Textarea<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub label: &'a str,
    pub label_class: Option<&'a str>,
    pub hint: Option<&'a str>,
    pub value: &'a str,
    pub error: Option<&'a str>,
    pub rows: u32,
    /// Shows the GOV.UK character count; the server enforces the limit either way.
    pub max_chars: Option<usize>,
    pub autocomplete: Option<&'a str>,
}

impl<'a> Textarea<'a> {
    pub fn new(name: &'a str, label: &'a str, value: &'a str, errors: &'a FormErrors) -> Self {
        Self {
            id: name,
            name,
            label,
            label_class: None,
            hint: None,
            value,
            error: errors.for_field(name),
            rows: 5,
            max_chars: None,
            autocomplete: None,
        }
    }
    pub fn max_chars(mut self, max: usize) -> Self {
        self.max_chars = Some(max);
        self
    }
    pub fn rows(mut self, rows: u32) -> Self {
        self.rows = rows;
        self
    }
    pub fn autocomplete(mut self, autocomplete: &'a str) -> Self {
        self.autocomplete = Some(autocomplete);
        self
    }
}

/// A GOV.UK select: one choice from a list too long for radios.
#[derive(Template)]
#[template(path = "govuk/select.html")]
pub struct Select<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub label: &'a str,
    pub hint: Option<&'a str>,
    pub options: Vec<Choice<'a>>,
    pub selected: &'a str,
    pub error: Option<&'a str>,
}

impl<'a> Select<'a> {
    pub fn new(name: &'a str, label: &'a str, options: Vec<Choice<'a>>, selected: &'a str, errors: &'a FormErrors) -> Self {
        Self { id: name, name, label, hint: None, options, selected, error: errors.for_field(name) }
    }
}

/// One option in a set of radios or checkboxes.
#[derive(Debug, Clone)]
pub struct Choice<'a> {
    pub value: &'a str,
    pub text: &'a str,
    pub hint: Option<&'a str>,
}

impl<'a> Choice<'a> {
    pub fn new(value: &'a str, text: &'a str) -> Self {
        Self { value, text, hint: None }
    }
    pub fn with_hint(value: &'a str, text: &'a str, hint: &'a str) -> Self {
        Self { value, text, hint: Some(hint) }
    }
    /// One choice for each (value, text) of a list.
    pub fn each(list: &'a [(&'a str, &'a str)]) -> Vec<Self> {
        list.iter().map(|(value, text)| Choice::new(value, text)).collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChoiceKind {
    Radios,
    Checkboxes,
}

impl ChoiceKind {
    fn css(self) -> &'static str {
        match self {
            ChoiceKind::Radios => "radios",
            ChoiceKind::Checkboxes => "checkboxes",
        }
    }
    fn input_type(self) -> &'static str {
        match self {
            ChoiceKind::Radios => "radio",
            ChoiceKind::Checkboxes => "checkbox",
        }
    }
}

/// Radios (choose one) or checkboxes (choose any) in a fieldset.
///
/// The first input's id is the field name, so an error summary link to the field lands on it;
/// later inputs are `name-2`, `name-3`, … as in the GOV.UK macros.
#[derive(Template)]
#[template(path = "govuk/choices.html")]
pub struct Choices<'a> {
    pub kind: ChoiceKind,
    pub id: &'a str,
    pub name: &'a str,
    pub legend: &'a str,
    pub legend_class: &'a str,
    pub legend_is_heading: bool,
    pub hint: Option<&'a str>,
    pub items: Vec<Choice<'a>>,
    pub selected: Vec<&'a str>,
    pub error: Option<&'a str>,
    pub inline: bool,
}

impl<'a> Choices<'a> {
    pub fn radios(
        name: &'a str,
        legend: &'a str,
        items: Vec<Choice<'a>>,
        selected: Option<&'a str>,
        errors: &'a FormErrors,
    ) -> Self {
        Self::build(ChoiceKind::Radios, name, legend, items, selected.into_iter().collect(), errors)
    }
    /// Yes or no, side by side (the GOV.UK inline radios).
    pub fn yes_no(name: &'a str, legend: &'a str, selected: Option<&'a str>, errors: &'a FormErrors) -> Self {
        Self::radios(name, legend, vec![Choice::new("yes", "Yes"), Choice::new("no", "No")], selected, errors).inline()
    }
    pub fn checkboxes(
        name: &'a str,
        legend: &'a str,
        items: Vec<Choice<'a>>,
        selected: Vec<&'a str>,
        errors: &'a FormErrors,
    ) -> Self {
        Self::build(ChoiceKind::Checkboxes, name, legend, items, selected, errors)
    }
    fn build(
        kind: ChoiceKind,
        name: &'a str,
        legend: &'a str,
        items: Vec<Choice<'a>>,
        selected: Vec<&'a str>,
        errors: &'a FormErrors,
    ) -> Self {
        Self {
            kind,
            id: name,
            name,
            legend,
            legend_class: "govuk-fieldset__legend--s",
            legend_is_heading: false,
            hint: None,
            items,
            selected,
            error: errors.for_field(name),
            inline: false,
        }
    }
    pub fn inline(mut self) -> Self {
        self.inline = true;
        self
    }
    pub fn legend_size(mut self, class: &'a str) -> Self {
        self.legend_class = class;
        self
    }
    /// The question is the page's only one: its legend is the page's `h1`.
    pub fn as_heading(mut self) -> Self {
        self.legend_is_heading = true;
        self.legend_class = "govuk-fieldset__legend--l";
        self
    }
    fn item_id(&self, index: &usize) -> String {
        if *index == 0 { self.id.to_string() } else { format!("{}-{}", self.id, index + 1) }
    }
    fn is_selected(&self, value: &str) -> bool {
        self.selected.contains(&value)
    }
}

/// Day, month and year as typed, kept as text so a mistake is shown back exactly.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DateParts {
    pub day: String,
    pub month: String,
    pub year: String,
}

/// Which parts of a date input a message is about, so only those inputs are outlined in red.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DatePartsInError {
    pub day: bool,
    pub month: bool,
    pub year: bool,
}

pub struct DatePart<'a> {
    suffix: &'static str,
    label: &'static str,
    width: u8,
    value: &'a str,
    in_error: bool,
    autocomplete: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "govuk/date_input.html")]
pub struct DateInput<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub legend: &'a str,
    pub legend_class: &'a str,
    pub hint: Option<&'a str>,
    pub value: &'a DateParts,
    pub error: Option<&'a str>,
    pub parts_in_error: DatePartsInError,
    /// `bday` for a date of birth.
    pub autocomplete_prefix: Option<&'static str>,
}

impl<'a> DateInput<'a> {
    /// Inputs are named `name-day`, `name-month`, `name-year`; the summary links to `name-day`.
    pub fn new(
        name: &'a str,
        legend: &'a str,
        value: &'a DateParts,
        errors: &'a FormErrors,
        parts_in_error: DatePartsInError,
    ) -> Self {
        let error = errors.for_field(name);
        let parts_in_error = if error.is_some() && parts_in_error == DatePartsInError::default() {
            DatePartsInError { day: true, month: true, year: true }
        } else {
            parts_in_error
        };
        Self {
            id: name,
            name,
            legend,
            legend_class: "govuk-fieldset__legend--s",
            hint: None,
            value,
            error,
            parts_in_error,
            autocomplete_prefix: None,
        }
    }
    pub fn birthday(mut self) -> Self {
        self.autocomplete_prefix = Some("bday");
        self
    }
    fn parts(&self) -> [DatePart<'_>; 3] {
        let bday = self.autocomplete_prefix.is_some();
        [
            DatePart {
                suffix: "day",
                label: "Day",
                width: 2,
                value: &self.value.day,
                in_error: self.parts_in_error.day,
                autocomplete: bday.then_some("bday-day"),
            },
            DatePart {
                suffix: "month",
                label: "Month",
                width: 2,
                value: &self.value.month,
                in_error: self.parts_in_error.month,
                autocomplete: bday.then_some("bday-month"),
            },
            DatePart {
                suffix: "year",
                label: "Year",
                width: 4,
                value: &self.value.year,
                in_error: self.parts_in_error.year,
                autocomplete: bday.then_some("bday-year"),
            },
        ]
    }
}

#[derive(Template)]
#[template(path = "govuk/file_upload.html")]
pub struct FileUpload<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub label: &'a str,
    pub hint: Option<&'a str>,
    pub error: Option<&'a str>,
    /// A hint to the browser's file picker; the server checks content, not this.
    pub accept: Option<&'a str>,
    pub multiple: bool,
}

impl<'a> FileUpload<'a> {
    pub fn new(name: &'a str, label: &'a str, errors: &'a FormErrors) -> Self {
        Self { id: name, name, label, hint: None, error: errors.for_field(name), accept: None, multiple: false }
    }
    pub fn accept(mut self, accept: &'a str) -> Self {
        self.accept = Some(accept);
        self
    }
    pub fn multiple(mut self) -> Self {
        self.multiple = true;
        self
    }
}

/// Adds the problems found with uploaded files to a form's errors. Good files that arrived with
/// a form refused for another reason are held for it (`web::held`), not asked for again.
pub fn merge_upload_errors(errors: &mut FormErrors, upload_errors: &FormErrors) {
    for error in upload_errors.iter() {
        errors.add(&error.field, error.message.clone());
    }
}

/// The id of the first date part in error, for the error summary's link ("due-day").
pub fn first_part(field: &str, parts: DatePartsInError) -> String {
    let part = if parts.day || parts == DatePartsInError::default() {
        "day"
    } else if parts.month {
        "month"
    } else {
        "year"
    };
    format!("{field}-{part}")
}

/// A date typed in three parts: the date, or the message added to `errors` (linked to the
/// first part in error) and which parts to mark.
pub fn date_field(errors: &mut FormErrors, field: &str, parts: &DateParts, what: &str) -> (Option<time::Date>, DatePartsInError) {
    match parse_date_parts(parts, what) {
        Ok(date) => (Some(date), DatePartsInError::default()),
        Err((message, marks)) => {
            errors.add_targeted(field, &first_part(field, marks), message);
            (None, marks)
        }
    }
}

/// A date typed in three parts that must be today or earlier: as [`date_field`], and a later
/// date is refused with "{The what} must be today or in the past", marked whole.
pub fn past_date_field(
    errors: &mut FormErrors,
    field: &str,
    parts: &DateParts,
    what: &str,
    today: time::Date,
) -> (Option<time::Date>, DatePartsInError) {
    match date_field(errors, field, parts, what) {
        (Some(date), _) if date > today => {
            let mut sentence = what.to_string();
            if let Some(first) = sentence.get_mut(..1) {
                first.make_ascii_uppercase();
            }
            errors.add_targeted(field, &format!("{field}-day"), format!("{sentence} must be today or in the past"));
            (None, DatePartsInError { day: true, month: true, year: true })
        }
        checked => checked,
    }
}

/// Text that must be given and not too long: trimmed, with Windows line ends made plain.
pub fn required_text(errors: &mut FormErrors, field: &str, value: &str, message: &str, limit: usize) -> String {
    let value = value.trim().replace("\r\n", "\n");
    if value.is_empty() {
        errors.add(field, message);
    } else if value.chars().count() > limit {
        errors.add(field, format!("This must be {limit} characters or fewer"));
    }
    value
}

/// Parses a GOV.UK date input: every part present, numeric, and a real date. The message names
/// what is missing or wrong, as the Design System's date input guidance asks.
pub fn parse_date_parts(parts: &DateParts, what: &str) -> Result<time::Date, (String, DatePartsInError)> {
    let day = parts.day.trim();
    let month = parts.month.trim();
    let year = parts.year.trim();
    let missing = DatePartsInError { day: day.is_empty(), month: month.is_empty(), year: year.is_empty() };
    if missing.day && missing.month && missing.year {
        return Err((format!("Enter {what}"), DatePartsInError { day: true, month: true, year: true }));
    }
    if missing != DatePartsInError::default() {
        let names: Vec<&str> = [(missing.day, "day"), (missing.month, "month"), (missing.year, "year")]
            .into_iter()
            .filter_map(|(m, n)| m.then_some(n))
            .collect();
        let capital = what[..1].to_uppercase() + &what[1..];
        return Err((format!("{capital} must include a {}", names.join(" and a ")), missing));
    }
    let all = DatePartsInError { day: true, month: true, year: true };
    let capital = what[..1].to_uppercase() + &what[1..];
    let (Ok(d), Ok(m), Ok(y)) = (day.parse::<u8>(), month.parse::<u8>(), year.parse::<i32>()) else {
        return Err((format!("{capital} must be a real date"), all));
    };
    if !(1000..=9999).contains(&y) {
        return Err(("Year must include 4 numbers".to_string(), DatePartsInError { year: true, ..Default::default() }));
    }
    let month = time::Month::try_from(m).map_err(|_| (format!("{capital} must be a real date"), all))?;
    time::Date::from_calendar_date(y, month, d).map_err(|_| (format!("{capital} must be a real date"), all))
}

#[cfg(test)]
mod tests;
