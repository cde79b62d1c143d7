//! `plan361 check-data`: what the validation rules (数据校验) find in the stored values, and the
//! rules file the plan office edits.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};
use plan361_core::i18n::{self, Labelled};
use plan361_core::validation::{Rules, Severity};
use plan361_store::{ChangeKind, RowPreview, Store};

use super::db::DbArgs;
use super::table::{Align, Colour, Table, colour_stdout};

#[derive(Args)]
pub struct CheckDataArgs {
    #[command(subcommand)]
    command: Option<CheckDataCommand>,
    /// Objects with observation_id, target_id, org_unit, period, value, state, check, severity, message.
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand)]
enum CheckDataCommand {
    /// Print the rules as a rules file (the office's, or the built-in defaults when none are
    /// set), or replace them with a file (`--load rules.toml`).
    Rules {
        #[arg(long, value_name = "FILE.toml")]
        load: Option<PathBuf>,
    },
}

/// Exits with failure when a value breaks an error rule, so that a scheduled run can alert.
pub async fn run(store: Store, db: &DbArgs, args: CheckDataArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        Some(CheckDataCommand::Rules { load: None }) => {
            let stored = store.validation_rules().await?;
            let shown = if stored.rules.is_empty() { Rules { rules: Rules::defaults() } } else { stored };
            print!("{}", shown.to_toml());
            Ok(ExitCode::SUCCESS)
        }
        Some(CheckDataCommand::Rules { load: Some(file) }) => {
            let actor = db.actor(&store).await?;
            let text = std::fs::read_to_string(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let plan = store.current_plan().await?;
            let rules = match Rules::parse(&text, &plan) {
                Ok(rules) => rules,
                Err(problem) => {
                    eprintln!("{}: {problem}", file.display());
                    return Ok(ExitCode::FAILURE);
                }
            };
            store.set_validation_rules(&actor, &rules).await?;
            println!("已更新数据校验规则 {} 条 (rules loaded)", rules.rules.len());
            Ok(ExitCode::SUCCESS)
        }
        None => {
            let actor = db.actor(&store).await?;
            let found = store.check_data(&actor).await?;
            let mut out = std::io::stdout().lock();
            if args.json {
                serde_json::to_writer_pretty(&mut out, &found)?;
                writeln!(out)?;
            } else if found.is_empty() {
                writeln!(out, "数据校验未发现问题 (no findings)")?;
            } else {
                let mut table = Table::new(&[
                    ("目标", Align::Left),
                    ("单位", Align::Left),
                    ("期", Align::Left),
                    ("值", Align::Right),
                    ("状态", Align::Left),
                    ("规则", Align::Left),
                    ("级别", Align::Left),
                    ("说明", Align::Left),
                ]);
                for f in &found {
                    let colour = match f.severity {
                        Severity::Error => Some(Colour::Red),
                        _ => Some(Colour::Yellow),
                    };
                    table.row(vec![
                        (f.target_id.clone(), None),
                        (f.org_unit.clone(), None),
                        (f.period.to_string(), None),
                        (i18n::number(f.value, ""), None),
                        (f.state.label_zh().to_string(), None),
                        (f.check.label_zh().to_string(), None),
                        (f.severity.label_zh().to_string(), colour),
                        (f.message.clone(), None),
                    ]);
                }
                table.print(&mut out, colour_stdout())?;
                let errors = found.iter().filter(|f| f.severity == Severity::Error).count();
                writeln!(out, "共 {} 条:错误 {errors} 条,提示 {} 条", found.len(), found.len() - errors)?;
            }
            let any_error = found.iter().any(|f| f.severity == Severity::Error);
            Ok(if any_error { ExitCode::FAILURE } else { ExitCode::SUCCESS })
        }
    }
}

/// What an import would do, row by row (`plan361 import --dry-run`).
pub fn print_preview(name: &str, preview: &[RowPreview]) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    let mut table = Table::new(&[
        ("行", Align::Right),
        ("目标", Align::Left),
        ("单位", Align::Left),
        ("期", Align::Left),
        ("值", Align::Right),
        ("库中", Align::Right),
        ("变化", Align::Left),
        ("说明", Align::Left),
    ]);
    for p in preview {
        let colour = match p.change {
            ChangeKind::Conflict => Some(Colour::Red),
            ChangeKind::New | ChangeKind::Changed => Some(Colour::Blue),
            ChangeKind::Unchanged => Some(Colour::Grey),
        };
        let current = match (p.current_value, p.current_state) {
            (Some(v), Some(s)) => format!("{} ({})", i18n::number(v, ""), s.label_zh()),
            _ => "—".into(),
        };
        let note = if p.reason.is_empty() { p.warnings.join(";") } else { p.reason.clone() };
        table.row(vec![
            (p.row.to_string(), None),
            (p.target_id.clone(), None),
            (p.org_unit.clone(), None),
            (p.period.to_string(), None),
            (i18n::number(p.value, ""), None),
            (current, None),
            (p.change.label_zh().to_string(), colour),
            (note, None),
        ]);
    }
    table.print(&mut out, colour_stdout())?;
    let count = |kind: ChangeKind| preview.iter().filter(|p| p.change == kind).count();
    writeln!(
        out,
        "{name}:新增 {},修改 {},未变 {},冲突 {};未写入任何数据 (dry run: nothing written)",
        count(ChangeKind::New),
        count(ChangeKind::Changed),
        count(ChangeKind::Unchanged),
        count(ChangeKind::Conflict)
    )?;
    Ok(())
}
