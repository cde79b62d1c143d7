//! Cluster statistics (统计监测): enterprise-month microdata aggregated to cluster × org unit ×
//! month, on the NBS like-for-like basis (同口径, DESIGN §4).
//!
//! Microdata are held in columns, one slice per month sorted by enterprise, so that a month's
//! cube reads three slices (the month, the month before, the same month last year) in one
//! merge pass. Amounts are scaled integers (`SCALE` per unit) so that every total is exact.

mod check;
mod cube;
mod members;
mod micro;

pub use check::{MicroProblem, Severity, check_rows};
pub use cube::{ALL_CLUSTER, By, Cell, Cube, CubeRow, Dataset, EnterpriseFigures, enterprises_behind};
pub use members::{Member, Members};
pub use micro::{MicroRow, Microdata, MicrodataBuilder};

use crate::Period;

/// Amounts are stored as integers of 1/10,000 of their unit (万元, 万千瓦时, 人).
pub const SCALE: i64 = 10_000;

/// The measures of the microdata, in the order of the file's columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Measure {
    /// 产值.
    Output,
    /// 营业收入.
    Revenue,
    /// 利润总额.
    Profit,
    /// 出口交货值.
    ExportDelivery,
    /// 研发费用.
    RdExpense,
    /// 用电量.
    Electricity,
    /// 从业人员.
    Employees,
}

/// How many measures there are.
pub const MEASURES: usize = 7;

impl Measure {
    /// Every measure, in column order.
    pub const ALL: [Measure; MEASURES] = [
        Measure::Output,
        Measure::Revenue,
        Measure::Profit,
        Measure::ExportDelivery,
        Measure::RdExpense,
        Measure::Electricity,
        Measure::Employees,
    ];

    /// Its column.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The code in files and the API.
    pub fn code(self) -> &'static str {
        match self {
            Measure::Output => "output",
            Measure::Revenue => "revenue",
            Measure::Profit => "profit",
            Measure::ExportDelivery => "export_delivery",
            Measure::RdExpense => "rd_expense",
            Measure::Electricity => "electricity",
            Measure::Employees => "employees",
        }
    }

    /// The measure of a code; `None` for an unknown one.
    pub fn from_code(code: &str) -> Option<Measure> {
        Measure::ALL.into_iter().find(|m| m.code() == code)
    }

    /// Its unit.
    pub fn unit(self) -> &'static str {
        match self {
            Measure::Electricity => "万千瓦时",
            Measure::Employees => "人",
            _ => "万元",
        }
    }

    /// A stock (期末人数) is a level at the month's end, not a 1–N月 sum.
    pub fn is_stock(self) -> bool {
        self == Measure::Employees
    }

    /// Only profit may be negative (a loss).
    pub fn may_be_negative(self) -> bool {
        self == Measure::Profit
    }

    /// A 1–N月 value that cannot fall within a year: a sum of non-negative months.
    pub fn never_falls(self) -> bool {
        !self.is_stock() && !self.may_be_negative()
    }
}

impl crate::i18n::Labelled for Measure {
    /// Its name on Chinese pages.
    fn label_zh(self) -> &'static str {
        match self {
            Measure::Output => "工业总产值",
            Measure::Revenue => "营业收入",
            Measure::Profit => "利润总额",
            Measure::ExportDelivery => "出口交货值",
            Measure::RdExpense => "研发费用",
            Measure::Electricity => "用电量",
            Measure::Employees => "从业人员",
        }
    }

    /// Its name on English pages: its code.
    fn label_en(self) -> &'static str {
        self.code()
    }
}

/// The months of the microdata as consecutive integers: `year * 12 + month - 1`.
pub fn month_index(period: Period) -> i32 {
    period.year() * 12 + i32::from(period.months_elapsed()) - 1
}

/// The month of a month index (months since year 0).
pub fn month_period(index: i32) -> Period {
    Period::month(index.div_euclid(12), (index.rem_euclid(12) + 1) as u8)
}

/// Reads an amount written in its unit (`12345.6`, `-3`, `1,234.5`) into scaled integers;
/// at most four decimals, as `SCALE` keeps.
pub fn parse_amount(text: &str) -> Result<i64, String> {
    let trimmed = text.trim();
    let cleaned: String = trimmed.chars().filter(|c| *c != ',').collect();
    let (negative, digits) = match cleaned.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, cleaned.strip_prefix('+').unwrap_or(&cleaned)),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let bad = || format!("\"{trimmed}\" is not a number");
    if (whole.is_empty() && fraction.is_empty())
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !fraction.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(bad());
    }
    let fraction = fraction.trim_end_matches('0');
    if fraction.len() > 4 {
        return Err(format!("\"{trimmed}\" has more than four decimals"));
    }
    let too_large = || format!("\"{trimmed}\" is too large");
    let whole: i64 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| too_large())? };
    let mut scaled_fraction: i64 = if fraction.is_empty() { 0 } else { fraction.parse().map_err(|_| bad())? };
    for _ in fraction.len()..4 {
        scaled_fraction *= 10;
    }
    let value = whole.checked_mul(SCALE).and_then(|w| w.checked_add(scaled_fraction)).ok_or_else(too_large)?;
    // Far beyond any enterprise's figure; keeps every sum of millions of rows within i64.
    if value > 1_000_000_000_000 * SCALE {
        return Err(too_large());
    }
    Ok(if negative { -value } else { value })
}

