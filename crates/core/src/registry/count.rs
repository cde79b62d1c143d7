//! Targets counted from the lists: "累计培育国家级制造业单项冠军企业160家" is the number of national
//! 单项冠军 honours held at a period's end, not a number anyone types in.
//!
//! A rule names the list and the entries that count; the target's kind says how: a stock
//! (`level`, `cumulative`: held at the end of the period), additions since the baseline
//! (`increment`), or additions within the year (`annual`).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::{ListKind, ProjectStage, Registry, honour_levels};
use crate::calendar::Date;
use crate::eval::Point;
use crate::org::OrgUnits;
use crate::period::Period;
use crate::plan::{Kind, Plan};
use crate::units;

/// How a target is counted from a list, as the plan file writes it (`count = { … }`): every
/// field any list takes. `problems` names what does not fit the list; `rule` reads it as the
/// `CountRule` of that list.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CountSpec {
    /// The list counted (`enterprises`, `projects`, `parks`, `platforms`).
    pub list: String,
    /// Enterprises: the honour that counts.
    #[serde(default)]
    pub honour: Option<String>,
    /// The levels that count (honours, platforms, parks); empty: all.
    #[serde(default)]
    pub level: Vec<String>,
    /// Platforms and parks: the kind that counts.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// Projects: 先进制造业 or 服务业.
    #[serde(default)]
    pub category: Option<String>,
    /// Projects: the least total investment, 亿元.
    #[serde(default)]
    pub min_investment: Option<f64>,
    /// Projects: the stage whose date counts (signed, landed, started, completed).
    #[serde(default)]
    pub stage: Option<String>,
    /// Parks: add up renovated area (`renovated_mu`) instead of counting entries.
    #[serde(default)]
    pub sum: Option<String>,
}

/// How a target is counted: one variant per list, holding only what applies to that list.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "list", rename_all = "lowercase")]
pub enum CountRule {
    /// Enterprises holding an honour.
    Enterprises {
        /// The honour that counts.
        honour: String,
        /// The honour's levels that count; empty: all.
        levels: Vec<String>,
    },
    /// Major projects that have reached a stage.
    Projects {
        /// 先进制造业 or 服务业; `None`: both.
        category: Option<String>,
        /// The least total investment, 亿元.
        min_investment: Option<f64>,
        /// The stage whose date counts.
        stage: ProjectStage,
    },
    /// Parks, established or renovated.
    Parks {
        /// The levels that count; empty: all.
        levels: Vec<String>,
        /// The kind that counts; `None`: all.
        kind: Option<String>,
        /// Add up the renovated area (亩) instead of counting parks established.
        renovated_area: bool,
    },
    /// Innovation platforms recognised.
    Platforms {
        /// The levels that count; empty: all.
        levels: Vec<String>,
        /// The kind that counts; `None`: all.
        kind: Option<String>,
    },
}

impl CountRule {
    /// The list counted.
    pub fn list(&self) -> ListKind {
        match self {
            CountRule::Enterprises { .. } => ListKind::Enterprises,
            CountRule::Projects { .. } => ListKind::Projects,
            CountRule::Parks { .. } => ListKind::Parks,
            CountRule::Platforms { .. } => ListKind::Platforms,
        }
    }

    /// The levels that count (empty: all; projects have none).
    pub fn levels(&self) -> &[String] {
        match self {
            CountRule::Enterprises { levels, .. }
            | CountRule::Parks { levels, .. }
            | CountRule::Platforms { levels, .. } => levels,
            CountRule::Projects { .. } => &[],
        }
    }

    /// Whether the value is an area added up (亩) rather than a number of entries.
    pub fn sums_area(&self) -> bool {
        matches!(self, CountRule::Parks { renovated_area: true, .. })
    }
}

