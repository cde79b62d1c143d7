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
        let rows = sqlx::query(
            "SELECT id, at_ms, actor, action, entity, entity_id, before_state, after_state, hash FROM audit_log \
             WHERE ($1 = '' OR actor = $1) AND ($2 = '' OR entity = $2) AND ($3 = 0 OR id < $3) \
             ORDER BY id DESC LIMIT $4",
        )
        .bind(filter.actor.clone().unwrap_or_default())
        .bind(filter.entity.clone().unwrap_or_default())
        .bind(filter.before_id.unwrap_or(0))
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
}
