//! SYNTHETIC reported values: what the responsible units would have reported for every target
//! that is not counted from the lists, each on its own frequency and basis (DESIGN §3A.1), from
//! the plan's start to the month before `today`.
//!
//! Each target moves along the path the plan expects at a pace of its own (1 keeps the pace,
//! above is ahead, below lags, below 0 moves away), so that the demo shows every status; flows
//! are reported 1–N月 with the Spring Festival's dip; district values of decomposed targets are
//! shares of the city's after the published district output figures. Where a public figure
//! exists for a reported value at its date, the demo reports exactly that figure.

use plan361_core::Period;
use plan361_core::eval::{MILESTONE_DONE, expected_value};
use plan361_core::plan::{Basis, Goal, Kind, Plan, Target, TargetKey};
use plan361_core::units;

use crate::{DISTRICT_OUTPUT_2024_JAN_MAY, Rng, output_share};

/// One synthetic value as a unit would report it: `target` is a target id, or `id:measure`.
#[derive(Clone, Debug, PartialEq)]
pub struct Reported {
    pub target: String,
    pub org_unit: &'static str,
    pub period: Period,
    pub value: f64,
}

/// The city's name in the values generated.
pub const CITY: &str = "宁波市";

/// Targets decomposed to the districts (目标分解) in the demo: their goals are the districts'
/// output shares of the city's, and the districts report their own values (0.1 comes from the
/// microdata). Counted targets get their district goals from their baseline counts instead.
pub const DECOMPOSED: [&str; 2] = ["0.1", "2.3.2"];

/// Paces chosen for the story the demo tells; other targets draw theirs.
const PACES: [(&str, f64); 11] = [
    ("0.1", 1.04),
    ("0.2", 0.78),
    ("0.4", 0.55),
    ("5.3.1", 1.6),
    ("1.3.3", 9.0),
    ("4.3.3", 1.2),
    ("6.1.1", -0.6),
    ("7.4.1", 0.97),
    ("6.2.2", 1.6),
    ("4.2.1", 0.35),
    ("7.3.1", 0.5),
];

/// Levels at the baseline where the plan states none but a public figure bounds them: 高新技术
/// 企业 numbered 3,102 in 2020 and over 10,000 in 2025.
const STARTS: [(&str, f64); 1] = [("1.3.3", 9300.0)];

/// Targets nobody reports yet, as happens with indicators no one publishes.
const NO_DATA: [&str; 2] = ["7.2.1", "6.1.2"];

/// Monthly targets whose last month is left unreported (overdue).
pub const OVERDUE: [&str; 2] = ["4.2.2", "1.2.2"];

/// Public figures the demo reports exactly, at their dates: 2025 1–9月 goods exports.
pub const PUBLIC_FIGURES: [(&str, Period, f64); 1] = [("7.4.1", Period::Quarter { year: 2025, quarter: 3 }, 0.73934)];

/// The share of a year's flow that falls in each month: the Spring Festival makes January and
/// February the weakest months.
const MONTH_WEIGHTS: [f64; 12] = [0.072, 0.058, 0.085, 0.085, 0.086, 0.087, 0.084, 0.083, 0.086, 0.088, 0.092, 0.094];

/// The share of a year's flow reported by the end of `period` (1–N月).
fn ytd_share(period: Period) -> f64 {
    MONTH_WEIGHTS.iter().take(usize::from(period.months_elapsed())).sum()
}

