//! Drafting a plan file from a Chinese policy document (实施方案, 行动计划, 规划 …).
//!
//! [`extract`] reads the text — its head (title, issuer, date), its headings (`一、`, `(一)`,
//! `1.`), every quantified commitment (indicator, year, value, unit, comparator, kind, the clause
//! it comes from), the qualitative ones (`全覆盖`, `双提升`, `保持稳定`, `清零` …) and the
//! responsible units — and lists what it could not read as notes. [`draft_plan`] writes the
//! result as a plan file with review markers (`# 待核:`) where a person must decide.
//!
//! Everything here is a pure function of its input: no file is read or written. The text is
//! NFKC-normalised first (full-width digits and `％` become ASCII), then read with a small set of
//! rules; [`score`] measures the result against hand-labelled documents.

mod docx;
mod draft;
mod number;
mod qualitative;
pub mod score;
mod structure;
mod target;
mod text;
mod year;

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::ops::Range;

use plan361_core::plan::Direction;
use serde::Serialize;

pub use docx::{DocxError, docx_text};
pub use draft::{DraftOptions, draft_plan};
pub use structure::Head;
pub use text::compact;

use structure::{Heading, Level};
use target::{Candidate, SentenceState};
use text::{Normalized, is_clause_sep, is_sentence_end, slice};
use year::MarkerKind;

/// What kind of target the text states. `Growth` (年均增长5%) has no kind of its own in the
/// plan model: a plan file carries it as a threshold on a growth-rate indicator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    Level,
    Cumulative,
    Increment,
    Annual,
    Threshold,
    Growth,
    Zero,
    Stable,
    Direction,
    Milestone,
}

impl TargetKind {
    pub fn code(self) -> &'static str {
        match self {
            TargetKind::Level => "level",
            TargetKind::Cumulative => "cumulative",
            TargetKind::Increment => "increment",
            TargetKind::Annual => "annual",
            TargetKind::Threshold => "threshold",
            TargetKind::Growth => "growth",
            TargetKind::Zero => "zero",
            TargetKind::Stable => "stable",
            TargetKind::Direction => "direction",
            TargetKind::Milestone => "milestone",
        }
    }

    /// Whether the target has no number.
    pub fn is_qualitative(self) -> bool {
        matches!(self, TargetKind::Zero | TargetKind::Stable | TargetKind::Direction | TargetKind::Milestone)
    }
}

/// A target as the text states it.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    pub indicator: String,
    pub year: Option<i32>,
    /// Whether the year is written in the target's own sentence (not carried over from before).
    pub year_stated: bool,
    pub value: Option<f64>,
    /// The upper bound of a range (`8—10个`); `value` is the lower bound.
    pub value_max: Option<f64>,
    /// The unit as written (`万亿元`, `万家`, `台/万人`, `万亿`).
    pub unit: Option<String>,
    /// The text's word: 达到 以上 不少于 超过 突破 左右 保持 稳定在 力争 以内 实现.
    pub comparator: &'static str,
    pub kind: TargetKind,
    pub direction: Direction,
    /// The clause, verbatim from the document.
    pub source_text: String,
    /// Index into [`Extraction::tasks`].
    pub task: usize,
    /// The parts of a two-sided target (双提升) and the direction each must move.
    pub measures: Vec<(String, Direction)>,
    /// Why a person must look at it.
    pub review: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Project {
    pub number: u32,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Task {
    /// `P.N`: the project's number, then the task's within it.
    pub id: String,
    pub project: u32,
    pub name: String,
    /// Responsible units, lead first.
    pub units: Vec<String>,
}

/// Something the extractor saw but did not take as a target, with the clause.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub reason: String,
    pub clause: String,
}

/// Everything read from one document.
#[derive(Clone, Debug, PartialEq)]
pub struct Extraction {
    pub head: Head,
    /// The years the targets are due, in order.
    pub horizon: Vec<i32>,
    pub projects: Vec<Project>,
    pub tasks: Vec<Task>,
    pub targets: Vec<Target>,
    pub notes: Vec<Note>,
}

