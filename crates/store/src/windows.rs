//! Reporting windows: when a period's values are due and when the period locks, and who has
//! not reported (overdue tracking, 填报及时率).

use crate::progress::Report;
use crate::{Result, Store, StoreError};
use plan361_core::Period;
use plan361_core::calendar::Date;
use plan361_core::plan::Frequency;
use plan361_core::progress::{Filed, Standing, Tally};
use serde::{Deserialize, Serialize};

/// The window of one kind of period: values are due on `due_day` and the period locks after
/// `lock_day`, both in the month `months_after` months after the period ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    pub months_after: u8,
    pub due_day: u8,
    pub lock_day: u8,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Windows {
    pub month: Window,
    pub quarter: Window,
    pub year: Window,
}

impl Default for Windows {
    /// Monthly data by the 10th of the next month; quarterly by the 15th; annual statistics,
    /// published later, by 10 March.
    fn default() -> Self {
        Windows {
            month: Window { months_after: 1, due_day: 10, lock_day: 20 },
            quarter: Window { months_after: 1, due_day: 15, lock_day: 25 },
            year: Window { months_after: 3, due_day: 10, lock_day: 25 },
        }
    }
}

impl Windows {
    pub fn of(&self, period: Period) -> Window {
        match period {
            Period::Month { .. } => self.month,
            Period::Quarter { .. } => self.quarter,
            Period::Year(_) => self.year,
        }
    }

    pub fn due_date(&self, period: Period) -> Date {
        let w = self.of(period);
        Date::after_period(period, w.months_after, w.due_day)
    }

    /// For each frequency, the last period whose due date has passed by `today`: values older
    /// than that are overdue (§3A.5).
    pub fn due_by(&self, today: Date) -> plan361_core::eval::DueBy {
        let last_due = |frequency: Frequency| {
            let mut period = frequency.last_ended_by(today.month_period());
            while self.due_date(period) >= today && period.year() > *plan361_core::period::YEARS.start() {
                period = period.previous();
            }
            Some(period)
        };
        plan361_core::eval::DueBy {
            month: last_due(Frequency::Month),
            quarter: last_due(Frequency::Quarter),
            year: last_due(Frequency::Year),
        }
    }

    pub fn lock_date(&self, period: Period) -> Date {
        let w = self.of(period);
        Date::after_period(period, w.months_after, w.lock_day)
    }

