//! Storage: one code path for SQLite (the default, one file) and PostgreSQL, through sqlx's
//! `Any` driver. Backend differences live in [`Backend`] and in the migration tokens; every
//! other query is portable SQL.
//!
//! Every write runs in one transaction together with its audit entry, after the permission
//! rules of `plan361_core::access` have been asked.

mod audit;
mod error;
mod lists;
mod observations;
mod org;
mod plans;
mod schema;
mod stats;
mod users;
mod version;
mod warnings;
mod windows;

use std::path::Path;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use plan361_core::access::Actor;
use plan361_core::org::OrgUnits;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{Any, AnyPool, Executor, Transaction};

pub use audit::{AuditEntry, AuditFilter, ChainBreak, Record as AuditRecord};
pub use error::{RowProblem, StoreError};
pub use lists::{ListRow, ListVersion};
pub use observations::{
    Draft, EvalInput, ImportReport, ImportRow, Observation, ObservationFilter, ReviewDecision, Revision, State,
};
pub use plans::{PlanLoad, PlanVersionInfo};
pub use stats::{CatalogVersion, MicroImport, MicroRevision};
pub use users::{NewUser, User, generate_password};
pub use version::DataVersion;
pub use warnings::{ScanReport, Warning, WarningFilter, WarningStep};
pub use windows::{Overdue, OverdueReport, UnitRecord, Window, Windows};

pub type Result<T> = std::result::Result<T, StoreError>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The statement that opens a write transaction. SQLite takes its write lock at once, so
    /// two writers queue instead of failing halfway through.
    fn begin_write(self) -> &'static str {
        match self {
            Backend::Sqlite => "BEGIN IMMEDIATE",
            Backend::Postgres => "BEGIN",
        }
    }

    /// Keeps other writers out of a table until the transaction ends, so that what the
    /// transaction read of it stays true. SQLite's write transaction already does.
    async fn lock_table(self, tx: &mut Transaction<'static, Any>, table: LockedTable) -> Result<()> {
        if self == Backend::Postgres {
            let statement = match table {
                LockedTable::Observations => "LOCK TABLE observations IN SHARE ROW EXCLUSIVE MODE",
                LockedTable::ListVersions => "LOCK TABLE list_versions IN SHARE ROW EXCLUSIVE MODE",
            };
            sqlx::query(statement).execute(&mut **tx).await?;
        }
        Ok(())
    }
}

/// The tables a write transaction may lock.
#[derive(Clone, Copy)]
enum LockedTable {
    Observations,
    ListVersions,
}

/// A source of the current time in epoch milliseconds; tests fix it.
pub type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

pub fn system_clock() -> Clock {
    Arc::new(|| SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64))
}

#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    clock: Clock,
    snapshot: Arc<std::sync::RwLock<Option<Arc<plans::Snapshot>>>>,
    registry_cache: Arc<std::sync::RwLock<Option<lists::CachedRegistry>>>,
    micro_cache: Arc<std::sync::RwLock<Option<stats::CachedMicrodata>>>,
    dataset_cache: Arc<std::sync::RwLock<stats::DatasetCache>>,
    /// The location as given (a file path or a PostgreSQL URL), for messages and backups.
    location: String,
}

impl Store {
    /// Opens (creating if needed) the database at `location`: a PostgreSQL URL
    /// (`postgres://…`) or a SQLite file path. Applies pending migrations.
    pub async fn open(location: &str) -> Result<Store> {
        Store::open_with_clock(location, system_clock()).await
    }

    pub async fn open_with_clock(location: &str, clock: Clock) -> Result<Store> {
        install_default_drivers();
        let (url, backend) = if location.starts_with("postgres://") || location.starts_with("postgresql://") {
            (location.to_string(), Backend::Postgres)
        } else {
            (format!("sqlite://{}?mode=rwc", Path::new(location).display()), Backend::Sqlite)
        };
        let options = AnyPoolOptions::new().max_connections(8).after_connect(move |conn, _| {
            Box::pin(async move {
                if backend == Backend::Sqlite {
                    conn.execute("PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL")
                        .await?;
                }
                Ok(())
            })
        });
        let pool = options.connect(&url).await.map_err(|e| StoreError::Open(format!("{location}: {e}")))?;
        if backend == Backend::Sqlite {
            pool.execute("PRAGMA journal_mode = WAL").await?;
        }
        let store = Store {
            pool,
            backend,
            clock,
            snapshot: Arc::default(),
            registry_cache: Arc::default(),
            micro_cache: Arc::default(),
            dataset_cache: Arc::default(),
            location: location.to_string(),
        };
        schema::migrate(&store).await?;
        Ok(store)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn location(&self) -> &str {
        &self.location
    }

    pub fn now(&self) -> i64 {
        (self.clock)()
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }

    async fn begin_write(&self) -> Result<Transaction<'static, Any>> {
        Ok(self.pool.begin_with(self.backend.begin_write()).await?)
    }

