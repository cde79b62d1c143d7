//! What the 填报进度 page and API both read: the filters, checked, and which reports they
//! select.

use plan361_core::Period;
use plan361_core::plan::Frequency;
use plan361_core::progress::Standing;
use plan361_store::Report;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::Problem;

#[derive(Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProgressFilter {
    /// month (default), quarter or year: the grid's columns.
    pub frequency: Option<String>,
    /// The first period shown (of that frequency).
    pub from: Option<String>,
    /// A reporting unit.
    pub unit: Option<String>,
    /// A standing: open, draft, returned, submitted, approved, overdue.
    pub state: Option<String>,
    /// One period of the list (a cell clicked).
    pub period: Option<String>,
}

/// What the filters select, checked.
pub struct Selection {
    pub frequency: Frequency,
    pub from: Period,
    pub unit: Option<String>,
    pub state: Option<&'static str>,
    pub period: Option<Period>,
}

fn blank(text: &Option<String>) -> Option<&str> {
    text.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

impl ProgressFilter {
    /// The selection, or a 400 naming the parameter; `now` is this month.
    pub fn selection(&self, now: Period) -> Result<Selection, Problem> {
        let code = blank(&self.frequency).unwrap_or("month");
        let frequency = Frequency::from_code(code)
            .ok_or_else(|| Problem::bad_request(format!("frequency \"{code}\": month, quarter or year")))?;
        let parse = |name: &str, text: &str| -> Result<Period, Problem> {
            let period: Period = text.parse().map_err(|e: plan361_core::period::PeriodError| {
                Problem::bad_request(format!("{name} \"{text}\": {e}"))
            })?;
            Ok(period)
        };
        let from = match blank(&self.from) {
            Some(text) => {
                let period = parse("from", text)?;
                if !frequency.fits(period) {
                    return Err(Problem::bad_request(format!(
                        "from \"{text}\": a period of the frequency {} (2026-01, 2026Q1 or 2026)",
                        frequency.code()
                    )));
                }
                period
            }
            None => default_from(frequency, now),
        };
        let state = match blank(&self.state) {
            Some(code) => Some(Standing::CODES.into_iter().find(|c| *c == code).ok_or_else(|| {
                Problem::bad_request(format!("state \"{code}\": one of {}", Standing::CODES.join(", ")))
            })?),
            None => None,
        };
        let period = blank(&self.period).map(|text| parse("period", text)).transpose()?;
        Ok(Selection { frequency, from, unit: blank(&self.unit).map(str::to_string), state, period })
    }
}

/// The grid's first column by default: a year of months, two years of quarters, every year.
fn default_from(frequency: Frequency, now: Period) -> Period {
    let current = frequency.period_containing(now);
    let back = match frequency {
        Frequency::Month => 11,
        Frequency::Quarter => 7,
        Frequency::Year => 0,
    };
    (0..back).fold(current, |p, _| p.previous())
}

/// The periods of `frequency` from the one holding `from` to the one holding `to`.
pub fn columns(frequency: Frequency, from: Period, to: Period) -> Vec<Period> {
    let mut periods: Vec<Period> = Period::months_between(from, to).map(|m| frequency.period_containing(m)).collect();
    periods.dedup();
    periods
}

impl Selection {
    /// Whether a report is in the grid (its frequency, from `from` on, its unit).
    pub fn shows(&self, report: &Report) -> bool {
        self.frequency.fits(report.period)
            && report.period.end_month_index() >= self.from.end_month_index()
            && self.unit.as_ref().is_none_or(|u| *u == report.reporting_unit)
    }

    /// Whether a report is in the list under the grid: the reports not in, or those of the
    /// standing asked for, of the period clicked.
    pub fn lists(&self, report: &Report) -> bool {
        let standing = match self.state {
            Some(code) => report.standing.code() == code,
            None => !matches!(report.standing, Standing::Submitted | Standing::Approved),
        };
        standing && self.period.is_none_or(|p| p == report.period)
    }
}
