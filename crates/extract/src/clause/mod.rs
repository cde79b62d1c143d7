//! One clause at a time: the targets it states. A clause is the text between commas.
//!
//! [`read`] reads its numbers first, in five stages, each a module with the type it hands on:
//!
//! 1. [`classify`]: what each quantity is — a value, a qualifier inside an indicator, or a number
//!    that is no target (a structural count, a background fact) → [`classify::Classified`];
//! 2. [`items`]: the words around each value → [`items::Item`];
//! 3. [`indicator`]: what the value measures, from the words before and after it
//!    → [`indicator::Named`];
//! 4. [`flags`]: 每年, 累计, 新增 from the item, the clause or the sentence → [`flags::Flags`];
//! 5. [`phrasing`]: the comparator and the kind → [`phrasing::Phrasing`];
//!
//! and writes a [`Candidate`] for each value (one per name where a value is shared out). A
//! clause without quantified targets is read for commitments without a number
//! ([`qualitative`]). What a clause passes on to the next clause of its sentence is a
//! [`SentenceState`].

mod classify;
mod flags;
mod indicator;
mod items;
mod phrasing;
mod qualitative;
mod words;

#[cfg(test)]
mod tests;

use std::ops::Range;

use crate::Target;
use crate::number;
use crate::text::{is_trim, slice, trim_range, window_start};
use classify::classify;
use flags::Flags;
use indicator::{Enumeration, Named, peel_left, topic_of};
use items::{Item, items};
use phrasing::{Phrasing, phrasing};
use words::{NEW, VERBS, YEAR_INSIDE};

pub(crate) use classify::period_to_date;
pub(crate) use words::PAST;

/// A target as its clause states it. Its year, task and quoted clause are set where the walk
/// over the document places it: until then they are empty.
#[derive(Clone, Debug)]
pub(crate) struct Candidate {
    pub target: Target,
    /// Where the year is looked up from.
    pub position: usize,
    /// The clause it comes from (a range of the normalised text).
    pub source: Range<usize>,
}

/// A number that looked like a quantity but was not taken as a target.
#[derive(Clone, Debug)]
pub(crate) struct Rejected {
    pub source: Range<usize>,
    pub reason: &'static str,
}

/// What a clause states: targets, and numbers that are none.
#[derive(Clone, Debug, Default)]
pub(crate) struct Reading {
    pub candidates: Vec<Candidate>,
    pub rejected: Vec<Rejected>,
}

impl Reading {
    fn is_empty(&self) -> bool {
        self.candidates.is_empty() && self.rejected.is_empty()
    }
}

/// What a clause passes on to the next clause of the same sentence.
#[derive(Clone, Debug, Default)]
pub(crate) struct SentenceState {
    /// The subject of the last target (`工业增加值` in `工业增加值超过1.3万亿元,占…比重达25%`).
    pub subject: Option<String>,
    /// What the last clause without a number is about (`可再生能源开发利用规模` in `要加快对…等
    /// 可再生能源开发利用规模,力争每年递增3%`): the subject of a rate that names none.
    pub topic: Option<String>,
    pub flags: Flags,
}

/// Reads one clause (a range of `text`): its quantified targets; else its commitments without a
/// number; else, where it holds a number next to a comparator word, a note that it was not read.
/// `period_total` says that the sentence names a period (`"十四五"期间`) before the clause.
pub(crate) fn read(text: &str, clause: Range<usize>, period_total: bool, state: &mut SentenceState) -> Reading {
    let mut reading = numbers(text, clause.clone(), period_total, state);
    if reading.is_empty() {
        reading.candidates = qualitative::read(text, clause.clone());
    }
    if reading.is_empty() && looks_quantified(slice(text, clause.clone())) {
        reading.rejected.push(Rejected { source: clause, reason: "含数字和比较词,未能识别为目标" });
    }
    reading
}

/// The quantified targets of a clause: stages 1 to 5 for each value.
fn numbers(text: &str, clause: Range<usize>, period_total: bool, state: &mut SentenceState) -> Reading {
    let clause = trim_range(text, clause, is_trim);
    if clause.is_empty() {
        return Reading::default();
    }
    let words = slice(text, clause.clone());
    let quantities = number::scan(text, clause.clone());
    if quantities.is_empty() {
        state.topic = topic_of(words);
        return Reading::default();
    }
    let classified = classify(text, &clause, &quantities);
    let mut clause_flags = Flags::default();
    let opening = peel_left(words, &mut clause_flags);
    let opens_with_verb = VERBS.iter().chain(NEW).any(|v| opening.starts_with(v));
    let mut flags = Flags::default();
    let mut enumeration = Enumeration::default();
    let mut candidates = Vec::new();
    for (i, item) in items(text, &clause, &classified.values).iter().enumerate() {
        let qualifier_end = classified.qualifier_end(item.pre.end);
        let named = indicator::name(text, item, i, qualifier_end, &mut enumeration, state, words);
        // A bare `名词+数字` clause, and one opening with 其中, say what the sentence said.
        let bare = i == 0 && !opens_with_verb && named.zone.words.is_empty() && named.zone.growth.is_none();
        let sentence = (bare || words.starts_with("其中")).then_some(state.flags);
        flags.gather(named.opening, clause_flags, &named.zone, sentence);
        let strive = named.opening.strive || (i == 0 && clause_flags.strive);
        let phrasing = phrasing(item.q, &named.zone, item.tail, strive, flags, period_total && i == 0);
        candidates.extend(stated(text, &clause, item, named, phrasing));
    }
    if !candidates.is_empty() {
        state.flags = flags;
    }
    Reading { candidates, rejected: classified.rejected }
}

/// The candidates one value makes: one per indicator it is for, each quoting the clause up to
/// the value — in a long enumeration the item alone, for a long list of names sharing the value
/// its last words (every name quotes it).
fn stated(text: &str, clause: &Range<usize>, item: &Item, named: Named, phrasing: Phrasing) -> Vec<Candidate> {
    let mut review = named.review.clone();
    review.extend(phrasing.review(&named.zone));
    let unit = named.unit.clone();
    let indicators = named.indicators();
    let end = item.post.end.max(item.end);
    let source = if end - clause.start <= 300 {
        clause.start..end
    } else if indicators.len() > 1 {
        window_start(text, item.pre.start, item.q.start, 300)..end
    } else {
        item.pre.start..end
    };
    indicators
        .into_iter()
        .map(|indicator| Candidate {
            target: Target {
                value: Some(item.q.value),
                value_max: item.q.value_max,
                unit: Some(unit.clone()),
                review: review.clone(),
                ..Target::unplaced(indicator, phrasing.comparator, phrasing.kind, phrasing.direction)
            },
            position: item.q.start,
            source: source.clone(),
        })
        .collect()
}

/// Whether a clause holds a number next to a comparator word: worth a note when no target came
/// out of it. Years (`力争到2025年`) are not numbers here.
fn looks_quantified(clause: &str) -> bool {
    let has_digit = YEAR_INSIDE.split(clause).any(|part| part.chars().any(|c| c.is_ascii_digit()));
    has_digit
        && ["达到", "超过", "突破", "以上", "不少于", "左右", "增长", "提高", "下降", "降低", "力争", "控制在"]
            .iter()
            .any(|w| clause.contains(w))
}
