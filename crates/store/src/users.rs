//! Users: one org unit and one role each; passwords hashed with Argon2id.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use plan361_core::access::{self, Action, Actor, Role};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::{NewAuditEntry, append};
use crate::{Result, Store, StoreError};

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct User {
    pub username: String,
    pub display_name: String,
    pub org_unit: String,
    pub role: Role,
    pub disabled: bool,
    /// An administrator gave the password (a new user, a reset): the user changes it at the
    /// next sign-in.
    pub must_change_password: bool,
}

pub struct NewUser<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub password: &'a str,
    pub org_unit: &'a str,
    pub role: Role,
}

const MIN_PASSWORD: usize = 8;

fn hash_password(password: &str) -> Result<String> {
    if password.chars().count() < MIN_PASSWORD {
        return Err(StoreError::invalid("password", format!("a password needs at least {MIN_PASSWORD} characters")));
    }
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| StoreError::invalid("password", format!("cannot hash the password: {e}")))
}

/// A random password a person can type: 16 characters without look-alikes.
pub fn generate_password() -> Result<String> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| StoreError::corrupt(format!("no randomness available: {e}")))?;
    Ok(bytes.iter().map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char).collect())
}

/// A hash of a random password with the same parameters as real ones, to check attempts for
/// unknown users against (the same work as for a real user).
fn stand_in_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        let password = generate_password().unwrap_or_else(|_| "plan361-stand-in-password".into());
        Argon2::default().hash_password(password.as_bytes()).map(|h| h.to_string()).unwrap_or_default()
    })
}

fn user_from_row(row: &AnyRow) -> Result<User> {
    let role: String = row.try_get("role")?;
    Ok(User {
        username: row.try_get("username")?,
        display_name: row.try_get("display_name")?,
        org_unit: row.try_get("org_unit")?,
        role: role.parse().map_err(StoreError::corrupt)?,
        disabled: row.try_get::<i64, _>("disabled")? != 0,
        must_change_password: row.try_get::<i64, _>("must_change_password")? != 0,
    })
}

fn valid_username(name: &str) -> bool {
    !name.is_empty() && name.len() <= 64 && name.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
}

impl Store {
    /// The permission as `conn` sees the rules (inside a write transaction: its own).
    pub(crate) async fn require_on(
        &self,
        conn: &mut sqlx::AnyConnection,
        actor: &Actor,
        action: Action<'_>,
    ) -> Result<()> {
        let snapshot = self.snapshot_on(conn).await?;
        let plan = snapshot.latest_plan()?;
        let cx = access::Context::new(&plan, &snapshot.org_units.city().name, None);
        Ok(access::check(actor, action, &cx)?)
    }

    pub async fn add_user(&self, actor: &Actor, user: NewUser<'_>) -> Result<User> {
        if !valid_username(user.username) {
            return Err(StoreError::invalid(
                "username",
                format!("user name \"{}\": use 1–64 letters, digits, '.', '_' or '-'", user.username),
            ));
        }
        let hash = hash_password(user.password)?;
        let now = self.now();
        let mut tx = self.begin_write().await?;
        self.require_on(&mut tx, actor, Action::ManageUsers).await?;
        if self.snapshot_on(&mut tx).await?.org_units.get(user.org_unit).is_none() {
            return Err(StoreError::invalid("org_unit", format!("unknown org unit \"{}\"", user.org_unit)));
        }
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
            .bind(user.username)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_some() {
            return Err(StoreError::invalid("username", format!("user \"{}\" already exists", user.username)));
        }
        sqlx::query(
            "INSERT INTO users (username, display_name, password_hash, org_unit, role, disabled, created_at_ms, \
             must_change_password) VALUES ($1, $2, $3, $4, $5, 0, $6, $7)",
        )
        .bind(user.username)
        .bind(user.display_name)
        .bind(&hash)
        .bind(user.org_unit)
        .bind(user.role.code())
        .bind(now)
        // A password an administrator chose is the user's only until the first sign-in; the
        // system's own users (init, the demo) keep theirs.
        .bind(i64::from(actor.username != "system"))
        .execute(&mut *tx)
        .await?;
        let after =
            serde_json::json!({"org_unit": user.org_unit, "role": user.role.code(), "display_name": user.display_name});
        append(
            &mut tx,
            now,
            NewAuditEntry {
                actor: &actor.username,
                action: "user.add",
                entity: "user",
                entity_id: user.username,
                before: "",
                after: &after.to_string(),
            },
        )
        .await?;
        tx.commit().await?;
        self.user(user.username).await
    }

