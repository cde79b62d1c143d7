//! 填报进度: where each expected report stands (未报, 草稿, 已报送, 已退回, 已审核, 逾期 N 天),
//! and the counts of a unit or a period (填报及时率). Pure: the store says what is filed and
//! when it was due, the caller says what day it is.

use serde::Serialize;

use crate::Period;
use crate::calendar::Date;
use crate::plan::Frequency;

/// What is stored for one expected report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Filed {
    /// No value stored.
    Nothing,
    /// A draft, not submitted.
    Draft,
    /// Returned by a reviewer, not submitted again.
    Returned,
    /// Submitted, waiting for review.
    Submitted,
    /// Approved.
    Approved,
}

impl Filed {
    /// Whether the unit has done its part: the value is with the reviewer or approved.
    pub fn is_in(self) -> bool {
        matches!(self, Filed::Submitted | Filed::Approved)
    }
}

/// Where one expected report stands today.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Standing {
    /// Not filed, not yet due (未报).
    Open,
    /// A draft, not yet due (草稿).
    Draft,
    /// Returned, not yet due (已退回).
    Returned,
    /// Submitted (已报送).
    Submitted,
    /// Approved (已审核).
    Approved,
    /// Due date passed without a submitted value; `filed` is what there is (nothing, a draft, a
    /// returned value).
    Overdue {
        /// Days since the due date.
        days: i64,
        /// What is stored.
        filed: Filed,
    },
}

impl Standing {
    /// Where a report stands on `today`, from what is filed and its due date.
    pub fn of(filed: Filed, due: Date, today: Date) -> Standing {
        let days = due.days_until(today);
        match filed {
            Filed::Submitted => Standing::Submitted,
            Filed::Approved => Standing::Approved,
            _ if days > 0 => Standing::Overdue { days, filed },
            Filed::Nothing => Standing::Open,
            Filed::Draft => Standing::Draft,
            Filed::Returned => Standing::Returned,
        }
    }

    /// The code of the API and the filters: open, draft, returned, submitted, approved, overdue.
    pub fn code(self) -> &'static str {
        match self {
            Standing::Open => "open",
            Standing::Draft => "draft",
            Standing::Returned => "returned",
            Standing::Submitted => "submitted",
            Standing::Approved => "approved",
            Standing::Overdue { .. } => "overdue",
        }
    }

    /// Every standing's code.
    pub const CODES: [&'static str; 6] = ["open", "draft", "returned", "submitted", "approved", "overdue"];

    /// The words of the grid: 未报, 草稿, 已报送, 已退回, 已审核, 逾期 N 天.
    pub fn label(self, zh: bool) -> String {
        match (self, zh) {
            (Standing::Open, true) => "未报".into(),
            (Standing::Draft, true) => "草稿".into(),
            (Standing::Returned, true) => "已退回".into(),
            (Standing::Submitted, true) => "已报送".into(),
            (Standing::Approved, true) => "已审核".into(),
            (Standing::Overdue { days, .. }, true) => format!("逾期 {days} 天"),
            (Standing::Open, false) => "not yet filed".into(),
            (Standing::Draft, false) => "draft".into(),
            (Standing::Returned, false) => "returned".into(),
            (Standing::Submitted, false) => "submitted".into(),
            (Standing::Approved, false) => "approved".into(),
            (Standing::Overdue { days, .. }, false) => format!("{days} days overdue"),
        }
    }

    /// How much a standing asks for attention: a cell of several reports shows its most urgent.
    fn urgency(self) -> i64 {
        match self {
            Standing::Approved => 0,
            Standing::Submitted => 1,
            Standing::Draft => 2,
            Standing::Open => 3,
            Standing::Returned => 4,
            Standing::Overdue { days, .. } => 5 + days,
        }
    }
}

