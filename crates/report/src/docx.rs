//! The bulletin as a Word document (WordprocessingML in a zip, written directly: a .docx is a
//! few XML parts). Real Word tables with a repeated header row, heading styles a clerk can
//! edit and that feed Word's navigation pane, A4 portrait with official-document margins, a
//! running header and page numbers, fonts by name (仿宋 body, 黑体 and 楷体 headings, 宋体
//! tables) with their Latin names in the font table so that Word, WPS and LibreOffice each
//! find or substitute them, and charts as native Word charts (DrawingML), whose data travel
//! with them as cached values.

use std::fmt::Write as _;
use std::io::Write as _;

use plan361_views::table::{Cell, Table};

use crate::{Block, Bulletin, ChartKind, Figure, status_colour};

/// A4 portrait in twentieths of a point, and the text width within the margins.
const PAGE_W: u32 = 11906;
const PAGE_H: u32 = 16838;
const MARGIN_LEFT: u32 = 1587;
const MARGIN_RIGHT: u32 = 1474;
const TEXT_W: u32 = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT;
/// EMU per twip, for drawing sizes.
const EMU_PER_TWIP: u64 = 635;

/// The .docx file.
pub fn write(bulletin: &Bulletin) -> Result<Vec<u8>, String> {
    let charts: Vec<&Figure> = bulletin
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Chart(f) => Some(f),
            _ => None,
        })
        .collect();
    let mut parts: Vec<(String, String)> = vec![
        ("[Content_Types].xml".into(), content_types(charts.len())),
        ("_rels/.rels".into(), ROOT_RELS.into()),
        ("docProps/core.xml".into(), core_properties(bulletin)),
        ("docProps/app.xml".into(), APP_PROPERTIES.into()),
        ("word/_rels/document.xml.rels".into(), document_rels(charts.len())),
        ("word/document.xml".into(), document(bulletin)),
        ("word/styles.xml".into(), STYLES.into()),
        ("word/settings.xml".into(), SETTINGS.into()),
        ("word/fontTable.xml".into(), FONT_TABLE.into()),
        ("word/header1.xml".into(), header(bulletin)),
        ("word/footer1.xml".into(), FOOTER.into()),
    ];
    for (i, figure) in charts.iter().enumerate() {
        parts.push((format!("word/charts/chart{}.xml", i + 1), chart(figure)));
    }
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in parts {
        zip.start_file(name.as_str(), options).map_err(|e| format!("{name}: {e}"))?;
        zip.write_all(text.as_bytes()).map_err(|e| format!("{name}: {e}"))?;
    }
    zip.finish().map(|c| c.into_inner()).map_err(|e| e.to_string())
}

/// Escapes text for XML content and attributes.
fn x(text: &str) -> String {
    plan361_views::chart::escape(text)
}

const XML_HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
const W_NS: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
                    xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";

fn content_types(charts: usize) -> String {
    let mut s = format!(
        "{XML_HEAD}<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
         <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
         <Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    );
    let word = "application/vnd.openxmlformats-officedocument.wordprocessingml";
    for (part, kind) in [
        ("/word/document.xml", format!("{word}.document.main+xml")),
        ("/word/styles.xml", format!("{word}.styles+xml")),
        ("/word/settings.xml", format!("{word}.settings+xml")),
        ("/word/fontTable.xml", format!("{word}.fontTable+xml")),
        ("/word/header1.xml", format!("{word}.header+xml")),
        ("/word/footer1.xml", format!("{word}.footer+xml")),
        ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml".into()),
        ("/docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml".into()),
    ] {
        let _ = write!(s, "<Override PartName=\"{part}\" ContentType=\"{kind}\"/>");
    }
    for i in 1..=charts {
        let _ = write!(
            s,
            "<Override PartName=\"/word/charts/chart{i}.xml\" \
             ContentType=\"application/vnd.openxmlformats-officedocument.drawingml.chart+xml\"/>"
        );
    }
    s.push_str("</Types>");
    s
}

const ROOT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>\
</Relationships>";

const APP_PROPERTIES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">\
<Application>plan361</Application></Properties>";

