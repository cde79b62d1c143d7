//! The plan as data: metadata, the cluster taxonomy, projects → tasks → targets.
//!
//! A [`Plan`] is built only by [`parse`], which validates everything the rest of the system
//! relies on: ids are unique, every target belongs to a task, units are known, goals fit their
//! kind. Code that holds a `Plan` may therefore index and compare without re-checking.

mod diff;
mod file;
mod key;

pub use diff::{TargetChange, diff};
pub use file::{FORMAT, PlanError, PlanErrors, parse};
pub use key::{TargetId, TargetKey};

use serde::{Deserialize, Serialize};

use crate::period::Period;

#[derive(Clone, Debug, Serialize)]
/// A plan: its targets, grouped into projects and tasks, as parsed and validated. Only
/// [`parse`] makes one, so a `Plan` outside this crate is always a valid one; its parts are
/// read through the methods of the same names.
pub struct Plan {
    pub(crate) meta: PlanMeta,
    pub(crate) units: Vec<String>,
    pub(crate) tiers: Vec<Tier>,
    pub(crate) projects: Vec<PlanProject>,
    pub(crate) tasks: Vec<Task>,
    pub(crate) targets: Vec<Target>,
}

#[derive(Clone, Debug, Serialize)]
/// What a plan is and who issued it.
pub struct PlanMeta {
    /// The plan's id (file name without extension).
    pub id: String,
    /// Its title.
    pub title: String,
    /// Who issued it.
    pub issuer: String,
    /// When it was issued, as written.
    pub issued: String,
    /// The region it covers.
    pub region: String,
    /// The year the baselines describe.
    pub baseline_year: i32,
    /// The target years.
    pub horizon: Vec<i32>,
    /// The unit that owns the plan; it leads targets the plan assigns to nobody.
    pub office: String,
}

#[derive(Clone, Debug, Serialize)]
/// A tier of clusters (万亿级, 千亿级 …).
pub struct Tier {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// How many clusters the plan announces for the tier, where it names fewer (the plan speaks
    /// of "六大新质生产性服务业" without naming them).
    pub size: Option<u32>,
    /// Its clusters.
    pub clusters: Vec<Cluster>,
}

#[derive(Clone, Debug, Serialize)]
/// An industrial cluster of the plan.
pub struct Cluster {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The unit that answers for the cluster (its warnings go there): the plan office unless
    /// the plan file names another.
    pub lead: String,
}

#[derive(Clone, Debug, Serialize)]
/// One of the plan's projects (工程), which group tasks.
pub struct PlanProject {
    /// Its number in the plan.
    pub number: u32,
    /// Its name.
    pub name: String,
}

#[derive(Clone, Debug, Serialize)]
/// A task of a project, which groups targets.
pub struct Task {
    /// "3.3": project number, then the task's number within it; "0" for the headline goals.
    pub id: String,
    /// The number of its project.
    pub project: u32,
    /// Its name.
    pub name: String,
    /// Responsible units, lead first.
    pub units: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
/// What a target's goal means, and so how progress towards it is measured (DESIGN §3).
pub enum Kind {
    /// A level to reach by the target year.
    Level,
    /// A total accumulated since the baseline.
    Cumulative,
    /// An increase over the baseline.
    Increment,
    /// A value to reach every year.
    Annual,
    /// A line not to cross.
    Threshold,
    /// Nothing may happen (zero incidents).
    Zero,
    /// A value to keep within a tolerance.
    Stable,
    /// Measures that should move one way.
    Direction,
    /// Something to accomplish by a year.
    Milestone,
}

impl Kind {
    /// Every kind, in the order the plan file documents them.
    pub const ALL: [Kind; 9] = [
        Kind::Level,
        Kind::Cumulative,
        Kind::Increment,
        Kind::Annual,
        Kind::Threshold,
        Kind::Zero,
        Kind::Stable,
        Kind::Direction,
        Kind::Milestone,
    ];

