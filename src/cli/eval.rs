//! `plan361 eval`: the whole plan evaluated at a period, as a table or as JSON.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use plan361_core::Period;
use plan361_core::eval::{self, Decompositions, DueBy, EvalRecord, Observations, Point, Row};
use plan361_core::i18n::{self, Lang};
use plan361_core::org::OrgUnits;
use plan361_core::plan::Plan;
use plan361_files::observations;

use super::db::DbArgs;
use super::table::{Align, Colour, Table, colour_stdout};

#[derive(clap::Args)]
pub struct EvalArgs {
    /// Observations CSV with the header target_id,org_unit,period,value (default: the
    /// approved values in the database, see --db).
    #[arg(long, value_name = "FILE.csv")]
    data: Option<PathBuf>,
    /// With the database: include values not yet approved (drafts, submitted, returned).
    #[arg(long, conflicts_with = "data")]
    include_unapproved: bool,
    /// The period to evaluate at: 2026-05, 2026Q2 or 2026.
    #[arg(long, value_name = "PERIOD", value_parser = parse_period)]
    at: Period,
    /// An array of JSON objects, one per (target, org unit).
    #[arg(long)]
    json: bool,
    /// Language of labels and explanations: zh or en.
    #[arg(long, default_value = "zh", value_parser = parse_lang)]
    lang: Lang,
}

pub fn parse_period(text: &str) -> Result<Period, String> {
    text.parse().map_err(|e: plan361_core::period::PeriodError| e.to_string())
}

pub fn parse_lang(text: &str) -> Result<Lang, String> {
    Lang::from_code(text).ok_or_else(|| format!("unknown language \"{text}\" (zh or en)"))
}

pub fn run(plan_path: Option<&Path>, db: &DbArgs, args: &EvalArgs) -> anyhow::Result<ExitCode> {
    match &args.data {
        Some(data) => {
            let plan = super::load_plan(plan_path)?;
            let org_units = super::load_org_units()?;
            let Some(observations) = read_csv(data, &plan, &org_units)? else {
                return Ok(ExitCode::FAILURE);
            };
            print(
                &eval::evaluate_plan(
                    &plan,
                    &org_units,
                    &observations,
                    &Decompositions::new(),
                    args.at,
                    &DueBy::default(),
                ),
                args,
            )?;
        }
        None => super::db::with_store(db, |store| async move {
            let input = store.eval_input(args.at, args.include_unapproved).await?;
            print(&input.evaluate(args.at), args)
        })?,
    }
    Ok(ExitCode::SUCCESS)
}

/// The observations of a CSV, or `None` after printing why the file was rejected.
fn read_csv(path: &Path, plan: &Plan, org_units: &OrgUnits) -> anyhow::Result<Option<Observations>> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {name}"))?;
    let rows = match observations::read(&name, &bytes, plan, org_units) {
        Ok(rows) => rows,
        Err(errors) => {
            eprintln!("{errors}");
            return Ok(None);
        }
    };
    let mut data = Observations::default();
    for row in rows {
        data.insert(row.target, row.org_unit, row.measure.as_deref(), Point { period: row.period, value: row.value });
    }
    Ok(Some(data))
}

fn print(rows: &[Row], args: &EvalArgs) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    if args.json {
        let records: Vec<EvalRecord> = rows.iter().map(|row| EvalRecord::from_row(row, args.lang)).collect();
        serde_json::to_writer_pretty(&mut out, &records)?;
        writeln!(out)?;
        Ok(())
    } else {
        print_table(&mut out, rows, args.at, args.lang)
    }
}

fn print_table(out: &mut impl Write, rows: &[Row], at: Period, lang: Lang) -> anyhow::Result<()> {
    let colour = colour_stdout();
    writeln!(out, "评价期 {}", i18n::period_label(at, lang))?;
    let mut table = Table::new(&[
        ("编号", Align::Left),
        ("单位", Align::Left),
        ("指标", Align::Left),
        ("最新值", Align::Right),
        ("数据期", Align::Left),
        ("目标", Align::Right),
        ("目标进度", Align::Right),
        ("序时进度", Align::Right),
        ("差距(百分点)", Align::Right),
        ("状态", Align::Left),
    ]);
    let dash = || "—".to_string();
    for row in rows {
        let (target, e) = (row.target, &row.evaluation);
        let data_period = e.data_period.map_or_else(dash, |p| i18n::data_period_label(target, p, lang));
        table.row(vec![
            (target.id.clone(), None),
            (row.org_unit.to_string(), None),
            (target.indicator.clone(), None),
            (i18n::value_text(target, e, lang), None),
            (data_period, None),
            (i18n::goal_text(target, e, lang), None),
            (e.progress.map_or_else(dash, i18n::percent), None),
            (e.expected.map_or_else(dash, i18n::percent), None),
            (e.lag_pp.map_or_else(dash, |lag| format!("{lag:+.1}")), None),
            (i18n::status_label(e.status, lang).to_string(), Some(Colour::of_status(e.status))),
        ]);
    }
    table.print(out, colour)?;
    let attention: Vec<&Row> = rows.iter().filter(|r| r.evaluation.status.needs_attention()).collect();
    if !attention.is_empty() {
        writeln!(out, "\n需关注的目标:")?;
        for row in attention {
            writeln!(
                out,
                "  {} {}·{}:{}",
                row.target.id,
                row.org_unit,
                row.target.indicator,
                i18n::explain(row.target, &row.evaluation, lang)
            )?;
        }
    }
    Ok(())
}
