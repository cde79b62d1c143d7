//! 数据校验: plausibility rules a reported value is checked against, whatever brings it in (the
//! form, an upload, the API, the command line), and on demand over everything stored.
//!
//! A rule is data: a [`Check`] (what is looked at), a [`Severity`] (an error refuses the value;
//! a warning accepts it only with a 情况说明 and flags it to the reviewer; off), and the bound
//! it uses. Built-in defaults apply by kind of target ([`Rules::defaults`]); the plan office
//! overrides them for every target or for one (`target = "2.3.2"`), in a rules file
//! ([`Rules::parse`]) stored in the database. Nothing here does I/O: the caller passes the
//! values already stored for the target.

use std::collections::HashMap;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::Period;
use crate::i18n;
use crate::observation::Field;
use crate::org::{OrgKind, OrgUnits};
use crate::plan::{Basis, Kind, Plan, Target};
use crate::units;

/// What a rule looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Check {
    /// A negative amount or count.
    Negative,
    /// A share or rate (unit %) outside 0–100.
    ShareRange,
    /// A share entered as a fraction (0.98 meaning 98%).
    RateAsFraction,
    /// A 1–N月 value falling within its year, or additions since the start falling.
    CumulativeFall,
    /// A stock that may not fall (累计培育 …) falling.
    StockFall,
    /// A change from the period before beyond `threshold` (0.5 = 50%); 1–N月 values compare
    /// their monthly average.
    PeriodJump,
    /// A change from the same period a year before beyond `threshold`.
    YearJump,
    /// The districts' values adding up to more than the city's.
    DistrictSum,
    /// The city's value more than `threshold` times above or below the plan's baseline.
    BaselineFar,
    /// A value outside `min`–`max` (a target's plausible range; no default).
    Range,
}

impl Check {
    /// Every check, in the order pages list them.
    pub const ALL: [Check; 10] = [
        Check::Negative,
        Check::ShareRange,
        Check::RateAsFraction,
        Check::CumulativeFall,
        Check::StockFall,
        Check::PeriodJump,
        Check::YearJump,
        Check::DistrictSum,
        Check::BaselineFar,
        Check::Range,
    ];

    /// The code in rules files, the database and the API.
    pub fn code(self) -> &'static str {
        match self {
            Check::Negative => "negative",
            Check::ShareRange => "share_range",
            Check::RateAsFraction => "rate_as_fraction",
            Check::CumulativeFall => "cumulative_fall",
            Check::StockFall => "stock_fall",
            Check::PeriodJump => "period_jump",
            Check::YearJump => "year_jump",
            Check::DistrictSum => "district_sum",
            Check::BaselineFar => "baseline_far",
            Check::Range => "range",
        }
    }

    /// The check of a code.
    pub fn from_code(code: &str) -> Option<Check> {
        Check::ALL.into_iter().find(|c| c.code() == code)
    }

    /// Its name on pages.
    pub fn label_zh(self) -> &'static str {
        match self {
            Check::Negative => "负值",
            Check::ShareRange => "比重超出0—100",
            Check::RateAsFraction => "百分数疑似填成小数",
            Check::CumulativeFall => "累计值回落",
            Check::StockFall => "存量减少",
            Check::PeriodJump => "环比变动过大",
            Check::YearJump => "同比变动过大",
            Check::DistrictSum => "区县合计超过全市",
            Check::BaselineFar => "与基期值相差过大",
            Check::Range => "超出合理范围",
        }
    }
}

/// What a rule does when it finds something.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The value is refused.
    Error,
    /// The value is accepted with a 情况说明 and flagged to the reviewer.
    Warning,
    /// The rule is not applied.
    Off,
}

impl Severity {
    /// The code in rules files, the database and the API.
    pub fn code(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Off => "off",
        }
    }

    /// The severity of a code.
    pub fn from_code(code: &str) -> Option<Severity> {
        [Severity::Error, Severity::Warning, Severity::Off].into_iter().find(|s| s.code() == code)
    }

    /// Its name on pages, with what it does.
    pub fn label_zh(self) -> &'static str {
        match self {
            Severity::Error => "错误(拒收)",
            Severity::Warning => "提示(需情况说明)",
            Severity::Off => "不校验",
        }
    }
}

