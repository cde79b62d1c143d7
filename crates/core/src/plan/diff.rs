//! What changed between two versions of a plan (动态调整): targets added, removed, and changed
//! field by field. Recorded with every new plan version.

use serde::Serialize;

use super::{Goal, Plan, Target};

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
/// How a target differs between two plan versions.
pub enum TargetChange {
    /// A target only the new version has.
    Added {
        /// The target's id.
        id: String,
        /// What it measures.
        indicator: String,
    },
    /// A target only the old version has.
    Removed {
        /// The target's id.
        id: String,
        /// What it measured.
        indicator: String,
    },
    /// A field of a target both versions have, before and after.
    Changed {
        /// The target's id.
        id: String,
        /// The field changed.
        field: &'static str,
        /// Its old value, as written.
        before: String,
        /// Its new value, as written.
        after: String,
    },
}

/// The changes from `old` to `new`, in the new plan's target order, removals last.
pub fn diff(old: &Plan, new: &Plan) -> Vec<TargetChange> {
    let mut changes = Vec::new();
    for target in &new.targets {
        match old.target(&target.id) {
            None => changes.push(TargetChange::Added { id: target.id.clone(), indicator: target.indicator.clone() }),
            Some(before) => changes.extend(field_changes(before, target)),
        }
    }
    for target in old.targets.iter().filter(|t| new.target(&t.id).is_none()) {
        changes.push(TargetChange::Removed { id: target.id.clone(), indicator: target.indicator.clone() });
    }
    changes
}

/// The target years a goal names: "2027, 2030"; "every year" goals and states without a year
/// name none.
fn years_text(goal: &Goal) -> String {
    let years: Vec<String> = goal.stated().into_iter().filter_map(|(year, _)| year).map(|y| y.to_string()).collect();
    years.join(", ")
}

/// A goal as the command line writes one: "2027=2.7, 2030=3.3", "annual=5", or the due year of a
/// state ("due 2030", "due").
fn goal_text(goal: &Goal) -> String {
    match goal {
        Goal::Path(path) => path.iter().map(|m| format!("{}={}", m.year, m.value)).collect::<Vec<_>>().join(", "),
        Goal::EveryYear { value, until: None } => format!("annual={value}"),
        Goal::EveryYear { value, until: Some(until) } => format!("annual={value} until {until}"),
        Goal::State { due: Some(due) } => format!("due {due}"),
        Goal::State { due: None } => "due".to_string(),
    }
}

/// A target's field, read as text for comparison and display.
type FieldReader = (&'static str, fn(&Target) -> String);

fn field_changes(before: &Target, after: &Target) -> Vec<TargetChange> {
    let fields: [FieldReader; 15] = [
        ("indicator", |t| t.indicator.clone()),
        ("unit", |t| t.unit.clone()),
        ("kind", |t| t.kind.code().to_string()),
        ("direction", |t| t.direction.code().to_string()),
        ("comparator", |t| t.comparator.word().to_string()),
        ("years", |t| years_text(&t.goal)),
        ("goal", |t| goal_text(&t.goal)),
        ("baseline", |t| t.baseline.as_ref().map_or_else(String::new, |b| format!("{} ({})", b.value, b.year))),
        ("lead", |t| t.lead.clone()),
        ("co", |t| t.co.join("、")),
        ("source_text", |t| t.source_text.clone()),
        ("frequency", |t| t.frequency.code().to_string()),
        ("basis", |t| {
            t.basis.start().map_or_else(|| t.basis.code().to_string(), |start| format!("since_start {start}"))
        }),
        ("tolerance", |t| t.tolerance.to_string()),
        ("district_goal", |t| t.district_goal.code().to_string()),
    ];
    fields
        .iter()
        .filter_map(|(field, read)| {
            let (b, a) = (read(before), read(after));
            (b != a).then(|| TargetChange::Changed { id: after.id.clone(), field, before: b, after: a })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAN: &str = include_str!("../../../../plans/ningbo-361-2025.toml");

    #[test]
    fn names_added_removed_and_changed_targets() {
        let old = super::super::parse("old", PLAN).expect("plan");
        let edited = PLAN
            .replace("values = { 2030 = 160 }", "values = { 2030 = 170 }")
            .replace("id = \"7.3.3\"", "id = \"7.3.4\"");
        let new = super::super::parse("new", &edited).expect("edited plan");
        let changes = diff(&old, &new);
        assert!(changes.contains(&TargetChange::Changed {
            id: "3.3.1".into(),
            field: "goal",
            before: "2030=160".into(),
            after: "2030=170".into(),
        }));
        assert!(changes.iter().any(|c| matches!(c, TargetChange::Added { id, .. } if id == "7.3.4")));
        assert!(changes.iter().any(|c| matches!(c, TargetChange::Removed { id, .. } if id == "7.3.3")));
        assert_eq!(changes.len(), 3);
        assert!(diff(&old, &old).is_empty());
    }
}
