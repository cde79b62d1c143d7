//! Files in and out of the database: the reporting form (`template`), `import` of filled forms
//! and CSVs, and `export` of a period's values with their evaluation.

use plan361_core::i18n::Labelled;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use plan361_core::Period;
use plan361_core::eval::EvalRecord;
use plan361_core::i18n::{self, Lang};
use plan361_files::xlsx::{self, Cell, Table};
use plan361_store::{DutyPeriods, Observation, ObservationFilter, ObservationState, Store, StoreError};
use plan361_web::Upload;

use super::db::DbArgs;

/// The values a unit reports for a period: a department the city's values of targets it is
/// responsible for, a district its share of targets decomposed to it; every measure of a
/// two-sided target on a line of its own.
pub async fn template(
    store: Store,
    db: &DbArgs,
    unit: &str,
    period: Period,
    output: &Path,
) -> anyhow::Result<ExitCode> {
    let actor = db.actor(&store).await?;
    let plan = store.plan_at(period).await?;
    let org_units = store.org_units().await?;
    let Some(org) = org_units.get(unit) else { bail!("--unit: unknown org unit \"{unit}\"") };
    let duties = store.duties(&actor, &plan, unit, org.kind, DutyPeriods::Of(period)).await?;
    if duties.is_empty() {
        bail!(
            "{unit} has no values to report for {period} (frequency, responsibility, decomposed goals and what --as {} may write considered)",
            actor.username
        );
    }
    let approved = store.eval_input(period, false).await?;
    let rows = plan361_web::form_rows(&plan, &duties, &approved, Lang::Zh);
    let title = format!("{} 数据填报表 · {unit} · {}", plan.meta().title, i18n::period_label(period, Lang::Zh));
    let due = store.windows().await?.due_date(period);
    let instructions = [
        format!("请于 {due} 前填写黄色单元格(本期值、情况说明)后提交;灰色单元格为系统信息,请勿修改。"),
        "本期值按计量单位和填报口径填写:期末数填本期末的数值,1—N月累计填本年1月至本期累计数,“起累计新增”填自起始月以来累计新增数;节点任务填完成进度(%,100表示已完成)。".to_string(),
        "填好后在系统“我的任务”页面上传,或运行 plan361 import 文件名 导入;每一行错误都会注明工作表、行、列和原因。".to_string(),
    ];
    let lines: Vec<&str> = instructions.iter().map(String::as_str).collect();
    let bytes = xlsx::write_form(&title, &lines, &rows).map_err(anyhow::Error::msg)?;
    std::fs::write(output, bytes).with_context(|| format!("cannot write {}", output.display()))?;
    println!("已生成填报表 {}:{} 行", output.display(), rows.len());
    Ok(ExitCode::SUCCESS)
}

/// A file's bytes, unless it is larger than the readers take (then why, without reading it).
pub fn read_bounded(path: &Path) -> anyhow::Result<Result<Vec<u8>, String>> {
    let name = path.display().to_string();
    let size = std::fs::metadata(path).with_context(|| format!("cannot read {name}"))?.len();
    if size > plan361_files::limits::MAX_FILE_BYTES as u64 {
        return Ok(Err(plan361_files::limits::too_large(size as usize)));
    }
    Ok(Ok(std::fs::read(path).with_context(|| format!("cannot read {name}"))?))
}

/// Reads an observation file: a CSV (UTF-8, with or without BOM, or GB18030) or a workbook.
fn read_file(
    path: &Path,
    plan: &plan361_core::plan::Plan,
    org_units: &plan361_core::org::OrgUnits,
) -> anyhow::Result<Result<Upload, String>> {
    let name = path.display().to_string();
    let bytes = match read_bounded(path)? {
        Ok(bytes) => bytes,
        Err(refusal) => return Ok(Err(format!("{name}: {refusal}"))),
    };
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    if !matches!(extension.as_str(), "csv" | "txt" | "xlsx" | "xlsm" | "xlsb" | "xls" | "ods") {
        bail!("{name}: expected a .csv, .xlsx or .xls file");
    }
    Ok(plan361_web::read_form(&name, &bytes, plan, org_units).map_err(|errors| errors.to_string()))
}