fn core_properties(b: &Bulletin) -> String {
    format!(
        "{XML_HEAD}<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
         <dc:title>{}</dc:title><dc:creator>{}</dc:creator><dc:language>zh-CN</dc:language>\
         <dcterms:created xsi:type=\"dcterms:W3CDTF\">{}T00:00:00Z</dcterms:created></cp:coreProperties>",
        x(&b.running_header()),
        x(&b.issuer),
        b.issued
    )
}

fn document_rels(charts: usize) -> String {
    let base = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let mut s = format!(
        "{XML_HEAD}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
         <Relationship Id=\"rStyles\" Type=\"{base}/styles\" Target=\"styles.xml\"/>\
         <Relationship Id=\"rSettings\" Type=\"{base}/settings\" Target=\"settings.xml\"/>\
         <Relationship Id=\"rFonts\" Type=\"{base}/fontTable\" Target=\"fontTable.xml\"/>\
         <Relationship Id=\"rHeader\" Type=\"{base}/header\" Target=\"header1.xml\"/>\
         <Relationship Id=\"rFooter\" Type=\"{base}/footer\" Target=\"footer1.xml\"/>"
    );
    for i in 1..=charts {
        let _ = write!(s, "<Relationship Id=\"rChart{i}\" Type=\"{base}/chart\" Target=\"charts/chart{i}.xml\"/>");
    }
    s.push_str("</Relationships>");
    s
}

/// A paragraph of one style with plain text.
fn paragraph(style: &str, text: &str) -> String {
    format!("<w:p><w:pPr><w:pStyle w:val=\"{style}\"/></w:pPr>{}</w:p>", run(text, ""))
}

fn run(text: &str, properties: &str) -> String {
    let properties = if properties.is_empty() { String::new() } else { format!("<w:rPr>{properties}</w:rPr>") };
    format!("<w:r>{properties}<w:t xml:space=\"preserve\">{}</w:t></w:r>", x(text))
}

fn document(b: &Bulletin) -> String {
    let mut body = String::new();
    body.push_str(&paragraph("Title", &b.title));
    body.push_str(&paragraph("Subtitle", &format!("({})", b.period_label)));
    body.push_str(&paragraph("Issuer", &format!("{}  {}", b.issuer, issued(b))));
    let mut chart = 0;
    for block in &b.blocks {
        match block {
            Block::Heading { level, text } => body.push_str(&paragraph(&format!("Heading{level}"), text)),
            Block::Paragraph(text) => body.push_str(&paragraph("BodyText", text)),
            Block::Table { caption, note, table } => {
                body.push_str(&paragraph("Caption", caption));
                body.push_str(&word_table(table));
                if !note.is_empty() {
                    body.push_str(&paragraph("TableNote", &format!("注:{note}")));
                }
            }
            Block::Chart(figure) => {
                chart += 1;
                body.push_str(&drawing(chart, figure));
                body.push_str(&paragraph("Caption", &figure.caption));
            }
        }
    }
    format!(
        "{XML_HEAD}<w:document {W_NS} \
         xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" \
         xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" \
         xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\"><w:body>{body}\
         <w:sectPr><w:headerReference w:type=\"default\" r:id=\"rHeader\"/>\
         <w:footerReference w:type=\"default\" r:id=\"rFooter\"/>\
         <w:pgSz w:w=\"{PAGE_W}\" w:h=\"{PAGE_H}\"/>\
         <w:pgMar w:top=\"1871\" w:right=\"{MARGIN_RIGHT}\" w:bottom=\"1644\" w:left=\"{MARGIN_LEFT}\" \
         w:header=\"851\" w:footer=\"992\" w:gutter=\"0\"/><w:cols w:space=\"425\"/></w:sectPr></w:body></w:document>"
    )
}

/// 2026年12月5日
fn issued(b: &Bulletin) -> String {
    format!("{}年{}月{}日", b.issued.year(), b.issued.month(), b.issued.day())
}