/// One rule: for every target (`target` none) or one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = ValidationRule))]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// What the rule looks at.
    pub check: Check,
    /// The one target it is for; none: every target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// What it does when it finds something.
    pub severity: Severity,
    /// `period_jump`, `year_jump`: the relative change that is flagged (0.5 = 50%);
    /// `district_sum`: the share the districts may exceed the city by (rounding);
    /// `baseline_far`: the factor (10 = ten times).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f64>,
    /// `range`: the smallest plausible value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// `range`: the largest plausible value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
}

/// The rules the office set, over the built-in defaults.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = ValidationRules))]
pub struct Rules {
    /// In the order of the rules file (`[[rule]]`).
    #[serde(default, rename = "rule")]
    pub rules: Vec<Rule>,
}

impl Rules {
    /// The built-in rules: what cannot be (a negative count, a share above 100, a 1–N月 value
    /// falling) refuses; what is unusual (jumps, a stock falling, a share that looks like a
    /// fraction, districts above the city, far from the baseline) asks for an explanation.
    pub fn defaults() -> Vec<Rule> {
        let rule = |check, severity, threshold| Rule { check, target: None, severity, threshold, min: None, max: None };
        vec![
            rule(Check::Negative, Severity::Error, None),
            rule(Check::ShareRange, Severity::Error, None),
            rule(Check::RateAsFraction, Severity::Warning, None),
            rule(Check::CumulativeFall, Severity::Error, None),
            rule(Check::StockFall, Severity::Warning, None),
            rule(Check::PeriodJump, Severity::Warning, Some(0.5)),
            rule(Check::YearJump, Severity::Warning, Some(1.0)),
            rule(Check::DistrictSum, Severity::Warning, Some(0.001)),
            rule(Check::BaselineFar, Severity::Warning, Some(10.0)),
            rule(Check::Range, Severity::Error, None),
        ]
    }

    /// The rule that applies to `target`: its own, else the office's for every target, else
    /// the default.
    pub fn effective(&self, check: Check, target: &str) -> Rule {
        let own = self.rules.iter().find(|r| r.check == check && r.target.as_deref() == Some(target));
        let general = || self.rules.iter().find(|r| r.check == check && r.target.is_none());
        own.or_else(general).cloned().unwrap_or_else(|| {
            Rules::defaults().into_iter().find(|r| r.check == check).unwrap_or(Rule {
                check,
                target: None,
                severity: Severity::Off,
                threshold: None,
                min: None,
                max: None,
            })
        })
    }

