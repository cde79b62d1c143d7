//! Writing an [`Extraction`] as a plan file (the format `plan361 plan check` reads).
//!
//! Where the text leaves a decision to a person — a year it does not state, a unit it writes
//! loosely, a task without responsible units — the draft says so in a comment starting with
//! `# 待核:`. Values the plan model cannot hold as written are mapped and the mapping is noted:
//! a growth rate becomes a threshold on a growth-rate indicator, `超过` becomes `突破`, `稳定在`
//! becomes `保持`, `力争` becomes `达到`, a range keeps its lower bound.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write;

use plan361_core::plan::{Comparator, Direction, Kind};
use plan361_core::units;

use crate::{Extraction, StatedComparator, StatedKind, Target, compact, year};

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
type MergeKey = (usize, String, String, Kind, Comparator, bool);

/// A plan target: one or more extracted targets (one per year of a path).
struct Draft<'a> {
    members: Vec<&'a Target>,
    kind: Kind,
    indicator: String,
    unit: String,
    comparator: Comparator,
    direction: Direction,
    /// Year → value for path kinds.
    values: BTreeMap<i32, f64>,
    annual: Option<(f64, Option<i32>)>,
    due: Option<i32>,
    notes: Vec<String>,
    review: Vec<String>,
}

/// The year a target without one is given: the plan's last target year (`known`), else the year
/// after the document's.
#[derive(Clone, Copy)]
struct DefaultYear {
    year: i32,
    known: bool,
}

