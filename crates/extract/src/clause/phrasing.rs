//! Stage 5: how the text phrases a value — its comparator, by precedence where a clause has
//! several words — and what kind of target it makes, in which direction.

use plan361_core::plan::{Comparator, Direction, Kind};

use super::flags::Flags;
use super::indicator::Zone;
use super::words::{LOWER_BOUNDS, UPPER_BOUNDS};
use crate::number::Quantity;
use crate::stated::{StatedComparator, StatedKind};

/// Stage 5's result for one value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Phrasing {
    pub comparator: StatedComparator,
    pub kind: StatedKind,
    pub direction: Direction,
}

/// The phrasing of value `q`: `zone` and `tail` are the words around its number, `strive`
/// whether 力争/争取 opens its words, `flags` what its clause says of it, `period_total` whether
/// it is the first value after a period (`"十四五"期间`), whose amounts are totals.
pub(super) fn phrasing(
    q: &Quantity,
    zone: &Zone,
    tail: Option<Comparator>,
    strive: bool,
    flags: Flags,
    period_total: bool,
) -> Phrasing {
    let mut comparator = comparator(&zone.words, tail, q.approximate);
    if comparator == StatedComparator::Plan(Comparator::Reach) && strive {
        comparator = StatedComparator::Strive;
    }
    let (kind, direction) = kind_of(q, zone, comparator, flags, period_total);
    Phrasing { comparator, kind, direction }
}

impl Phrasing {
    /// Why a person must check the phrasing: a goal only striven for, or one relative to a base.
    pub fn review(&self, zone: &Zone) -> Vec<String> {
        let mut review = Vec::new();
        if self.comparator == StatedComparator::Strive {
            review.push("原文为“力争”".to_string());
        }
        let relative = matches!(self.kind, StatedKind::Growth | StatedKind::Plan(Kind::Increment));
        if zone.base_phrase && !relative {
            review.push("相对基期的目标(“比…”),请核对口径".to_string());
        }
        review
    }
}

/// The precedence of comparator words when a clause has several: 稳定在/保持 > 左右 > 以内 >
/// 以上/不少于/超过/突破 > 力争 > 达到.
fn comparator(zone: &[&'static str], tail: Option<Comparator>, approximate: bool) -> StatedComparator {
    let has = |w: &str| zone.contains(&w);
    if has("稳定在") || has("稳定") {
        return StatedComparator::SteadyAt;
    }
    if has("保持") || has("保持在") {
        return Comparator::Keep.into();
    }
    if let Some(tail @ (Comparator::About | Comparator::AtMost)) = tail {
        return tail.into();
    }
    if UPPER_BOUNDS.iter().any(|w| has(w)) {
        return Comparator::AtMost.into();
    }
    if tail == Some(Comparator::AtLeast) || approximate {
        return Comparator::AtLeast.into();
    }
    if LOWER_BOUNDS.iter().any(|w| has(w)) {
        return Comparator::NotLessThan.into();
    }
    if has("超过") || has("超") || has("过") || has("要过") || has("力争超过") {
        return StatedComparator::Over;
    }
    if has("突破") || has("力争突破") {
        return Comparator::Exceed.into();
    }
    if has("力争") || has("争取") || has("力争达到") {
        return StatedComparator::Strive;
    }
    Comparator::Reach.into()
}

/// The kind and direction: a growth verb makes a growth rate (or, with an amount, an increment);
/// a bounded rate a threshold; then 每年, 累计 (or a period's total) and 新增 decide.
fn kind_of(
    q: &Quantity,
    zone: &Zone,
    comparator: StatedComparator,
    flags: Flags,
    period_total: bool,
) -> (StatedKind, Direction) {
    let down = comparator == StatedComparator::Plan(Comparator::AtMost)
        || zone.words.iter().any(|w| UPPER_BOUNDS.contains(w) || matches!(*w, "降至" | "下降到" | "降低到" | "减少到"));
    let direction = if down { Direction::Down } else { Direction::Up };
    if zone.growth.is_some() {
        return if q.is_rate() { (StatedKind::Growth, Direction::Up) } else { (Kind::Increment.into(), direction) };
    }
    let bounded = match comparator {
        StatedComparator::Plan(
            Comparator::AtLeast | Comparator::NotLessThan | Comparator::Exceed | Comparator::AtMost | Comparator::Keep,
        )
        | StatedComparator::Over
        | StatedComparator::SteadyAt => true,
        StatedComparator::Plan(Comparator::Reach | Comparator::About | Comparator::Accomplish)
        | StatedComparator::Strive => false,
    };
    let kind = if q.is_rate() && bounded {
        Kind::Threshold
    } else if flags.annual {
        Kind::Annual
    } else if flags.cumulative || (period_total && !q.is_rate()) {
        Kind::Cumulative
    } else if flags.increment {
        Kind::Increment
    } else {
        Kind::Level
    };
    (kind.into(), direction)
}