pub async fn import(
    store: Store,
    db: &DbArgs,
    file: &Path,
    state: ObservationState,
    dry_run: bool,
) -> anyhow::Result<ExitCode> {
    let actor = db.actor(&store).await?;
    let plan = store.current_plan().await?;
    let org_units = store.org_units().await?;
    let upload = match read_file(file, &plan, &org_units)? {
        Ok(upload) => upload,
        Err(errors) => {
            eprintln!("{errors}");
            return Ok(ExitCode::FAILURE);
        }
    };
    if upload.rows.is_empty() {
        println!("{}:没有填写任何数值 (no values in the file)", file.display());
        return Ok(ExitCode::SUCCESS);
    }
    let (name, import_rows) = (&upload.name, &upload.rows);
    if dry_run {
        return match store.preview_import(&actor, import_rows, state).await {
            Ok(preview) => {
                super::checks::print_preview(name, &preview)?;
                let conflict = preview.iter().any(|p| p.change == plan361_store::ChangeKind::Conflict);
                Ok(if conflict { ExitCode::FAILURE } else { ExitCode::SUCCESS })
            }
            Err(StoreError::Rejected(problems)) => Ok(report_rejected(name, &problems)),
            Err(e) => Err(e.into()),
        };
    }
    let bar = indicatif::ProgressBar::new(import_rows.len() as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} 导入 importing [{bar:40}] {pos}/{len} 行")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let progress = |done: usize| bar.set_position(done as u64);
    let result = store.import(&actor, name, &upload.hash, import_rows, state, &progress).await;
    bar.finish_and_clear();
    match result {
        Ok(report) if report.created + report.updated == 0 => {
            println!("{name}:{} 行均与库中数据相同,未作改动 (nothing changed)", report.rows);
            Ok(ExitCode::SUCCESS)
        }
        Ok(report) => {
            println!(
                "已导入 {name}:{} 行,新增 {},更新 {},未变 {}(状态:{})",
                report.rows,
                report.created,
                report.updated,
                report.unchanged,
                state.label_zh()
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(StoreError::Rejected(problems)) => Ok(report_rejected(name, &problems)),
        Err(StoreError::ImportConflict(problems)) => {
            report_rejected(name, &problems);
            eprintln!(
                "这些行在填报表生成后已被修改,或已报送/审核;请重新生成填报表 (changed since the form was made, or submitted/approved)"
            );
            Ok(ExitCode::FAILURE)
        }
        Err(e) => Err(e.into()),
    }
}

/// The columns of an export: the import columns first, so an exported CSV imports again.
const EXPORT_COLUMNS: [&str; 18] = [
    "target_id",
    "org_unit",
    "period",
    "value",
    "comment",
    "indicator",
    "unit",
    "state",
    "revision",
    "approved_value",
    "updated_by",
    "completion",
    "progress",
    "expected",
    "lag_pp",
    "status",
    "status_label",
    "explanation",
];

pub async fn export(store: Store, db: &DbArgs, period: Period, output: &PathBuf) -> anyhow::Result<ExitCode> {
    let actor = db.actor(&store).await?;
    let input = store.eval_input(period, false).await?;
    let records: Vec<EvalRecord> =
        input.evaluate(period).iter().map(|row| EvalRecord::from_row(row, Lang::Zh)).collect();
    let by_key: HashMap<(&str, &str), &EvalRecord> =
        records.iter().map(|r| ((r.target_id.as_str(), r.org_unit.as_str()), r)).collect();
    let filter = ObservationFilter { period: Some(period), ..Default::default() };
    let observations = store.observations(&actor, &filter).await?;
    let rows: Vec<Vec<Cell>> = observations
        .iter()
        .map(|o| {
            let evaluation = by_key.get(&(o.target_id.as_str(), o.org_unit.as_str())).copied();
            observation_cells(o, &input.plan, evaluation)
        })
        .collect();
    let extension = output.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    match extension.as_str() {
        "csv" => {
            let bytes = plan361_files::table::write_csv(&EXPORT_COLUMNS, &rows).map_err(anyhow::Error::msg)?;
            std::fs::write(output, bytes).with_context(|| format!("cannot write {}", output.display()))?;
        }
        "xlsx" => {
            let evaluation: Vec<Vec<Cell>> = records.iter().map(|r| record_cells(r, &input.plan)).collect();
            let bytes = xlsx::write_tables(&[
                Table { sheet: "评价结果", headers: &RECORD_HEADERS, rows: &evaluation },
                Table { sheet: "报送数据", headers: &EXPORT_COLUMNS, rows: &rows },
            ])
            .map_err(anyhow::Error::msg)?;
            std::fs::write(output, bytes).with_context(|| format!("cannot write {}", output.display()))?;
        }
        _ => bail!("-o {}: expected a .xlsx or .csv file", output.display()),
    }
    println!("已导出 {}:{} 条报送数据,{} 条评价结果", output.display(), rows.len(), records.len());
    Ok(ExitCode::SUCCESS)
}

/// The evaluation as the pages show it (DESIGN §3A.8): 目标进度, 序时进度 and 差距 on one scale;
/// 完成率 labelled for what it is.
const RECORD_HEADERS: [&str; 15] = [
    "编号",
    "指标",
    "报送单位",
    "最新值",
    "计量单位",
    "数据期",
    "目标年",
    "目标值",
    "目标进度",
    "序时进度",
    "差距(百分点)",
    "完成率(现值÷目标值)",
    "推算目标年值",
    "状态",
    "情况分析",
];

fn record_cells(r: &EvalRecord, plan: &plan361_core::plan::Plan) -> Vec<Cell> {
    let target = plan.target(&r.target_id);
    let indicator = target.map_or("", |t| t.indicator.as_str());
    vec![
        r.target_id.as_str().into(),
        indicator.into(),
        r.org_unit.as_str().into(),
        r.value.into(),
        target.map_or("", |t| t.unit.as_str()).into(),
        r.data_period.clone().unwrap_or_default().into(),
        r.target_year.map(f64::from).into(),
        r.target_value.into(),
        r.progress.map_or(Cell::Empty, Cell::Percent),
        r.expected.map_or(Cell::Empty, Cell::Percent),
        r.lag_pp.map_or(Cell::Empty, Cell::Points),
        r.completion.map_or(Cell::Empty, Cell::Percent),
        r.projected.into(),
        r.status_label.into(),
        r.explanation.as_str().into(),
    ]
}

fn observation_cells(o: &Observation, plan: &plan361_core::plan::Plan, evaluation: Option<&EvalRecord>) -> Vec<Cell> {
    let target = plan.target(&o.target_id);
    let number = |value: Option<f64>| value.map_or(Cell::Empty, Cell::Number);
    vec![
        o.target_key().into(),
        o.org_unit.as_str().into(),
        o.period.to_string().into(),
        Cell::Number(o.value),
        o.comment.as_str().into(),
        target.map_or("", |t| t.indicator.as_str()).into(),
        target.map_or("", |t| t.unit.as_str()).into(),
        o.state.code().into(),
        Cell::Number(o.revision as f64),
        number(o.approved_value),
        o.updated_by.as_str().into(),
        number(evaluation.and_then(|e| e.completion)),
        number(evaluation.and_then(|e| e.progress)),
        number(evaluation.and_then(|e| e.expected)),
        number(evaluation.and_then(|e| e.lag_pp)),
        evaluation.map_or("", |e| e.status).into(),
        evaluation.map_or("", |e| e.status_label).into(),
        evaluation.map_or("", |e| e.explanation.as_str()).into(),
    ]
}

/// Prints the rows the store refused, one per line as `FILE:ROW: column C: reason`.
pub fn report_rejected(file: &str, rejection: &plan361_store::Rejection) -> ExitCode {
    for p in rejection.iter() {
        let column = p.column.as_deref().map(|c| format!(": column {c}")).unwrap_or_default();
        eprintln!("{file}:{}{column}: {}", p.row, p.reason);
    }
    if rejection.total > rejection.len() {
        eprintln!("… and {} more", rejection.total - rejection.len());
    }
    eprintln!("{} row(s) rejected; nothing was imported", rejection.total);
    ExitCode::FAILURE
}
