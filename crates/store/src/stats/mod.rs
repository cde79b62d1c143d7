//! Enterprise microdata in the database: the current 1–N月 values of every enterprise-month and
//! every revision of them, imported all-or-nothing, and held in memory in columns for the cube.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

use plan361_core::Period;
use plan361_core::access::{Action, Actor};
use plan361_core::calendar::Date;
use plan361_core::registry::{ClusterCatalog, IndustryCodes};
use plan361_core::stats::{self, Dataset, MEASURES, Measure, Members, MicroRow, Microdata, Severity};
use serde::Serialize;
use sqlx::Row;

use crate::audit::{NewAuditEntry, append};
use crate::error::{Rejection, RowProblem};
use crate::{Backend, Result, Store, StoreError};

/// What an import of microdata did, with the warnings of rows kept.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MicroImport {
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    #[serde(skip)]
    pub warnings: Vec<RowProblem>,
}

/// A recorded version of the cluster catalog.
#[derive(Clone, Debug, Serialize)]
pub struct CatalogVersion {
    pub label: String,
    pub effective: String,
    pub reason: String,
    pub loaded_by: String,
    pub loaded_at_ms: i64,
}

/// One revision of an enterprise-month.
#[derive(Clone, Debug, Serialize)]
pub struct MicroRevision {
    pub revision: i64,
    pub values: [i64; MEASURES],
    pub file_name: String,
    pub changed_by: String,
    pub changed_at_ms: i64,
}

/// The microdata in memory with the newest revision they include.
pub(crate) struct CachedMicrodata {
    pub version: i64,
    pub micro: Arc<Microdata>,
}

/// Datasets recently asked for, by (microdata version, lists version, catalog label).
pub(crate) type DatasetCache = Vec<((i64, i64, String), Arc<Dataset>)>;

const VALUE_COLUMNS: &str = "output, revenue, profit, export_delivery, rd_expense, electricity, employees";

/// Rows per INSERT statement: a month of a city's microdata is a few dozen statements.
const BATCH_ROWS: usize = 1000;

/// `count` parameters from the `first` (1-based), comma-separated. SQLite gets anonymous `?`:
/// it treats `$1` as a name and looks each one up among all the statement's names, which grows
/// with the square of the values bound. PostgreSQL numbers them.
fn parameters(backend: Backend, first: usize, count: usize) -> String {
    let mut sql = String::with_capacity(count * 6);
    for k in 0..count {
        if k > 0 {
            sql.push_str(", ");
        }
        match backend {
            Backend::Sqlite => sql.push('?'),
            Backend::Postgres => {
                let _ = write!(sql, "${}", first + k);
            }
        }
    }
    sql
}

/// `INSERT INTO {into} VALUES (…), (…)` for `rows` rows of `per_row` bound values.
fn insert_rows(backend: Backend, into: &str, rows: usize, per_row: usize) -> String {
    let mut sql = format!("INSERT INTO {into} VALUES ");
    for row in 0..rows {
        let _ =
            write!(sql, "{}({})", if row == 0 { "" } else { ", " }, parameters(backend, row * per_row + 1, per_row));
    }
    sql
}

fn values_of(row: &sqlx::any::AnyRow) -> Result<[i64; MEASURES]> {
    let mut values = [0; MEASURES];
    for (value, measure) in values.iter_mut().zip(Measure::ALL) {
        *value = row.try_get(measure.code())?;
    }
    Ok(values)
}

