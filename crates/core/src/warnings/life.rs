//! The life of a warning: 新 → 已签收 → 整改中 → 已解除, and back to 新 when its cause returns.
//! People take the middle steps; a scan raises, resolves (when the cause is gone) and reopens.

use crate::i18n::Labelled;
use serde::{Deserialize, Serialize};

use super::Finding;
use crate::calendar::Date;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
/// Where a warning stands.
pub enum WarningState {
    /// 新
    New,
    /// 已签收
    Acknowledged,
    /// 整改中: measures with a date.
    InProgress,
    /// 已解除
    Resolved,
}

impl WarningState {
    /// Every state, in the order of a warning's life.
    pub const ALL: [WarningState; 4] =
        [WarningState::New, WarningState::Acknowledged, WarningState::InProgress, WarningState::Resolved];

    /// The code stored and sent over the API.
    pub fn code(self) -> &'static str {
        match self {
            WarningState::New => "new",
            WarningState::Acknowledged => "acknowledged",
            WarningState::InProgress => "in_progress",
            WarningState::Resolved => "resolved",
        }
    }

    /// The state of a code; `None` for an unknown one.
    pub fn from_code(code: &str) -> Option<WarningState> {
        WarningState::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Whether the warning still asks for action.
    pub fn is_open(self) -> bool {
        self != WarningState::Resolved
    }
}

impl crate::i18n::Labelled for WarningState {
    /// Its name on Chinese pages.
    fn label_zh(self) -> &'static str {
        match self {
            WarningState::New => "新",
            WarningState::Acknowledged => "已签收",
            WarningState::InProgress => "整改中",
            WarningState::Resolved => "已解除",
        }
    }

    /// Its name on English pages: its code.
    fn label_en(self) -> &'static str {
        self.code()
    }
}

/// A step people take.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// The owner has seen it.
    Acknowledge,
    /// The owner says what it does, and by when.
    Measures {
        /// What the owner does.
        measures: String,
        /// By when.
        due: Date,
    },
    /// The cause is dealt with.
    Resolve {
        /// How it was dealt with.
        note: String,
    },
}

impl Step {
    /// The code stored and sent over the API.
    pub fn code(&self) -> &'static str {
        match self {
            Step::Acknowledge => "acknowledged",
            Step::Measures { .. } => "measures",
            Step::Resolve { .. } => "resolved",
        }
    }

    /// The state after the step, or why it cannot be taken from `state` (the field at fault:
    /// `state`, `measures` or `note`, and the reason): a warning is signed for once, measures
    /// are set (or revised) on an open warning, and only an open one is resolved. Measures and
    /// a resolution need words.
    pub fn apply(&self, state: WarningState) -> Result<WarningState, (&'static str, String)> {
        if !state.is_open() {
            return Err(("state", "预警已解除,无需再处理 the warning is resolved already".into()));
        }
        match self {
            Step::Acknowledge if state != WarningState::New => Err((
                "state",
                format!("预警状态为{},不能再次签收 the warning was acknowledged already", state.label_zh()),
            )),
            Step::Acknowledge => Ok(WarningState::Acknowledged),
            Step::Measures { measures, .. } if measures.trim().is_empty() => {
                Err(("measures", "请填写整改措施 describe the measures".into()))
            }
            Step::Measures { .. } => Ok(WarningState::InProgress),
            Step::Resolve { note } if note.trim().is_empty() => {
                Err(("note", "请说明解除理由 say why it is resolved".into()))
            }
            Step::Resolve { .. } => Ok(WarningState::Resolved),
        }
    }
}

/// What a scan needs to know of a stored warning.
#[derive(Clone, Debug, PartialEq)]
pub struct Known {
    /// Its id.
    pub id: i64,
    /// The key naming its cause.
    pub key: String,
    /// Where it stands.
    pub state: WarningState,
    /// Whether the last scan found its cause (a warning resolved by hand may still have it).
    pub cause_present: bool,
    /// What was found last.
    pub finding: Finding,
}

/// What a scan changes.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// A new cause: a new warning (新).
    Raise(Finding),
    /// A resolved warning whose cause had gone and is back: 新 again.
    /// A resolved warning's cause is back.
    Reopen {
        /// The warning's id.
        id: i64,
        /// What is found now.
        finding: Finding,
    },
    /// An open warning whose cause is gone: 已解除, saying so.
    /// An open warning's cause is gone.
    Resolve {
        /// The warning's id.
        id: i64,
    },
    /// The cause is still there with other numbers (or level, or owner): no step.
    /// An open warning is found again, maybe changed.
    Refresh {
        /// The warning's id.
        id: i64,
        /// What is found now.
        finding: Finding,
    },
    /// A warning resolved by hand whose cause has now gone too: remembered, so that its return
    /// reopens it.
    /// A resolved warning's cause stays gone.
    CauseGone {
        /// The warning's id.
        id: i64,
    },
}

/// Compares the findings of a scan with the stored warnings. The same findings against the
/// warnings a previous reconcile left give no change: scans are idempotent.
pub fn reconcile(known: &[Known], findings: &[Finding]) -> Vec<Change> {
    let by_key: std::collections::HashMap<&str, &Known> = known.iter().map(|k| (k.key.as_str(), k)).collect();
    let mut changes = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for finding in findings {
        if !seen.insert(finding.key.as_str()) {
            continue;
        }
        match by_key.get(finding.key.as_str()) {
            None => changes.push(Change::Raise(finding.clone())),
            Some(k) if !k.state.is_open() && !k.cause_present => {
                changes.push(Change::Reopen { id: k.id, finding: finding.clone() })
            }
            Some(k) if k.finding != *finding => changes.push(Change::Refresh { id: k.id, finding: finding.clone() }),
            Some(_) => {}
        }
    }
    for k in known.iter().filter(|k| !seen.contains(k.key.as_str())) {
        if k.state.is_open() {
            changes.push(Change::Resolve { id: k.id });
        } else if k.cause_present {
            changes.push(Change::CauseGone { id: k.id });
        }
    }
    changes
}
