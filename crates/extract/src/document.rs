//! The walk over a document: its lines and their headings (projects and tasks), the responsible
//! units it names, its sentences and the years that hold in them, every clause read for targets
//! ([`clause::read`]), and every target placed — given its year and task — or noted as a fact.

use std::collections::HashSet;
use std::iter::Peekable;
use std::ops::Range;

use crate::clause::{self, Candidate, PAST, SentenceState, period_to_date};
use crate::outline::Outline;
use crate::structure::{self, Head, Heading, Level};
use crate::text::{Normalized, clauses, is_sentence_end, line_ranges, slice, split};
use crate::year::{self, Marker, MarkerKind};
use crate::{Note, Target};

/// What the walk found.
pub(crate) struct Walked {
    pub found: Vec<Found>,
    pub notes: Notes,
    pub outline: Outline,
}

/// A target as placed, before restatements are merged. Its year and task are set.
pub(crate) struct Found {
    pub target: Target,
    /// The clause it comes from (a range of the normalised text).
    pub source: Range<usize>,
    /// Where its sentence starts.
    pub sentence: usize,
}

/// Reads a document (`head` is what its first lines say).
pub(crate) fn walk(normalized: &Normalized, head: &Head) -> Walked {
    let text = normalized.text.as_str();
    let (analysis, units) = structure::mask(text);
    let lines = line_ranges(text);
    let mut headings: Vec<Option<Heading>> = lines.iter().map(|l| structure::heading(text, l.clone())).collect();
    let outline = Outline::of(&mut headings);
    let years = DocumentYears::of(text, head);
    let mut walk = Walk {
        normalized,
        analysis: &analysis,
        carried: years.title_period(text, head),
        years,
        outline,
        units: units.into_iter().peekable(),
        found: Vec::new(),
        notes: Notes::default(),
    };
    for (line, heading) in lines.into_iter().zip(headings) {
        walk.line(line, heading);
    }
    Walked { found: walk.found, notes: walk.notes, outline: walk.outline }
}

struct Walk<'a> {
    normalized: &'a Normalized<'a>,
    /// The normalised text with responsible-unit notes and titles in 《》 blanked out: what
    /// clauses are read from.
    analysis: &'a str,
    years: DocumentYears,
    outline: Outline,
    /// Responsible units by where they are named.
    units: Peekable<std::vec::IntoIter<(usize, Vec<String>)>>,
    /// The year that holds where a sentence states none.
    carried: Option<Carried>,
    found: Vec<Found>,
    notes: Notes,
}

impl Walk<'_> {
    fn line(&mut self, line: Range<usize>, heading: Option<Heading>) {
        let content = match heading {
            Some(h) => self.heading(&h, line.end),
            None => line.clone(),
        };
        while let Some((_, names)) = self.units.next_if(|(at, _)| *at < line.end) {
            let task = self.outline.task();
            self.outline.add_units(task, names);
        }
        // A qualitative commitment takes the year its own item states anywhere.
        let item_year =
            self.years.markers(self.analysis, content.clone()).into_iter().find(|m| m.kind != MarkerKind::Past);
        let item_year = item_year.map(|m| (m.year, self.years.past(&m)));
        // A paragraph that reviews the past (`过去一年,…`) states facts from there on.
        let mut review_of_past = false;
        for sentence in split(self.analysis, content, is_sentence_end) {
            review_of_past |= PAST.iter().any(|w| slice(self.analysis, sentence.clone()).contains(w));
            self.sentence(sentence, item_year, review_of_past);
        }
    }

    /// Takes a heading into the outline; returns the range of its line to read. A section's
    /// year (`一、2024年重点任务`) holds for what follows.
    fn heading(&mut self, heading: &Heading, line_end: usize) -> Range<usize> {
        let title = slice(self.normalized.text.as_str(), heading.title.clone()).trim().to_string();
        self.outline.heading(heading.level, title);
        if matches!(heading.level, Level::Item | Level::SubItem) {
            return heading.body..line_end;
        }
        let markers = self.years.markers(self.analysis, heading.title.clone());
        if let Some(m) = markers.iter().rev().find(|m| m.kind != MarkerKind::Past) {
            self.carried = Some(Carried::from(m, self.years.past(m)));
        }
        heading.title.end..line_end
    }

    fn sentence(&mut self, sentence: Range<usize>, item_year: Option<(i32, bool)>, review_of_past: bool) {
        let years = SentenceYears::of(self.analysis, sentence.clone(), &self.years);
        let mut state = SentenceState::default();
        let mut previous_start = sentence.start;
        // A sentence of facts only (`到2023年,全省已建成…`) gives no year to what follows.
        let (mut facts, mut targets_found) = (false, false);
        for clause in clauses(self.analysis, sentence.clone()) {
            let period_total = years.period_within(previous_start..clause.end);
            previous_start = clause.start;
            let reading = clause::read(self.analysis, clause, period_total, &mut state);
            for r in reading.rejected {
                facts |= r.reason.starts_with("背景");
                self.notes.add(r.reason, self.normalized.original(r.source));
            }
            for c in reading.candidates {
                let placing = Placing { years: &years, item_year, review_of_past, sentence: sentence.start };
                targets_found |= self.place(c, placing);
            }
        }
        // A five-year period (`"十四五"期间…`) holds for its own sentence only once a
        // target year has been given.
        if let Some(m) = years
            .markers
            .iter()
            .rev()
            .find(|m| !(m.five_year && m.kind == MarkerKind::Plain && self.carried.is_some()))
            .filter(|_| !facts || targets_found)
        {
            self.carried = Some(Carried::from(m, self.years.past(m)));
        }
    }

    /// Gives a candidate its year and task, or notes it as a fact of the past. Returns whether
    /// it is a target.
    fn place(&mut self, mut c: Candidate, at: Placing) -> bool {
        let (year, stated) = match at.years.at(c.position) {
            Some(m) => (Some((m.year, self.years.past(m))), true),
            // A due year of another item's commitment is no due year for this one.
            None if c.target.kind.is_qualitative() => {
                (at.item_year.or(self.carried.filter(|s| !s.due).map(Carried::year)), false)
            }
            // Where no year holds, a number is due in the document's own year (a report's
            // `全县安全饮用水百分百全覆盖`).
            None => (self.carried.map(Carried::year).or(self.years.this_year.map(|y| (y, false))), false),
        };
        if at.review_of_past || matches!(year, Some((_, true))) || at.years.reported(c.position) {
            self.notes.add("背景数据(过去年份)", self.normalized.original(c.source));
            return false;
        }
        c.target.year = year.map(|(y, _)| y);
        c.target.year_stated = stated;
        c.target.task = self.outline.task();
        self.found.push(Found { target: c.target, source: c.source, sentence: at.sentence });
        true
    }
}

