//! Reading workbooks within [`crate::limits`]: nothing from the file decides how much memory or
//! time is spent before it has been checked.
//!
//! - .xlsx/.xlsm: the zip is inflated once into nothing to count what its entries really
//!   unpack to (a declared size can lie); then each sheet's cells are streamed one by one
//!   (never a rectangle allocated from the extent a sheet declares), within bounds on rows,
//!   columns and cells.
//! - .xls: the compound file is checked before the reader sees it — every sector chain must end
//!   without a loop inside the file, the directory tree must have no cycle, every stream must
//!   fit its chain — and the Workbook stream's records are scanned for their declared and
//!   actual extents, since the reader allocates every sheet's rectangle when it opens the file.
//!
//! Any panic of the reader is caught and reported as an unreadable file.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::panic::{AssertUnwindSafe, catch_unwind};

use calamine::{Data, Reader, Xls, Xlsx};

use crate::limits::{self, MAX_CELLS, MAX_COLUMNS, MAX_ROWS};

/// A sheet as read: its non-empty rows (0-based row index, cells from column A).
pub struct Sheet {
    pub name: String,
    pub rows: Vec<(u32, Vec<String>)>,
}

/// Why a workbook is refused.
pub type Refusal = String;

/// The sheets of a workbook, in order, read within the limits. `cell_text` turns a cell into
/// text.
pub fn read(bytes: &[u8], cell_text: fn(&Data) -> String) -> Result<Vec<Sheet>, Refusal> {
    if bytes.len() > limits::MAX_FILE_BYTES {
        return Err(limits::too_large(bytes.len()));
    }
    let caught = catch_unwind(AssertUnwindSafe(|| {
        if bytes.starts_with(b"PK") {
            read_xlsx(bytes, cell_text)
        } else if bytes.starts_with(&cfb::SIGNATURE) {
            read_xls(bytes, cell_text)
        } else {
            Err("not a readable spreadsheet: neither an .xlsx (zip) nor an .xls (compound file); save it as .xlsx"
                .to_string())
        }
    }));
    caught.unwrap_or_else(|_| Err("not a readable spreadsheet: the file is malformed".into()))
}

/// Checks an extent (first and last row and column, 0-based) against the limits.
fn check_extent(what: &str, start: (u32, u32), end: (u32, u32)) -> Result<(), Refusal> {
    if end.0 < start.0 || end.1 < start.1 {
        return Err(format!("not a readable spreadsheet: the {what} extent of a sheet is reversed"));
    }
    let rows = u64::from(end.0 - start.0) + 1;
    let columns = u64::from(end.1 - start.1) + 1;
    if u64::from(end.0) >= MAX_ROWS {
        return Err(limits::too_many_rows(u64::from(end.0) + 1));
    }
    if u64::from(end.1) >= MAX_COLUMNS {
        return Err(limits::too_many_columns(u64::from(end.1) + 1));
    }
    if rows * columns > MAX_CELLS {
        return Err(limits::too_many_cells(rows, columns));
    }
    Ok(())
}

/// Inflates every entry into nothing, counting: refuses archives that unpack to more than the
/// limit, hold too many entries, or cannot be read.
fn check_zip(bytes: &[u8]) -> Result<(), Refusal> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("not a readable spreadsheet (damaged or truncated zip): {e}"))?;
    if archive.len() > limits::MAX_ZIP_ENTRIES {
        return Err(format!(
            "the workbook holds {} parts; at most {} are read",
            archive.len(),
            limits::MAX_ZIP_ENTRIES
        ));
    }
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let entry =
            archive.by_index(i).map_err(|e| format!("not a readable spreadsheet (damaged or truncated zip): {e}"))?;
        if entry.size() > limits::MAX_INFLATED_BYTES {
            return Err(limits::inflates_too_much());
        }
        let allowed = limits::MAX_INFLATED_BYTES - total;
        let inflated = std::io::copy(&mut entry.take(allowed + 1), &mut std::io::sink())
            .map_err(|e| format!("not a readable spreadsheet (damaged or truncated zip): {e}"))?;
        total += inflated;
        if total > limits::MAX_INFLATED_BYTES {
            return Err(limits::inflates_too_much());
        }
    }
    Ok(())
}

