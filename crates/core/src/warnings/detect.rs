//! From one period's facts to findings: one per cause, each with its owner and its reason as
//! one Chinese sentence with the numbers.

use std::collections::HashMap;

use serde::Serialize;

use super::{KEY_HONOURS, Level, Rules, Source};
use crate::Period;
use crate::calendar::Date;
use crate::eval::{Note, Row, Status};
use crate::i18n::{self, Lang};
use crate::plan::Plan;
use crate::registry::Registry;
use crate::stats::{Cube, Dataset, Measure};

/// A unit with values past their due date: what it owes for one period.
#[derive(Clone, Debug, PartialEq)]
pub struct LateUnit {
    /// The org unit late.
    pub unit: String,
    /// The period it owes.
    pub period: Period,
    /// The target ids owed, in plan order.
    pub targets: Vec<String>,
    /// Days past the due date.
    pub days: i64,
}

/// A key enterprise's 1–N月 output and its growth.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyEnterprise {
    /// Its credit code.
    pub credit_code: String,
    /// Its name.
    pub name: String,
    /// The district it is in.
    pub district: String,
    /// Why it is a key one: its honours, or its rank in a cluster.
    pub why: String,
    /// 1–N月 output, 万元.
    pub ytd: f64,
    /// Its growth against the same months of last year.
    pub yoy: f64,
}

/// A cluster's 1–N月 output growth.
#[derive(Clone, Debug, PartialEq)]
pub struct ClusterGrowth {
    /// The cluster's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The unit leading it.
    pub lead: String,
    /// Its growth against the same months of last year.
    pub yoy: f64,
}

/// What one period's scan looks at.
pub struct Facts<'a> {
    /// The month scanned.
    pub period: Period,
    /// The plan.
    pub plan: &'a Plan,
    /// The city's org unit name.
    pub city: &'a str,
    /// Every evaluated (target, org unit) at `period`.
    pub rows: &'a [Row<'a>],
    /// The same at the period before, for downgrades.
    pub previous: &'a [Row<'a>],
    /// The units late with their reports.
    pub late: &'a [LateUnit],
    /// The key enterprises and their growth.
    pub enterprises: &'a [KeyEnterprise],
    /// The clusters and their growth.
    pub clusters: &'a [ClusterGrowth],
    /// The 1–N月 output growth of all above-scale industry in the city.
    pub city_growth: Option<f64>,
}

/// One cause of a warning, as found now.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    /// Stable across periods for the same cause: `projected_miss:3.3.1:宁波市`.
    pub key: String,
    /// What raised it.
    pub source: Source,
    /// How serious it is.
    pub level: Level,
    /// The target, if it is about one.
    pub target_id: Option<String>,
    /// The org unit it is about.
    pub org_unit: String,
    /// The org unit that must act.
    pub owner_unit: String,
    /// Why, in one sentence.
    pub reason: String,
}

