//! `plan361 stats …`: enterprise microdata in, the cluster cube and its memberships out, from
//! the database or straight from files.

use plan361_core::i18n::Labelled;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use plan361_core::Period;
use plan361_core::registry::{ClusterCatalog, Entity, IndustryCodes, ListKind, Registry, catalog};
use plan361_core::stats::{self, By, CubeRow, Dataset, Measure, Members, MicrodataBuilder};
use plan361_files::micro;
use plan361_store::Store;
use sha2::Digest;

use super::db::DbArgs;
use super::table::{Align, Table, colour_stdout};

#[derive(Subcommand)]
pub enum StatsCommand {
    /// Import enterprise microdata (CSV or XLSX with the columns
    /// credit_code,period,output,revenue,profit,export_delivery,rd_expense,electricity,employees), all rows or none.
    Import { file: PathBuf },
    /// The cube of a month: 当月, 1–N月累计, 同比 (同口径), enterprises, share and 拉动 by cluster and org unit.
    Cube(CubeArgs),
    /// Which enterprises (above scale in the month's year) belong to which cluster.
    Members(MembersArgs),
    /// Every revision of one enterprise's month.
    History {
        credit_code: String,
        #[arg(value_parser = super::eval::parse_period)]
        period: Period,
    },
}

/// Where the data come from: the database, or files.
#[derive(Args)]
pub struct Source {
    /// Microdata file (CSV or XLSX) instead of the database; needs --enterprises.
    #[arg(long, value_name = "FILE", requires = "enterprises")]
    micro: Option<PathBuf>,
    /// The enterprise list in the format of `list export enterprises` (with --micro or alone for members).
    #[arg(long, value_name = "FILE")]
    enterprises: Option<PathBuf>,
    /// A catalog version by its label (default: the version in force at the month's end); with
    /// files, a catalog file (.toml) or the built-in version's label.
    #[arg(long, value_name = "VERSION")]
    catalog: Option<String>,
}

#[derive(Args)]
pub struct CubeArgs {
    #[arg(long, value_parser = parse_month)]
    at: Period,
    /// output, revenue, profit, export_delivery, rd_expense, electricity, employees, or all.
    #[arg(long, default_value = "output", value_parser = parse_measures)]
    measure: Measures,
    /// cluster (clusters at the city), district (the total by org unit) or cluster,district.
    #[arg(long, default_value = "cluster", value_parser = By::parse)]
    by: By,
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    source: Source,
}

#[derive(Args)]
pub struct MembersArgs {
    #[arg(long, value_parser = parse_month)]
    at: Period,
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    source: Source,
}

fn parse_month(text: &str) -> Result<Period, String> {
    match super::eval::parse_period(text)? {
        month @ Period::Month { .. } => Ok(month),
        _ => Err(format!("\"{text}\" is not a month: the cube is monthly (2026-10)")),
    }
}

/// The measures a cube shows.
#[derive(Clone)]
pub struct Measures(Vec<Measure>);

fn parse_measures(text: &str) -> Result<Measures, String> {
    if text == "all" {
        return Ok(Measures(Measure::ALL.to_vec()));
    }
    Measure::from_code(text).map(|m| Measures(vec![m])).ok_or_else(|| {
        let known: Vec<&str> = Measure::ALL.iter().map(|m| m.code()).collect();
        format!("unknown measure \"{text}\" ({} or all)", known.join(", "))
    })
}