/// Column widths, in characters of the table's 9-point text (a Latin character counts 0.62):
/// each column as wide as its longest text; when that is wider than the page, the widest
/// columns give way first, to a common width (water-filling), so that numbers and marks keep
/// theirs and names wrap.
fn column_widths(columns: &[String], rows: &[Vec<Cell>]) -> Vec<u32> {
    const CHAR: f64 = 180.0;
    const PADDING: f64 = 160.0;
    let width = |text: &str| text.chars().map(|c| if c.is_ascii() { 0.62 } else { 1.0 }).sum::<f64>();
    let natural: Vec<f64> = (0..columns.len())
        .map(|i| {
            let cells = rows.iter().filter_map(|r| r.get(i)).map(|c| match c {
                // The mark goes before the label.
                Cell::Status(_, label) => width(label) + 1.5,
                c => width(&c.plain()),
            });
            // A header may wrap onto three lines.
            let longest = cells.chain(std::iter::once(width(&columns[i]) / 3.0)).fold(2.0, f64::max);
            longest * CHAR + PADDING
        })
        .collect();
    let page = f64::from(TEXT_W);
    let total: f64 = natural.iter().sum();
    if total <= page {
        return natural.iter().map(|w| (w * page / total).round() as u32).collect();
    }
    let capped = |cap: f64| natural.iter().map(|w| w.min(cap)).sum::<f64>();
    let (mut low, mut high) = (0.0, page);
    for _ in 0..40 {
        let mid = (low + high) / 2.0;
        if capped(mid) > page { high = mid } else { low = mid }
    }
    let widths: Vec<f64> = natural.iter().map(|w| w.min(low)).collect();
    let sum: f64 = widths.iter().sum();
    widths.iter().map(|w| (w * page / sum).round() as u32).collect()
}

fn word_table(table: &Table) -> String {
    let (columns, sentences) = crate::split_sentences(table);
    let widths = column_widths(columns, &table.rows);
    let border = |side: &str| format!("<w:{side} w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>");
    let borders: String = ["top", "left", "bottom", "right", "insideH", "insideV"].iter().map(|s| border(s)).collect();
    let mut s = format!(
        "<w:tbl><w:tblPr><w:tblW w:w=\"{TEXT_W}\" w:type=\"dxa\"/><w:jc w:val=\"center\"/>\
         <w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type=\"fixed\"/>\
         <w:tblCellMar><w:left w:w=\"57\" w:type=\"dxa\"/><w:right w:w=\"57\" w:type=\"dxa\"/></w:tblCellMar>\
         <w:tblLook w:val=\"04A0\" w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"0\" w:lastColumn=\"0\" \
         w:noHBand=\"1\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid>"
    );
    for w in &widths {
        let _ = write!(s, "<w:gridCol w:w=\"{w}\"/>");
    }
    s.push_str("</w:tblGrid><w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>");
    for (title, w) in columns.iter().zip(&widths) {
        s.push_str(&table_cell(*w, 1, Some("D9E2F3"), "center", &run(title, "<w:b/>")));
    }
    s.push_str("</w:tr>");
    for row in &table.rows {
        s.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
        for (cell, w) in row.iter().zip(&widths) {
            let (align, content) = match cell {
                Cell::Status(status, label) => (
                    "center",
                    format!(
                        "{}{}",
                        run("●", &format!("<w:color w:val=\"{}\"/>", status_colour(*status))),
                        run(label, "")
                    ),
                ),
                c if c.is_numeric() => ("right", run(&c.plain(), "")),
                c => ("left", run(&c.plain(), "")),
            };
            s.push_str(&table_cell(*w, 1, None, align, &content));
        }
        s.push_str("</w:tr>");
        if let Some(sentence) = sentences.and_then(|i| row.get(i)) {
            let label = format!("{}:", crate::SENTENCE_COLUMN);
            let content = format!("{}{}", run(&label, "<w:b/>"), run(&sentence.plain(), ""));
            let _ = write!(
                s,
                "<w:tr><w:trPr><w:cantSplit/></w:trPr>{}</w:tr>",
                table_cell(TEXT_W, columns.len(), None, "both", &content)
            );
        }
    }
    s.push_str("</w:tbl>");
    s
}