    fn validate(&self) -> Result<()> {
        for (name, w) in [("month", self.month), ("quarter", self.quarter), ("year", self.year)] {
            if !(1..=31).contains(&w.due_day)
                || !(1..=31).contains(&w.lock_day)
                || w.lock_day < w.due_day
                || w.months_after > 12
            {
                return Err(StoreError::invalid(
                    "windows",
                    format!(
                        "{name}:报送日和锁定日为 1–31 日,锁定日不早于报送日,期末后月数不超过 12 {name} window: due and \
                         lock days are 1–31 with lock on or after due, months after ≤ 12"
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// One expected report that is missing or not yet submitted.
#[derive(Clone, Debug, Serialize)]
pub struct Overdue {
    /// The unit that must report: the lead department for a city value, the district itself
    /// for its share.
    pub reporting_unit: String,
    pub target_id: String,
    pub indicator: String,
    pub org_unit: String,
    pub period: Period,
    /// `missing`, `draft` or `returned`.
    pub state: String,
    pub due: String,
    pub days_overdue: i64,
}

impl Overdue {
    /// A report not yet in, as the overdue lists show it.
    pub fn of(report: Report, today: Date) -> Overdue {
        let filed = match report.standing {
            Standing::Overdue { filed, .. } => filed,
            Standing::Draft => Filed::Draft,
            Standing::Returned => Filed::Returned,
            _ => Filed::Nothing,
        };
        Overdue {
            reporting_unit: report.reporting_unit,
            target_id: report.target_id,
            indicator: report.indicator,
            org_unit: report.org_unit,
            period: report.period,
            state: match filed {
                Filed::Draft => "draft",
                Filed::Returned => "returned",
                _ => "missing",
            }
            .to_string(),
            due: report.due.to_string(),
            days_overdue: report.due.days_until(today).max(0),
        }
    }
}

/// Who has not reported what for a period, and how each unit reported (填报及时率): the counts
/// are the 填报进度 page's `Tally`, so the bulletin and the page agree.
#[derive(Clone, Debug, Serialize)]
pub struct OverdueReport {
    pub period: Period,
    pub due: String,
    /// Every expected report of the period.
    #[serde(flatten)]
    pub tally: Tally,
    /// Share of the reports due that were in by the due date; `None` while none is due.
    pub timeliness: Option<f64>,
    pub outstanding: Vec<Overdue>,
    /// The same counts per reporting unit, in the order units first appear.
    pub units: Vec<UnitTally>,
}

/// One reporting unit's counts for a period.
#[derive(Clone, Debug, Serialize)]
pub struct UnitTally {
    pub unit: String,
    #[serde(flatten)]
    pub tally: Tally,
}

impl Store {
    pub async fn windows(&self) -> Result<Windows> {
        let mut conn = self.pool.acquire().await?;
        windows_on(&mut conn).await
    }

    pub async fn set_windows(&self, actor: &plan361_core::access::Actor, windows: Windows) -> Result<()> {
        windows.validate()?;
        let after = serde_json::to_string(&windows).map_err(|e| StoreError::corrupt(e.to_string()))?;
        let mut tx = self.begin_write().await?;
        self.require_on(&mut tx, actor, plan361_core::access::Action::ManagePlan).await?;
        let before =
            serde_json::to_string(&windows_on(&mut tx).await?).map_err(|e| StoreError::corrupt(e.to_string()))?;
        sqlx::query("DELETE FROM settings WHERE key = 'windows'").execute(&mut *tx).await?;
        sqlx::query("INSERT INTO settings (key, value) VALUES ('windows', $1)").bind(&after).execute(&mut *tx).await?;
        crate::audit::append(
            &mut tx,
            self.now(),
            crate::audit::NewAuditEntry {
                actor: &actor.username,
                action: "windows.set",
                entity: "settings",
                entity_id: "windows",
                before: &before,
                after: &after,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Who has not reported what for `period`, as of today.
    pub async fn overdue(&self, period: Period) -> Result<OverdueReport> {
        let due = self.windows().await?.due_date(period);
        let today = Date::in_china(self.now());
        let mut report = OverdueReport {
            period,
            due: due.to_string(),
            tally: Tally::default(),
            timeliness: None,
            outstanding: Vec::new(),
            units: Vec::new(),
        };
        for expected in self.reports(period, period).await?.into_iter().filter(|r| r.period == period) {
            let is_due = expected.is_due(today);
            report.tally.add(expected.standing, expected.late, is_due);
            let position = match report.units.iter().position(|u| u.unit == expected.reporting_unit) {
                Some(position) => position,
                None => {
                    report.units.push(UnitTally { unit: expected.reporting_unit.clone(), tally: Tally::default() });
                    report.units.len() - 1
                }
            };
            report.units[position].tally.add(expected.standing, expected.late, is_due);
            if !matches!(expected.standing, Standing::Submitted | Standing::Approved) {
                report.outstanding.push(Overdue::of(expected, today));
            }
        }
        report.timeliness = report.tally.timeliness();
        report
            .outstanding
            .sort_by(|a, b| b.days_overdue.cmp(&a.days_overdue).then(a.reporting_unit.cmp(&b.reporting_unit)));
        Ok(report)
    }
}

/// The windows as `conn` sees them (inside a write transaction: its own connection).
pub(crate) async fn windows_on(conn: &mut sqlx::AnyConnection) -> Result<Windows> {
    let stored: Option<String> =
        sqlx::query_scalar("SELECT value FROM settings WHERE key = 'windows'").fetch_optional(conn).await?;
    match stored {
        Some(json) => serde_json::from_str(&json).map_err(|e| StoreError::corrupt(format!("stored windows: {e}"))),
        None => Ok(Windows::default()),
    }
}
