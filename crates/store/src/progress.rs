//! 填报进度: every report the plan expects for a range of periods — the lead (or assigned) department's city
//! value of each reported target, each district's share of a decomposed one — with where it
//! stands today (`core::progress`). The overdue lists, the progress grid and the reminders all
//! read this one enumeration.

use std::collections::HashMap;

use plan361_core::Period;
use plan361_core::calendar::Date;
use plan361_core::org::OrgKind;
use plan361_core::plan::TargetId;
use plan361_core::progress::{Filed, Standing};
use serde::Serialize;
use sqlx::Row;

use crate::{Result, Store};

/// One report the plan expects.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub period: Period,
    pub target_id: String,
    pub indicator: String,
    /// The value's org unit: the city, or a district for its share.
    pub org_unit: String,
    /// The unit that must report it: the lead department (or the one the plan office assigned in
    /// its stead) for a city value, the district itself for its share.
    pub reporting_unit: String,
    pub due: Date,
    /// Submitted after its due date.
    pub late: bool,
    pub standing: Standing,
}

impl Report {
    /// Whether the due date has passed.
    pub fn is_due(&self, today: Date) -> bool {
        self.due < today
    }
}

impl Store {
    /// Every report expected for a period of any frequency ending between the months `first`
    /// and `last`, in order of period, then target; its standing as of today.
    pub async fn reports(&self, first: Period, last: Period) -> Result<Vec<Report>> {
        let periods = plan361_core::progress::periods_between(first.last_month(), last.last_month());
        let snapshot = self.snapshot().await?;
        let (org_units, decompositions) = (&snapshot.org_units, &snapshot.decompositions);
        let windows = self.windows().await?;
        let today = Date::in_china(self.now());
        let city = org_units.city().name.clone();

        let rows = sqlx::query(
            "SELECT target_id, org_unit, period, state, late FROM observations WHERE period_end BETWEEN $1 AND $2",
        )
        .bind(first.last_month().end_month_index())
        .bind(last.end_month_index())
        .fetch_all(&self.pool)
        .await?;
        let mut filed: HashMap<(String, String, String), (Filed, bool)> = HashMap::new();
        for row in rows {
            let key = (row.try_get("target_id")?, row.try_get("org_unit")?, row.try_get("period")?);
            let state: String = row.try_get("state")?;
            let late = row.try_get::<i64, _>("late")? != 0;
            let this = match state.as_str() {
                "approved" => Filed::Approved,
                "submitted" => Filed::Submitted,
                "returned" => Filed::Returned,
                _ => Filed::Draft,
            };
            // Two-sided targets store a value per measure under one key: a part not yet in
            // makes the whole not in.
            let entry = filed.entry(key).or_insert((this, late));
            if !this.is_in() || (entry.0.is_in() && this == Filed::Submitted) {
                *entry = (this, late || entry.1);
            }
        }

        let mut reports = Vec::new();
        for period in periods {
            let plan = self.plan_at(period).await?;
            let due = windows.due_date(period);
            let period_text = period.to_string();
            for target in plan.targets().iter().filter(|t| t.frequency.fits(period) && !t.is_derived()) {
                // Districts in the order of the org units (the goals are kept in a hash map).
                let mut districts: Vec<&str> = decompositions
                    .of_target(&TargetId::new(&target.id))
                    .map(|(unit, _)| unit.as_str())
                    .filter(|unit| org_units.get(unit).is_some_and(|u| u.kind != OrgKind::City))
                    .collect();
                districts.sort_by_key(|unit| org_units.all().iter().position(|u| u.name == *unit));
                let districts = districts.into_iter().map(|unit| (unit.to_string(), unit.to_string()));
                for (org_unit, reporting_unit) in
                    std::iter::once((city.clone(), snapshot.assignments.city_reporter(target).to_string()))
                        .chain(districts)
                {
                    let (stored, late) = filed
                        .get(&(target.id.clone(), org_unit.clone(), period_text.clone()))
                        .copied()
                        .unwrap_or((Filed::Nothing, false));
                    reports.push(Report {
                        period,
                        target_id: target.id.clone(),
                        indicator: target.indicator.clone(),
                        org_unit,
                        reporting_unit,
                        due,
                        late,
                        standing: Standing::of(stored, due, today),
                    });
                }
            }
        }
        Ok(reports)
    }

    /// Every report expected from the plan's first year after its baseline to this month.
    pub async fn reports_to_date(&self) -> Result<Vec<Report>> {
        let plan = self.current_plan().await?;
        let first = Period::month(plan.meta().baseline_year + 1, 1);
        self.reports(first, Date::in_china(self.now()).month_period()).await
    }
}
