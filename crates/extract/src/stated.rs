//! What a text states about a target: its kind and the word its goal is phrased with, in the
//! plan model's terms where the plan model has them ([`Kind`], [`Comparator`]).
//!
//! A text says more than a plan file holds: a growth rate (`年均增长5%`) is no kind of the plan
//! model, and `超过`, `稳定在`, `力争` are no comparators of it. The extractor keeps the text's
//! word (it is what `--json` prints and what the labels of `eval/extract` record) and the draft
//! maps it onto the plan model with a note ([`StatedKind::plan_kind`], [`StatedComparator::plan`]).
//! Plan files stay as they are: `plan check` accepts the plan model's words only.

use plan361_core::plan::{Comparator, Kind};

/// The kind of target a text states: a kind of the plan model, or a growth rate, which a plan
/// file carries as a threshold on a growth-rate indicator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StatedKind {
    Plan(Kind),
    /// `工业投资年均增长5%`.
    Growth,
}

impl StatedKind {
    pub fn code(self) -> &'static str {
        match self {
            StatedKind::Plan(kind) => kind.code(),
            StatedKind::Growth => "growth",
        }
    }

    pub fn from_code(code: &str) -> Option<StatedKind> {
        match code {
            "growth" => Some(StatedKind::Growth),
            code => Kind::from_code(code).map(StatedKind::Plan),
        }
    }

    /// Whether the target has no number (a zero target's 0 is the model's, not the text's).
    pub fn is_qualitative(self) -> bool {
        match self {
            StatedKind::Plan(Kind::Zero | Kind::Stable | Kind::Direction | Kind::Milestone) => true,
            StatedKind::Plan(Kind::Level | Kind::Cumulative | Kind::Increment | Kind::Annual | Kind::Threshold)
            | StatedKind::Growth => false,
        }
    }

    /// The kind a plan file gives it.
    pub fn plan_kind(self) -> Kind {
        match self {
            StatedKind::Plan(kind) => kind,
            StatedKind::Growth => Kind::Threshold,
        }
    }
}

impl From<Kind> for StatedKind {
    fn from(kind: Kind) -> Self {
        StatedKind::Plan(kind)
    }
}

/// The word a text phrases a goal with: a comparator of the plan model, or a word a plan file
/// writes as one of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StatedComparator {
    Plan(Comparator),
    /// 超过: a plan file's 突破.
    Over,
    /// 稳定在: a plan file's 保持.
    SteadyAt,
    /// 力争 where the text would otherwise say 达到: a plan file's 达到.
    Strive,
}

impl StatedComparator {
    /// The text's word: 达到 以上 不少于 超过 突破 左右 保持 稳定在 力争 以内 实现.
    pub fn word(self) -> &'static str {
        match self {
            StatedComparator::Plan(comparator) => comparator.word(),
            StatedComparator::Over => "超过",
            StatedComparator::SteadyAt => "稳定在",
            StatedComparator::Strive => "力争",
        }
    }

    pub fn from_word(word: &str) -> Option<StatedComparator> {
        match word {
            "超过" => Some(StatedComparator::Over),
            "稳定在" => Some(StatedComparator::SteadyAt),
            "力争" => Some(StatedComparator::Strive),
            word => Comparator::from_word(word).map(StatedComparator::Plan),
        }
    }

    /// The comparator a plan file gives a target with a value.
    pub fn plan(self) -> Comparator {
        match self {
            StatedComparator::Plan(comparator) => comparator,
            StatedComparator::Over => Comparator::Exceed,
            StatedComparator::SteadyAt => Comparator::Keep,
            StatedComparator::Strive => Comparator::Reach,
        }
    }
}

impl From<Comparator> for StatedComparator {
    fn from(comparator: Comparator) -> Self {
        StatedComparator::Plan(comparator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_codes_read_back() {
        let words = ["达到", "以上", "不少于", "超过", "突破", "左右", "保持", "稳定在", "力争", "以内", "实现"];
        for word in words {
            assert_eq!(StatedComparator::from_word(word).map(StatedComparator::word), Some(word));
        }
        assert_eq!(StatedComparator::from_word("达"), None);
        for kind in Kind::ALL.map(StatedKind::Plan).into_iter().chain([StatedKind::Growth]) {
            assert_eq!(StatedKind::from_code(kind.code()), Some(kind));
        }
    }

    #[test]
    fn a_plan_file_writes_what_the_plan_model_has() {
        assert_eq!(StatedComparator::Over.plan(), Comparator::Exceed);
        assert_eq!(StatedComparator::SteadyAt.plan(), Comparator::Keep);
        assert_eq!(StatedComparator::Strive.plan(), Comparator::Reach);
        assert_eq!(StatedComparator::Plan(Comparator::AtMost).plan(), Comparator::AtMost);
        assert_eq!(StatedKind::Growth.plan_kind(), Kind::Threshold);
        assert!(!StatedKind::Growth.is_qualitative());
        assert!(StatedKind::Plan(Kind::Zero).is_qualitative());
    }
}
