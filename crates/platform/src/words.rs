//! Running text from lists and counts, in GOV.UK style.

/// "a", "a and b", "a, b and c" (no comma before "and", as GOV.UK writes).
pub fn and_list<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [rest @ .., last] => {
            let rest: Vec<&str> = rest.iter().map(AsRef::as_ref).collect();
            format!("{} and {}", rest.join(", "), last.as_ref())
        }
    }
}

/// Text made safe to put inside HTML (an email's HTML part written without a template).
pub fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_as_people_write_them() {
        let cases: [(&[&str], &str); 4] =
            [(&[], ""), (&["a.pdf"], "a.pdf"), (&["a.pdf", "b.csv"], "a.pdf and b.csv"), (&["a", "b", "c"], "a, b and c")];
        for (items, expected) in cases {
            assert_eq!(and_list(items), expected);
        }
    }
}