/// The counts of a set of reports: one cell of the grid, a unit's row, the whole table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Tally {
    /// Reports expected.
    pub expected: usize,
    /// Of those, not filed and not yet due.
    pub open: usize,
    /// Drafts not yet due.
    pub draft: usize,
    /// Returned, not yet due.
    pub returned: usize,
    /// Submitted.
    pub submitted: usize,
    /// Approved.
    pub approved: usize,
    /// Overdue.
    pub overdue: usize,
    /// Reports whose due date has passed.
    pub due: usize,
    /// Of those, submitted by the due date.
    pub on_time: usize,
    /// Of those, submitted after the due date.
    pub late: usize,
    /// The most urgent standing (`None` for no reports).
    pub worst: Option<Standing>,
}

impl Tally {
    /// Counts one report; `late` says it was submitted after its due date, `is_due` that the due
    /// date has passed.
    pub fn add(&mut self, standing: Standing, late: bool, is_due: bool) {
        self.expected += 1;
        match standing {
            Standing::Open => self.open += 1,
            Standing::Draft => self.draft += 1,
            Standing::Returned => self.returned += 1,
            Standing::Submitted => self.submitted += 1,
            Standing::Approved => self.approved += 1,
            Standing::Overdue { .. } => self.overdue += 1,
        }
        if is_due {
            self.due += 1;
            match (standing, late) {
                (Standing::Submitted | Standing::Approved, false) => self.on_time += 1,
                (Standing::Submitted | Standing::Approved, true) => self.late += 1,
                _ => {}
            }
        }
        self.raise_worst(Some(standing));
    }

    fn raise_worst(&mut self, standing: Option<Standing>) {
        if let Some(standing) = standing.filter(|s| self.worst.is_none_or(|w| s.urgency() > w.urgency())) {
            self.worst = Some(standing);
        }
    }

    /// Adds another tally's counts (a unit's periods together); the worst of both.
    pub fn merge(&mut self, other: &Tally) {
        self.expected += other.expected;
        self.open += other.open;
        self.draft += other.draft;
        self.returned += other.returned;
        self.submitted += other.submitted;
        self.approved += other.approved;
        self.overdue += other.overdue;
        self.due += other.due;
        self.on_time += other.on_time;
        self.late += other.late;
        self.raise_worst(other.worst);
    }

    /// 填报及时率: reports in by their due date over reports due; `None` when none is due yet.
    pub fn timeliness(&self) -> Option<f64> {
        (self.due > 0).then(|| self.on_time as f64 / self.due as f64)
    }

    /// Reports due and not in.
    pub fn missing(&self) -> usize {
        self.due - self.on_time - self.late
    }

    /// Reports the unit has done its part on (submitted or approved).
    pub fn filed(&self) -> usize {
        self.submitted + self.approved
    }
}