    /// The code in plan files and the API.
    pub fn code(self) -> &'static str {
        match self {
            Kind::Level => "level",
            Kind::Cumulative => "cumulative",
            Kind::Increment => "increment",
            Kind::Annual => "annual",
            Kind::Threshold => "threshold",
            Kind::Zero => "zero",
            Kind::Stable => "stable",
            Kind::Direction => "direction",
            Kind::Milestone => "milestone",
        }
    }

    /// The kind of a code; `None` for an unknown one.
    pub fn from_code(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Whether a city value is the sum of its districts' values, so that a district's goal is a
    /// share of the city's rather than the city's goal itself.
    pub fn is_additive(self) -> bool {
        matches!(self, Kind::Level | Kind::Cumulative | Kind::Increment | Kind::Annual | Kind::Zero)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
/// Which way is better.
pub enum Direction {
    /// More is better.
    Up,
    /// Less is better.
    Down,
}

impl Direction {
    /// +1 for up, −1 for down.
    pub fn sign(self) -> f64 {
        match self {
            Direction::Up => 1.0,
            Direction::Down => -1.0,
        }
    }

    /// The code in plan files (`up`, `down`).
    pub fn code(self) -> &'static str {
        match self {
            Direction::Up => "up",
            Direction::Down => "down",
        }
    }

    /// The direction of a code; `None` for an unknown one.
    pub fn from_code(code: &str) -> Option<Direction> {
        match code {
            "up" => Some(Direction::Up),
            "down" => Some(Direction::Down),
            _ => None,
        }
    }
}

/// How the plan phrases the goal. It changes what counts as meeting it: 突破 must be passed,
/// 左右 allows a small shortfall, the others must be reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Comparator {
    #[serde(rename = "达到")]
    /// 达到.
    Reach,
    #[serde(rename = "以上")]
    /// 以上.
    AtLeast,
    #[serde(rename = "不少于")]
    /// 不少于.
    NotLessThan,
    #[serde(rename = "突破")]
    /// 突破.
    Exceed,
    #[serde(rename = "左右")]
    /// 左右.
    About,
    #[serde(rename = "保持")]
    /// 保持.
    Keep,
    #[serde(rename = "实现")]
    /// 实现.
    Accomplish,
    /// An upper bound (控制在X以内, 不超过X): used with direction "down".
    #[serde(rename = "以内")]
    AtMost,
}

impl Comparator {
    /// Every comparator.
    pub const ALL: [Comparator; 8] = [
        Comparator::Reach,
        Comparator::AtLeast,
        Comparator::NotLessThan,
        Comparator::Exceed,
        Comparator::About,
        Comparator::Keep,
        Comparator::Accomplish,
        Comparator::AtMost,
    ];

    /// The word plan files write.
    pub fn word(self) -> &'static str {
        match self {
            Comparator::Reach => "达到",
            Comparator::AtLeast => "以上",
            Comparator::NotLessThan => "不少于",
            Comparator::Exceed => "突破",
            Comparator::About => "左右",
            Comparator::Keep => "保持",
            Comparator::Accomplish => "实现",
            Comparator::AtMost => "以内",
        }
    }

    /// The comparator of a word; `None` for an unknown one.
    pub fn from_word(word: &str) -> Option<Comparator> {
        Comparator::ALL.into_iter().find(|c| c.word() == word)
    }
}