fn table_cell(width: u32, span: usize, fill: Option<&str>, align: &str, runs: &str) -> String {
    let shading =
        fill.map_or_else(String::new, |f| format!("<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"{f}\"/>"));
    let span = if span > 1 { format!("<w:gridSpan w:val=\"{span}\"/>") } else { String::new() };
    format!(
        "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/>{span}{shading}<w:vAlign w:val=\"center\"/></w:tcPr>\
         <w:p><w:pPr><w:pStyle w:val=\"TableText\"/><w:jc w:val=\"{align}\"/></w:pPr>{runs}</w:p></w:tc>"
    )
}

/// A native chart placed inline, centred, the width of the text.
fn drawing(n: usize, figure: &Figure) -> String {
    let cx = u64::from(TEXT_W) * EMU_PER_TWIP;
    let rows = figure.categories.len().max(4) as u64;
    let cy = match figure.kind {
        ChartKind::Bar => (rows * 320_000 + 700_000).min(cx),
        ChartKind::ColumnLine => cx * 9 / 16,
    };
    format!(
        "<w:p><w:pPr><w:pStyle w:val=\"Figure\"/></w:pPr><w:r><w:drawing>\
         <wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\"><wp:extent cx=\"{cx}\" cy=\"{cy}\"/>\
         <wp:effectExtent l=\"0\" t=\"0\" r=\"0\" b=\"0\"/><wp:docPr id=\"{n}\" name=\"{}\"/><wp:cNvGraphicFramePr/>\
         <a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/chart\">\
         <c:chart r:id=\"rChart{n}\"/></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>",
        x(&figure.caption)
    )
}

/// Text properties of chart text: 宋体, in hundredths of a point.
fn chart_text(size: u32, bold: bool) -> String {
    format!(
        "<a:defRPr sz=\"{size}\" b=\"{}\"><a:latin typeface=\"Times New Roman\"/><a:ea typeface=\"宋体\"/></a:defRPr>",
        u8::from(bold)
    )
}

fn string_cache(reference: &str, values: &[String]) -> String {
    let mut s = format!("<c:strRef><c:f>{reference}</c:f><c:strCache><c:ptCount val=\"{}\"/>", values.len());
    for (i, v) in values.iter().enumerate() {
        let _ = write!(s, "<c:pt idx=\"{i}\"><c:v>{}</c:v></c:pt>", x(v));
    }
    s.push_str("</c:strCache></c:strRef>");
    s
}

fn number_cache(reference: &str, values: &[Option<f64>], format: &str) -> String {
    let mut s = format!(
        "<c:numRef><c:f>{reference}</c:f><c:numCache><c:formatCode>{format}</c:formatCode><c:ptCount val=\"{}\"/>",
        values.len()
    );
    for (i, v) in values.iter().enumerate() {
        if let Some(v) = v.filter(|v| v.is_finite()) {
            let _ = write!(s, "<c:pt idx=\"{i}\"><c:v>{v}</c:v></c:pt>");
        }
    }
    s.push_str("</c:numCache></c:numRef>");
    s
}

fn fill(colour: &str) -> String {
    format!("<c:spPr><a:solidFill><a:srgbClr val=\"{colour}\"/></a:solidFill></c:spPr>")
}

fn data_labels(format: &str) -> String {
    format!(
        "<c:dLbls><c:numFmt formatCode=\"{format}\" sourceLinked=\"0\"/><c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>\
         <c:showLegendKey val=\"0\"/><c:showVal val=\"1\"/><c:showCatName val=\"0\"/><c:showSerName val=\"0\"/>\
         <c:showPercent val=\"0\"/><c:showBubbleSize val=\"0\"/></c:dLbls>"
    )
}

