//! How a service removes one case's personal details when its retention period ends, said as
//! data: the case's own row, its other rows, its letters and its files. Each case is done in one
//! transaction with its audit entry, so a failure part-way leaves no case half removed.

use platform::audit::{self, Actor, Event};
use platform::db::{self, Pool};
use time::OffsetDateTime;

/// What replaces a removed name or text, so a page still reads.
pub const REMOVED: &str = "Removed";

#[derive(Debug, Clone, Copy)]
pub struct Anonymise {
    /// As the audit log names the case: "complaint review".
    pub record_type: &'static str,
    /// The case's own table; its `anonymised_at` is set with the columns in `set`.
    pub table: &'static str,
    /// The columns cleared, as SQL assignments; `$1` is [`REMOVED`].
    pub set: &'static str,
    /// Statements on the case's other rows: `$1` is [`REMOVED`], `$2` the case's id.
    pub related: &'static [&'static str],
    /// Statements that take only the case's id as `$1`: deletions, emptied drafts.
    pub by_id: &'static [&'static str],
    /// The case type its letters and notes are filed under, blanked (letters) and deleted (notes)
    /// with the case.
    pub letters: Option<&'static str>,
    /// The owner types of its files, forgotten with the case.
    pub files: &'static [&'static str],
}

impl Anonymise {
    /// Anonymises each `(id, reference)`; returns how many.
    pub async fn each(&self, pool: &Pool, cases: &[(String, String)], now: OffsetDateTime) -> Result<usize, sqlx::Error> {
        let actor = Actor::system("retention period");
        for (id, reference) in cases {
            self.one(pool, &actor, id, reference, now).await?;
        }
        Ok(cases.len())
    }

    async fn one(&self, pool: &Pool, actor: &Actor, id: &str, reference: &str, now: OffsetDateTime) -> Result<(), sqlx::Error> {
        let mut tx = db::begin_write(pool).await?;
        let own = format!("UPDATE {} SET {}, anonymised_at = $2 WHERE id = $3", self.table, self.set);
        sqlx::query(sqlx::AssertSqlSafe(own)).bind(REMOVED).bind(db::timestamp(now)).bind(id).execute(&mut *tx).await?;
        for sql in self.related {
            sqlx::query(sqlx::AssertSqlSafe(*sql)).bind(REMOVED).bind(id).execute(&mut *tx).await?;
        }
        for sql in self.by_id {
            sqlx::query(sqlx::AssertSqlSafe(*sql)).bind(id).execute(&mut *tx).await?;
        }
        if let Some(case_type) = self.letters {
            crate::letters::forget_letters(&mut tx, case_type, id).await?;
            crate::notes::forget(&mut tx, case_type, id).await?;
        }
        let mut forgotten = 0;
        for owner in self.files {
            forgotten += platform::files::forget_all(&mut tx, owner, id).await?;
        }
        let detail = format!("personal details removed; {forgotten} files forgotten");
        let event = Event { action: "anonymised", record_type: self.record_type, record_id: reference, detail: &detail };
        audit::record(&mut tx, actor, event, now).await?;
        tx.commit().await
    }
}