/// One target as `plan361 extract --json` prints it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct JsonTarget {
    pub indicator: String,
    pub year: Option<i32>,
    pub value: Option<f64>,
    pub value_max: Option<f64>,
    pub unit: Option<String>,
    pub comparator: String,
    pub kind: String,
    pub source_text: String,
}

impl Extraction {
    pub fn json(&self) -> Vec<JsonTarget> {
        self.targets
            .iter()
            .map(|t| JsonTarget {
                indicator: t.indicator.clone(),
                year: t.year,
                value: t.value,
                value_max: t.value_max,
                unit: t.unit.clone(),
                comparator: t.comparator.to_string(),
                kind: t.kind.code().to_string(),
                source_text: t.source_text.clone(),
            })
            .collect()
    }
}

/// Why a document could not be read.
#[derive(Debug)]
pub enum ReadError {
    Docx(DocxError),
    /// Nothing but white space.
    Empty,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Docx(e) => write!(f, "{e}"),
            ReadError::Empty => write!(f, "the document is empty (文档为空)"),
        }
    }
}

impl std::error::Error for ReadError {}

/// The text of a document: a .docx (recognised by its zip signature), or plain text in UTF-8
/// (with or without BOM) or GB18030.
pub fn read_document(bytes: &[u8]) -> Result<String, ReadError> {
    let text = if bytes.starts_with(b"PK\x03\x04") {
        docx_text(bytes).map_err(ReadError::Docx)?
    } else {
        plan361_files::text::decode(bytes).0.into_owned()
    };
    if text.trim().is_empty() { Err(ReadError::Empty) } else { Ok(text) }
}

