//! The bulletin as one self-contained HTML file that prints on A4: the app's stylesheet and
//! SVG charts inline (no request leaves the file), a running header and page numbers in the
//! page margins, table headers repeated on every page.

use std::fmt::Write as _;

use plan361_views::chart::escape;
use plan361_views::table::{Cell, Table, status_class};

use crate::{Block, Bulletin};

pub fn write(bulletin: &Bulletin) -> String {
    let app_css =
        plan361_views::asset("app.css").map(|a| String::from_utf8_lossy(a.bytes).into_owned()).unwrap_or_default();
    let running = bulletin.running_header().replace('\\', "\\\\").replace('"', "\\\"");
    let mut body = String::new();
    let _ = write!(
        body,
        "<header class=\"masthead\"><h1 class=\"title\">{}</h1><p class=\"period\">({})</p>\
         <p class=\"issuer\">{} {}年{}月{}日</p></header>",
        escape(&bulletin.title),
        escape(&bulletin.period_label),
        escape(&bulletin.issuer),
        bulletin.issued.year(),
        bulletin.issued.month(),
        bulletin.issued.day()
    );
    for block in &bulletin.blocks {
        match block {
            Block::Heading { level, text } => {
                let _ = write!(body, "<h{0}>{1}</h{0}>", level + 1, escape(text));
            }
            Block::Paragraph(text) => {
                let _ = write!(body, "<p>{}</p>", escape(text));
            }
            Block::Table { caption, note, table } => {
                let _ =
                    write!(body, "<section class=\"report-table\"><h4>{}</h4>{}", escape(caption), html_table(table));
                if !note.is_empty() {
                    let _ = write!(body, "<p class=\"note\">注:{}</p>", escape(note));
                }
                body.push_str("</section>");
            }
            Block::Chart(figure) => {
                let _ =
                    write!(body, "<figure>{}<figcaption>{}</figcaption></figure>", figure.svg, escape(&figure.caption));
            }
        }
    }
    format!(
        "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{}</title>\
         <style>{app_css}</style><style>@page {{ size: A4 portrait; margin: 24mm 16mm 20mm 18mm; \
         @top-center {{ content: \"{running}\"; font-size: 9pt; color: #444; }} \
         @bottom-center {{ content: \"— \" counter(page) \" —\"; font-size: 10pt; }} }}{PRINT_CSS}</style></head>\
         <body class=\"bulletin\">{body}</body></html>",
        escape(&bulletin.running_header())
    )
}

fn html_table(table: &Table) -> String {
    let (columns, sentences) = crate::split_sentences(table);
    let mut s = String::from("<table class=\"report\"><thead><tr>");
    for column in columns {
        let _ = write!(s, "<th>{}</th>", escape(column));
    }
    s.push_str("</tr></thead><tbody>");
    for row in &table.rows {
        s.push_str("<tr>");
        for cell in row.iter().take(columns.len()) {
            match cell {
                Cell::Status(status, label) => {
                    let _ = write!(
                        s,
                        "<td class=\"status\"><span class=\"mark {}\">●</span>{}</td>",
                        status_class(*status),
                        escape(label)
                    );
                }
                c if c.is_numeric() => {
                    let _ = write!(s, "<td class=\"num\">{}</td>", escape(&c.plain()));
                }
                c => {
                    let _ = write!(s, "<td>{}</td>", escape(&c.plain()));
                }
            }
        }
        s.push_str("</tr>");
        if let Some(sentence) = sentences.and_then(|i| row.get(i)) {
            let _ = write!(
                s,
                "<tr class=\"sentence\"><td colspan=\"{}\"><b>{}:</b>{}</td></tr>",
                columns.len(),
                crate::SENTENCE_COLUMN,
                escape(&sentence.plain())
            );
        }
    }
    s.push_str("</tbody></table>");
    s
}

/// The printed page: 仿宋 body, 黑体/楷体 headings, 宋体 tables, by name with open fallbacks.
const PRINT_CSS: &str = "
body.bulletin { max-width: 176mm; margin: 0 auto; padding: 8mm 0; background: #fff; color: #000;
  font-family: 'FangSong', '仿宋', 'STFangsong', 'Noto Serif CJK SC', serif; font-size: 12.5pt; line-height: 1.75; }
.bulletin .masthead { text-align: center; margin-bottom: 8mm; }
.bulletin h1.title { font-family: 'SimSun', '宋体', 'Noto Serif CJK SC', serif; font-size: 20pt; font-weight: 700; margin: 0 0 2mm; }
.bulletin .period { font-family: 'KaiTi', '楷体', 'Noto Serif CJK SC', serif; margin: 0; }
.bulletin .issuer { margin: 1mm 0 0; font-size: 11pt; }
.bulletin h2 { font-family: 'SimHei', '黑体', 'Noto Sans CJK SC', sans-serif; font-size: 14pt; font-weight: 400; margin: 5mm 0 1mm; break-after: avoid; }
.bulletin h3 { font-family: 'KaiTi', '楷体', 'Noto Serif CJK SC', serif; font-size: 13pt; font-weight: 700; margin: 3mm 0 1mm; break-after: avoid; }
.bulletin p { text-indent: 2em; margin: 0 0 1.5mm; text-align: justify; }
.bulletin h4 { font-family: 'SimHei', '黑体', 'Noto Sans CJK SC', sans-serif; font-size: 11pt; font-weight: 400; text-align: center; margin: 3mm 0 1mm; break-after: avoid; }
.bulletin p.note { font-size: 9pt; text-indent: 0; }
.bulletin table.report { width: 100%; border-collapse: collapse; font-family: 'SimSun', '宋体', 'Noto Serif CJK SC', serif; font-size: 8.5pt; line-height: 1.35; }
.bulletin table.report th { background: #d9e2f3; font-weight: 700; }
.bulletin table.report th, .bulletin table.report td { border: 0.6pt solid #000; padding: 1mm 1.2mm; vertical-align: middle; font-size: 8.5pt; }
.bulletin table.report td.num { text-align: right; white-space: nowrap; }
.bulletin table.report td.status { text-align: center; white-space: nowrap; }
.bulletin .mark { color: var(--c); margin-right: 1px; }
.bulletin thead { display: table-header-group; }
.bulletin tr { break-inside: avoid; }
.bulletin tr.sentence td { text-align: justify; }
.bulletin figure { margin: 4mm 0; break-inside: avoid; text-align: center; }
.bulletin figure svg { width: 100%; height: auto; max-height: 95mm; }
.bulletin figcaption { font-family: 'SimHei', '黑体', 'Noto Sans CJK SC', sans-serif; font-size: 11pt; }
@media screen { body.bulletin { padding: 12mm 16mm; box-shadow: 0 0 6px #bbb; margin: 6mm auto; } }
";