    /// A consistent copy of the database in `file`, taken while it is in use.
    pub async fn backup(&self, file: &Path) -> Result<()> {
        match self.backend {
            Backend::Sqlite => {
                if file.exists() {
                    return Err(StoreError::Invalid(format!("{} already exists; choose a new file", file.display())));
                }
                let target = file.display().to_string();
                sqlx::query("VACUUM INTO $1").bind(target).execute(&self.pool).await?;
                Ok(())
            }
            Backend::Postgres => Err(StoreError::Invalid(
                "backups of a PostgreSQL database are made with pg_dump / pg_basebackup".into(),
            )),
        }
    }
}

/// Restores a SQLite database from a backup made by [`Store::backup`]: checks the backup opens
/// and its audit chain holds, then replaces `database` with it.
pub async fn restore(backup: &Path, database: &Path) -> Result<()> {
    let copy = Store::open(&backup.display().to_string()).await?;
    let checked = copy.verify_audit().await;
    copy.close().await;
    if let Err(StoreError::AuditBroken(b)) = checked {
        return Err(StoreError::Invalid(format!("{}: audit chain broken at entry {}", backup.display(), b.id)));
    }
    checked?;
    let staging = database.with_extension("restoring");
    std::fs::copy(backup, &staging).map_err(|e| StoreError::Invalid(format!("{}: {e}", staging.display())))?;
    for suffix in ["-wal", "-shm"] {
        let side = format!("{}{suffix}", database.display());
        let _ = std::fs::remove_file(side);
    }
    std::fs::rename(&staging, database).map_err(|e| StoreError::Invalid(format!("{}: {e}", database.display())))?;
    Ok(())
}

impl Store {
    /// Sets up a new database: the org units, the first plan version and an administrator
    /// (user `admin`, at the plan office). Refuses a database that already holds a plan.
    pub async fn initialize(
        &self,
        plan_name: &str,
        plan_text: &str,
        org_units: &OrgUnits,
        admin_password: &str,
    ) -> Result<()> {
        let versions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM plan_versions").fetch_one(&self.pool).await?;
        if versions > 0 {
            return Err(StoreError::Invalid(format!("{} is already initialised", self.location)));
        }
        self.add_org_units(org_units).await?;
        let plan = plan361_core::plan::parse(plan_name, plan_text).map_err(|e| StoreError::Invalid(e.to_string()))?;
        let system = Actor::system(&org_units.city().name);
        self.load_plan(&system, plan_name, plan_text, None, "initial load").await?;
        self.load_catalog(&system, plan361_core::registry::catalog::BUILTIN, "initial catalog").await?;
        self.add_user(
            &system,
            NewUser {
                username: "admin",
                display_name: "系统管理员",
                password: admin_password,
                org_unit: &plan.meta.office,
                role: plan361_core::access::Role::Admin,
            },
        )
        .await?;
        Ok(())
    }

    /// Who acts, resolved from a user name.
    pub async fn actor(&self, username: &str) -> Result<Actor> {
        let user = self.user(username).await?;
        if user.disabled {
            return Err(StoreError::Denied(format!("user \"{username}\" is disabled")));
        }
        let org_units = self.org_units().await?;
        let org_kind = org_units
            .get(&user.org_unit)
            .map(|u| u.kind)
            .ok_or_else(|| StoreError::Invalid(format!("user {username}: unknown org unit {}", user.org_unit)))?;
        Ok(Actor { username: user.username, org_unit: user.org_unit, org_kind, role: user.role })
    }
}

#[cfg(test)]
mod tests;