impl CountSpec {
    /// The rule of the list named, with what applies to it: for a spec in which `problems`
    /// finds nothing (`None` where the list, an enterprise's honour or a project's stage is
    /// unknown or missing).
    pub fn rule(&self) -> Option<CountRule> {
        Some(match ListKind::from_code(&self.list)? {
            ListKind::Enterprises => {
                CountRule::Enterprises { honour: self.honour.clone()?, levels: self.level.clone() }
            }
            ListKind::Projects => CountRule::Projects {
                category: self.category.clone(),
                min_investment: self.min_investment,
                stage: ProjectStage::from_code(self.stage.as_deref()?)?,
            },
            ListKind::Parks => CountRule::Parks {
                levels: self.level.clone(),
                kind: self.kind.clone(),
                renovated_area: self.sum.is_some(),
            },
            ListKind::Platforms => CountRule::Platforms { levels: self.level.clone(), kind: self.kind.clone() },
        })
    }

    /// Every problem with the rule, for the plan check.
    pub fn problems(&self, target_kind: Kind, target_unit: &str) -> Vec<String> {
        let mut problems = Vec::new();
        let Some(list) = ListKind::from_code(&self.list) else {
            return vec![format!("unknown list \"{}\" ({})", self.list, ListKind::CHOICES)];
        };
        let only = |present: bool, field: &str, lists: &str, problems: &mut Vec<String>| {
            if present {
                problems.push(format!("`{field}` applies to {lists} only"));
            }
        };
        only(self.honour.is_some() && list != ListKind::Enterprises, "honour", "enterprises", &mut problems);
        only(
            self.kind.is_some() && !matches!(list, ListKind::Parks | ListKind::Platforms),
            "type",
            "parks and platforms",
            &mut problems,
        );
        only(
            (self.category.is_some() || self.min_investment.is_some() || self.stage.is_some())
                && list != ListKind::Projects,
            "category/min_investment/stage",
            "projects",
            &mut problems,
        );
        only(self.sum.is_some() && list != ListKind::Parks, "sum", "parks", &mut problems);
        match (list, &self.honour) {
            (ListKind::Enterprises, None) => problems.push("an enterprise count names its `honour`".into()),
            (ListKind::Enterprises, Some(honour)) => match honour_levels(honour) {
                None => problems.push(format!("unknown honour \"{honour}\"")),
                Some(levels) => {
                    for level in self.level.iter().filter(|l| !levels.contains(&l.as_str())) {
                        problems.push(format!("{honour} has no level \"{level}\""));
                    }
                }
            },
            _ => {}
        }
        if let Some(stage) = &self.stage
            && ProjectStage::from_code(stage).is_none()
        {
            problems.push(format!("unknown stage \"{stage}\" ({})", ProjectStage::CHOICES));
        }
        if list == ListKind::Projects && self.stage.is_none() {
            problems.push("a project count names the `stage` whose date counts".into());
        }
        match self.sum.as_deref() {
            Some("renovated_mu") if units::convert(1.0, "亩", target_unit).is_none() => {
                problems.push(format!("renovated area is in 亩; the target's unit {target_unit} is not an area"))
            }
            Some("renovated_mu") | None => {}
            Some(other) => problems.push(format!("unknown sum \"{other}\" (renovated_mu)")),
        }
        if !matches!(target_kind, Kind::Level | Kind::Cumulative | Kind::Increment | Kind::Annual) {
            problems.push(format!("a {} target cannot be counted from a list", target_kind.code()));
        }
        problems
    }
}

/// A dated entry that counts: from `start` (until `end`, if it ends), in a district, with a
/// weight (1 for a count, an area for a sum).
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The entry's key (credit code, project code …).
    pub key: String,
    /// Its name.
    pub name: String,
    /// The district it is in.
    pub district: String,
    /// The day it starts to count.
    pub start: Date,
    /// The day it stops counting, if it does.
    pub end: Option<Date>,
    /// What it adds: 1 for a count, an area for a sum.
    pub weight: f64,
}

