//! Stage 2: the text around each value of a clause. The text between two values is split at
//! its first separator: the part before belongs to the first value (`新增400个公共充电桩、`),
//! the part after to the second (`、省级新型研发机构40个`).

use std::ops::Range;

use plan361_core::plan::Comparator;

use crate::number::Quantity;
use crate::text::{nesting, slice};

/// One value with the text around it.
pub(super) struct Item<'q> {
    pub q: &'q Quantity,
    /// The words before the number: indicator and comparator words.
    pub pre: Range<usize>,
    /// The words after the number and its tail (`新增100张困难重残养护床位`): only the last value
    /// of a clause, or one followed by a separator, has any.
    pub post: Range<usize>,
    /// `以上`, `左右`, `以内` after the unit.
    pub tail: Option<Comparator>,
    /// Where the unit and its tail word end.
    pub end: usize,
}

/// The values of `clause` with the words around each.
pub(super) fn items<'q>(text: &str, clause: &Range<usize>, values: &[&'q Quantity]) -> Vec<Item<'q>> {
    let mut items: Vec<Item> = Vec::new();
    for (i, q) in values.iter().enumerate() {
        let (tail, end) = tail(text, q.end, clause.end);
        let pre_start = match items.last_mut() {
            None => clause.start,
            Some(previous) => {
                let (post, pre) = split_gap(text, previous.end..q.start);
                previous.post = post;
                pre.start
            }
        };
        let post = if i + 1 == values.len() { end..clause.end } else { end..end };
        items.push(Item { q, pre: pre_start..q.start, post, tail, end });
    }
    items
}

/// The tail word after a unit at `at` (`以上`, `左右`, `以内`, `以下`) as the comparator it makes,
/// and where it ends (`at` without one).
pub(super) fn tail(text: &str, at: usize, limit: usize) -> (Option<Comparator>, usize) {
    let rest = slice(text, at..limit);
    for (word, comparator) in [
        ("及以上", Comparator::AtLeast),
        ("以上", Comparator::AtLeast),
        ("左右", Comparator::About),
        ("以内", Comparator::AtMost),
        ("以下", Comparator::AtMost),
        ("上下", Comparator::About),
    ] {
        if rest.starts_with(word) {
            return (Some(comparator), at + word.len());
        }
    }
    (None, at)
}

/// Splits the text between two values at the first separator outside brackets and quotes
/// (`城市(县城、镇)` is one name): (the first value's words after it, the second's before it).
fn split_gap(text: &str, gap: Range<usize>) -> (Range<usize>, Range<usize>) {
    let s = slice(text, gap.clone());
    let mut at = 0;
    let mut depth = 0;
    while let Some(c) = s.get(at..).and_then(|rest| rest.chars().next()) {
        let rest = &s[at..];
        depth += nesting(c);
        if depth <= 0
            && let Some(sep) = ["以及", "、", "和", "及", "与", ",", ";"].iter().find(|sep| rest.starts_with(**sep))
        {
            return (gap.start..gap.start + at, gap.start + at + sep.len()..gap.end);
        }
        at += c.len_utf8();
    }
    // No separator: the words name the next value (`…企业达到25家,5亿元以上企业达到3家`).
    (gap.start..gap.start, gap)
}
