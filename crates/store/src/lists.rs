//! The four lists in the database: every change to an entry is a new version with who and
//! why, so that the lists — and every count derived from them — can be rebuilt as they were
//! known at any past time.

use std::collections::HashMap;
use std::sync::Arc;

use plan361_core::access::{self, Action, Actor};
use plan361_core::calendar::Date;
use plan361_core::registry::{self, ClusterCatalog, Entity, IndustryCodes, ListKind, References, Registry};
use serde::Serialize;
use sqlx::Row;

use crate::audit::{NewAuditEntry, append};
use crate::error::{Rejection, RowProblem};
use crate::{ImportReport, Result, Store, StoreError, WriteTx};

/// One recorded version of an entry.
#[derive(Clone, Debug, Serialize)]
pub struct ListVersion {
    pub version: i64,
    pub recorded_at_ms: i64,
    pub recorded_by: String,
    pub reason: String,
    pub removed: bool,
    pub entity: Option<Entity>,
}

/// An entry to import, with where it came from.
#[derive(Clone, Debug)]
pub struct ListRow {
    pub sheet: Option<String>,
    pub row: usize,
    pub entity: Entity,
}

/// The current lists, cached with the id of the newest version they include.
pub(crate) struct CachedRegistry {
    pub newest: i64,
    pub registry: Arc<Registry>,
}

impl Store {
    /// The cluster catalog in force on `day` (the newest version effective by then; the first
    /// version before any).
    pub async fn catalog_at(&self, day: Date) -> Result<ClusterCatalog> {
        let mut conn = self.pool.acquire().await?;
        catalog_on(&mut conn, day).await
    }

