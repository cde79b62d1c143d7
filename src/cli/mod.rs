//! Command definitions and dispatch. Each command lives in its own module; this one only parses
//! arguments and loads what every command needs (the plan, the org units).

mod bulletin;
mod checks;
mod db;
mod demo;
mod eval;
mod exchange;
mod extract;
mod lists;
mod plan;
mod serve;
mod stats;
mod table;
mod warnings;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use plan361_core::org::OrgUnits;
use plan361_core::plan::{self as plan_model, Plan};

/// The plan shipped with the binary, used when no `--plan` is given.
pub const DEFAULT_PLAN_PATH: &str = "plans/ningbo-361-2025.toml";
const DEFAULT_PLAN: &str = include_str!("../../plans/ningbo-361-2025.toml");
const DEFAULT_ORG_UNITS_PATH: &str = "data/org-units.toml";
const DEFAULT_ORG_UNITS: &str = include_str!("../../data/org-units.toml");

#[derive(Parser)]
#[command(
    name = "plan361",
    version,
    about = "宁波市“361”现代化产业体系监测 · monitoring of Ningbo's \"361\" industrial plan"
)]
pub struct Cli {
    /// Plan file to use instead of the built-in plans/ningbo-361-2025.toml.
    #[arg(long, global = true, value_name = "FILE")]
    plan: Option<PathBuf>,