    /// Reads a rules file (`[[rule]]` tables), checking every rule against the plan.
    pub fn parse(text: &str, plan: &Plan) -> Result<Rules, String> {
        let rules: Rules = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| text[..s.start.min(text.len())].lines().count().max(1));
            format!("{}{}", line.map_or_else(String::new, |l| format!("第{l}行: ")), e.message().trim())
        })?;
        rules.check(plan)?;
        Ok(rules)
    }

    /// The rules as a rules file, for editing.
    pub fn to_toml(&self) -> String {
        let mut out = String::new();
        for rule in &self.rules {
            let _ = writeln!(out, "[[rule]]\ncheck = \"{}\"", rule.check.code());
            if let Some(target) = &rule.target {
                let _ = writeln!(out, "target = \"{target}\"");
            }
            let _ = writeln!(out, "severity = \"{}\"", rule.severity.code());
            for (name, value) in [("threshold", rule.threshold), ("min", rule.min), ("max", rule.max)] {
                if let Some(v) = value {
                    let _ = writeln!(out, "{name} = {v:?}");
                }
            }
            out.push('\n');
        }
        out
    }

    /// Every problem of the rules, naming the rule by its place and check.
    pub fn check(&self, plan: &Plan) -> Result<(), String> {
        for (i, rule) in self.rules.iter().enumerate() {
            let name = format!(
                "第{}条规则 ({}{})",
                i + 1,
                rule.check.code(),
                rule.target.as_deref().map_or_else(String::new, |t| format!(", {t}"))
            );
            if self.rules[..i].iter().any(|r| r.check == rule.check && r.target == rule.target) {
                return Err(format!("{name}: 重复 (given twice)"));
            }
            if let Some(id) = &rule.target
                && plan.target(id).is_none()
            {
                return Err(format!("{name}: 计划中没有目标 {id} (unknown target)"));
            }
            let bounds = match rule.check {
                Check::PeriodJump | Check::YearJump => Some((0.0, 100.0, "相对变动,0.5 即 50%")),
                Check::DistrictSum => Some((0.0, 1.0, "允许超出的比例,0.001 即 0.1%")),
                Check::BaselineFar => Some((1.0, 1e6, "倍数,10 即十倍")),
                _ => None,
            };
            match (bounds, rule.threshold) {
                (Some((low, high, what)), Some(t)) if !t.is_finite() || !(low..=high).contains(&t) => {
                    return Err(format!("{name}: threshold {t} 应在 {low}—{high} 之间({what})"));
                }
                (None, Some(_)) => return Err(format!("{name}: 此规则没有 threshold (takes no threshold)")),
                _ => {}
            }
            if rule.check != Check::Range && (rule.min.is_some() || rule.max.is_some()) {
                return Err(format!("{name}: 只有 range 规则有 min/max"));
            }
            if rule.check == Check::Range {
                match (rule.target.is_some(), rule.min, rule.max) {
                    (false, _, _) => return Err(format!("{name}: range 规则须指定 target")),
                    (true, None, None) => return Err(format!("{name}: range 规则须给出 min 或 max")),
                    (true, Some(lo), Some(hi)) if lo > hi => return Err(format!("{name}: min 大于 max")),
                    _ => {}
                }
                if [rule.min, rule.max].into_iter().flatten().any(|v| !v.is_finite()) {
                    return Err(format!("{name}: min/max 须为有限数值"));
                }
            }
        }
        Ok(())
    }
}

/// A value of a target (one measure of it) at an org unit and period.
#[derive(Clone, Debug, PartialEq)]
pub struct Reported {
    /// The org unit's name.
    pub org_unit: String,
    /// The period, of the target's frequency.
    pub period: Period,
    /// The value, in the target's (or measure's) unit.
    pub value: f64,
}

/// What a rule found about a value.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Finding {
    /// The rule's check.
    pub check: Check,
    /// The rule's severity (never `off`).
    pub severity: Severity,
    /// The rule's words with the numbers, in Chinese.
    pub message: String,
}

/// The value's target, the measure reported and the org units, for [`check`].
pub struct Subject<'a> {
    /// The target the value is of.
    pub target: &'a Target,
    /// The measure reported, for a target with measures.
    pub measure: Option<&'a str>,
    /// The org units: which is the city, which are districts.
    pub org_units: &'a OrgUnits,
}

impl Subject<'_> {
    fn unit(&self) -> &str {
        self.measure
            .and_then(|m| self.target.measures.iter().find(|known| known.key == m))
            .map_or(self.target.unit.as_str(), |m| m.unit.as_str())
    }

    fn key(&self) -> String {
        self.measure.map_or_else(|| self.target.id.clone(), |m| format!("{}:{m}", self.target.id))
    }

    /// A share or rate that lies within 0–100 (not a growth rate).
    fn is_share(&self) -> bool {
        self.unit() == "%" && !["增长", "增速", "增幅"].iter().any(|w| self.target.indicator.contains(w))
    }

    /// A state or a rank: neither adds up nor moves like an amount.
    fn is_ordinal(&self) -> bool {
        matches!(self.unit(), units::STATE | units::RANK)
            || matches!(self.target.kind, Kind::Milestone | Kind::Direction)
    }
}

