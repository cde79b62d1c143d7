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
//!
//! The reading goes in steps, a module each: `document` walks the lines (headings make the
//! projects and tasks of `outline`), the sentences and the years that hold in them (`year`), and
//! reads every clause (`clause`: classify → items → indicator → flags → phrasing for numbers,
//! else commitments without a number); `restated` lists a target stated twice once. Kinds and
//! comparators are the plan model's where it has them ([`StatedKind`], [`StatedComparator`]).

mod clause;
mod document;
mod docx;
mod draft;
mod number;
mod outline;
mod restated;
pub mod score;
mod stated;
mod structure;
mod text;
mod year;

use std::fmt;

use plan361_core::plan::Direction;
use serde::Serialize;

pub use docx::{DocxError, docx_text};
pub use draft::{DraftOptions, draft_plan};
pub use stated::{StatedComparator, StatedKind};
pub use structure::Head;
pub use text::compact;

use document::Walked;
use text::Normalized;

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
    pub comparator: StatedComparator,
    pub kind: StatedKind,
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
                comparator: t.comparator.word().to_string(),
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
    let head = structure::head(&normalized.text);
    let Walked { found, mut notes, outline } = document::walk(&normalized, &head);
    let mut targets = restated::merge(found, &normalized, &mut notes);
    restated::drop_vision(&mut targets, &mut notes);
    let (projects, tasks) = outline.finish();
    Extraction { head, horizon: restated::horizon(&targets), projects, tasks, targets, notes: notes.list }
}

impl Target {
    /// A target as a clause states it, with no value, year, task or quoted clause yet.
    pub(crate) fn unplaced(
        indicator: String,
        comparator: StatedComparator,
        kind: StatedKind,
        direction: Direction,
    ) -> Self {
        Target {
            indicator,
            year: None,
            year_stated: false,
            value: None,
            value_max: None,
            unit: None,
            comparator,
            kind,
            direction,
            source_text: String::new(),
            task: 0,
            measures: Vec::new(),
            review: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests;