    #[command(flatten)]
    db: db::DbArgs,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check or show the plan.
    #[command(subcommand)]
    Plan(PlanCommand),
    /// List every target with its values per target year.
    Targets {
        /// One JSON object per (target, target year).
        #[arg(long)]
        json: bool,
    },
    /// Evaluate the whole plan at a period, from a CSV (--data) or the database.
    Eval(eval::EvalArgs),
    /// Create a database: org units, the plan, and the user `admin`.
    Init {
        /// The administrator's password (default: generated and printed once).
        #[arg(long)]
        admin_password: Option<String>,
    },
    /// Manage users.
    #[command(subcommand)]
    User(db::UserCommand),
    /// Set a district's goal for a target (目标分解): "2027=12,2030=20", or "annual=5".
    Decompose {
        target: String,
        #[arg(long)]
        unit: String,
        #[arg(long, value_parser = db::parse_goal)]
        goal: plan361_core::plan::Goal,
    },
    /// Assign a city department to report a target's city value in its lead's stead (assigning
    /// the lead again restores the plan's); the reason is recorded with it.
    Assign {
        target: String,
        unit: String,
        #[arg(long)]
        reason: String,
    },
    /// Show or set the reporting windows.
    #[command(subcommand)]
    Windows(db::WindowsCommand),
    /// Whether one person may enter and approve the same value (separated by default).
    #[command(subcommand)]
    Duties(DutiesCommand),
    /// Who has not reported what for a period (default: last month).
    Overdue {
        #[arg(long, value_parser = eval::parse_period)]
        period: Option<plan361_core::Period>,
        #[arg(long)]
        json: bool,
    },
    /// 催报: remind a unit (or every unit) of its overdue reports, over every period to date: a
    /// notice to each of its users in the web application, recorded in the audit log.
    Remind {
        /// The reporting unit (default: every unit with overdue reports).
        #[arg(long)]
        unit: Option<String>,
    },
    /// Write the reporting form (XLSX) of a unit for a period.
    Template {
        #[arg(long)]
        unit: String,
        #[arg(long, value_parser = eval::parse_period)]
        period: plan361_core::Period,
        #[arg(short, long, value_name = "FILE.xlsx")]
        output: PathBuf,
    },
    /// Import values from a filled form (.xlsx, .xls) or a CSV, all rows or none.
    Import {
        file: PathBuf,
        /// The state imported values take: draft, submitted or approved.
        #[arg(long, default_value = "submitted", value_parser = parse_state)]
        state: plan361_store::ObservationState,
        /// Show what each row would do (new, changed, unchanged, conflict) and write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Export a period's values with their state and evaluation (XLSX or CSV).
    Export {
        #[arg(long, value_parser = eval::parse_period)]
        period: plan361_core::Period,
        #[arg(short, long, value_name = "FILE.xlsx|FILE.csv")]
        output: PathBuf,
    },
    /// The four key lists: import, export, templates, history.
    #[command(subcommand)]
    List(lists::ListCommand),
    /// Load a new version of the cluster catalog (industry codes of each cluster).
    #[command(subcommand)]
    Catalog(CatalogCommand),
    /// Cluster statistics: enterprise microdata, the cube by cluster × org unit × month.
    #[command(subcommand)]
    Stats(stats::StatsCommand),
    /// Verify or read the audit log.
    #[command(subcommand)]
    Audit(db::AuditCommand),
    /// Copy the database consistently while it is in use.
    Backup { file: PathBuf },
    /// Replace the database with a backup.
    Restore { file: PathBuf },
    /// Draft a plan file from a policy document (text or .docx), for a person to review.
    Extract(extract::ExtractArgs),
    /// Serve the web application and the JSON API.
    Serve(serve::ServeArgs),
    /// Create (or reuse) a demo database with SYNTHETIC values and serve it on 127.0.0.1.
    Demo(demo::DemoArgs),
    /// Early warnings (预警): list them (`--at`, filters, `--json`), `scan` a month, tune the `rules`.
    Warnings(warnings::WarningsArgs),
    /// What the validation rules (数据校验) find in the stored values; `rules` prints or loads
    /// the rules file. Fails when a value breaks an error rule.
    CheckData(checks::CheckDataArgs),
    /// The monthly (or quarterly) bulletin (月度通报) from the data: DOCX, XLSX or printable HTML.
    Bulletin(bulletin::BulletinArgs),
}

#[derive(Subcommand)]
enum PlanCommand {
    /// Validate a plan file; lists every problem with its line.
    Check {
        /// The plan file (default: --plan, else the built-in plan).
        file: Option<PathBuf>,
    },
    /// The plan as a tree: projects → tasks → targets.
    Show,
    /// Record a changed plan file as a new version of the plan in the database.
    Load {
        file: PathBuf,
        /// The first period the new version applies to (default: this month).
        #[arg(long, value_parser = eval::parse_period)]
        effective: Option<plan361_core::Period>,
        /// Why the plan changes (动态调整的原因).
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// The plan versions recorded in the database.
    Versions,
}

#[derive(Subcommand)]
enum DutiesCommand {
    /// Say whether duties are separated.
    Show,
    /// Nobody approves a value they entered or submitted (the default for new databases).
    Separate,
    /// One person may enter and approve (e.g. while the plan office loads approved history).
    Combine,
}

#[derive(Subcommand)]
enum CatalogCommand {
    /// Record a catalog file as a new version, effective from the date it names.
    Load {
        file: PathBuf,
        #[arg(long)]
        reason: String,
    },
    /// The catalog versions recorded, with the dates they take effect.
    Versions,
}

fn parse_state(text: &str) -> Result<plan361_store::ObservationState, String> {
    plan361_store::ObservationState::from_code(text)
        .filter(|s| *s != plan361_store::ObservationState::Returned)
        .ok_or_else(|| format!("unknown state \"{text}\" (draft, submitted or approved)"))
}

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Plan(PlanCommand::Check { file }) => plan::check(file.or(cli.plan).as_deref()),
        Command::Plan(PlanCommand::Show) => {
            plan::show(&load_plan(cli.plan.as_deref())?)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Targets { json } => {
            plan::targets(&load_plan(cli.plan.as_deref())?, json)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Eval(args) => eval::run(cli.plan.as_deref(), &cli.db, &args),
        Command::Plan(PlanCommand::Load { file, effective, reason }) => {
            db::with_store(&cli.db, |s| db::load_plan(s, &cli.db, &file, effective, &reason))
        }
        Command::Plan(PlanCommand::Versions) => db::with_store(&cli.db, db::plan_versions),
        Command::Init { admin_password } => {
            db::with_store(&cli.db, |s| db::init(s, &cli.db, cli.plan.as_deref(), admin_password))
        }
        Command::User(command) => db::with_store(&cli.db, |s| db::user(s, &cli.db, command)),
        Command::Decompose { target, unit, goal } => {
            db::with_store(&cli.db, |s| db::decompose(s, &cli.db, &target, &unit, &goal))
        }
        Command::Assign { target, unit, reason } => {
            let db_args = cli.db.clone();
            db::with_store(&cli.db, |s| async move {
                let actor = db_args.actor(&s).await?;
                s.assign_reporting_unit(&actor, &target, &unit, &reason).await?;
                println!("已指派 {unit} 填报目标 {target} 的市级数据 {unit} now reports the city value of {target}");
                Ok(ExitCode::SUCCESS)
            })
        }
        Command::Windows(command) => db::with_store(&cli.db, |s| db::windows(s, &cli.db, command)),
        Command::Duties(command) => {
            let db_args = cli.db.clone();
            db::with_store(&cli.db, |s| async move {
                match command {
                    DutiesCommand::Show => {}
                    DutiesCommand::Separate | DutiesCommand::Combine => {
                        let actor = db_args.actor(&s).await?;
                        s.set_separate_duties(&actor, matches!(command, DutiesCommand::Separate)).await?;
                    }
                }
                if s.separate_duties().await? {
                    println!("审核与填报分离 duties separated: nobody approves a value they entered or submitted");
                } else {
                    println!("审核与填报未分离 duties combined: one person may enter and approve");
                }
                Ok(ExitCode::SUCCESS)
            })
        }
        Command::Overdue { period, json } => db::with_store(&cli.db, |s| db::overdue(s, period, json)),
        Command::Remind { unit } => db::with_store(&cli.db, |s| db::remind(s, &cli.db, unit)),
        Command::Template { unit, period, output } => {
            db::with_store(&cli.db, |s| exchange::template(s, &cli.db, &unit, period, &output))
        }
        Command::Import { file, state, dry_run } => {
            db::with_store(&cli.db, |s| exchange::import(s, &cli.db, &file, state, dry_run))
        }
        Command::Export { period, output } => {
            db::with_store(&cli.db, |s| exchange::export(s, &cli.db, period, &output))
        }
        Command::Audit(command) => db::with_store(&cli.db, |s| db::audit(s, command)),
        Command::List(command) => db::with_store(&cli.db, |s| lists::run(s, &cli.db, command)),
        Command::Catalog(CatalogCommand::Load { file, reason }) => {
            db::with_store(&cli.db, |s| lists::load_catalog(s, &cli.db, &file, &reason))
        }
        Command::Catalog(CatalogCommand::Versions) => db::with_store(&cli.db, lists::catalog_versions),
        Command::Stats(command) => stats::run(&cli.db, command),
        Command::Backup { file } => db::with_store(&cli.db, |s| db::backup(s, &file)),
        Command::Restore { file } => db::restore(&cli.db, &file),
        Command::Extract(args) => extract::run(&args),
        Command::Serve(args) => serve::run(&cli.db, &args),
        Command::Demo(args) => demo::run(&cli.db, &args),
        Command::Warnings(args) => db::with_store(&cli.db, |s| warnings::run(s, &cli.db, args)),
        Command::Bulletin(args) => db::with_store(&cli.db, |s| bulletin::run(s, args)),
        Command::CheckData(args) => db::with_store(&cli.db, |s| checks::run(s, &cli.db, args)),
    }
}

/// Reads a plan file, or the built-in plan; the name is what error messages show.
fn read_plan_text(path: Option<&std::path::Path>) -> anyhow::Result<(String, String)> {
    match path {
        Some(path) => {
            let text =
                std::fs::read_to_string(path).with_context(|| format!("cannot read plan file {}", path.display()))?;
            Ok((path.display().to_string(), text))
        }
        None => Ok((DEFAULT_PLAN_PATH.to_string(), DEFAULT_PLAN.to_string())),
    }
}

pub fn load_plan(path: Option<&std::path::Path>) -> anyhow::Result<Plan> {
    let (name, text) = read_plan_text(path)?;
    plan_model::parse(&name, &text).map_err(|errors| anyhow::anyhow!("invalid plan file:\n{errors}"))
}

pub fn load_org_units() -> anyhow::Result<OrgUnits> {
    OrgUnits::parse(DEFAULT_ORG_UNITS_PATH, DEFAULT_ORG_UNITS).map_err(|e| anyhow::anyhow!(e))
}
