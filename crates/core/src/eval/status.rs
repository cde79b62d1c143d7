//! The status of a target, and the default rule that assigns it (DESIGN §3).

use serde::Serialize;

use crate::plan::StatusRule;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
/// How a target stands at a period.
pub enum Status {
    /// 已达标
    Achieved,
    /// 正常
    OnTrack,
    /// 关注
    NeedsAcceleration,
    /// 滞后
    OffTrack,
    /// 倒退
    MovingAway,
    /// 未完成: a target year has ended below its goal.
    Missed,
    /// 基期: evaluated at or before the baseline.
    Baseline,
    /// 无数据
    NoData,
}

impl Status {
    /// In display order: the judged statuses best first, then those counted apart.
    pub const ALL: [Status; 8] = [
        Status::Achieved,
        Status::OnTrack,
        Status::NeedsAcceleration,
        Status::OffTrack,
        Status::MovingAway,
        Status::Missed,
        Status::Baseline,
        Status::NoData,
    ];

    /// The code stored and sent over the API (`on_track`, `behind` …).
    pub fn code(self) -> &'static str {
        match self {
            Status::Achieved => "achieved",
            Status::OnTrack => "on_track",
            Status::NeedsAcceleration => "needs_acceleration",
            Status::OffTrack => "off_track",
            Status::MovingAway => "moving_away",
            Status::Missed => "missed",
            Status::Baseline => "baseline",
            Status::NoData => "no_data",
        }
    }

    /// The status of a code; `None` for an unknown one.
    pub fn from_code(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Whether the status is a verdict on progress; 基期 and 无数据 are counted apart (§3A.7).
    pub fn is_judged(self) -> bool {
        !matches!(self, Status::Baseline | Status::NoData)
    }

    /// Whether the status calls for attention: 关注, 滞后, 倒退, 未完成.
    pub fn needs_attention(self) -> bool {
        matches!(self, Status::NeedsAcceleration | Status::OffTrack | Status::MovingAway | Status::Missed)
    }

    /// How much attention the status calls for, worst highest (§3A.7: 未完成, 倒退, 滞后, 关注,
    /// 正常, 已达标); the unjudged rank below every verdict.
    pub fn severity(self) -> u8 {
        match self {
            Status::Baseline => 0,
            Status::NoData => 1,
            Status::Achieved => 2,
            Status::OnTrack => 3,
            Status::NeedsAcceleration => 4,
            Status::OffTrack => 5,
            Status::MovingAway => 6,
            Status::Missed => 7,
        }
    }

    /// The status of a group: its worst judged member's (a task's status is its worst
    /// target's); a group with no verdict at all is 无数据, or 基期 if every member is.
    pub fn worst(statuses: impl IntoIterator<Item = Status>) -> Option<Status> {
        statuses.into_iter().max_by_key(|s| s.severity())
    }
}

/// From the projection ratio `(projected − b)/(T − b)`.
pub fn from_projection(ratio: f64, rule: &StatusRule) -> Status {
    if ratio >= rule.on_track {
        Status::OnTrack
    } else if ratio >= rule.needs_acceleration {
        Status::NeedsAcceleration
    } else if ratio >= 0.0 {
        Status::OffTrack
    } else {
        Status::MovingAway
    }
}

/// From the lag behind 序时进度 in percentage points, when no projection can be made.
pub fn from_lag(lag_pp: f64, rule: &StatusRule) -> Status {
    if lag_pp >= 0.0 {
        Status::OnTrack
    } else if lag_pp > -rule.off_track_lag_pp {
        Status::NeedsAcceleration
    } else {
        Status::OffTrack
    }
}

/// Counts of targets by status, in [`Status::ALL`] order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct StatusCounts(pub [usize; 8]);

impl StatusCounts {
    /// Counts one more of `status`.
    pub fn add(&mut self, status: Status) {
        self.0[Status::ALL.iter().position(|s| *s == status).unwrap_or(0)] += 1;
    }

    /// How many of `status` were counted.
    pub fn get(&self, status: Status) -> usize {
        Status::ALL.iter().position(|s| *s == status).map_or(0, |i| self.0[i])
    }

    /// How many were counted in all.
    pub fn total(&self) -> usize {
        self.0.iter().sum()
    }
}

impl FromIterator<Status> for StatusCounts {
    fn from_iter<I: IntoIterator<Item = Status>>(iter: I) -> Self {
        let mut counts = StatusCounts::default();
        for status in iter {
            counts.add(status);
        }
        counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projection_thresholds_follow_the_default_rule() {
        let rule = StatusRule::default();
        assert_eq!(from_projection(1.537799, &rule), Status::OnTrack);
        assert_eq!(from_projection(0.95, &rule), Status::OnTrack);
        assert_eq!(from_projection(0.911828, &rule), Status::NeedsAcceleration);
        assert_eq!(from_projection(0.6, &rule), Status::NeedsAcceleration);
        assert_eq!(from_projection(0.471955, &rule), Status::OffTrack);
        assert_eq!(from_projection(0.0, &rule), Status::OffTrack);
        assert_eq!(from_projection(-0.01, &rule), Status::MovingAway);
    }

    #[test]
    fn lag_thresholds_follow_the_default_rule() {
        let rule = StatusRule::default();
        assert_eq!(from_lag(0.0, &rule), Status::OnTrack);
        assert_eq!(from_lag(-9.99, &rule), Status::NeedsAcceleration);
        assert_eq!(from_lag(-10.0, &rule), Status::OffTrack);
    }

    #[test]
    fn a_group_takes_its_worst_verdict_in_the_order_of_section_3a7() {
        let statuses = [Status::Achieved, Status::NeedsAcceleration, Status::OnTrack];
        assert_eq!(Status::worst(statuses), Some(Status::NeedsAcceleration));
        let worst_first = [
            Status::Missed,
            Status::MovingAway,
            Status::OffTrack,
            Status::NeedsAcceleration,
            Status::OnTrack,
            Status::Achieved,
        ];
        for pair in worst_first.windows(2) {
            assert_eq!(Status::worst([pair[1], pair[0]]), Some(pair[0]));
        }
        assert_eq!(Status::worst([Status::OnTrack, Status::NoData]), Some(Status::OnTrack), "无数据 is counted apart");
        assert_eq!(Status::worst([Status::Achieved, Status::Baseline]), Some(Status::Achieved));
        assert_eq!(Status::worst([Status::NoData, Status::Baseline]), Some(Status::NoData));
        assert_eq!(Status::worst([]), None);
    }

    #[test]
    fn counts_by_status() {
        let counts: StatusCounts = [Status::OnTrack, Status::OnTrack, Status::OffTrack].into_iter().collect();
        assert_eq!(counts.get(Status::OnTrack), 2);
        assert_eq!(counts.get(Status::OffTrack), 1);
        assert_eq!(counts.total(), 3);
    }
}
