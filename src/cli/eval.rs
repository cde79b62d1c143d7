//! `plan361 eval`: the whole plan evaluated at a period, as a table or as JSON.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use plan361_core::Period;
use plan361_core::eval::{self, Decompositions, Observations, Point, Record, Row, Status};
use plan361_core::i18n::{self, Lang};
use plan361_core::org::OrgUnits;
use plan361_core::plan::Plan;
use plan361_files::observations;

use super::table::{Align, Colour, Table, colour_stdout};

#[derive(clap::Args)]
pub struct EvalArgs {
    /// Observations CSV with the header target_id,org_unit,period,value.
    #[arg(long, value_name = "FILE.csv")]
    data: PathBuf,
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

pub fn run(plan: &Plan, org_units: &OrgUnits, args: &EvalArgs) -> anyhow::Result<ExitCode> {
    let name = args.data.display().to_string();
    let bytes = std::fs::read(&args.data).with_context(|| format!("cannot read {name}"))?;
    let (text, _) = plan361_files::text::decode(&bytes);
    let rows = match observations::read_csv(&name, &text, plan, org_units) {
        Ok(rows) => rows,
        Err(errors) => {
            eprintln!("{errors}");
            return Ok(ExitCode::FAILURE);
        }
    };
    let mut data = Observations::default();
    for row in rows {
        data.insert(row.target, row.org_unit, row.measure.as_deref(), Point { period: row.period, value: row.value });
    }
    let evaluated = eval::evaluate_plan(plan, org_units, &data, &Decompositions::new(), args.at);
    let mut out = std::io::stdout().lock();
    if args.json {
        let records: Vec<Record> = evaluated.iter().map(|row| Record::from_row(row, args.lang)).collect();
        serde_json::to_writer_pretty(&mut out, &records)?;
        writeln!(out)?;
    } else {
        print_table(&mut out, &evaluated, args.at, args.lang)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn print_table(out: &mut impl Write, rows: &[Row], at: Period, lang: Lang) -> anyhow::Result<()> {
    let colour = colour_stdout();
    writeln!(out, "评价期 {}", i18n::period_label(at, lang))?;
    let mut table = Table::new(&[
        ("编号", Align::Left),
        ("单位", Align::Left),
        ("指标", Align::Left),
        ("当前值", Align::Right),
        ("目标", Align::Right),
        ("完成率", Align::Right),
        ("序时进度", Align::Right),
        ("差距(百分点)", Align::Right),
        ("状态", Align::Left),
    ]);
    let dash = || "—".to_string();
    for row in rows {
        let e = &row.evaluation;
        let unit = &row.target.unit;
        let target = match (e.target_year, e.target_value) {
            (Some(year), Some(value)) => format!("{year}年 {}", i18n::quantity(value, unit)),
            (None, Some(value)) => i18n::quantity(value, unit),
            _ => dash(),
        };
        table.row(vec![
            (row.target.id.clone(), None),
            (row.org_unit.to_string(), None),
            (row.target.indicator.clone(), None),
            (e.value.map_or_else(dash, |v| i18n::quantity(v, unit)), None),
            (target, None),
            (e.completion.map_or_else(dash, i18n::percent), None),
            (e.expected.map_or_else(dash, i18n::percent), None),
            (e.lag_pp.map_or_else(dash, |lag| format!("{lag:+.1}")), None),
            (i18n::status_label(e.status, lang).to_string(), Some(Colour::of_status(e.status))),
        ]);
    }
    table.print(out, colour)?;
    let attention: Vec<&Row> = rows
        .iter()
        .filter(|r| matches!(r.evaluation.status, Status::NeedsAcceleration | Status::OffTrack | Status::MovingAway))
        .collect();
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