/// The periods of every frequency from `first` to `last` (months), in order of their end: each
/// month, each quarter and year that ends within the range.
pub fn periods_between(first: Period, last: Period) -> Vec<Period> {
    let mut periods = Vec::new();
    for month in Period::months_between(first, last) {
        periods.push(month);
        for frequency in [Frequency::Quarter, Frequency::Year] {
            let closing = frequency.last_ended_by(month);
            if closing.end_month_index() == month.end_month_index()
                && closing.end_month_index() >= first.end_month_index()
            {
                periods.push(closing);
            }
        }
    }
    periods
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const DUE: Date = Date { year: 2026, month: 2, day: 10 };

    #[test]
    fn a_report_is_overdue_the_day_after_it_was_due_unless_it_is_in() {
        let day = |d| Date { year: 2026, month: 2, day: d };
        assert_eq!(Standing::of(Filed::Nothing, DUE, day(10)), Standing::Open);
        assert_eq!(Standing::of(Filed::Nothing, DUE, day(11)), Standing::Overdue { days: 1, filed: Filed::Nothing });
        assert_eq!(Standing::of(Filed::Draft, DUE, day(9)), Standing::Draft);
        assert_eq!(Standing::of(Filed::Returned, DUE, day(20)), Standing::Overdue { days: 10, filed: Filed::Returned });
        assert_eq!(Standing::of(Filed::Submitted, DUE, day(20)), Standing::Submitted);
        assert_eq!(Standing::of(Filed::Approved, DUE, day(20)), Standing::Approved);
        assert_eq!(Standing::Overdue { days: 270, filed: Filed::Nothing }.label(true), "逾期 270 天");
    }

    #[test]
    fn timeliness_counts_reports_in_by_their_due_date() {
        let mut tally = Tally::default();
        tally.add(Standing::Approved, false, true);
        tally.add(Standing::Submitted, true, true); // in, but late
        tally.add(Standing::Overdue { days: 3, filed: Filed::Nothing }, false, true);
        tally.add(Standing::Open, false, false); // not due: not counted
        assert_eq!((tally.due, tally.on_time, tally.late, tally.missing(), tally.filed()), (3, 1, 1, 1, 2));
        assert_eq!(tally.timeliness(), Some(1.0 / 3.0));
        assert_eq!(tally.worst, Some(Standing::Overdue { days: 3, filed: Filed::Nothing }));
        assert_eq!(Tally::default().timeliness(), None);
    }

    #[test]
    fn periods_between_lists_quarters_and_years_where_they_end() {
        let got: Vec<String> =
            periods_between(Period::month(2025, 11), Period::month(2026, 3)).iter().map(|p| p.to_string()).collect();
        assert_eq!(got, ["2025-11", "2025-12", "2025Q4", "2025", "2026-01", "2026-02", "2026-03", "2026Q1"]);
    }

    fn standing() -> impl Strategy<Value = (Standing, bool, bool)> {
        let filed = prop_oneof![
            Just(Filed::Nothing),
            Just(Filed::Draft),
            Just(Filed::Returned),
            Just(Filed::Submitted),
            Just(Filed::Approved)
        ];
        (filed, 1u8..=28, any::<bool>()).prop_map(|(filed, day, late)| {
            let today = Date { year: 2026, month: 2, day };
            (Standing::of(filed, DUE, today), late, DUE < today)
        })
    }

    proptest! {
        /// The counts add up whatever the reports, and the worst is one of them.
        #[test]
        fn a_tally_adds_up(reports in proptest::collection::vec(standing(), 0..40)) {
            let mut tally = Tally::default();
            for (s, late, due) in &reports {
                tally.add(*s, *late, *due);
            }
            let parts = tally.open + tally.draft + tally.returned + tally.submitted + tally.approved + tally.overdue;
            prop_assert_eq!(parts, reports.len());
            prop_assert!(tally.on_time + tally.late <= tally.due && tally.due <= tally.expected);
            let due_and_in = reports.iter().filter(|(s, _, due)| *due && matches!(s, Standing::Submitted | Standing::Approved));
            prop_assert_eq!(tally.on_time + tally.late, due_and_in.count());
            prop_assert!(tally.timeliness().is_none_or(|t| (0.0..=1.0).contains(&t)));
            prop_assert_eq!(tally.worst.is_some(), !reports.is_empty());
            if let Some(worst) = tally.worst {
                prop_assert!(reports.iter().all(|(s, _, _)| s.urgency() <= worst.urgency()));
            }
        }

        /// Two tallies merged count what one tally of both halves counts.
        #[test]
        fn merged_tallies_count_as_one(reports in proptest::collection::vec(standing(), 0..40), split in 0usize..40) {
            let split = split.min(reports.len());
            let tally_of = |part: &[(Standing, bool, bool)]| {
                let mut tally = Tally::default();
                for (s, late, due) in part {
                    tally.add(*s, *late, *due);
                }
                tally
            };
            let mut merged = tally_of(&reports[..split]);
            merged.merge(&tally_of(&reports[split..]));
            let whole = tally_of(&reports);
            prop_assert_eq!((merged.expected, merged.due, merged.on_time, merged.late), (whole.expected, whole.due, whole.on_time, whole.late));
            prop_assert_eq!(merged.filed(), whole.filed());
            prop_assert_eq!(merged.worst.map(|w| w.urgency()), whole.worst.map(|w| w.urgency()));
        }
    }
}
