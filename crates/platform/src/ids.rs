//! Identifiers for rows: random, so they reveal nothing about order or volume, and made by the
//! application so that SQLite and PostgreSQL need no generator of their own.

use rand::RngCore;

/// 128 random bits as 32 lower-case hex characters.
pub fn new_id() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Whether a string could be an id made by [`new_id`]: the check to run before using a value
/// that came from a form or a URL.
pub fn is_well_formed(candidate: &str) -> bool {
    candidate.len() == 32 && candidate.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_well_formed_and_distinct() {
        let a = new_id();
        let b = new_id();
        assert!(is_well_formed(&a) && is_well_formed(&b));
        assert_ne!(a, b);
        assert!(!is_well_formed("../etc/passwd"));
        assert!(!is_well_formed(&a.to_uppercase()));
    }
}
