//! Times the extractor on text no document has (a 1 MB clause, 1 MB of headings …), to show that
//! nothing grows faster than the input. `cargo run -p plan361-extract --example worst --release`

use std::time::Instant;

fn main() {
    let cases = [
        ("one 1 MB clause of enumerated counts", format!("到2030年,新增{}", "12个示范点、".repeat(1 << 20 >> 4))),
        ("1 MB of numbered items", "1.推进任务。每年新增企业10家。\n".repeat(1 << 20 >> 5)),
        (
            "1 MB of distinct targets in one paragraph",
            (0..(1 << 20) / 40).map(|i| format!("第{i}类指标达到{i}亿元以上,")).collect::<String>(),
        ),
        ("1 MB of nested parentheses", format!("{}到2030年达到5家{}", "(".repeat(1 << 19), ")".repeat(1 << 19))),
        ("1 MB of years before one number", format!("{}企业达到5家", "2025年".repeat((1 << 20) / 7))),
        (
            "1 MB of distinct names sharing one value",
            format!(
                "{}农村居民收入均增长8%",
                (0..(1 << 20) / 20).map(|i| format!("第{i}号企业和")).collect::<String>()
            ),
        ),
        ("1 MB of one number", "1".repeat(1 << 20)),
        ("1 MB of shares before their nouns", "70%的城市达到标准、".repeat((1 << 20) / 28)),
        ("1 MB of rates in words in quotes", format!("“{}”", "百分百全覆盖".repeat((1 << 20) / 18))),
        ("1 MB of relative years", format!("{}新增企业5家", "今年上半年".repeat((1 << 20) / 15))),
        ("1 MB of years in the name of another plan", format!("列入{}计划,新增5家", "2025年".repeat((1 << 20) / 7))),
        ("1 MB of Chinese numerals", "一".repeat(1 << 18)),
    ];
    for (name, text) in &cases {
        let start = Instant::now();
        let ex = plan361_extract::extract(text);
        let draft = plan361_extract::draft_plan(&ex, &plan361_extract::DraftOptions::default());
        println!(
            "{name}: {:.0} ms, {} targets, {} bytes of draft",
            start.elapsed().as_secs_f64() * 1e3,
            ex.targets.len(),
            draft.len()
        );
    }
}