impl Store {
    /// Every catalog version, oldest first.
    pub async fn catalog_versions(&self) -> Result<Vec<CatalogVersion>> {
        let rows =
            sqlx::query("SELECT label, effective, reason, loaded_by, loaded_at_ms FROM catalog_versions ORDER BY id")
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|row| {
                Ok(CatalogVersion {
                    label: row.try_get("label")?,
                    effective: row.try_get("effective")?,
                    reason: row.try_get("reason")?,
                    loaded_by: row.try_get("loaded_by")?,
                    loaded_at_ms: row.try_get("loaded_at_ms")?,
                })
            })
            .collect()
    }

    /// A catalog version by its label (the newest loaded under it).
    pub async fn catalog_version(&self, label: &str) -> Result<ClusterCatalog> {
        let content: Option<String> =
            sqlx::query_scalar("SELECT content FROM catalog_versions WHERE label = $1 ORDER BY id DESC LIMIT 1")
                .bind(label)
                .fetch_optional(&self.pool)
                .await?;
        let known = || async {
            let labels: Vec<String> = self.catalog_versions().await?.into_iter().map(|v| v.label).collect();
            Ok::<_, StoreError>(labels.join(", "))
        };
        let Some(content) = content else {
            return Err(StoreError::NotFound(format!("catalog version \"{label}\" (known: {})", known().await?)));
        };
        ClusterCatalog::parse("catalog", &content, IndustryCodes::builtin()).map_err(StoreError::Corrupt)
    }

    /// The microdata with the membership of a catalog version (by label), or of the version in
    /// force at the end of `at`: what cubes and drill-downs are computed from.
    pub async fn stats_dataset(&self, catalog: Option<&str>, at: Period) -> Result<Arc<Dataset>> {
        let catalog = match catalog {
            Some(label) => self.catalog_version(label).await?,
            None => self.catalog_at(Date::last_of(at)).await?,
        };
        let micro = self.microdata().await?;
        let key = (self.micro_version().await?, self.lists_version().await?, catalog.version.clone());
        if let Ok(cached) = self.dataset_cache.read()
            && let Some((_, dataset)) = cached.iter().find(|(k, _)| *k == key)
            && Arc::ptr_eq(&dataset.micro, &micro)
        {
            return Ok(dataset.clone());
        }
        let registry = self.registry(None).await?;
        let org_units = self.org_units().await?;
        let dataset = Arc::new(Dataset::new(micro, Members::new(&registry, &catalog, &org_units)));
        if let Ok(mut cached) = self.dataset_cache.write() {
            cached.retain(|(k, _)| k.0 == key.0 && k.1 == key.1);
            cached.truncate(3);
            cached.push((key, dataset.clone()));
        }
        Ok(dataset)
    }

    /// The newest microdata revision: changes with every import that changes a value.
    pub async fn micro_version(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM micro_revisions").fetch_one(&self.pool).await?)
    }

    /// The current microdata, in columns; read once and kept while no import changes them.
    pub async fn microdata(&self) -> Result<Arc<Microdata>> {
        let version = self.micro_version().await?;
        if let Ok(cached) = self.micro_cache.read()
            && let Some(cached) = cached.as_ref()
            && cached.version == version
        {
            return Ok(cached.micro.clone());
        }
        let rows =
            sqlx::query(sqlx::AssertSqlSafe(format!("SELECT credit_code, period, {VALUE_COLUMNS} FROM micro_values")))
                .fetch_all(&self.pool)
                .await?;
        let mut builder = stats::MicrodataBuilder::with_capacity(rows.len());
        for row in &rows {
            let code: String = row.try_get("credit_code")?;
            let period: i64 = row.try_get("period")?;
            builder.push(&code, period as i32, values_of(row)?);
        }
        let micro = Arc::new(builder.build());
        if let Ok(mut cached) = self.micro_cache.write() {
            *cached = Some(CachedMicrodata { version, micro: micro.clone() });
        }
        Ok(micro)
    }

    /// Imports microdata rows (`(row number, row)`) in one transaction: every row is checked
    /// first against the registry and the stored months, and one error rejects them all.
    /// Rows equal to what is stored change nothing; a changed value becomes a new revision.
    /// Warnings (a row of a year the enterprise is not above scale) are returned.
    pub async fn import_microdata(
        &self,
        actor: &Actor,
        file_name: &str,
        file_hash: &str,
        rows: &[(usize, MicroRow)],
    ) -> Result<MicroImport> {
        let mut tx = self.begin_write().await?;
        self.require_on(&mut tx, actor, Action::ManagePlan).await?;
        let micro = self.microdata().await?;
        let version_before = self.micro_version().await?;
        let registry = self.registry(None).await?;
        let this_month = stats::month_index(Date::in_china(self.now()).month_period());
        let mut warnings = Vec::new();
        let mut errors = Rejection::default();
        for problem in stats::check_rows(rows, &micro, &registry, this_month) {
            let row = RowProblem {
                sheet: None,
                row: problem.row,
                column: problem.column.map(str::to_string),
                reason: problem.reason,
            };
            match problem.severity {
                Severity::Error => errors.push(row),
                Severity::Warning => warnings.push(row),
            }
        }
        if errors.total > 0 {
            return Err(StoreError::Rejected(errors));
        }
        let now = self.now();
        let mut report = MicroImport { rows: rows.len(), created: 0, updated: 0, unchanged: 0, warnings };
        let (first, last) =
            rows.iter().fold((i32::MAX, i32::MIN), |(lo, hi), (_, r)| (lo.min(r.month), hi.max(r.month)));
        // What is stored for the file's enterprises and months, found through the primary key
        // (enterprise, month): a month of a city is a small part of the table.
        let mut codes: Vec<&str> = rows.iter().map(|(_, r)| r.credit_code.as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        let mut existing: HashMap<(String, i32), (i64, [i64; MEASURES])> = HashMap::new();
        for chunk in codes.chunks(BATCH_ROWS) {
            let sql = format!(
                "SELECT credit_code, period, revision, {VALUE_COLUMNS} FROM micro_values \
                 WHERE credit_code IN ({}) AND period BETWEEN {} AND {}",
                parameters(self.backend, 1, chunk.len()),
                parameters(self.backend, chunk.len() + 1, 1),
                parameters(self.backend, chunk.len() + 2, 1)
            );
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for code in chunk {
                query = query.bind(code.to_string());
            }
            let stored = query.bind(i64::from(first)).bind(i64::from(last)).fetch_all(&mut *tx).await?;
            for row in &stored {
                let period: i64 = row.try_get("period")?;
                existing
                    .insert((row.try_get("credit_code")?, period as i32), (row.try_get("revision")?, values_of(row)?));
            }
        }
        let mut inserts: Vec<&MicroRow> = Vec::new();
        let mut revisions: Vec<(&MicroRow, i64)> = Vec::new();
        for (_, row) in rows {
            match existing.get(&(row.credit_code.clone(), row.month)) {
                Some((_, values)) if *values == row.values => report.unchanged += 1,
                Some((revision, _)) => {
                    let mut query = sqlx::query(
                        "UPDATE micro_values SET output = $1, revenue = $2, profit = $3, export_delivery = $4, \
                         rd_expense = $5, electricity = $6, employees = $7, revision = $8, updated_at_ms = $9, \
                         updated_by = $10 WHERE credit_code = $11 AND period = $12",
                    );
                    for value in row.values {
                        query = query.bind(value);
                    }
                    query
                        .bind(revision + 1)
                        .bind(now)
                        .bind(&actor.username)
                        .bind(&row.credit_code)
                        .bind(i64::from(row.month))
                        .execute(&mut *tx)
                        .await?;
                    revisions.push((row, revision + 1));
                    report.updated += 1;
                }
                None => {
                    inserts.push(row);
                    revisions.push((row, 1));
                    report.created += 1;
                }
            }
        }
        for batch in inserts.chunks(BATCH_ROWS) {
            let sql = insert_rows(
                self.backend,
                &format!("micro_values (credit_code, period, {VALUE_COLUMNS}, revision, updated_at_ms, updated_by)"),
                batch.len(),
                MEASURES + 5,
            );
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for row in batch {
                query = query.bind(row.credit_code.clone()).bind(i64::from(row.month));
                for value in row.values {
                    query = query.bind(value);
                }
                query = query.bind(1i64).bind(now).bind(actor.username.clone());
            }
            query.execute(&mut *tx).await?;
        }
        for batch in revisions.chunks(BATCH_ROWS) {
            let sql = insert_rows(
                self.backend,
                &format!(
                    "micro_revisions (credit_code, period, revision, {VALUE_COLUMNS}, file_name, changed_by, changed_at_ms)"
                ),
                batch.len(),
                MEASURES + 6,
            );
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (row, revision) in batch {
                query = query.bind(row.credit_code.clone()).bind(i64::from(row.month)).bind(*revision);
                for value in row.values {
                    query = query.bind(value);
                }
                query = query.bind(file_name.to_string()).bind(actor.username.clone()).bind(now);
            }
            query.execute(&mut *tx).await?;
        }
        let import = crate::imports::Import {
            file_name,
            file_hash,
            rows: report.rows,
            changed: report.created + report.updated,
        };
        crate::imports::record(&mut tx, &import, &actor.username, now).await?;
        let after = serde_json::json!({
            "file": file_name, "sha256": file_hash, "rows": report.rows, "created": report.created,
            "updated": report.updated, "unchanged": report.unchanged, "warnings": report.warnings.len(),
        });
        append(
            &mut tx,
            now,
            NewAuditEntry {
                actor: &actor.username,
                action: "stats.import",
                entity: "microdata",
                entity_id: file_name,
                before: "",
                after: &after.to_string(),
            },
        )
        .await?;
        tx.commit().await?;
        self.refresh_microdata(&micro, version_before, &revisions).await?;
        Ok(report)
    }

    /// Brings the microdata held in memory up to date with rows just written, without reading
    /// them all again, when nothing else was written meanwhile.
    async fn refresh_microdata(
        &self,
        before: &Microdata,
        version_before: i64,
        written: &[(&MicroRow, i64)],
    ) -> Result<()> {
        if written.is_empty() {
            return Ok(());
        }
        let version = self.micro_version().await?;
        let expected = sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM micro_revisions WHERE id > $1")
            .bind(version_before)
            .fetch_one(&self.pool)
            .await?;
        let Ok(mut cached) = self.micro_cache.write() else { return Ok(()) };
        if expected as usize != written.len() {
            *cached = None;
            return Ok(());
        }
        let micro = before.with_rows(written.iter().map(|(row, _)| (row.credit_code.as_str(), row.month, row.values)));
        *cached = Some(CachedMicrodata { version, micro: Arc::new(micro) });
        Ok(())
    }

    /// Every revision of one enterprise-month, oldest first.
    pub async fn micro_history(&self, credit_code: &str, month: i32) -> Result<Vec<MicroRevision>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT revision, {VALUE_COLUMNS}, file_name, changed_by, changed_at_ms FROM micro_revisions \
             WHERE credit_code = $1 AND period = $2 ORDER BY revision"
        )))
        .bind(credit_code)
        .bind(i64::from(month))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(MicroRevision {
                    revision: row.try_get("revision")?,
                    values: values_of(row)?,
                    file_name: row.try_get("file_name")?,
                    changed_by: row.try_get("changed_by")?,
                    changed_at_ms: row.try_get("changed_at_ms")?,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests;