/// Reads a policy document: structure, targets, responsible units and notes.
pub fn extract(document: &str) -> Extraction {
    let normalized = Normalized::new(document);
    let text = normalized.text.as_str();
    let head = structure::head(text);
    let (analysis, unit_spans) = mask(text);
    let lines = line_ranges(text);
    let headings: Vec<Option<Heading>> = lines.iter().map(|l| structure::heading(text, l.clone())).collect();
    let has = |level| headings.iter().flatten().any(|h| h.level == level);
    // `(1)` items are tasks only where the text has no `1.` items.
    let item_level = if has(Level::Item) { Level::Item } else { Level::SubItem };
    let project_level = if has(Level::Subsection) {
        Some(Level::Subsection)
    } else if has(Level::Section) {
        Some(Level::Section)
    } else {
        None
    };

    // The document's own year: `今年` counts from it, and a plain year before it (`2022年,全市…`,
    // `"十三五"期间…`) introduces facts.
    let issued_year: Option<i32> = head.issued.as_deref().and_then(|d| d.get(..4)).and_then(|y| y.parse().ok());
    let this_year = issued_year.or_else(|| year::inferred_year(text));
    let past = |m: &year::Marker| m.kind == MarkerKind::Plain && this_year.is_some_and(|y| m.year < y);
    let markers_in = |range: Range<usize>| year::markers(&analysis, range, this_year);

    let mut builder = Builder::new(project_level);
    // The period of the plan the text is about, where only its 《title》 gives it
    // (`《沈阳市清洁和可再生能源发展计划(2016-2017年)》`), holds until the text states a year.
    let title_year = head
        .title
        .as_deref()
        .into_iter()
        .chain(structure::own_titles(text))
        .find_map(|t| year::markers(t, 0..t.len(), None).iter().map(|m| m.year).max());
    let mut sticky: Option<Carried> =
        title_year.map(|year| Carried { year, past: this_year.is_some_and(|y| year < y), due: false });
    let mut found: Vec<Found> = Vec::new();
    let mut notes = Notes::default();
    let mut units = unit_spans.into_iter().peekable();
    for (line, heading) in lines.iter().zip(&headings) {
        let heading = heading.as_ref().filter(|h| h.level != Level::SubItem || item_level == Level::SubItem);
        let content = match heading {
            Some(h) => {
                builder.heading(h.level, slice(text, h.title.clone()).trim().to_string());
                match h.level {
                    Level::Item | Level::SubItem => h.body..line.end,
                    _ => {
                        let markers = markers_in(h.title.clone());
                        if let Some(m) = markers.iter().rev().find(|m| m.kind != MarkerKind::Past) {
                            sticky = Some(Carried::from(m, past(m)));
                        }
                        h.title.end..line.end
                    }
                }
            }
            None => line.clone(),
        };
        while let Some((at, names)) = units.next_if(|(at, _)| *at < line.end) {
            let _ = at;
            let task = builder.task();
            builder.add_units(task, names);
        }
        // A qualitative commitment takes the year its own item states anywhere.
        let item_year =
            markers_in(content.clone()).into_iter().find(|m| m.kind != MarkerKind::Past).map(|m| (m.year, past(&m)));
        let mut review_of_past = false;
        for sentence in split(&analysis, content, is_sentence_end) {
            let all_markers = markers_in(sentence.clone());
            // From `截至2024年底`, `今年上半年`, `1-4月` on, the sentence reports facts, until it
            // states a year to come.
            let to_date = target::period_to_date(slice(&analysis, sentence.clone())).map(|at| sentence.start + at);
            let facts_from =
                all_markers.iter().filter(|m| m.kind == MarkerKind::Past).map(|m| m.start).chain(to_date).min();
            let markers: Vec<year::Marker> = all_markers.into_iter().filter(|m| m.kind != MarkerKind::Past).collect();
            // Whether what stands at `position` is one of those facts: no year to come is stated
            // between their start and it (markers are in order).
            let reported = |position: usize| {
                facts_from.is_some_and(|from| {
                    let first_after = markers.partition_point(|m| m.start < from);
                    from <= position && markers.get(first_after).is_none_or(|m| m.start >= position)
                })
            };
            let mut state = SentenceState::default();
            // A paragraph that reviews the past (`过去一年,…`) states facts from there on.
            review_of_past |= target::PAST.iter().any(|w| slice(&analysis, sentence.clone()).contains(w));
            let clauses = clauses(&analysis, sentence.clone());
            let mut previous_start = sentence.start;
            // A sentence of facts only (`到2023年,全省已建成…`) gives no year to what follows.
            let (mut facts, mut targets_found) = (false, false);
            for clause in clauses {
                let period_total = markers.iter().any(|m| m.period && m.start >= previous_start && m.end <= clause.end);
                previous_start = clause.start;
                let mut candidates = Vec::new();
                let mut rejected = Vec::new();
                target::clause(&analysis, clause.clone(), period_total, &mut state, &mut candidates, &mut rejected);
                if candidates.is_empty() && rejected.is_empty() {
                    qualitative::clause(&analysis, clause.clone(), &mut candidates);
                }
                if candidates.is_empty()
                    && rejected.is_empty()
                    && target::looks_quantified(slice(&analysis, clause.clone()))
                {
                    rejected.push(target::Rejected {
                        source: clause.clone(), reason: "含数字和比较词,未能识别为目标"
                    });
                }
                for r in rejected {
                    facts |= r.reason.starts_with("背景");
                    notes.add(r.reason, normalized.original(r.source));
                }
                for c in candidates {
                    let (year, stated) = match resolve_year(&markers, c.position) {
                        Some(m) => (Some((m.year, past(m))), true),
                        // A due year of another item's commitment is no due year for this one.
                        None if c.kind.is_qualitative() => {
                            (item_year.or(sticky.filter(|s| !s.due).map(Carried::year)), false)
                        }
                        // Where no year holds, a number is due in the document's own year (a
                        // report's `全县安全饮用水百分百全覆盖`).
                        None => (sticky.map(Carried::year).or(this_year.map(|y| (y, false))), false),
                    };
                    if review_of_past || matches!(year, Some((_, true))) || reported(c.position) {
                        notes.add("背景数据(过去年份)", normalized.original(c.source.clone()));
                        continue;
                    }
                    let task = builder.task();
                    targets_found = true;
                    found.push(Found {
                        candidate: c,
                        year: year.map(|(y, _)| y),
                        year_stated: stated,
                        task,
                        sentence: sentence.start,
                    });
                }
            }
            // A five-year period (`"十四五"期间…`) holds for its own sentence only once a
            // target year has been given.
            if let Some(m) = markers
                .iter()
                .rev()
                .find(|m| !(m.five_year && m.kind == MarkerKind::Plain && sticky.is_some()))
                .filter(|_| !facts || targets_found)
            {
                sticky = Some(Carried::from(m, past(m)));
            }
        }
    }

    // A target stated twice (a headline or lead repeating the body) is listed once, as its
    // fuller statement. Candidates for a duplicate share year, value and unit; only the last
    // few of those are compared. Within one sentence only the same words repeat a target
    // (`城镇、农村居民收入均增长8%` are two).
    let mut targets: Vec<Target> = Vec::new();
    let mut same: HashMap<SameKey, Vec<(usize, usize)>> = HashMap::new();
    for Found { candidate: c, year, year_stated, task, sentence } in found {
        let key = (year, c.value.map(f64::to_bits), c.unit.clone());
        let earlier = same.entry(key).or_default();
        let restated = earlier.iter().rev().take(50).find(|(i, earlier_sentence)| {
            targets.get(*i).is_some_and(|t| {
                let same_words = t.indicator == c.indicator;
                t.kind.is_qualitative() == c.kind.is_qualitative()
                    && (same_words
                        || (*earlier_sentence != sentence
                            && t.value.is_some()
                            && score::similarity(&t.indicator, &c.indicator) >= 0.7))
            })
        });
        let source_text = normalized.original(c.source.clone()).trim();
        match restated.and_then(|(i, _)| targets.get_mut(*i)) {
            Some(kept) if names_more(&c.indicator, &kept.indicator) => {
                let replaced = std::mem::replace(kept, Target::stated(c, year, year_stated, task, source_text));
                notes.add("与前文目标重复,未重复列出", &replaced.source_text);
            }
            Some(_) => notes.add("与前文目标重复,未重复列出", source_text),
            None => {
                earlier.push((targets.len(), sentence));
                targets.push(Target::stated(c, year, year_stated, task, source_text));
            }
        }
    }

    // A qualitative target due after every quantified one is the plan's vision (`到2035年,…基本
    // 建成`), not a commitment of the plan.
    let last_quantified_year = targets.iter().filter(|t| !t.kind.is_qualitative()).filter_map(|t| t.year).max();
    targets.retain(|t| {
        let vision = t.kind.is_qualitative() && t.year.zip(last_quantified_year).is_some_and(|(y, last)| y > last);
        if vision {
            notes.add("远景目标(规划期之后),未列为目标", &t.source_text);
        }
        !vision
    });

    let mut horizon: Vec<i32> = targets.iter().filter_map(|t| t.year).collect();
    horizon.sort_unstable();
    horizon.dedup();
    let (projects, tasks) = builder.finish();
    Extraction { head, horizon, projects, tasks, targets, notes: notes.list }
}