/// The entries of the registry a rule counts, with the factor converting their weights into
/// the target's unit.
pub fn entries(rule: &CountRule, registry: &Registry) -> Vec<Entry> {
    let levels = rule.levels();
    let levels_match = |level: &str| levels.is_empty() || levels.iter().any(|l| l == level);
    let kind_match = |wanted: &Option<String>, kind: &str| wanted.as_deref().is_none_or(|k| k == kind);
    match rule {
        CountRule::Enterprises { honour, .. } => registry
            .enterprises
            .iter()
            .flat_map(|e| {
                e.honours.iter().filter(|h| h.kind == *honour && levels_match(&h.level)).map(move |h| Entry {
                    key: e.credit_code.clone(),
                    name: e.name.clone(),
                    district: e.district.clone(),
                    start: h.granted,
                    end: h.revoked,
                    weight: 1.0,
                })
            })
            .collect(),
        CountRule::Platforms { kind, .. } => registry
            .platforms
            .iter()
            .filter(|p| levels_match(&p.level) && kind_match(kind, &p.kind))
            .map(|p| Entry {
                key: p.code.clone(),
                name: p.name.clone(),
                district: p.district.clone(),
                start: p.recognized,
                end: p.revoked,
                weight: 1.0,
            })
            .collect(),
        CountRule::Projects { category, min_investment, stage } => registry
            .projects
            .iter()
            .filter(|p| category.as_deref().is_none_or(|c| c == p.category))
            .filter(|p| min_investment.is_none_or(|min| p.investment >= min))
            .filter_map(|p| {
                let start = p.stage(*stage)?;
                Some(Entry {
                    key: p.code.clone(),
                    name: p.name.clone(),
                    district: p.district.clone(),
                    start,
                    end: None,
                    weight: 1.0,
                })
            })
            .collect(),
        CountRule::Parks { kind, renovated_area, .. } => registry
            .parks
            .iter()
            .filter(|p| levels_match(&p.level) && kind_match(kind, &p.kind))
            .flat_map(|p| -> Vec<Entry> {
                match renovated_area {
                    true => p
                        .renovations
                        .iter()
                        .map(|r| Entry {
                            key: p.code.clone(),
                            name: p.name.clone(),
                            district: p.district.clone(),
                            start: r.date,
                            end: None,
                            weight: r.mu,
                        })
                        .collect(),
                    false => p
                        .established
                        .map(|start| Entry {
                            key: p.code.clone(),
                            name: p.name.clone(),
                            district: p.district.clone(),
                            start,
                            end: None,
                            weight: 1.0,
                        })
                        .into_iter()
                        .collect(),
                }
            })
            .collect(),
    }
}

/// The window of dates that count at `day` for a target of `kind`.
fn counts_on(entry: &Entry, kind: Kind, day: Date, baseline_end: Date) -> bool {
    match kind {
        Kind::Increment => entry.start > baseline_end && entry.start <= day,
        Kind::Annual => entry.start.year() == day.year() && entry.start <= day,
        _ => entry.start <= day && entry.end.is_none_or(|end| end > day),
    }
}

/// The entries that make up the value at `day` (for drill-down), optionally in one district.
pub fn counted<'a>(
    entries: &'a [Entry],
    kind: Kind,
    day: Date,
    baseline_end: Date,
    district: Option<&str>,
) -> Vec<&'a Entry> {
    entries
        .iter()
        .filter(|e| district.is_none_or(|d| e.district == d) && counts_on(e, kind, day, baseline_end))
        .collect()
}

/// The value of a counted target at `day`: the number of entries (or the sum of their
/// weights, in the target's unit), optionally in one district.
pub fn value(
    rule: &CountRule,
    entries: &[Entry],
    kind: Kind,
    unit: &str,
    day: Date,
    baseline_end: Date,
    district: Option<&str>,
) -> f64 {
    let total: f64 = counted(entries, kind, day, baseline_end, district).iter().map(|e| e.weight).sum();
    if rule.sums_area() { units::convert(total, "亩", unit).unwrap_or(total) } else { total }
}

