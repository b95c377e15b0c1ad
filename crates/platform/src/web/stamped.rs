//! Rendered parts of public pages kept in memory beside a stamp of what they were made from (a
//! version, the time of the last change), so a page that many people read is made once per
//! change. Every request still asks the database for the stamp, so a change made through any
//! server shows at once on every server, and nothing another process needs lives only here.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub struct Stamped {
    entries: Mutex<HashMap<String, (String, Arc<String>)>>,
    capacity: usize,
}

impl Stamped {
    /// Keeps up to `capacity` parts; past that, it starts again empty (parts are cheap to make
    /// again, and a bound matters more than which ones stay).
    pub fn new(capacity: usize) -> Stamped {
        Stamped { entries: Mutex::new(HashMap::new()), capacity }
    }

    /// The part kept under `key` if it was made from `stamp`.
    pub fn get(&self, key: &str, stamp: &str) -> Option<Arc<String>> {
        let entries = self.entries.lock().ok()?;
        entries.get(key).filter(|(made_from, _)| made_from == stamp).map(|(_, part)| part.clone())
    }

    /// Keeps `part`, made from `stamp`, under `key`, and gives it back.
    pub fn put(&self, key: &str, stamp: &str, part: String) -> Arc<String> {
        let part = Arc::new(part);
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= self.capacity && !entries.contains_key(key) {
                entries.clear();
            }
            entries.insert(key.to_string(), (stamp.to_string(), part.clone()));
        }
        part
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_part_is_given_back_only_for_the_stamp_it_was_made_from() {
        let kept = Stamped::new(2);
        assert!(kept.get("plan", "v1").is_none());
        kept.put("plan", "v1", "<p>one</p>".into());
        assert_eq!(kept.get("plan", "v1").as_deref().map(String::as_str), Some("<p>one</p>"));
        assert!(kept.get("plan", "v2").is_none(), "a newer stamp means the part is stale");
        kept.put("plan", "v2", "<p>two</p>".into());
        assert!(kept.get("plan", "v1").is_none());
        kept.put("other", "v1", "x".into());
        kept.put("third", "v1", "y".into());
        assert!(kept.get("plan", "v2").is_none(), "over capacity it starts again");
        assert!(kept.get("third", "v1").is_some());
    }
}
