//! Reporting periods: months (`2026-05`), quarters (`2026Q2`) and years (`2026`).
//!
//! Time in the evaluation engine is measured in years; a period is placed at its end, so the
//! end of May 2026 is `2026 + 5/12` and the end of 2026 is `2027.0` (DESIGN §3).

use std::fmt;
use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
/// A reporting period: a month, a quarter or a year.
pub enum Period {
    /// A month, 1–12.
    Month {
        /// The year.
        year: i32,
        /// The month, 1–12.
        month: u8,
    },
    /// A quarter, 1–4.
    Quarter {
        /// The year.
        year: i32,
        /// The quarter, 1–4.
        quarter: u8,
    },
    /// A year.
    Year(i32),
}

/// The years a period may name. Wider than any plan needs, narrow enough that arithmetic on
/// years and months can never overflow.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

#[derive(Clone, Debug, PartialEq, Eq)]
/// Why a text is not a period.
pub struct PeriodError(pub String);

impl fmt::Display for PeriodError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid period \"{}\": expected YYYY-MM (2026-05), YYYYQn (2026Q2) or YYYY (2026), \
             years {}–{}",
            self.0,
            YEARS.start(),
            YEARS.end()
        )
    }
}

impl std::error::Error for PeriodError {}

impl Period {
    /// A month; `month` must be 1–12.
    pub fn month(year: i32, month: u8) -> Period {
        Period::Month { year, month }
    }

    /// The year the period is in.
    pub fn year(&self) -> i32 {
        match *self {
            Period::Month { year, .. } | Period::Quarter { year, .. } | Period::Year(year) => year,
        }
    }

    /// The number of months of its year that have ended when the period ends (5 for 2026-05,
    /// 6 for 2026Q2, 12 for 2026).
    pub fn months_elapsed(&self) -> u8 {
        match *self {
            Period::Month { month, .. } => month,
            Period::Quarter { quarter, .. } => quarter * 3,
            Period::Year(_) => 12,
        }
    }

    /// How many months the period covers.
    pub fn span_months(&self) -> u8 {
        match self {
            Period::Month { .. } => 1,
            Period::Quarter { .. } => 3,
            Period::Year(_) => 12,
        }
    }

    /// The end of the period in fractional years.
    pub fn end(&self) -> f64 {
        f64::from(self.year()) + f64::from(self.months_elapsed()) / 12.0
    }

    /// The end of the period as a month index (`year * 12 + months_elapsed`), for exact
    /// comparisons between periods of different granularity.
    pub fn end_month_index(&self) -> i64 {
        i64::from(self.year()) * 12 + i64::from(self.months_elapsed())
    }

    /// The last month of the period.
    pub fn last_month(&self) -> Period {
        Period::Month { year: self.year(), month: self.months_elapsed() }
    }

    /// Whether the period closes its year (December, Q4 or the year itself).
    pub fn closes_year(&self) -> bool {
        self.months_elapsed() == 12
    }

    /// The same period one year earlier (for 同比).
    pub fn previous_year(&self) -> Period {
        match *self {
            Period::Month { year, month } => Period::Month { year: year - 1, month },
            Period::Quarter { year, quarter } => Period::Quarter { year: year - 1, quarter },
            Period::Year(year) => Period::Year(year - 1),
        }
    }

    /// The month after this one; only meaningful for months.
    pub fn next_month(&self) -> Period {
        let (year, month) = (self.year(), self.months_elapsed());
        if month == 12 { Period::Month { year: year + 1, month: 1 } } else { Period::Month { year, month: month + 1 } }
    }

    /// The month before this one; only meaningful for months.
    pub fn previous_month(&self) -> Period {
        let (year, month) = (self.year(), self.months_elapsed());
        if month <= 1 { Period::Month { year: year - 1, month: 12 } } else { Period::Month { year, month: month - 1 } }
    }

    /// The period of the same kind just before this one (2026-01 → 2025-12, 2026Q1 → 2025Q4).
    pub fn previous(&self) -> Period {
        match *self {
            Period::Month { year, month: 1 } => Period::Month { year: year - 1, month: 12 },
            Period::Month { year, month } => Period::Month { year, month: month - 1 },
            Period::Quarter { year, quarter: 1 } => Period::Quarter { year: year - 1, quarter: 4 },
            Period::Quarter { year, quarter } => Period::Quarter { year, quarter: quarter - 1 },
            Period::Year(year) => Period::Year(year - 1),
        }
    }

    /// The quarter a month falls in.
    pub fn quarter_of(&self) -> Period {
        Period::Quarter { year: self.year(), quarter: self.months_elapsed().div_ceil(3) }
    }

