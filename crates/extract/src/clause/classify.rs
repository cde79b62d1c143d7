//! Stage 1: what each quantity of a clause is — a value, a qualifier inside an indicator
//! (`投资额10亿元以上先进制造业项目`, `千亿级`), nothing worth a note (an ordinal, `一批`), or a
//! number that is not a target and says why (`5个方面`, `237名人大代表`).

use std::ops::Range;

use super::Rejected;
use super::flags::Flags;
use super::indicator::{peel_left, peel_right_across_verb};
use super::items::tail;
use super::words::{BACKGROUND, COMMIT, LOWER_BOUNDS, PERIOD_TO_DATE, PLAN_FRAME, STRUCTURAL, ZONE};
use crate::number::Quantity;
use crate::text::{char_at, is_han, nesting, slice, window_start};

/// What a quantity turned out to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Value,
    /// Part of an indicator's name; plain text.
    Qualifier,
    /// Not a target and not worth a note (an ordinal, `一批`).
    Ignore,
    Rejected(&'static str),
}

/// The quantities of a clause, sorted out.
pub(super) struct Classified<'q> {
    pub values: Vec<&'q Quantity>,
    /// Where each qualifier ends, and where its tail words (`以上`) end: comparator words are
    /// looked for after them only.
    pub qualifiers: Vec<(usize, usize)>,
    /// Once per reason.
    pub rejected: Vec<Rejected>,
}

impl Classified<'_> {
    /// Where the last qualifier before `limit` ends, with its tail words.
    pub fn qualifier_end(&self, limit: usize) -> Option<usize> {
        let n = self.qualifiers.partition_point(|(end, _)| *end <= limit);
        n.checked_sub(1).and_then(|last| self.qualifiers.get(last)).map(|(_, tail_end)| *tail_end)
    }
}

/// Sorts out the quantities of `clause` (a range of `text`), in order. Every value of a clause
/// that reports a fact is rejected as background.
pub(super) fn classify<'q>(text: &str, clause: &Range<usize>, quantities: &'q [Quantity]) -> Classified<'q> {
    let background = reports_a_fact(slice(text, clause.clone()));
    let mut classified = Classified { values: Vec::new(), qualifiers: Vec::new(), rejected: Vec::new() };
    for (i, q) in quantities.iter().enumerate() {
        let reason = match role(text, clause, q, quantities.get(i + 1)) {
            Role::Value if background => "背景数据(非目标)",
            Role::Rejected(reason) => reason,
            Role::Value => {
                classified.values.push(q);
                continue;
            }
            Role::Qualifier => {
                classified.qualifiers.push((q.end, tail(text, q.end, clause.end).1));
                continue;
            }
            Role::Ignore => continue,
        };
        if !classified.rejected.iter().any(|r| r.reason == reason) {
            classified.rejected.push(Rejected { source: clause.clone(), reason });
        }
    }
    classified
}

/// The role of `q` in `clause`; `later` is the quantity after it.
fn role(text: &str, clause: &Range<usize>, q: &Quantity, later: Option<&Quantity>) -> Role {
    let (_, after_tail) = tail(text, q.end, clause.end);
    let next = char_at(text, after_tail).filter(|_| after_tail < clause.end);
    // The words just before the number (a window, so that a huge clause stays linear).
    let before = slice(text, window_start(text, clause.start, q.start, 120)..q.start);
    let after = slice(text, after_tail..clause.end);
    if slice(text, q.end..clause.end).starts_with('级') {
        return Role::Qualifier; // 千亿级, 100亿元级
    }
    if before.ends_with('第') || inside_quotes(before) {
        return Role::Ignore; // 第三届; a name: “四个百分百全覆盖”, “1136”
    }
    // 在10个设区市和杨凌示范区各建设…1处: a count of places is part of the indicator.
    if before.ends_with('在') && !ZONE.iter().any(|w| w.ends_with('在') && before.ends_with(w)) {
        return Role::Qualifier;
    }
    if vague_in_words(q, before) {
        return Role::Ignore;
    }
    // 年营业收入超1000亿元的2个: an amount that describes what the next number counts. A share
    // before its noun is a value (`70%的城市达到…标准、40%的镇达到…`).
    let shares_out = |next_q: &Quantity| q.is_rate() && separated(slice(text, after_tail..next_q.start));
    if next == Some('的') && later.is_some_and(|n| !shares_out(n)) {
        return Role::Qualifier;
    }
    let closing_word = ["大关", "目标", "规模", "水平", "左右", "人民币"].iter().any(|w| after.starts_with(w));
    if q.is_money()
        && !closing_word
        && next.is_some_and(|c| is_han(c) && !matches!(c, '以' | '左' | '等' | '和' | '及' | '与' | '的'))
    {
        return Role::Qualifier; // 投资额10亿元以上先进制造业项目, 产值超百亿元企业
    }
    let counts_plan_frame = !q.is_money() && !q.is_rate() && PLAN_FRAME.iter().any(|s| after.starts_with(s));
    if counts_plan_frame || STRUCTURAL.iter().any(|s| after.starts_with(s)) {
        return Role::Rejected("结构性数字(方案的组成部分)");
    }
    if before.contains('把') {
        return Role::Rejected("结构性数字(“把…”句式)");
    }
    if before.ends_with('等') && !commits_to_a_list(before) {
        return Role::Rejected("列举的计数(非目标)");
    }
    Role::Value
}

/// Whether a count in Chinese numerals says too little to be a value: `一批`, `一个` whatever
/// comes before (but `至少一个` is one), `两个`, `四张清单` unless right after a comparator.
fn vague_in_words(q: &Quantity, before: &str) -> bool {
    if !q.chinese || q.implied || q.value_max.is_some() {
        return false;
    }
    let (_, zone) = peel_right_across_verb(before);
    let bounded = zone.words.iter().any(|w| LOWER_BOUNDS.contains(w));
    let after_comparator = !zone.words.is_empty() || zone.growth.is_some();
    q.base == "批" || (q.value == 1.0 && !bounded) || !after_comparator
}

/// Whether the words before a count that ends a list (`打造A、B等5个产业`) commit to the counted
/// set, rather than naming members of something else (`重点推进金融业、商务服务业等5个…发展`).
fn commits_to_a_list(before: &str) -> bool {
    let mut flags = Flags::default();
    let opening = peel_left(before, &mut flags);
    let head: String = opening.chars().take(6).collect();
    COMMIT.iter().any(|v| head.contains(v)) || flags.increment
}

/// Whether a clause reports a fact rather than a commitment: a cue word, a period to date, or a
/// membership (`诏安是全省23个重点扶贫开发县之一`).
fn reports_a_fact(clause: &str) -> bool {
    let membership = clause.find("之一").is_some_and(|at| clause[..at].contains('是'));
    membership || period_to_date(clause).is_some() || BACKGROUND.iter().any(|w| clause.contains(w))
}

/// Where a period to date is named in `s` (`上半年,全市完成…`): what the sentence says from there
/// on is a fact.
pub(crate) fn period_to_date(s: &str) -> Option<usize> {
    PERIOD_TO_DATE.find(s).map(|m| m.start())
}

/// Whether the end of `before` is inside quotation marks (`“四个百分百`): a name, not a value.
fn inside_quotes(before: &str) -> bool {
    before.matches('“').count() > before.matches('”').count()
}

/// Whether `s` holds an enumeration separator outside brackets and quotes.
fn separated(s: &str) -> bool {
    let mut depth = 0;
    s.chars().any(|c| {
        depth += nesting(c);
        depth <= 0 && matches!(c, '、' | ';')
    })
}
