//! The audit log: append-only, every entry hashing its content together with the previous
//! entry's hash, so that changing or removing any entry breaks the chain from there on.

use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::{Result, Store, StoreError, WriteTx};

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at_ms: i64,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: String,
    pub after: String,
    pub hash: String,
}

/// Where the chain stops verifying.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainBreak {
    pub id: i64,
    pub reason: String,
}

#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub entity: Option<String>,
    pub limit: i64,
    /// Entries with ids below this one (paging backwards from the newest).
    pub before_id: Option<i64>,
    /// One action code (`observation.submit`).
    pub action: Option<String>,
    /// Entries by the users of this org unit.
    pub unit: Option<String>,
    /// Entries about this target: its values, its decomposition, its warnings.
    pub target: Option<String>,
    /// From this instant on, before that one (epoch ms).
    pub from_ms: Option<i64>,
    pub until_ms: Option<i64>,
    /// Leaves sign-ins out (they are counted apart).
    pub without_sign_ins: bool,
}

/// What an entry records, before it is chained.
pub struct NewAuditEntry<'a> {
    pub actor: &'a str,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: &'a str,
    pub before: &'a str,
    pub after: &'a str,
}

fn chain_hash(prev_hash: &str, at_ms: i64, r: &NewAuditEntry) -> String {
    // A JSON array is an unambiguous encoding of the fields (no separator can be forged).
    let content = serde_json::json!([prev_hash, at_ms, r.actor, r.action, r.entity, r.entity_id, r.before, r.after]);
    let digest = Sha256::digest(content.to_string().as_bytes());
    hex::encode(digest)
}

