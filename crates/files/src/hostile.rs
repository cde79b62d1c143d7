//! A corpus of hostile files, generated (nothing binary is committed): each is small or cheap
//! to send and would make a naive reader allocate gigabytes, spin, panic or answer with
//! millions of lines. Tests send every one to every upload path (the files crate's readers,
//! the web form, the API, `plan361 import` and `plan361 list import`) and expect a refusal
//! naming the limit, with the server still answering.
//!
//! Also [`xls`]: a small, well-formed .xls (BIFF8 in a compound file), to show that the checks
//! refuse only what is malformed.

use std::io::Write;

/// One hostile file: a name (its extension decides the reader), the bytes, and a word the
/// refusal must contain.
pub struct Hostile {
    pub name: &'static str,
    pub file_name: &'static str,
    pub bytes: Vec<u8>,
    pub refusal: &'static str,
}

/// The whole corpus.
pub fn corpus() -> Vec<Hostile> {
    vec![
        Hostile {
            name: "sparse extent (cells at A1 and XFD1048576)",
            file_name: "sparse.xlsx",
            bytes: xlsx(&sheet_xml(None, &[(1, "A", "1"), (1048576, "XFD", "1")]), None),
            refusal: "rows",
        },
        Hostile {
            name: "declared dimension A1:XFD1048576",
            file_name: "declared.xlsx",
            bytes: xlsx(&sheet_xml(Some("A1:XFD1048576"), &[(1, "A", "1")]), None),
            refusal: "rows",
        },
        Hostile {
            name: "ten million cells declared (A1:J1000000)",
            file_name: "ten-million.xlsx",
            bytes: xlsx(&sheet_xml(Some("A1:J1000000"), &[(1, "A", "1")]), None),
            refusal: "rows",
        },
        Hostile {
            name: "wide sheet (a cell in column ZZ)",
            file_name: "wide.xlsx",
            bytes: xlsx(&sheet_xml(None, &[(1, "A", "1"), (2, "ZZ", "1")]), None),
            refusal: "columns",
        },
        Hostile {
            name: "dense sheet (2 million cells)",
            file_name: "dense.xlsx",
            bytes: dense_xlsx(),
            refusal: "cells",
        },
        Hostile {
            name: "shared-string bomb (80 MB of strings)",
            file_name: "strings.xlsx",
            bytes: shared_string_bomb(),
            refusal: "MB",
        },
        Hostile {
            name: "whitespace bomb (80 MB of spaces)",
            file_name: "spaces.xlsx",
            bytes: whitespace_bomb(),
            refusal: "MB",
        },
        Hostile {
            name: "truncated zip",
            file_name: "truncated.xlsx",
            bytes: {
                let whole = xlsx(&sheet_xml(None, &[(1, "A", "target_id")]), None);
                whole[..whole.len() / 2].to_vec()
            },
            refusal: "zip",
        },
        Hostile {
            name: "compound file whose sector chain loops",
            file_name: "loop.xls",
            bytes: cfb(&biff_sheet(&[], None), Tamper::LoopingChain),
            refusal: "loops",
        },
        Hostile {
            name: "compound file whose directory tree is cyclic",
            file_name: "cycle.xls",
            bytes: cfb(&biff_sheet(&[], None), Tamper::CyclicDirectory),
            refusal: "cycle",
        },
        Hostile {
            name: "compound file with a huge sector size",
            file_name: "sector.xls",
            bytes: cfb(&biff_sheet(&[], None), Tamper::HugeSectors),
            refusal: "sector",
        },
        Hostile {
            name: ".xls declaring 65536 rows × 256 columns",
            file_name: "dimensions.xls",
            bytes: cfb(&biff_sheet(&[], Some((0, 65536, 0, 256))), Tamper::None),
            refusal: "columns",
        },
        Hostile {
            name: ".xls with cells at A1 and IV65536",
            file_name: "corners.xls",
            bytes: cfb(&biff_sheet(&[(0, 0, 1.0), (65535, 255, 1.0)], None), Tamper::None),
            refusal: "columns",
        },
        Hostile {
            name: "CSV of a million rows",
            file_name: "million.csv",
            bytes: {
                let mut csv = b"target_id,org_unit,period,value\n".to_vec();
                for _ in 0..1_000_000 {
                    csv.extend_from_slice(b"1,2\n");
                }
                csv
            },
            refusal: "rows",
        },
        Hostile {
            name: "CSV of 10,000 columns",
            file_name: "wide.csv",
            bytes: format!("target_id,org_unit,period,value{}\n", ",x".repeat(10_000)).into_bytes(),
            refusal: "columns",
        },
        Hostile {
            name: "not a spreadsheet at all",
            file_name: "garbage.xlsx",
            bytes: b"this is not a spreadsheet".to_vec(),
            refusal: "not a readable spreadsheet",
        },
    ]
}