/// The year marker of a target at `position` of a sentence: the nearest before it in the
/// sentence, else the first after it. Without one, the last year before the sentence holds.
fn resolve_year(markers: &[year::Marker], position: usize) -> Option<&year::Marker> {
    let after = markers.partition_point(|m| m.start < position);
    after.checked_sub(1).and_then(|before| markers.get(before)).or_else(|| markers.get(after))
}

impl Target {
    /// A candidate with its year (and whether its own sentence states it), task and clause.
    fn stated(c: Candidate, year: Option<i32>, year_stated: bool, task: usize, source_text: &str) -> Self {
        Target {
            indicator: c.indicator,
            year,
            year_stated,
            value: c.value,
            value_max: c.value_max,
            unit: c.unit,
            comparator: c.comparator,
            kind: c.kind,
            direction: c.direction,
            source_text: source_text.to_string(),
            task,
            measures: c.measures,
            review: c.review,
        }
    }
}

/// Whether `fuller` names what `other` names, and more (`服务业增加值` against `增加值`).
fn names_more(fuller: &str, other: &str) -> bool {
    let (fuller, other) = (compact(fuller), compact(other));
    fuller.len() > other.len() && fuller.contains(&other)
}

/// The non-empty lines of `text`, trimmed.
fn line_ranges(text: &str) -> Vec<Range<usize>> {
    let mut lines = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices().chain(std::iter::once((text.len(), '\n'))) {
        if c == '\n' {
            let range = text::trim_range(text, start..i, char::is_whitespace);
            if !range.is_empty() {
                lines.push(range);
            }
            start = i + 1;
        }
    }
    lines
}

