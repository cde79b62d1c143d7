//! Reading and validating a plan file (TOML).
//!
//! Parsing happens in two steps: serde reads the text into `Raw*` structures that keep the
//! position of every field, then [`validate`] checks the meaning and reports every problem it
//! finds with its line, not only the first.

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::{
    Baseline, Basis, Cluster, Comparator, Direction, DistrictGoal, Frequency, Goal, Kind, Measure, Milestone, Pace,
    Plan, PlanMeta, PlanProject, StatusRule, Target, Task, Tier,
};
use crate::period::Period;
use crate::units;

/// One problem in a plan file: where it is and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanError {
    /// The line of the plan file (1-based; 0 where no line applies).
    pub line: usize,
    /// The target, task or section the problem is in, and the field.
    pub context: String,
    /// What is wrong, in words.
    pub message: String,
}

/// Every problem found in a plan file, in line order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanErrors {
    /// The file's name as given.
    pub file: String,
    /// Every problem found.
    pub errors: Vec<PlanError>,
}

impl fmt::Display for PlanErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.errors.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{}:{}: ", self.file, error.line)?;
            if !error.context.is_empty() {
                write!(f, "{}: ", error.context)?;
            }
            write!(f, "{}", error.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for PlanErrors {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlanFile {
    format: Option<Spanned<u32>>,
    plan: Spanned<RawMeta>,
    #[serde(default)]
    units: Vec<Spanned<String>>,
    #[serde(default, rename = "tier")]
    tiers: Vec<Spanned<RawTier>>,
    #[serde(default, rename = "project")]
    projects: Vec<Spanned<RawProject>>,
    #[serde(default, rename = "task")]
    tasks: Vec<Spanned<RawTask>>,
    #[serde(default, rename = "target")]
    targets: Vec<Spanned<RawTarget>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeta {
    id: String,
    title: String,
    issuer: String,
    issued: String,
    region: String,
    baseline_year: Spanned<i32>,
    horizon: Vec<i32>,
    office: Spanned<String>,
    #[serde(default)]
    status: Option<RawRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTier {
    id: Spanned<String>,
    name: String,
    size: Option<u32>,
    #[serde(default)]
    clusters: Vec<RawCluster>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCluster {
    id: Spanned<String>,
    name: String,
    lead: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProject {
    number: Spanned<u32>,
    name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTask {
    id: Spanned<String>,
    name: String,
    #[serde(default)]
    units: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    id: Spanned<String>,
    task: Spanned<String>,
    indicator: String,
    unit: Spanned<String>,
    kind: Spanned<String>,
    direction: Option<Spanned<String>>,
    comparator: Spanned<String>,
    values: Option<Spanned<BTreeMap<String, Spanned<f64>>>>,
    annual: Option<Spanned<f64>>,
    until: Option<Spanned<i32>>,
    due: Option<Spanned<i32>>,
    baseline: Option<Spanned<RawBaseline>>,
    lead: Option<Spanned<String>>,
    co: Option<Vec<Spanned<String>>>,
    source_text: Spanned<String>,
    #[serde(default)]
    measures: Vec<Spanned<RawMeasure>>,
    status: Option<RawRule>,
    frequency: Option<Spanned<String>>,
    basis: Option<Spanned<String>>,
    basis_start: Option<Spanned<String>>,
    tolerance: Option<Spanned<f64>>,
    pace: Option<Spanned<String>>,
    district_goal: Option<Spanned<String>>,
    basis_note: Option<String>,
    count: Option<Spanned<crate::registry::CountRule>>,
    derived: Option<Spanned<String>>,
    stats: Option<Spanned<crate::stats::StatsRule>>,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBaseline {
    value: f64,
    year: Spanned<i32>,
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeasure {
    key: String,
    name: String,
    direction: Spanned<String>,
    unit: Spanned<String>,
}

#[derive(Clone, Copy, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    on_track: Option<f64>,
    needs_acceleration: Option<f64>,
    off_track_lag_pp: Option<f64>,
    threshold_near: Option<f64>,
}

impl RawRule {
    fn over(self, base: StatusRule) -> StatusRule {
        StatusRule {
            on_track: self.on_track.unwrap_or(base.on_track),
            needs_acceleration: self.needs_acceleration.unwrap_or(base.needs_acceleration),
            off_track_lag_pp: self.off_track_lag_pp.unwrap_or(base.off_track_lag_pp),
            threshold_near: self.threshold_near.unwrap_or(base.threshold_near),
        }
    }
}

/// The plan-file format this parser reads. Format 2 states every target's frequency and basis.
pub const FORMAT: u32 = 2;

/// Parses and validates a plan file. `file` names it in error messages.
pub fn parse(file: &str, text: &str) -> Result<Plan, PlanErrors> {
    let lines = LineIndex::new(text);
    let raw: RawPlanFile = toml::from_str(text).map_err(|e| PlanErrors {
        file: file.to_string(),
        errors: vec![PlanError {
            line: e.span().map_or(1, |span| lines.line(span.start)),
            context: String::new(),
            message: e.message().trim().to_string(),
        }],
    })?;
    let mut problems = Problems { lines: &lines, errors: Vec::new() };
    let plan = validate(raw, &mut problems);
    if problems.errors.is_empty() {
        Ok(plan)
    } else {
        problems.errors.sort_by_key(|e| e.line);
        Err(PlanErrors { file: file.to_string(), errors: problems.errors })
    }
}

struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts: starts.collect() }
    }

    fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset).max(1)
    }
}

struct Problems<'a> {
    lines: &'a LineIndex,
    errors: Vec<PlanError>,
}

impl Problems<'_> {
    fn add(&mut self, span: Range<usize>, context: impl Into<String>, message: impl Into<String>) {
        self.errors.push(PlanError {
            line: self.lines.line(span.start),
            context: context.into(),
            message: message.into(),
        });
    }
}

fn validate(raw: RawPlanFile, problems: &mut Problems) -> Plan {
    let meta_span = raw.plan.span();
    let raw_meta = raw.plan.into_inner();
    let baseline_year = *raw_meta.baseline_year.get_ref();
    let plan_rule = raw_meta.status.unwrap_or_default().over(StatusRule::default());
    match &raw.format {
        Some(format) if *format.get_ref() == FORMAT => {}
        Some(format) => problems.add(
            format.span(),
            "format",
            format!(
                "format {} is not read by this version: format {FORMAT} states every target's `frequency` and `basis`",
                format.get_ref()
            ),
        ),
        None => {
            problems.add(meta_span.clone(), "format", format!("missing `format = {FORMAT}` at the top of the file"))
        }
    }

    let units: Vec<String> = raw.units.iter().map(|u| u.get_ref().clone()).collect();
    let mut seen_units = HashSet::new();
    for unit in &raw.units {
        if !seen_units.insert(unit.get_ref().as_str()) {
            problems.add(unit.span(), "units", format!("duplicate unit \"{}\"", unit.get_ref()));
        }
    }
    let known_unit = |name: &str| seen_units.contains(name);
    if !known_unit(raw_meta.office.get_ref()) {
        problems.add(
            raw_meta.office.span(),
            "plan.office",
            format!("\"{}\" is not listed in `units`", raw_meta.office.get_ref()),
        );
    }
    if raw_meta.horizon.is_empty() {
        problems.add(meta_span.clone(), "plan.horizon", "at least one horizon year is needed");
    }

    let tiers = validate_tiers(raw.tiers, raw_meta.office.get_ref(), &known_unit, problems);
    let projects = validate_projects(raw.projects, problems);
    let tasks = validate_tasks(raw.tasks, &projects, &known_unit, problems);

    let mut target_ids = HashSet::new();
    let mut targets = Vec::with_capacity(raw.targets.len());
    for raw_target in raw.targets {
        let span = raw_target.span();
        let raw_target = raw_target.into_inner();
        let id = raw_target.id.get_ref().clone();
        if !target_ids.insert(id.clone()) {
            problems.add(raw_target.id.span(), format!("target {id}: id"), "duplicate id");
        }
        let context = TargetContext {
            id: &id,
            baseline_year,
            horizon: raw_meta.horizon.iter().max().copied(),
            office: raw_meta.office.get_ref(),
        };
        if let Some(target) = validate_target(raw_target, span, &context, &tasks, &known_unit, plan_rule, problems) {
            targets.push(target);
        }
    }

    Plan {
        meta: PlanMeta {
            id: raw_meta.id,
            title: raw_meta.title,
            issuer: raw_meta.issuer,
            issued: raw_meta.issued,
            region: raw_meta.region,
            baseline_year,
            horizon: raw_meta.horizon,
            office: raw_meta.office.into_inner(),
        },
        units,
        tiers,
        projects,
        tasks,
        targets,
    }
}

fn validate_tiers(
    raw: Vec<Spanned<RawTier>>,
    office: &str,
    known_unit: &dyn Fn(&str) -> bool,
    problems: &mut Problems,
) -> Vec<Tier> {
    let mut ids = HashSet::new();
    raw.into_iter()
        .map(|tier| {
            let tier = tier.into_inner();
            if !ids.insert(tier.id.get_ref().clone()) {
                problems.add(tier.id.span(), "tier: id", format!("duplicate id \"{}\"", tier.id.get_ref()));
            }
            let clusters = tier
                .clusters
                .into_iter()
                .map(|c| {
                    if !ids.insert(c.id.get_ref().clone()) {
                        problems.add(c.id.span(), "cluster: id", format!("duplicate id \"{}\"", c.id.get_ref()));
                    }
                    let lead = match c.lead {
                        Some(lead) if !known_unit(lead.get_ref()) => {
                            let message = format!("\"{}\" is not listed in `units`", lead.get_ref());
                            problems.add(lead.span(), format!("cluster {}: lead", c.id.get_ref()), message);
                            office.to_string()
                        }
                        Some(lead) => lead.into_inner(),
                        None => office.to_string(),
                    };
                    Cluster { id: c.id.into_inner(), name: c.name, lead }
                })
                .collect();
            Tier { id: tier.id.into_inner(), name: tier.name, size: tier.size, clusters }
        })
        .collect()
}

fn validate_projects(raw: Vec<Spanned<RawProject>>, problems: &mut Problems) -> Vec<PlanProject> {
    let mut numbers = HashSet::new();
    raw.into_iter()
        .map(|project| {
            let project = project.into_inner();
            let number = *project.number.get_ref();
            if !numbers.insert(number) {
                problems.add(project.number.span(), format!("project {number}: number"), "duplicate number");
            }
            PlanProject { number, name: project.name }
        })
        .collect()
}

fn validate_tasks(
    raw: Vec<Spanned<RawTask>>,
    projects: &[PlanProject],
    known_unit: &dyn Fn(&str) -> bool,
    problems: &mut Problems,
) -> Vec<Task> {
    let mut ids = HashSet::new();
    raw.into_iter()
        .map(|task| {
            let task = task.into_inner();
            let id = task.id.get_ref().clone();
            if !ids.insert(id.clone()) {
                problems.add(task.id.span(), format!("task {id}: id"), "duplicate id");
            }
            let project = id.split('.').next().and_then(|n| n.parse::<u32>().ok());
            let project = match project {
                Some(number) if projects.iter().any(|p| p.number == number) => number,
                _ => {
                    problems.add(
                        task.id.span(),
                        format!("task {id}: id"),
                        "must start with the number of a declared project (\"3.3\" is task 3 of project 3)",
                    );
                    0
                }
            };
            for unit in &task.units {
                if !known_unit(unit.get_ref()) {
                    problems.add(
                        unit.span(),
                        format!("task {id}: units"),
                        format!("\"{}\" is not listed in `units`", unit.get_ref()),
                    );
                }
            }
            Task { id, project, name: task.name, units: task.units.into_iter().map(Spanned::into_inner).collect() }
        })
        .collect()
}

struct TargetContext<'a> {
    id: &'a str,
    baseline_year: i32,
    /// The plan's last horizon year.
    horizon: Option<i32>,
    office: &'a str,
}

