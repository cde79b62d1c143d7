//! The shape of a document: its head (title, issuer, date), its headings (`一、`, `(一)`,
//! `1.`) and the responsible units it names (`(责任单位:…)`, `牵头单位:…`).

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::text::{is_han, line_ranges, slice};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Level {
    /// 一、
    Section,
    /// (一)
    Subsection,
    /// 1.
    Item,
    /// (1): an item where the text has no `1.` items.
    SubItem,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Heading {
    pub level: Level,
    /// The heading's words, without its number.
    pub title: Range<usize>,
    /// Where the heading's number ends (the body of an item starts here).
    pub body: usize,
}

static SECTION: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[一二三四五六七八九十]{1,3}、").expect("regex"));
static SUBSECTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[(（][一二三四五六七八九十]{1,3}[)）]").expect("regex"));
static ITEM: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[0-9]{1,2}[.、](?:[^0-9]|$)").expect("regex"));
static SUB_ITEM: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[(（][0-9]{1,2}[)）]").expect("regex"));

/// The heading a line starts with, if any. `line` is a trimmed range of `text`.
pub(crate) fn heading(text: &str, line: Range<usize>) -> Option<Heading> {
    let s = slice(text, line.clone());
    let (level, marker_len) = if let Some(m) = SECTION.find(s) {
        (Level::Section, m.end())
    } else if let Some(m) = SUBSECTION.find(s) {
        (Level::Subsection, m.end())
    } else if let Some(m) = ITEM.find(s) {
        // The match may include the first character of the body.
        let number_len =
            s.char_indices().find(|(_, c)| matches!(c, '.' | '、')).map_or(m.end(), |(i, c)| i + c.len_utf8());
        (Level::Item, number_len)
    } else if let Some(m) = SUB_ITEM.find(s) {
        (Level::SubItem, m.end())
    } else {
        return None;
    };
    let body = line.start + marker_len;
    let rest = &s[marker_len..];
    // The title: up to the first full stop, or the whole line when it is short.
    let end = rest.find(['。', ';', '!', '?']).unwrap_or(rest.len());
    let end = if end > 120 { rest.char_indices().nth(40).map_or(rest.len(), |(i, _)| i) } else { end };
    if rest[..end].trim().is_empty() {
        return None;
    }
    Some(Heading { level, title: body..body + end, body })
}

/// Responsible units named in one place: lead units first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Units {
    pub names: Vec<String>,
}

const UNIT_KEYS: [&str; 10] = [
    "牵头单位",
    "责任单位",
    "配合单位",
    "牵头部门",
    "责任部门",
    "配合部门",
    "协办单位",
    "参与单位",
    "主办单位",
    "协同单位",
];

/// The responsible units in a `key:value;key:value` text. Lead units (牵头) come first, then
/// the other responsible units in their order; a unit marked `(牵头)` leads.
pub(crate) fn parse_units(s: &str) -> Units {
    let mut leads = Vec::new();
    let mut others = Vec::new();
    if !UNIT_KEYS.iter().any(|k| s.contains(k))
        && let Some((l, o)) = roles(s)
    {
        leads = l;
        others = o;
    }
    for part in s.split([';', '；', '。']) {
        let Some((key, value)) = part.split_once([':', '：']) else { continue };
        let key = key.trim();
        let Some(known) = UNIT_KEYS.iter().find(|k| key.ends_with(**k)) else { continue };
        let into = if known.starts_with("牵头") { &mut leads } else { &mut others };
        for name in split_units(value) {
            into.push(name);
        }
    }
    // 市发改委(牵头): that unit leads.
    let mut all: Vec<String> = Vec::new();
    for name in leads.into_iter().chain(others) {
        let marked = name.strip_suffix("(牵头)").or_else(|| name.strip_suffix("（牵头）"));
        let (name, lead) = match marked {
            Some(n) => (n.trim().to_string(), true),
            None => (name, false),
        };
        if name.is_empty() || all.contains(&name) {
            continue;
        }
        if lead { all.insert(0, name) } else { all.push(name) }
    }
    Units { names: all }
}