/// A CSV of `rows` bad rows (every value not a number): readable, but every row a problem.
pub fn bad_rows_csv(rows: usize) -> Vec<u8> {
    let mut csv = b"target_id,org_unit,period,value\n".to_vec();
    for _ in 0..rows {
        csv.extend_from_slice("1.2.1,宁波市,2026-10,lots\n".as_bytes());
    }
    csv
}

/// A worksheet's XML with an optional declared dimension and cells (row, column, number).
fn sheet_xml(dimension: Option<&str>, cells: &[(u32, &str, &str)]) -> String {
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#,
    );
    if let Some(d) = dimension {
        xml.push_str(&format!(r#"<dimension ref="{d}"/>"#));
    }
    xml.push_str("<sheetData>");
    for (row, column, value) in cells {
        xml.push_str(&format!(r#"<row r="{row}"><c r="{column}{row}"><v>{value}</v></c></row>"#));
    }
    xml.push_str("</sheetData></worksheet>");
    xml
}

/// A minimal .xlsx around one sheet's XML (and optionally a shared-strings part).
pub fn xlsx(sheet: &str, shared_strings: Option<&[u8]>) -> Vec<u8> {
    let mut buffer = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buffer);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        let mut part = |name: &str, bytes: &[u8]| {
            zip.start_file(name, options).expect("zip entry");
            zip.write_all(bytes).expect("zip write");
        };
        let strings_type = if shared_strings.is_some() {
            r#"<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>"#
        } else {
            ""
        };
        part(
            "[Content_Types].xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>{strings_type}</Types>"#
            )
            .as_bytes(),
        );
        part(
            "_rels/.rels",
            br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        );
        part(
            "xl/workbook.xml",
            br#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        );
        let strings_rel = if shared_strings.is_some() {
            r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"#
        } else {
            ""
        };
        part(
            "xl/_rels/workbook.xml.rels",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>{strings_rel}</Relationships>"#
            )
            .as_bytes(),
        );
        part("xl/worksheets/sheet1.xml", sheet.as_bytes());
        if let Some(strings) = shared_strings {
            part("xl/sharedStrings.xml", strings);
        }
        zip.finish().expect("zip finish");
    }
    buffer.into_inner()
}

fn dense_xlsx() -> Vec<u8> {
    let mut xml = sheet_xml(None, &[]);
    let body_at = xml.find("</sheetData>").expect("sheetData");
    let mut rows = String::with_capacity(32 * 1024 * 1024);
    let row: String = "<c><v>1</v></c>".repeat(20);
    for _ in 0..100_000 {
        rows.push_str("<row>");
        rows.push_str(&row);
        rows.push_str("</row>");
    }
    xml.insert_str(body_at, &rows);
    xlsx(&xml, None)
}

fn shared_string_bomb() -> Vec<u8> {
    let count = 8_000_000;
    let mut strings = Vec::with_capacity(count * 10 + 200);
    strings.extend_from_slice(
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{count}" uniqueCount="{count}">"#
        )
        .as_bytes(),
    );
    for _ in 0..count {
        strings.extend_from_slice(b"<si><t/></si>");
    }
    strings.extend_from_slice(b"</sst>");
    xlsx(&sheet_xml(None, &[(1, "A", "1")]), Some(&strings))
}

fn whitespace_bomb() -> Vec<u8> {
    let xml = sheet_xml(None, &[(1, "A", "1")]);
    let spaces = " ".repeat(80 * 1024 * 1024);
    xlsx(&xml.replacen("<sheetData>", &format!("<sheetData>{spaces}"), 1), None)
}

/// How a generated compound file is broken.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tamper {
    None,
    LoopingChain,
    CyclicDirectory,
    HugeSectors,
}

fn record(out: &mut Vec<u8>, kind: u16, data: &[u8]) {
    out.extend_from_slice(&kind.to_le_bytes());
    out.extend_from_slice(&(data.len() as u16).to_le_bytes());
    out.extend_from_slice(data);
}

fn bof(kind: u16) -> Vec<u8> {
    let mut data = Vec::new();
    for v in [0x0600u16, kind, 0x0DBB, 0x07CC] {
        data.extend_from_slice(&v.to_le_bytes());
    }
    data.extend_from_slice(&[0; 8]);
    data
}

/// A BIFF8 cell holding a string (LABEL with an uncompressed UTF-16 string).
fn label(row: u16, column: u16, text: &str) -> Vec<u8> {
    let units: Vec<u16> = text.encode_utf16().collect();
    let mut data = Vec::new();
    for v in [row, column, 0, units.len() as u16] {
        data.extend_from_slice(&v.to_le_bytes());
    }
    data.push(1);
    for u in units {
        data.extend_from_slice(&u.to_le_bytes());
    }
    data
}

