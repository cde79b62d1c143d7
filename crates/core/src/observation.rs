//! The rules every reported value must satisfy, whatever brought it in (a form, a file, the
//! API): a known target (and measure, for two-sided targets), a territorial org unit, a period
//! of the target's frequency (DESIGN §3A.1), a finite value that makes sense for the target's
//! unit, kind and basis.

use crate::eval::MILESTONE_DONE;
use crate::i18n::{self, Lang};
use crate::org::OrgUnits;
use crate::period::Period;
use crate::plan::{Basis, Kind, Plan, TargetKey};
use crate::units;

/// The largest magnitude a reported value may have, everywhere (forms, files, the API): far
/// beyond any indicator, well inside what every backend, spreadsheet and JSON reader keeps
/// exactly enough.
pub const MAX_MAGNITUDE: f64 = 1e15;

/// The field of a report a problem is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// The target (and measure) column.
    Target,
    /// The org unit column.
    OrgUnit,
    /// The period column.
    Period,
    /// The value column.
    Value,
}

impl Field {
    /// The column name in files and the field name in the API.
    pub fn name(self) -> &'static str {
        match self {
            Field::Target => "target_id",
            Field::OrgUnit => "org_unit",
            Field::Period => "period",
            Field::Value => "value",
        }
    }
}

/// A value that passed the rules, with names resolved to positions.
#[derive(Clone, Debug, PartialEq)]
pub struct Checked {
    /// The target's position in the plan.
    pub target: usize,
    /// The measure's key, for a `direction` target with measures.
    pub measure: Option<String>,
    /// The org unit's position in the org units.
    pub org_unit: usize,
}

/// Checks one reported value against the plan and the org units: the problem names its field.
pub fn check(
    plan: &Plan,
    org_units: &OrgUnits,
    target_text: &str,
    org_unit: &str,
    period: Period,
    value: f64,
) -> Result<Checked, (Field, String)> {
    let Ok(key) = target_text.parse::<TargetKey>();
    let (id, measure) = (key.id.as_str(), key.measure.as_deref());
    let target_index = plan
        .targets
        .iter()
        .position(|t| t.id == id)
        .ok_or_else(|| (Field::Target, format!("unknown target \"{target_text}\"")))?;
    let target = &plan.targets[target_index];
    match (measure, target.measures.is_empty()) {
        (Some(m), false) if !target.measures.iter().any(|known| known.key == m) => {
            let keys: Vec<&str> = target.measures.iter().map(|k| k.key.as_str()).collect();
            return Err((Field::Target, format!("target {id} has no measure \"{m}\" (measures: {})", keys.join(", "))));
        }
        (Some(m), true) => return Err((Field::Target, format!("target {id} has no measures; \"{m}\" is not one"))),
        (None, false) => {
            let keys: Vec<String> = target.reported_keys().iter().map(TargetKey::to_string).collect();
            let keys = keys.join(" or ");
            return Err((Field::Target, format!("target {id} is reported per measure: {keys}")));
        }
        _ => {}
    }
    let org_index =
        org_units.position(org_unit).ok_or_else(|| (Field::OrgUnit, format!("unknown org unit \"{org_unit}\"")))?;
    if org_units.all().get(org_index).is_some_and(|u| !u.is_territorial()) {
        return Err((
            Field::OrgUnit,
            format!(
                "\"{org_unit}\" is a department: departments report the city's values under \"{}\"",
                org_units.city().name
            ),
        ));
    }
    if !target.frequency.fits(period) {
        return Err((Field::Period, i18n::wrong_frequency(target, target_text, period, Lang::Zh)));
    }
    if let Basis::SinceStart(start) = target.basis
        && period < start
    {
        return Err((
            Field::Period,
            format!("目标 {target_text} 自{}起累计,{period} 早于起点", i18n::period_label(start, Lang::Zh)),
        ));
    }
    if !value.is_finite() {
        return Err((Field::Value, "the value must be a finite number".into()));
    }
    if value.abs() > MAX_MAGNITUDE {
        return Err((Field::Value, format!("{value}: values lie between -1e15 and 1e15")));
    }
    let unit = measure
        .and_then(|m| target.measures.iter().find(|known| known.key == m))
        .map_or(target.unit.as_str(), |m| m.unit.as_str());
    if units::is_count(unit) && value < 0.0 {
        return Err((Field::Value, format!("{value} {unit}: a count cannot be negative")));
    }
    if units::is_count(unit) && value.fract() != 0.0 {
        return Err((Field::Value, format!("{value} {unit}: a count is a whole number")));
    }
    if matches!(target.basis, Basis::SinceStart(_)) && value < 0.0 {
        return Err((Field::Value, format!("{value}: additions accumulated since the start cannot be negative")));
    }
    if target.kind == Kind::Milestone && !(0.0..=MILESTONE_DONE).contains(&value) {
        return Err((
            Field::Value,
            format!("{value}: a milestone is reported as the share done in percent, 0–100 (100 = done)"),
        ));
    }
    Ok(Checked { target: target_index, measure: measure.map(str::to_string), org_unit: org_index })
}