/// What the target asks for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Goal {
    /// Values to reach by the end of given years, in year order (level, cumulative, increment,
    /// threshold, zero).
    Path(Vec<Milestone>),
    /// The same value within every year, up to an optional last year (annual).
    /// A value to reach every year, until a year if the plan says so.
    EveryYear {
        /// The value.
        value: f64,
        /// The last year it holds.
        until: Option<i32>,
    },
    /// No number: a state to reach or keep, by an optional year (milestone, direction, stable).
    /// A state to reach, by a year if the plan says so.
    State {
        /// The year it is due.
        due: Option<i32>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
/// A value to reach by a year.
pub struct Milestone {
    /// The year.
    pub year: i32,
    /// The value.
    pub value: f64,
}

impl Goal {
    /// The (year, value) pairs the plan states: one per target year, or one without a year.
    pub fn stated(&self) -> Vec<(Option<i32>, Option<f64>)> {
        match self {
            Goal::Path(path) => path.iter().map(|m| (Some(m.year), Some(m.value))).collect(),
            Goal::EveryYear { value, until } => vec![(*until, Some(*value))],
            Goal::State { due } => vec![(*due, None)],
        }
    }

    /// The last year the goal names.
    pub fn final_year(&self) -> Option<i32> {
        match self {
            Goal::Path(path) => path.last().map(|m| m.year),
            Goal::EveryYear { until, .. } => *until,
            Goal::State { due } => *due,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
/// A target's baseline as the plan states it.
pub struct Baseline {
    /// The value.
    pub value: f64,
    /// The year it describes.
    pub year: i32,
    /// Where the plan takes it from.
    pub source: String,
}

/// One of the parts of a `direction` target (双提升: two measures that must both improve).
#[derive(Clone, Debug, Serialize)]
pub struct Measure {
    /// Its key, as reports name it (`2.1.2:rank`).
    pub key: String,
    /// Its name.
    pub name: String,
    /// Which way is better.
    pub direction: Direction,
    /// The measure's own unit: 位 for a rank, % for a share.
    pub unit: String,
}

/// Thresholds of the status rule (DESIGN §3, §3A.7). Defaults follow Open SDG / Statistics
/// Canada for the projection ratio and Chinese 序时 practice for the lag.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct StatusRule {
    /// Projection ratio at or above which a target is on track.
    pub on_track: f64,
    /// Projection ratio at or above which a target needs acceleration rather than being off track.
    pub needs_acceleration: f64,
    /// Lag behind 序时进度, in percentage points, from which a target is off track when no
    /// projection can be made.
    pub off_track_lag_pp: f64,
    /// Shortfall of a `threshold` target below its line, in the target's unit (percentage
    /// points for rates), still counted as close (关注 rather than 滞后).
    pub threshold_near: f64,
}

impl Default for StatusRule {
    fn default() -> Self {
        StatusRule { on_track: 0.95, needs_acceleration: 0.6, off_track_lag_pp: 10.0, threshold_near: 1.0 }
    }
}

/// How often a target's value is reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    /// Monthly.
    Month,
    /// Quarterly.
    Quarter,
    /// Yearly.
    Year,
}

impl Frequency {
    /// The code in plan files and the API.
    pub fn code(self) -> &'static str {
        match self {
            Frequency::Month => "month",
            Frequency::Quarter => "quarter",
            Frequency::Year => "year",
        }
    }

    /// The frequency of a code; `None` for an unknown one.
    pub fn from_code(code: &str) -> Option<Frequency> {
        [Frequency::Month, Frequency::Quarter, Frequency::Year].into_iter().find(|f| f.code() == code)
    }

    /// The period of this frequency that contains `month`.
    pub fn period_containing(self, month: Period) -> Period {
        match self {
            Frequency::Month => month.last_month(),
            Frequency::Quarter => month.last_month().quarter_of(),
            Frequency::Year => Period::Year(month.year()),
        }
    }

    /// The last period of this frequency that has ended by the end of `at`.
    pub fn last_ended_by(self, at: Period) -> Period {
        let containing = self.period_containing(at.last_month());
        if containing.end_month_index() <= at.end_month_index() { containing } else { containing.previous() }
    }

    /// The period of this frequency that closes `year` (December, Q4 or the year itself).
    pub fn closing(self, year: i32) -> Period {
        self.period_containing(Period::month(year, 12))
    }

    /// Whether `period` is one of this frequency's periods (2026-11 for a monthly target,
    /// 2026Q3 for a quarterly one, 2026 for a yearly one): the only periods values are reported
    /// for.
    pub fn fits(self, period: Period) -> bool {
        matches!(
            (self, period),
            (Frequency::Month, Period::Month { .. })
                | (Frequency::Quarter, Period::Quarter { .. })
                | (Frequency::Year, Period::Year(_))
        )
    }
}

/// How a reported value is counted (DESIGN §3A.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Basis {
    /// A state at the period's end: a count held, a rate or share, an outstanding amount.
    Stock,
    /// 1–N月累计 of a flow within the calendar year: the closing period's value is the year's
    /// total.
    Ytd,
    /// Additions accumulated since the start month (新增/累计新增 since the plan's start).
    SinceStart(Period),
}