/// Every synthetic value for `plan` up to the month before `today`: the city's for every
/// reported target with data, the districts' for the decomposed ones.
pub fn generate(plan: &Plan, seed: u64, today: Period) -> Vec<Reported> {
    let mut rows = Vec::new();
    for target in plan.targets().iter().filter(|t| !t.is_derived() && !NO_DATA.contains(&t.id.as_str())) {
        let mut rng = Rng::for_key(seed, &target.id);
        let pace = PACES.iter().find(|(id, _)| *id == target.id).map_or_else(|| draw_pace(&mut rng), |(_, p)| *p);
        let mut periods = periods(target, plan.meta().baseline_year, today);
        if OVERDUE.contains(&target.id.as_str()) {
            periods.pop();
        }
        let city = series(target, plan, pace, &periods, &mut rng);
        if DECOMPOSED.contains(&target.id.as_str()) {
            rows.extend(districts(target, &city));
        }
        rows.extend(city.into_iter().map(|(key, period, value)| Reported {
            target: key,
            org_unit: CITY,
            period,
            value,
        }));
    }
    for (id, period, value) in PUBLIC_FIGURES {
        if let Some(row) = rows.iter_mut().find(|r| r.target == id && r.org_unit == CITY && r.period == period) {
            row.value = value;
        }
    }
    rows
}

/// A pace of its own: ahead, on the path or lagging, a third of targets each.
fn draw_pace(rng: &mut Rng) -> f64 {
    let draw = rng.unit();
    if draw < 0.3 {
        rng.between(1.05, 1.4)
    } else if draw < 0.65 {
        rng.between(0.95, 1.1)
    } else {
        rng.between(0.45, 0.9)
    }
}

/// The periods a target is reported for, on its frequency: from its baseline period (so that a
/// baseline the plan does not state is reported) — a year earlier for flows, so that a year can
/// be compared with the last — to the last period ended before `today`.
fn periods(target: &Target, baseline_year: i32, today: Period) -> Vec<Period> {
    let last = target.frequency.last_ended_by(today.previous_month());
    let first = match target.basis {
        Basis::SinceStart(start) => target.frequency.period_containing(start),
        Basis::Ytd => target.frequency.period_containing(Period::month(baseline_year, 1)),
        Basis::Stock => target.frequency.closing(baseline_year),
    };
    Period::months_between(first, last)
        .map(|m| target.frequency.period_containing(m))
        .filter(|p| p.end_month_index() <= last.end_month_index())
        .fold(Vec::new(), |mut periods, p| {
            if periods.last() != Some(&p) {
                periods.push(p);
            }
            periods
        })
}

/// The value the plan expects at the end of `period`, from `start` at the baseline.
fn planned(target: &Target, plan: &Plan, start: f64, path: &[plan361_core::plan::Milestone], period: Period) -> f64 {
    let t0 = Period::Year(target.baseline.as_ref().map_or(plan.meta().baseline_year, |b| b.year)).end_month_index();
    expected_value(start, t0, path, period.end_month_index())
}

