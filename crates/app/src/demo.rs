//! The demo office: enough of a real office to click around in, created on first run of
//! `commissioner serve --demo` and left alone after that.

use platform::db::Pool;
use platform::office::{self, Office};
use time::OffsetDateTime;

/// The demo office's details. The area and what the office does are Staffordshire's; the
/// contact details are fictional (Ofcom's drama numbers, an `.example` address) so nobody
/// trying the demo reaches a real office.
pub fn demo_office() -> Office {
    Office {
        name: "Staffordshire Commissioner’s Office".into(),
        short_name: "the Commissioner’s Office".into(),
        area: "Staffordshire and Stoke-on-Trent".into(),
        email: "contact@commissioner.example".into(),
        telephone: "01632 960 123".into(),
        postal_address: "Staffordshire Commissioner’s Office (demonstration)\n1 Example Road\nStafford\nST16 0ZZ".into(),
        introduction: "The Staffordshire Commissioner holds Staffordshire Police and Staffordshire Fire and Rescue Service to account on behalf of everyone who lives and works in Staffordshire and Stoke-on-Trent.\n\nThe office sets the Police and Crime Plan and the Fire and Rescue Plan, funds services for victims, and works with councils, health and community groups to reduce crime and anti-social behaviour.".into(),
        is_demo: true,
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum Seeded {
    Created,
    AlreadyThere,
}

/// Creates the demo office unless an office already exists (a real one is never overwritten).
pub async fn seed(pool: &Pool, now: OffsetDateTime) -> Result<Seeded, sqlx::Error> {
    if office::load(pool).await?.is_some() {
        return Ok(Seeded::AlreadyThere);
    }
    office::save(pool, &demo_office(), now).await?;
    Ok(Seeded::Created)
}