/// Unit names separated by `、` `,` or spaces, not splitting inside brackets
/// (`市委改革办〔市营商环境建设局〕`).
fn split_units(value: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut depth = 0i32;
    let mut current = String::new();
    for c in value.chars() {
        match c {
            '(' | '（' | '〔' | '[' | '【' => depth += 1,
            ')' | '）' | '〕' | ']' | '】' => depth -= 1,
            _ => {}
        }
        if depth <= 0 && matches!(c, '、' | ',' | '，' | ' ' | '\u{3000}' | '/') {
            names.push(std::mem::take(&mut current));
        } else {
            current.push(c);
        }
    }
    names.push(current);
    names
        .into_iter()
        .map(|n| n.trim().trim_end_matches('等').trim().to_string())
        .filter(|n| n.chars().any(is_han) && n.chars().count() <= 30)
        .collect()
}

/// Whether a bracketed text (without its brackets) names responsible units: `责任单位:…`, or
/// `市经信局牵头,市财政局配合`.
pub(crate) fn names_units(inner: &str) -> bool {
    UNIT_KEYS.iter().any(|k| inner.contains(&format!("{k}:")) || inner.contains(&format!("{k}：")))
        || roles(inner).is_some()
}

const ROLE_WORDS: [(&str, bool); 6] =
    [("牵头", true), ("负责", true), ("配合", false), ("参与", false), ("协同", false), ("按职责分工负责", false)];

/// `市经信局牵头,市财政局、市科技局配合` → (lead names, other names). Every part must end with a
/// role word.
fn roles(inner: &str) -> Option<(Vec<String>, Vec<String>)> {
    let (mut leads, mut others) = (Vec::new(), Vec::new());
    let parts: Vec<&str> = inner.split([',', ';', '，', '；']).map(str::trim).filter(|p| !p.is_empty()).collect();
    if parts.is_empty() {
        return None;
    }
    for part in parts {
        let (names, lead) =
            ROLE_WORDS.iter().rev().find_map(|(word, lead)| part.strip_suffix(word).map(|n| (n, *lead)))?;
        let names = split_units(names);
        if names.is_empty() || names.iter().any(|n| !looks_like_unit(n)) {
            return None;
        }
        if lead { leads.extend(names) } else { others.extend(names) }
    }
    Some((leads, others))
}

/// A government body's name ends like one: 局, 委, 办, 厅, 部, 院, 会, 行, 政府, 中心, 集团 ….
fn looks_like_unit(name: &str) -> bool {
    [
        "局", "委", "办", "厅", "部", "院", "会", "行", "府", "处", "所", "司", "中心", "集团", "公司", "单位", "区",
        "县", "市", "镇", "街道", "队", "社",
    ]
    .iter()
    .any(|end| name.ends_with(end))
}

/// Whether a line is a unit line (`牵头单位:市经信局`).
pub(crate) fn is_unit_line(line: &str) -> bool {
    UNIT_KEYS.iter().any(|k| line.starts_with(k)) && names_units(line)
}

/// The document's metadata as its head gives it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Head {
    pub title: Option<String>,
    pub issuer: Option<String>,
    /// `YYYY-MM-DD` (or `YYYY-MM`, `YYYY`).
    pub issued: Option<String>,
    pub region: Option<String>,
}

static TITLE_IN_BOOK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"《([^《》\n]{4,80}?(?:方案|计划|规划|意见|办法|措施|纲要|决定|要点|通知|行动|项目|报告|政策)(?:[(（][^()（）]{2,20}[)）])?)》",
    )
        .expect("regex")
});
static TITLE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^[^,;:。]{4,60}(?:方案|计划|规划|意见|办法|措施|纲要|决定|要点|行动|项目|分解方案)(?:[(（][^()（）]{4,20}[)）])?$",
    )
    .expect("regex")
});
static ISSUER_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[\p{Han}〔〕()]{2,30}(?:人民政府办公厅|人民政府办公室|人民政府|办公厅|办公室|委员会|局|厅|委|政府)$")
        .expect("regex")
});
static ISSUER_VERB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([\p{Han}]{2,24}?(?:人民政府办公厅|人民政府办公室|人民政府|政府办公厅|办公厅|办公室|委员会|政府|局|厅|委))(?:近日|日前|正式|联合)?(?:印发|发布|出台|制定|公布)").expect("regex")
});
static DATE_CN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"([12][0-9]{3})\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*日").expect("regex"));
static DATE_ISO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"([12][0-9]{3})-([0-9]{1,2})-([0-9]{1,2})").expect("regex"));
static REGION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:[\p{Han}]{2,6}?(?:省|自治区)[\p{Han}]{2,6}?(?:市|州|盟)|[\p{Han}]{2,6}?(?:省|自治区|市|州|盟|县|区))",
    )
    .expect("regex")
});

