//! 数据校验 (data checks): what the validation rules find in the stored values and the rules
//! file the plan office edits; and an upload's preview, which shows what a file would change
//! before anything is written.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use plan361_core::access::Action;
use plan361_core::i18n::{self, Labelled};
use plan361_core::validation::{Check, Rules};
use plan361_store::{ChangeKind, ImportRow, ObservationState, RowPreview};
use plan361_views::pages::{ChecksPage, PreviewRow, UploadPreviewPage};
use plan361_views::table::{Cell, Table};
use serde::{Deserialize, Serialize};

use super::tasks::{TasksQuery, notice};
use super::{OrPage, page_error};
use crate::AppState;
use crate::auth::{PageUser, Signed};
use crate::error::Problem;
use crate::extract::{PageForm, PageQuery};
use crate::render::{PageError, Section, Ui, enter, page, render, shown_again, xlsx_download};
use crate::service::Upload;

/// A row of an upload carried from the preview to the confirmation.
#[derive(Serialize, Deserialize)]
struct PendingRow {
    row: usize,
    target: String,
    org_unit: String,
    period: String,
    value: f64,
    comment: String,
    revision: Option<i64>,
}

impl PendingRow {
    fn of(row: &ImportRow) -> PendingRow {
        PendingRow {
            row: row.row,
            target: row.target.clone(),
            org_unit: row.org_unit.clone(),
            period: row.period.to_string(),
            value: row.value,
            comment: row.comment.clone(),
            revision: row.revision,
        }
    }

    fn import_row(self) -> Result<ImportRow, Problem> {
        let period = self.period.parse().map_err(|e: plan361_core::period::PeriodError| {
            Problem::bad_request(format!("rows: row {}: {e}", self.row))
        })?;
        Ok(ImportRow {
            sheet: None,
            row: self.row,
            target: self.target,
            org_unit: self.org_unit,
            period,
            value: self.value,
            comment: self.comment,
            revision: self.revision,
        })
    }
}

fn preview_row(p: &RowPreview, ui: &Ui) -> PreviewRow {
    let current = match (p.current_value, p.current_state) {
        (Some(v), Some(s)) => format!("{} ({})", i18n::number(v, ""), s.label(ui.lang)),
        _ => "—".into(),
    };
    PreviewRow {
        row: p.row,
        target: p.target_id.clone(),
        org_unit: p.org_unit.clone(),
        period: p.period.to_string(),
        value: i18n::number(p.value, ""),
        current,
        change: p.change.label_zh(),
        change_class: p.change.code(),
        note: if p.reason.is_empty() { p.warnings.join(";") } else { p.reason.clone() },
    }
}

/// What an upload would change, row by row (nothing written), with a button to import it
/// when nothing conflicts.
pub async fn preview_page(state: &AppState, user: &Signed, ui: &Ui, upload: Upload) -> Result<Response, PageError> {
    let w = ui.w;
    let preview = state.store.preview_import(&user.actor, &upload.rows, ObservationState::Draft).await.or_page(ui)?;
    let rows: Vec<PreviewRow> = preview.iter().map(|p| preview_row(p, ui)).collect();
    let count = |kind: ChangeKind| preview.iter().filter(|p| p.change == kind).count();
    let summary = [ChangeKind::New, ChangeKind::Changed, ChangeKind::Unchanged, ChangeKind::Conflict]
        .map(|kind| format!("{} {}", kind.label_zh(), count(kind)))
        .join(" · ");
    let pending: Vec<PendingRow> = upload.rows.iter().map(PendingRow::of).collect();
    let rows_json = serde_json::to_string(&pending).map_err(|e| page_error(ui, crate::error::internal(&e)))?;
    let conflicts = count(ChangeKind::Conflict) > 0;
    let content = render(&UploadPreviewPage {
        w,
        csrf: &user.csrf,
        file_name: &upload.name,
        sha256: &upload.hash,
        rows_json: &rows_json,
        rows: &rows,
        summary: &summary,
        conflicts,
        changes: count(ChangeKind::New) + count(ChangeKind::Changed) > 0,
    })
    .or_page(ui)?;
    let shown = page(state, ui, user, Section::Tasks, w.upload_preview, &content, false)?;
    Ok(if conflicts { (StatusCode::CONFLICT, shown).into_response() } else { shown })
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    file_name: String,
    sha256: String,
    rows: String,
}

/// Imports the rows of a previewed upload, all or none, with every check made again.
pub async fn confirm_upload(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ui: Ui,
    PageForm(confirm): PageForm<ConfirmForm>,
) -> Result<Response, PageError> {
    enter(&state, &ui, &user, Section::Tasks)?;
    let pending: Vec<PendingRow> = serde_json::from_str(&confirm.rows)
        .map_err(|e| page_error(&ui, Problem::bad_request(format!("rows: not the rows of a preview ({e})"))))?;
    let rows = pending.into_iter().map(PendingRow::import_row).collect::<Result<Vec<_>, _>>().or_page(&ui)?;
    let name: String = confirm.file_name.chars().take(200).collect();
    let hash: String = confirm.sha256.chars().take(64).collect();
    let report = state.store.import(&user.actor, &name, &hash, &rows, ObservationState::Draft, &|_| {}).await;
    let report = report.or_page(&ui)?;
    Ok(Redirect::to(&format!("/tasks?done=import&count={}", report.created + report.updated)).into_response())
}

