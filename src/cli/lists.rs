//! `plan361 list …` and `plan361 catalog load`: the four key lists and the cluster catalog.

use plan361_core::i18n::Labelled;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::Subcommand;
use plan361_core::registry::{self, Entity, ListKind};
use plan361_files::lists;
use plan361_files::xlsx::{self, Cell, Table};
use plan361_store::{ListRow, Store, StoreError};

use super::db::DbArgs;

#[derive(Subcommand)]
pub enum ListCommand {
    /// Import entries (CSV or XLSX, the columns `list export` writes), all rows or none.
    Import {
        #[arg(value_parser = parse_list)]
        kind: ListKind,
        file: std::path::PathBuf,
        /// Why the lists change (recorded with every entry).
        #[arg(long)]
        reason: String,
    },
    /// Export a list as it is now (or as it was known at a date) to CSV or XLSX.
    Export {
        #[arg(value_parser = parse_list)]
        kind: ListKind,
        #[arg(short, long, value_name = "FILE.csv|FILE.xlsx")]
        output: std::path::PathBuf,
        /// The list as it was known at the end of this day (YYYY-MM-DD).
        #[arg(long)]
        known_at: Option<plan361_core::calendar::Date>,
    },
    /// Write a blank XLSX for a list, with the columns explained.
    Template {
        #[arg(value_parser = parse_list)]
        kind: ListKind,
        #[arg(short, long, value_name = "FILE.xlsx")]
        output: std::path::PathBuf,
    },
    /// An entry's versions: who changed what, when and why.
    History {
        #[arg(value_parser = parse_list)]
        kind: ListKind,
        key: String,
    },
}

fn parse_list(text: &str) -> Result<ListKind, String> {
    ListKind::from_code(text).ok_or_else(|| format!("unknown list \"{text}\" ({})", ListKind::CHOICES))
}

