//! The extractor never panics and its draft is always a valid plan file, whatever the input:
//! random text, text made of the words policy documents use, truncated real documents, and
//! random or truncated .docx bytes. `PROPTEST_CASES=N` runs more cases than the default 256.

use plan361_extract::{DraftOptions, docx_text, draft_plan, extract, read_document};
use proptest::prelude::*;

const SEED: &str = include_str!("../../../plans/ningbo-361-2025.txt");

/// Words and marks of policy texts, to hit the extractor's paths far more often than random
/// characters do.
const WORDS: &[&str] = &[
    "到",
    "2027",
    "2030",
    "年",
    "底",
    ",",
    "。",
    ";",
    ":",
    "、",
    "(",
    ")",
    "《",
    "》",
    "“",
    "”",
    "\n",
    "  ",
    "一、",
    "(一)",
    "1.",
    "12、",
    "达到",
    "达",
    "超过",
    "突破",
    "过",
    "力争",
    "稳定在",
    "保持",
    "不少于",
    "控制在",
    "以上",
    "以内",
    "左右",
    "每年",
    "累计",
    "新增",
    "年均增长",
    "下降",
    "比2022年",
    "上升",
    "分别",
    "均",
    "其中",
    "等",
    "把",
    "第",
    "的",
    "万亿元",
    "亿元",
    "万元",
    "万",
    "亿",
    "%",
    "个百分点",
    "个",
    "家",
    "项",
    "条",
    "名",
    "万亩",
    "万平方米",
    "亿人次",
    "台/万人",
    "吨",
    "1.5",
    "8—10",
    "2-3",
    "0",
    "99999999999999999999",
    "五千",
    "百",
    "一",
    "两",
    "十四五",
    "“十二五”期间",
    "全覆盖",
    "双提升",
    "保持稳定",
    "动态清零",
    "倍增",
    "“破万",
    "全面建成",
    "基本同步",
    "完成",
    "目标任务",
    "责任单位:",
    "牵头单位:",
    "配合单位:",
    "市经信局",
    "区发改局",
    "〔",
    "〕",
    "规上工业产值",
    "比重",
    "占",
    "企业",
    "项目",
    "级",
    "大关",
    "方面",
    "人大代表",
    "截至",
    "2025年6月21日",
    "宁波市人民政府办公厅",
    "印发",
    "实施方案",
    "和",
    "以及",
    "双",
    "实现",
    "园区",
    "农村居民",
    "主线",
    "总抓手",
    "积极争创",
    "组建",
    "中心",
    "基金",
    "2035",
    "基本建成",
    "\u{3000}",
    "１２",
    "％",
    "，",
    "\u{0}",
    "\u{7f}",
    "\"",
    "\\",
    "\r",
    "\t",
    "#",
    "]",
];

fn check(text: &str) -> Result<(), TestCaseError> {
    let extraction = extract(text);
    let draft = draft_plan(&extraction, &DraftOptions { id: "p".into(), source: "p.txt".into() });
    if let Err(errors) = plan361_core::plan::parse("draft.toml", &draft) {
        return Err(TestCaseError::fail(format!(
            "invalid draft:\n{errors}\n--- input ---\n{text:?}\n--- draft ---\n{draft}"
        )));
    }
    let _ = serde_json::to_string(&extraction.json()).map_err(|e| TestCaseError::fail(e.to_string()))?;
    Ok(())
}

proptest! {
    #[test]
    fn random_text(text in "\\PC{0,400}") {
        check(&text)?;
    }

    #[test]
    fn text_of_policy_words(words in proptest::collection::vec(proptest::sample::select(WORDS), 0..120)) {
        check(&words.concat())?;
    }

    #[test]
    fn truncated_seed(cut in 0..SEED.len(), skip in 0..SEED.len()) {
        let end = (0..=cut).rev().find(|i| SEED.is_char_boundary(*i)).unwrap_or(0);
        check(&SEED[..end])?;
        let start = (skip..SEED.len()).find(|i| SEED.is_char_boundary(*i)).unwrap_or(SEED.len());
        check(&SEED[start..])?;
    }

    #[test]
    fn random_bytes_as_a_document(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        if let Ok(text) = read_document(&bytes) {
            check(&text)?;
        }
        let mut zip = b"PK\x03\x04".to_vec();
        zip.extend(&bytes);
        let _ = docx_text(&zip);
    }
}

#[test]
fn every_prefix_of_a_docx_is_handled() {
    use std::io::Write;
    let mut buffer = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buffer);
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("word/document.xml", options).expect("entry");
        let xml: String = SEED.lines().map(|l| format!("<w:p><w:r><w:t>{l}</w:t></w:r></w:p>")).collect();
        zip.write_all(xml.as_bytes()).expect("write");
        zip.finish().expect("finish");
    }
    let bytes = buffer.into_inner();
    let text = read_document(&bytes).expect("the whole file reads");
    assert!(text.contains("规上工业产值达到2.7万亿元"));
    for end in (0..bytes.len()).step_by(97) {
        let _ = read_document(&bytes[..end]);
    }
}

#[test]
fn every_truncation_of_every_dev_document_is_handled() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../eval/extract/documents");
    let Ok(entries) = std::fs::read_dir(&dir) else { return };
    for entry in entries.flatten() {
        let Ok(text) = std::fs::read_to_string(entry.path()) else { continue };
        let boundaries: Vec<usize> = (0..=text.len()).filter(|i| text.is_char_boundary(*i)).step_by(7).collect();
        for end in boundaries {
            if let Err(e) = check(&text[..end]) {
                panic!("{}: {e}", entry.path().display());
            }
        }
    }
}