/// `range` split at every character matching `at`, without the separators.
fn split(text: &str, range: Range<usize>, at: fn(char) -> bool) -> Vec<Range<usize>> {
    let mut parts = Vec::new();
    let mut start = range.start;
    for (i, c) in slice(text, range.clone()).char_indices() {
        if at(c) {
            let end = range.start + i;
            if end > start {
                parts.push(start..end);
            }
            start = end + c.len_utf8();
        }
    }
    if range.end > start {
        parts.push(start..range.end);
    }
    parts
}

/// The clauses of a sentence: split at commas and colons, and around a parenthesis that holds
/// clauses of its own (`(其中规模以上企业100家以上,…)`).
fn clauses(text: &str, sentence: Range<usize>) -> Vec<Range<usize>> {
    let s = slice(text, sentence.clone());
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    for (i, c) in s.char_indices() {
        match c {
            '(' => open.push(i),
            ')' => {
                if let Some(o) = open.pop() {
                    let inner = &s[o + 1..i];
                    // Only a parenthesis of reasonable length (nested ones stay linear).
                    if inner.len() <= 600 && (inner.contains([',', ':']) || inner.starts_with("其中")) {
                        cuts.push((o, 1));
                        cuts.push((i, 1));
                    }
                }
            }
            c if is_clause_sep(c) => cuts.push((i, c.len_utf8())),
            _ => {}
        }
    }
    cuts.sort_unstable();
    let mut parts = Vec::new();
    let mut start = 0;
    for (at, len) in cuts {
        if at > start {
            parts.push(sentence.start + start..sentence.start + at);
        }
        start = start.max(at + len);
    }
    if s.len() > start {
        parts.push(sentence.start + start..sentence.end);
    }
    parts
}

