//! The text of a .docx: the paragraphs of `word/document.xml`.
//!
//! Only three elements matter for the text — `w:t` (a run of text), `w:p` (a paragraph) and
//! `w:tab`/`w:br` — so a small scan over the XML does the job: no XML library is needed, and the
//! scan is tested on random input like the rest of the extractor. Deleted text (`w:delText`) and
//! field codes (`w:instrText`) are not `w:t` and are left out. Word's automatic list numbers are
//! not in the text and are therefore lost; headings typed as text (`一、`) are kept.

use std::fmt;
use std::io::{Cursor, Read};

/// The largest document.xml read (a guard against decompression bombs).
const MAX_XML: u64 = 64 * 1024 * 1024;

#[derive(Debug)]
pub enum DocxError {
    /// Not a zip archive, or a damaged one.
    Archive(String),
    /// A zip archive without word/document.xml.
    NoDocument,
    /// word/document.xml could not be read (not UTF-8, or too large).
    Unreadable(String),
}

impl fmt::Display for DocxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DocxError::Archive(e) => write!(f, "not a readable .docx (zip archive): {e}"),
            DocxError::NoDocument => write!(f, "not a Word document: the archive has no word/document.xml"),
            DocxError::Unreadable(e) => write!(f, "word/document.xml cannot be read: {e}"),
        }
    }
}

impl std::error::Error for DocxError {}

/// The text of a .docx file's main document, one line per paragraph.
pub fn docx_text(bytes: &[u8]) -> Result<String, DocxError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| DocxError::Archive(e.to_string()))?;
    let file = archive.by_name("word/document.xml").map_err(|e| match e {
        zip::result::ZipError::FileNotFound => DocxError::NoDocument,
        e => DocxError::Archive(e.to_string()),
    })?;
    let mut xml = Vec::new();
    file.take(MAX_XML + 1).read_to_end(&mut xml).map_err(|e| DocxError::Unreadable(e.to_string()))?;
    if xml.len() as u64 > MAX_XML {
        return Err(DocxError::Unreadable(format!("larger than {} MB", MAX_XML / 1024 / 1024)));
    }
    let xml = String::from_utf8(xml).map_err(|e| DocxError::Unreadable(e.to_string()))?;
    Ok(xml_text(&xml))
}

/// The text of WordprocessingML: `w:t` contents, a newline after every paragraph, a tab for
/// `w:tab`, a newline for `w:br`/`w:cr`; entities decoded.
pub(crate) fn xml_text(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len() / 4);
    let mut in_text = false;
    let mut rest = xml;
    while let Some(lt) = rest.find('<') {
        if in_text {
            decode_entities(&rest[..lt], &mut out);
        }
        let after = &rest[lt + 1..];
        let Some(gt) = after.find('>') else { break };
        let tag = &after[..gt];
        rest = &after[gt + 1..];
        if tag.starts_with('?') || tag.starts_with('!') {
            continue;
        }
        let closing = tag.starts_with('/');
        let self_closing = tag.ends_with('/');
        let name = tag.trim_start_matches('/').split([' ', '/', '\t', '\n', '\r']).next().unwrap_or_default();
        let local = name.rsplit(':').next().unwrap_or(name);
        match (local, closing) {
            ("t", false) => in_text = !self_closing,
            ("t", true) => in_text = false,
            ("p", true) => out.push('\n'),
            ("tab", false) => out.push('\t'),
            ("br" | "cr", false) => out.push('\n'),
            _ => {}
        }
    }
    out
}

fn decode_entities(s: &str, out: &mut String) {
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let Some(semi) = after.find(';').filter(|i| *i <= 10) else {
            out.push('&');
            rest = after;
            continue;
        };
        let entity = &after[..semi];
        let decoded = match entity {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &after[semi + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    pub(crate) fn docx(xml: &str, method: zip::CompressionMethod) -> Vec<u8> {
        let mut buffer = Cursor::new(Vec::new());
        {
            let mut zip = zip::ZipWriter::new(&mut buffer);
            let options = zip::write::SimpleFileOptions::default().compression_method(method);
            zip.start_file("[Content_Types].xml", options).expect("entry");
            zip.write_all(b"<Types/>").expect("write");
            zip.start_file("word/document.xml", options).expect("entry");
            zip.write_all(xml.as_bytes()).expect("write");
            zip.finish().expect("finish");
        }
        buffer.into_inner()
    }

    const XML: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:r><w:t>一、总体要求</w:t></w:r></w:p>
<w:p><w:r><w:t xml:space="preserve">到2030年,规上工业产值</w:t></w:r><w:r><w:t>达到3.3万亿元</w:t></w:r><w:r><w:delText>删去</w:delText></w:r></w:p>
<w:p><w:r><w:instrText>PAGE</w:instrText><w:t>A&amp;B&#x4E00;</w:t><w:tab/><w:t/></w:r></w:p>
</w:body></w:document>"#;

    #[test]
    fn reads_paragraphs_and_runs() {
        assert_eq!(xml_text(XML), "一、总体要求\n到2030年,规上工业产值达到3.3万亿元\nA&B一\t\n");
    }

    #[test]
    fn reads_stored_and_deflated_archives() {
        for method in [zip::CompressionMethod::Stored, zip::CompressionMethod::Deflated] {
            let text = docx_text(&docx(XML, method)).expect("a docx");
            assert!(text.contains("规上工业产值达到3.3万亿元"), "{text}");
        }
    }

    #[test]
    fn explains_what_is_wrong() {
        assert!(matches!(docx_text(b"PK\x03\x04 not really"), Err(DocxError::Archive(_))));
        let mut buffer = Cursor::new(Vec::new());
        {
            let mut zip = zip::ZipWriter::new(&mut buffer);
            zip.start_file("other.xml", zip::write::SimpleFileOptions::default()).expect("entry");
            zip.finish().expect("finish");
        }
        assert!(matches!(docx_text(&buffer.into_inner()), Err(DocxError::NoDocument)));
    }

    #[test]
    fn survives_broken_xml() {
        for xml in ["<w:t>abc", "<w:t>a&b;c&#xZZ;&#99999999;</w:t>", "<", "<<<>>>", "&", "<w:t>&amp"] {
            let _ = xml_text(xml);
        }
        assert_eq!(xml_text("<w:t>a&b;c</w:t>"), "a&b;c");
    }
}