fn read_xlsx(bytes: &[u8], cell_text: fn(&Data) -> String) -> Result<Vec<Sheet>, Refusal> {
    check_zip(bytes)?;
    let mut workbook: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| format!("not a readable spreadsheet: {e}"))?;
    let mut sheets = Vec::new();
    let mut cells_read: u64 = 0;
    for name in workbook.sheet_names() {
        let Ok(mut reader) = workbook.worksheet_cells_reader(&name) else { continue };
        let declared = reader.dimensions();
        if declared.start != declared.end || declared.start != (0, 0) {
            check_extent("declared", declared.start, declared.end)?;
        }
        let mut rows: BTreeMap<u32, Vec<String>> = BTreeMap::new();
        loop {
            let cell = match reader.next_cell() {
                Ok(Some(cell)) => cell,
                Ok(None) => break,
                Err(e) => return Err(format!("not a readable spreadsheet: sheet {name}: {e}")),
            };
            let (row, column) = cell.get_position();
            if u64::from(row) >= MAX_ROWS {
                return Err(limits::too_many_rows(u64::from(row) + 1));
            }
            if u64::from(column) >= MAX_COLUMNS {
                return Err(limits::too_many_columns(u64::from(column) + 1));
            }
            cells_read += 1;
            if cells_read > MAX_CELLS {
                return Err(format!("the workbook has more than {MAX_CELLS} cells; at most that many are read"));
            }
            let text = cell_text(&Data::from(cell.get_value().clone()));
            if text.is_empty() {
                continue;
            }
            let cells = rows.entry(row).or_default();
            let column = column as usize;
            if cells.len() <= column {
                cells.resize(column + 1, String::new());
            }
            cells[column] = text.chars().take(limits::MAX_CELL_CHARS).collect();
        }
        sheets.push(Sheet { name, rows: rows.into_iter().collect() });
    }
    Ok(sheets)
}

fn read_xls(bytes: &[u8], cell_text: fn(&Data) -> String) -> Result<Vec<Sheet>, Refusal> {
    let stream = cfb::workbook_stream(bytes).map_err(|why| format!("not a readable spreadsheet: {why}"))?;
    biff::check(&stream)?;
    let mut workbook: Xls<_> = Xls::new(Cursor::new(bytes)).map_err(|e| format!("not a readable spreadsheet: {e}"))?;
    let mut sheets = Vec::new();
    for name in workbook.sheet_names() {
        let Ok(range) = workbook.worksheet_range(&name) else { continue };
        let (first_row, first_column) = range.start().unwrap_or((0, 0));
        let mut rows = Vec::new();
        for (i, cells) in range.rows().enumerate() {
            let mut texts: Vec<String> = vec![String::new(); first_column as usize];
            texts.extend(cells.iter().map(cell_text));
            while texts.last().is_some_and(String::is_empty) {
                texts.pop();
            }
            if !texts.is_empty() {
                rows.push((first_row + i as u32, texts));
            }
        }
        sheets.push(Sheet { name, rows });
    }
    Ok(sheets)
}

/// The compound file (MS-CFB) an .xls is stored in, checked for being well formed.
mod cfb {
    pub const SIGNATURE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    const MAX_REGULAR: u32 = 0xFFFF_FFFA;
    const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
    const NO_STREAM: u32 = 0xFFFF_FFFF;
    const MAX_DIRECTORY_ENTRIES: usize = 10_000;

    fn u16_at(b: &[u8], at: usize) -> u16 {
        u16::from_le_bytes([b[at], b[at + 1]])
    }

    fn u32_at(b: &[u8], at: usize) -> u32 {
        u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
    }

