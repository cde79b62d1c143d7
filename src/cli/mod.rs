//! Command definitions and dispatch. Each command lives in its own module; this one only parses
//! arguments and loads what every command needs (the plan, the org units).

mod eval;
mod extract;
mod plan;
mod table;

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
    /// Evaluate the whole plan at a period.
    Eval(eval::EvalArgs),
    /// Draft a plan file from a policy document (text or .docx), for a person to review.
    Extract(extract::ExtractArgs),
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
        Command::Eval(args) => eval::run(&load_plan(cli.plan.as_deref())?, &load_org_units()?, &args),
        Command::Extract(args) => extract::run(&args),
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
