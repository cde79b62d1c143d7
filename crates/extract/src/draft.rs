//! Writing an [`Extraction`] as a plan file (the format `plan361 plan check` reads).
//!
//! Where the text leaves a decision to a person — a year it does not state, a unit it writes
//! loosely, a task without responsible units — the draft says so in a comment starting with
//! `# 待核:`. Values the plan model cannot hold as written are mapped and the mapping is noted:
//! a growth rate becomes a threshold on a growth-rate indicator, `超过` becomes `突破`, `稳定在`
//! becomes `保持`, `力争` becomes `达到`, a range keeps its lower bound.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write;

use plan361_core::plan::Direction;
use plan361_core::units;

use crate::{Extraction, Target, TargetKind, compact, year};

/// What the draft needs besides the extraction.
#[derive(Clone, Debug, Default)]
pub struct DraftOptions {
    /// The plan's id (`ningbo-361-2025`).
    pub id: String,
    /// The document's name, quoted in the header.
    pub source: String,
}

const REVIEW: &str = "# 待核:";

/// Task, indicator, unit, kind, comparator and downward direction: what merged targets share.
type MergeKey = (usize, String, String, &'static str, &'static str, bool);

/// A plan target: one or more extracted targets (one per year of a path).
struct Draft<'a> {
    members: Vec<&'a Target>,
    kind: &'static str,
    indicator: String,
    unit: String,
    comparator: &'static str,
    direction: Direction,
    /// Year → value for path kinds.
    values: BTreeMap<i32, f64>,
    annual: Option<(f64, Option<i32>)>,
    due: Option<i32>,
    notes: Vec<String>,
    review: Vec<String>,
}