fn number(row: u16, column: u16, value: f64) -> Vec<u8> {
    let mut data = Vec::new();
    for v in [row, column, 0] {
        data.extend_from_slice(&v.to_le_bytes());
    }
    data.extend_from_slice(&value.to_le_bytes());
    data
}

/// A BIFF8 Workbook stream of one sheet: `cells` as numbers, or a DIMENSIONS record
/// (first row, row after the last, first column, column after the last).
fn biff_sheet(cells: &[(u16, u16, f64)], dimensions: Option<(u32, u32, u16, u16)>) -> Vec<u8> {
    biff_workbook(&cells.iter().map(|(r, c, v)| (0x0203, number(*r, *c, *v))).collect::<Vec<_>>(), dimensions)
}

fn biff_workbook(cells: &[(u16, Vec<u8>)], dimensions: Option<(u32, u32, u16, u16)>) -> Vec<u8> {
    let mut globals = Vec::new();
    record(&mut globals, 0x0809, &bof(0x0005));
    record(&mut globals, 0x0042, &1200u16.to_le_bytes());
    // BOUNDSHEET8 with the sheet's offset filled in below.
    let name = "Sheet1";
    let mut sheet_entry = vec![0, 0, 0, 0, 0, 0, name.len() as u8, 0];
    sheet_entry.extend_from_slice(name.as_bytes());
    let offset_at = globals.len() + 4;
    record(&mut globals, 0x0085, &sheet_entry);
    record(&mut globals, 0x000A, &[]);
    let sheet_at = globals.len() as u32;
    globals[offset_at..offset_at + 4].copy_from_slice(&sheet_at.to_le_bytes());
    record(&mut globals, 0x0809, &bof(0x0010));
    if let Some((r0, r1, c0, c1)) = dimensions {
        let mut data = Vec::new();
        data.extend_from_slice(&r0.to_le_bytes());
        data.extend_from_slice(&r1.to_le_bytes());
        data.extend_from_slice(&c0.to_le_bytes());
        data.extend_from_slice(&c1.to_le_bytes());
        data.extend_from_slice(&[0, 0]);
        record(&mut globals, 0x0200, &data);
    }
    for (kind, data) in cells {
        record(&mut globals, *kind, data);
    }
    record(&mut globals, 0x000A, &[]);
    globals
}

/// A small, well-formed .xls of one sheet: rows of text cells.
pub fn xls(rows: &[&[&str]]) -> Vec<u8> {
    let mut cells = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            if let Ok(v) = text.parse::<f64>() {
                cells.push((0x0203, number(r as u16, c as u16, v)));
            } else {
                cells.push((0x0204, label(r as u16, c as u16, text)));
            }
        }
    }
    cfb(&biff_workbook(&cells, None), Tamper::None)
}