/// The head of a document: its first lines carry title, issuer and date.
pub(crate) fn head(text: &str) -> Head {
    let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let head_lines = &lines[..lines.len().min(40)];
    let head_text: String = head_lines.join("\n");

    // A first line that reads as a title, else a title in 《》, else another title-like line.
    let title = head_lines
        .first()
        .filter(|l| TITLE_LINE.is_match(l))
        .map(|l| l.to_string())
        .or_else(|| TITLE_IN_BOOK.captures(&head_text).and_then(|c| c.get(1)).map(|m| m.as_str().to_string()))
        .or_else(|| head_lines.iter().find(|l| TITLE_LINE.is_match(l)).map(|l| l.to_string()))
        .or_else(|| lines.first().map(|l| l.chars().take(60).collect()));

    let issuer = head_lines
        .iter()
        .find(|l| ISSUER_LINE.is_match(l) && !l.contains('《'))
        .map(|l| l.to_string())
        .or_else(|| ISSUER_VERB.captures(&head_text).and_then(|c| c.get(1)).map(|m| clean_issuer(m.as_str())));

    // The signature date (a line of its own) first, then any date in the head.
    let date_of = |caps: regex::Captures| -> Option<String> {
        let y: i32 = caps.get(1)?.as_str().parse().ok()?;
        let m: u32 = caps.get(2)?.as_str().parse().ok()?;
        let d: u32 = caps.get(3)?.as_str().parse().ok()?;
        ((1990..=2100).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d))
            .then(|| format!("{y:04}-{m:02}-{d:02}"))
    };
    let issued = head_lines
        .iter()
        .filter(|l| l.chars().count() <= 16)
        .find_map(|l| DATE_CN.captures(l).and_then(date_of))
        .or_else(|| DATE_CN.captures(&head_text).and_then(date_of))
        .or_else(|| DATE_ISO.captures(&head_text).and_then(date_of));

    let region = issuer
        .as_deref()
        .and_then(|i| REGION.find(i))
        .map(|m| m.as_str().to_string())
        .or_else(|| title.as_deref().and_then(|t| REGION.find(t)).map(|m| m.as_str().to_string()));
    Head { title, issuer, issued, region }
}

/// The titles in 《》 among the first lines of `text` that name the document itself, not one it
/// follows (`根据《…》`, `贯彻落实《…》`).
pub(crate) fn own_titles(text: &str) -> Vec<&str> {
    let head: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).take(40).collect();
    head.iter()
        .flat_map(|line| {
            TITLE_IN_BOOK.captures_iter(line).filter_map(|c| c.get(0).zip(c.get(1))).map(move |m| (line, m))
        })
        .filter(|(line, (whole, _))| {
            // The clause before the title, at most its last 20 characters (a long line stays linear).
            let before: String = line[..whole.start()].chars().rev().take(20).collect();
            let clause: String = before.split([',', ':', ';', '。']).next().unwrap_or_default().chars().rev().collect();
            !["根据", "按照", "依据", "贯彻", "落实"].iter().any(|w| clause.contains(w))
        })
        .map(|(_, (_, title))| title.as_str())
        .collect()
}

/// An issuer found before 印发/发布 may carry the words before it (`近日河南省人民政府`).
fn clean_issuer(s: &str) -> String {
    let mut s = s.trim();
    for prefix in ["近日", "日前", "今日", "昨日", "近期", "目前", "今年", "记者"] {
        s = s.strip_prefix(prefix).unwrap_or(s);
    }
    s.to_string()
}