impl TargetContext<'_> {
    fn field(&self, name: &str) -> String {
        format!("target {}: {name}", self.id)
    }
}

fn validate_target(
    raw: RawTarget,
    span: Range<usize>,
    cx: &TargetContext,
    tasks: &[Task],
    known_unit: &dyn Fn(&str) -> bool,
    plan_rule: StatusRule,
    problems: &mut Problems,
) -> Option<Target> {
    let task = tasks.iter().find(|t| &t.id == raw.task.get_ref());
    if task.is_none() {
        problems.add(raw.task.span(), cx.field("task"), format!("unknown task \"{}\"", raw.task.get_ref()));
    }
    if units::unit(raw.unit.get_ref()).is_none() {
        let known: Vec<_> = units::known_unit_names().collect();
        problems.add(
            raw.unit.span(),
            cx.field("unit"),
            format!("unknown unit \"{}\" (known: {})", raw.unit.get_ref(), known.join(" ")),
        );
    }
    let kind = Kind::from_code(raw.kind.get_ref());
    if kind.is_none() {
        let known: Vec<_> = Kind::ALL.iter().map(|k| k.code()).collect();
        problems.add(
            raw.kind.span(),
            cx.field("kind"),
            format!("unknown kind \"{}\" (expected one of {})", raw.kind.get_ref(), known.join(", ")),
        );
    }
    let direction = match &raw.direction {
        None => {
            problems.add(span.clone(), cx.field("direction"), "missing direction (\"up\" or \"down\")");
            None
        }
        Some(d) => {
            let direction = Direction::from_code(d.get_ref());
            if direction.is_none() {
                problems.add(d.span(), cx.field("direction"), format!("\"{}\" is not \"up\" or \"down\"", d.get_ref()));
            }
            direction
        }
    };
    let comparator = Comparator::from_word(raw.comparator.get_ref());
    if comparator.is_none() {
        let known: Vec<_> = Comparator::ALL.iter().map(|c| c.word()).collect();
        problems.add(
            raw.comparator.span(),
            cx.field("comparator"),
            format!("unknown comparator \"{}\" (expected one of {})", raw.comparator.get_ref(), known.join(" ")),
        );
    }
    if raw.source_text.get_ref().trim().is_empty() {
        problems.add(raw.source_text.span(), cx.field("source_text"), "the plan's clause is required");
    }
    let reporting = validate_reporting(&raw, kind, comparator, span.clone(), cx, problems);

    let baseline = raw.baseline.map(|b| {
        let b_span = b.span();
        let b = b.into_inner();
        if !b.value.is_finite() {
            problems.add(b_span, cx.field("baseline.value"), "must be a finite number");
        }
        Baseline { value: b.value, year: b.year.into_inner(), source: b.source }
    });
    let baseline_year = baseline.as_ref().map_or(cx.baseline_year, |b| b.year);
    let mut check_year = |year: &Spanned<i32>, field: &str, problems: &mut Problems| {
        if *year.get_ref() <= baseline_year {
            problems.add(
                year.span(),
                cx.field(field),
                format!("target year {} is not after the baseline year {baseline_year}", year.get_ref()),
            );
        }
    };

    let (lead, co) = responsible_units(&raw.lead, &raw.co, task, cx, known_unit, problems);
    let measures = validate_measures(raw.measures, cx, problems);

    let (kind, direction, comparator) = (kind?, direction?, comparator?);
    if comparator == Comparator::AtMost && direction == Direction::Up {
        problems.add(raw.comparator.span(), cx.field("comparator"), "an upper bound (以内) needs direction \"down\"");
    }
    let goal = validate_goal(
        &raw.values,
        &raw.annual,
        &raw.until,
        &raw.due,
        kind,
        span.clone(),
        cx,
        &mut check_year,
        problems,
    )?;
    check_signs(&goal, kind, direction, baseline.as_ref(), raw.unit.get_ref(), span.clone(), cx, problems);
    if kind == Kind::Direction && measures.is_empty() && raw.values.is_some() {
        problems.add(span.clone(), cx.field("measures"), "a direction target compares measures, not values");
    }
    if let Some(rule) = &raw.count {
        for problem in rule.get_ref().problems(kind, raw.unit.get_ref()) {
            problems.add(rule.span(), cx.field("count"), problem);
        }
    }
    if let Some(derived) = &raw.derived
        && derived.get_ref() != "stats"
    {
        problems.add(
            derived.span(),
            cx.field("derived"),
            format!("unknown derivation \"{}\" (stats)", derived.get_ref()),
        );
    }
    match (&raw.derived, &raw.stats) {
        (Some(derived), None) => {
            problems.add(derived.span(), cx.field("stats"), "derived = \"stats\" needs stats = { measure = … }")
        }
        (None, Some(rule)) => problems.add(rule.span(), cx.field("derived"), "stats = { … } needs derived = \"stats\""),
        _ => {}
    }
    if let Some(rule) = &raw.stats {
        for problem in rule.get_ref().problems(kind, raw.unit.get_ref()) {
            problems.add(rule.span(), cx.field("stats"), problem);
        }
        if let Some(count) = &raw.count {
            problems.add(
                count.span(),
                cx.field("count"),
                "a target is counted from a list or derived from the statistics, not both",
            );
        }
    }
    if kind == Kind::Stable && baseline.is_none() && raw.note.is_none() {
        problems.add(
            span,
            cx.field("baseline"),
            "a stable target needs a baseline, or a note saying why it is unknown",
        );
    }

    Some(Target {
        id: cx.id.to_string(),
        task: raw.task.get_ref().clone(),
        project: task.map_or(0, |t| t.project),
        indicator: raw.indicator,
        unit: raw.unit.into_inner(),
        kind,
        direction,
        comparator,
        goal,
        baseline,
        lead,
        co,
        source_text: raw.source_text.into_inner(),
        measures,
        rule: raw.status.unwrap_or_default().over(plan_rule),
        frequency: reporting.frequency?,
        basis: reporting.basis?,
        tolerance: reporting.tolerance,
        pace: reporting.pace,
        district_goal: reporting.district_goal,
        basis_note: raw.basis_note,
        count: raw.count.map(Spanned::into_inner),
        stats: raw.stats.map(Spanned::into_inner),
        note: raw.note,
    })
}

