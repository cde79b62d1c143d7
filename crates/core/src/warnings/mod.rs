//! Early warning (预警研判, DESIGN §2G): rules that turn evaluations, reporting records and the
//! cluster statistics into warnings, and the life of a warning (新 → 已签收 → 整改中 → 已解除).
//!
//! Each source of warnings is a [`Rule`] with a level the plan office tunes, stored as data
//! with defaults ([`Rules::default`]). [`detect`] turns one period's facts into findings;
//! [`reconcile`] compares them with the warnings already stored and says what changes, so a
//! scan run twice on the same data changes nothing the second time. Nothing here does I/O.

mod detect;
mod life;

pub use detect::{
    ClusterGrowth, Facts, Finding, FlaggedValue, KeyEnterprise, LateUnit, cluster_growth, detect, key_enterprises,
};
pub use life::{Change, Known, Step, WarningState, reconcile};

use crate::i18n::Labelled;
use serde::{Deserialize, Serialize};

/// Where a warning comes from. A new source (such as a validation-rule warning accepted with
/// a comment) is one more variant here, its default rule and its detector in `detect`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The status got worse than at the period before, into one that needs attention.
    Downgrade,
    /// A projected miss: 滞后, 倒退 or 未完成.
    ProjectedMiss,
    /// A finished target year whose goal was missed.
    MissedYear,
    /// A unit's values are past their due date and not submitted.
    Overdue,
    /// The latest value is older than the last period that has ended (§3A.5).
    Stale,
    /// A counted baseline disagrees with the plan's (基期核对不一致).
    BaselineMismatch,
    /// A key enterprise's 1–N月 output fell more than a set share year on year.
    EnterpriseFall,
    /// A cluster grows more than a set number of points below the city.
    ClusterLag,
    /// A value a validation rule warned about, accepted with a 情况说明 (数据校验提示).
    FlaggedValue,
}

impl Source {
    /// Every source.
    pub const ALL: [Source; 9] = [
        Source::Downgrade,
        Source::ProjectedMiss,
        Source::MissedYear,
        Source::Overdue,
        Source::Stale,
        Source::BaselineMismatch,
        Source::EnterpriseFall,
        Source::ClusterLag,
        Source::FlaggedValue,
    ];

    /// The code stored and sent over the API.
    pub fn code(self) -> &'static str {
        match self {
            Source::Downgrade => "downgrade",
            Source::ProjectedMiss => "projected_miss",
            Source::MissedYear => "missed_year",
            Source::Overdue => "overdue",
            Source::Stale => "stale",
            Source::BaselineMismatch => "baseline_mismatch",
            Source::EnterpriseFall => "enterprise_fall",
            Source::ClusterLag => "cluster_lag",
            Source::FlaggedValue => "flagged_value",
        }
    }

    /// The source of a code; `None` for an unknown one.
    pub fn from_code(code: &str) -> Option<Source> {
        Source::ALL.into_iter().find(|s| s.code() == code)
    }
}

impl crate::i18n::Labelled for Source {
    /// Its name on Chinese pages.
    fn label_zh(self) -> &'static str {
        match self {
            Source::Downgrade => "状态下降",
            Source::ProjectedMiss => "预计难以完成",
            Source::MissedYear => "年度目标未完成",
            Source::Overdue => "数据逾期未报",
            Source::Stale => "数据未更新",
            Source::BaselineMismatch => "基期核对不一致",
            Source::EnterpriseFall => "重点企业产值下滑",
            Source::ClusterLag => "集群增速偏低",
            Source::FlaggedValue => "数据校验提示",
        }
    }

    /// Its name on English pages.
    fn label_en(self) -> &'static str {
        match self {
            Source::Downgrade => "status downgrade",
            Source::ProjectedMiss => "projected miss",
            Source::MissedYear => "target year missed",
            Source::Overdue => "data overdue",
            Source::Stale => "data stale",
            Source::BaselineMismatch => "baseline mismatch",
            Source::EnterpriseFall => "key enterprise falling",
            Source::ClusterLag => "cluster lagging the city",
            Source::FlaggedValue => "value flagged by a data check",
        }
    }
}

/// How urgent a warning is: 红 > 橙 > 黄.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// 黄色: watch.
    Yellow,
    /// 橙色: act.
    Orange,
    /// 红色: act now.
    Red,
}

impl Level {
    /// Most urgent first.
    pub const ALL: [Level; 3] = [Level::Red, Level::Orange, Level::Yellow];

    /// The code stored and sent over the API.
    pub fn code(self) -> &'static str {
        match self {
            Level::Red => "red",
            Level::Orange => "orange",
            Level::Yellow => "yellow",
        }
    }

    /// The level of a code; `None` for an unknown one.
    pub fn from_code(code: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.code() == code || l.label_zh() == code)
    }

    /// One step more urgent, red staying red.
    pub fn raised(self) -> Level {
        match self {
            Level::Yellow => Level::Orange,
            _ => Level::Red,
        }
    }
}

