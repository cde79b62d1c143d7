//! The files people exchange with plan361: observation CSVs today; Excel forms and list files
//! build on the same row-error reporting. Reading validates every row against the plan and the
//! org units and reports every bad row; nothing is returned unless the whole file is good.

pub mod hostile;
pub mod limits;
pub mod lists;
pub mod micro;
pub mod observations;
pub mod table;
pub mod text;
mod workbook;
pub mod xlsx;

use std::fmt;

/// A rejected row: where it is and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    pub file: String,
    pub sheet: Option<String>,
    /// 1-based line (CSV) or row (spreadsheet) number.
    pub row: usize,
    pub column: Option<String>,
    pub reason: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(sheet) = &self.sheet {
            write!(f, " [{sheet}]")?;
        }
        write!(f, ":{}", self.row)?;
        if let Some(column) = &self.column {
            write!(f, ": column {column}")?;
        }
        write!(f, ": {}", self.reason)
    }
}

/// The rejected rows of one file: the first [`limits::MAX_PROBLEMS`] of them, and how many
/// there were in all (a file of a million bad rows answers with a hundred and the count, not
/// with a million lines).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct FileErrors {
    pub errors: Vec<RowError>,
    pub total: usize,
}

impl FileErrors {
    /// One problem with the whole file (not a row of it).
    pub fn file(file: &str, reason: impl Into<String>) -> FileErrors {
        FileErrors::one(RowError { file: file.to_string(), sheet: None, row: 0, column: None, reason: reason.into() })
    }

    /// A file refused for one problem.
    pub fn one(error: RowError) -> FileErrors {
        FileErrors { errors: vec![error], total: 1 }
    }

    /// Records a problem: kept if fewer than [`limits::MAX_PROBLEMS`] are kept, counted always.
    pub fn push(&mut self, error: RowError) {
        if self.errors.len() < limits::MAX_PROBLEMS {
            self.errors.push(error);
        }
        self.total += 1;
    }

    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// The problems left out of [`FileErrors::errors`].
    pub fn omitted(&self) -> usize {
        self.total - self.errors.len()
    }
}

impl std::ops::Deref for FileErrors {
    type Target = [RowError];

    fn deref(&self) -> &[RowError] {
        &self.errors
    }
}

impl fmt::Display for FileErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const SHOWN: usize = 50;
        for error in self.errors.iter().take(SHOWN) {
            writeln!(f, "{error}")?;
        }
        if self.total > SHOWN {
            writeln!(f, "… and {} more", self.total - SHOWN)?;
        }
        write!(f, "{} row(s) rejected; nothing was read from the file", self.total)
    }
}

impl std::error::Error for FileErrors {}
