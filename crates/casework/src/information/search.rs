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

/// Words that ask rather than say what about: they are in most requests, so they never make two
/// requests alike.
const QUESTION_WORDS: [&str; 16] = [
    "how", "many", "much", "what", "when", "where", "which", "who", "why", "number", "each", "every", "since", "last", "often",
    "year",
];

/// A word in more than this share of the log's answers is the office's everyday vocabulary
/// ("police", "office"): it tells answers apart no better than no word at all.
const COMMON_SHARE: f64 = 0.4;

/// LOCAL: an answer is suggested when the words it shares with the request carry at least this
/// share of the request's telling weight.
pub const SUGGESTION_THRESHOLD: f64 = 0.5;

/// The words of a request that can tell answers apart: not question words, and not in more than
/// [`COMMON_SHARE`] of the log's answers (once it holds a few).
pub fn telling_words<'a>(
    request_words: &'a [String],
    answers: i64,
    held_by: &std::collections::HashMap<String, i64>,
) -> Vec<&'a String> {
    let n = answers.max(1) as f64;
    request_words
        .iter()
        .filter(|w| !QUESTION_WORDS.contains(&w.as_str()))
        .filter(|w| answers < 5 || (*held_by.get(w.as_str()).unwrap_or(&0) as f64) / n <= COMMON_SHARE)
        .collect()
}

/// An answer like a request, with the words they share.
#[derive(Debug, Clone, PartialEq)]
pub struct Likeness<K> {
    pub key: K,
    pub score: f64,
    pub shared: Vec<String>,
}

/// The answers a request is like, strongest first: each telling word of the request (not a
/// question word, not in most answers) weighs by its rarity in the log (inverse document
/// frequency, as BM25 computes it; a word in no answer as the rarest), and an answer is like the
/// request when the words it shares carry at least [`SUGGESTION_THRESHOLD`] of the request's
/// weight and number at least two (or the request's only one). `answers` is how many answers
/// the log holds, `held_by` how many hold each word, `candidates` each answer's words among the
/// request's.
pub fn likeness<K: Clone + Ord>(
    request_words: &[String],
    answers: i64,
    held_by: &std::collections::HashMap<String, i64>,
    candidates: &std::collections::BTreeMap<K, Vec<String>>,
) -> Vec<Likeness<K>> {
    let n = answers.max(1) as f64;
    // A word in no answer weighs as the rarest word in the log: it says the request is about
    // something else, but no more loudly than a word the log knows.
    let weight = |word: &str| {
        let df = (*held_by.get(word).unwrap_or(&0)).max(1) as f64;
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    };
    let telling = telling_words(request_words, answers, held_by);
    let total: f64 = telling.iter().map(|w| weight(w)).sum();
    if telling.is_empty() || total <= 0.0 {
        return Vec::new();
    }
    let needed = telling.len().min(2);
    let mut found: Vec<Likeness<K>> = candidates
        .iter()
        .filter_map(|(key, words)| {
            let shared: Vec<String> = telling.iter().filter(|w| words.contains(w)).map(|w| w.to_string()).collect();
            let score = shared.iter().map(|w| weight(w)).sum::<f64>() / total;
            (shared.len() >= needed && score >= SUGGESTION_THRESHOLD).then(|| Likeness { key: key.clone(), score, shared })
        })
        .collect();
    found.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.key.cmp(&b.key)));
    found
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

    /// How many answers, how many hold each word, and each answer's words.
    type Log = (i64, std::collections::HashMap<String, i64>, Vec<(String, Vec<String>)>);

    fn log(entries: &[(&str, &str)]) -> Log {
        let mut held_by = std::collections::HashMap::new();
        let mut all = Vec::new();
        for (key, text) in entries {
            let words = words(text);
            for w in &words {
                *held_by.entry(w.clone()).or_insert(0) += 1;
            }
            all.push((key.to_string(), words));
        }
        (entries.len() as i64, held_by, all)
    }

    fn like(request: &str, entries: &[(&str, &str)]) -> Vec<(String, Vec<String>)> {
        let (n, held_by, all) = log(entries);
        let request = words(request);
        let candidates = all.into_iter().map(|(k, ws)| (k, ws.into_iter().filter(|w| request.contains(w)).collect())).collect();
        likeness(&request, n, &held_by, &candidates).into_iter().map(|l| (l.key, l.shared)).collect()
    }

    const LOG: [(&str, &str); 6] = [
        ("cameras", "How many speed cameras are there on the A34, and how much was raised in fines? Police speed cameras."),
        ("drones", "How many drones do the police have and how often were they used? Police drones."),
        ("collisions", "How many police vehicles were damaged in collisions and what did repairs cost?"),
        ("salaries", "What is the salary of each member of staff in the office?"),
        ("burglary", "How many burglaries were reported in Stoke-on-Trent, and how many were charged? Police figures."),
        ("grants", "Community grants for knife crime projects since 2023 from the office."),
    ];

    #[test]
    fn unrelated_requests_are_shown_nothing_and_related_ones_their_answer() {
        assert_eq!(like("How many officers are there in Leek?", &LOG), vec![]);
        assert_eq!(like("How many police are there?", &LOG), vec![], "only question words and everyday ones");
        assert_eq!(like("What did the police spend on drones?", &LOG), vec![], "one telling word of three shared");
        let cameras = like("Where are the speed cameras on the A34?", &LOG);
        assert_eq!(cameras.len(), 1);
        assert_eq!(cameras[0].0, "cameras");
        assert_eq!(cameras[0].1, ["speed", "camera", "a34"]);
        assert_eq!(like("Knife crime grants", &LOG)[0].0, "grants");
        assert_eq!(like("", &LOG), vec![]);
        assert_eq!(like("drones", &LOG)[0].1, ["drone"], "a request of one telling word needs only that one");
    }

    proptest! {
        #[test]
        fn every_suggestion_shares_at_least_half_the_weight_and_is_sorted(request in "[a-z ]{0,60}") {
            let (n, held_by, all) = log(&LOG);
            let words = words(&request);
            let candidates = all.into_iter().map(|(k, ws)| (k, ws.into_iter().filter(|w| words.contains(w)).collect())).collect();
            let found = likeness(&words, n, &held_by, &candidates);
            for pair in found.windows(2) {
                prop_assert!(pair[0].score >= pair[1].score);
            }
            for l in found {
                prop_assert!(l.score >= SUGGESTION_THRESHOLD && !l.shared.is_empty());
            }
        }
    }
}