/// What a change from the period before is measured on, and its words: a stock's value (and a
/// 1–N月 rate's); a 1–N月 sum's monthly average (it grows through the year); additions since the
/// start: the month's additions against the average month's before (they grow through the plan).
fn pace(
    basis: Basis,
    additive: bool,
    period: Period,
    value: f64,
    previous: Period,
    before: f64,
) -> Option<(f64, f64, &'static str)> {
    match basis {
        Basis::Stock => Some((value, before, "环比")),
        Basis::Ytd if !additive => Some((value, before, "环比")),
        Basis::Ytd => Some((
            value / f64::from(period.months_elapsed()),
            before / f64::from(previous.months_elapsed()),
            "按月均环比",
        )),
        Basis::SinceStart(start) => {
            let months_before = previous.end_month_index() - start.end_month_index() + i64::from(start.span_months());
            let months_now = period.end_month_index() - previous.end_month_index();
            (months_before > 0 && months_now > 0).then(|| {
                ((value - before) / months_now as f64, before / months_before as f64, "本期月均新增较此前月均新增")
            })
        }
    }
}

/// The relative change from a positive `before` (from zero or below there is no ratio).
fn relative_change(value: f64, before: f64) -> Option<f64> {
    (before > 0.0).then(|| (value - before) / before)
}