pub fn run(db: &DbArgs, command: StatsCommand) -> anyhow::Result<ExitCode> {
    match command {
        StatsCommand::Import { file } => super::db::with_store(db, |store| import(store, db, file)),
        StatsCommand::History { credit_code, period } => {
            super::db::with_store(db, |store| history(store, credit_code, period))
        }
        StatsCommand::Cube(args) => {
            let dataset = dataset(db, &args.source, args.at)?;
            print_cube(&dataset, &args);
            Ok(ExitCode::SUCCESS)
        }
        StatsCommand::Members(args) => {
            let dataset = dataset(db, &args.source, args.at)?;
            print_members(&dataset.members, args.at.year(), args.json);
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn import(store: Store, db: &DbArgs, file: PathBuf) -> anyhow::Result<ExitCode> {
    let actor = db.actor(&store).await?;
    let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
    let name = file.display().to_string();
    let rows = micro::read(&name, &bytes)?;
    let hash: String = hex::encode(sha2::Sha256::digest(&bytes));
    let report = store.import_microdata(&actor, &name, &hash, &rows).await?;
    for warning in &report.warnings {
        eprintln!("警告 warning: {name}: {warning}");
    }
    println!(
        "已导入企业月度数据 {name}:{} 行,新增 {},修改 {},未变 {},警告 {}",
        report.rows,
        report.created,
        report.updated,
        report.unchanged,
        report.warnings.len()
    );
    Ok(ExitCode::SUCCESS)
}

async fn history(store: Store, credit_code: String, period: Period) -> anyhow::Result<ExitCode> {
    let revisions = store.micro_history(&credit_code, stats::month_index(period)).await?;
    if revisions.is_empty() {
        bail!("no microdata for {credit_code} in {period}");
    }
    let columns: Vec<&str> = micro::COLUMNS[2..].to_vec();
    println!("revision  {}  file  by  at", columns.join("  "));
    for r in revisions {
        let values: Vec<String> = r.values.iter().map(|v| stats::format_amount(*v)).collect();
        let at = plan361_core::calendar::Date::in_china(r.changed_at_ms);
        println!("v{}  {}  {}  {}  {at}", r.revision, values.join("  "), r.file_name, r.changed_by);
    }
    Ok(ExitCode::SUCCESS)
}

/// The dataset of a command: from files when --micro or --enterprises is given, else from the
/// database.
fn dataset(db: &DbArgs, source: &Source, at: Period) -> anyhow::Result<Arc<Dataset>> {
    let Some(enterprises) = &source.enterprises else {
        let label = source.catalog.clone();
        return super::db::with_store(db, |store| async move { Ok(store.stats_dataset(label.as_deref(), at).await?) });
    };
    let registry = read_enterprises(enterprises)?;
    let catalog = file_catalog(source.catalog.as_deref())?;
    let org_units = super::load_org_units()?;
    let members = Members::new(&registry, &catalog, &org_units);
    let mut builder = MicrodataBuilder::default();
    if let Some(file) = &source.micro {
        let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
        micro::read_each(&file.display().to_string(), &bytes, |_, code, month, values| {
            builder.push(code, month, values)
        })?;
    }
    Ok(Arc::new(Dataset::new(Arc::new(builder.build()), members)))
}

fn read_enterprises(path: &Path) -> anyhow::Result<Registry> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut registry = Registry::default();
    for (_, entity) in plan361_files::lists::read(ListKind::Enterprises, &path.display().to_string(), &bytes)? {
        if let Entity::Enterprise(e) = entity {
            registry.enterprises.push(e);
        }
    }
    Ok(registry)
}

/// The catalog for file mode: a catalog file, or the built-in version (by its label or by
/// default).
fn file_catalog(choice: Option<&str>) -> anyhow::Result<ClusterCatalog> {
    let codes = IndustryCodes::builtin();
    let builtin =
        ClusterCatalog::parse("data/cluster-catalog-2025.toml", catalog::BUILTIN, codes).map_err(anyhow::Error::msg)?;
    match choice {
        None => Ok(builtin),
        Some(label) if label == builtin.version => Ok(builtin),
        Some(path) if path.ends_with(".toml") => {
            let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {path}"))?;
            ClusterCatalog::parse(path, &text, codes).map_err(anyhow::Error::msg)
        }
        Some(other) => bail!(
            "--catalog {other}: with files, name a catalog file (.toml) or the built-in version {}",
            builtin.version
        ),
    }
}

fn print_cube(dataset: &Dataset, args: &CubeArgs) {
    let cube = dataset.cube(args.at);
    let rows = cube.rows(args.by, &args.measure.0);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&rows).unwrap_or_default());
        return;
    }
    let name = |id: &str| cube.clusters.iter().find(|(c, _)| c == id).map_or(id, |(_, n)| n.as_str()).to_string();
    println!(
        "{} 1–{}月 · 目录版本 catalog {} · 同比为同口径 (like-for-like)",
        args.at.year(),
        args.at.months_elapsed(),
        cube.catalog_version
    );
    let mut table = Table::new(&[
        ("集群", Align::Left),
        ("单位", Align::Left),
        ("指标", Align::Left),
        ("当月", Align::Right),
        ("1–N月累计", Align::Right),
        ("去年同期(同口径)", Align::Right),
        ("同比", Align::Right),
        ("企业数", Align::Right),
        ("占比", Align::Right),
        ("拉动(百分点)", Align::Right),
    ]);
    for row in &rows {
        table.row(text_row(row, &name(&row.cluster)));
    }
    let _ = table.print(&mut std::io::stdout(), colour_stdout());
    if rows.iter().any(|r| r.month_span == 2) {
        println!("当月为1–2月合计 (month marked 1–2月: January and February together).");
    }
    println!("集群之间有交叉,各集群合计不等于全部规上工业 (clusters overlap: never add them up).");
}

fn text_row(row: &CubeRow, cluster: &str) -> Vec<(String, Option<super::table::Colour>)> {
    let amount = |v: Option<f64>| v.map_or_else(|| "—".into(), |v| format!("{v:.1}"));
    let percent = |v: Option<f64>| v.map_or_else(|| "—".into(), |v| format!("{:.1}%", v * 100.0));
    let measure = Measure::from_code(&row.measure).map_or("", |m| m.label_zh());
    let month = match (row.month, row.month_span) {
        (Some(v), 2) => format!("{v:.1} (1–2月)"),
        (v, _) => amount(v),
    };
    [
        cluster.to_string(),
        row.org_unit.clone(),
        measure.to_string(),
        month,
        amount(Some(row.ytd)),
        amount(row.ytd_prev),
        percent(row.yoy),
        row.enterprises.to_string(),
        percent(row.share),
        row.contribution_pp.map_or_else(|| "—".into(), |v| format!("{v:.2}")),
    ]
    .into_iter()
    .map(|text| (text, None))
    .collect()
}

fn print_members(members: &Members, year: i32, json: bool) {
    #[derive(serde::Serialize)]
    struct Membership<'a> {
        credit_code: &'a str,
        cluster: &'a str,
    }
    let all: Vec<Membership> =
        members.memberships(year).map(|(credit_code, cluster)| Membership { credit_code, cluster }).collect();
    if json {
        println!("{}", serde_json::to_string_pretty(&all).unwrap_or_default());
    } else {
        println!("credit_code,cluster");
        for m in &all {
            println!("{},{}", m.credit_code, m.cluster);
        }
    }
}