/// How a target is reported, as `validate_reporting` read it; `None` where the file is wrong.
struct Reporting {
    frequency: Option<Frequency>,
    basis: Option<Basis>,
    tolerance: f64,
    pace: Pace,
    district_goal: DistrictGoal,
}

/// `frequency`, `basis` (with `basis_start`), `tolerance`, `pace` and `district_goal`: every
/// target states the first two (DESIGN §3A.1); the others have defaults by kind.
fn validate_reporting(
    raw: &RawTarget,
    kind: Option<Kind>,
    comparator: Option<Comparator>,
    span: Range<usize>,
    cx: &TargetContext,
    problems: &mut Problems,
) -> Reporting {
    let frequency = match &raw.frequency {
        None => {
            problems.add(span.clone(), cx.field("frequency"), "missing frequency (\"month\", \"quarter\" or \"year\")");
            None
        }
        Some(f) => {
            let frequency = Frequency::from_code(f.get_ref());
            if frequency.is_none() {
                problems.add(
                    f.span(),
                    cx.field("frequency"),
                    format!("\"{}\" is not month, quarter or year", f.get_ref()),
                );
            }
            frequency
        }
    };
    let start = raw.basis_start.as_ref().and_then(|start| match start.get_ref().parse::<Period>() {
        Ok(period @ Period::Month { .. }) => Some(period),
        _ => {
            problems.add(
                start.span(),
                cx.field("basis_start"),
                format!("\"{}\" is not a month (the first month additions count from, e.g. 2025-01)", start.get_ref()),
            );
            None
        }
    });
    let basis = match &raw.basis {
        None => {
            problems.add(span.clone(), cx.field("basis"), "missing basis (\"stock\", \"ytd\" or \"since_start\")");
            None
        }
        Some(b) => match (b.get_ref().as_str(), start) {
            ("stock", _) => Some(Basis::Stock),
            ("ytd", _) => Some(Basis::Ytd),
            ("since_start", Some(start)) => Some(Basis::SinceStart(start)),
            ("since_start", None) => {
                if raw.basis_start.is_none() {
                    problems.add(
                        b.span(),
                        cx.field("basis_start"),
                        "a since_start basis needs the month additions count from (`basis_start = \"2025-01\"`)",
                    );
                }
                None
            }
            (other, _) => {
                problems.add(b.span(), cx.field("basis"), format!("\"{other}\" is not stock, ytd or since_start"));
                None
            }
        },
    };
    if let (Some(basis), Some(b), Some(kind)) = (basis, &raw.basis, kind) {
        if !basis.fits(kind) {
            problems.add(
                b.span(),
                cx.field("basis"),
                format!("a {} target cannot be reported as {}", kind.code(), basis.code()),
            );
        }
        if raw.basis_start.is_some() && basis.start().is_none() {
            problems.add(b.span(), cx.field("basis_start"), "only a since_start basis has a start");
        }
    }
    let default_tolerance = match (kind, comparator) {
        (Some(Kind::Stable), _) | (_, Some(Comparator::About)) => 0.05,
        _ => 0.01,
    };
    let tolerance = match &raw.tolerance {
        Some(t) if (0.0..1.0).contains(t.get_ref()) && *t.get_ref() > 0.0 => *t.get_ref(),
        Some(t) => {
            problems.add(t.span(), cx.field("tolerance"), "a relative tolerance between 0 and 1 (0.01 is 1%)");
            default_tolerance
        }
        None => default_tolerance,
    };
    let pace = match &raw.pace {
        None => Pace::Even,
        Some(p) if kind != Some(Kind::Annual) => {
            problems.add(p.span(), cx.field("pace"), "only an annual target has a pace");
            Pace::Even
        }
        Some(p) => match p.get_ref().as_str() {
            "even" => Pace::Even,
            "year_end" => Pace::YearEnd,
            other => {
                problems.add(p.span(), cx.field("pace"), format!("\"{other}\" is not even or year_end"));
                Pace::Even
            }
        },
    };
    let default_district_goal =
        kind.map_or(DistrictGoal::Undecomposed, |kind| DistrictGoal::default_for(kind, raw.unit.get_ref()));
    let district_goal = match &raw.district_goal {
        None => default_district_goal,
        Some(d) => match d.get_ref().as_str() {
            "same" => DistrictGoal::Same,
            "none" => DistrictGoal::Undecomposed,
            "share" if default_district_goal == DistrictGoal::Share => DistrictGoal::Share,
            "share" => {
                problems.add(d.span(), cx.field("district_goal"), "only an additive target is shared out by baseline");
                default_district_goal
            }
            other => {
                problems.add(d.span(), cx.field("district_goal"), format!("\"{other}\" is not share, same or none"));
                default_district_goal
            }
        },
    };
    Reporting { frequency, basis, tolerance, pace, district_goal }
}

