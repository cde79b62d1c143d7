//! Keeping the warnings up to date while the server runs: a scan of the last closed month a
//! few seconds after writes (one scan for a burst of them), one each night, and the open
//! warnings per owner unit that the header's badge shows. The same runs send the notices that
//! go out by themselves: deadlines coming, values waiting for a reviewer.

use std::collections::HashMap;
use std::sync::RwLock;
use std::time::Duration;

use plan361_core::access::{Actor, Role};
use plan361_store::{ObservationState, ScanReport};
use tokio::sync::Notify;

use crate::AppState;
use crate::error::Problem;

/// How long a scan waits after a write for more writes.
const DEBOUNCE: Duration = Duration::from_secs(3);
/// Units are reminded of reports not in this many days before they are due.
const REMIND_DAYS_BEFORE: i64 = 3;
/// The nightly scan's hour, Ningbo time.
const NIGHTLY_HOUR_MS: i64 = 2 * 3_600_000;
const DAY_MS: i64 = 86_400_000;
const CHINA_OFFSET_MS: i64 = 8 * 3_600_000;

#[derive(Default)]
pub struct Watch {
    open_by_owner: RwLock<HashMap<String, usize>>,
    wake: Notify,
}

impl Watch {
    /// Asks for a scan soon (after a write).
    pub fn poke(&self) {
        self.wake.notify_one();
    }
}

impl AppState {
    /// Open warnings owned by `unit`, as of the last scan or step.
    pub fn warnings_open_for(&self, unit: &str) -> usize {
        self.warnings.open_by_owner.read().ok().and_then(|c| c.get(unit).copied()).unwrap_or(0)
    }

    /// Re-reads the open warnings per owner (after a scan or a person's step).
    pub async fn refresh_warning_counts(&self) -> Result<(), Problem> {
        let counts = self.store.open_warnings_by_owner().await?;
        if let Ok(mut open) = self.warnings.open_by_owner.write() {
            *open = counts;
        }
        Ok(())
    }

    /// After the rules change: scan soon, so the warnings follow them.
    pub fn warnings_changed(&self) {
        self.warnings.poke();
    }

    /// Scans the last closed month as the system.
    pub async fn scan_warnings(&self) -> Result<ScanReport, Problem> {
        let city = self.store.org_units().await?.city().name.clone();
        let at = crate::service::current_month(self).previous_month();
        let report = self.store.scan_warnings(&Actor::system(&city), at).await?;
        self.refresh_warning_counts().await?;
        Ok(report)
    }

    /// The notices nobody sends by hand: reports due within a few days, values waiting for
    /// each reviewer (each once).
    pub async fn send_notices(&self) -> Result<(), Problem> {
        self.store.remind_due_soon(REMIND_DAYS_BEFORE).await?;
        for user in self.store.users().await?.into_iter().filter(|u| u.role == Role::Reviewer && !u.disabled) {
            let reviewer = self.store.actor(&user.username).await?;
            let waiting =
                crate::service::actionable(self, &reviewer, ObservationState::Submitted, crate::service::review_action)
                    .await?;
            if !waiting.is_empty() {
                self.store.notify_waiting(&user.username, waiting.len()).await?;
            }
        }
        Ok(())
    }

    /// Starts the scans: a first one now, one after each burst of writes, one each night.
    pub fn start_warning_scans(&self) {
        let after_writes = self.clone();
        tokio::spawn(async move {
            after_writes.warnings.poke();
            loop {
                after_writes.warnings.wake.notified().await;
                tokio::time::sleep(DEBOUNCE).await;
                if let Err(problem) = after_writes.scan_warnings().await {
                    tracing::error!(target: "plan361::warnings", cause = %problem.message, "warning scan failed");
                }
                if let Err(problem) = after_writes.send_notices().await {
                    tracing::error!(target: "plan361::notices", cause = %problem.message, "sending notices failed");
                }
            }
        });
        let nightly = self.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(until_next_night(nightly.store.now())).await;
                nightly.warnings.poke();
            }
        });
    }
}

/// From `now` (epoch ms) to the next nightly hour in Ningbo.
fn until_next_night(now: i64) -> Duration {
    let local = now + CHINA_OFFSET_MS;
    let today = local - local.rem_euclid(DAY_MS) + NIGHTLY_HOUR_MS;
    let next = if today > local { today } else { today + DAY_MS };
    Duration::from_millis(u64::try_from(next - local).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nightly_scan_runs_at_two_in_ningbo() {
        // 2026-12-05 01:00 in Ningbo is 2026-12-04 17:00 UTC.
        let one_am =
            plan361_core::calendar::Date::new(2026, 12, 5).expect("a day of the calendar").start_ms() + 3_600_000;
        assert_eq!(until_next_night(one_am), Duration::from_secs(3600));
        assert_eq!(until_next_night(one_am + 3_600_000), Duration::from_secs(24 * 3600));
    }
}