/// The city's series of one target: (target key, period, value).
fn series(target: &Target, plan: &Plan, pace: f64, periods: &[Period], rng: &mut Rng) -> Vec<(String, Period, f64)> {
    let unit = target.unit.as_str();
    let point = |period: Period, value: f64| (target.id.clone(), period, units::round_like(value, unit));
    match (&target.goal, target.kind, target.basis) {
        (Goal::Path(path), Kind::Level, Basis::Ytd) => {
            let first = path.first().map_or(1.0, |m| m.value);
            let start = target.baseline.as_ref().map_or(first * rng.between(0.8, 0.88), |b| b.value);
            let year_total = |year: i32, rng: &mut Rng| {
                let planned = planned(target, plan, start, path, Period::Year(year));
                (start + (planned - start) * pace) * (1.0 + rng.between(-0.01, 0.01))
            };
            let mut totals: Vec<(i32, f64)> = Vec::new();
            periods
                .iter()
                .map(|&period| {
                    let year = period.year();
                    let total = match totals.iter().find(|(y, _)| *y == year) {
                        Some((_, total)) => *total,
                        None => {
                            let total = year_total(year, rng);
                            totals.push((year, total));
                            total
                        }
                    };
                    point(period, total * ytd_share(period))
                })
                .collect()
        }
        (Goal::Path(path), Kind::Level | Kind::Cumulative | Kind::Increment | Kind::Zero, _) => {
            let first = path.first().map_or(1.0, |m| m.value);
            let known = STARTS.iter().find(|(id, _)| *id == target.id).map(|(_, v)| *v);
            let start = match (target.baseline.as_ref(), target.kind, target.basis) {
                (Some(b), _, _) => b.value,
                (None, _, _) if known.is_some() => known.unwrap_or_default(),
                (None, _, Basis::SinceStart(_)) => 0.0,
                (None, Kind::Zero, _) => rng.between(3.0, 8.0),
                (None, Kind::Level, _) => first * rng.between(0.8, 0.9),
                (None, _, _) => first * rng.between(0.3, 0.5),
            };
            let mut previous: Option<f64> = None;
            periods
                .iter()
                .map(|&period| {
                    let planned = planned(target, plan, start, path, period);
                    let mut v = start + (planned - start) * pace * (1.0 + rng.between(-0.01, 0.01));
                    if target.kind == Kind::Zero {
                        v = v.max(0.0);
                    }
                    if matches!(target.kind, Kind::Cumulative | Kind::Increment) && pace >= 0.0 {
                        v = v.max(previous.unwrap_or(v));
                    }
                    previous = Some(v);
                    point(period, v)
                })
                .collect()
        }
        (Goal::EveryYear { value, .. }, Kind::Annual, _) => periods
            .iter()
            .map(|&period| point(period, value * ytd_share(period) * pace * (1.0 + rng.between(-0.03, 0.03))))
            .collect(),
        (goal, Kind::Threshold, _) => {
            let line = match goal {
                Goal::EveryYear { value, .. } => *value,
                _ => goal.stated().last().and_then(|(_, v)| *v).unwrap_or(90.0),
            };
            periods
                .iter()
                .map(|&period| point(period, (line - (1.0 - pace.min(1.2)) * 6.0 + rng.between(-0.3, 0.3)).min(100.0)))
                .collect()
        }
        (_, Kind::Milestone, _) => {
            let due = target.goal.final_year().unwrap_or(2030);
            let t0 = Period::Year(plan.meta().baseline_year).end_month_index();
            let t_due = Period::Year(due).end_month_index();
            periods
                .iter()
                .map(|&period| {
                    let elapsed = (period.end_month_index() - t0) as f64 / (t_due - t0) as f64;
                    point(period, ((elapsed * pace).clamp(0.0, 1.0) * MILESTONE_DONE).round())
                })
                .collect()
        }
        (_, Kind::Stable, _) => {
            let level = rng.between(3.0, 12.0);
            periods.iter().map(|&period| point(period, level * (1.0 + (pace - 1.0) * 0.1))).collect()
        }
        (_, Kind::Direction, _) => target
            .measures
            .iter()
            .flat_map(|measure| {
                let key = TargetKey::new(&target.id, Some(&measure.key)).to_string();
                let level = rng.between(20.0, 60.0);
                let step = level * 0.05 * measure.direction.sign() * if pace >= 0.9 { 1.0 } else { -0.5 };
                periods
                    .iter()
                    .enumerate()
                    .map(|(i, &period)| {
                        (key.clone(), period, units::round_like(level + step * i as f64, &measure.unit))
                    })
                    .collect::<Vec<_>>()
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The districts' values of a decomposed target: each district's output share of the city's
/// value, moving at a pace of its own so that comparing them ranks them.
fn districts(target: &Target, city: &[(String, Period, f64)]) -> Vec<Reported> {
    let start = target.baseline.as_ref().map_or(0.0, |b| b.value);
    DISTRICT_OUTPUT_2024_JAN_MAY
        .iter()
        .enumerate()
        .flat_map(|(i, (district, _))| {
            let share = output_share(district);
            let own = 0.75 + 0.5 * (i as f64 * 0.37).fract();
            let mut previous = 0.0_f64;
            city.iter()
                .map(|(key, period, value)| {
                    let mut v = units::round_like((start + (value - start) * own) * share, &target.unit);
                    if target.kind == Kind::Cumulative {
                        v = v.max(previous);
                    }
                    previous = v;
                    Reported { target: key.clone(), org_unit: district, period: *period, value: v }
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// A district's goal: its output share of the city's, rounded as the unit reports.
pub fn district_goal(target: &Target, district: &str, value: f64) -> f64 {
    units::round_like(value * output_share(district), &target.unit)
}

#[cfg(test)]
mod tests {
    use plan361_core::validation::{self, Rules, StoredValue};

    use super::*;

    fn plan() -> Plan {
        plan361_core::plan::parse("plan", include_str!("../../../plans/ningbo-361-2025.toml")).expect("plan")
    }

    #[test]
    fn every_value_is_on_its_targets_frequency_and_passes_the_entry_rules() {
        let plan = plan();
        let org_units =
            plan361_core::org::OrgUnits::parse("units", include_str!("../../../data/org-units.toml")).expect("units");
        let rows = generate(&plan, 361, Period::month(2026, 12));
        assert!(rows.len() > 500, "{}", rows.len());
        for row in &rows {
            let checked =
                plan361_core::observation::check(&plan, &org_units, &row.target, row.org_unit, row.period, row.value);
            assert!(checked.is_ok(), "{row:?}: {checked:?}");
        }
        // The data checks' errors refuse values even when loaded as approved: none may fire.
        let values: Vec<StoredValue> = rows
            .iter()
            .map(|r| StoredValue {
                key: r.target.clone(),
                reported: validation::Reported { org_unit: r.org_unit.to_string(), period: r.period, value: r.value },
            })
            .collect();
        let errors: Vec<_> = validation::check_all(&Rules::default(), &plan, &org_units, &values)
            .into_iter()
            .filter(|(_, f)| f.severity == validation::Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
    }

    #[test]
    fn public_figures_are_reported_exactly_at_their_dates() {
        let rows = generate(&plan(), 361, Period::month(2026, 12));
        for (id, period, value) in PUBLIC_FIGURES {
            let row = rows.iter().find(|r| r.target == id && r.org_unit == CITY && r.period == period);
            assert_eq!(row.map(|r| r.value), Some(value), "{id} {period}");
        }
    }

    #[test]
    fn flows_dip_at_the_spring_festival_and_additions_accumulate() {
        assert!((ytd_share(Period::month(2026, 12)) - 1.0).abs() < 1e-12);
        const { assert!(MONTH_WEIGHTS[1] < MONTH_WEIGHTS[0] && MONTH_WEIGHTS[0] < MONTH_WEIGHTS[2]) };
        let rows = generate(&plan(), 361, Period::month(2026, 12));
        let exports: Vec<&Reported> = rows.iter().filter(|r| r.target == "7.4.1" && r.org_unit == CITY).collect();
        let at = |p: Period| exports.iter().find(|r| r.period == p).map(|r| r.value).unwrap_or_default();
        let (q1, q4) = (at(Period::Quarter { year: 2025, quarter: 1 }), at(Period::Quarter { year: 2025, quarter: 4 }));
        assert!(q1 > 0.0 && q1 < q4 * 0.25, "the first quarter holds the Spring Festival: {q1} of {q4}");
        assert!(q4 > 0.82878, "2025 above the 2023 baseline");
        let space: Vec<&Reported> = rows.iter().filter(|r| r.target == "2.3.2" && r.org_unit == CITY).collect();
        assert!(space.windows(2).all(|w| w[1].value >= w[0].value), "additions since the start never fall");
        let high_tech = rows.iter().find(|r| r.target == "1.3.3" && r.period == Period::Year(2025)).map(|r| r.value);
        assert!(high_tech.is_some_and(|v| v > 10_000.0), "over 10,000 高新技术企业 in 2025: {high_tech:?}");
    }

    #[test]
    fn the_same_seed_gives_the_same_values() {
        let plan = plan();
        assert_eq!(generate(&plan, 361, Period::month(2026, 10)), generate(&plan, 361, Period::month(2026, 10)));
    }
}