/// Every finding of the rules about `entry`, given the other stored values of the same target
/// and measure (any org unit and period; one of the entry's own org unit and period is
/// replaced by the entry). Findings of rules that are off are left out.
pub fn check(rules: &Rules, subject: &Subject<'_>, stored: &[Reported], entry: &Reported) -> Vec<Finding> {
    let target = subject.target;
    let unit = subject.unit();
    let shown = |v: f64| i18n::quantity(v, unit);
    let others: Vec<&Reported> = stored
        .iter()
        .filter(|r| target.frequency.fits(r.period) && !(r.org_unit == entry.org_unit && r.period == entry.period))
        .collect();
    let own_unit =
        |period: Period| others.iter().find(|r| r.org_unit == entry.org_unit && r.period == period).map(|r| r.value);
    // The latest earlier value of the same org unit, within `same_year` or not.
    let latest_before = |same_year: bool| {
        others
            .iter()
            .filter(|r| r.org_unit == entry.org_unit && r.period < entry.period)
            .filter(|r| !same_year || r.period.year() == entry.period.year())
            .max_by_key(|r| r.period)
            .map(|r| (r.period, r.value))
    };
    let mut found = Vec::new();
    let mut flag = |check: Check, message: String| {
        let rule = rules.effective(check, &target.id);
        if rule.severity != Severity::Off {
            found.push(Finding { check, severity: rule.severity, message });
        }
    };
    let value = entry.value;
    let threshold = |check: Check, default: f64| rules.effective(check, &target.id).threshold.unwrap_or(default);

    if value < 0.0 && unit != "个百分点" && !subject.is_share() {
        flag(Check::Negative, format!("{} 为负值 {},此类指标不应为负", subject.key(), shown(value)));
    }
    if subject.is_share() && !(0.0..=100.0).contains(&value) {
        flag(Check::ShareRange, format!("{} 是比重或比率,应在 0—100% 之间,填报值为 {}", subject.key(), shown(value)));
    }
    if subject.is_share() && value > 0.0 && value < 1.0 {
        flag(
            Check::RateAsFraction,
            format!(
                "{} 以 % 为单位,填报值 {value} 疑似小数;若指 {}%,请填写 {}",
                subject.key(),
                value * 100.0,
                value * 100.0
            ),
        );
    }
    let range = rules.effective(Check::Range, &target.id);
    if range.target.is_some() {
        let below = range.min.is_some_and(|lo| value < lo);
        let above = range.max.is_some_and(|hi| value > hi);
        if below || above {
            let bound = |b: Option<f64>| b.map_or_else(|| "—".to_string(), shown);
            flag(
                Check::Range,
                format!(
                    "{} 填报值 {} 超出合理范围 {}—{}",
                    subject.key(),
                    shown(value),
                    bound(range.min),
                    bound(range.max)
                ),
            );
        }
    }
    if subject.is_ordinal() {
        return found;
    }
    let falls = |same_year: bool| latest_before(same_year).filter(|&(_, before)| value < before);
    // A 1–N月 rate (入园率 …) is a ratio of sums: it may fall; sums may not.
    let additive = !units::is_rate(unit);
    match target.basis {
        Basis::Ytd if !additive => {}
        Basis::Ytd => {
            if let Some((period, before)) = falls(true) {
                flag(
                    Check::CumulativeFall,
                    format!(
                        "{} 为1—N月累计值,{} 低于{}的 {},累计值在年内不应回落",
                        subject.key(),
                        shown(value),
                        i18n::period_label(period, i18n::Lang::Zh),
                        shown(before)
                    ),
                );
            }
        }
        Basis::SinceStart(_) => {
            if let Some((period, before)) = falls(false) {
                flag(
                    Check::CumulativeFall,
                    format!(
                        "{} 为累计新增值,{} 低于{}的 {},累计值不应回落",
                        subject.key(),
                        shown(value),
                        i18n::period_label(period, i18n::Lang::Zh),
                        shown(before)
                    ),
                );
            }
        }
        Basis::Stock => {
            if let (Kind::Cumulative, Some((period, before))) = (target.kind, falls(false)) {
                flag(
                    Check::StockFall,
                    format!(
                        "{} 为累计存量,{} 低于{}的 {},请说明减少原因",
                        subject.key(),
                        shown(value),
                        i18n::period_label(period, i18n::Lang::Zh),
                        shown(before)
                    ),
                );
            }
        }
    }
    if !matches!(entry.period, Period::Year(_)) {
        let previous = entry.period.previous();
        let limit = threshold(Check::PeriodJump, 0.5);
        if let Some(before) = own_unit(previous)
            && let Some((now, then, words)) = pace(target.basis, additive, entry.period, value, previous, before)
            && let Some(change) = relative_change(now, then)
            // A month without additions is no jump; more than usual is.
            && (change > limit || (change < -limit && !matches!(target.basis, Basis::SinceStart(_))))
        {
            flag(
                Check::PeriodJump,
                format!(
                    "{} 从{}的 {} 变为 {},{words}{}{},超过 {}",
                    subject.key(),
                    i18n::period_label(previous, i18n::Lang::Zh),
                    shown(before),
                    shown(value),
                    if change > 0.0 { "增长" } else { "下降" },
                    i18n::percent(change.abs()),
                    i18n::percent(limit)
                ),
            );
        }
    }
    let year_before = entry.period.previous_year();
    let limit = threshold(Check::YearJump, 1.0);
    // A running total since a start month grows by construction (from 2 to 19 within its second
    // year is no jump): its additions' pace is what the period check compares.
    if !matches!(target.basis, Basis::SinceStart(_))
        && let Some(before) = own_unit(year_before)
        && let Some(change) = relative_change(value, before)
        && change.abs() > limit
    {
        flag(
            Check::YearJump,
            format!(
                "{} 为 {},上年同期 {},同比{}{},超过 {}",
                subject.key(),
                shown(value),
                shown(before),
                if change > 0.0 { "增长" } else { "下降" },
                i18n::percent(change.abs()),
                i18n::percent(limit)
            ),
        );
    }
    if !units::is_rate(unit) {
        district_sum(subject, &others, entry, threshold(Check::DistrictSum, 0.001), &mut flag);
    }
    let city = &subject.org_units.city().name;
    if entry.org_unit == *city
        && let Some(baseline) = &target.baseline
        && baseline.value > 0.0
    {
        let expected = match target.basis {
            Basis::Stock => Some(baseline.value),
            Basis::Ytd => Some(baseline.value * f64::from(entry.period.months_elapsed()) / 12.0),
            Basis::SinceStart(_) => None,
        };
        let factor = threshold(Check::BaselineFar, 10.0);
        if let Some(expected) = expected
            && (value > expected * factor || value < expected / factor)
        {
            flag(
                Check::BaselineFar,
                format!(
                    "{} 为 {},与{}年基期值 {} 相差超过 {factor} 倍",
                    subject.key(),
                    shown(value),
                    baseline.year,
                    shown(baseline.value)
                ),
            );
        }
    }
    found
}