/// Every finding of the enabled rules, in a stable order.
pub fn detect(facts: &Facts, rules: &Rules) -> Vec<Finding> {
    let mut found = Vec::new();
    let previous: HashMap<(&str, &str), Status> =
        facts.previous.iter().map(|r| ((r.target.id.as_str(), r.org_unit), r.evaluation.status)).collect();
    for row in facts.rows {
        evaluation_findings(
            facts,
            rules,
            row,
            previous.get(&(row.target.id.as_str(), row.org_unit)).copied(),
            &mut found,
        );
    }
    let overdue = rules.get(Source::Overdue);
    for late in facts.late.iter().filter(|l| overdue.enabled && l.days as f64 > overdue.threshold.unwrap_or(0.0)) {
        let shown: Vec<&str> = late.targets.iter().take(5).map(String::as_str).collect();
        let more = if late.targets.len() > shown.len() { "等" } else { "" };
        found.push(Finding {
            key: format!("overdue:{}:{}", late.unit, late.period),
            source: Source::Overdue,
            level: overdue.level,
            target_id: None,
            org_unit: late.unit.clone(),
            owner_unit: late.unit.clone(),
            reason: format!(
                "{}{}应报的{}项数据({}{more})已逾期{}天未报送。",
                late.unit,
                i18n::period_label(late.period, Lang::Zh),
                late.targets.len(),
                shown.join("、"),
                late.days
            ),
        });
    }
    let fall = rules.get(Source::EnterpriseFall);
    let limit = fall.threshold.unwrap_or(0.1);
    let months = facts.period.months_elapsed();
    for e in facts.enterprises.iter().filter(|e| fall.enabled && e.yoy < -limit) {
        found.push(Finding {
            key: format!("enterprise_fall:{}", e.credit_code),
            source: Source::EnterpriseFall,
            level: fall.level,
            target_id: None,
            org_unit: e.district.clone(),
            owner_unit: e.district.clone(),
            reason: format!(
                "{}({},{})1—{months}月工业总产值{},同比下降{},降幅超过{}。",
                e.name,
                e.district,
                e.why,
                i18n::quantity(e.ytd / 10_000.0, "亿元"),
                i18n::percent(-e.yoy),
                i18n::percent(limit)
            ),
        });
    }
    let lag = rules.get(Source::ClusterLag);
    if let (true, Some(city)) = (lag.enabled, facts.city_growth) {
        let points = lag.threshold.unwrap_or(5.0);
        for c in facts.clusters.iter().filter(|c| (city - c.yoy) * 100.0 > points) {
            found.push(Finding {
                key: format!("cluster_lag:{}", c.id),
                source: Source::ClusterLag,
                level: lag.level,
                target_id: None,
                org_unit: facts.city.to_string(),
                owner_unit: c.lead.clone(),
                reason: format!(
                    "{}集群1—{months}月规上工业产值同比{},低于全市规上工业({}){}个百分点,超过预警线{}个百分点。",
                    c.name,
                    growth(c.yoy),
                    growth(city),
                    i18n::points((city - c.yoy) * 100.0),
                    i18n::number(points, "%")
                ),
            });
        }
    }
    found
}

/// 增长3.2% or 下降1.5%.
fn growth(rate: f64) -> String {
    if rate < 0.0 { format!("下降{}", i18n::percent(-rate)) } else { format!("增长{}", i18n::percent(rate)) }
}

/// The findings of one evaluated (target, org unit).
fn evaluation_findings(facts: &Facts, rules: &Rules, row: &Row, before: Option<Status>, found: &mut Vec<Finding>) {
    let target = row.target;
    let e = &row.evaluation;
    let org = row.org_unit;
    let owner = if org == facts.city { target.lead.clone() } else { org.to_string() };
    let subject = format!("{org}·{}", target.indicator);
    let mut push = |source: Source, level: Level, key_tail: String, reason: String| {
        found.push(Finding {
            key: format!("{}:{}:{org}{key_tail}", source.code(), target.id),
            source,
            level,
            target_id: Some(target.id.clone()),
            org_unit: org.to_string(),
            owner_unit: owner.clone(),
            reason,
        });
    };
    let sentence = || i18n::explain(target, e, Lang::Zh);
    let status = e.status;
    let label = |s: Status| i18n::status_label(s, Lang::Zh);

    let rule = rules.get(Source::ProjectedMiss);
    if rule.enabled && matches!(status, Status::OffTrack | Status::MovingAway | Status::Missed) {
        let level = if status == Status::OffTrack { rule.level } else { rule.level.raised() };
        push(Source::ProjectedMiss, level, String::new(), format!("{subject}评价为{}:{}", label(status), sentence()));
    }
    let rule = rules.get(Source::Downgrade);
    if let Some(before) = before
        && rule.enabled
        && before.is_judged()
        && status.needs_attention()
        && status.severity() > before.severity()
    {
        let was = i18n::period_label(facts.period.previous(), Lang::Zh);
        push(
            Source::Downgrade,
            rule.level,
            String::new(),
            format!("{subject}由{was}的{}降为{}:{}", label(before), label(status), sentence()),
        );
    }
    let rule = rules.get(Source::MissedYear);
    for year in
        e.missed_years().filter(|r| rule.enabled && !(status == Status::Missed && e.target_year == Some(r.year)))
    {
        let goal = year.goal.map_or_else(String::new, |g| i18n::goal_phrase(target.comparator, g, &target.unit));
        let value = year
            .value
            .map_or_else(|| "无年末数据".to_string(), |v| format!("年末为{}", i18n::quantity(v, &target.unit)));
        push(
            Source::MissedYear,
            rule.level,
            format!(":{}", year.year),
            format!("{subject}{}年目标{goal}未完成,{value}。", year.year),
        );
    }
    let rule = rules.get(Source::Stale);
    if let (true, true, Some(period)) = (rule.enabled, e.stale, e.data_period) {
        let when = i18n::data_period_label(target, period, Lang::Zh);
        let due = i18n::period_label(facts.period, Lang::Zh);
        push(Source::Stale, rule.level, String::new(), format!("{subject}最新数据为{when},截至{due}已逾期未更新。"));
    }
    let rule = rules.get(Source::BaselineMismatch);
    if let (true, true, Some(baseline)) = (rule.enabled, e.has(Note::BaselineMismatch), e.baseline)
        && let Some(plan_value) = baseline.plan_value
    {
        push(
            Source::BaselineMismatch,
            rule.level,
            String::new(),
            format!(
                "{subject}基期核对不一致:{}计数{},规划基期值{}。",
                i18n::period_label(baseline.period, Lang::Zh),
                i18n::quantity(baseline.value, &target.unit),
                i18n::quantity(plan_value, &target.unit)
            ),
        );
    }
}