    pub async fn user(&self, username: &str) -> Result<User> {
        let row = sqlx::query("SELECT username, display_name, org_unit, role, disabled, must_change_password FROM users WHERE username = $1")
            .bind(username)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("user \"{username}\"")))?;
        user_from_row(&row)
    }

    pub async fn users(&self) -> Result<Vec<User>> {
        let rows = sqlx::query("SELECT username, display_name, org_unit, role, disabled, must_change_password FROM users ORDER BY username")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(user_from_row).collect()
    }

    /// Changes a password: an administrator for anyone (a reset: the user changes it at the
    /// next sign-in), a user for themselves.
    pub async fn set_password(&self, actor: &Actor, username: &str, password: &str) -> Result<()> {
        let hash = hash_password(password)?;
        let own = actor.username == username;
        self.change_user(
            (!own).then_some(Action::ManageUsers),
            actor,
            username,
            "user.passwd",
            if own {
                "UPDATE users SET password_hash = $1, must_change_password = 0 WHERE username = $2"
            } else {
                "UPDATE users SET password_hash = $1, must_change_password = 1 WHERE username = $2"
            },
            &hash,
            if own { "" } else { "reset" },
        )
        .await
    }

    pub async fn set_disabled(&self, actor: &Actor, username: &str, disabled: bool) -> Result<()> {
        if actor.username == username && disabled {
            return Err(StoreError::invalid("username", "you cannot disable yourself"));
        }
        let flag = if disabled { "1" } else { "0" };
        let action = if disabled { "user.disable" } else { "user.enable" };
        self.change_user(
            Some(Action::ManageUsers),
            actor,
            username,
            action,
            "UPDATE users SET disabled = CAST($1 AS BIGINT) WHERE username = $2",
            flag,
            flag,
        )
        .await
    }

    /// Changes a user in a write transaction that first checks the permission (`required`)
    /// and that the user exists.
    #[allow(clippy::too_many_arguments)]
    async fn change_user(
        &self,
        required: Option<Action<'_>>,
        actor: &Actor,
        username: &str,
        action: &str,
        sql: &'static str,
        value: &str,
        audited: &str,
    ) -> Result<()> {
        let now = self.now();
        let mut tx = self.begin_write().await?;
        if let Some(required) = required {
            self.require_on(&mut tx, actor, required).await?;
        }
        let updated = sqlx::query(sql).bind(value).bind(username).execute(&mut *tx).await?;
        if updated.rows_affected() != 1 {
            return Err(StoreError::NotFound(format!("user \"{username}\"")));
        }
        append(
            &mut tx,
            now,
            NewAuditEntry {
                actor: &actor.username,
                action,
                entity: "user",
                entity_id: username,
                before: "",
                after: audited,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Checks a password. Every attempt is audited; the answer for a wrong user name and a
    /// wrong password is the same, and so is the work: an unknown or disabled user's attempt
    /// is checked against a stand-in hash, so that the time taken tells nothing either.
    pub async fn authenticate(&self, username: &str, password: &str) -> Result<User> {
        let row = sqlx::query("SELECT password_hash, disabled FROM users WHERE username = $1")
            .bind(username)
            .fetch_optional(&self.pool)
            .await?;
        let (hash, usable) = match &row {
            Some(row) => {
                let disabled = row.try_get::<i64, _>("disabled")? != 0;
                (row.try_get::<String, _>("password_hash")?, !disabled)
            }
            None => (stand_in_hash().to_string(), false),
        };
        let parsed =
            PasswordHash::new(&hash).map_err(|e| StoreError::corrupt(format!("password hash of {username}: {e}")))?;
        let matches = Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok();
        let verified = usable && matches;
        let outcome = if verified { "ok" } else { "failed" };
        self.audit(NewAuditEntry {
            actor: username,
            action: "login",
            entity: "session",
            entity_id: username,
            before: "",
            after: outcome,
        })
        .await?;
        if verified {
            self.user(username).await
        } else {
            Err(StoreError::Forbidden("wrong user name or password".into()))
        }
    }
}
