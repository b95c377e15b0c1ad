//! Enums written as slugs: in the database, in addresses and in forms. `slugged!` declares the
//! enum with each value's slug once, and gives it `ALL`, `slug` and `from_slug`, so the list of
//! values and the list of slugs cannot drift apart.

/// A title as an address: "Police and Crime Plan 2021 to 2024" → "police-and-crime-plan-2021-to-2024"
/// (ASCII letters and digits, hyphens between words, at most 80 characters).
pub fn of_title(title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').chars().take(80).collect()
}

/// Whether text from an address can be a slug or an id at all (lower-case ASCII letters, digits
/// and hyphens, 1 to 100 of them): anything else is not found without asking the database, which
/// may refuse bytes such as NUL.
pub fn is_slug(text: &str) -> bool {
    (1..=100).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Declares an enum whose values are stored and posted as slugs.
///
/// ```
/// platform::slugged! {
///     /// How far a thing has got.
///     pub enum Progress { NotStarted = "not-started", Done = "done" }
/// }
/// assert_eq!(Progress::ALL, [Progress::NotStarted, Progress::Done]);
/// assert_eq!(Progress::from_slug("done"), Some(Progress::Done));
/// assert_eq!(Progress::NotStarted.slug(), "not-started");
/// assert_eq!(Progress::from_slug("Done"), None);
/// ```
#[macro_export]
macro_rules! slugged {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $slug:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        $vis enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every value, in order.
            pub const ALL: [$name; [$($slug),+].len()] = [$($name::$variant),+];

            /// As it is stored, and written in addresses and forms.
            pub fn slug(self) -> &'static str {
                match self { $($name::$variant => $slug),+ }
            }

            /// The value with this slug, exactly; anything else is none.
            pub fn from_slug(slug: &str) -> Option<$name> {
                Self::ALL.into_iter().find(|value| value.slug() == slug)
            }
        }
    };
}
