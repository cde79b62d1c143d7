//! Dates in China Standard Time (UTC+8, no daylight saving), computed from epoch
//! milliseconds: reporting windows close on calendar days in Ningbo, whatever the server's
//! time zone.

use std::fmt;

use crate::period::Period;

const MS_PER_DAY: i64 = 86_400_000;
const CHINA_OFFSET_MS: i64 = 8 * 3_600_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
/// A calendar day; one exists only if it is a day of the calendar ([`Date::new`]).
pub struct Date {
    year: i32,
    /// 1–12.
    month: u8,
    /// 1 to the month's length.
    day: u8,
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl std::str::FromStr for Date {
    type Err = String;

    /// `2026-05-31`; also `2026/5/31` and `2026.5.31` as people type them.
    fn from_str(text: &str) -> Result<Date, String> {
        let invalid = || format!("\"{text}\" is not a date (YYYY-MM-DD)");
        let parts: Vec<&str> = text.trim().split(['-', '/', '.']).collect();
        let [year, month, day] = parts[..] else { return Err(invalid()) };
        let year: i32 = year.parse().map_err(|_| invalid())?;
        let month: u8 = month.parse().map_err(|_| invalid())?;
        let day: u8 = day.parse().map_err(|_| invalid())?;
        if !crate::period::YEARS.contains(&year) {
            return Err(invalid());
        }
        Date::new(year, month, day).ok_or_else(invalid)
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// A date in the API's OpenAPI document: a string such as `2026-05-31`.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Date {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        ObjectBuilder::new().schema_type(Type::String).format(Some(SchemaFormat::KnownFormat(KnownFormat::Date))).into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Date {}

impl Date {
    /// The day `day` of `month` (1–12) in `year`, if there is one.
    pub const fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        if month >= 1 && month <= 12 && day >= 1 && day <= days_in_month(year, month) {
            Some(Date { year, month, day })
        } else {
            None
        }
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month, 1–12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, 1 to the month's length.
    pub fn day(self) -> u8 {
        self.day
    }

    /// The last day of a year.
    pub fn year_end(year: i32) -> Date {
        Date { year, month: 12, day: 31 }
    }

    /// The last day of a period.
    pub fn last_of(period: Period) -> Date {
        let (year, month) = (period.year(), period.months_elapsed());
        Date { year, month, day: days_in_month(year, month) }
    }

    /// The date in China at the instant `epoch_ms`.
    pub fn in_china(epoch_ms: i64) -> Date {
        civil_from_days((epoch_ms + CHINA_OFFSET_MS).div_euclid(MS_PER_DAY))
    }

    /// The instant this day begins in China.
    pub fn start_ms(self) -> i64 {
        days_from_civil(self) * MS_PER_DAY - CHINA_OFFSET_MS
    }

    /// Days from `self` to `later` (negative if `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        days_from_civil(later) - days_from_civil(self)
    }

    /// The month this day falls in.
    pub fn month_period(self) -> Period {
        Period::month(self.year, self.month)
    }

    /// Day `day` of the month `months` months after `period` ends (with 1: the 10th of June for
    /// 2026-05, of July for 2026Q2), clamped to the month's length.
    pub fn after_period(period: Period, months: u8, day: u8) -> Date {
        let mut month = period.last_month();
        for _ in 0..months {
            month = month.next_month();
        }
        let day = day.clamp(1, days_in_month(month.year(), month.months_elapsed()));
        Date { year: month.year(), month: month.months_elapsed(), day }
    }

    /// The date of a spreadsheet date serial (days since 1899-12-30, the 1900 date system),
    /// for cells where a spreadsheet turned "2026-05" into a date.
    pub fn from_excel_serial(serial: f64) -> Option<Date> {
        const EXCEL_EPOCH_DAYS: i64 = -25_569; // 1899-12-30 relative to 1970-01-01
        (serial.is_finite() && (1.0..2_958_466.0).contains(&serial))
            .then(|| civil_from_days(EXCEL_EPOCH_DAYS + serial.floor() as i64))
    }

    /// The first day of a period.
    pub fn first_of(period: Period) -> Date {
        let first_month = period.months_elapsed() + 1 - period.span_months();
        Date { year: period.year(), month: first_month, day: 1 }
    }
}

const fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// The number of days of `month` (1–12) in `year`, leap years included.
pub const fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// The two conversions below are Howard Hinnant's civil-calendar algorithms.
fn days_from_civil(date: Date) -> i64 {
    let (m, d) = (i64::from(date.month), i64::from(date.day));
    let y = i64::from(date.year) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> Date {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    Date { year, month, day }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(year: i32, month: u8, day: u8) -> Date {
        Date::new(year, month, day).expect("a day of the calendar")
    }

    #[test]
    fn a_utc_evening_is_the_next_day_in_china() {
        // 2026-05-31T17:00:00Z is 2026-06-01 01:00 in Ningbo.
        let instant = date(2026, 5, 31).start_ms() + 8 * 3_600_000 + 17 * 3_600_000;
        assert_eq!(Date::in_china(instant), date(2026, 6, 1));
        assert_eq!(Date::in_china(0), date(1970, 1, 1));
    }

    #[test]
    fn windows_close_in_the_month_after_the_period() {
        assert_eq!(Date::after_period(Period::month(2026, 5), 1, 10).to_string(), "2026-06-10");
        assert_eq!(Date::after_period(Period::month(2026, 12), 1, 10).to_string(), "2027-01-10");
        assert_eq!(Date::after_period(Period::Quarter { year: 2026, quarter: 2 }, 1, 15).to_string(), "2026-07-15");
        assert_eq!(Date::after_period(Period::month(2028, 1), 1, 31).to_string(), "2028-02-29");
        assert_eq!(Date::after_period(Period::Year(2025), 3, 10).to_string(), "2026-03-10");
        assert_eq!(Date::first_of(Period::Quarter { year: 2026, quarter: 3 }).to_string(), "2026-07-01");
        assert_eq!(Date::first_of(Period::Year(2026)).to_string(), "2026-01-01");
    }

    #[test]
    fn a_date_is_only_a_day_of_the_calendar() {
        assert_eq!(Date::new(2028, 2, 29).map(|d| (d.year(), d.month(), d.day())), Some((2028, 2, 29)));
        for (year, month, day) in [(2026, 2, 29), (2026, 4, 31), (2026, 13, 1), (2026, 0, 1), (2026, 1, 0)] {
            assert_eq!(Date::new(year, month, day), None, "{year}-{month}-{day}");
        }
        assert_eq!(Date::year_end(2026), date(2026, 12, 31));
    }

    #[test]
    fn dates_parse_as_people_type_them() {
        assert_eq!("2026-05-31".parse(), Ok(date(2026, 5, 31)));
        assert_eq!("2026/5/3".parse(), Ok(date(2026, 5, 3)));
        for bad in ["2026-02-30", "2026-13-01", "26-1-1", "", "2026-05"] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
        assert_eq!(Date::last_of(Period::Quarter { year: 2028, quarter: 1 }).to_string(), "2028-03-31");
    }

    #[test]
    fn spreadsheet_serials_are_dates() {
        assert_eq!(Date::from_excel_serial(46143.0).map(|d| d.to_string()), Some("2026-05-01".into()));
        assert_eq!(Date::from_excel_serial(f64::NAN), None);
        assert_eq!(Date::from_excel_serial(-3.0), None);
    }

    proptest! {
        #[test]
        fn days_round_trip(days in -1_000_000i64..1_000_000) {
            let date = civil_from_days(days);
            prop_assert_eq!(days_from_civil(date), days);
            prop_assert!(date.day >= 1 && date.day <= days_in_month(date.year, date.month));
        }
    }
}
