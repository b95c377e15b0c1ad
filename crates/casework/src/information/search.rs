//! Full-text search of the disclosure log, the same on SQLite and PostgreSQL: each published
//! entry's words are kept in an index table (word, entry), written by the product when an entry
//! is published, and a search looks its words up there. The database-specific engines (FTS5,
//! tsvector) would need two sets of migrations and two sets of tests; a plain index needs
//! neither, and serves the suggestions shown before a request is made.
//!
//! Words are lower-cased letters and digits; common words are dropped; a plural "s" or "es" is
//! taken off so "burglary" and "burglaries" meet. Nothing typed reaches SQL except as a bound
//! value, so quotes, percent signs and markup in a query are just characters that match nothing.

/// Words too common to say anything about a request.
const STOP_WORDS: [&str; 56] = [
    "a",
    "about",
    "all",
    "also",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "been",
    "by",
    "can",
    "copy",
    "could",
    "data",
    "did",
    "do",
    "does",
    "for",
    "from",
    "had",
    "has",
    "have",
    "how",
    "i",
    "if",
    "in",
    "information",
    "into",
    "is",
    "it",
    "its",
    "me",
    "my",
    "of",
    "on",
    "or",
    "please",
    "provide",
    "request",
    "so",
    "that",
    "the",
    "their",
    "there",
    "this",
    "to",
    "was",
    "were",
    "what",
    "which",
    "with",
    "would",
    "you",
];

/// The longest word kept: longer runs are noise (hashes, pasted data).
const MAX_WORD_CHARS: usize = 40;
/// The most words a query is searched for; the rest are ignored.
pub const MAX_QUERY_WORDS: usize = 12;

/// A word as the index keeps it.
fn normalise(word: &str) -> Option<String> {
    // Lower-casing can add marks that are not letters ("İ" becomes "i" and a combining dot):
    // they are dropped, so a word is letters and digits only, and "İstanbul" is "istanbul".
    let word: String = word.to_lowercase().chars().filter(|c| c.is_alphanumeric()).collect();
    let count = word.chars().count();
    if !(2..=MAX_WORD_CHARS).contains(&count) || STOP_WORDS.contains(&word.as_str()) {
        return None;
    }
    // Plurals: "ies" → "y", "ses"/"xes"/"ches"/"shes" → drop "es", other "s" → drop it, but
    // not "ss" (business) or words of three letters or fewer (bus, gas).
    let stem = if let Some(base) = word.strip_suffix("ies").filter(|b| b.chars().count() >= 2) {
        format!("{base}y")
    } else if ["ses", "xes", "ches", "shes"].iter().any(|s| word.ends_with(s)) && count > 4 {
        word[..word.len() - 2].to_string()
    } else if word.ends_with('s') && !word.ends_with("ss") && count > 3 {
        word[..word.len() - 1].to_string()
    } else {
        word
    };
    Some(stem)
}

/// The distinct words of a text, in the order they first appear.
pub fn words(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for raw in text.split(|c: char| !c.is_alphanumeric()) {
        if let Some(word) = normalise(raw)
            && !out.contains(&word)
        {
            out.push(word);
        }
    }
    out
}

/// The words a query searches for: at most [`MAX_QUERY_WORDS`].
pub fn query_words(query: &str) -> Vec<String> {
    let mut out = words(query);
    out.truncate(MAX_QUERY_WORDS);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn lower_casing_never_leaves_a_mark_that_is_not_a_letter() {
        assert_eq!(words("İstanbul İ"), vec!["istanbul".to_string()]);
    }

    #[test]
    fn words_are_lower_cased_stemmed_and_stripped_of_common_ones() {
        assert_eq!(
            words("Please provide the number of burglaries and BURGLARY reports in Stafford, 2025."),
            vec!["number", "burglary", "report", "stafford", "2025"]
        );
        assert_eq!(words("business buses gas boxes churches"), vec!["business", "bus", "gas", "box", "church"]);
        assert!(words("a an the of").is_empty());
    }

    #[test]
    fn sql_and_markup_in_a_query_are_only_characters() {
        assert_eq!(query_words("'; DROP TABLE casework_information_request; --"), vec!["drop", "table", "casework"]);
        assert_eq!(query_words("<script>alert(1)</script> 100% \"speeding\""), vec!["script", "alert", "100", "speeding"]);
        let many: String = (1..30).map(|n| format!("word{n} ")).collect();
        assert_eq!(query_words(&many).len(), MAX_QUERY_WORDS);
    }

    proptest! {
        #[test]
        fn indexed_words_are_short_lower_case_and_distinct(text in "\\PC{0,400}") {
            let found = words(&text);
            let mut unique = found.clone();
            unique.sort();
            unique.dedup();
            prop_assert_eq!(unique.len(), found.len());
            for word in &found {
                prop_assert!(word.chars().count() >= 1 && word.chars().count() <= MAX_WORD_CHARS);
                prop_assert_eq!(word.to_lowercase(), word.clone());
                prop_assert!(word.chars().all(char::is_alphanumeric));
            }
        }

        #[test]
        fn a_text_is_found_by_its_own_words(text in "[A-Za-z ]{0,200}") {
            let indexed = words(&text);
            for word in query_words(&text) {
                prop_assert!(indexed.contains(&word));
            }
        }
    }
}