impl Basis {
    /// The code in plan files and the API.
    pub fn code(self) -> &'static str {
        match self {
            Basis::Stock => "stock",
            Basis::Ytd => "ytd",
            Basis::SinceStart(_) => "since_start",
        }
    }

    /// The month additions are counted from, for `since_start`.
    pub fn start(self) -> Option<Period> {
        match self {
            Basis::SinceStart(start) => Some(start),
            _ => None,
        }
    }

    /// The bases a kind of target can be reported on: a stock is a state, a flow within the
    /// year is `ytd`, additions count from a start.
    pub fn fits(self, kind: Kind) -> bool {
        matches!(
            (kind, self),
            (Kind::Level, Basis::Stock | Basis::Ytd)
                | (Kind::Cumulative, Basis::Stock | Basis::SinceStart(_))
                | (Kind::Increment, Basis::SinceStart(_))
                | (Kind::Annual, Basis::Ytd)
                | (Kind::Threshold, Basis::Stock | Basis::Ytd)
                | (Kind::Zero | Kind::Stable | Kind::Direction | Kind::Milestone, Basis::Stock)
        )
    }
}

impl Serialize for Basis {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

/// How the expected share of an annual goal grows within the year.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Pace {
    /// N/12 of the goal after N months.
    #[default]
    Even,
    /// Batch events (遴选, 认定, 授牌): judged at the year's end only.
    YearEnd,
}

/// What a district is measured against when the plan office has not decomposed the target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DistrictGoal {
    /// The city's goal × the district's share of the city's baseline (additive targets).
    Share,
    /// The city's goal itself (区县同标), for rates the plan office marks so.
    Same,
    /// No goal: the district is shown, marked 目标未分解, not judged.
    Undecomposed,
}

impl DistrictGoal {
    /// The code in plan files and the API.
    pub fn code(self) -> &'static str {
        match self {
            DistrictGoal::Share => "share",
            DistrictGoal::Same => "same",
            DistrictGoal::Undecomposed => "none",
        }
    }

    /// What a district's goal is when the plan file does not say: additive kinds in a unit that
    /// adds up take a share of the city's, others none.
    pub fn default_for(kind: Kind, unit: &str) -> DistrictGoal {
        if kind.is_additive() && !crate::units::is_rate(unit) {
            DistrictGoal::Share
        } else {
            DistrictGoal::Undecomposed
        }
    }
}