/// The text with responsible-unit notes and titles in 《》 blanked out (same byte offsets), and
/// the units found, by position.
pub(crate) fn mask(text: &str) -> (String, Vec<(usize, Vec<String>)>) {
    let mut bytes = text.as_bytes().to_vec();
    let mut units = Vec::new();
    let blank = |bytes: &mut Vec<u8>, range: Range<usize>| {
        if let Some(part) = bytes.get_mut(range) {
            part.fill(b' ');
        }
    };
    for line in line_ranges(text) {
        let s = slice(text, line.clone());
        if is_unit_line(s) {
            units.push((line.start, parse_units(s).names));
            blank(&mut bytes, line);
            continue;
        }
        let mut open: Vec<usize> = Vec::new();
        let mut book: Option<usize> = None;
        for (i, c) in s.char_indices() {
            match c {
                '(' => open.push(i),
                ')' => {
                    if let Some(o) = open.pop()
                        && open.is_empty()
                    {
                        let inner = &s[o + 1..i];
                        if names_units(inner) {
                            units.push((line.start + o, parse_units(inner).names));
                            blank(&mut bytes, line.start + o..line.start + i + 1);
                        }
                    }
                }
                '《' => book = Some(i),
                '》' => {
                    if let Some(b) = book.take()
                        && i - b < 300
                    {
                        blank(&mut bytes, line.start + b..line.start + i + '》'.len_utf8());
                    }
                }
                _ => {}
            }
        }
    }
    let masked = String::from_utf8(bytes).unwrap_or_else(|_| text.to_string());
    (masked, units)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heading_of(s: &str) -> Option<(Level, String)> {
        heading(s, 0..s.len()).map(|h| (h.level, slice(s, h.title).to_string()))
    }

    #[test]
    fn recognises_three_heading_levels() {
        assert_eq!(heading_of("一、总体要求"), Some((Level::Section, "总体要求".into())));
        assert_eq!(
            heading_of("(一)实施两创深度融合提级工程"),
            Some((Level::Subsection, "实施两创深度融合提级工程".into()))
        );
        assert_eq!(
            heading_of("1.构建高能级创新平台体系。发挥国家级创新平台引领作用"),
            Some((Level::Item, "构建高能级创新平台体系".into()))
        );
        assert_eq!(heading_of("12、启动南外环高速公路"), Some((Level::Item, "启动南外环高速公路".into())));
        assert_eq!(heading_of("1.5万亿元的目标"), None);
        assert_eq!(heading_of("加快发展"), None);
    }

    #[test]
    fn parses_responsible_units_lead_first() {
        let units = parse_units("责任单位:市科技局、市经信局、市发改委");
        assert_eq!(units.names, ["市科技局", "市经信局", "市发改委"]);
        let units = parse_units("责任领导:洪声耀;牵头单位:区交通运输局;责任单位:区发改局、区林业局,区经发集团");
        assert_eq!(units.names, ["区交通运输局", "区发改局", "区林业局", "区经发集团"]);
        let units = parse_units("责任单位:市委改革办〔市营商环境建设局〕、市经信局");
        assert_eq!(units.names, ["市委改革办〔市营商环境建设局〕", "市经信局"]);
        let units = parse_units("配合单位:市财政局;牵头单位:市经信局");
        assert_eq!(units.names, ["市经信局", "市财政局"]);
        let units = parse_units("责任单位:市经信局、市发改委(牵头)");
        assert_eq!(units.names, ["市发改委", "市经信局"]);
        assert!(parse_units("责任领导:杜新国").names.is_empty());
        let units = parse_units("省工业和信息化厅牵头,省商务厅、省财政厅配合");
        assert_eq!(units.names, ["省工业和信息化厅", "省商务厅", "省财政厅"]);
        assert!(!names_units("含专用"));
        assert!(!names_units("市场主体牵头"));
    }

    #[test]
    fn reads_the_head_of_a_notice() {
        let text = "各区(县、市)人民政府:\n\n  经市政府同意,现将《加快建设“361”现代化产业体系实施方案》印发给你们。\n\n  宁波市人民政府办公厅\n\n  2025年6月21日\n";
        let h = head(text);
        assert_eq!(h.title.as_deref(), Some("加快建设“361”现代化产业体系实施方案"));
        assert_eq!(h.issuer.as_deref(), Some("宁波市人民政府办公厅"));
        assert_eq!(h.issued.as_deref(), Some("2025-06-21"));
        assert_eq!(h.region.as_deref(), Some("宁波市"));
    }

    #[test]
    fn a_first_line_that_reads_as_a_title_is_the_title() {
        let h = head("2023年区《政府工作报告》确定的重点工作任务责任分解方案\n一、主要预期目标");
        assert_eq!(h.title.as_deref(), Some("2023年区《政府工作报告》确定的重点工作任务责任分解方案"));
    }

    #[test]
    fn reads_the_head_of_a_news_report() {
        let text = "近日,河南省人民政府印发《河南省建设制造强省三年行动计划(2023—2025年)》(以下简称《行动计划》)。\n2023年08月17日";
        let h = head(text);
        assert_eq!(h.title.as_deref(), Some("河南省建设制造强省三年行动计划(2023—2025年)"));
        assert_eq!(h.issuer.as_deref(), Some("河南省人民政府"));
        assert_eq!(h.issued.as_deref(), Some("2023-08-17"));
        assert_eq!(h.region.as_deref(), Some("河南省"));
    }
}
