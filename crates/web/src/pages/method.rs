//! 《评价方法说明》: how every figure of the evaluation is computed, in plain Chinese, with one
//! worked example per kind of target. The examples are evaluated by the engine itself when the
//! page is drawn, on the plan in force: the numbers the page explains are always the numbers the
//! system computes.

use axum::extract::State;
use axum::response::Response;
use plan361_core::Period;
use plan361_core::eval::{Decompositions, DueBy, Observations, Point, evaluate_plan};
use plan361_core::i18n;
use plan361_views::pages::{Fact, MethodExample, MethodPage};

use super::{OrPage, chip, goal_text, percent};
use crate::auth::PageUser;
use crate::render::{PageError, Section, Ui, page, render};
use crate::{AppState, service};

/// One worked example: a target of the plan, the values reported, and the period evaluated.
pub struct Example {
    pub kind: &'static str,
    pub target: &'static str,
    /// (measure, period, value); a measure for a two-sided target.
    pub values: &'static [(Option<&'static str>, &'static str, f64)],
    pub at: &'static str,
}

/// One example per kind of target (DESIGN §3A), each a case of `tests/scenarios/cases.toml`.
pub const EXAMPLES: [Example; 10] = [
    Example {
        kind: "规模(期末数)",
        target: "7.1.1",
        values: &[(None, "2025", 30.0), (None, "2026", 30.0)],
        at: "2026",
    },
    Example {
        kind: "规模(1—N月累计)",
        target: "0.3",
        values: &[(None, "2024", 6000.0), (None, "2025", 6100.0)],
        at: "2025",
    },
    Example { kind: "累计", target: "3.3.1", values: &[(None, "2025-12", 115.0)], at: "2025-12" },
    Example {
        kind: "新增(起始月以来累计)", target: "1.2.1", values: &[(None, "2025-12", 10.0)], at: "2025-12"
    },
    Example { kind: "每年", target: "1.4.2", values: &[(None, "2026-06", 50.0)], at: "2026-06" },
    Example {
        kind: "达标线(保持…以上)",
        target: "2.1.1",
        values: &[(None, "2026-05", 98.0), (None, "2026-06", 97.99)],
        at: "2026-06",
    },
    Example { kind: "清零", target: "7.3.1", values: &[(None, "2025Q4", 12.0), (None, "2026Q4", 9.0)], at: "2026Q4" },
    Example { kind: "保持稳定", target: "7.4.3", values: &[(None, "2025", 2.0), (None, "2026", 1.9)], at: "2026" },
    Example {
        kind: "提升方向(双提升)",
        target: "2.1.2",
        values: &[
            (Some("rank"), "2025", 5.0),
            (Some("rank"), "2026", 4.0),
            (Some("share"), "2025", 30.0),
            (Some("share"), "2026", 31.0),
        ],
        at: "2026",
    },
    Example { kind: "节点任务", target: "0.5", values: &[(None, "2026Q2", 36.0)], at: "2026Q2" },
];

pub async fn show(State(state): State<AppState>, PageUser(user): PageUser, ui: Ui) -> Result<Response, PageError> {
    let at = service::last_ended_month(&state);
    let evaluated = state.cache.evaluated(&state.store, at).await.or_page(&ui)?;
    let input = &evaluated.input;
    let city = input.org_units.position(&input.org_units.city().name).unwrap_or_default();
    let examples: Vec<MethodExample> = EXAMPLES
        .iter()
        .filter_map(|example| {
            let t = input.plan.targets().iter().position(|t| t.id == example.target)?;
            let target = &input.plan.targets()[t];
            let mut observations = Observations::default();
            let mut reported = Vec::new();
            for (measure, period, value) in example.values {
                let period: Period = period.parse().ok()?;
                observations.insert(t, city, *measure, Point { period, value: *value });
                let unit = measure
                    .and_then(|m| target.measures.iter().find(|x| x.key == m))
                    .map_or(target.unit.as_str(), |m| m.unit.as_str());
                let name = measure.and_then(|m| target.measures.iter().find(|x| x.key == m)).map(|m| m.name.as_str());
                reported.push(format!(
                    "{}{} {}",
                    name.map_or(String::new(), |n| format!("{n} ")),
                    i18n::data_period_label(target, period, ui.lang),
                    i18n::quantity(*value, unit)
                ));
            }
            let at: Period = example.at.parse().ok()?;
            let rows = evaluate_plan(
                &input.plan,
                &input.org_units,
                &observations,
                &Decompositions::new(),
                at,
                &DueBy::default(),
            );
            let row = rows
                .into_iter()
                .find(|r| r.target.id == example.target && r.org_unit == input.org_units.city().name)?;
            let e = &row.evaluation;
            let w = ui.w;
            let mut facts = vec![Fact { label: w.target, value: goal_text(e, target, ui.lang) }];
            if let Some(base) = e.baseline {
                facts.push(Fact {
                    label: w.baseline_used,
                    value: format!(
                        "{} · {}",
                        i18n::quantity(base.value, &target.unit),
                        i18n::data_period_label(target, base.period, ui.lang)
                    ),
                });
            }
            facts.extend([
                Fact {
                    label: w.progress,
                    value: i18n::progress_shown(e, ui.lang).map_or_else(|| "—".into(), |(_, text)| text),
                },
                Fact { label: w.expected, value: percent(e.expected) },
                Fact { label: w.lag, value: e.lag_pp.map_or_else(|| "—".into(), |l| format!("{l:+.1}")) },
                Fact { label: w.actual_cagr, value: percent(e.actual_cagr) },
                Fact {
                    label: w.projected,
                    value: e.projected.map_or_else(|| "—".into(), |p| i18n::quantity(p, &target.unit)),
                },
            ]);
            Some(MethodExample {
                kind: example.kind,
                target: format!("{} {}", target.id, target.indicator),
                clause: target.source_text.clone(),
                basis: format!(
                    "{}报送,{}",
                    i18n::frequency_label(target.frequency, ui.lang),
                    i18n::basis_label(target, ui.lang)
                ),
                reported: reported.join(";"),
                at: i18n::period_label(at, ui.lang),
                facts,
                status: chip(e.status, ui.lang),
                sentence: i18n::explain(target, e, ui.lang),
            })
        })
        .collect();
    let content = render(&MethodPage { w: ui.w, examples: &examples }).or_page(&ui)?;
    page(&state, &ui, &user, Section::Method, ui.w.method, &content, false)
}
