//! Storage errors, shaped for the people who meet them: refused, conflicting, not found or
//! invalid requests are the caller's to fix; database faults are not.

use std::fmt;

use crate::audit::ChainBreak;

#[derive(Debug)]
pub enum StoreError {
    /// The database could not be opened.
    Open(String),
    /// The permission rules refuse the action.
    Denied(String),
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
    /// The request is not valid (bad value, wrong state, window closed …).
    Invalid(String),
    /// Rows of an import that break the rules; nothing was written.
    Rejected(Vec<RowProblem>),
    /// The audit chain does not verify.
    AuditBroken(ChainBreak),
    Db(sqlx::Error),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Open(why) => write!(f, "cannot open the database {why}"),
            StoreError::Denied(why) => write!(f, "not permitted: {why}"),
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
            StoreError::Invalid(why) => write!(f, "{why}"),
            StoreError::Rejected(problems) => {
                for problem in problems.iter().take(50) {
                    writeln!(f, "{problem}")?;
                }
                if problems.len() > 50 {
                    writeln!(f, "… and {} more", problems.len() - 50)?;
                }
                write!(f, "{} row(s) rejected; nothing was imported", problems.len())
            }
            StoreError::AuditBroken(b) => write!(f, "audit chain broken at entry {}: {}", b.id, b.reason),
            StoreError::Db(e) => write!(f, "database error: {e}"),
        }
    }
}

impl std::error::Error for StoreError {}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        StoreError::Db(error)
    }
}

impl From<plan361_core::access::Denied> for StoreError {
    fn from(denied: plan361_core::access::Denied) -> Self {
        StoreError::Denied(denied.0)
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
