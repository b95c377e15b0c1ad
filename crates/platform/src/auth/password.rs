//! Passwords: Argon2id with OWASP's recommended parameters, and the rules a new password meets.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::RngCore;

/// Argon2id cost. OWASP's Password Storage Cheat Sheet (2025): m = 19 MiB, t = 2, p = 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashCost {
    pub memory_kib: u32,
    pub iterations: u32,
}

impl HashCost {
    pub const OWASP: HashCost = HashCost { memory_kib: 19 * 1024, iterations: 2 };

    fn hasher(self) -> Argon2<'static> {
        let params = Params::new(self.memory_kib.max(Params::MIN_M_COST), self.iterations.max(1), 1, None)
            .unwrap_or_else(|_| Params::default());
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
    }
}

pub fn hash(password: &str, cost: HashCost) -> String {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).expect("16 bytes is a valid salt");
    cost.hasher().hash_password(password.as_bytes(), &salt).expect("argon2 accepts any password").to_string()
}

/// Checks a password against a stored hash; the hash carries its own parameters, so hashes made
/// with an older cost still verify.
pub fn verify(password: &str, stored: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else { return false };
    Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok()
}

/// A hash of a password nobody has, verified when an email is unknown so that a wrong email
/// takes as long as a wrong password and reveals nothing.
pub fn decoy_hash(cost: HashCost) -> String {
    hash("decoy password that is never anyone's", cost)
}

pub const MIN_PASSWORD_CHARS: usize = 12;
pub const MAX_PASSWORD_CHARS: usize = 128;

/// ASVS 2.1: at least 12 characters, at most 128, no composition rules, not a commonly used one.
pub fn check_new_password(password: &str, email: &str) -> Result<(), &'static str> {
    let length = password.chars().count();
    if length < MIN_PASSWORD_CHARS {
        return Err("Password must be 12 characters or more");
    }
    if length > MAX_PASSWORD_CHARS {
        return Err("Password must be 128 characters or fewer");
    }
    let lower = password.to_lowercase();
    let local_part = email.split('@').next().unwrap_or_default().to_lowercase();
    if COMMON.iter().any(|c| lower.contains(c)) || (local_part.len() >= 4 && lower.contains(&local_part)) {
        return Err("Password must not be a common password or contain your email address");
    }
    if password.chars().collect::<std::collections::HashSet<_>>().len() < 5 {
        return Err("Password must not repeat the same few characters");
    }
    Ok(())
}

// The stems of the most used passwords in breach lists; anything containing one is refused.
const COMMON: &[&str] = &["password", "123456", "qwerty", "letmein", "welcome", "iloveyou", "admin", "commissioner", "police"];

#[cfg(test)]
mod tests {
    use super::*;

    const CHEAP: HashCost = HashCost { memory_kib: 64, iterations: 1 };

    #[test]
    fn a_hash_verifies_its_password_only() {
        let stored = hash("correct horse battery staple", CHEAP);
        assert!(stored.starts_with("$argon2id$v=19$"));
        assert!(verify("correct horse battery staple", &stored));
        assert!(!verify("correct horse battery stapler", &stored));
        assert!(!verify("anything", "not a hash"));
        assert_ne!(hash("same", CHEAP), hash("same", CHEAP), "salted");
    }

    #[test]
    fn owasp_parameters_are_recorded_in_the_hash() {
        let stored = hash("correct horse battery staple", HashCost::OWASP);
        assert!(stored.contains("m=19456,t=2,p=1"), "{stored}");
    }

    #[test]
    fn new_passwords_follow_asvs() {
        assert!(check_new_password("correct horse battery", "sam@example.com").is_ok());
        assert_eq!(check_new_password("short", "sam@example.com"), Err("Password must be 12 characters or more"));
        assert!(check_new_password("MyPassword2026!", "sam@example.com").is_err());
        assert!(check_new_password("samtaylor-is-here", "samtaylor@example.com").is_err());
        assert!(check_new_password("aaaaaaaaaaaabbbb", "x@example.com").is_err());
        assert!(check_new_password(&"ab1cd".repeat(30), "x@example.com").is_err());
    }
}
