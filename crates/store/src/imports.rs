//! The log of imported files (the `imports` table): which file, its hash, the rows it held and
//! changed, who imported it and when — for reported values and microdata alike.

use crate::{Result, WriteTx};

/// An imported file as the log records it.
pub(crate) struct Import<'a> {
    pub file_name: &'a str,
    pub file_hash: &'a str,
    pub rows: usize,
    pub changed: usize,
}

/// Records `import` inside the write that imported it.
pub(crate) async fn record(tx: &mut WriteTx, import: &Import<'_>, by: &str, at: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO imports (file_name, file_hash, rows_total, rows_changed, imported_by, imported_at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(import.file_name)
    .bind(import.file_hash)
    .bind(import.rows as i64)
    .bind(import.changed as i64)
    .bind(by)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