#[derive(Clone, Debug, Serialize)]
/// A target of the plan: what is measured, the goal, who leads, and how it is reported.
pub struct Target {
    /// Its id (`2.1.2`).
    pub id: String,
    /// The id of its task.
    pub task: String,
    /// The number of its project.
    pub project: u32,
    /// What is measured.
    pub indicator: String,
    /// The unit of its values.
    pub unit: String,
    /// What the goal means.
    pub kind: Kind,
    /// Which way is better.
    pub direction: Direction,
    /// The word the plan states the goal with.
    pub comparator: Comparator,
    /// The goal.
    pub goal: Goal,
    /// The plan's baseline, where it states one.
    pub baseline: Option<Baseline>,
    /// The lead unit (牵头单位).
    pub lead: String,
    /// The co-responsible units (配合单位).
    pub co: Vec<String>,
    /// The clause of the plan text the target is read from, verbatim.
    pub source_text: String,
    /// For `direction` targets: the measures that should move.
    pub measures: Vec<Measure>,
    /// How the status is judged.
    pub rule: StatusRule,
    /// How often values are reported.
    pub frequency: Frequency,
    /// What a reported value covers (the period, 1–N月, the year to date).
    pub basis: Basis,
    /// The relative band within which a value has not really moved (§3A.7), the share of a 左右
    /// goal that still meets it, or the deviation a `stable` target allows.
    pub tolerance: f64,
    /// How the plan expects the way to the goal to be covered.
    pub pace: Pace,
    /// What a district's goal is.
    pub district_goal: DistrictGoal,
    /// 口径说明: how the plan's figures or the baseline are defined, where a reader must know.
    pub basis_note: Option<String>,
    /// How the value is counted from the four lists, when nobody reports it.
    pub count: Option<crate::registry::CountRule>,
    /// How the value is taken from the cluster statistics (`derived = "stats"`), when nobody
    /// reports it.
    pub stats: Option<crate::stats::StatsRule>,
    /// Anything worth knowing about it.
    pub note: Option<String>,
}

impl Target {
    /// The keys its values are reported under: its id, or `id:measure` for each measure of a
    /// two-sided target.
    pub fn reported_keys(&self) -> Vec<TargetKey> {
        if self.measures.is_empty() {
            vec![TargetKey::new(&self.id, None)]
        } else {
            self.measures.iter().map(|m| TargetKey::new(&self.id, Some(&m.key))).collect()
        }
    }

    /// Whether its values are derived (counted from the lists or taken from the statistics)
    /// rather than reported.
    pub fn is_derived(&self) -> bool {
        self.count.is_some() || self.stats.is_some()
    }

    /// The org units that may report it: the lead, then the co-units.
    pub fn responsible(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.lead.as_str()).chain(self.co.iter().map(String::as_str))
    }
}

impl Plan {
    /// What the plan is and who issued it.
    pub fn meta(&self) -> &PlanMeta {
        &self.meta
    }

    /// The responsible units the plan names, in the plan's spelling.
    pub fn units(&self) -> &[String] {
        &self.units
    }

    /// The plan's tiers of industrial clusters.
    pub fn tiers(&self) -> &[Tier] {
        &self.tiers
    }

    /// The plan's projects (工程).
    pub fn projects(&self) -> &[PlanProject] {
        &self.projects
    }

    /// The plan's tasks.
    pub fn tasks(&self) -> &[Task] {
        &self.tasks
    }

    /// The plan's targets.
    pub fn targets(&self) -> &[Target] {
        &self.targets
    }

    /// The target `id`.
    pub fn target(&self, id: &str) -> Option<&Target> {
        self.targets.iter().find(|t| t.id == id)
    }

    /// The task `id`.
    pub fn task(&self, id: &str) -> Option<&Task> {
        self.tasks.iter().find(|t| t.id == id)
    }

    /// The project numbered `number`.
    pub fn project(&self, number: u32) -> Option<&PlanProject> {
        self.projects.iter().find(|p| p.number == number)
    }

    /// The tasks of a project, in plan order.
    pub fn tasks_of(&self, project: u32) -> impl Iterator<Item = &Task> {
        self.tasks.iter().filter(move |t| t.project == project)
    }

    /// The targets of a task, in plan order.
    pub fn targets_of(&self, task: &str) -> impl Iterator<Item = &Target> {
        self.targets.iter().filter(move |t| t.task == task)
    }

    /// The end of the baseline year, in fractional years.
    pub fn baseline_end(&self) -> f64 {
        f64::from(self.meta.baseline_year) + 1.0
    }
}

#[cfg(test)]
mod tests;
