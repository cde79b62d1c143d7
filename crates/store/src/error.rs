//! Storage errors, shaped for the people who meet them and for the code that answers them:
//! each refusal is its own variant with what a caller needs (the field at fault, the period and
//! when it closed, the revision a value is at now), so that callers and tests match on the kind
//! of refusal, never on the words of a message. Refused, conflicting, unknown or invalid
//! requests are the caller's to fix; corrupt stored data and database faults are not.

use plan361_core::i18n::Labelled;
use std::fmt;

use plan361_core::Period;
use plan361_core::calendar::Date;

use crate::audit::ChainBreak;

#[derive(Debug)]
pub enum StoreError {
    /// The database could not be opened.
    Open(String),
    /// The permission rules refuse the action.
    Forbidden(String),
    /// A field of the request is not valid: which one, and why.
    Validation {
        field: &'static str,
        reason: String,
    },
    /// The workflow does not allow the action on a value in its current state.
    WrongState {
        id: i64,
        state: crate::ObservationState,
        action: &'static str,
    },
    /// Values are reported after their period has begun.
    NotBegun {
        period: Period,
    },
    /// The period's reporting window has closed (only the plan office writes it now).
    WindowClosed {
        period: Period,
        closed_on: Date,
    },
    /// An update was based on a revision that is no longer the latest.
    Conflict {
        id: i64,
        current_revision: i64,
        given_revision: i64,
    },
    /// A list entry changed since the version a change was based on.
    EntryConflict {
        list: String,
        key: String,
        current_version: i64,
        given_version: i64,
    },
    NotFound(String),
    /// Rows of an import that break the rules; nothing was written.
    Rejected(Rejection),
    /// Rows of an import whose values changed since the form they come from was made (or that
    /// would move a submitted or approved value back); nothing was written.
    ImportConflict(Rejection),
    /// Stored data that does not read back (a fault, never the caller's): logged, answered 500.
    Corrupt(String),
    /// The audit chain does not verify.
    AuditBroken(ChainBreak),
    /// Every connection stayed busy for longer than a request may wait.
    Busy,
    Db(sqlx::Error),
}

impl StoreError {
    pub fn invalid(field: &'static str, reason: impl Into<String>) -> StoreError {
        StoreError::Validation { field, reason: reason.into() }
    }

    pub fn corrupt(what: impl Into<String>) -> StoreError {
        StoreError::Corrupt(what.into())
    }

    /// Whether the error is the server's fault (logged, 500) rather than the request's.
    pub fn is_fault(&self) -> bool {
        matches!(self, StoreError::Corrupt(_) | StoreError::AuditBroken(_) | StoreError::Db(_) | StoreError::Open(_))
    }
}

/// The past participle of a workflow action, for messages.
fn done(action: &str) -> &str {
    match action {
        "submit" => "submitted",
        "approve" => "approved",
        "return" => "returned",
        other => other,
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Open(why) => write!(f, "cannot open the database {why}"),
            StoreError::Forbidden(why) => write!(f, "not permitted: {why}"),
            StoreError::Validation { field, reason } => write!(f, "{field}: {reason}"),
            StoreError::WrongState { id, state, action } => {
                write!(f, "observation {id} is {} ({}); it cannot be {}", state.code(), state.label_zh(), done(action))
            }
            StoreError::NotBegun { period } => {
                write!(f, "period {period} has not begun; values are reported after it")
            }
            StoreError::WindowClosed { period, closed_on } => write!(
                f,
                "the reporting window for {period} closed on {closed_on}; ask the plan office to enter the value"
            ),
            StoreError::Conflict { id, current_revision, given_revision } => write!(
                f,
                "conflict: observation {id} is at revision {current_revision}, the change was based on revision \
                 {given_revision}; reload and try again"
            ),
            StoreError::EntryConflict { list, key, current_version, given_version } => write!(
                f,
                "conflict: {list} entry {key} is at version {current_version}, the change was based on version \
                 {given_version}; reload and try again"
            ),
            StoreError::NotFound(what) => write!(f, "not found: {what}"),
            StoreError::Rejected(rejection) => {
                rejection.list(f)?;
                write!(f, "{} row(s) rejected; nothing was imported", rejection.total)
            }
            StoreError::ImportConflict(rejection) => {
                rejection.list(f)?;
                write!(
                    f,
                    "{} row(s) changed since the form was made; nothing was imported (download the form again)",
                    rejection.total
                )
            }
            StoreError::Corrupt(what) => write!(f, "stored data does not read back: {what}"),
            StoreError::AuditBroken(b) => write!(f, "audit chain broken at entry {}: {}", b.id, b.reason),
            StoreError::Busy => write!(f, "the database is busy; try again in a moment"),
            StoreError::Db(e) => write!(f, "database error: {e}"),
        }
    }
}

impl std::error::Error for StoreError {}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        match error {
            sqlx::Error::PoolTimedOut => StoreError::Busy,
            // PostgreSQL refuses text with a NUL character (SQLite keeps it): the request's
            // text, not a fault.
            sqlx::Error::Database(e) if e.code().is_some_and(|c| c == "22021" || c == "22P05") => {
                StoreError::invalid("text", "the text holds a character that cannot be stored (NUL)")
            }
            other => StoreError::Db(other),
        }
    }
}

impl From<plan361_core::access::Denied> for StoreError {
    fn from(denied: plan361_core::access::Denied) -> Self {
        StoreError::Forbidden(denied.0)
    }
}

/// Whether a database error is a unique-key violation (two writers creating the same thing).
pub(crate) fn is_unique_violation(error: &StoreError) -> bool {
    match error {
        StoreError::Db(sqlx::Error::Database(e)) => {
            e.is_unique_violation() || e.code().is_some_and(|c| c == "23505" || c == "2067" || c == "1555")
        }
        _ => false,
    }
}

/// A rejected row of an import: where it is and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowProblem {
    pub sheet: Option<String>,
    pub row: usize,
    pub column: Option<String>,
    pub reason: String,
}

impl fmt::Display for RowProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(sheet) = &self.sheet {
            write!(f, "[{sheet}] ")?;
        }
        write!(f, "row {}", self.row)?;
        if let Some(column) = &self.column {
            write!(f, ", column {column}")?;
        }
        write!(f, ": {}", self.reason)
    }
}

/// The problems of an import: the first [`Rejection::KEPT`] with their rows, and how many in
/// all.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rejection {
    pub problems: Vec<RowProblem>,
    pub total: usize,
}

impl Rejection {
    pub const KEPT: usize = 100;

    pub fn push(&mut self, problem: RowProblem) {
        if self.problems.len() < Self::KEPT {
            self.problems.push(problem);
        }
        self.total += 1;
    }

    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    pub fn one(problem: RowProblem) -> Rejection {
        let mut rejection = Rejection::default();
        rejection.push(problem);
        rejection
    }

    fn list(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for problem in self.problems.iter().take(50) {
            writeln!(f, "{problem}")?;
        }
        if self.total > 50 {
            writeln!(f, "… and {} more", self.total - 50)?;
        }
        Ok(())
    }
}

impl std::ops::Deref for Rejection {
    type Target = [RowProblem];

    fn deref(&self) -> &[RowProblem] {
        &self.problems
    }
}