/// One series: name, colours, labels, categories and values, with the cell references an
/// editor would use for them (column A the categories, B, C … the series).
fn series(i: usize, figure: &Figure, line: bool) -> String {
    let s = &figure.series[i];
    let column = char::from(b'B' + i as u8);
    let n = figure.categories.len() + 1;
    let mut out = format!(
        "<c:ser><c:idx val=\"{i}\"/><c:order val=\"{i}\"/><c:tx>{}</c:tx>",
        string_cache(&format!("Sheet1!${column}$1"), std::slice::from_ref(&s.name))
    );
    let first = s.colours.first().copied().unwrap_or("1A66C9");
    if line {
        let _ = write!(
            out,
            "<c:spPr><a:ln w=\"28575\"><a:solidFill><a:srgbClr val=\"{first}\"/></a:solidFill></a:ln></c:spPr>\
             <c:marker><c:symbol val=\"circle\"/><c:size val=\"5\"/>{}</c:marker>",
            fill(first)
        );
    } else {
        out.push_str(&fill(first));
        out.push_str("<c:invertIfNegative val=\"0\"/>");
        if s.colours.len() > 1 {
            for (p, colour) in s.colours.iter().enumerate() {
                let _ = write!(
                    out,
                    "<c:dPt><c:idx val=\"{p}\"/><c:invertIfNegative val=\"0\"/><c:bubble3D val=\"0\"/>{}</c:dPt>",
                    fill(colour)
                );
            }
        }
    }
    out.push_str(&data_labels(figure.number_format));
    let _ = write!(
        out,
        "<c:cat>{}</c:cat><c:val>{}</c:val>",
        string_cache(&format!("Sheet1!$A$2:$A${n}"), &figure.categories),
        number_cache(&format!("Sheet1!${column}$2:${column}${n}"), &s.values, figure.number_format)
    );
    if line {
        out.push_str("<c:smooth val=\"0\"/>");
    }
    out.push_str("</c:ser>");
    out
}

/// A category axis and its value axis; `from_zero` starts the values at 0 (bars of positive
/// values, which an automatic minimum would exaggerate).
fn axes(
    category: u32,
    value: u32,
    horizontal: bool,
    value_pos: &str,
    crosses: &str,
    delete_category: bool,
    from_zero: bool,
) -> String {
    let (cat_pos, orientation) = if horizontal { ("l", "maxMin") } else { ("b", "minMax") };
    format!(
        "<c:catAx><c:axId val=\"{category}\"/><c:scaling><c:orientation val=\"{orientation}\"/></c:scaling>\
         <c:delete val=\"{}\"/><c:axPos val=\"{cat_pos}\"/><c:numFmt formatCode=\"General\" sourceLinked=\"0\"/>\
         <c:majorTickMark val=\"none\"/><c:minorTickMark val=\"none\"/><c:tickLblPos val=\"low\"/>\
         <c:crossAx val=\"{value}\"/><c:crosses val=\"autoZero\"/><c:auto val=\"1\"/><c:lblAlgn val=\"ctr\"/>\
         <c:lblOffset val=\"100\"/><c:noMultiLvlLbl val=\"0\"/></c:catAx>\
         <c:valAx><c:axId val=\"{value}\"/><c:scaling><c:orientation val=\"minMax\"/>{}</c:scaling><c:delete val=\"0\"/>\
         <c:axPos val=\"{value_pos}\"/>{}<c:numFmt formatCode=\"General\" sourceLinked=\"0\"/>\
         <c:majorTickMark val=\"out\"/><c:minorTickMark val=\"none\"/><c:tickLblPos val=\"nextTo\"/>\
         <c:crossAx val=\"{category}\"/><c:crosses val=\"{crosses}\"/><c:crossBetween val=\"between\"/></c:valAx>",
        u8::from(delete_category),
        if from_zero { "<c:min val=\"0\"/>" } else { "" },
        if crosses == "autoZero" {
            "<c:majorGridlines><c:spPr><a:ln w=\"6350\"><a:solidFill><a:srgbClr val=\"D9D9D9\"/></a:solidFill></a:ln></c:spPr></c:majorGridlines>"
        } else {
            ""
        },
    )
}

/// Whether the first series has no negative value.
fn nonnegative(figure: &Figure) -> bool {
    figure.series.first().is_some_and(|s| s.values.iter().flatten().all(|v| *v >= 0.0))
}