    /// Months from `from` to `to` inclusive.
    pub fn months_between(from: Period, to: Period) -> impl Iterator<Item = Period> {
        let (first, last) = (from.last_month().end_month_index(), to.end_month_index());
        (first..=last).map(|index| {
            let zero_based = index - 1;
            Period::Month { year: (zero_based.div_euclid(12)) as i32, month: (zero_based.rem_euclid(12) + 1) as u8 }
        })
    }
}

/// Periods order by when they end; of two ending in the same month, the finer comes first
/// (2026-06 < 2026Q2 < 2026-12 < 2026Q4 < 2026).
impl Ord for Period {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.end_month_index().cmp(&other.end_month_index()).then_with(|| self.span_months().cmp(&other.span_months()))
    }
}

impl PartialOrd for Period {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Period::Month { year, month } => write!(f, "{year}-{month:02}"),
            Period::Quarter { year, quarter } => write!(f, "{year}Q{quarter}"),
            Period::Year(year) => write!(f, "{year}"),
        }
    }
}

impl FromStr for Period {
    type Err = PeriodError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let error = || PeriodError(text.to_string());
        let trimmed = text.trim();
        let year_of = |digits: &str| -> Result<i32, PeriodError> {
            if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(error());
            }
            let year: i32 = digits.parse().map_err(|_| error())?;
            if YEARS.contains(&year) { Ok(year) } else { Err(error()) }
        };
        let small_number = |digits: &str, range: std::ops::RangeInclusive<u8>| {
            if digits.is_empty() || digits.len() > 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(error());
            }
            let n: u8 = digits.parse().map_err(|_| error())?;
            if range.contains(&n) { Ok(n) } else { Err(error()) }
        };
        if let Some((year, month)) = trimmed.split_once('-') {
            Ok(Period::Month { year: year_of(year)?, month: small_number(month, 1..=12)? })
        } else if let Some((year, quarter)) = trimmed.split_once(['Q', 'q']) {
            Ok(Period::Quarter { year: year_of(year)?, quarter: small_number(quarter, 1..=4)? })
        } else {
            Ok(Period::Year(year_of(trimmed)?))
        }
    }
}

impl serde::Serialize for Period {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_the_three_forms() {
        assert_eq!("2026-05".parse(), Ok(Period::month(2026, 5)));
        assert_eq!("2026Q2".parse(), Ok(Period::Quarter { year: 2026, quarter: 2 }));
        assert_eq!("2026".parse(), Ok(Period::Year(2026)));
        assert_eq!("2026-5".parse(), Ok(Period::month(2026, 5)));
    }

    #[test]
    fn rejects_malformed_periods() {
        for bad in [
            "",
            "2026-13",
            "2026-00",
            "2026Q5",
            "2026Q0",
            "26",
            "20260",
            "2026-",
            "abcd",
            "9999",
            "2026-1a",
            "２０２６",
        ] {
            assert!(bad.parse::<Period>().is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn ends_are_fractional_years() {
        assert_eq!(Period::month(2026, 6).end(), 2026.5);
        assert_eq!(Period::Quarter { year: 2026, quarter: 2 }.end(), 2026.5);
        assert_eq!(Period::Year(2024).end(), 2025.0);
    }

    #[test]
    fn periods_order_by_their_end_then_finest_first() {
        let mut periods: Vec<Period> =
            ["2026", "2026Q2", "2026-12", "2026-06", "2026Q4", "2025-12"].iter().map(|p| p.parse().unwrap()).collect();
        periods.sort();
        let text: Vec<String> = periods.iter().map(|p| p.to_string()).collect();
        assert_eq!(text, ["2025-12", "2026-06", "2026Q2", "2026-12", "2026Q4", "2026"]);
    }

    #[test]
    fn months_between_spans_year_boundaries() {
        let months: Vec<String> =
            Period::months_between(Period::month(2025, 11), Period::month(2026, 2)).map(|p| p.to_string()).collect();
        assert_eq!(months, ["2025-11", "2025-12", "2026-01", "2026-02"]);
        let whole_year = Period::months_between(Period::Year(2025), Period::Year(2025)).count();
        assert_eq!(whole_year, 1, "a year as start means its last month");
    }

    proptest! {
        #[test]
        fn display_round_trips(year in YEARS, month in 1u8..=12, quarter in 1u8..=4) {
            for period in [Period::month(year, month), Period::Quarter { year, quarter }, Period::Year(year)] {
                prop_assert_eq!(period.to_string().parse::<Period>(), Ok(period));
            }
        }

        #[test]
        fn parsing_never_panics(text in "\\PC{0,12}") {
            let _ = text.parse::<Period>();
        }

        #[test]
        fn next_month_advances_by_one_twelfth(year in YEARS, month in 1u8..=12) {
            let period = Period::month(year, month);
            prop_assert_eq!(period.next_month().end_month_index(), period.end_month_index() + 1);
            prop_assert_eq!(period.next_month().previous(), period);
            prop_assert_eq!(period.next_month().previous_month(), period);
        }
    }
}