/// The key enterprises of a month: those holding a key honour (制造业单项冠军, 中国制造业500强)
/// on its last day, and the `top` largest of every cluster by 1–N月 output, with their output
/// and growth (同口径: only enterprises that reported the same months last year have one).
pub fn key_enterprises(dataset: &Dataset, registry: &Registry, period: Period, top: u32) -> Vec<KeyEnterprise> {
    let city = 0;
    let day = Date::last_of(period);
    let all = dataset.behind(period, 0, city, Measure::Output);
    let mut why: HashMap<&str, Vec<String>> = HashMap::new();
    for e in &registry.enterprises {
        for honour in e.honours.iter().filter(|h| KEY_HONOURS.contains(&h.kind.as_str()) && h.held_on(day)) {
            let name = format!("{}{}", honour.level, honour.kind);
            let reasons = why.entry(e.credit_code.as_str()).or_default();
            if !reasons.contains(&name) {
                reasons.push(name);
            }
        }
    }
    let mut ranked: HashMap<String, Vec<String>> = HashMap::new();
    for (c, (_, name)) in dataset.members.clusters.iter().enumerate() {
        let mut members = dataset.behind(period, c + 1, city, Measure::Output);
        members.sort_by(|a, b| b.ytd.total_cmp(&a.ytd).then_with(|| a.credit_code.cmp(&b.credit_code)));
        for (rank, m) in members.into_iter().take(top as usize).enumerate() {
            ranked.entry(m.credit_code).or_default().push(format!("{name}集群产值第{}位", rank + 1));
        }
    }
    all.into_iter()
        .filter_map(|f| {
            let mut reasons = why.get(f.credit_code.as_str()).cloned().unwrap_or_default();
            reasons.extend(ranked.get(&f.credit_code).into_iter().flatten().cloned());
            let yoy = f.yoy?;
            (!reasons.is_empty()).then(|| KeyEnterprise {
                credit_code: f.credit_code,
                name: f.name,
                district: f.district,
                why: reasons.join("、"),
                ytd: f.ytd,
                yoy,
            })
        })
        .collect()
}

/// Every cluster's 1–N月 output growth in the city, with its lead unit (the plan's, else the
/// plan office), and the growth of all above-scale industry.
pub fn cluster_growth(cube: &Cube, plan: &Plan) -> (Vec<ClusterGrowth>, Option<f64>) {
    let city = 0;
    let leads: HashMap<&str, &str> =
        plan.tiers.iter().flat_map(|t| &t.clusters).map(|c| (c.id.as_str(), c.lead.as_str())).collect();
    let clusters = cube
        .clusters
        .iter()
        .enumerate()
        .skip(1)
        .filter_map(|(i, (id, name))| {
            let yoy = cube.cell(i, city, Measure::Output).yoy?;
            let lead = leads.get(id.as_str()).copied().unwrap_or(plan.meta.office.as_str());
            Some(ClusterGrowth { id: id.clone(), name: name.clone(), lead: lead.to_string(), yoy })
        })
        .collect();
    (clusters, cube.cell(0, city, Measure::Output).yoy)
}