/// A chart part: the figure's series with their values cached, so the chart draws without a
/// workbook behind it.
fn chart(figure: &Figure) -> String {
    let plot = match figure.kind {
        ChartKind::Bar => {
            let series: String = (0..figure.series.len()).map(|i| series(i, figure, false)).collect();
            format!(
                "<c:barChart><c:barDir val=\"bar\"/><c:grouping val=\"clustered\"/><c:varyColors val=\"0\"/>{series}\
                 <c:gapWidth val=\"60\"/><c:axId val=\"1001\"/><c:axId val=\"1002\"/></c:barChart>{}",
                axes(1001, 1002, true, "b", "autoZero", false, nonnegative(figure))
            )
        }
        ChartKind::ColumnLine => {
            let lines: String = (1..figure.series.len()).map(|i| series(i, figure, true)).collect();
            format!(
                "<c:barChart><c:barDir val=\"col\"/><c:grouping val=\"clustered\"/><c:varyColors val=\"0\"/>{}\
                 <c:gapWidth val=\"80\"/><c:axId val=\"1001\"/><c:axId val=\"1002\"/></c:barChart>\
                 <c:lineChart><c:grouping val=\"standard\"/><c:varyColors val=\"0\"/>{lines}<c:marker val=\"1\"/>\
                 <c:axId val=\"1003\"/><c:axId val=\"1004\"/></c:lineChart>{}{}",
                series(0, figure, false),
                axes(1001, 1002, false, "l", "autoZero", false, nonnegative(figure)),
                axes(1003, 1004, false, "r", "max", true, false)
            )
        }
    };
    let legend = if figure.series.len() > 1 {
        "<c:legend><c:legendPos val=\"b\"/><c:overlay val=\"0\"/></c:legend>"
    } else {
        ""
    };
    format!(
        "{XML_HEAD}<c:chartSpace xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\" \
         xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" \
         xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">\
         <c:lang val=\"zh-CN\"/><c:roundedCorners val=\"0\"/><c:chart><c:autoTitleDeleted val=\"1\"/>\
         <c:plotArea><c:layout/>{plot}</c:plotArea>{legend}<c:plotVisOnly val=\"1\"/><c:dispBlanksAs val=\"gap\"/>\
         </c:chart><c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>\
         <c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr>{}</a:pPr><a:endParaRPr lang=\"zh-CN\"/></a:p></c:txPr>\
         </c:chartSpace>",
        chart_text(900, false)
    )
}

fn header(b: &Bulletin) -> String {
    format!("{XML_HEAD}<w:hdr {W_NS}>{}</w:hdr>", paragraph("Header", &b.running_header()))
}

const FOOTER: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<w:ftr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:p><w:pPr><w:pStyle w:val=\"Footer\"/></w:pPr><w:r><w:t xml:space=\"preserve\">— </w:t></w:r>\
<w:fldSimple w:instr=\" PAGE \"><w:r><w:t>1</w:t></w:r></w:fldSimple>\
<w:r><w:t xml:space=\"preserve\"> —</w:t></w:r></w:p></w:ftr>";

const SETTINGS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<w:settings xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:defaultTabStop w:val=\"420\"/><w:characterSpacingControl w:val=\"compressPunctuation\"/>\
<w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>\
<w:themeFontLang w:val=\"en-US\" w:eastAsia=\"zh-CN\"/></w:settings>";

/// The fonts by their Chinese names, with the Latin names (`altName`), character set (GB2312)
/// and PANOSE that let Word, WPS and LibreOffice find them or a close substitute.
const FONT_TABLE: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<w:fonts xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:font w:name=\"宋体\"><w:altName w:val=\"SimSun\"/><w:panose1 w:val=\"02010600030101010101\"/><w:charset w:val=\"86\"/><w:family w:val=\"auto\"/><w:pitch w:val=\"variable\"/></w:font>\
<w:font w:name=\"仿宋\"><w:altName w:val=\"FangSong\"/><w:panose1 w:val=\"02010609060101010101\"/><w:charset w:val=\"86\"/><w:family w:val=\"modern\"/><w:pitch w:val=\"fixed\"/></w:font>\
<w:font w:name=\"黑体\"><w:altName w:val=\"SimHei\"/><w:panose1 w:val=\"02010609060101010101\"/><w:charset w:val=\"86\"/><w:family w:val=\"modern\"/><w:pitch w:val=\"fixed\"/></w:font>\
<w:font w:name=\"楷体\"><w:altName w:val=\"KaiTi\"/><w:panose1 w:val=\"02010609060101010101\"/><w:charset w:val=\"86\"/><w:family w:val=\"modern\"/><w:pitch w:val=\"fixed\"/></w:font>\
<w:font w:name=\"Times New Roman\"><w:panose1 w:val=\"02020603050405020304\"/><w:charset w:val=\"00\"/><w:family w:val=\"roman\"/><w:pitch w:val=\"variable\"/></w:font>\
</w:fonts>";

