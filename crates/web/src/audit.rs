//! What the audit page and `/api/audit` both read: the filters, checked, and entries in words —
//! the action's name, the person as people know them (市科技局 李华), the changed fields.

use std::collections::HashMap;

use plan361_core::audit::{Change, action_label, diff};
use plan361_core::calendar::Date;
use plan361_store::{AuditEntry, AuditFilter};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::AppState;
use crate::error::Problem;

#[derive(Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// At most this many entries, newest first (default 100, at most 1000).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    /// Entries older than this id (paging).
    pub before_id: Option<i64>,
    /// A user name.
    pub actor: Option<String>,
    /// Entries by the users of this org unit.
    pub unit: Option<String>,
    /// An action code (observation.submit, decomposition.set, login …).
    pub action: Option<String>,
    /// Entries about a target (1.2.1): its values, decomposition, warnings.
    pub target: Option<String>,
    /// From this day on (2026-12-01, China time).
    pub from: Option<String>,
    /// Up to and including this day.
    pub until: Option<String>,
    /// Whether sign-ins are listed with the changes (default: yes on the API, no on the page,
    /// which counts them apart).
    pub sign_ins: Option<bool>,
}

fn given(text: &Option<String>) -> Option<String> {
    text.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_string)
}

fn day(name: &str, text: &Option<String>) -> Result<Option<Date>, Problem> {
    given(text).map(|t| t.parse::<Date>().map_err(|e| Problem::bad_request(format!("{name} \"{t}\": {e}")))).transpose()
}

impl AuditQuery {
    /// The store's filter, or a 400 naming the parameter; `sign_ins` says whether sign-ins are
    /// listed when the query does not say.
    pub fn filter(&self, limit: i64, sign_ins: bool) -> Result<AuditFilter, Problem> {
        let from = day("from", &self.from)?;
        let until = day("until", &self.until)?;
        if let (Some(from), Some(until)) = (from, until)
            && until < from
        {
            return Err(Problem::bad_request(format!("until {until} is before from {from}")));
        }
        let action = given(&self.action);
        if let Some(code) = &action
            && !plan361_core::audit::action_codes().any(|c| c == code)
        {
            return Err(Problem::bad_request(format!("action \"{code}\" is not an action of the log")));
        }
        let asks_for_sign_ins = action.as_deref().is_some_and(plan361_core::audit::is_sign_in);
        Ok(AuditFilter {
            actor: given(&self.actor),
            entity: None,
            limit: self.limit.unwrap_or(limit),
            before_id: self.before_id,
            action,
            unit: given(&self.unit),
            target: given(&self.target),
            from_ms: from.map(Date::start_ms),
            until_ms: until.map(|d| d.start_ms() + 86_400_000),
            without_sign_ins: !asks_for_sign_ins && !self.sign_ins.unwrap_or(sign_ins),
        })
    }
}

/// Every user as people know them: "市科技局 李华"; the system as 系统.
pub async fn people(state: &AppState) -> Result<HashMap<String, String>, Problem> {
    let mut names: HashMap<String, String> = state
        .store
        .users()
        .await?
        .into_iter()
        .map(|u| (u.username, format!("{} {}", u.org_unit, u.display_name)))
        .collect();
    names.insert("system".into(), "系统".into());
    Ok(names)
}

/// A user name as people know the user (the name itself for someone no longer known).
pub fn person(people: &HashMap<String, String>, username: &str) -> String {
    people.get(username).cloned().unwrap_or_else(|| username.to_string())
}

/// An entry in words: the action's name and the fields it changed.
pub struct Readable {
    pub action: String,
    pub changes: Vec<Change>,
}

pub fn readable(entry: &AuditEntry, zh: bool) -> Readable {
    Readable { action: action_label(&entry.action, zh), changes: diff(&entry.before, &entry.after) }
}
