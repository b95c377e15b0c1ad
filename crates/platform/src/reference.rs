//! Reference numbers the public quote back to the office, such as `CON-2026-000123`.

use std::fmt;
use std::str::FromStr;

/// A case or message reference: a prefix naming the service, the year, and a sequence number.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reference {
    prefix: String,
    year: i32,
    number: i64,
}

impl Reference {
    pub fn new(prefix: &str, year: i32, number: i64) -> Self {
        Self { prefix: prefix.to_string(), year, number }
    }
    pub fn prefix(&self) -> &str {
        &self.prefix
    }
    pub fn year(&self) -> i32 {
        self.year
    }
    pub fn number(&self) -> i64 {
        self.number
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:04}-{:06}", self.prefix, self.year, self.number)
    }
}

impl FromStr for Reference {
    type Err = String;

    /// Accepts what people type: any case, spaces around, and spaces instead of hyphens.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let cleaned = s.trim().to_uppercase().replace(' ', "-");
        let mut parts = cleaned.split('-').filter(|p| !p.is_empty());
        let (Some(prefix), Some(year), Some(number), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
            return Err("a reference looks like ABC-2026-000123".into());
        };
        if !(2..=5).contains(&prefix.len()) || !prefix.chars().all(|c| c.is_ascii_uppercase()) {
            return Err("a reference starts with letters, such as CON".into());
        }
        let year: i32 = year.parse().map_err(|_| "the middle of a reference is a year".to_string())?;
        if !(2000..=9999).contains(&year) {
            return Err("the middle of a reference is a year".into());
        }
        let number: i64 = number.parse().map_err(|_| "a reference ends with a number".to_string())?;
        if number < 1 {
            return Err("a reference ends with a number".into());
        }
        Ok(Reference::new(prefix, year, number))
    }
}

/// Takes the next number for a prefix and year. Call inside the transaction that stores the
/// record, so a failed save does not leave a gap that looks like a lost submission.
pub async fn next<'c, E>(executor: E, prefix: &str, year: i32) -> Result<Reference, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let number: i64 = sqlx::query_scalar(
        "INSERT INTO platform_reference_sequence (prefix, year, last_value) VALUES ($1, $2, 1) \
         ON CONFLICT (prefix, year) DO UPDATE SET last_value = platform_reference_sequence.last_value + 1 \
         RETURNING last_value",
    )
    .bind(prefix)
    .bind(i64::from(year))
    .fetch_one(executor)
    .await?;
    Ok(Reference::new(prefix, year, number))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn references_are_padded_to_six_digits() {
        assert_eq!(Reference::new("CON", 2026, 123).to_string(), "CON-2026-000123");
    }

    #[test]
    fn typed_references_are_read_forgivingly() {
        assert_eq!(" con 2026 000123 ".parse::<Reference>(), Ok(Reference::new("CON", 2026, 123)));
        assert!("CON-26-1".parse::<Reference>().is_err());
        assert!("CON-2026".parse::<Reference>().is_err());
        assert!("CON-2026-0".parse::<Reference>().is_err());
        assert!("C0N-2026-1".parse::<Reference>().is_err());
    }

    proptest! {
        #[test]
        fn display_and_parse_round_trip(prefix in "[A-Z]{2,5}", year in 2000i32..9999, number in 1i64..999_999) {
            let reference = Reference::new(&prefix, year, number);
            prop_assert_eq!(reference.to_string().parse::<Reference>(), Ok(reference));
        }
    }
}
