//! The named people at each partner organisation whom the office writes to: the agency contact
//! asked for information on an ASB case review, a provider's contract manager. A contact is a
//! name and an email address, not an account: they answer through the secure link in the email
//! they are sent. Administrators add and remove contacts on the organisation's page; every change
//! is audited, and a removed contact stays on the requests already sent to them.

use sqlx::AnyConnection;
use time::OffsetDateTime;

use crate::audit::{self, Actor, Event};
use crate::db::{self, Pool};
use crate::web::forms::FormErrors;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Contact {
    pub id: String,
    pub organisation_id: String,
    /// The organisation's name now, for display.
    pub organisation: String,
    pub name: String,
    pub email: String,
    pub job_title: Option<String>,
}

impl Contact {
    /// "Sam Patel, ASB coordinator (Northshire Housing)", as a choice in a list.
    pub fn described(&self) -> String {
        match &self.job_title {
            Some(title) => format!("{}, {title} ({})", self.name, self.organisation),
            None => format!("{} ({})", self.name, self.organisation),
        }
    }
}

const SELECT: &str = "SELECT c.id, c.organisation_id, o.name AS organisation, c.name, c.email, c.job_title \
     FROM platform_organisation_contact c JOIN platform_organisation o ON o.id = c.organisation_id \
     WHERE c.removed_at IS NULL";

/// Every current contact, by organisation and then name.
pub async fn all(pool: &Pool) -> Result<Vec<Contact>, sqlx::Error> {
    let sql = format!("{SELECT} ORDER BY o.name, c.name, c.id");
    sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(pool).await
}

/// One organisation's current contacts, by name.
pub async fn of(pool: &Pool, organisation_id: &str) -> Result<Vec<Contact>, sqlx::Error> {
    let sql = format!("{SELECT} AND c.organisation_id = $1 ORDER BY c.name, c.id");
    sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(organisation_id).fetch_all(pool).await
}

/// A current contact by id.
pub async fn find(pool: &Pool, id: &str) -> Result<Option<Contact>, sqlx::Error> {
    let sql = format!("{SELECT} AND c.id = $1");
    sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(pool).await
}

/// A contact to add, as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct NewContact {
    #[serde(rename = "contact-name")]
    pub name: String,
    #[serde(rename = "contact-email")]
    pub email: String,
    #[serde(rename = "job-title")]
    pub job_title: String,
}

impl NewContact {
    /// What is wrong with it, field by field.
    pub fn problems(&self) -> FormErrors {
        let mut errors = FormErrors::new();
        let (name, email, title) = (self.name.trim(), self.email.trim(), self.job_title.trim());
        if name.is_empty() {
            errors.add("contact-name", "Enter the contact’s name");
        } else if name.chars().count() > 200 {
            errors.add("contact-name", "The name must be 200 characters or fewer");
        }
        if email.is_empty() {
            errors.add("contact-email", "Enter the contact’s email address");
        } else if !crate::contact::is_email(email) {
            errors.add("contact-email", "Enter an email address in the correct format, like name@example.com");
        }
        if title.chars().count() > 200 {
            errors.add("job-title", "The job title must be 200 characters or fewer");
        }
        errors
    }
}

/// Adds a checked contact to an organisation, audited; returns its id.
pub async fn add(
    conn: &mut AnyConnection,
    organisation_id: &str,
    new: &NewContact,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<String, sqlx::Error> {
    let id = crate::ids::new_id();
    let title = Some(new.job_title.trim()).filter(|t| !t.is_empty());
    sqlx::query(
        "INSERT INTO platform_organisation_contact (id, organisation_id, name, email, job_title, added_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(organisation_id)
    .bind(new.name.trim())
    .bind(new.email.trim())
    .bind(title)
    .bind(db::timestamp(now))
    .execute(&mut *conn)
    .await?;
    let detail = format!("{} <{}>", new.name.trim(), new.email.trim());
    let event = Event { action: "added contact", record_type: "organisation", record_id: organisation_id, detail: &detail };
    audit::record(conn, actor, event, now).await?;
    Ok(id)
}

/// Removes a contact from the organisation's list, audited; false when there was no such
/// current contact.
pub async fn remove(
    conn: &mut AnyConnection,
    organisation_id: &str,
    contact_id: &str,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let name: Option<String> = sqlx::query_scalar(
        "UPDATE platform_organisation_contact SET removed_at = $1 \
         WHERE id = $2 AND organisation_id = $3 AND removed_at IS NULL RETURNING name",
    )
    .bind(db::timestamp(now))
    .bind(contact_id)
    .bind(organisation_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(name) = name else { return Ok(false) };
    let event = Event { action: "removed contact", record_type: "organisation", record_id: organisation_id, detail: &name };
    audit::record(conn, actor, event, now).await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(name: &str, email: &str, title: &str) -> NewContact {
        NewContact { name: name.into(), email: email.into(), job_title: title.into() }
    }

    #[test]
    fn a_contact_needs_a_name_and_a_working_email_address() {
        let cases = [
            (contact("Sam Patel", "sam@housing.example", ""), vec![]),
            (contact(" ", "sam@housing.example", ""), vec!["contact-name"]),
            (contact("Sam", "", ""), vec!["contact-email"]),
            (contact("Sam", "sam at housing", ""), vec!["contact-email"]),
            (contact("Sam", "sam@housing.example", &"x".repeat(201)), vec!["job-title"]),
        ];
        for (new, fields) in cases {
            let problems = new.problems();
            let found: Vec<&str> = fields.iter().copied().filter(|f| problems.for_field(f).is_some()).collect();
            assert_eq!(found, fields, "{new:?}");
            assert_eq!(problems.is_empty(), fields.is_empty(), "{new:?}");
        }
    }

    #[test]
    fn a_contact_is_described_with_their_organisation() {
        let mut c = Contact {
            id: "1".into(),
            organisation_id: "o".into(),
            organisation: "Northshire Housing".into(),
            name: "Sam Patel".into(),
            email: "sam@housing.example".into(),
            job_title: Some("ASB coordinator".into()),
        };
        assert_eq!(c.described(), "Sam Patel, ASB coordinator (Northshire Housing)");
        c.job_title = None;
        assert_eq!(c.described(), "Sam Patel (Northshire Housing)");
    }
}
