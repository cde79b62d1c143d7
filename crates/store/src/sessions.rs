//! Sessions of the web application, kept in the database: they survive a restart and are
//! shared by every server process on the database. A session is known by the hash of its
//! token only. It ends after being idle too long, at an absolute age whatever its use, when its
//! user signs out, or when its user opens more than the cap allows (the oldest ends first).

use sqlx::Row;

use crate::{Result, Store};

/// How long sessions live and how many a user may hold.
#[derive(Clone, Copy, Debug)]
pub struct SessionLimits {
    pub idle_ms: i64,
    pub absolute_ms: i64,
    pub per_user: i64,
}

/// A session as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionRecord {
    pub username: String,
    /// `cookie` or `bearer`.
    pub via: String,
    pub created_at_ms: i64,
    pub seen_at_ms: i64,
    pub expires_at_ms: i64,
}

impl Store {
    /// Records a new session; removes expired sessions (of anyone) and the user's oldest ones
    /// beyond the cap.
    pub async fn open_session(&self, token_hash: &str, username: &str, via: &str, limits: SessionLimits) -> Result<()> {
        let now = self.now();
        let expires = now + limits.idle_ms.min(limits.absolute_ms);
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM sessions WHERE expires_at_ms <= $1").bind(now).execute(&mut *tx).await?;
        let kept: Vec<String> = sqlx::query_scalar(
            "SELECT token_hash FROM sessions WHERE username = $1 ORDER BY created_at_ms DESC, token_hash",
        )
        .bind(username)
        .fetch_all(&mut *tx)
        .await?;
        for old in kept.iter().skip((limits.per_user - 1).max(0) as usize) {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(old).execute(&mut *tx).await?;
        }
        sqlx::query(
            "INSERT INTO sessions (token_hash, username, via, created_at_ms, seen_at_ms, expires_at_ms) \
             VALUES ($1, $2, $3, $4, $4, $5)",
        )
        .bind(token_hash)
        .bind(username)
        .bind(via)
        .bind(now)
        .bind(expires)
        .execute(&mut *tx)
        .await?;
        tx.commit().await
    }

    /// The live session of a token hash (`None` if unknown or expired).
    pub async fn session(&self, token_hash: &str) -> Result<Option<SessionRecord>> {
        let row = sqlx::query(
            "SELECT username, via, created_at_ms, seen_at_ms, expires_at_ms FROM sessions \
             WHERE token_hash = $1 AND expires_at_ms > $2",
        )
        .bind(token_hash)
        .bind(self.now())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            Ok(SessionRecord {
                username: row.try_get("username")?,
                via: row.try_get("via")?,
                created_at_ms: row.try_get("created_at_ms")?,
                seen_at_ms: row.try_get("seen_at_ms")?,
                expires_at_ms: row.try_get("expires_at_ms")?,
            })
        })
        .transpose()
    }

    /// Records use of a session: it now expires after `idle_ms` more, but never after its
    /// absolute end. Returns the new expiry.
    pub async fn touch_session(&self, token_hash: &str, limits: SessionLimits) -> Result<Option<i64>> {
        let now = self.now();
        let mut tx = self.begin_write().await?;
        let created: Option<i64> =
            sqlx::query_scalar("SELECT created_at_ms FROM sessions WHERE token_hash = $1 AND expires_at_ms > $2")
                .bind(token_hash)
                .bind(now)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(created) = created else { return Ok(None) };
        let expires = (now + limits.idle_ms).min(created + limits.absolute_ms);
        sqlx::query("UPDATE sessions SET seen_at_ms = $1, expires_at_ms = $2 WHERE token_hash = $3")
            .bind(now)
            .bind(expires)
            .bind(token_hash)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Some(expires))
    }

    pub async fn close_session(&self, token_hash: &str) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(&mut *tx).await?;
        tx.commit().await
    }

    /// Ends every session of a user (disabled, password or role changed).
    pub async fn close_user_sessions(&self, username: &str) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM sessions WHERE username = $1").bind(username).execute(&mut *tx).await?;
        tx.commit().await
    }

    /// Removes expired sessions; returns how many.
    pub async fn prune_sessions(&self) -> Result<u64> {
        let mut tx = self.begin_write().await?;
        let removed =
            sqlx::query("DELETE FROM sessions WHERE expires_at_ms <= $1").bind(self.now()).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(removed.rows_affected())
    }

    /// How many live sessions a user holds.
    pub async fn session_count(&self, username: &str) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE username = $1 AND expires_at_ms > $2")
            .bind(username)
            .bind(self.now())
            .fetch_one(&self.pool)
            .await?)
    }
}