    struct File<'a> {
        bytes: &'a [u8],
        sector_size: usize,
        sectors: usize,
        fat: Vec<u32>,
    }

    impl File<'_> {
        fn sector(&self, id: u32) -> Result<&[u8], String> {
            let id = id as usize;
            if id >= self.sectors {
                return Err(format!("compound file: sector {id} lies outside the file"));
            }
            let start = (id + 1) * self.sector_size;
            Ok(&self.bytes[start..start + self.sector_size])
        }

        /// The sectors of a chain in the FAT: it must end, without revisiting a sector.
        fn chain(&self, start: u32, what: &str) -> Result<Vec<u32>, String> {
            walk(&self.fat, start, self.sectors, what)
        }

        fn read_chain(&self, start: u32, size: usize, what: &str) -> Result<Vec<u8>, String> {
            let chain = self.chain(start, what)?;
            if chain.len() * self.sector_size < size {
                return Err(format!("compound file: {what} is longer than its sectors"));
            }
            let mut out = Vec::with_capacity(size);
            for id in chain {
                out.extend_from_slice(self.sector(id)?);
            }
            out.truncate(size);
            Ok(out)
        }
    }

    /// Follows a chain in an allocation table to its end; refuses loops, free or reserved
    /// sectors in the chain, and sectors beyond `limit`.
    fn walk(table: &[u32], start: u32, limit: usize, what: &str) -> Result<Vec<u32>, String> {
        let mut seen = vec![false; limit.min(table.len())];
        let mut chain = Vec::new();
        let mut id = start;
        while id != END_OF_CHAIN {
            if id >= MAX_REGULAR || id as usize >= seen.len() {
                return Err(format!("compound file: the chain of {what} leaves the file"));
            }
            if std::mem::replace(&mut seen[id as usize], true) {
                return Err(format!("compound file: the chain of {what} loops"));
            }
            chain.push(id);
            id = table[id as usize];
        }
        Ok(chain)
    }

    struct Entry {
        name: String,
        kind: u8,
        left: u32,
        right: u32,
        child: u32,
        start: u32,
        size: u64,
    }

    /// The Workbook (or Book) stream of a well-formed compound file.
    pub fn workbook_stream(bytes: &[u8]) -> Result<Vec<u8>, String> {
        if bytes.len() < 512 || bytes[..8] != SIGNATURE {
            return Err("not a compound file".into());
        }
        let major = u16_at(bytes, 26);
        let shift = u16_at(bytes, 30);
        let sector_size = match (major, shift) {
            (3, 9) => 512,
            (4, 12) => 4096,
            _ => return Err(format!("compound file: version {major} with sector shift {shift} is not valid")),
        };
        if u16_at(bytes, 32) != 6 || u32_at(bytes, 56) != 4096 {
            return Err("compound file: the mini sector size or cutoff is not valid".into());
        }
        let sectors = (bytes.len() / sector_size).saturating_sub(1);
        if sectors == 0 {
            return Err("compound file: no sectors".into());
        }
        let fat_sectors = u32_at(bytes, 44) as usize;
        let first_directory = u32_at(bytes, 48);
        let first_mini_fat = u32_at(bytes, 60);
        let mini_fat_sectors = u32_at(bytes, 64) as usize;
        let mut difat_next = u32_at(bytes, 68);
        let difat_sectors = u32_at(bytes, 72) as usize;
        if fat_sectors > sectors || difat_sectors > sectors || mini_fat_sectors > sectors {
            return Err("compound file: more allocation sectors than the file holds".into());
        }
        let mut file = File { bytes, sector_size, sectors, fat: Vec::new() };
        // The FAT's own sectors: 109 in the header, the rest in the DIFAT chain.
        let mut fat_ids: Vec<u32> =
            (0..109).map(|i| u32_at(bytes, 76 + 4 * i)).filter(|id| *id < MAX_REGULAR).collect();
        let mut seen = vec![false; sectors];
        let per_sector = sector_size / 4;
        for _ in 0..difat_sectors {
            if difat_next >= MAX_REGULAR {
                break;
            }
            if difat_next as usize >= sectors || std::mem::replace(&mut seen[difat_next as usize], true) {
                return Err("compound file: the DIFAT chain loops or leaves the file".into());
            }
            let sector = file.sector(difat_next)?;
            fat_ids.extend((0..per_sector - 1).map(|i| u32_at(sector, 4 * i)).filter(|id| *id < MAX_REGULAR));
            difat_next = u32_at(sector, 4 * (per_sector - 1));
        }
        if fat_ids.len() > fat_sectors.max(1) || fat_ids.is_empty() {
            return Err("compound file: the FAT sectors do not match the header".into());
        }
        let mut fat = Vec::with_capacity(fat_ids.len() * per_sector);
        for id in &fat_ids {
            let sector = file.sector(*id)?;
            fat.extend((0..per_sector).map(|i| u32_at(sector, 4 * i)));
        }
        file.fat = fat;

        let directory = file.chain(first_directory, "the directory")?;
        if directory.len() * sector_size / 128 > MAX_DIRECTORY_ENTRIES {
            return Err("compound file: too many directory entries".into());
        }
        let mut entries = Vec::new();
        for id in directory {
            let sector = file.sector(id)?;
            for raw in sector.chunks_exact(128) {
                let name_bytes = u16_at(raw, 64) as usize;
                if name_bytes > 64 || !name_bytes.is_multiple_of(2) {
                    return Err("compound file: a directory name is too long".into());
                }
                let units: Vec<u16> = (0..name_bytes.saturating_sub(2) / 2).map(|i| u16_at(raw, 2 * i)).collect();
                let size = if major == 3 {
                    u64::from(u32_at(raw, 120))
                } else {
                    u64::from_le_bytes(raw[120..128].try_into().unwrap_or([0; 8]))
                };
                entries.push(Entry {
                    name: String::from_utf16_lossy(&units),
                    kind: raw[66],
                    left: u32_at(raw, 68),
                    right: u32_at(raw, 72),
                    child: u32_at(raw, 76),
                    start: u32_at(raw, 116),
                    size,
                });
            }
        }
        let Some(root) = entries.first() else { return Err("compound file: no root directory".into()) };
        if root.kind != 5 {
            return Err("compound file: the first directory entry is not the root".into());
        }
        // The directory tree: every link inside the table, no entry reached twice.
        let mut reached = vec![false; entries.len()];
        let mut pending = vec![root.child];
        while let Some(id) = pending.pop() {
            if id == NO_STREAM {
                continue;
            }
            let index = id as usize;
            if index >= entries.len() || index == 0 {
                return Err("compound file: a directory link leaves the directory".into());
            }
            if std::mem::replace(&mut reached[index], true) {
                return Err("compound file: the directory tree has a cycle".into());
            }
            let entry = &entries[index];
            pending.extend([entry.left, entry.right, entry.child]);
        }

        // The mini stream (held in the root's chain) and its allocation table.
        let mini_stream = if root.size > 0 {
            if root.size > bytes.len() as u64 {
                return Err("compound file: the mini stream is longer than the file".into());
            }
            file.read_chain(root.start, root.size as usize, "the mini stream")?
        } else {
            Vec::new()
        };
        let mini_fat: Vec<u32> = if mini_fat_sectors > 0 {
            let raw = file.read_chain(first_mini_fat, mini_fat_sectors * sector_size, "the mini FAT")?;
            raw.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect()
        } else {
            Vec::new()
        };
        let mini_sectors = mini_stream.len() / 64;

        // Every stream must fit the chain it names; read the workbook's.
        let mut workbook = None;
        for (index, entry) in entries.iter().enumerate().skip(1) {
            if entry.kind != 2 {
                continue;
            }
            if entry.size > bytes.len() as u64 {
                return Err(format!("compound file: stream {index} is longer than the file"));
            }
            let size = entry.size as usize;
            let data = if size < 4096 {
                let chain = walk(&mini_fat, entry.start, mini_sectors, "a small stream")?;
                if chain.len() * 64 < size {
                    return Err("compound file: a small stream is longer than its sectors".into());
                }
                let mut out = Vec::with_capacity(size);
                for id in chain {
                    let at = id as usize * 64;
                    out.extend_from_slice(&mini_stream[at..at + 64]);
                }
                out.truncate(size);
                out
            } else {
                file.read_chain(entry.start, size, "a stream")?
            };
            let is_workbook = ["workbook", "book"].contains(&entry.name.to_lowercase().as_str());
            if is_workbook && workbook.is_none() {
                workbook = Some(data);
            }
        }
        workbook.ok_or_else(|| "compound file without a Workbook stream (not an Excel file)".into())
    }
}

