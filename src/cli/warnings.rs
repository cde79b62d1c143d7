//! `plan361 warnings`: the warnings (预警) as a table or JSON, the scan the server runs after
//! every write and each night, and the rules the office tunes.

use plan361_core::i18n::Labelled;
use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};
use plan361_core::Period;
use plan361_core::i18n::{self, Lang};
use plan361_core::warnings::{Level, Source, WarningState};
use plan361_store::{Store, WarningFilter};

use super::db::DbArgs;
use super::table::{Align, Colour, Table, colour_stdout};

#[derive(Args)]
pub struct WarningsArgs {
    #[command(subcommand)]
    command: Option<WarningsCommand>,
    /// Only warnings whose cause was found at this month (2026-10).
    #[arg(long, value_parser = super::eval::parse_period)]
    at: Option<Period>,
    /// Only this owner unit's.
    #[arg(long)]
    owner: Option<String>,
    /// red, orange or yellow.
    #[arg(long, value_parser = parse_level)]
    level: Option<Level>,
    /// new, acknowledged, in_progress or resolved.
    #[arg(long, value_parser = parse_state)]
    state: Option<WarningState>,
    /// downgrade, projected_miss, missed_year, overdue, stale, baseline_mismatch, enterprise_fall, cluster_lag.
    #[arg(long, value_parser = parse_source)]
    source: Option<Source>,
    /// Objects with id, source, level, target_id, org_unit, owner_unit, period, reason, state, history.
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand)]
enum WarningsCommand {
    /// Find the causes at a month and bring the warnings up to date: new causes raise
    /// warnings, causes gone resolve them, causes back reopen them. Running it twice changes
    /// nothing.
    Scan {
        /// The month (default: the last month that has ended).
        #[arg(long, value_parser = super::eval::parse_period)]
        at: Option<Period>,
    },
    /// The rules: each source's level, threshold and whether it is on.
    Rules {
        #[command(subcommand)]
        command: Option<RulesCommand>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum RulesCommand {
    /// Change one source's rule.
    Set {
        #[arg(value_parser = parse_source)]
        source: Source,
        #[arg(long, value_parser = parse_level)]
        level: Option<Level>,
        /// enterprise_fall: a share (0.1 = 10%); cluster_lag: percentage points; overdue: days.
        #[arg(long)]
        threshold: Option<f64>,
        /// enterprise_fall: the largest N of every cluster count as key enterprises.
        #[arg(long)]
        top: Option<u32>,
        /// on or off.
        #[arg(long, value_parser = parse_switch)]
        enabled: Option<bool>,
    },
}

fn parse_level(text: &str) -> Result<Level, String> {
    Level::from_code(text).ok_or_else(|| format!("unknown level \"{text}\" (red, orange or yellow)"))
}

fn parse_state(text: &str) -> Result<WarningState, String> {
    WarningState::from_code(text)
        .ok_or_else(|| format!("unknown state \"{text}\" (new, acknowledged, in_progress or resolved)"))
}

fn parse_source(text: &str) -> Result<Source, String> {
    Source::from_code(text).ok_or_else(|| {
        let known: Vec<&str> = Source::ALL.iter().map(|s| s.code()).collect();
        format!("unknown source \"{text}\" (one of {})", known.join(", "))
    })
}

fn parse_switch(text: &str) -> Result<bool, String> {
    match text {
        "on" | "true" => Ok(true),
        "off" | "false" => Ok(false),
        other => Err(format!("\"{other}\": on or off")),
    }
}

/// The last month that has ended: what scans and bulletins look at by default.
pub fn last_closed_month(store: &Store) -> Period {
    plan361_core::calendar::Date::in_china(store.now()).month_period().previous_month()
}

pub async fn run(store: Store, db: &DbArgs, args: WarningsArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        Some(WarningsCommand::Scan { at }) => {
            let actor = db.actor(&store).await?;
            let at = at.unwrap_or_else(|| last_closed_month(&store));
            let report = store.scan_warnings(&actor, at).await.with_context(|| format!("scan at {at}"))?;
            println!(
                "{} 预警扫描:新增 {} 条,重新打开 {} 条,自动解除 {} 条,更新 {} 条;未解除共 {} 条",
                i18n::period_label(at, Lang::Zh),
                report.raised,
                report.reopened,
                report.resolved,
                report.refreshed,
                report.open
            );
            Ok(ExitCode::SUCCESS)
        }
        Some(WarningsCommand::Rules { command: None, json }) => {
            let rules = store.warning_rules().await?;
            let mut out = std::io::stdout().lock();
            if json {
                serde_json::to_writer_pretty(&mut out, &rules)?;
                writeln!(out)?;
                return Ok(ExitCode::SUCCESS);
            }
            let mut table = Table::new(&[
                ("来源", Align::Left),
                ("source", Align::Left),
                ("启用", Align::Left),
                ("等级", Align::Left),
                ("阈值", Align::Right),
                ("前N名", Align::Right),
            ]);
            for rule in &rules.rules {
                table.row(vec![
                    (rule.source.label_zh().to_string(), None),
                    (rule.source.code().to_string(), None),
                    ((if rule.enabled { "是" } else { "否" }).to_string(), None),
                    (rule.level.label_zh().to_string(), Some(colour(rule.level))),
                    (rule.threshold.map_or_else(|| "—".into(), |t| t.to_string()), None),
                    (rule.top.map_or_else(|| "—".into(), |t| t.to_string()), None),
                ]);
            }
            table.print(&mut out, colour_stdout())?;
            Ok(ExitCode::SUCCESS)
        }
        Some(WarningsCommand::Rules {
            command: Some(RulesCommand::Set { source, level, threshold, top, enabled }),
            ..
        }) => {
            let actor = db.actor(&store).await?;
            let mut rules = store.warning_rules().await?;
            let mut rule = rules.get(source);
            rule.level = level.unwrap_or(rule.level);
            rule.threshold = threshold.or(rule.threshold);
            rule.top = top.or(rule.top);
            rule.enabled = enabled.unwrap_or(rule.enabled);
            rules.set(rule);
            store.set_warning_rules(&actor, &rules).await?;
            println!("已更新预警规则 {}({})", source.label_zh(), source.code());
            Ok(ExitCode::SUCCESS)
        }
        None => list(&store, &args).await,
    }
}

async fn list(store: &Store, args: &WarningsArgs) -> anyhow::Result<ExitCode> {
    let filter = WarningFilter {
        level: args.level,
        owner_unit: args.owner.clone(),
        state: args.state,
        source: args.source,
        period: args.at,
        ..WarningFilter::default()
    };
    let warnings = store.warnings(&filter).await?;
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &warnings)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    let open = warnings.iter().filter(|w| w.state.is_open()).count();
    let by_level: Vec<String> = Level::ALL
        .iter()
        .map(|l| format!("{} {}", l.label_zh(), warnings.iter().filter(|w| w.level == *l && w.state.is_open()).count()))
        .collect();
    writeln!(out, "预警 {} 条,未解除 {open} 条({})", warnings.len(), by_level.join(" · "))?;
    let mut table = Table::new(&[
        ("编号", Align::Right),
        ("等级", Align::Left),
        ("来源", Align::Left),
        ("责任单位", Align::Left),
        ("期别", Align::Left),
        ("状态", Align::Left),
        ("原因", Align::Left),
    ]);
    for w in &warnings {
        table.row(vec![
            (w.id.to_string(), None),
            (w.level.label_zh().to_string(), Some(colour(w.level))),
            (w.source.label_zh().to_string(), None),
            (w.owner_unit.clone(), None),
            (w.period.clone(), None),
            (w.state.label_zh().to_string(), None),
            (w.reason.clone(), None),
        ]);
    }
    table.print(&mut out, colour_stdout())?;
    Ok(ExitCode::SUCCESS)
}

fn colour(level: Level) -> Colour {
    match level {
        Level::Red => Colour::BoldRed,
        Level::Orange => Colour::Red,
        Level::Yellow => Colour::Yellow,
    }
}
