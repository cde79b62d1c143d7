//! Migrations: numbered SQL applied in order, once, each in its own transaction. The common
//! SQL is written once with tokens for the two spots where the backends differ; a few
//! statements (triggers) exist per backend.

use sqlx::Executor;

use crate::{Backend, Result, Store};

struct Migration {
    version: i64,
    description: &'static str,
    common: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        description: "initial schema",
        common: include_str!("../migrations/0001_init.sql"),
        sqlite: include_str!("../migrations/0001_append_only.sqlite.sql"),
        postgres: include_str!("../migrations/0001_append_only.postgres.sql"),
    },
    Migration {
        version: 2,
        description: "the four lists and the cluster catalog",
        common: include_str!("../migrations/0002_lists.sql"),
        sqlite: include_str!("../migrations/0002_append_only.sqlite.sql"),
        postgres: include_str!("../migrations/0002_append_only.postgres.sql"),
    },
    Migration {
        version: 3,
        description: "sessions in the database",
        common: include_str!("../migrations/0003_sessions.sql"),
        sqlite: "",
        postgres: "",
    },
    Migration {
        version: 5,
        description: "enterprise microdata and their revisions",
        common: include_str!("../migrations/0005_stats.sql"),
        sqlite: include_str!("../migrations/0005_append_only.sqlite.sql"),
        postgres: include_str!("../migrations/0005_append_only.postgres.sql"),
    },
    Migration {
        version: 6,
        description: "early warnings and their steps",
        common: include_str!("../migrations/0006_warnings.sql"),
        sqlite: include_str!("../migrations/0006_append_only.sqlite.sql"),
        postgres: include_str!("../migrations/0006_append_only.postgres.sql"),
    },
    Migration {
        version: 7,
        description: "validation rules and the flags they leave on values",
        common: include_str!("../migrations/0007_validation.sql"),
        sqlite: "",
        postgres: "",
    },
    Migration {
        version: 8,
        description: "notices; a password to change at the next sign-in",
        common: include_str!("../migrations/0008_notices_password_change.sql"),
        sqlite: "",
        postgres: "",
    },
    Migration {
        version: 9,
        description: "reporting units assigned by the plan office",
        common: include_str!("../migrations/0009_reporting_assignments.sql"),
        sqlite: include_str!("../migrations/0009_append_only.sqlite.sql"),
        postgres: include_str!("../migrations/0009_append_only.postgres.sql"),
    },
];

fn render(sql: &str, backend: Backend) -> String {
    let (id, float) = match backend {
        Backend::Sqlite => ("INTEGER PRIMARY KEY", "REAL"),
        Backend::Postgres => ("BIGSERIAL PRIMARY KEY", "DOUBLE PRECISION"),
    };
    sql.replace("@ID@", id).replace("@FLOAT@", float)
}

pub async fn migrate(store: &Store) -> Result<()> {
    store
        .pool
        .execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations \
             (version BIGINT PRIMARY KEY, description TEXT NOT NULL, applied_at_ms BIGINT NOT NULL)",
        )
        .await?;
    for migration in MIGRATIONS {
        let mut tx = store.begin_migration().await?;
        let applied: Option<i64> = sqlx::query_scalar("SELECT version FROM schema_migrations WHERE version = $1")
            .bind(migration.version)
            .fetch_optional(&mut *tx)
            .await?;
        if applied.is_some() {
            continue;
        }
        let specific = match store.backend {
            Backend::Sqlite => migration.sqlite,
            Backend::Postgres => migration.postgres,
        };
        for sql in [render(migration.common, store.backend), specific.to_string()] {
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(&mut *tx).await?;
        }
        sqlx::query("INSERT INTO schema_migrations (version, description, applied_at_ms) VALUES ($1, $2, $3)")
            .bind(migration.version)
            .bind(migration.description)
            .bind(store.now())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    }
    Ok(())
}
