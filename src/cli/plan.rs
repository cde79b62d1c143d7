//! `plan check`, `plan show` and `targets`.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use plan361_core::i18n::{self, Lang};
use plan361_core::plan::{self as plan_model, Plan, Target};
use serde::Serialize;

use super::table::{Align, Table, colour_stdout};

pub fn check(path: Option<&Path>) -> anyhow::Result<ExitCode> {
    let (name, text) = super::read_plan_text(path)?;
    match plan_model::parse(&name, &text) {
        Ok(plan) => {
            let values: usize = plan.targets().iter().map(|t| t.goal.stated().len()).sum();
            println!(
                "{name}: OK — {} 个工程, {} 项任务, {} 个目标 ({values} 个目标值)",
                plan.projects().iter().filter(|p| p.number > 0).count(),
                plan.tasks().iter().filter(|t| t.project > 0).count(),
                plan.targets().len()
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(errors) => {
            eprintln!("{errors}");
            eprintln!("{} problem(s) in {name}", errors.errors.len());
            Ok(ExitCode::FAILURE)
        }
    }
}

/// "2027年 2.7万亿元, 2030年 3.3万亿元", "每年 40个(至2030年)", "2030年前".
pub fn goal_text(target: &Target) -> String {
    let parts: Vec<String> = target
        .goal
        .stated()
        .into_iter()
        .map(|(year, value)| match (year, value, target.kind) {
            (until, Some(v), plan_model::Kind::Annual) => {
                let until = until.map_or_else(String::new, |y| format!("(至{y}年)"));
                format!("每年 {}{until}", i18n::goal_phrase(target.comparator, v, &target.unit))
            }
            (Some(y), Some(v), _) => format!("{y}年 {}", i18n::goal_phrase(target.comparator, v, &target.unit)),
            (None, Some(v), _) => i18n::goal_phrase(target.comparator, v, &target.unit),
            (Some(y), None, _) => format!("{y}年前{}", target.comparator.word()),
            (None, None, _) => target.comparator.word().to_string(),
        })
        .collect();
    parts.join(", ")
}

pub fn show(plan: &Plan) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    let meta = &plan.meta();
    writeln!(out, "{}", meta.title)?;
    writeln!(out, "{} · {} · 基期 {} 年 · 目标年 {:?}", meta.issuer, meta.issued, meta.baseline_year, meta.horizon)?;
    for (p, project) in plan.projects().iter().enumerate() {
        let last_project = p + 1 == plan.projects().len();
        let (branch, stem) = if last_project { ("└─", "   ") } else { ("├─", "│  ") };
        writeln!(out, "{branch} {} {}", project.number, project.name)?;
        let tasks: Vec<_> = plan.tasks_of(project.number).collect();
        for (i, task) in tasks.iter().enumerate() {
            let last_task = i + 1 == tasks.len();
            let (task_branch, task_stem) = if last_task { ("└─", "   ") } else { ("├─", "│  ") };
            writeln!(out, "{stem}{task_branch} {} {}", task.id, task.name)?;
            let targets: Vec<_> = plan.targets_of(&task.id).collect();
            for (j, target) in targets.iter().enumerate() {
                let leaf = if j + 1 == targets.len() { "└─" } else { "├─" };
                writeln!(
                    out,
                    "{stem}{task_stem}{leaf} {} {}:{} [{}] 牵头 {}",
                    target.id,
                    target.indicator,
                    goal_text(target),
                    i18n::kind_label(target.kind, Lang::Zh),
                    target.lead
                )?;
            }
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct TargetYear<'a> {
    id: &'a str,
    project: u32,
    task: &'a str,
    indicator: &'a str,
    unit: &'a str,
    kind: &'static str,
    direction: &'static str,
    comparator: &'static str,
    year: Option<i32>,
    value: Option<f64>,
    baseline: Option<BaselineJson>,
    lead_unit: &'a str,
    co_units: &'a [String],
    source_text: &'a str,
    /// Where the value is derived from: a list (enterprises, projects, parks, platforms) or `stats`
    /// (the cluster statistics); none for a reported value.
    counted_from: Option<&'a str>,
    /// How the value is reported (DESIGN §3A.1): month, quarter or year …
    frequency: &'static str,
    /// … and on what basis: stock, ytd or since_start (from `basis_start`).
    basis: &'static str,
    basis_start: Option<String>,
    /// The band within which a value has not moved, the share of a 左右 goal that still meets
    /// it, or the deviation a stable target allows (relative).
    tolerance: f64,
}

#[derive(Serialize)]
struct BaselineJson {
    value: f64,
    year: i32,
}

pub fn targets(plan: &Plan, json: bool) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    if json {
        let rows: Vec<TargetYear> = plan
            .targets()
            .iter()
            .flat_map(|t| {
                t.goal.stated().into_iter().map(move |(year, value)| TargetYear {
                    id: &t.id,
                    project: t.project,
                    task: &t.task,
                    indicator: &t.indicator,
                    unit: &t.unit,
                    kind: t.kind.code(),
                    direction: t.direction.code(),
                    comparator: t.comparator.word(),
                    year,
                    value,
                    baseline: t.baseline.as_ref().map(|b| BaselineJson { value: b.value, year: b.year }),
                    lead_unit: &t.lead,
                    co_units: &t.co,
                    source_text: &t.source_text,
                    counted_from: t.count.as_ref().map(|rule| rule.list().code()).or(t.stats.as_ref().map(|_| "stats")),
                    frequency: t.frequency.code(),
                    basis: t.basis.code(),
                    basis_start: t.basis.start().map(|p| p.to_string()),
                    tolerance: t.tolerance,
                })
            })
            .collect();
        serde_json::to_writer_pretty(&mut out, &rows)?;
        writeln!(out)?;
        return Ok(());
    }
    let mut table = Table::new(&[
        ("编号", Align::Left),
        ("指标", Align::Left),
        ("类型", Align::Left),
        ("目标", Align::Left),
        ("基期", Align::Left),
        ("牵头单位", Align::Left),
    ]);
    for t in plan.targets() {
        let baseline = t
            .baseline
            .as_ref()
            .map_or("—".to_string(), |b| format!("{}年 {}", b.year, i18n::quantity(b.value, &t.unit)));
        table.row(vec![
            (t.id.clone(), None),
            (t.indicator.clone(), None),
            (i18n::kind_label(t.kind, Lang::Zh).to_string(), None),
            (goal_text(t), None),
            (baseline, None),
            (t.lead.clone(), None),
        ]);
    }
    table.print(&mut out, colour_stdout())?;
    Ok(())
}
