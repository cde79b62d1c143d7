//! What a unit must report: the lines of its reporting form, for the CLI's `template` and the
//! web's 我的任务, the Excel form and `/api/tasks` alike.

use std::collections::HashMap;

use plan361_core::Period;
use plan361_core::access::{self, Action, Actor};
use plan361_core::calendar::Date;
use plan361_core::org::OrgKind;
use plan361_core::plan::{Frequency, Plan, Target};

use crate::{Observation, ObservationFilter, Result, Store, Windows};

/// One value a unit must report for a period, with what is stored for it so far.
pub struct Duty {
    /// The target's position in the plan the duties were listed from.
    pub target: usize,
    /// `id` or `id:measure`.
    pub key: String,
    pub org_unit: String,
    pub period: Period,
    pub due: Date,
    pub stored: Option<Observation>,
}

impl Duty {
    /// The revision of the value stored so far (0: none): an upload of a form made now
    /// conflicts with any change made since.
    pub fn revision(&self) -> i64 {
        self.stored.as_ref().map_or(0, |o| o.revision)
    }
}

/// Which periods a unit's duties are listed for.
#[derive(Clone, Copy, Debug)]
pub enum DutyPeriods {
    /// Every period whose reporting window is open today: for each target the current period
    /// of its frequency, and the one before while its window has not locked.
    Open,
    /// One period, for the targets of its frequency.
    Of(Period),
}

impl Store {
    /// What `unit` (of kind `kind`) must report in `periods` under `plan` — the targets it is
    /// responsible for (departments) or that were decomposed to it (districts), those `actor`
    /// may write — with the values `actor` sees stored for them.
    pub async fn duties(
        &self,
        actor: &Actor,
        plan: &Plan,
        unit: &str,
        kind: OrgKind,
        periods: DutyPeriods,
    ) -> Result<Vec<Duty>> {
        let snapshot = self.snapshot().await?;
        let windows = self.windows().await?;
        let today = Date::in_china(self.now());
        let mut duties = {
            let cx = snapshot.context(plan);
            let mut duties = Vec::new();
            for (index, target) in plan.targets().iter().enumerate() {
                let Some(org_unit) = access::reports_for(target, unit, kind, &cx) else { continue };
                let write = Action::WriteObservation { target: &target.id, org_unit: &org_unit };
                if access::check(actor, write, &cx).is_err() {
                    continue;
                }
                let keys = target.reported_keys();
                let periods = match periods {
                    DutyPeriods::Open => open_periods(target, today, &windows),
                    DutyPeriods::Of(period) => [period].into_iter().filter(|p| target.frequency.fits(*p)).collect(),
                };
                for period in periods {
                    for key in &keys {
                        duties.push(Duty {
                            target: index,
                            key: key.to_string(),
                            org_unit: org_unit.clone(),
                            period,
                            due: windows.due_date(period),
                            stored: None,
                        });
                    }
                }
            }
            duties
        };
        let mut scopes: Vec<(String, Period)> = duties.iter().map(|d| (d.org_unit.clone(), d.period)).collect();
        scopes.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
        scopes.dedup();
        let mut stored: HashMap<(String, String, Period), Observation> = HashMap::new();
        for (org_unit, period) in scopes {
            let filter = ObservationFilter { org_unit: Some(org_unit), period: Some(period), ..Default::default() };
            for o in self.observations(actor, &filter).await? {
                stored.insert((o.target_key(), o.org_unit.clone(), o.period), o);
            }
        }
        for duty in &mut duties {
            duty.stored = stored.remove(&(duty.key.clone(), duty.org_unit.clone(), duty.period));
        }
        Ok(duties)
    }
}

/// The periods of a target's frequency whose reporting window is open today: the current
/// one, and the one before while its window has not locked.
fn open_periods(target: &Target, today: Date, windows: &Windows) -> Vec<Period> {
    let current = current_of(target.frequency, today.month_period());
    [current.previous(), current]
        .into_iter()
        .filter(|p| Date::first_of(*p) <= today && today <= windows.lock_date(*p))
        .collect()
}

/// The period of a frequency that contains `month`.
fn current_of(frequency: Frequency, month: Period) -> Period {
    match frequency {
        Frequency::Month => month,
        Frequency::Quarter => month.quarter_of(),
        Frequency::Year => Period::Year(month.year()),
    }
}