    /// Records a catalog version; it applies from its `effective` date and earlier versions stay.
    pub async fn load_catalog(&self, actor: &Actor, text: &str, reason: &str) -> Result<String> {
        let catalog = ClusterCatalog::parse("catalog", text, IndustryCodes::builtin())
            .map_err(|e| StoreError::invalid("catalog", e))?;
        catalog.effective.parse::<Date>().map_err(|e| StoreError::invalid("effective", e.to_string()))?;
        let now = self.now();
        let mut tx = self.begin_write().await?;
        self.require_on(&mut tx, actor, Action::ManagePlan).await?;
        let same: Option<i64> = sqlx::query_scalar("SELECT id FROM catalog_versions WHERE content = $1")
            .bind(text)
            .fetch_optional(&mut *tx)
            .await?;
        if same.is_some() {
            return Ok(catalog.version);
        }
        // A label names one catalog: cubes, members and bulletins cite it.
        let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM catalog_versions WHERE label = $1")
            .bind(&catalog.version)
            .fetch_optional(&mut *tx)
            .await?;
        if taken.is_some() {
            return Err(StoreError::invalid(
                "version",
                format!(
                    "catalog version \"{}\" is loaded already with other content: give this one a version of its own",
                    catalog.version
                ),
            ));
        }
        sqlx::query(
            "INSERT INTO catalog_versions (label, effective, content, reason, loaded_by, loaded_at_ms) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&catalog.version)
        .bind(&catalog.effective)
        .bind(text)
        .bind(reason)
        .bind(&actor.username)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        append(
            &mut tx,
            now,
            NewAuditEntry {
                actor: &actor.username,
                action: "catalog.load",
                entity: "catalog",
                entity_id: &catalog.version,
                before: "",
                after: &serde_json::json!({"effective": catalog.effective, "reason": reason}).to_string(),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(catalog.version)
    }

    /// Checks entries against the reference tables and the permission rules: every problem
    /// by row and field, and the first refusal of permission. Changing an entry needs the right
    /// to manage it where it is now as well as where it goes, so that nobody takes over another
    /// district's entry. Runs inside the write transaction, on what it reads.
    async fn check_rows(
        &self,
        tx: &mut WriteTx,
        actor: &Actor,
        list: ListKind,
        rows: &[ListRow],
        current: &HashMap<String, (i64, Option<Entity>)>,
    ) -> Result<(Rejection, Option<access::Denied>)> {
        let snapshot = self.snapshot_on(tx).await?;
        let plan = snapshot.latest_plan()?;
        let org_units = snapshot.org_units.clone();
        let catalog = catalog_on(tx, Date::in_china(self.now())).await?;
        let industry = IndustryCodes::builtin();
        let refs = References { org_units: &org_units, industry, catalog: &catalog };
        let cx = access::Context::new(&plan, &org_units.city().name, None);
        let mut problems = Rejection::default();
        let mut denied = None;
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for row in rows {
            let problem = |column: &str, reason: String| RowProblem {
                sheet: row.sheet.clone(),
                row: row.row,
                column: Some(column.to_string()),
                reason,
            };
            if row.entity.list() != list {
                problems.push(problem(
                    "list",
                    format!("an entry of {} in a {} file", row.entity.list().code(), list.code()),
                ));
                continue;
            }
            for (field, reason) in registry::check(&row.entity, &refs) {
                problems.push(problem(field, reason));
            }
            let now_in = current.get(row.entity.key()).and_then(|(_, e)| e.as_ref()).map(Entity::district);
            for district in std::iter::once(row.entity.district()).chain(now_in) {
                if let Err(refused) = access::check(actor, Action::ManageList { district }, &cx) {
                    problems.push(problem("district", format!("not permitted: {refused}")));
                    denied.get_or_insert(refused);
                    break;
                }
            }
            if let Some(first) = seen.insert(row.entity.key(), row.row) {
                problems.push(RowProblem {
                    sheet: row.sheet.clone(),
                    row: row.row,
                    column: None,
                    reason: format!("duplicate of row {first} ({})", row.entity.key()),
                });
            }
        }
        Ok((problems, denied))
    }

    /// Adds or changes an entry (a new version; unchanged entries record nothing). Returns
    /// the version now current. Refused as `Forbidden` when the actor may not manage the entry
    /// (where it is or where it goes), as `Rejected` with one problem per field (`reason`
    /// included) when it breaks the rules.
    /// `based_on` is the version the change was made from (an edit form's, or the version an
    /// action read): when another change came in since, the save is refused as a conflict
    /// rather than undoing it.
    pub async fn save_entry(&self, actor: &Actor, entity: &Entity, reason: &str, based_on: Option<i64>) -> Result<i64> {
        let list = entity.list();
        if reason.trim().is_empty() {
            return Err(StoreError::Rejected(Rejection::one(RowProblem {
                sheet: None,
                row: 1,
                column: Some("reason".into()),
                reason: "changes to the lists are recorded with a reason".into(),
            })));
        }
        let rows = [ListRow { sheet: None, row: 1, entity: entity.clone() }];
        self.write_entries(actor, list, &rows, reason, based_on, true).await?;
        self.entry_version(list, entity.key()).await
    }

    async fn entry_version(&self, list: ListKind, key: &str) -> Result<i64> {
        let version: Option<i64> =
            sqlx::query_scalar("SELECT MAX(version) FROM list_versions WHERE list = $1 AND entity_key = $2")
                .bind(list.code())
                .bind(key)
                .fetch_one(&self.pool)
                .await?;
        version.ok_or_else(|| StoreError::NotFound(format!("{} entry {key}", list.code())))
    }

    /// Removes an entry from its list (a final version marked removed; its history stays).
    /// `based_on`, when given, is the version the removal was decided on: a change made since is
    /// a conflict.
    pub async fn remove_entry(
        &self,
        actor: &Actor,
        list: ListKind,
        key: &str,
        reason: &str,
        based_on: Option<i64>,
    ) -> Result<()> {
        if reason.trim().is_empty() {
            return Err(StoreError::invalid("reason", "removing an entry needs a reason"));
        }
        let now = self.now();
        let mut tx = self.begin_write().await?;
        self.backend.lock_table(&mut tx, crate::LockedTable::ListVersions).await?;
        let (version, current) = match latest_on(&mut tx, list, key).await? {
            Some((version, Some(entity))) => (version, entity),
            _ => return Err(StoreError::NotFound(format!("{} entry {key}", list.code()))),
        };
        let snapshot = self.snapshot_on(&mut tx).await?;
        let plan = snapshot.latest_plan()?;
        {
            let cx = access::Context::new(&plan, &snapshot.org_units.city().name, None);
            access::check(actor, Action::ManageList { district: current.district() }, &cx)?;
        }
        if let Some(given) = based_on
            && given != version
        {
            return Err(StoreError::EntryConflict {
                list: list.code().into(),
                key: key.into(),
                current_version: version,
                given_version: given,
            });
        }
        let before = serde_json::to_string(&current).map_err(|e| StoreError::corrupt(format!("entry {key}: {e}")))?;
        sqlx::query(
            "INSERT INTO list_versions (list, entity_key, version, name, district, data, removed, recorded_at_ms, \
             recorded_by, reason) VALUES ($1, $2, $3, $4, $5, '', 1, $6, $7, $8)",
        )
        .bind(list.code())
        .bind(key)
        .bind(version + 1)
        .bind(current.name())
        .bind(current.district())
        .bind(now)
        .bind(&actor.username)
        .bind(reason)
        .execute(&mut *tx)
        .await?;
        append(
            &mut tx,
            now,
            NewAuditEntry {
                actor: &actor.username,
                action: "list.remove",
                entity: list.code(),
                entity_id: key,
                before: &before,
                after: reason,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Imports entries of one list in one transaction: every row is checked (fields, reference
    /// tables, permission) and one bad row rejects the file; unchanged entries record nothing.
    pub async fn import_list(
        &self,
        actor: &Actor,
        list: ListKind,
        rows: &[ListRow],
        reason: &str,
    ) -> Result<ImportReport> {
        self.write_entries(actor, list, rows, reason, None, false).await
    }

    /// Writes entries: everything that decides the write (the entries as they are, the rules,
    /// the permission, the versions) is read inside the write transaction. `single`: one entry
    /// saved by a person, for whom a refusal of permission is `Forbidden` rather than a row
    /// problem.
    async fn write_entries(
        &self,
        actor: &Actor,
        list: ListKind,
        rows: &[ListRow],
        reason: &str,
        based_on: Option<i64>,
        single: bool,
    ) -> Result<ImportReport> {
        if reason.trim().is_empty() {
            return Err(StoreError::invalid("reason", "changes to the lists are recorded with a reason"));
        }
        let now = self.now();
        let mut report = ImportReport { rows: rows.len(), created: 0, updated: 0, unchanged: 0 };
        let mut tx = self.begin_write().await?;
        self.backend.lock_table(&mut tx, crate::LockedTable::ListVersions).await?;
        // A few entries are read one by one; a whole file's worth, the whole list at once.
        let current = if rows.len() <= 200 {
            let mut current = HashMap::new();
            for row in rows {
                if let Some(latest) = latest_on(&mut tx, list, row.entity.key()).await? {
                    current.insert(row.entity.key().to_string(), latest);
                }
            }
            current
        } else {
            current_entries_on(&mut tx, list).await?
        };
        let (problems, denied) = self.check_rows(&mut tx, actor, list, rows, &current).await?;
        if single && let Some(denied) = denied {
            return Err(denied.into());
        }
        if !problems.is_empty() {
            return Err(StoreError::Rejected(problems));
        }
        for row in rows {
            let key = row.entity.key();
            let stored_version = current.get(key).map_or(0, |(version, _)| *version);
            if let Some(expected) = based_on
                && expected != stored_version
            {
                return Err(StoreError::EntryConflict {
                    list: list.code().into(),
                    key: key.into(),
                    current_version: stored_version,
                    given_version: expected,
                });
            }
            let (version, before) = match current.get(key) {
                Some((_, Some(existing))) if *existing == row.entity => {
                    report.unchanged += 1;
                    continue;
                }
                Some((version, existing)) => {
                    report.updated += 1;
                    let before = match existing {
                        Some(e) => {
                            serde_json::to_string(e).map_err(|e| StoreError::corrupt(format!("entry {key}: {e}")))?
                        }
                        None => String::new(),
                    };
                    (version + 1, before)
                }
                None => {
                    report.created += 1;
                    (1, String::new())
                }
            };
            let data = serde_json::to_string(&row.entity).map_err(|e| StoreError::corrupt(e.to_string()))?;
            sqlx::query(
                "INSERT INTO list_versions (list, entity_key, version, name, district, data, removed, recorded_at_ms, \
                 recorded_by, reason) VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8, $9)",
            )
            .bind(list.code())
            .bind(key)
            .bind(version)
            .bind(row.entity.name())
            .bind(row.entity.district())
            .bind(&data)
            .bind(now)
            .bind(&actor.username)
            .bind(reason)
            .execute(&mut *tx)
            .await?;
            if rows.len() == 1 {
                append(
                    &mut tx,
                    now,
                    NewAuditEntry {
                        actor: &actor.username,
                        action: if version == 1 { "list.add" } else { "list.change" },
                        entity: list.code(),
                        entity_id: key,
                        before: &before,
                        after: &data,
                    },
                )
                .await?;
            }
        }
        if rows.len() > 1 {
            let after = serde_json::json!({
                "list": list.code(), "reason": reason, "rows": report.rows,
                "created": report.created, "updated": report.updated, "unchanged": report.unchanged,
            });
            append(
                &mut tx,
                now,
                NewAuditEntry {
                    actor: &actor.username,
                    action: "list.import",
                    entity: list.code(),
                    entity_id: "",
                    before: "",
                    after: &after.to_string(),
                },
            )
            .await?;
        }
        tx.commit().await?;
        Ok(report)
    }

    /// An entry as it is now (`None` if it was removed or never existed).
    pub async fn entry(&self, list: ListKind, key: &str) -> Result<Option<Entity>> {
        Ok(self.entry_versioned(list, key).await?.map(|(_, entity)| entity))
    }

    /// An entry as it is now with its version, for a change based on it (see
    /// [`Store::save_entry`]).
    pub async fn entry_versioned(&self, list: ListKind, key: &str) -> Result<Option<(i64, Entity)>> {
        let row = sqlx::query(
            "SELECT version, data, removed FROM list_versions WHERE list = $1 AND entity_key = $2 \
             ORDER BY version DESC LIMIT 1",
        )
        .bind(list.code())
        .bind(key)
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some(row) if row.try_get::<i64, _>("removed")? == 0 => {
                Ok(Some((row.try_get("version")?, parse_entity(list, &row.try_get::<String, _>("data")?)?)))
            }
            _ => Ok(None),
        }
    }

    /// Every version of an entry, oldest first.
    pub async fn entry_history(&self, list: ListKind, key: &str) -> Result<Vec<ListVersion>> {
        let rows = sqlx::query(
            "SELECT version, recorded_at_ms, recorded_by, reason, removed, data FROM list_versions \
             WHERE list = $1 AND entity_key = $2 ORDER BY version",
        )
        .bind(list.code())
        .bind(key)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let removed = row.try_get::<i64, _>("removed")? != 0;
                let data: String = row.try_get("data")?;
                Ok(ListVersion {
                    version: row.try_get("version")?,
                    recorded_at_ms: row.try_get("recorded_at_ms")?,
                    recorded_by: row.try_get("recorded_by")?,
                    reason: row.try_get("reason")?,
                    removed,
                    entity: if removed { None } else { Some(parse_entity(list, &data)?) },
                })
            })
            .collect()
    }

    /// The four lists as they were known at `known_at_ms` (epoch milliseconds), or now.
    /// Counts computed from `registry(Some(t))` are reproducible after any later edit.
    pub async fn registry(&self, known_at_ms: Option<i64>) -> Result<Arc<Registry>> {
        let newest: i64 =
            sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM list_versions").fetch_one(&self.pool).await?;
        if known_at_ms.is_none()
            && let Ok(cached) = self.registry_cache.read()
            && let Some(cached) = cached.as_ref()
            && cached.newest == newest
        {
            return Ok(cached.registry.clone());
        }
        let rows = sqlx::query(
            "SELECT list, entity_key, version, data, removed FROM list_versions WHERE recorded_at_ms <= $1 \
             ORDER BY list, entity_key, version",
        )
        .bind(known_at_ms.unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        let mut latest: HashMap<(String, String), (String, String, bool)> = HashMap::new();
        for row in rows {
            let list: String = row.try_get("list")?;
            let key: String = row.try_get("entity_key")?;
            let removed = row.try_get::<i64, _>("removed")? != 0;
            latest.insert((list.clone(), key), (list, row.try_get("data")?, removed));
        }
        let mut registry = Registry::default();
        let mut keys: Vec<&(String, String)> = latest.keys().collect();
        keys.sort();
        for key in keys {
            let (list, data, removed) = &latest[key];
            if *removed {
                continue;
            }
            let list =
                ListKind::from_code(list).ok_or_else(|| StoreError::corrupt(format!("stored list \"{list}\"")))?;
            registry.push(parse_entity(list, data)?);
        }
        let registry = Arc::new(registry);
        if known_at_ms.is_none()
            && let Ok(mut cached) = self.registry_cache.write()
        {
            *cached = Some(CachedRegistry { newest, registry: registry.clone() });
        }
        Ok(registry)
    }

    /// The newest list version's id: changes whenever any entry changes.
    pub async fn lists_version(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM list_versions").fetch_one(&self.pool).await?)
    }
}

/// The current version of every entry of a list, removed ones as `None`.
async fn current_entries_on(
    conn: &mut sqlx::AnyConnection,
    list: ListKind,
) -> Result<HashMap<String, (i64, Option<Entity>)>> {
    let rows =
        sqlx::query("SELECT entity_key, version, data, removed FROM list_versions WHERE list = $1 ORDER BY version")
            .bind(list.code())
            .fetch_all(conn)
            .await?;
    let mut current = HashMap::new();
    for row in rows {
        let key: String = row.try_get("entity_key")?;
        let version: i64 = row.try_get("version")?;
        let removed: i64 = row.try_get("removed")?;
        let entity = if removed != 0 { None } else { Some(parse_entity(list, &row.try_get::<String, _>("data")?)?) };
        current.insert(key, (version, entity));
    }
    Ok(current)
}

/// The latest version of one entry (`None` inside for a removed one), if it ever existed.
async fn latest_on(conn: &mut sqlx::AnyConnection, list: ListKind, key: &str) -> Result<Option<(i64, Option<Entity>)>> {
    let row = sqlx::query(
        "SELECT version, data, removed FROM list_versions WHERE list = $1 AND entity_key = $2          ORDER BY version DESC LIMIT 1",
    )
    .bind(list.code())
    .bind(key)
    .fetch_optional(conn)
    .await?;
    match row {
        None => Ok(None),
        Some(row) => {
            let version: i64 = row.try_get("version")?;
            if row.try_get::<i64, _>("removed")? != 0 {
                Ok(Some((version, None)))
            } else {
                Ok(Some((version, Some(parse_entity(list, &row.try_get::<String, _>("data")?)?))))
            }
        }
    }
}

/// The cluster catalog in force on `day`, as `conn` reads it.
async fn catalog_on(conn: &mut sqlx::AnyConnection, day: Date) -> Result<ClusterCatalog> {
    let rows = sqlx::query("SELECT effective, content FROM catalog_versions ORDER BY id").fetch_all(conn).await?;
    let mut chosen: Option<String> = None;
    for row in &rows {
        let effective: String = row.try_get("effective")?;
        let content: String = row.try_get("content")?;
        if chosen.is_none() || effective.parse::<Date>().is_ok_and(|e| e <= day) {
            chosen = Some(content);
        }
    }
    let content =
        chosen.ok_or_else(|| StoreError::NotFound("a cluster catalog: load one with `plan361 catalog load`".into()))?;
    ClusterCatalog::parse("catalog", &content, IndustryCodes::builtin()).map_err(StoreError::corrupt)
}

fn parse_entity(list: ListKind, data: &str) -> Result<Entity> {
    Entity::from_json(list, data).map_err(|e| StoreError::corrupt(format!("stored entry: {e}")))
}
