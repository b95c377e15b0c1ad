//! The office this installation serves: its name and how the public reach it.

use time::OffsetDateTime;

use crate::db::{self, Pool};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Office {
    pub name: String,
    pub short_name: String,
    /// The police force area, e.g. "Staffordshire".
    pub area: String,
    pub email: String,
    pub telephone: String,
    pub postal_address: String,
    /// A paragraph for the home page on what the office does.
    pub introduction: String,
    pub is_demo: bool,
}

impl Office {
    /// What pages show before an office has been set up, or while the database is away.
    pub fn unconfigured() -> Self {
        Self {
            name: "Police, Fire and Crime Commissioner".into(),
            short_name: "the Commissioner".into(),
            area: String::new(),
            email: String::new(),
            telephone: String::new(),
            postal_address: String::new(),
            introduction: String::new(),
            is_demo: false,
        }
    }
}

/// Reads the office; `None` before one has been set up.
pub async fn load(pool: &Pool) -> Result<Option<Office>, sqlx::Error> {
    type Row = (String, String, String, String, String, String, String, i64);
    let row: Option<Row> = sqlx::query_as(
        "SELECT name, short_name, area, email, telephone, postal_address, introduction, is_demo \
         FROM platform_office WHERE id = 1",
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(name, short_name, area, email, telephone, postal_address, introduction, is_demo)| Office {
        name,
        short_name,
        area,
        email,
        telephone,
        postal_address,
        introduction,
        is_demo: is_demo != 0,
    }))
}

/// Creates or replaces the office.
pub async fn save(pool: &Pool, office: &Office, now: OffsetDateTime) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO platform_office (id, name, short_name, area, email, telephone, postal_address, introduction, is_demo, updated_at) \
         VALUES (1, $1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (id) DO UPDATE SET name = $1, short_name = $2, area = $3, email = $4, telephone = $5, \
         postal_address = $6, introduction = $7, is_demo = $8, updated_at = $9",
    )
    .bind(&office.name)
    .bind(&office.short_name)
    .bind(&office.area)
    .bind(&office.email)
    .bind(&office.telephone)
    .bind(&office.postal_address)
    .bind(&office.introduction)
    .bind(i64::from(office.is_demo))
    .bind(db::timestamp(now))
    .execute(pool)
    .await?;
    Ok(())
}