pub async fn run(store: Store, db: &DbArgs, command: ListCommand) -> anyhow::Result<ExitCode> {
    match command {
        ListCommand::Import { kind, file, reason } => import(&store, db, kind, &file, &reason).await,
        ListCommand::Export { kind, output, known_at } => {
            let known_at_ms = known_at.map(|day| day.start_ms() + 86_400_000 - 1);
            let registry = store.registry(known_at_ms).await?;
            let entities: Vec<Entity> = match kind {
                ListKind::Enterprises => registry.enterprises.iter().cloned().map(Entity::Enterprise).collect(),
                ListKind::Projects => registry.projects.iter().cloned().map(Entity::Project).collect(),
                ListKind::Parks => registry.parks.iter().cloned().map(Entity::Park).collect(),
                ListKind::Platforms => registry.platforms.iter().cloned().map(Entity::Platform).collect(),
            };
            let rows = lists::rows(&entities);
            write(&output, lists::columns(kind), &rows, kind.label_zh())?;
            println!("已导出{} {}:{} 条,{} 行", kind.label_zh(), output.display(), entities.len(), rows.len());
            Ok(ExitCode::SUCCESS)
        }
        ListCommand::Template { kind, output } => {
            let notes: Vec<Vec<Cell>> = lists::columns(kind)
                .iter()
                .zip(lists::titles(kind))
                .map(|(column, title)| {
                    vec![Cell::from(*column), Cell::from(*title), Cell::from(allowed_values(kind, column))]
                })
                .collect();
            let bytes = xlsx::write_tables(&[
                Table { sheet: kind.label_zh(), headers: lists::columns(kind), rows: &[] },
                Table { sheet: "填写说明", headers: &["列", "含义", "可填内容"], rows: &notes },
            ])
            .map_err(anyhow::Error::msg)?;
            std::fs::write(&output, bytes).with_context(|| format!("cannot write {}", output.display()))?;
            println!("已生成{}模板 {}", kind.label_zh(), output.display());
            Ok(ExitCode::SUCCESS)
        }
        ListCommand::History { kind, key } => {
            let history = store.entry_history(kind, &key).await?;
            if history.is_empty() {
                bail!("no {} entry \"{key}\"", kind.code());
            }
            for v in history {
                let at = plan361_core::calendar::Date::in_china(v.recorded_at_ms);
                let state = if v.removed { "移除" } else { "" };
                println!("v{} {at} {} {state} {}", v.version, v.recorded_by, v.reason);
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// What a column of a list takes, for the template's notes.
fn allowed_values(kind: ListKind, column: &str) -> String {
    match (kind, column) {
        (ListKind::Enterprises, "honour") => {
            registry::HONOURS.iter().map(|(name, _)| *name).collect::<Vec<_>>().join("、")
        }
        (ListKind::Enterprises, "level") => registry::HONOURS
            .iter()
            .filter(|(_, levels)| !levels.is_empty())
            .map(|(name, levels)| format!("{name}:{}", levels.join("/")))
            .collect::<Vec<_>>()
            .join(";"),
        (_, "district") => {
            "海曙区、江北区、镇海区、北仑区、鄞州区、奉化区、余姚市、慈溪市、宁海县、象山县 或开发园区".into()
        }
        (ListKind::Projects, "category") => registry::PROJECT_CATEGORIES.join("、"),
        (ListKind::Parks, "kind") => registry::PARK_KINDS.join("、"),
        (ListKind::Platforms, "level") => registry::PLATFORM_LEVELS.join("、"),
        (_, "granted" | "revoked" | "signed" | "landed" | "started" | "completed" | "established" | "recognized") => {
            "日期,如 2025-06-30".into()
        }
        _ => String::new(),
    }
}

fn write(output: &Path, headers: &[&str], rows: &[Vec<Cell>], sheet: &str) -> anyhow::Result<()> {
    let extension = output.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    let bytes = match extension.as_str() {
        "csv" => plan361_files::table::write_csv(headers, rows),
        "xlsx" => xlsx::write_tables(&[Table { sheet, headers, rows }]),
        _ => bail!("-o {}: expected a .csv or .xlsx file", output.display()),
    }
    .map_err(anyhow::Error::msg)?;
    std::fs::write(output, bytes).with_context(|| format!("cannot write {}", output.display()))
}

async fn import(store: &Store, db: &DbArgs, kind: ListKind, file: &Path, reason: &str) -> anyhow::Result<ExitCode> {
    let actor = db.actor(store).await?;
    let name = file.display().to_string();
    let bytes = match super::exchange::read_bounded(file)? {
        Ok(bytes) => bytes,
        Err(refusal) => {
            eprintln!("{name}: {refusal}");
            return Ok(ExitCode::FAILURE);
        }
    };
    let entities = match lists::read(kind, &name, &bytes) {
        Ok(entities) => entities,
        Err(errors) => {
            eprintln!("{errors}");
            return Ok(ExitCode::FAILURE);
        }
    };
    let rows: Vec<ListRow> = entities.into_iter().map(|(row, entity)| ListRow { sheet: None, row, entity }).collect();
    match store.import_list(&actor, kind, &rows, reason).await {
        Ok(report) => {
            println!(
                "已导入{} {name}:{} 条,新增 {},更新 {},未变 {}",
                kind.label_zh(),
                report.rows,
                report.created,
                report.updated,
                report.unchanged
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(StoreError::Rejected(problems)) => Ok(super::exchange::report_rejected(&name, &problems)),
        Err(e) => Err(e.into()),
    }
}

pub async fn load_catalog(store: Store, db: &DbArgs, file: &Path, reason: &str) -> anyhow::Result<ExitCode> {
    let actor = db.actor(&store).await?;
    let text = std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let version = store.load_catalog(&actor, &text, reason).await?;
    println!("已记录集群目录 {version}");
    Ok(ExitCode::SUCCESS)
}

pub async fn catalog_versions(store: Store) -> anyhow::Result<ExitCode> {
    for v in store.catalog_versions().await? {
        let at = plan361_core::calendar::Date::in_china(v.loaded_at_ms);
        println!("{}  自 {} 起生效 effective  {at} {}  {}", v.label, v.effective, v.loaded_by, v.reason);
    }
    Ok(ExitCode::SUCCESS)
}