/// The plan file for an extraction. It always passes `plan361_core::plan::parse`.
pub fn draft_plan(extraction: &Extraction, options: &DraftOptions) -> String {
    let head = &extraction.head;
    let issued_year: Option<i32> = head.issued.as_deref().and_then(|d| d.get(..4)).and_then(|y| y.parse().ok());
    let title_year =
        head.title.as_deref().map(|t| year::markers(t, 0..t.len(), None)).and_then(|m| m.iter().map(|m| m.year).max());
    let default = match extraction.horizon.last().copied().or(title_year) {
        Some(year) => DefaultYear { year, known: true },
        None => DefaultYear { year: issued_year.map_or(2030, |y| y + 1), known: false },
    };
    let office = head.issuer.clone().filter(|i| !i.trim().is_empty()).unwrap_or_else(|| "发文单位".to_string());
    let drafts = drafts(extraction, default);
    let baseline_year = baseline_year(&drafts, issued_year, default);
    let mut horizon: Vec<i32> = drafts.iter().flat_map(|(_, d)| d.values.keys().copied().chain(d.due)).collect();
    horizon.sort_unstable();
    horizon.dedup();
    if horizon.is_empty() {
        horizon.push(default.year.max(baseline_year + 1));
    }

    let mut out = String::new();
    write_plan(&mut out, extraction, options, &office, baseline_year, &horizon);
    write_outline(&mut out, extraction, &drafts, &office);
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

/// The plan targets with their tasks: targets of one task with the same indicator, unit and
/// kind become one path target.
fn drafts(extraction: &Extraction, default: DefaultYear) -> Vec<(usize, Draft<'_>)> {
    let mut drafts: Vec<(usize, Draft)> = Vec::new();
    let mut same: HashMap<MergeKey, Vec<usize>> = HashMap::new();
    for target in &extraction.targets {
        let draft = draft_target(target, default);
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
    drafts
}

/// The year before the document's and before every target year.
fn baseline_year(drafts: &[(usize, Draft)], issued_year: Option<i32>, default: DefaultYear) -> i32 {
    let first_year = drafts
        .iter()
        .flat_map(|(_, d)| d.values.keys().copied().chain(d.annual.and_then(|(_, until)| until)).chain(d.due))
        .min();
    match (issued_year, first_year) {
        (Some(issued), Some(first)) => (issued - 1).min(first - 1),
        (Some(issued), None) => issued - 1,
        (None, Some(first)) => first - 1,
        (None, None) => default.year - 1,
    }
}

/// The header comment, the units and the `[plan]` table.
fn write_plan(
    out: &mut String,
    extraction: &Extraction,
    options: &DraftOptions,
    office: &str,
    baseline_year: i32,
    horizon: &[i32],
) {
    let head = &extraction.head;
    let mut unit_names: Vec<&str> = Vec::new();
    for name in extraction.tasks.iter().flat_map(|t| t.units.iter().map(String::as_str)).chain([office]) {
        if !unit_names.contains(&name) {
            unit_names.push(name);
        }
    }
    let title = head.title.as_deref().unwrap_or("未命名方案");
    let _ = writeln!(
        out,
        "# 《{}》的计划文件草稿,由 plan361 extract 从 {} 起草。",
        one_line(title),
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
    let id = if options.id.trim().is_empty() { "draft" } else { options.id.trim() };
    let _ = writeln!(out, "id = {}", quote(id));
    // What the head did not give is asked for: (field, value, its name, the value written).
    let read = [
        ("title", &head.title, "标题", title),
        ("issuer", &head.issuer, "发文单位", ""),
        ("issued", &head.issued, "发文日期", ""),
    ];
    for (field, value, name, otherwise) in read {
        if value.is_none() {
            let _ = writeln!(out, "{REVIEW} 未识别出{name}");
        }
        let _ = writeln!(out, "{field} = {}", quote(value.as_deref().unwrap_or(otherwise)));
    }
    let _ = writeln!(out, "region = {}", quote(head.region.as_deref().unwrap_or("")));
    let _ = writeln!(out, "{REVIEW} 基期年按发文年份和最早目标年推定");
    let _ = writeln!(out, "baseline_year = {baseline_year}");
    let _ = writeln!(out, "horizon = [{}]", horizon.iter().map(i32::to_string).collect::<Vec<_>>().join(", "));
    let _ = writeln!(out, "{REVIEW} 未写明责任单位的目标由此单位牵头(取发文单位)");
    let _ = writeln!(out, "office = {}", quote(office));
}

/// The projects and tasks; a task with targets but no units is marked for review.
fn write_outline(out: &mut String, extraction: &Extraction, drafts: &[(usize, Draft)], office: &str) {
    let tasks_with_targets: HashSet<usize> = drafts.iter().map(|(task, _)| *task).collect();
    for project in &extraction.projects {
        let _ = writeln!(out);
        let _ = writeln!(out, "[[project]]");
        let _ = writeln!(out, "number = {}", project.number);
        let _ = writeln!(out, "name = {}", quote(&project.name));
    }
    for (index, task) in extraction.tasks.iter().enumerate() {
        let _ = writeln!(out);
        let _ = writeln!(out, "[[task]]");
        let _ = writeln!(out, "id = {}", quote(&task.id));
        let _ = writeln!(out, "name = {}", quote(&task.name));
        if task.units.is_empty() {
            if tasks_with_targets.contains(&index) {
                let _ = writeln!(out, "{REVIEW} 原文未写明责任单位,目标暂由 {} 牵头", one_line(office));
            }
        } else {
            let names: Vec<String> = task.units.iter().map(|u| quote(u)).collect();
            let _ = writeln!(out, "units = [{}]", names.join(", "));
        }
    }
}

/// One extracted target in the plan model's terms, with notes on what was mapped and review
/// markers where a person must decide.
fn draft_target(t: &Target, default: DefaultYear) -> Draft<'_> {
    let mut draft = Draft::in_plan_terms(t);
    let value = draft.value(t);
    // Increments and annual amounts are positive additions; an upper bound on one is a level.
    if matches!(draft.kind, Kind::Increment | Kind::Annual) {
        if draft.comparator == Comparator::AtMost || value.is_some_and(|v| v <= 0.0) {
            draft.kind = Kind::Level;
            draft.review.push("上限或非正数的增量,已按水平值处理".to_string());
        } else {
            draft.direction = Direction::Up;
        }
    }
    if let Some(y) = t.year {
        if !t.year_stated && t.kind == StatedKind::Plan(Kind::Annual) {
            draft.review.push("原文本句未写截止年份".to_string());
        } else if !t.year_stated && !t.kind.is_qualitative() {
            draft.review.push(format!("原文本句未写年份,按上文取{y}年"));
        }
    }
    draft.set_goal(value, t.year, t.year_stated, default);
    draft
}

impl<'a> Draft<'a> {
    /// The target's kind, indicator, comparator and direction as the plan model has them: a
    /// growth rate is a threshold on a growth-rate indicator; 超过, 稳定在 and 力争 are written as
    /// 突破, 保持 and 达到, and a qualitative target is 实现, 保持 or 突破.
    fn in_plan_terms(t: &'a Target) -> Self {
        let mut notes = Vec::new();
        let mut indicator = t.indicator.clone();
        if t.kind == StatedKind::Growth {
            indicator = growth_rate_name(&indicator);
            notes.push(format!("原文为增长率目标:“{}”", one_line(&t.source_text)));
        }
        if !matches!(t.comparator, StatedComparator::Plan(_)) {
            notes.push(format!("原文为“{}”", t.comparator.word()));
        }
        let mut comparator = t.comparator.plan();
        let direction = if comparator == Comparator::AtMost { Direction::Down } else { t.direction };
        if t.kind.is_qualitative() && comparator != Comparator::AtMost {
            comparator = qualitative_comparator(t.comparator);
        }
        Draft {
            members: vec![t],
            kind: t.kind.plan_kind(),
            indicator,
            unit: units::STATE.to_string(),
            comparator,
            direction,
            values: BTreeMap::new(),
            annual: None,
            due: None,
            notes,
            review: t.review.iter().filter(|r| !r.contains("力争")).cloned().collect(),
        }
    }

    /// Sets the unit from the target's, and returns its value in that unit; notes a range.
    fn value(&mut self, t: &Target) -> Option<f64> {
        let value = match (&t.unit, t.value) {
            (Some(unit), Some(value)) => {
                let (unit, value, note) = plan_unit(unit, value);
                self.review.extend(note);
                self.unit = unit;
                Some(value)
            }
            _ => None,
        };
        if let (Some(max), Some(unit)) = (t.value_max, &t.unit) {
            self.notes.push(format!("原文为区间{}—{}{unit},取下限", number(t.value.unwrap_or_default()), number(max)));
        }
        value
    }

    /// The goal: values by year, an annual amount, or a due year. A kind with a number but no
    /// value is a milestone.
    fn set_goal(&mut self, value: Option<f64>, year: Option<i32>, year_stated: bool, default: DefaultYear) {
        match (self.kind, value) {
            (Kind::Annual, Some(v)) => self.annual = Some((v, year.filter(|_| year_stated))),
            (Kind::Level | Kind::Cumulative | Kind::Increment | Kind::Threshold, Some(v)) => {
                let y = year.unwrap_or_else(|| {
                    self.review.push(if default.known {
                        format!("原文未写年份,暂按方案目标年{}年", default.year)
                    } else {
                        format!("原文未写年份,暂填{}年", default.year)
                    });
                    default.year
                });
                self.values.insert(y, v);
            }
            (Kind::Zero, _) => {
                self.due = Some(year.unwrap_or_else(|| {
                    self.review.push(format!("清零目标须有年份,暂按{}年", default.year));
                    default.year
                }));
                self.unit = units::STATE.to_string();
                self.direction = Direction::Down;
                self.review.push("清零目标的计量单位待定".to_string());
            }
            (Kind::Stable, _) => {
                self.due = year;
                if ["比重", "占比", "率"].iter().any(|w| self.indicator.contains(w)) {
                    self.unit = "%".to_string();
                }
                self.notes.push("基期值待补充(以首次报送值为参照)".to_string());
            }
            (Kind::Level | Kind::Cumulative | Kind::Increment | Kind::Threshold | Kind::Annual, None) => {
                self.kind = Kind::Milestone;
                self.due = year;
            }
            (Kind::Direction | Kind::Milestone, _) => self.due = year,
        }
    }
}

/// The comparator of a target without a number: 保持 for a state to keep, 突破 for a first
/// (`零的突破`), else 实现.
fn qualitative_comparator(stated: StatedComparator) -> Comparator {
    match stated {
        StatedComparator::Plan(Comparator::Keep) | StatedComparator::SteadyAt => Comparator::Keep,
        StatedComparator::Plan(Comparator::Exceed) => Comparator::Exceed,
        StatedComparator::Plan(
            Comparator::Reach
            | Comparator::AtLeast
            | Comparator::NotLessThan
            | Comparator::About
            | Comparator::Accomplish
            | Comparator::AtMost,
        )
        | StatedComparator::Over
        | StatedComparator::Strive => Comparator::Accomplish,
    }
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
        Kind::Level | Kind::Cumulative | Kind::Increment | Kind::Threshold => {
            let Some((&year, &value)) = new.values.iter().next() else { return false };
            if existing.values.contains_key(&year) {
                return false;
            }
            let mut path = existing.values.clone();
            path.insert(year, value);
            let d = existing.direction.sign();
            let values: Vec<f64> = path.values().copied().collect();
            values.windows(2).all(|w| (w[1] - w[0]) * d >= 0.0)
        }
        Kind::Milestone | Kind::Direction => true,
        Kind::Annual | Kind::Zero | Kind::Stable => false,
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
    let _ = writeln!(out, "kind = {}", quote(d.kind.code()));
    let _ = writeln!(out, "direction = {}", quote(d.direction.code()));
    let _ = writeln!(out, "comparator = {}", quote(d.comparator.word()));
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
    if d.kind == Kind::Direction && !t.measures.is_empty() {
        let _ = writeln!(out, "measures = [");
        for (i, (name, direction)) in t.measures.iter().enumerate() {
            let direction = direction.code();
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
fn reporting(kind: Kind, unit: &str) -> (&'static str, &'static str) {
    let money = plan361_core::units::unit(unit).is_some_and(|u| u.dimension == plan361_core::units::Dimension::Money);
    match kind {
        Kind::Increment => ("month", "since_start"),
        Kind::Annual => ("month", "ytd"),
        Kind::Cumulative => ("month", "stock"),
        Kind::Level if money => ("year", "ytd"),
        Kind::Milestone | Kind::Zero => ("quarter", "stock"),
        Kind::Level | Kind::Threshold | Kind::Stable | Kind::Direction => ("year", "stock"),
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