/// The records of an .xls Workbook stream (BIFF): every sheet's declared dimensions and actual
/// cells, checked before the reader allocates them.
mod biff {
    use super::{MAX_CELLS, check_extent};

    fn u16_at(b: &[u8], at: usize) -> u32 {
        u32::from(u16::from_le_bytes([b[at], b[at + 1]]))
    }

    fn u32_at(b: &[u8], at: usize) -> u32 {
        u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
    }

    #[derive(Default)]
    struct Extent {
        first: Option<((u32, u32), (u32, u32))>,
    }

    impl Extent {
        fn add(&mut self, row: u32, column: u32) {
            self.first = Some(match self.first {
                None => ((row, column), (row, column)),
                Some((lo, hi)) => ((lo.0.min(row), lo.1.min(column)), (hi.0.max(row), hi.1.max(column))),
            });
        }
    }

    pub fn check(stream: &[u8]) -> Result<(), String> {
        let mut at = 0;
        let mut cells: u64 = 0;
        let mut extent = Extent::default();
        while at + 4 <= stream.len() {
            let kind = u16_at(stream, at);
            let length = u16_at(stream, at + 2) as usize;
            let Some(data) = stream.get(at + 4..at + 4 + length) else {
                return Err("not a readable spreadsheet: a record runs past the end of the workbook".into());
            };
            at += 4 + length;
            match kind {
                // BOF and EOF: a sheet's extent is its own.
                0x0809 | 0x000A => {
                    if let Some((lo, hi)) = extent.first.take() {
                        check_extent("actual", lo, hi)?;
                    }
                }
                // DIMENSIONS, as the reader decodes them.
                0x0200 => {
                    let (first_row, last_row, mut first_column, last_column) = match data.len() {
                        10 => (u16_at(data, 0), u16_at(data, 2), u16_at(data, 4), u16_at(data, 6)),
                        14 | 16 => (u32_at(data, 0), u32_at(data, 4), u16_at(data, 8), u16_at(data, 10)),
                        _ => continue,
                    };
                    if first_column > 0xFF || last_column < first_column {
                        first_column = 0;
                    }
                    if last_row >= 1 && last_column >= 1 {
                        check_extent("declared", (first_row, first_column), (last_row - 1, last_column - 1))?;
                    }
                }
                // Cells with a row and a column.
                0x0203 | 0x00FD | 0x027E | 0x0201 | 0x0204 | 0x0205 | 0x00D6 | 0x0006 if data.len() >= 4 => {
                    cells += 1;
                    extent.add(u16_at(data, 0), u16_at(data, 2));
                }
                // Runs of cells in one row: MULRK, MULBLANK.
                0x00BD | 0x00BE if data.len() >= 6 => {
                    let (row, first) = (u16_at(data, 0), u16_at(data, 2));
                    let last = u16_at(data, data.len() - 2);
                    cells += u64::from(last.saturating_sub(first)) + 1;
                    extent.add(row, first);
                    extent.add(row, last.max(first));
                }
                _ => {}
            }
            if cells > MAX_CELLS {
                return Err(format!("the workbook has more than {MAX_CELLS} cells; at most that many are read"));
            }
        }
        if let Some((lo, hi)) = extent.first {
            check_extent("actual", lo, hi)?;
        }
        Ok(())
    }
}