/// Appends an entry inside the caller's transaction, so the entry exists if and only if the
/// change it describes does.
pub(crate) async fn append(tx: &mut WriteTx, at_ms: i64, record: NewAuditEntry<'_>) -> Result<i64> {
    // Touching the head first locks it (PostgreSQL row lock; SQLite already holds the write
    // lock), so concurrent appenders see each other's hashes.
    sqlx::query("UPDATE audit_head SET last_id = last_id WHERE id = 1").execute(&mut **tx).await?;
    let head = sqlx::query("SELECT last_hash FROM audit_head WHERE id = 1").fetch_one(&mut **tx).await?;
    let prev_hash: String = head.try_get("last_hash")?;
    let hash = chain_hash(&prev_hash, at_ms, &record);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO audit_log (at_ms, actor, action, entity, entity_id, before_state, after_state, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(at_ms)
    .bind(record.actor)
    .bind(record.action)
    .bind(record.entity)
    .bind(record.entity_id)
    .bind(record.before)
    .bind(record.after)
    .bind(&prev_hash)
    .bind(&hash)
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query("UPDATE audit_head SET last_id = $1, last_hash = $2 WHERE id = 1")
        .bind(id)
        .bind(&hash)
        .execute(&mut **tx)
        .await?;
    Ok(id)
}

impl Store {
    /// Appends one entry in a transaction of its own (events with no other write, such as a
    /// login).
    pub async fn audit(&self, record: NewAuditEntry<'_>) -> Result<()> {
        let mut tx = self.begin_write().await?;
        append(&mut tx, self.now(), record).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Recomputes the whole chain. Returns the number of entries, or where it breaks.
    pub async fn verify_audit(&self) -> Result<i64> {
        let rows = sqlx::query(
            "SELECT id, at_ms, actor, action, entity, entity_id, before_state, after_state, prev_hash, hash \
             FROM audit_log ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut previous = String::new();
        let mut count = 0;
        for row in rows {
            let id: i64 = row.try_get("id")?;
            let stored_prev: String = row.try_get("prev_hash")?;
            let stored: String = row.try_get("hash")?;
            let (actor, action, entity, entity_id, before, after): (String, String, String, String, String, String) = (
                row.try_get("actor")?,
                row.try_get("action")?,
                row.try_get("entity")?,
                row.try_get("entity_id")?,
                row.try_get("before_state")?,
                row.try_get("after_state")?,
            );
            let record = NewAuditEntry {
                actor: &actor,
                action: &action,
                entity: &entity,
                entity_id: &entity_id,
                before: &before,
                after: &after,
            };
            let broken = |reason: &str| StoreError::AuditBroken(ChainBreak { id, reason: reason.to_string() });
            if stored_prev != previous {
                return Err(broken("it does not follow the entry before it (an entry was removed or reordered)"));
            }
            if chain_hash(&previous, row.try_get("at_ms")?, &record) != stored {
                return Err(broken("its content does not match its hash (the entry was altered)"));
            }
            previous = stored;
            count += 1;
        }
        let head: String =
            sqlx::query_scalar("SELECT last_hash FROM audit_head WHERE id = 1").fetch_one(&self.pool).await?;
        if head != previous {
            return Err(StoreError::AuditBroken(ChainBreak {
                id: count + 1,
                reason: "the newest entries are missing (the chain ends before its recorded head)".into(),
            }));
        }
        Ok(count)
    }

    pub async fn audit_entries(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>> {
        let limit = if filter.limit <= 0 { 100 } else { filter.limit.min(1000) };
        let sql = format!(
            "SELECT id, at_ms, actor, action, entity, entity_id, before_state, after_state, hash FROM audit_log \
             WHERE {FILTERED} AND ($10 = 0 OR id < $10) AND ($11 = 0 OR action <> 'login') ORDER BY id DESC LIMIT $12"
        );
        let rows = bind_filter(sqlx::query(sqlx::AssertSqlSafe(sql)), filter)
            .bind(filter.before_id.unwrap_or(0))
            .bind(i64::from(filter.without_sign_ins))
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter()
            .map(|row| {
                Ok(AuditEntry {
                    id: row.try_get("id")?,
                    at_ms: row.try_get("at_ms")?,
                    actor: row.try_get("actor")?,
                    action: row.try_get("action")?,
                    entity: row.try_get("entity")?,
                    entity_id: row.try_get("entity_id")?,
                    before: row.try_get("before_state")?,
                    after: row.try_get("after_state")?,
                    hash: row.try_get("hash")?,
                })
            })
            .collect()
    }

    /// The sign-ins among the entries `filter` selects (whatever its action), counted apart.
    pub async fn audit_sign_ins(&self, filter: &AuditFilter) -> Result<i64> {
        let sql = format!("SELECT COUNT(*) FROM audit_log WHERE {FILTERED} AND action = 'login'");
        let row = bind_filter(sqlx::query(sqlx::AssertSqlSafe(sql)), &AuditFilter { action: None, ..filter.clone() })
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get(0)?)
    }
}

/// The conditions of a filter, parameters $1–$9 (bound by [`bind_filter`]).
const FILTERED: &str = "($1 = '' OR actor = $1) AND ($2 = '' OR entity = $2) AND ($3 = '' OR action = $3) \
     AND ($4 = '' OR actor IN (SELECT username FROM users WHERE org_unit = $4)) \
     AND ($5 = '' OR entity_id = $5 OR entity_id LIKE $6 OR after_state LIKE $7 OR before_state LIKE $7) \
     AND at_ms >= $8 AND at_ms < $9";

fn bind_filter<'q>(
    query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    filter: &AuditFilter,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    let target = filter.target.clone().unwrap_or_default();
    // A target's entries: its decomposition (`2.3.2:北仑区`), warnings and values name it.
    let (prefix, quoted) = if target.is_empty() {
        (String::new(), String::new())
    } else {
        let escaped = target.replace(['%', '_'], "");
        (format!("{escaped}:%"), format!("%\"target\":\"{escaped}\"%"))
    };
    query
        .bind(filter.actor.clone().unwrap_or_default())
        .bind(filter.entity.clone().unwrap_or_default())
        .bind(filter.action.clone().unwrap_or_default())
        .bind(filter.unit.clone().unwrap_or_default())
        .bind(target)
        .bind(prefix)
        .bind(quoted)
        .bind(filter.from_ms.unwrap_or(i64::MIN))
        .bind(filter.until_ms.unwrap_or(i64::MAX))
}