/// The lead and co-units: as the target states them, else its task's (lead first), else the
/// plan office.
fn responsible_units(
    lead: &Option<Spanned<String>>,
    co: &Option<Vec<Spanned<String>>>,
    task: Option<&Task>,
    cx: &TargetContext,
    known_unit: &dyn Fn(&str) -> bool,
    problems: &mut Problems,
) -> (String, Vec<String>) {
    let named = lead.iter().map(|l| (l, "lead")).chain(co.iter().flatten().map(|c| (c, "co")));
    for (unit, field) in named {
        if !known_unit(unit.get_ref()) {
            problems.add(
                unit.span(),
                cx.field(field),
                format!("\"{}\" is not a known unit (see `units`)", unit.get_ref()),
            );
        }
    }
    let task_units = task.map(|t| t.units.as_slice()).unwrap_or_default();
    let lead = match lead {
        Some(lead) => lead.get_ref().clone(),
        None => task_units.first().cloned().unwrap_or_else(|| cx.office.to_string()),
    };
    let co = match co {
        Some(co) => co.iter().map(|c| c.get_ref().clone()).collect(),
        None => task_units.iter().skip(1).cloned().collect(),
    };
    (lead, co)
}

fn validate_measures(raw: Vec<Spanned<RawMeasure>>, cx: &TargetContext, problems: &mut Problems) -> Vec<Measure> {
    let mut keys = HashSet::new();
    raw.into_iter()
        .filter_map(|m| {
            let span = m.span();
            let m = m.into_inner();
            if !keys.insert(m.key.clone()) {
                problems.add(span, cx.field("measures"), format!("duplicate measure key \"{}\"", m.key));
            }
            let direction = Direction::from_code(m.direction.get_ref());
            if direction.is_none() {
                problems.add(
                    m.direction.span(),
                    cx.field("measures.direction"),
                    format!("\"{}\" is not \"up\" or \"down\"", m.direction.get_ref()),
                );
            }
            if units::unit(m.unit.get_ref()).is_none() {
                problems.add(
                    m.unit.span(),
                    cx.field("measures.unit"),
                    format!("unknown unit \"{}\"", m.unit.get_ref()),
                );
            }
            Some(Measure { key: m.key, name: m.name, direction: direction?, unit: m.unit.into_inner() })
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn validate_goal(
    values: &Option<Spanned<BTreeMap<String, Spanned<f64>>>>,
    annual: &Option<Spanned<f64>>,
    until: &Option<Spanned<i32>>,
    due: &Option<Spanned<i32>>,
    kind: Kind,
    span: Range<usize>,
    cx: &TargetContext,
    check_year: &mut dyn FnMut(&Spanned<i32>, &str, &mut Problems),
    problems: &mut Problems,
) -> Option<Goal> {
    let forbid = |present: bool, field: &str, problems: &mut Problems| {
        if present {
            problems.add(span.clone(), cx.field(field), format!("a {} target has no `{field}`", kind.code()));
        }
    };
    // A threshold kept every year (每年…以上) states its line once, as an annual target does.
    let every_year = kind == Kind::Annual || (kind == Kind::Threshold && annual.is_some());
    match kind {
        _ if every_year => {
            if let Some(values) = values {
                problems.add(
                    values.span(),
                    cx.field("values"),
                    format!(
                        "a {} target kept every year has one value (`annual = …`, optional `until = YEAR`), not a target-year path",
                        kind.code()
                    ),
                );
            }
            forbid(due.is_some(), "due", problems);
            let Some(value) = annual else {
                problems.add(span, cx.field("annual"), "an annual target needs `annual = VALUE`");
                return None;
            };
            if let Some(until) = until {
                check_year(until, "until", problems);
            }
            Some(Goal::EveryYear { value: *value.get_ref(), until: until.as_ref().map(|u| *u.get_ref()) })
        }
        Kind::Milestone | Kind::Direction | Kind::Stable | Kind::Zero => {
            forbid(values.is_some(), "values", problems);
            forbid(annual.is_some(), "annual", problems);
            forbid(until.is_some(), "until", problems);
            if let Some(due) = due {
                check_year(due, "due", problems);
            }
            // An undated milestone is due at the plan's horizon (DESIGN §3A.12).
            let due = due.as_ref().map(|d| *d.get_ref()).or(if kind == Kind::Milestone { cx.horizon } else { None });
            if kind == Kind::Zero {
                let Some(year) = due else {
                    problems.add(
                        span,
                        cx.field("due"),
                        "a zero target needs the year by which it is reached (`due = YEAR`)",
                    );
                    return None;
                };
                return Some(Goal::Path(vec![Milestone { year, value: 0.0 }]));
            }
            Some(Goal::State { due })
        }
        Kind::Annual | Kind::Level | Kind::Cumulative | Kind::Increment | Kind::Threshold => {
            forbid(annual.is_some(), "annual", problems);
            forbid(until.is_some(), "until", problems);
            forbid(due.is_some(), "due", problems);
            let Some(values) = values else {
                problems.add(
                    span,
                    cx.field("values"),
                    format!("a {} target needs `values = {{ YEAR = VALUE }}`", kind.code()),
                );
                return None;
            };
            if values.get_ref().is_empty() {
                problems.add(values.span(), cx.field("values"), "at least one target year is needed");
                return None;
            }
            let mut path = Vec::new();
            for (year_text, value) in values.get_ref() {
                let Ok(year) = year_text.parse::<i32>() else {
                    problems.add(value.span(), cx.field("values"), format!("\"{year_text}\" is not a year"));
                    continue;
                };
                check_year(&Spanned::new(value.span(), year), "values", problems);
                if !value.get_ref().is_finite() {
                    problems.add(value.span(), cx.field("values"), "must be a finite number");
                }
                path.push(Milestone { year, value: *value.get_ref() });
            }
            path.sort_by_key(|m| m.year);
            Some(Goal::Path(path))
        }
    }
}

/// A goal must lie on the side of the baseline its direction says, and a later goal must not
/// fall behind an earlier one.
#[allow(clippy::too_many_arguments)]
fn check_signs(
    goal: &Goal,
    kind: Kind,
    direction: Direction,
    baseline: Option<&Baseline>,
    unit: &str,
    span: Range<usize>,
    cx: &TargetContext,
    problems: &mut Problems,
) {
    let d = direction.sign();
    let values: Vec<(Option<i32>, f64)> =
        goal.stated().into_iter().filter_map(|(year, value)| Some((year, value?))).collect();
    let is_count = units::is_count(unit);
    for &(year, value) in &values {
        let at = year.map_or_else(String::new, |y| format!(" for {y}"));
        if is_count && value < 0.0 {
            problems.add(span.clone(), cx.field("values"), format!("a count cannot be negative ({value}{at})"));
        }
        if matches!(kind, Kind::Increment | Kind::Annual) && value * d <= 0.0 {
            problems.add(
                span.clone(),
                cx.field("values"),
                format!("target value {value}{at} has the wrong sign for direction \"{}\"", direction.code()),
            );
        }
        if let (Some(b), Kind::Level | Kind::Cumulative | Kind::Zero) = (baseline, kind)
            && (value - b.value) * d <= 0.0
        {
            problems.add(
                span.clone(),
                cx.field("values"),
                format!(
                    "target value {value}{at} is not {} the baseline {} ({}) for direction \"{}\"",
                    if d > 0.0 { "above" } else { "below" },
                    b.value,
                    b.year,
                    direction.code()
                ),
            );
        }
    }
    for pair in values.windows(2) {
        if (pair[1].1 - pair[0].1) * d < 0.0 {
            problems.add(span.clone(), cx.field("values"), "a later target year's value falls behind an earlier one");
        }
    }
}
