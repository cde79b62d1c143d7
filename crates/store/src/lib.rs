//! Storage: one code path for SQLite (the default, one file) and PostgreSQL, through sqlx's
//! `Any` driver. Backend differences live in [`Backend`] and in the migration tokens; every
//! other query is portable SQL.
//!
//! Every write runs in one transaction together with its audit entry, after the permission
//! rules of `plan361_core::access` have been asked.

mod assignments;
mod audit;
mod duties;
mod error;
mod imports;
mod lists;
mod notices;
mod observations;
mod org;
mod plans;
mod progress;
mod schema;
mod sessions;
mod stats;
mod users;
mod validation;
mod version;
mod warnings;
mod windows;

use std::path::Path;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use plan361_core::access::Actor;
use plan361_core::org::OrgUnits;
use sqlx::AnyConnection;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{Any, AnyPool, Executor, Transaction};

pub use assignments::ReportingAssignment;
pub use audit::{AuditEntry, AuditFilter, ChainBreak, NewAuditEntry};
pub use duties::{Duty, DutyPeriods};
pub use error::{Rejection, RowProblem, StoreError};
pub use lists::{ListRow, ListVersion};
pub use notices::{Notice, NoticeKind, Reminder};
pub use observations::{
    ChangeKind, Draft, EvalInput, ImportReport, ImportRow, Observation, ObservationFilter, ObservationState,
    ReviewDecision, Revision, RowPreview,
};
pub use plans::{PlanLoad, PlanVersionInfo};
pub use progress::Report;
pub use sessions::{SessionLimits, SessionRecord};
pub use stats::{CatalogVersion, MicroImport, MicroRevision};
pub use users::{NewUser, User, generate_password};
pub use validation::{DataFinding, Flag};
pub use version::DataVersion;
pub use warnings::{ScanReport, Warning, WarningFilter, WarningStep};
pub use windows::{Overdue, OverdueReport, UnitTally, Window, Windows};

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

    /// ` FOR UPDATE` where the backend locks rows it reads (PostgreSQL); SQLite's write
    /// transaction already holds the whole database.
    fn for_update(self) -> &'static str {
        match self {
            Backend::Sqlite => "",
            Backend::Postgres => " FOR UPDATE",
        }
    }

    /// Keeps other writers out of a table until the transaction ends, so that what the
    /// transaction read of it stays true. SQLite's write transaction already does.
    async fn lock_table(self, tx: &mut WriteTx, table: LockedTable) -> Result<()> {
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

/// A write transaction. On SQLite the writers of this process queue for it in order (an async
/// lock taken before a connection is), instead of each holding a pooled connection while
/// polling for the database's write lock; on both backends nothing inside it uses the pool, so
/// a writer never waits for a connection that another writer, waiting for it, holds.
pub(crate) struct WriteTx {
    tx: Transaction<'static, Any>,
    _turn: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl WriteTx {
    pub(crate) async fn commit(self) -> Result<()> {
        self.tx.commit().await?;
        Ok(())
    }
}

impl std::ops::Deref for WriteTx {
    type Target = AnyConnection;

    fn deref(&self) -> &AnyConnection {
        &self.tx
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }
}

/// How many pooled connections a store keeps: enough for a server's concurrent readers (every
/// request may read) while writers take their turn, whatever the number of cores.
pub fn default_connections() -> u32 {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get()) as u32;
    (cores * 8).clamp(16, 64)
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
    /// The turn of this process's writers.
    writers: Arc<tokio::sync::Mutex<()>>,
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
        let options = AnyPoolOptions::new()
            .max_connections(default_connections())
            .acquire_timeout(std::time::Duration::from_secs(10))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute(
                            "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL",
                        )
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
            writers: Arc::default(),
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

    /// Opens a write transaction. Writers take turns: within this process in order of arrival
    /// (before taking a connection, so that waiting writers never hold the connections readers
    /// need); across processes through the database — SQLite's write lock, and on PostgreSQL the
    /// audit chain's head row, locked first by every writer (every write appends to the audit
    /// chain, so writes were serialised there anyway; taking it first means no writer ever holds
    /// one lock while waiting for another, so writers cannot deadlock).
    pub(crate) async fn begin_write(&self) -> Result<WriteTx> {
        let turn = self.writers.clone().lock_owned().await;
        let tx = self.pool.begin_with(self.backend.begin_write()).await?;
        let mut tx = WriteTx { tx, _turn: Some(turn) };
        if self.backend == Backend::Postgres {
            sqlx::query("UPDATE audit_head SET last_id = last_id WHERE id = 1").execute(&mut *tx).await?;
        }
        Ok(tx)
    }

    /// A write transaction for migrations (before the audit chain exists).
    pub(crate) async fn begin_migration(&self) -> Result<WriteTx> {
        let turn = self.writers.clone().lock_owned().await;
        let tx = self.pool.begin_with(self.backend.begin_write()).await?;
        Ok(WriteTx { tx, _turn: Some(turn) })
    }

    /// A consistent copy of the database in `file`, taken while it is in use.
    pub async fn backup(&self, file: &Path) -> Result<()> {
        match self.backend {
            Backend::Sqlite => {
                if file.exists() {
                    return Err(StoreError::invalid(
                        "file",
                        format!("{} already exists; choose a new file", file.display()),
                    ));
                }
                let target = file.display().to_string();
                sqlx::query("VACUUM INTO $1").bind(target).execute(&self.pool).await?;
                Ok(())
            }
            Backend::Postgres => Err(StoreError::invalid(
                "database",
                "backups of a PostgreSQL database are made with pg_dump / pg_basebackup",
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
        return Err(StoreError::invalid("file", format!("{}: audit chain broken at entry {}", backup.display(), b.id)));
    }
    checked?;
    let staging = database.with_extension("restoring");
    std::fs::copy(backup, &staging).map_err(|e| StoreError::invalid("file", format!("{}: {e}", staging.display())))?;
    for suffix in ["-wal", "-shm"] {
        let side = format!("{}{suffix}", database.display());
        let _ = std::fs::remove_file(side);
    }
    std::fs::rename(&staging, database)
        .map_err(|e| StoreError::invalid("file", format!("{}: {e}", database.display())))?;
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
            return Err(StoreError::invalid("database", format!("{} is already initialised", self.location)));
        }
        self.add_org_units(org_units).await?;
        // New databases separate duties: nobody approves a value they entered or submitted.
        self.set_setting("separate_duties", "1").await?;
        let plan =
            plan361_core::plan::parse(plan_name, plan_text).map_err(|e| StoreError::invalid("plan", e.to_string()))?;
        let system = Actor::system(&org_units.city().name);
        self.load_plan(&system, plan_name, plan_text, None, "initial load").await?;
        self.load_catalog(&system, plan361_core::registry::catalog::BUILTIN, "initial catalog").await?;
        self.add_user(
            &system,
            NewUser {
                username: "admin",
                display_name: "系统管理员",
                password: admin_password,
                org_unit: &plan.meta().office,
                role: plan361_core::access::Role::Admin,
            },
        )
        .await?;
        Ok(())
    }

    pub(crate) async fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM settings WHERE key = $1").bind(key).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2)")
            .bind(key)
            .bind(value)
            .execute(&mut *tx)
            .await?;
        tx.commit().await
    }

    /// Who acts, resolved from a user name.
    pub async fn actor(&self, username: &str) -> Result<Actor> {
        let user = self.user(username).await?;
        if user.disabled {
            return Err(StoreError::Forbidden(format!("user \"{username}\" is disabled")));
        }
        let org_units = self.org_units().await?;
        let org_kind = org_units
            .get(&user.org_unit)
            .map(|u| u.kind)
            .ok_or_else(|| StoreError::corrupt(format!("user {username}: unknown org unit {}", user.org_unit)))?;
        Ok(Actor { username: user.username, org_unit: user.org_unit, org_kind, role: user.role })
    }
}

#[cfg(test)]
mod tests;
