//! What a case page says after a step was taken: the step's handler sends the officer back to
//! the case with `?done=<action>`, and the page shows the service's own words for it in a GOV.UK
//! success banner (a status message, WCAG 4.1.3). Only the service's known actions have words,
//! so nothing typed into an address is ever shown.

/// A case page's query: the step just taken.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct DoneQuery {
    pub done: String,
}

/// The case page's address after `action`, an action slug the service knows.
pub fn back_to(case_url: &str, action: &str) -> String {
    let slug: String = action.chars().filter(|c| c.is_ascii_lowercase() || *c == '-').collect();
    format!("{case_url}?done={slug}")
}

/// The words for `done`, from a service's table of (action, what happened).
pub fn said(done: &str, table: &[(&str, &'static str)]) -> Option<&'static str> {
    table.iter().find(|(action, _)| *action == done).map(|(_, words)| *words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_known_actions_have_words() {
        let table = [("approve", "Response approved"), ("send", "Response sent")];
        assert_eq!(said("approve", &table), Some("Response approved"));
        assert_eq!(said("<script>", &table), None);
        assert_eq!(said("", &table), None);
        assert_eq!(back_to("/staff/x/FOI-1", "approve"), "/staff/x/FOI-1?done=approve");
        assert_eq!(back_to("/staff/x/FOI-1", "a&b=c"), "/staff/x/FOI-1?done=abc", "never more than a slug");
    }
}
