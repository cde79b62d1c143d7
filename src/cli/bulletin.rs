//! `plan361 bulletin`: the monthly (or quarterly) 通报 written from the data, as DOCX, XLSX or
//! printable HTML.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Args, ValueEnum};
use plan361_core::Period;
use plan361_core::calendar::Date;
use plan361_store::Store;

#[derive(Args)]
pub struct BulletinArgs {
    /// The month (2026-10) or quarter (2026Q3); default: the last month that has ended.
    #[arg(long, value_parser = super::eval::parse_period)]
    at: Option<Period>,
    /// The quarterly bulletin of the quarter containing --at.
    #[arg(long)]
    quarter: bool,
    /// docx, xlsx or html (default: from the file's extension).
    #[arg(long, value_enum)]
    format: Option<Format>,
    #[arg(short, long, value_name = "FILE")]
    output: PathBuf,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Docx,
    Xlsx,
    Html,
}

pub async fn run(store: Store, args: BulletinArgs) -> anyhow::Result<ExitCode> {
    let extension = args.output.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    let format = match (args.format, extension.as_deref()) {
        (Some(format), _) => format,
        (None, Some("docx")) => Format::Docx,
        (None, Some("xlsx")) => Format::Xlsx,
        (None, Some("html" | "htm")) => Format::Html,
        _ => bail!("--format: say docx, xlsx or html (or name the file .docx, .xlsx or .html)"),
    };
    let at = args.at.unwrap_or_else(|| super::warnings::last_closed_month(&store));
    let options = plan361_report::Options { at, quarterly: args.quarter, issued: Date::in_china(store.now()) };
    let bulletin = plan361_report::gather(&store, &options).await.with_context(|| format!("--at {at}"))?;
    let bytes = match format {
        Format::Docx => plan361_report::docx::write(&bulletin).map_err(anyhow::Error::msg)?,
        Format::Xlsx => plan361_report::xlsx::write(&bulletin).map_err(anyhow::Error::msg)?,
        Format::Html => plan361_report::html::write(&bulletin).into_bytes(),
    };
    std::fs::write(&args.output, bytes).with_context(|| format!("cannot write {}", args.output.display()))?;
    println!("已生成通报 {}({}):{}", bulletin.title, bulletin.period_label, args.output.display());
    Ok(ExitCode::SUCCESS)
}