/// The derived values of every counted target, month by month from the end of the baseline
/// year through `to`, for the city and every district: (target, org unit, point) with
/// positions in the plan and the org units.
pub fn derive(plan: &Plan, org_units: &OrgUnits, registry: &Registry, to: Period) -> Vec<(usize, usize, Point)> {
    let city = org_units.position(&org_units.city().name).unwrap_or_default();
    let districts: Vec<(usize, &str)> = org_units
        .all()
        .iter()
        .enumerate()
        .filter(|(_, u)| u.kind == crate::org::OrgKind::District)
        .map(|(i, u)| (i, u.name.as_str()))
        .collect();
    let baseline_end = Date::year_end(plan.meta.baseline_year);
    let mut points = Vec::new();
    for (t, target) in plan.targets.iter().enumerate() {
        let Some(rule) = &target.count else { continue };
        let all = entries(rule, registry);
        let by_district: HashMap<&str, Vec<Entry>> = districts
            .iter()
            .map(|(_, name)| (*name, all.iter().filter(|e| e.district == *name).cloned().collect()))
            .collect();
        // From the baseline the plan states (or its baseline year), each period of the
        // target's frequency that has ended by `to`.
        let first_year =
            target.baseline.as_ref().map_or(plan.meta.baseline_year, |b| b.year).min(plan.meta.baseline_year);
        let first = target.frequency.closing(first_year);
        let last = target.frequency.last_ended_by(to);
        let periods = Period::months_between(first, last)
            .map(|month| target.frequency.period_containing(month))
            .filter(|p| p.end_month_index() <= last.end_month_index());
        let mut previous: Option<Period> = None;
        for period in periods {
            if previous == Some(period) {
                continue;
            }
            previous = Some(period);
            let day = Date::last_of(period);
            let city_value = value(rule, &all, target.kind, &target.unit, day, baseline_end, None);
            points.push((t, city, Point { period, value: city_value }));
            for (unit, name) in &districts {
                let own = by_district.get(name).map_or(&[][..], Vec::as_slice);
                let v = value(rule, own, target.kind, &target.unit, day, baseline_end, None);
                points.push((t, *unit, Point { period, value: v }));
            }
        }
    }
    points
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::{Enterprise, Honour, MajorProject, Park, Renovation};

    fn date(text: &str) -> Date {
        text.parse().expect("date")
    }

    fn champion(code: &str, district: &str, granted: &str, revoked: Option<&str>, level: &str) -> Enterprise {
        Enterprise {
            credit_code: code.into(),
            name: format!("企业{code}"),
            district: district.into(),
            industry: "3612".into(),
            above_scale: vec![],
            cluster_override: None,
            honours: vec![Honour {
                kind: "制造业单项冠军".into(),
                level: level.into(),
                granted: date(granted),
                revoked: revoked.map(date),
                note: String::new(),
            }],
        }
    }

    fn spec(text: &str) -> CountSpec {
        toml::from_str(text).expect("rule")
    }

    fn rule(text: &str) -> CountRule {
        spec(text).rule().expect("a valid rule")
    }

    #[test]
    fn a_stock_counts_honours_held_at_the_day() {
        let registry = Registry {
            enterprises: vec![
                champion("A", "北仑区", "2023-11-01", None, "国家级"),
                champion("B", "北仑区", "2025-03-01", Some("2026-02-01"), "国家级"),
                champion("C", "鄞州区", "2025-06-01", None, "省级"),
            ],
            ..Registry::default()
        };
        let r = rule(
            r#"list = "enterprises"
honour = "制造业单项冠军"
level = ["国家级"]"#,
        );
        let found = entries(&r, &registry);
        let at = |day: &str| value(&r, &found, Kind::Cumulative, "家", date(day), date("2024-12-31"), None);
        assert_eq!(at("2024-12-31"), 1.0);
        assert_eq!(at("2025-12-31"), 2.0);
        assert_eq!(at("2026-03-31"), 1.0, "B lost its honour in February");
        assert_eq!(
            value(&r, &found, Kind::Cumulative, "家", date("2025-12-31"), date("2024-12-31"), Some("鄞州区")),
            0.0
        );
        assert_eq!(
            value(&r, &found, Kind::Increment, "家", date("2025-12-31"), date("2024-12-31"), None),
            1.0,
            "granted after the baseline"
        );
    }

    #[test]
    fn annual_counts_restart_every_year_and_sums_convert_units() {
        let project = |code: &str, landed: &str, investment: f64| MajorProject {
            code: code.into(),
            name: code.into(),
            owner: String::new(),
            cluster: String::new(),
            district: "北仑区".into(),
            category: "先进制造业".into(),
            origin: "国内".into(),
            investment,
            signed: None,
            landed: Some(date(landed)),
            started: None,
            completed: None,
            invested: vec![],
        };
        let registry = Registry {
            projects: vec![
                project("P1", "2025-05-01", 12.0),
                project("P2", "2026-02-01", 15.0),
                project("P3", "2026-03-01", 5.0),
            ],
            parks: vec![Park {
                code: "K1".into(),
                name: "区块".into(),
                kind: "工业区块".into(),
                level: String::new(),
                district: "北仑区".into(),
                area_mu: 0.0,
                leading_cluster: String::new(),
                established: None,
                renovations: vec![
                    Renovation { date: date("2025-04-01"), mu: 3000.0 },
                    Renovation { date: date("2026-04-01"), mu: 2000.0 },
                ],
            }],
            ..Registry::default()
        };
        let r = rule(
            r#"list = "projects"
category = "先进制造业"
min_investment = 10
stage = "landed""#,
        );
        let found = entries(&r, &registry);
        let baseline = date("2024-12-31");
        assert_eq!(value(&r, &found, Kind::Annual, "个", date("2025-12-31"), baseline, None), 1.0);
        assert_eq!(
            value(&r, &found, Kind::Annual, "个", date("2026-01-31"), baseline, None),
            0.0,
            "a new year starts at zero"
        );
        assert_eq!(
            value(&r, &found, Kind::Annual, "个", date("2026-12-31"), baseline, None),
            1.0,
            "P3 is under 10亿元"
        );
        let area = rule(
            r#"list = "parks"
sum = "renovated_mu""#,
        );
        let blocks = entries(&area, &registry);
        let total = value(&area, &blocks, Kind::Increment, "万亩", date("2026-12-31"), baseline, None);
        assert!((total - 0.5).abs() < 1e-12, "5000 亩 = 0.5 万亩, got {total}");
    }

    #[test]
    fn rules_are_checked() {
        let bad = spec(
            r#"list = "enterprises"
honour = "单项冠军"
level = ["国家级"]"#,
        );
        assert!(bad.problems(Kind::Cumulative, "家")[0].contains("unknown honour"));
        let wrong_level = spec(
            r#"list = "enterprises"
honour = "制造业单项冠军"
level = ["市级"]"#,
        );
        assert!(wrong_level.problems(Kind::Cumulative, "家")[0].contains("no level \"市级\""));
        let misplaced = spec(
            r#"list = "platforms"
honour = "制造业单项冠军""#,
        );
        assert!(misplaced.problems(Kind::Cumulative, "个")[0].contains("enterprises only"));
        let area = spec(
            r#"list = "parks"
sum = "renovated_mu""#,
        );
        assert!(area.problems(Kind::Increment, "家")[0].contains("not an area"));
        assert!(spec(r#"list = "lists""#).problems(Kind::Level, "个")[0].contains("unknown list"));
    }
}