/// The plan file for an extraction. It always passes `plan361_core::plan::parse`.
pub fn draft_plan(extraction: &Extraction, options: &DraftOptions) -> String {
    let head = &extraction.head;
    let issued_year: Option<i32> = head.issued.as_deref().and_then(|d| d.get(..4)).and_then(|y| y.parse().ok());
    let title_year =
        head.title.as_deref().map(|t| year::markers(t, 0..t.len(), None)).and_then(|m| m.iter().map(|m| m.year).max());
    let (default_year, default_known) = match extraction.horizon.last().copied().or(title_year) {
        Some(y) => (y, true),
        None => (issued_year.map_or(2030, |y| y + 1), false),
    };
    let office = head.issuer.clone().filter(|i| !i.trim().is_empty()).unwrap_or_else(|| "发文单位".to_string());

    // Targets of one task with the same indicator, unit and kind become one path target.
    let mut drafts: Vec<(usize, Draft)> = Vec::new();
    let mut same: HashMap<MergeKey, Vec<usize>> = HashMap::new();
    for target in &extraction.targets {
        let draft = draft_target(target, default_year, default_known);
        let key = (
            target.task,
            compact(&draft.indicator),
            draft.unit.clone(),
            draft.kind,
            draft.comparator,
            draft.direction == Direction::Down,
        );
        let slot = same.entry(key).or_default();
        match slot.iter().copied().find(|i| drafts.get(*i).is_some_and(|(_, d)| can_merge(d, &draft))) {
            Some(i) => {
                if let Some((_, existing)) = drafts.get_mut(i) {
                    merge(existing, draft);
                }
            }
            None => {
                slot.push(drafts.len());
                drafts.push((target.task, draft));
            }
        }
    }
    let tasks_with_targets: HashSet<usize> = drafts.iter().map(|(task, _)| *task).collect();

    let years = drafts.iter().flat_map(|(_, d)| {
        d.values.keys().copied().chain(d.annual.and_then(|(_, until)| until)).chain(d.due).collect::<Vec<_>>()
    });
    let first_year = years.clone().min();
    let baseline_year = match (issued_year, first_year) {
        (Some(issued), Some(first)) => (issued - 1).min(first - 1),
        (Some(issued), None) => issued - 1,
        (None, Some(first)) => first - 1,
        (None, None) => default_year - 1,
    };
    let mut horizon: Vec<i32> = drafts.iter().flat_map(|(_, d)| d.values.keys().copied().chain(d.due)).collect();
    horizon.sort_unstable();
    horizon.dedup();
    if horizon.is_empty() {
        horizon.push(default_year.max(baseline_year + 1));
    }

    let mut unit_names: Vec<String> = Vec::new();
    for name in extraction.tasks.iter().flat_map(|t| &t.units).chain(std::iter::once(&office)) {
        if !unit_names.contains(name) {
            unit_names.push(name.clone());
        }
    }

    let mut out = String::new();
    let title = head.title.clone().unwrap_or_else(|| "未命名方案".to_string());
    let _ = writeln!(
        out,
        "# 《{}》的计划文件草稿,由 plan361 extract 从 {} 起草。",
        one_line(&title),
        one_line(&options.source)
    );
    let _ = writeln!(out, "# 草稿须经人工审核:标有“{REVIEW}”的地方需要确认;文末列出未识别为目标的内容。");
    let _ = writeln!(out, "# 每个目标的 source_text 摘自原文。");
    let _ = writeln!(out);
    let _ = writeln!(out, "format = {}", plan361_core::plan::FORMAT);
    let _ = writeln!(out);
    let _ = writeln!(out, "units = [");
    for name in &unit_names {
        let _ = writeln!(out, "  {},", quote(name));
    }
    let _ = writeln!(out, "]");
    let _ = writeln!(out);
    let _ = writeln!(out, "[plan]");
    let id = if options.id.trim().is_empty() { "draft".to_string() } else { options.id.trim().to_string() };
    let _ = writeln!(out, "id = {}", quote(&id));
    if head.title.is_none() {
        let _ = writeln!(out, "{REVIEW} 未识别出标题");
    }
    let _ = writeln!(out, "title = {}", quote(&title));
    if head.issuer.is_none() {
        let _ = writeln!(out, "{REVIEW} 未识别出发文单位");
    }
    let _ = writeln!(out, "issuer = {}", quote(head.issuer.as_deref().unwrap_or("")));
    if head.issued.is_none() {
        let _ = writeln!(out, "{REVIEW} 未识别出发文日期");
    }
    let _ = writeln!(out, "issued = {}", quote(head.issued.as_deref().unwrap_or("")));
    let _ = writeln!(out, "region = {}", quote(head.region.as_deref().unwrap_or("")));
    let _ = writeln!(out, "{REVIEW} 基期年按发文年份和最早目标年推定");
    let _ = writeln!(out, "baseline_year = {baseline_year}");
    let _ = writeln!(out, "horizon = [{}]", horizon.iter().map(i32::to_string).collect::<Vec<_>>().join(", "));
    let _ = writeln!(out, "{REVIEW} 未写明责任单位的目标由此单位牵头(取发文单位)");
    let _ = writeln!(out, "office = {}", quote(&office));

    for project in &extraction.projects {
        let _ = writeln!(out);
        let _ = writeln!(out, "[[project]]");
        let _ = writeln!(out, "number = {}", project.number);
        let _ = writeln!(out, "name = {}", quote(&project.name));
    }
    for (index, task) in extraction.tasks.iter().enumerate() {
        let has_targets = tasks_with_targets.contains(&index);
        let _ = writeln!(out);
        let _ = writeln!(out, "[[task]]");
        let _ = writeln!(out, "id = {}", quote(&task.id));
        let _ = writeln!(out, "name = {}", quote(&task.name));
        if task.units.is_empty() {
            if has_targets {
                let _ = writeln!(out, "{REVIEW} 原文未写明责任单位,目标暂由 {} 牵头", one_line(&office));
            }
        } else {
            let names: Vec<String> = task.units.iter().map(|u| quote(u)).collect();
            let _ = writeln!(out, "units = [{}]", names.join(", "));
        }
    }

    let mut counters: BTreeMap<usize, usize> = BTreeMap::new();
    for (task, draft) in &drafts {
        let Some(task_id) = extraction.tasks.get(*task).map(|t| t.id.as_str()) else { continue };
        let n = counters.entry(*task).or_insert(0);
        *n += 1;
        write_target(&mut out, &format!("{task_id}.{n}"), task_id, draft, baseline_year);
    }

    if !extraction.notes.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "# ── {REVIEW} 以下内容未识别为目标,请核对是否遗漏 ──");
        for note in &extraction.notes {
            let _ = writeln!(out, "{REVIEW} {}:「{}」", one_line(&note.reason), one_line(&note.clause));
        }
    }
    out
}

