//! UK postcodes, parsed once so everything after holds a well-formed one.

use std::fmt;

/// A UK postcode in its standard form: upper case, one space before the inward code.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Postcode(String);

impl Postcode {
    /// Accepts any case and spacing ("st16 2dj", "ST162DJ"), as people type them.
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let compact: String = input.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
        if !(5..=7).contains(&compact.len()) || !compact.is_ascii() {
            return Err("Enter a real postcode, like ST16 2DJ");
        }
        let (outward, inward) = compact.split_at(compact.len() - 3);
        let inward_ok = {
            let b = inward.as_bytes();
            b[0].is_ascii_digit() && b[1].is_ascii_alphabetic() && b[2].is_ascii_alphabetic()
        };
        // Outward code: A9, A99, AA9, AA99, A9A, AA9A (BS 7666).
        let o = outward.as_bytes();
        let alpha = |i: usize| o.get(i).is_some_and(|c| c.is_ascii_alphabetic());
        let digit = |i: usize| o.get(i).is_some_and(|c| c.is_ascii_digit());
        let outward_ok = match o.len() {
            2 => alpha(0) && digit(1),
            3 => alpha(0) && ((digit(1) && digit(2)) || (alpha(1) && digit(2)) || (digit(1) && alpha(2))),
            4 => alpha(0) && alpha(1) && digit(2) && (digit(3) || alpha(3)),
            _ => false,
        };
        if inward_ok && outward_ok {
            Ok(Postcode(format!("{outward} {inward}")))
        } else {
            Err("Enter a real postcode, like ST16 2DJ")
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The outward code ("ST16"): the part that names a district without pointing at a street.
    pub fn outward(&self) -> &str {
        self.0.split(' ').next().unwrap_or(&self.0)
    }
}

impl fmt::Display for Postcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn every_outward_shape_is_accepted_and_normalised() {
        for (typed, standard) in [
            ("m1 1aa", "M1 1AA"),
            ("M601NW", "M60 1NW"),
            ("cr2 6xh", "CR2 6XH"),
            ("DN55 1PT", "DN55 1PT"),
            ("w1a 1hq", "W1A 1HQ"),
            ("EC1A1BB", "EC1A 1BB"),
            (" st16  2dj ", "ST16 2DJ"),
        ] {
            assert_eq!(Postcode::parse(typed).map(|p| p.to_string()), Ok(standard.to_string()), "{typed}");
        }
    }

    #[test]
    fn things_that_are_not_postcodes_are_refused() {
        for typed in ["", "ST16", "12345", "ST16 DJ2", "ST16 2D", "SW1A 1AAA", "1ST 2DJ", "ST1€ 2DJ"] {
            assert!(Postcode::parse(typed).is_err(), "{typed}");
        }
    }

    proptest! {
        #[test]
        fn parsing_never_panics_and_is_idempotent(input in "\\PC{0,12}") {
            if let Ok(postcode) = Postcode::parse(&input) {
                prop_assert_eq!(Postcode::parse(postcode.as_str()), Ok(postcode.clone()));
                prop_assert_eq!(postcode.outward().len() + 4, postcode.as_str().len());
            }
        }
    }
}
