//! A cheap fingerprint of everything evaluation reads, so that callers can cache results and
//! know when to drop them.

use crate::{Result, Store};

/// Changes whenever the plan, the org units, a decomposed goal, any reported value, any entry
/// of the four lists (which counted targets are derived from), the microdata or the catalog
/// changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DataVersion {
    /// Bumped by plan loads and decompositions.
    pub generation: i64,
    /// The newest revision of any observation: every write to a value adds one.
    pub last_revision: i64,
    /// The newest version of any list entry.
    pub lists: i64,
    /// The newest microdata revision and the number of catalog versions (targets derived from
    /// the cluster statistics follow both).
    pub stats: i64,
}

impl Store {
    pub async fn data_version(&self) -> Result<DataVersion> {
        let generation = self.snapshot().await?.generation;
        let last_revision: i64 =
            sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM observation_revisions").fetch_one(&self.pool).await?;
        let lists = self.lists_version().await?;
        let catalogs: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM catalog_versions").fetch_one(&self.pool).await?;
        let stats = self.micro_version().await? + catalogs;
        Ok(DataVersion { generation, last_revision, lists, stats })
    }

    /// Whether the database holds demo data (set by `plan361 demo`): pages then say it is
    /// synthetic.
    pub async fn is_demo(&self) -> Result<bool> {
        let value: Option<String> =
            sqlx::query_scalar("SELECT value FROM settings WHERE key = 'demo'").fetch_optional(&self.pool).await?;
        Ok(value.as_deref() == Some("1"))
    }

    /// Marks the database as holding synthetic demo data.
    pub async fn mark_demo(&self) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM settings WHERE key = 'demo'").execute(&mut *tx).await?;
        sqlx::query("INSERT INTO settings (key, value) VALUES ('demo', '1')").execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }
}
