//! `extract`: a draft plan file from a policy document, for a person to review.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use plan361_extract::{DraftOptions, draft_plan, extract, read_document};

#[derive(Args)]
pub struct ExtractArgs {
    /// The policy document: plain text (UTF-8 or GB18030) or .docx.
    file: PathBuf,
    /// Write the drafted plan file to PLAN.toml (default: standard output).
    #[arg(short, long, value_name = "PLAN.toml")]
    output: Option<PathBuf>,
    /// Print the extracted targets as a JSON array (indicator, year, value, value_max, unit,
    /// comparator, kind, source_text) instead of the plan file; with -o the plan file is still
    /// written.
    #[arg(long)]
    json: bool,
}

pub fn run(args: &ExtractArgs) -> anyhow::Result<ExitCode> {
    let shown = args.file.display().to_string();
    let bytes = std::fs::read(&args.file).with_context(|| format!("cannot read {shown}"))?;
    let text = read_document(&bytes).with_context(|| format!("cannot read {shown}"))?;
    let extraction = extract(&text);
    let id = args.file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let source = args.file.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| shown.clone());
    let draft = draft_plan(&extraction, &DraftOptions { id, source });
    let draft_name = args.output.as_ref().map_or_else(|| "draft plan".to_string(), |p| p.display().to_string());
    if let Err(errors) = plan361_core::plan::parse(&draft_name, &draft) {
        anyhow::bail!("the drafted plan does not pass its own check (a bug in the extractor):\n{errors}");
    }

    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &extraction.json())?;
        writeln!(out)?;
    }
    match &args.output {
        Some(path) => std::fs::write(path, &draft).with_context(|| format!("cannot write {}", path.display()))?,
        None if !args.json => out.write_all(draft.as_bytes())?,
        None => {}
    }

    let qualitative = extraction.targets.iter().filter(|t| t.kind.is_qualitative()).count();
    let reviews = draft.lines().filter(|l| l.trim_start().starts_with("# 待核:")).count();
    if extraction.targets.is_empty() {
        eprintln!("{shown}: 未识别出目标 no targets found; the draft lists what was read as notes");
    }
    eprintln!(
        "{shown}: {} 个目标(其中定性 {qualitative} 个), {} 条未识别内容, {reviews} 处待核",
        extraction.targets.len(),
        extraction.notes.len()
    );
    Ok(ExitCode::SUCCESS)
}
