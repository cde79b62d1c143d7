//! What a file may make the reader do. Every file people send is read within these bounds, and
//! one that would go past them is refused with a message naming the limit before the reader
//! commits the memory or the time: a small file can describe a huge sheet (cells at A1 and
//! XFD1048576), a zip can inflate a thousandfold, a compound file can loop.
//!
//! The bounds are far above any real form or list: the largest import measured (50,000 rows of
//! ten columns) uses a third of them.

/// The largest file read (the web server accepts at most 5 MB in a request anyway).
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;
/// The most a workbook's zip entries may inflate to, all together.
pub const MAX_INFLATED_BYTES: u64 = 64 * 1024 * 1024;
/// The most entries a workbook's zip may hold.
pub const MAX_ZIP_ENTRIES: usize = 2_000;
/// Rows of a sheet or lines of a CSV.
pub const MAX_ROWS: u64 = 100_000;
/// Columns of a sheet or a CSV.
pub const MAX_COLUMNS: u64 = 64;
/// Rows × columns of a sheet's extent (declared or actual), and cells read in all.
pub const MAX_CELLS: u64 = 1_500_000;
/// The characters of one cell.
pub const MAX_CELL_CHARS: usize = 32_767;
/// Problems reported with their row; beyond these, only their number.
pub const MAX_PROBLEMS: usize = 100;

/// Why a file is refused, in words naming the limit.
pub fn too_many_rows(found: u64) -> String {
    format!("the file has {found} rows or more; at most {MAX_ROWS} are read (split it into several files)")
}

pub fn too_many_columns(found: u64) -> String {
    format!("the file has {found} columns; at most {MAX_COLUMNS} are read")
}

pub fn too_many_cells(rows: u64, columns: u64) -> String {
    format!(
        "the sheet spans {rows} rows × {columns} columns; at most {MAX_CELLS} cells are read (delete the unused \
         rows and columns, or split the file)"
    )
}

pub fn too_large(bytes: usize) -> String {
    format!("the file is {} MB; at most {} MB are read", bytes.div_ceil(1024 * 1024), MAX_FILE_BYTES / (1024 * 1024))
}

pub fn inflates_too_much() -> String {
    format!(
        "the workbook unpacks to more than {} MB; at most that much is read (a form or list is far smaller)",
        MAX_INFLATED_BYTES / (1024 * 1024)
    )
}