impl crate::i18n::Labelled for Level {
    /// Its name on Chinese pages.
    fn label_zh(self) -> &'static str {
        match self {
            Level::Red => "红色",
            Level::Orange => "橙色",
            Level::Yellow => "黄色",
        }
    }

    /// Its name on English pages: its code.
    fn label_en(self) -> &'static str {
        self.code()
    }
}

/// One source's rule: whether it is on, its level, and its threshold where it has one.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = WarningRule))]
pub struct Rule {
    /// The source it applies to.
    pub source: Source,
    /// Whether it raises warnings.
    pub enabled: bool,
    /// The level it raises.
    pub level: Level,
    /// `enterprise_fall`: the year-on-year fall that warns (0.1 = 10%); `cluster_lag`: the
    /// percentage points below the city's growth; `overdue`: days past the due date.
    #[serde(default)]
    pub threshold: Option<f64>,
    /// `enterprise_fall`: besides the honoured enterprises, the largest N of every cluster.
    #[serde(default)]
    pub top: Option<u32>,
}

/// The rules of every source, in [`Source::ALL`] order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = WarningRules))]
pub struct Rules {
    /// The rules, one per source.
    pub rules: Vec<Rule>,
}

/// The honours that make an enterprise a key one for `enterprise_fall`.
pub const KEY_HONOURS: [&str; 2] = ["制造业单项冠军", "中国制造业500强"];

impl Default for Rules {
    /// 倒退 and 未完成 raise the projected-miss level by one; the thresholds follow common
    /// practice of municipal economic monitoring: a key enterprise falling more than 10%, a
    /// cluster 5 points below the city.
    fn default() -> Rules {
        let rule = |source, level, threshold, top| Rule { source, enabled: true, level, threshold, top };
        Rules {
            rules: vec![
                rule(Source::Downgrade, Level::Yellow, None, None),
                rule(Source::ProjectedMiss, Level::Orange, None, None),
                rule(Source::MissedYear, Level::Red, None, None),
                rule(Source::Overdue, Level::Yellow, Some(0.0), None),
                rule(Source::Stale, Level::Yellow, None, None),
                rule(Source::BaselineMismatch, Level::Yellow, None, None),
                rule(Source::EnterpriseFall, Level::Orange, Some(0.10), Some(5)),
                rule(Source::ClusterLag, Level::Orange, Some(5.0), None),
                rule(Source::FlaggedValue, Level::Yellow, None, None),
            ],
        }
    }
}

impl Rules {
    /// The rule of a source (the default one if the stored rules predate the source).
    pub fn get(&self, source: Source) -> Rule {
        self.rules.iter().find(|r| r.source == source).copied().unwrap_or_else(|| {
            Rules::default().rules.into_iter().find(|r| r.source == source).unwrap_or(Rule {
                source,
                enabled: false,
                level: Level::Yellow,
                threshold: None,
                top: None,
            })
        })
    }

    /// Replaces the rule of its source.
    pub fn set(&mut self, rule: Rule) {
        match self.rules.iter_mut().find(|r| r.source == rule.source) {
            Some(existing) => *existing = rule,
            None => self.rules.push(rule),
        }
        self.rules.sort_by_key(|r| Source::ALL.iter().position(|s| *s == r.source));
    }

    /// Every problem of the rules, naming the source and field.
    pub fn check(&self) -> Result<(), String> {
        for (i, rule) in self.rules.iter().enumerate() {
            if self.rules[..i].iter().any(|r| r.source == rule.source) {
                return Err(format!("{}: the rule is given twice", rule.source.code()));
            }
            let needs = match rule.source {
                Source::EnterpriseFall => Some((0.0, 1.0, "a share between 0 and 1 (0.1 = 10%)")),
                Source::ClusterLag => Some((0.0, 100.0, "percentage points between 0 and 100")),
                Source::Overdue => Some((0.0, 366.0, "days between 0 and 366")),
                _ => None,
            };
            match (needs, rule.threshold) {
                (Some((low, high, what)), Some(t)) if !(low..=high).contains(&t) || !t.is_finite() => {
                    return Err(format!("{}: threshold {t} must be {what}", rule.source.code()));
                }
                (Some((_, _, what)), None) => {
                    return Err(format!("{}: threshold missing ({what})", rule.source.code()));
                }
                (None, Some(_)) => return Err(format!("{}: this rule takes no threshold", rule.source.code())),
                _ => {}
            }
            if rule.top.is_some() && rule.source != Source::EnterpriseFall {
                return Err(format!("{}: only enterprise_fall takes top", rule.source.code()));
            }
            if rule.top.is_some_and(|n| n > 1000) {
                return Err(format!("{}: top must be at most 1000", rule.source.code()));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