fn draft_target(t: &Target, default_year: i32, default_known: bool) -> Draft<'_> {
    let mut notes = Vec::new();
    let mut review: Vec<String> = t.review.iter().filter(|r| !r.contains("力争")).cloned().collect();
    let mut indicator = t.indicator.clone();
    let mut kind = match t.kind {
        TargetKind::Growth => {
            indicator = growth_rate_name(&indicator);
            notes.push(format!("原文为增长率目标:“{}”", one_line(&t.source_text)));
            "threshold"
        }
        k => k.code(),
    };
    let mut comparator = match t.comparator {
        "达到" | "达" | "力争" => "达到",
        "以上" => "以上",
        "不少于" => "不少于",
        "超过" | "突破" => "突破",
        "左右" => "左右",
        "保持" | "稳定在" => "保持",
        "以内" => "以内",
        _ => "实现",
    };
    if matches!(t.comparator, "超过" | "稳定在" | "力争") {
        notes.push(format!("原文为“{}”", t.comparator));
    }
    let mut direction = if comparator == "以内" { Direction::Down } else { t.direction };
    if t.kind.is_qualitative() && comparator != "以内" {
        comparator = match t.comparator {
            "保持" | "稳定在" => "保持",
            "突破" => "突破",
            _ => "实现",
        };
    }

    let (unit, value) = match (&t.unit, t.value) {
        (Some(unit), Some(value)) => {
            let (unit, value, note) = plan_unit(unit, value);
            if let Some(note) = note {
                review.push(note);
            }
            (unit, Some(value))
        }
        _ => (units::STATE.to_string(), None),
    };
    if let (Some(max), Some(unit)) = (t.value_max, &t.unit) {
        notes.push(format!("原文为区间{}—{}{unit},取下限", number(t.value.unwrap_or_default()), number(max)));
    }

    // Increments and annual amounts are positive additions; an upper bound on one is a level.
    if matches!(kind, "increment" | "annual") {
        if comparator == "以内" || value.is_some_and(|v| v <= 0.0) {
            kind = "level";
            review.push("上限或非正数的增量,已按水平值处理".to_string());
        } else {
            direction = Direction::Up;
        }
    }

    let year = match t.year {
        Some(y) => {
            if !t.year_stated && t.kind == TargetKind::Annual {
                review.push("原文本句未写截止年份".to_string());
            } else if !t.year_stated && !t.kind.is_qualitative() {
                review.push(format!("原文本句未写年份,按上文取{y}年"));
            }
            Some(y)
        }
        None => None,
    };
    let mut draft = Draft {
        members: vec![t],
        kind,
        indicator,
        unit,
        comparator,
        direction,
        values: BTreeMap::new(),
        annual: None,
        due: None,
        notes,
        review,
    };
    match (kind, value) {
        ("annual", Some(v)) => draft.annual = Some((v, year.filter(|_| t.year_stated))),
        ("level" | "cumulative" | "increment" | "threshold", Some(v)) => {
            let y = year.unwrap_or_else(|| {
                draft.review.push(if default_known {
                    format!("原文未写年份,暂按方案目标年{default_year}年")
                } else {
                    format!("原文未写年份,暂填{default_year}年")
                });
                default_year
            });
            draft.values.insert(y, v);
        }
        ("zero", _) => {
            draft.due = Some(year.unwrap_or_else(|| {
                draft.review.push(format!("清零目标须有年份,暂按{default_year}年"));
                default_year
            }));
            draft.unit = units::STATE.to_string();
            draft.direction = Direction::Down;
            draft.review.push("清零目标的计量单位待定".to_string());
        }
        ("stable", _) => {
            draft.due = year;
            if ["比重", "占比", "率"].iter().any(|w| draft.indicator.contains(w)) {
                draft.unit = "%".to_string();
            }
            draft.notes.push("基期值待补充(以首次报送值为参照)".to_string());
        }
        ("level" | "cumulative" | "increment" | "threshold" | "annual", None) => {
            draft.kind = "milestone";
            draft.due = year;
        }
        _ => draft.due = year,
    }
    draft
}