/// The text with responsible-unit notes and titles in 《》 blanked out (same byte offsets), and
/// the units found, by position.
fn mask(text: &str) -> (String, Vec<(usize, Vec<String>)>) {
    let mut bytes = text.as_bytes().to_vec();
    let mut units = Vec::new();
    let blank = |bytes: &mut Vec<u8>, range: Range<usize>| {
        if let Some(part) = bytes.get_mut(range) {
            part.fill(b' ');
        }
    };
    for line in line_ranges(text) {
        let s = slice(text, line.clone());
        if structure::is_unit_line(s) {
            units.push((line.start, structure::parse_units(s).names));
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
                        if structure::names_units(inner) {
                            units.push((line.start + o, structure::parse_units(inner).names));
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

/// A target as read, before restatements are merged.
struct Found {
    candidate: Candidate,
    year: Option<i32>,
    year_stated: bool,
    task: usize,
    /// Where its sentence starts.
    sentence: usize,
}

/// The year that holds where a sentence states none: the last one stated before.
#[derive(Clone, Copy, Debug)]
struct Carried {
    year: i32,
    /// A year before the document's date: what it introduces are facts.
    past: bool,
    /// The due year of a commitment (`到2030年`), not a title's or a one-year list's year.
    due: bool,
}

impl Carried {
    fn from(marker: &year::Marker, past: bool) -> Self {
        Carried { year: marker.year, past, due: marker.kind == MarkerKind::Due }
    }

    /// The year and whether it is past.
    fn year(self) -> (i32, bool) {
        (self.year, self.past)
    }
}

/// Year, value (as bits) and unit: what two statements of one target share.
type SameKey = (Option<i32>, Option<u64>, Option<String>);

/// Notes in order, each once.
#[derive(Default)]
struct Notes {
    list: Vec<Note>,
    seen: HashSet<(String, String)>,
}

impl Notes {
    fn add(&mut self, reason: &str, clause: &str) {
        // A note quotes at most 200 characters of its clause.
        let clause = clause.trim();
        let clause = match clause.char_indices().nth(200) {
            Some((cut, _)) => format!("{}…", &clause[..cut]),
            None => clause.to_string(),
        };
        let key = (reason.to_string(), clause);
        if self.seen.insert(key.clone()) {
            self.list.push(Note { reason: key.0, clause: key.1 });
        }
    }
}

/// Projects and tasks as the headings come.
struct Builder {
    level: Option<Level>,
    projects: Vec<Project>,
    tasks: Vec<Task>,
    project: Option<u32>,
    task: Option<usize>,
    section: Option<String>,
    catch_all: HashMap<(u32, Option<String>), usize>,
    /// Tasks per project so far.
    counts: HashMap<u32, usize>,
}

impl Builder {
    fn new(level: Option<Level>) -> Self {
        Builder {
            level,
            projects: Vec::new(),
            tasks: Vec::new(),
            project: None,
            task: None,
            section: None,
            catch_all: HashMap::new(),
            counts: HashMap::new(),
        }
    }

    fn heading(&mut self, level: Level, title: String) {
        match (level, self.level) {
            (Level::Item | Level::SubItem, _) => {
                let project = self.current_project();
                self.task = Some(self.new_task(project, title));
            }
            (l, Some(project_level)) if l == project_level => {
                let number = self.projects.last().map_or(0, |p| p.number) + 1;
                self.projects.push(Project { number, name: title });
                self.project = Some(number);
                self.task = None;
                self.section = None;
            }
            _ => {
                // A section above the projects (一、总体要求 when projects are (一)…).
                self.project = None;
                self.task = None;
                self.section = Some(title);
            }
        }
    }

    fn current_project(&mut self) -> u32 {
        if let Some(p) = self.project {
            return p;
        }
        if self.projects.first().is_none_or(|p| p.number != 0) {
            let name = self.section.clone().unwrap_or_else(|| "总体目标".to_string());
            self.projects.insert(0, Project { number: 0, name });
        }
        0
    }

    fn new_task(&mut self, project: u32, name: String) -> usize {
        let n = self.counts.entry(project).or_insert(0);
        *n += 1;
        let n = *n;
        let name: String = name.chars().take(60).collect();
        self.tasks.push(Task { id: format!("{project}.{n}"), project, name, units: Vec::new() });
        self.tasks.len() - 1
    }

    /// The task the current text belongs to: the current item, or one for the text of the
    /// section or project outside any item.
    fn task(&mut self) -> usize {
        if let Some(t) = self.task {
            return t;
        }
        let project = self.current_project();
        let key = (project, self.section.clone());
        if let Some(t) = self.catch_all.get(&key) {
            return *t;
        }
        let project_name = if project == 0 { None } else { self.projects.last().map(|p| p.name.clone()) };
        let name = match (&self.section, project_name) {
            (Some(section), _) if project == 0 => section.clone(),
            (_, Some(name)) => name,
            _ => "总体目标".to_string(),
        };
        let t = self.new_task(project, name);
        self.catch_all.insert(key, t);
        t
    }

    fn add_units(&mut self, task: usize, names: Vec<String>) {
        if let Some(task) = self.tasks.get_mut(task) {
            for name in names {
                if !task.units.contains(&name) {
                    task.units.push(name);
                }
            }
        }
    }

    fn finish(self) -> (Vec<Project>, Vec<Task>) {
        (self.projects, self.tasks)
    }
}

#[cfg(test)]
mod tests;