/// A scaled amount in its unit.
pub fn unscale(value: i64) -> f64 {
    value as f64 / SCALE as f64
}

/// A scaled amount as the file writes it: no trailing zeros.
pub fn format_amount(value: i64) -> String {
    let sign = if value < 0 { "-" } else { "" };
    let abs = value.unsigned_abs();
    let (whole, fraction) = (abs / SCALE as u64, abs % SCALE as u64);
    if fraction == 0 {
        format!("{sign}{whole}")
    } else {
        let digits = format!("{fraction:04}");
        format!("{sign}{whole}.{}", digits.trim_end_matches('0'))
    }
}

#[cfg(test)]
mod tests;

/// How a plan target takes its values from the cube (the plan file's `derived = "stats"` with
/// `stats = { … }`): the December 1–N月 value of a measure, year by year, for the city and
/// each district.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatsRule {
    /// A measure of the microdata (output, revenue …).
    pub measure: String,
    /// A cluster id of the catalog; absent: 全部规上工业.
    #[serde(default)]
    pub cluster: Option<String>,
}

impl StatsRule {
    /// The measure the row names.
    pub fn measure(&self) -> Option<Measure> {
        Measure::from_code(&self.measure)
    }

    /// Every problem with the rule, for the plan check.
    pub fn problems(&self, target_kind: crate::plan::Kind, target_unit: &str) -> Vec<String> {
        let mut problems = Vec::new();
        match self.measure() {
            None => {
                let known: Vec<&str> = Measure::ALL.iter().map(|m| m.code()).collect();
                problems.push(format!("unknown measure \"{}\" ({})", self.measure, known.join(", ")));
            }
            Some(m) if m.is_stock() => problems.push(format!("{} is a stock, not a year's total", m.code())),
            Some(m) if crate::units::convert(1.0, m.unit(), target_unit).is_none() => {
                problems.push(format!("{} is in {}; the target's unit {target_unit} is not", m.code(), m.unit()))
            }
            Some(_) => {}
        }
        if target_kind != crate::plan::Kind::Level {
            problems.push(format!("a {} target cannot take a year's total from the statistics", target_kind.code()));
        }
        problems
    }
}

/// The values of every target derived from the statistics, for the city and every district,
/// as (target, org unit, point) with positions in the plan and the org units: the cube's 1–N月
/// value at the end of each period of the target's frequency up to `to` (a flow is reported
/// 1–N月, DESIGN §3A.1; December's is the year's total).
pub fn derive(
    plan: &crate::plan::Plan,
    org_units: &crate::org::OrgUnits,
    dataset: &Dataset,
    to: Period,
) -> Vec<(usize, usize, crate::eval::Point)> {
    let mut points = Vec::new();
    let Some((first, last)) = dataset.months() else { return points };
    let derived: Vec<(usize, &StatsRule)> =
        plan.targets.iter().enumerate().filter_map(|(i, t)| Some((i, t.stats.as_ref()?))).collect();
    let mut cubes: Vec<(Period, Cube)> = Vec::new();
    for &(t, rule) in &derived {
        let target = &plan.targets[t];
        let (Some(measure), Some(cluster)) =
            (rule.measure(), dataset.members.cluster_position(rule.cluster.as_deref().unwrap_or(ALL_CLUSTER)))
        else {
            continue;
        };
        let end = target.frequency.last_ended_by(to.min(last));
        let mut previous = None;
        for month in Period::months_between(first, end) {
            let period = target.frequency.period_containing(month);
            if previous == Some(period) || period.end_month_index() > end.end_month_index() {
                continue;
            }
            previous = Some(period);
            let closing = period.last_month();
            let cube = match cubes.iter().position(|(m, _)| *m == closing) {
                Some(i) => &cubes[i].1,
                None => {
                    cubes.push((closing, dataset.cube(closing)));
                    &cubes[cubes.len() - 1].1
                }
            };
            for org in 0..cube.territorial {
                let cell = cube.cell(cluster, org, measure);
                let Some(unit) = org_units.position(&cube.org_units[org]) else { continue };
                if cell.enterprises == 0 {
                    continue;
                }
                if let Some(value) = crate::units::convert(cell.ytd, measure.unit(), &target.unit) {
                    points.push((t, unit, crate::eval::Point { period, value }));
                }
            }
        }
    }
    points
}