/// Styles: 仿宋 三号 body with 28-point lines (the official layout), 黑体 and 楷体 headings
/// with outline levels, the title, table text in 宋体 小五, captions, header and footer.
const STYLES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"仿宋\" w:cs=\"Times New Roman\"/>\
<w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/><w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\"/></w:rPr></w:rPrDefault>\
<w:pPrDefault><w:pPr><w:spacing w:after=\"0\" w:line=\"560\" w:lineRule=\"exact\"/></w:pPr></w:pPrDefault></w:docDefaults>\
<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/><w:pPr><w:jc w:val=\"both\"/></w:pPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Subtitle\"/><w:qFormat/>\
<w:pPr><w:jc w:val=\"center\"/><w:spacing w:before=\"240\" w:after=\"120\" w:line=\"640\" w:lineRule=\"exact\"/></w:pPr>\
<w:rPr><w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"宋体\"/><w:b/><w:sz w:val=\"44\"/><w:szCs w:val=\"44\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Subtitle\"><w:name w:val=\"Subtitle\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:jc w:val=\"center\"/></w:pPr><w:rPr><w:rFonts w:eastAsia=\"楷体\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Issuer\"><w:name w:val=\"Issuer\"/><w:basedOn w:val=\"Normal\"/>\
<w:pPr><w:jc w:val=\"center\"/><w:spacing w:after=\"240\"/></w:pPr><w:rPr><w:sz w:val=\"28\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"BodyText\"/><w:qFormat/>\
<w:pPr><w:keepNext/><w:ind w:firstLine=\"640\"/><w:outlineLvl w:val=\"0\"/></w:pPr><w:rPr><w:rFonts w:eastAsia=\"黑体\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Heading2\"><w:name w:val=\"heading 2\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"BodyText\"/><w:qFormat/>\
<w:pPr><w:keepNext/><w:ind w:firstLine=\"640\"/><w:outlineLvl w:val=\"1\"/></w:pPr><w:rPr><w:rFonts w:eastAsia=\"楷体\"/><w:b/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"BodyText\"><w:name w:val=\"Body Text\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:ind w:firstLine=\"640\"/></w:pPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Caption\"><w:name w:val=\"caption\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:keepNext/><w:jc w:val=\"center\"/><w:spacing w:before=\"120\" w:after=\"60\" w:line=\"360\" w:lineRule=\"auto\"/></w:pPr>\
<w:rPr><w:rFonts w:eastAsia=\"黑体\"/><w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"TableText\"><w:name w:val=\"Table Text\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:jc w:val=\"left\"/><w:spacing w:line=\"260\" w:lineRule=\"atLeast\"/></w:pPr>\
<w:rPr><w:rFonts w:eastAsia=\"宋体\"/><w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"TableNote\"><w:name w:val=\"Table Note\"/><w:basedOn w:val=\"TableText\"/>\
<w:pPr><w:spacing w:before=\"60\" w:after=\"120\"/></w:pPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Figure\"><w:name w:val=\"Figure\"/><w:basedOn w:val=\"Normal\"/>\
<w:pPr><w:keepNext/><w:jc w:val=\"center\"/><w:spacing w:before=\"120\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Header\"><w:name w:val=\"header\"/><w:basedOn w:val=\"Normal\"/>\
<w:pPr><w:pBdr><w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"1\" w:color=\"000000\"/></w:pBdr><w:jc w:val=\"right\"/>\
<w:spacing w:line=\"240\" w:lineRule=\"auto\"/></w:pPr><w:rPr><w:rFonts w:eastAsia=\"宋体\"/><w:sz w:val=\"18\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Footer\"><w:name w:val=\"footer\"/><w:basedOn w:val=\"Normal\"/>\
<w:pPr><w:jc w:val=\"center\"/><w:spacing w:line=\"240\" w:lineRule=\"auto\"/></w:pPr><w:rPr><w:rFonts w:eastAsia=\"宋体\"/><w:sz w:val=\"28\"/></w:rPr></w:style>\
</w:styles>";