/// `工业投资年均增长` → `工业投资年均增长率`.
fn growth_rate_name(indicator: &str) -> String {
    if indicator.ends_with('率') { indicator.to_string() } else { format!("{indicator}率") }
}

/// The plan's unit for a unit as written, and the value in it: a unit the plan model knows is
/// kept; `万亿` is read as `万亿元`; `2.8万X` becomes `28000X` where the model knows X only.
fn plan_unit(written: &str, value: f64) -> (String, f64, Option<String>) {
    if units::unit(written).is_some() {
        return (written.to_string(), value, None);
    }
    let assumed = match written {
        "万亿" => Some("万亿元"),
        "亿" => Some("亿元"),
        "万" => Some("万元"),
        "百分点" => Some("个百分点"),
        "学时" => Some("课时"),
        _ => None,
    };
    if let Some(unit) = assumed {
        return (unit.to_string(), value, Some(format!("原文单位为“{written}”,暂按“{unit}”")));
    }
    for (magnitude, factor) in [("万亿", 1e12), ("亿", 1e8), ("万", 1e4)] {
        if let Some(base) = written.strip_prefix(magnitude)
            && units::unit(base).is_some()
        {
            return (base.to_string(), value * factor, Some(format!("原文单位为“{written}”,已换算为“{base}”")));
        }
    }
    ("个".to_string(), value, Some(format!("原文单位“{written}”未能对应,暂按“个”")))
}

fn can_merge(existing: &Draft, new: &Draft) -> bool {
    if existing.kind != new.kind
        || compact(&existing.indicator) != compact(&new.indicator)
        || existing.unit != new.unit
        || existing.comparator != new.comparator
        || existing.direction != new.direction
    {
        return false;
    }
    match existing.kind {
        "level" | "cumulative" | "increment" | "threshold" => {
            let Some((&year, &value)) = new.values.iter().next() else { return false };
            if existing.values.contains_key(&year) {
                return false;
            }
            let mut path = existing.values.clone();
            path.insert(year, value);
            let d = if existing.direction == Direction::Down { -1.0 } else { 1.0 };
            let values: Vec<f64> = path.values().copied().collect();
            values.windows(2).all(|w| (w[1] - w[0]) * d >= 0.0)
        }
        "milestone" | "direction" => true,
        _ => false,
    }
}

fn merge<'a>(existing: &mut Draft<'a>, new: Draft<'a>) {
    let first = existing.members.first().map(|t| one_line(&t.source_text)).unwrap_or_default();
    for (year, value) in &new.values {
        existing.values.insert(*year, *value);
        existing.notes.push(format!("{year}年目标见“{}”", one_line(&new.members[0].source_text)));
    }
    if new.values.is_empty() {
        if let (Some(a), Some(b)) = (existing.due, new.due)
            && a != b
        {
            existing.notes.push(format!("{a}年:“{first}”;{b}年:“{}”", one_line(&new.members[0].source_text)));
        }
        existing.due = match (existing.due, new.due) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
    }
    for r in new.review {
        if !existing.review.contains(&r) {
            existing.review.push(r);
        }
    }
    existing.members.extend(new.members);
}