/// The districts' values adding up to more than the city's, when all of them are known.
fn district_sum(
    subject: &Subject<'_>,
    others: &[&Reported],
    entry: &Reported,
    tolerance: f64,
    flag: &mut impl FnMut(Check, String),
) {
    let org_units = subject.org_units;
    let city = &org_units.city().name;
    let is_district = |name: &str| org_units.get(name).is_some_and(|u| u.kind == OrgKind::District);
    if entry.org_unit != *city && !is_district(&entry.org_unit) {
        return;
    }
    let at_period = || others.iter().copied().filter(|r| r.period == entry.period).chain(std::iter::once(entry));
    let city_value = at_period().find(|r| r.org_unit == *city).map(|r| r.value);
    let districts: Vec<f64> = at_period().filter(|r| is_district(&r.org_unit)).map(|r| r.value).collect();
    if let Some(city_value) = city_value
        && !districts.is_empty()
    {
        let sum: f64 = districts.iter().sum();
        if sum > city_value + city_value.abs() * tolerance + 1e-9 {
            let unit = subject.unit();
            flag(
                Check::DistrictSum,
                format!(
                    "{} {} 已报的{}个区(县、市)合计 {},超过全市 {}",
                    subject.key(),
                    i18n::period_label(entry.period, i18n::Lang::Zh),
                    districts.len(),
                    i18n::quantity(sum, unit),
                    i18n::quantity(city_value, unit)
                ),
            );
        }
    }
}

/// Whether the findings let the value in: an error refuses it (on the value); a warning needs
/// a 情况说明 (on the comment). The message names every finding that decides.
pub fn refusal(findings: &[Finding], explanation: &str) -> Option<(Field, String)> {
    let words = |severity| {
        findings.iter().filter(|f| f.severity == severity).map(|f| f.message.as_str()).collect::<Vec<_>>().join(";")
    };
    if findings.iter().any(|f| f.severity == Severity::Error) {
        return Some((Field::Value, format!("数据校验未通过:{}", words(Severity::Error))));
    }
    if explanation.trim().is_empty() && findings.iter().any(|f| f.severity == Severity::Warning) {
        return Some((
            Field::Comment,
            format!("请在情况说明中解释:{}(数据校验提示,填写说明后可保存)", words(Severity::Warning)),
        ));
    }
    None
}

/// A stored value, for [`check_all`].
#[derive(Clone, Debug, PartialEq)]
pub struct StoredValue {
    /// A target id, or `id:measure`.
    pub key: String,
    /// Its org unit, period and value.
    pub reported: Reported,
}

/// The findings of the rules over stored values (`plan361 check-data`): for each value, what
/// the rules would say if it were entered now, beside all the others. Values of targets the
/// plan no longer has are skipped.
pub fn check_all(rules: &Rules, plan: &Plan, org_units: &OrgUnits, values: &[StoredValue]) -> Vec<(usize, Finding)> {
    let mut by_key: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, v) in values.iter().enumerate() {
        by_key.entry(v.key.as_str()).or_default().push(i);
    }
    let mut keys: Vec<&str> = by_key.keys().copied().collect();
    keys.sort_unstable();
    let mut found = Vec::new();
    for key in keys {
        let Ok(parsed) = key.parse::<crate::plan::TargetKey>();
        let Some(target) = plan.target(&parsed.id) else { continue };
        let subject = Subject { target, measure: parsed.measure.as_deref(), org_units };
        let indices = &by_key[key];
        let group: Vec<Reported> = indices.iter().map(|&i| values[i].reported.clone()).collect();
        for (&i, entry) in indices.iter().zip(&group) {
            found.extend(check(rules, &subject, &group, entry).into_iter().map(|f| (i, f)));
        }
    }
    found
}

#[cfg(test)]
mod tests;
