//! The files people exchange with plan361: observation CSVs today; Excel forms and list files
//! build on the same row-error reporting. Reading validates every row against the plan and the
//! org units and reports every bad row; nothing is returned unless the whole file is good.

pub mod lists;
pub mod micro;
pub mod observations;
pub mod table;
pub mod text;
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

/// All the rejected rows of one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileErrors(pub Vec<RowError>);

impl fmt::Display for FileErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const SHOWN: usize = 50;
        for error in self.0.iter().take(SHOWN) {
            writeln!(f, "{error}")?;
        }
        if self.0.len() > SHOWN {
            writeln!(f, "… and {} more", self.0.len() - SHOWN)?;
        }
        write!(f, "{} row(s) rejected; nothing was read from the file", self.0.len())
    }
}

impl std::error::Error for FileErrors {}