fn write_target(out: &mut String, id: &str, task: &str, d: &Draft, baseline_year: i32) {
    let t = d.members[0];
    let _ = writeln!(out);
    let _ = writeln!(out, "[[target]]");
    for r in &d.review {
        let _ = writeln!(out, "{REVIEW} {}", one_line(r));
    }
    let (frequency, basis) = reporting(d.kind, &d.unit);
    let _ = writeln!(out, "{REVIEW} 报送频率与口径按目标类型推定,请按实际统计口径核对");
    let _ = writeln!(out, "id = {}", quote(id));
    let _ = writeln!(out, "task = {}", quote(task));
    let _ = writeln!(out, "indicator = {}", quote(&d.indicator));
    let _ = writeln!(out, "unit = {}", quote(&d.unit));
    let _ = writeln!(out, "kind = {}", quote(d.kind));
    let _ = writeln!(out, "direction = {}", quote(if d.direction == Direction::Down { "down" } else { "up" }));
    let _ = writeln!(out, "comparator = {}", quote(d.comparator));
    if !d.values.is_empty() {
        let pairs: Vec<String> = d.values.iter().map(|(y, v)| format!("{y} = {}", number(*v))).collect();
        let _ = writeln!(out, "values = {{ {} }}", pairs.join(", "));
    }
    if let Some((value, until)) = d.annual {
        let _ = writeln!(out, "annual = {}", number(value));
        if let Some(until) = until {
            let _ = writeln!(out, "until = {until}");
        }
    }
    if let Some(due) = d.due {
        let _ = writeln!(out, "due = {due}");
    }
    if d.kind == "direction" && !t.measures.is_empty() {
        let _ = writeln!(out, "measures = [");
        for (i, (name, direction)) in t.measures.iter().enumerate() {
            let direction = if *direction == Direction::Down { "down" } else { "up" };
            let unit = measure_unit(name);
            let _ = writeln!(
                out,
                "  {{ key = \"m{}\", name = {}, direction = \"{direction}\", unit = \"{unit}\" }},",
                i + 1,
                quote(name)
            );
        }
        let _ = writeln!(out, "]");
    }
    let _ = writeln!(out, "frequency = \"{frequency}\"");
    let _ = writeln!(out, "basis = \"{basis}\"");
    if basis == "since_start" {
        let _ = writeln!(out, "basis_start = \"{}-01\"", baseline_year + 1);
    }
    let source = if t.source_text.trim().is_empty() { &t.indicator } else { &t.source_text };
    let _ = writeln!(out, "source_text = {}", quote(source));
    if !d.notes.is_empty() {
        let _ = writeln!(out, "note = {}", quote(&d.notes.join(";")));
    }
}

/// How a target of a kind is most often reported (DESIGN §3A.1): additions since the plan's
/// start, flows of money as 1–N月累计, counts held at each month's end, states and rates once a
/// quarter or a year. A person confirms it (the draft says so).
fn reporting(kind: &str, unit: &str) -> (&'static str, &'static str) {
    let money = plan361_core::units::unit(unit).is_some_and(|u| u.dimension == plan361_core::units::Dimension::Money);
    match kind {
        "increment" => ("month", "since_start"),
        "annual" => ("month", "ytd"),
        "cumulative" => ("month", "stock"),
        "level" if money => ("year", "ytd"),
        "milestone" | "zero" => ("quarter", "stock"),
        _ => ("year", "stock"),
    }
}

/// The unit of a measure of a two-sided target: a rank reads in places, a share in percent.
fn measure_unit(name: &str) -> &'static str {
    if name.contains("排名") || name.contains("位次") { "位" } else { "%" }
}

/// A TOML basic string.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text for a one-line comment.
fn one_line(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect::<String>().trim().to_string()
}

/// A TOML number: an integer where the value is whole, else the shortest decimal.
fn number(v: f64) -> String {
    if !v.is_finite() {
        return "0".to_string();
    }
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else if v.abs() >= 1e15 {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_strings_are_valid_toml() {
        assert_eq!(number(2.7), "2.7");
        assert_eq!(number(9.0), "9");
        assert_eq!(number(1e23), "1e23");
        assert_eq!(quote("a\"b\\c\nd\u{1}"), "\"a\\\"b\\\\c\\nd\\u0001\"");
    }

    #[test]
    fn units_map_to_the_plan_model() {
        assert_eq!(plan_unit("万亿元", 2.7).0, "万亿元");
        assert_eq!(plan_unit("万亿", 3.0).0, "万亿元");
        let (unit, value, note) = plan_unit("万款", 2.0);
        assert_eq!((unit.as_str(), value), ("款", 20000.0));
        assert!(note.is_some());
    }
}