/// Where a candidate stands: the years of its sentence, the year its item states, whether its
/// paragraph reviews the past, where its sentence starts.
struct Placing<'y> {
    years: &'y SentenceYears,
    item_year: Option<(i32, bool)>,
    review_of_past: bool,
    sentence: usize,
}

/// The document's own year: `今年` counts from it, and a plain year before it (`2022年,全市…`,
/// `"十三五"期间…`) introduces facts.
struct DocumentYears {
    this_year: Option<i32>,
}

impl DocumentYears {
    fn of(text: &str, head: &Head) -> Self {
        let issued_year: Option<i32> = head.issued.as_deref().and_then(|d| d.get(..4)).and_then(|y| y.parse().ok());
        DocumentYears { this_year: issued_year.or_else(|| year::inferred_year(text)) }
    }

    /// The period of the plan the text is about, where only its 《title》 gives it
    /// (`《沈阳市清洁和可再生能源发展计划(2016-2017年)》`): it holds until the text states a year.
    fn title_period(&self, text: &str, head: &Head) -> Option<Carried> {
        let year = head
            .title
            .as_deref()
            .into_iter()
            .chain(structure::own_titles(text))
            .find_map(|t| year::markers(t, 0..t.len(), None).iter().map(|m| m.year).max())?;
        Some(Carried { year, past: self.this_year.is_some_and(|y| year < y), due: false })
    }

    fn markers(&self, analysis: &str, range: Range<usize>) -> Vec<Marker> {
        year::markers(analysis, range, self.this_year)
    }

    /// Whether a plain year is before the document's own.
    fn past(&self, m: &Marker) -> bool {
        m.kind == MarkerKind::Plain && self.this_year.is_some_and(|y| m.year < y)
    }
}

/// The years of one sentence: the years to come it states, and where it starts reporting facts.
struct SentenceYears {
    /// In order; none of them past.
    markers: Vec<Marker>,
    /// From `截至2024年底`, `今年上半年`, `1-4月` on, the sentence reports facts, until it states
    /// a year to come.
    facts_from: Option<usize>,
}

impl SentenceYears {
    fn of(analysis: &str, sentence: Range<usize>, years: &DocumentYears) -> Self {
        let all = years.markers(analysis, sentence.clone());
        let to_date = period_to_date(slice(analysis, sentence.clone())).map(|at| sentence.start + at);
        let facts_from = all.iter().filter(|m| m.kind == MarkerKind::Past).map(|m| m.start).chain(to_date).min();
        SentenceYears { markers: all.into_iter().filter(|m| m.kind != MarkerKind::Past).collect(), facts_from }
    }

    /// The year of a target at `position`: the nearest marker before it in the sentence, else
    /// the first after it. Without one, the year carried from before holds.
    fn at(&self, position: usize) -> Option<&Marker> {
        let after = self.markers.partition_point(|m| m.start < position);
        after.checked_sub(1).and_then(|before| self.markers.get(before)).or_else(|| self.markers.get(after))
    }

    /// Whether what stands at `position` is one of the facts: no year to come is stated between
    /// their start and it.
    fn reported(&self, position: usize) -> bool {
        self.facts_from.is_some_and(|from| {
            let first_after = self.markers.partition_point(|m| m.start < from);
            from <= position && self.markers.get(first_after).is_none_or(|m| m.start >= position)
        })
    }

    /// Whether a period (`"十四五"期间`) is named within `range`: its amounts are totals.
    fn period_within(&self, range: Range<usize>) -> bool {
        self.markers.iter().any(|m| m.period && m.start >= range.start && m.end <= range.end)
    }
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
    fn from(marker: &Marker, past: bool) -> Self {
        Carried { year: marker.year, past, due: marker.kind == MarkerKind::Due }
    }

    /// The year and whether it is past.
    fn year(self) -> (i32, bool) {
        (self.year, self.past)
    }
}

/// Notes in order, each once.
#[derive(Default)]
pub(crate) struct Notes {
    pub list: Vec<Note>,
    seen: HashSet<(String, String)>,
}

impl Notes {
    pub fn add(&mut self, reason: &str, clause: &str) {
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