/// A version-3 compound file (512-byte sectors) holding `stream` as "Workbook".
fn cfb(stream: &[u8], tamper: Tamper) -> Vec<u8> {
    const SECTOR: usize = 512;
    const END: u32 = 0xFFFF_FFFE;
    const FREE: u32 = 0xFFFF_FFFF;
    const NONE: u32 = 0xFFFF_FFFF;
    let mut data = stream.to_vec();
    // At least the mini-stream cutoff, so that the stream lives in regular sectors.
    data.resize(data.len().max(4096).div_ceil(SECTOR) * SECTOR, 0);
    let stream_sectors = data.len() / SECTOR;
    // Sector 0: the FAT; sector 1: the directory; then the stream.
    let total = 2 + stream_sectors;
    assert!(total <= SECTOR / 4, "the test stream fits one FAT sector");
    let mut fat = vec![FREE; SECTOR / 4];
    fat[0] = 0xFFFF_FFFD;
    fat[1] = END;
    for i in 0..stream_sectors {
        fat[2 + i] = if i + 1 == stream_sectors { END } else { (3 + i) as u32 };
    }
    if tamper == Tamper::LoopingChain {
        fat[1] = 1;
        fat[2 + stream_sectors - 1] = 2;
    }
    let mut header = vec![0u8; SECTOR];
    header[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    header[24..26].copy_from_slice(&0x003Eu16.to_le_bytes());
    header[26..28].copy_from_slice(&3u16.to_le_bytes());
    header[28..30].copy_from_slice(&0xFFFEu16.to_le_bytes());
    let shift: u16 = if tamper == Tamper::HugeSectors { 30 } else { 9 };
    header[30..32].copy_from_slice(&shift.to_le_bytes());
    header[32..34].copy_from_slice(&6u16.to_le_bytes());
    header[44..48].copy_from_slice(&1u32.to_le_bytes());
    header[48..52].copy_from_slice(&1u32.to_le_bytes());
    header[56..60].copy_from_slice(&4096u32.to_le_bytes());
    header[60..64].copy_from_slice(&END.to_le_bytes());
    header[68..72].copy_from_slice(&END.to_le_bytes());
    for i in 0..109 {
        let id = if i == 0 { 0 } else { FREE };
        header[76 + 4 * i..80 + 4 * i].copy_from_slice(&id.to_le_bytes());
    }
    let entry = |name: &str, kind: u8, left: u32, right: u32, child: u32, start: u32, size: u32| {
        let mut e = vec![0u8; 128];
        let units: Vec<u16> = name.encode_utf16().chain(std::iter::once(0)).collect();
        for (i, u) in units.iter().enumerate() {
            e[2 * i..2 * i + 2].copy_from_slice(&u.to_le_bytes());
        }
        e[64..66].copy_from_slice(&((units.len() * 2) as u16).to_le_bytes());
        e[66] = kind;
        e[67] = 1;
        e[68..72].copy_from_slice(&left.to_le_bytes());
        e[72..76].copy_from_slice(&right.to_le_bytes());
        e[76..80].copy_from_slice(&child.to_le_bytes());
        e[116..120].copy_from_slice(&start.to_le_bytes());
        e[120..124].copy_from_slice(&size.to_le_bytes());
        e
    };
    let (workbook_right, other_left) = if tamper == Tamper::CyclicDirectory { (2, 1) } else { (NONE, NONE) };
    let mut directory = Vec::new();
    directory.extend(entry("Root Entry", 5, NONE, NONE, 1, END, 0));
    directory.extend(entry("Workbook", 2, NONE, workbook_right, NONE, 2, data.len() as u32));
    directory.extend(entry("Other", 1, other_left, NONE, NONE, 0, 0));
    directory.extend(entry("", 0, NONE, NONE, NONE, 0, 0));
    let mut file = header;
    file.extend(fat.iter().flat_map(|v| v.to_le_bytes()));
    file.extend(directory);
    file.extend(data);
    file
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;
    use crate::limits::MAX_PROBLEMS;

    const PLAN: &str = include_str!("../../../plans/ningbo-361-2025.toml");
    const UNITS: &str = include_str!("../../../data/org-units.toml");

    fn context() -> (plan361_core::plan::Plan, plan361_core::org::OrgUnits) {
        (
            plan361_core::plan::parse("plan", PLAN).expect("plan"),
            plan361_core::org::OrgUnits::parse("units", UNITS).expect("units"),
        )
    }

    #[test]
    fn every_hostile_file_is_refused_quickly_naming_the_limit() {
        let (plan, units) = context();
        for hostile in corpus() {
            let started = Instant::now();
            for refused in [
                crate::observations::read(hostile.file_name, &hostile.bytes, &plan, &units).map(|_| ()),
                crate::lists::read(plan361_core::registry::ListKind::Enterprises, hostile.file_name, &hostile.bytes)
                    .map(|_| ()),
            ] {
                let errors = refused.expect_err(hostile.name);
                assert_eq!(errors.total, 1, "{}: one problem, the file's: {errors}", hostile.name);
                assert!(
                    errors[0].reason.contains(hostile.refusal),
                    "{}: expected a refusal naming \"{}\", got: {}",
                    hostile.name,
                    hostile.refusal,
                    errors[0].reason
                );
            }
            assert!(started.elapsed() < Duration::from_secs(20), "{} took {:?}", hostile.name, started.elapsed());
        }
    }

    #[test]
    fn a_file_of_many_bad_rows_reports_the_first_hundred_and_the_count() {
        let (plan, units) = context();
        let errors = crate::observations::read("bad.csv", &bad_rows_csv(50_000), &plan, &units).expect_err("bad");
        assert_eq!((errors.errors.len(), errors.total), (MAX_PROBLEMS, 50_000));
        assert_eq!(errors.omitted(), 50_000 - MAX_PROBLEMS);
        assert!(errors.to_string().contains("50000 row(s) rejected"));
    }

    #[test]
    fn a_well_formed_xls_reads() {
        let (plan, units) = context();
        let bytes = xls(&[
            &["target_id", "org_unit", "period", "value", "comment"],
            &["1.2.1", "宁波市", "2026-10", "7", "新认定"],
        ]);
        let rows = crate::observations::read("form.xls", &bytes, &plan, &units).expect("a valid .xls reads");
        assert_eq!((rows.len(), rows[0].value, rows[0].line), (1, 7.0, 2));
        assert_eq!(rows[0].comment.as_deref(), Some("新认定"));
    }
}