/// The rules in force, one line each: the office's and the defaults they leave.
fn rules_table(rules: &Rules, ui: &Ui) -> Table {
    let w = ui.w;
    let mut table = Table::new(w.checks_rules, &[w.check_rule, w.check_applies, w.check_severity, w.check_threshold]);
    let general = Check::ALL.into_iter().filter(|c| *c != Check::Range).map(|c| rules.effective(c, ""));
    let own = rules.rules.iter().filter(|r| r.target.is_some()).cloned();
    for rule in general.chain(own) {
        let threshold = match (rule.threshold, rule.min, rule.max) {
            (Some(t), _, _) => i18n::number(t, ""),
            (None, None, None) => "—".into(),
            (None, min, max) => format!(
                "{}—{}",
                min.map_or_else(|| "—".into(), |v| i18n::number(v, "")),
                max.map_or_else(|| "—".into(), |v| i18n::number(v, ""))
            ),
        };
        table.push(vec![
            Cell::text(format!("{} ({})", rule.check.label_zh(), rule.check.code())),
            rule.target
                .map_or_else(|| Cell::text(w.check_every_target), |t| Cell::link(t.clone(), format!("/targets/{t}"))),
            Cell::text(rule.severity.label_zh()),
            Cell::text(threshold),
        ]);
    }
    table
}

/// The page, with the rules file as typed and its error when saving it was refused (422).
async fn checks_page(
    state: &AppState,
    user: &Signed,
    ui: &Ui,
    query: &TasksQuery,
    refused: Option<(&str, String)>,
) -> Result<Response, PageError> {
    let w = ui.w;
    let found = state.store.check_data(&user.actor).await.or_page(ui)?;
    let mut findings = Table::new(
        w.checks_findings,
        &[w.id, w.org_unit, w.period, w.value, w.state, w.check_rule, w.check_severity, w.check_message],
    );
    for f in &found {
        let Ok(key) = f.target_id.parse::<plan361_core::plan::TargetKey>();
        let id = key.id;
        findings.push(vec![
            Cell::link(f.target_id.clone(), format!("/targets/{id}")),
            Cell::text(f.org_unit.clone()),
            Cell::text(f.period.to_string()),
            Cell::Number { shown: i18n::number(f.value, ""), value: Some(f.value) },
            Cell::text(f.state.label(ui.lang)),
            Cell::text(f.check.label_zh()),
            Cell::text(f.severity.label_zh()),
            Cell::text(f.message.clone()),
        ]);
    }
    let stored = state.store.validation_rules().await.or_page(ui)?;
    let rules = rules_table(&stored, ui);
    if query.format.as_deref() == Some("xlsx") {
        return xlsx_download(w.checks, &[&findings, &rules]);
    }
    let shown_rules = if stored.rules.is_empty() { Rules { rules: Rules::defaults() } } else { stored };
    let (rules_text, rules_error) = match refused {
        Some((typed, error)) => (typed.to_string(), error),
        None => (shown_rules.to_toml(), String::new()),
    };
    let notice = notice(ui, query.done.as_deref(), query.count);
    let content = render(&ChecksPage {
        w,
        csrf: &user.csrf,
        notice: notice.as_deref(),
        findings: &findings,
        rules: &rules,
        rules_text: &rules_text,
        rules_error: &rules_error,
        may_edit: state.allowed(&user.actor, Action::ManagePlan),
    })
    .or_page(ui)?;
    let shown = page(state, ui, user, Section::Checks, w.checks, &content, true)?;
    Ok(shown_again(shown, !rules_error.is_empty()))
}

pub async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ui: Ui,
    PageQuery(query): PageQuery<TasksQuery>,
) -> Result<Response, PageError> {
    enter(&state, &ui, &user, Section::Checks)?;
    checks_page(&state, &user, &ui, &query, None).await
}

#[derive(Deserialize)]
pub struct RulesForm {
    rules: String,
}

/// Saves the rules file (the plan office); a refused file is shown again as typed, with the
/// line at fault.
pub async fn save_rules(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    ui: Ui,
    PageForm(RulesForm { rules: typed }): PageForm<RulesForm>,
) -> Result<Response, PageError> {
    let plan = state.store.current_plan().await.or_page(&ui)?;
    let rules = match Rules::parse(&typed, &plan) {
        Ok(rules) => rules,
        Err(error) => return checks_page(&state, &user, &ui, &TasksQuery::default(), Some((&typed, error))).await,
    };
    state.store.set_validation_rules(&user.actor, &rules).await.or_page(&ui)?;
    Ok(Redirect::to("/checks?done=saved").into_response())
}
