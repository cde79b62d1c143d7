//! The targets of a document as a list: a target stated twice (a headline or lead repeating the
//! body) is listed once, as its fuller statement; a qualitative target due after every
//! quantified one is the plan's vision (`到2035年,…基本建成`) and becomes a note.

use std::collections::HashMap;

use crate::document::{Found, Notes};
use crate::text::{Normalized, compact};
use crate::{Target, score};

/// Year, value (as bits) and unit: what two statements of one target share.
type SameKey = (Option<i32>, Option<u64>, Option<String>);

/// The targets found, each quoting its clause from the original text, restatements merged.
/// Candidates for a duplicate share year, value and unit; only the last few of those are
/// compared. Within one sentence only the same words repeat a target (`城镇、农村居民收入均增长
/// 8%` are two).
pub(crate) fn merge(found: Vec<Found>, normalized: &Normalized, notes: &mut Notes) -> Vec<Target> {
    let mut targets: Vec<Target> = Vec::new();
    let mut same: HashMap<SameKey, Vec<(usize, usize)>> = HashMap::new();
    for Found { mut target, source, sentence } in found {
        target.source_text = normalized.original(source).trim().to_string();
        let earlier = same.entry((target.year, target.value.map(f64::to_bits), target.unit.clone())).or_default();
        let restated = earlier.iter().rev().take(50).find(|(i, earlier_sentence)| {
            targets.get(*i).is_some_and(|kept| restates(kept, &target, *earlier_sentence != sentence))
        });
        match restated.and_then(|(i, _)| targets.get_mut(*i)) {
            Some(kept) if names_more(&target.indicator, &kept.indicator) => {
                let replaced = std::mem::replace(kept, target);
                notes.add("与前文目标重复,未重复列出", &replaced.source_text);
            }
            Some(_) => notes.add("与前文目标重复,未重复列出", &target.source_text),
            None => {
                earlier.push((targets.len(), sentence));
                targets.push(target);
            }
        }
    }
    targets
}

/// Whether `later` states `kept` again: both quantified or both not, with the same words, or —
/// in another sentence, with a value — with words that name the same thing.
fn restates(kept: &Target, later: &Target, other_sentence: bool) -> bool {
    kept.kind.is_qualitative() == later.kind.is_qualitative()
        && (kept.indicator == later.indicator
            || (other_sentence && kept.value.is_some() && score::similarity(&kept.indicator, &later.indicator) >= 0.7))
}

/// Whether `fuller` names what `other` names, and more (`服务业增加值` against `增加值`).
fn names_more(fuller: &str, other: &str) -> bool {
    let (fuller, other) = (compact(fuller), compact(other));
    fuller.len() > other.len() && fuller.contains(&other)
}

/// Drops the vision — qualitative targets due after every quantified one — and notes it.
pub(crate) fn drop_vision(targets: &mut Vec<Target>, notes: &mut Notes) {
    let last_quantified_year = targets.iter().filter(|t| !t.kind.is_qualitative()).filter_map(|t| t.year).max();
    targets.retain(|t| {
        let vision = t.kind.is_qualitative() && t.year.zip(last_quantified_year).is_some_and(|(y, last)| y > last);
        if vision {
            notes.add("远景目标(规划期之后),未列为目标", &t.source_text);
        }
        !vision
    });
}

/// The years the targets are due, in order.
pub(crate) fn horizon(targets: &[Target]) -> Vec<i32> {
    let mut horizon: Vec<i32> = targets.iter().filter_map(|t| t.year).collect();
    horizon.sort_unstable();
    horizon.dedup();
    horizon
}
