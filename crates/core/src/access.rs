//! Who may do what. The rules are pure so that every interface — CLI import, web page, JSON
//! API — asks the same question and gets the same answer; the storage layer asks before every
//! write.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use crate::eval::Decompositions;
use crate::org::{OrgKind, OrgUnitId};
use crate::plan::{Plan, Target, TargetId};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
/// A person's role: what kinds of action they may take (their org unit says where).
pub enum Role {
    /// Everything, everywhere.
    Admin,
    /// The plan office: plans, goals, windows, lists, approving any value.
    PlanOffice,
    /// Reports the values of their own org unit.
    Reporter,
    /// Approves or returns the values of their own org unit.
    Reviewer,
    /// Reads approved values only.
    Viewer,
}

impl Role {
    /// Every role, in the order forms list them.
    pub const ALL: [Role; 5] = [Role::Admin, Role::PlanOffice, Role::Reporter, Role::Reviewer, Role::Viewer];

    /// The code stored and sent over the API (`admin`, `plan_office` …).
    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::PlanOffice => "plan_office",
            Role::Reporter => "reporter",
            Role::Reviewer => "reviewer",
            Role::Viewer => "viewer",
        }
    }
}

impl crate::i18n::Labelled for Role {
    /// The role's name on Chinese pages.
    fn label_zh(self) -> &'static str {
        match self {
            Role::Admin => "系统管理员",
            Role::PlanOffice => "推进办",
            Role::Reporter => "填报员",
            Role::Reviewer => "审核员",
            Role::Viewer => "查阅",
        }
    }

    /// Its name on English pages: its code.
    fn label_en(self) -> &'static str {
        self.code()
    }
}

impl FromStr for Role {
    type Err = String;

    fn from_str(text: &str) -> Result<Role, String> {
        Role::ALL.into_iter().find(|r| r.code() == text).ok_or_else(|| {
            let known: Vec<&str> = Role::ALL.iter().map(|r| r.code()).collect();
            format!("unknown role \"{text}\" (one of {})", known.join(", "))
        })
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The person acting, as far as the rules care.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Actor {
    /// The login name.
    pub username: String,
    /// The org unit the person acts for.
    pub org_unit: String,
    /// What kind of unit that is (the city, a district, a department …).
    pub org_kind: OrgKind,
    /// What the person may do there.
    pub role: Role,
}

impl Actor {
    /// The system itself (loading the plan at `init`, demo data): acts as an administrator.
    pub fn system(org_unit: &str) -> Actor {
        Actor { username: "system".into(), org_unit: org_unit.into(), org_kind: OrgKind::City, role: Role::Admin }
    }
}

/// Something an actor wants to do.
#[derive(Clone, Copy, Debug)]
pub enum Action<'a> {
    /// Create or change the value of (target, org unit), including submitting it.
    WriteObservation {
        /// The target's id.
        target: &'a str,
        /// The org unit whose value it is.
        org_unit: &'a str,
    },
    /// Approve or return a submitted value.
    Review {
        /// The target's id.
        target: &'a str,
        /// The org unit whose value it is.
        org_unit: &'a str,
    },
    /// See an unapproved value (a draft, a submitted or returned one).
    ReadUnapproved {
        /// The target's id.
        target: &'a str,
        /// The org unit whose value it is.
        org_unit: &'a str,
    },
    /// Write after a period's reporting window has locked.
    WriteLocked,
    /// Add, change or remove an entry of the four lists in a district.
    ManageList {
        /// The district the entry is in (before or after the change: both are checked).
        district: &'a str,
    },
    /// Load a plan version, set decomposed goals, reporting windows.
    ManagePlan,
    /// Create, change or disable users.
    ManageUsers,
    /// Read the audit log.
    ReadAudit,
    /// Acknowledge a warning, set its measures, resolve it: its owner unit's reporters and
    /// reviewers, and the plan office.
    HandleWarning {
        /// The org unit the warning is addressed to.
        owner_unit: &'a str,
    },
    /// Send a reminder (催报) to a unit that owes reports: the plan office.
    Remind,
}

/// Why an action is refused, in words for the person refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Denied(pub String);

impl fmt::Display for Denied {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Denied {}

/// What the rules need to know about the world besides the actor: the plan (who is responsible
/// for what) and which district goals the plan office has set.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    plan: &'a Plan,
    city: &'a str,
    decompositions: Option<&'a Decompositions>,
    assignments: Option<&'a ReportingAssignments>,
}

/// The reporting units the plan office has assigned (§3A.12): for a target, the department that
/// reports its city value instead of the lead the plan names. The plan's words stay as they are;
/// only the assignments in force are kept here (target id → department).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReportingAssignments(HashMap<String, String>);

impl ReportingAssignments {
    /// The department that reports the city value of `target`: the one assigned, else the lead.
    pub fn city_reporter<'t>(&'t self, target: &'t Target) -> &'t str {
        self.0.get(&target.id).map_or(target.lead.as_str(), String::as_str)
    }
}

impl FromIterator<(String, String)> for ReportingAssignments {
    /// From (target id, department) pairs; a later pair for a target replaces an earlier one.
    fn from_iter<I: IntoIterator<Item = (String, String)>>(pairs: I) -> Self {
        ReportingAssignments(pairs.into_iter().collect())
    }
}

impl<'a> Context<'a> {
    /// The rules under `plan`, in the city called `city`, with the district goals the plan office
    /// has set; `None` where no question asked needs them (managing lists, users, the plan):
    /// then no target counts as decomposed.
    pub fn new(plan: &'a Plan, city: &'a str, decompositions: Option<&'a Decompositions>) -> Context<'a> {
        Context { plan, city, decompositions, assignments: None }
    }

    /// The same rules with the reporting units the plan office has assigned in force (without,
    /// every city value is reported by its lead and co-units, as the plan names them).
    pub fn with_assignments(self, assignments: &'a ReportingAssignments) -> Context<'a> {
        Context { assignments: Some(assignments), ..self }
    }

    /// The department in charge of the city value of `target`: the one assigned, else the lead.
    fn city_reporter<'t>(&self, target: &'t Target) -> &'t str
    where
        'a: 't,
    {
        self.assignments.map_or(target.lead.as_str(), |a| a.city_reporter(target))
    }

    /// Whether the department `unit` reports (and its reviewers review) the city value of
    /// `target`: the department in charge of it and the co-units, who keep their part.
    fn reports_city_value(&self, target: &Target, unit: &str) -> bool {
        self.city_reporter(target) == unit || target.co.iter().any(|u| u == unit)
    }

    /// Whether the plan office has set a goal of `target` for the district `unit`.
    fn is_decomposed(&self, target: &str, unit: &str) -> bool {
        self.decompositions.is_some_and(|d| d.contains(&TargetId::new(target), &OrgUnitId::new(unit)))
    }
}

/// A part of the application that is somebody's work: the navigation shows it only to those
/// who may enter it (what they do there is asked again with `check`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Area {
    /// What everyone signed in reads: the cockpit, projects, lists, statistics, comparison,
    /// method, warnings and bulletins.
    Reading,
    /// Reporting values (我的填报).
    Reporting,
    /// Reviewing reported values (审核).
    Reviewing,
    /// The audit log.
    Audit,
    /// The users.
    Users,
    /// The plan itself: its versions, decomposed goals, reporting windows (the plan office).
    Planning,
}

/// Whether `actor` has any business in `area`: what the navigation shows.
pub fn may_enter(actor: &Actor, area: Area, cx: &Context) -> bool {
    enter(actor, area, cx).is_ok()
}

/// Whether `actor` has any business in `area`; the refusal says why in the actor's words. A page
/// of an area asks this before it shows anything (its forms, upload boxes and buttons included).
pub fn enter(actor: &Actor, area: Area, cx: &Context) -> Result<(), Denied> {
    let role = actor.role;
    let refused = |zh: &str, en: &str| Err(Denied(format!("{zh} {en} (role {role})")));
    match area {
        Area::Reading => Ok(()),
        Area::Reporting if matches!(role, Role::Reporter | Role::PlanOffice | Role::Admin) => Ok(()),
        Area::Reporting => refused("只有填报员和推进办填报数据", "only reporters and the plan office report values"),
        Area::Reviewing if matches!(role, Role::Reviewer | Role::PlanOffice | Role::Admin) => Ok(()),
        Area::Reviewing => refused("只有审核员和推进办审核数据", "only reviewers and the plan office review values"),
        Area::Audit => check(actor, Action::ReadAudit, cx),
        Area::Users => check(actor, Action::ManageUsers, cx),
        Area::Planning => check(actor, Action::ManagePlan, cx),
    }
}

/// Whether `actor` may do `action`; the refusal says why in the actor's words.
pub fn check(actor: &Actor, action: Action, cx: &Context) -> Result<(), Denied> {
    let deny = |why: String| Err(Denied(why));
    let office = actor.org_unit == cx.plan.meta.office;
    match (actor.role, action) {
        (Role::Admin, _) => Ok(()),
        (Role::PlanOffice, Action::ManageUsers) => {
            deny("只有系统管理员可以管理用户 only an administrator manages users".into())
        }
        (Role::PlanOffice, _) => Ok(()),
        (Role::Reporter, Action::WriteObservation { target, org_unit }) => may_report(actor, target, org_unit, cx),
        (Role::Reporter, Action::ReadUnapproved { target, org_unit }) => may_report(actor, target, org_unit, cx),
        (Role::Reporter, Action::ManageList { district })
            if matches!(actor.org_kind, OrgKind::District | OrgKind::Zone) && district == actor.org_unit =>
        {
            Ok(())
        }
        (Role::Reviewer, Action::Review { target, org_unit } | Action::ReadUnapproved { target, org_unit }) => {
            if office {
                return Ok(());
            }
            match actor.org_kind {
                OrgKind::District | OrgKind::Zone if org_unit == actor.org_unit => Ok(()),
                OrgKind::Department if org_unit == cx.city && is_responsible(actor, target, cx) => Ok(()),
                _ => deny(format!("{} 的审核员不能审核 {org_unit} 的 {target}", actor.org_unit)),
            }
        }
        (Role::Reporter | Role::Reviewer, Action::HandleWarning { owner_unit }) => {
            if owner_unit == actor.org_unit {
                Ok(())
            } else {
                deny(format!(
                    "该预警由{owner_unit}处理,{}不能处理 only {owner_unit} handles this warning",
                    actor.org_unit
                ))
            }
        }
        (Role::Viewer, _) => deny("查阅用户只能查看已审核数据 a viewer only reads approved data".into()),
        (role, action) => deny(format!("角色 {role} 不能执行此操作 role {role} may not {}", describe(action))),
    }
}

fn describe(action: Action) -> &'static str {
    match action {
        Action::WriteObservation { .. } => "report values",
        Action::Review { .. } => "review values",
        Action::ReadUnapproved { .. } => "read unapproved values",
        Action::WriteLocked => "write after the reporting window has locked",
        Action::ManageList { .. } => "manage list entries here",
        Action::ManagePlan => "manage the plan",
        Action::ManageUsers => "manage users",
        Action::ReadAudit => "read the audit log",
        Action::HandleWarning { .. } => "handle this warning",
        Action::Remind => "send reminders",
    }
}

/// The district (or development zone) `actor` works for, if any: such a user's cockpit is that
/// of their own territory, its goals and its values (the city's is a link away).
pub fn own_territory(actor: &Actor) -> Option<&str> {
    matches!(actor.org_kind, OrgKind::District | OrgKind::Zone).then_some(actor.org_unit.as_str())
}

/// Whether `actor` follows the reporting progress (填报进度) of a report owed by
/// `reporting_unit` for `org_unit`: the plan office, administrators and viewers (the leaders)
/// follow every unit; everyone else the reports of their own unit.
pub fn follows_progress(actor: &Actor, reporting_unit: &str, org_unit: &str) -> bool {
    matches!(actor.role, Role::Admin | Role::PlanOffice | Role::Viewer)
        || reporting_unit == actor.org_unit
        || org_unit == actor.org_unit
}

fn is_responsible(actor: &Actor, target: &str, cx: &Context) -> bool {
    cx.plan.target(target).is_some_and(|t| cx.reports_city_value(t, &actor.org_unit))
}

/// The org unit whose value of `target` the unit `unit` (of kind `kind`) reports, if it reports
/// one at all: a department the city's value of the targets it leads (or has been assigned by the
/// plan office in the lead's stead) or co-leads, a district or
/// zone its own value of the targets decomposed to it. (The plan office and administrators may
/// write any value, but owe only their own unit's.) Nobody reports a target counted from the
/// four lists or taken from the statistics.
pub fn reports_for(target: &Target, unit: &str, kind: OrgKind, cx: &Context) -> Option<String> {
    if target.is_derived() {
        return None;
    }
    match kind {
        OrgKind::Department if cx.reports_city_value(target, unit) => Some(cx.city.to_string()),
        OrgKind::District | OrgKind::Zone if cx.is_decomposed(&target.id, unit) => Some(unit.to_string()),
        _ => None,
    }
}

/// A department reports the city's values of the targets it leads (or is assigned) or co-leads; a district or
/// zone reports its own share of targets the plan office has decomposed to it.
fn may_report(actor: &Actor, target: &str, org_unit: &str, cx: &Context) -> Result<(), Denied> {
    let Some(plan_target) = cx.plan.target(target) else {
        return Err(Denied(format!("unknown target \"{target}\"")));
    };
    match actor.org_kind {
        OrgKind::Department if org_unit == cx.city => {
            if cx.reports_city_value(plan_target, &actor.org_unit) {
                Ok(())
            } else {
                let in_charge = cx.city_reporter(plan_target);
                Err(Denied(format!(
                    "{} 不负责填报目标 {target}(填报单位 {in_charge}) {} is not responsible for target {target}",
                    actor.org_unit, actor.org_unit
                )))
            }
        }
        OrgKind::District | OrgKind::Zone if org_unit == actor.org_unit => {
            if cx.is_decomposed(target, org_unit) {
                Ok(())
            } else {
                Err(Denied(format!(
                    "目标 {target} 尚未分解到 {org_unit} target {target} has not been decomposed to {org_unit}"
                )))
            }
        }
        _ => Err(Denied(format!(
            "{} 不能填报 {org_unit} 的数据 {} may not report for {org_unit}",
            actor.org_unit, actor.org_unit
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAN: &str = include_str!("../../../plans/ningbo-361-2025.toml");

    fn actor(org_unit: &str, org_kind: OrgKind, role: Role) -> Actor {
        Actor { username: "u".into(), org_unit: org_unit.into(), org_kind, role }
    }

    /// The plan office has decomposed 3.3.1 and 2.3.2 to 北仑区, nothing else.
    fn decomposed() -> Decompositions {
        ["3.3.1", "2.3.2"]
            .into_iter()
            .map(|target| (TargetId::new(target), OrgUnitId::new("北仑区"), crate::plan::Goal::State { due: None }))
            .collect()
    }

    fn allowed(actor: &Actor, action: Action) -> bool {
        let plan = crate::plan::parse("plan", PLAN).expect("plan");
        let decompositions = decomposed();
        let cx = Context::new(&plan, "宁波市", Some(&decompositions));
        check(actor, action, &cx).is_ok()
    }

    const KEJIJU: (&str, OrgKind) = ("市科技局", OrgKind::Department);
    const SHANGWUJU: (&str, OrgKind) = ("市商务局", OrgKind::Department);
    const JINGXINJU: (&str, OrgKind) = ("市经信局", OrgKind::Department);
    const BEILUN: (&str, OrgKind) = ("北仑区", OrgKind::District);
    const YINZHOU: (&str, OrgKind) = ("鄞州区", OrgKind::District);

    /// Every role × action × scope, as a table: (who, action, allowed).
    #[test]
    fn the_permission_table() {
        let write = |target, org_unit| Action::WriteObservation { target, org_unit };
        let review = |target, org_unit| Action::Review { target, org_unit };
        let cases: Vec<((&str, OrgKind), Role, Action, bool)> = vec![
            // A department reports the city values of targets it leads or co-leads.
            (KEJIJU, Role::Reporter, write("1.1.1", "宁波市"), true),
            (KEJIJU, Role::Reporter, write("3.3.1", "宁波市"), true), // co-unit
            (KEJIJU, Role::Reporter, write("7.4.1", "宁波市"), false), // led only by 市商务局 and others
            (SHANGWUJU, Role::Reporter, write("7.4.1", "宁波市"), true),
            (SHANGWUJU, Role::Reporter, write("1.1.1", "宁波市"), false),
            (KEJIJU, Role::Reporter, write("1.1.1", "北仑区"), false), // never a district's values
            (KEJIJU, Role::Reporter, write("9.9.9", "宁波市"), false),
            // A district reports its own share of decomposed targets only.
            (BEILUN, Role::Reporter, write("3.3.1", "北仑区"), true),
            (BEILUN, Role::Reporter, write("3.1.1", "北仑区"), false), // not decomposed
            (BEILUN, Role::Reporter, write("3.3.1", "鄞州区"), false), // another district
            (BEILUN, Role::Reporter, write("3.3.1", "宁波市"), false),
            (YINZHOU, Role::Reporter, write("3.3.1", "鄞州区"), false),
            // Reviewers: the plan office's review all, a department's its own targets, a district's its own.
            (JINGXINJU, Role::Reviewer, review("7.4.1", "宁波市"), true),
            (KEJIJU, Role::Reviewer, review("1.1.1", "宁波市"), true),
            (KEJIJU, Role::Reviewer, review("7.4.1", "宁波市"), false),
            (BEILUN, Role::Reviewer, review("3.3.1", "北仑区"), true),
            (BEILUN, Role::Reviewer, review("3.3.1", "鄞州区"), false),
            (KEJIJU, Role::Reviewer, write("1.1.1", "宁波市"), false), // reviewers don't report
            (KEJIJU, Role::Reporter, review("1.1.1", "宁波市"), false), // reporters don't approve
            // A viewer writes nothing.
            (JINGXINJU, Role::Viewer, write("3.3.1", "宁波市"), false),
            (JINGXINJU, Role::Viewer, review("3.3.1", "宁波市"), false),
            (JINGXINJU, Role::Viewer, Action::ReadUnapproved { target: "3.3.1", org_unit: "宁波市" }, false),
            // Plan office and admin.
            (JINGXINJU, Role::PlanOffice, write("7.4.1", "北仑区"), true),
            (JINGXINJU, Role::PlanOffice, Action::ManagePlan, true),
            (JINGXINJU, Role::PlanOffice, Action::WriteLocked, true),
            (JINGXINJU, Role::PlanOffice, Action::ManageUsers, false),
            (JINGXINJU, Role::Admin, Action::ManageUsers, true),
            (KEJIJU, Role::Reporter, Action::ManagePlan, false),
            (KEJIJU, Role::Reporter, Action::WriteLocked, false),
            (KEJIJU, Role::Reporter, Action::ReadAudit, false),
            (KEJIJU, Role::Reviewer, Action::ReadAudit, false),
            // The four lists: a district its own entries, the plan office all.
            (BEILUN, Role::Reporter, Action::ManageList { district: "北仑区" }, true),
            (BEILUN, Role::Reporter, Action::ManageList { district: "鄞州区" }, false),
            (KEJIJU, Role::Reporter, Action::ManageList { district: "北仑区" }, false),
            (BEILUN, Role::Viewer, Action::ManageList { district: "北仑区" }, false),
            (JINGXINJU, Role::PlanOffice, Action::ManageList { district: "鄞州区" }, true),
            // Warnings: the owner unit's reporters and reviewers, and the plan office.
            (BEILUN, Role::Reporter, Action::HandleWarning { owner_unit: "北仑区" }, true),
            (BEILUN, Role::Reviewer, Action::HandleWarning { owner_unit: "北仑区" }, true),
            (YINZHOU, Role::Reporter, Action::HandleWarning { owner_unit: "北仑区" }, false),
            (KEJIJU, Role::Reporter, Action::HandleWarning { owner_unit: "市经信局" }, false),
            (BEILUN, Role::Viewer, Action::HandleWarning { owner_unit: "北仑区" }, false),
            (JINGXINJU, Role::PlanOffice, Action::HandleWarning { owner_unit: "北仑区" }, true),
            // Reminders (催报): the plan office.
            (JINGXINJU, Role::PlanOffice, Action::Remind, true),
            (JINGXINJU, Role::Reviewer, Action::Remind, false),
            (KEJIJU, Role::Reporter, Action::Remind, false),
            (JINGXINJU, Role::Viewer, Action::Remind, false),
        ];
        for ((org_unit, org_kind), role, action, expected) in cases {
            let who = actor(org_unit, org_kind, role);
            assert_eq!(allowed(&who, action), expected, "{org_unit} {role} {action:?}");
        }
    }

    #[test]
    fn every_role_may_do_something_only_admin_may_do_everything() {
        let all_actions = [
            Action::WriteObservation { target: "3.3.1", org_unit: "宁波市" },
            Action::Review { target: "3.3.1", org_unit: "宁波市" },
            Action::ReadUnapproved { target: "3.3.1", org_unit: "宁波市" },
            Action::WriteLocked,
            Action::ManagePlan,
            Action::ManageUsers,
            Action::ReadAudit,
            Action::ManageList { district: "北仑区" },
            Action::HandleWarning { owner_unit: "北仑区" },
            Action::Remind,
        ];
        for role in Role::ALL {
            let who = actor("市经信局", OrgKind::Department, role);
            let count = all_actions.iter().filter(|a| allowed(&who, **a)).count();
            match role {
                Role::Admin => assert_eq!(count, all_actions.len()),
                Role::Viewer => assert_eq!(count, 0),
                _ => assert!(count > 0 && count < all_actions.len(), "{role}: {count}"),
            }
        }
    }

    #[test]
    fn a_unit_owes_the_values_it_is_responsible_for() {
        let plan = crate::plan::parse("plan", PLAN).expect("plan");
        let decompositions = decomposed();
        let cx = Context::new(&plan, "宁波市", Some(&decompositions));
        let owed =
            |unit: &str, kind: OrgKind, target: &str| plan.target(target).and_then(|t| reports_for(t, unit, kind, &cx));
        assert_eq!(owed("市科技局", OrgKind::Department, "7.1.1").as_deref(), Some("宁波市")); // co-unit
        assert_eq!(owed("市科技局", OrgKind::Department, "7.4.1"), None);
        assert_eq!(owed("北仑区", OrgKind::District, "2.3.2").as_deref(), Some("北仑区"));
        assert_eq!(owed("北仑区", OrgKind::District, "0.3"), None);
        assert_eq!(owed("宁波市", OrgKind::City, "2.3.2"), None);
        // Counted from the lists: nobody owes them, whatever the responsibility.
        assert_eq!(owed("市经信局", OrgKind::Department, "3.3.1"), None);
        assert_eq!(owed("北仑区", OrgKind::District, "3.3.1"), None);
    }

    #[test]
    fn an_assigned_unit_reports_the_city_value_in_the_leads_stead() {
        let plan = crate::plan::parse("plan", PLAN).expect("plan");
        let assignments: ReportingAssignments = [("1.2.2", "市农业农村局"), ("7.4.1", "市科技局")]
            .map(|(t, u)| (t.to_string(), u.to_string()))
            .into_iter()
            .collect();
        let target = |id: &str| plan.target(id).expect("target");
        assert_eq!(assignments.city_reporter(target("1.2.2")), "市农业农村局");
        assert_eq!(assignments.city_reporter(target("1.1.1")), "市科技局"); // none assigned: the lead
        let cx = Context::new(&plan, "宁波市", None).with_assignments(&assignments);
        let owed = |unit: &str, id: &str| reports_for(target(id), unit, OrgKind::Department, &cx);
        let may_write = |unit: &str, role: Role, id: &str| {
            check(
                &actor(unit, OrgKind::Department, role),
                Action::WriteObservation { target: id, org_unit: "宁波市" },
                &cx,
            )
        };
        // The lead no longer owes 1.2.2; the assigned unit does, and a co-unit keeps its part.
        assert_eq!(owed("市科技局", "1.2.2"), None);
        assert_eq!(owed("市农业农村局", "1.2.2").as_deref(), Some("宁波市"));
        assert_eq!(owed("市经信局", "1.2.2").as_deref(), Some("宁波市"));
        let Err(Denied(why)) = may_write("市科技局", Role::Reporter, "1.2.2") else {
            panic!("the lead may not write")
        };
        assert!(why.contains("市农业农村局"), "{why}");
        assert!(may_write("市农业农村局", Role::Reporter, "1.2.2").is_ok());
        // A unit the plan does not name at all reports what it was assigned; its reviewers review it.
        assert!(may_write("市科技局", Role::Reporter, "7.4.1").is_ok());
        let reviewer = actor("市科技局", OrgKind::Department, Role::Reviewer);
        assert!(check(&reviewer, Action::Review { target: "7.4.1", org_unit: "宁波市" }, &cx).is_ok());
        // Without the assignments the plan's words hold.
        let plain = Context::new(&plan, "宁波市", None);
        assert_eq!(reports_for(target("1.2.2"), "市科技局", OrgKind::Department, &plain).as_deref(), Some("宁波市"));
    }

    #[test]
    fn leaders_follow_every_unit_others_their_own() {
        let follows =
            |unit, kind, role, reporting: &str, org: &str| follows_progress(&actor(unit, kind, role), reporting, org);
        assert!(follows("市经信局", OrgKind::Department, Role::PlanOffice, "市发改委", "宁波市"));
        assert!(follows("市经信局", OrgKind::Department, Role::Viewer, "北仑区", "北仑区"));
        assert!(follows("市科技局", OrgKind::Department, Role::Reporter, "市科技局", "宁波市"));
        assert!(!follows("市科技局", OrgKind::Department, Role::Reporter, "市发改委", "宁波市"));
        assert!(follows("北仑区", OrgKind::District, Role::Reviewer, "北仑区", "北仑区"));
        assert!(!follows("北仑区", OrgKind::District, Role::Reviewer, "鄞州区", "鄞州区"));
    }

    #[test]
    fn district_and_zone_users_have_a_territory_others_none() {
        assert_eq!(own_territory(&actor("北仑区", OrgKind::District, Role::Reporter)), Some("北仑区"));
        assert_eq!(own_territory(&actor("北仑区", OrgKind::District, Role::Reviewer)), Some("北仑区"));
        assert_eq!(own_territory(&actor("宁波高新区", OrgKind::Zone, Role::Reporter)), Some("宁波高新区"));
        assert_eq!(own_territory(&actor("市科技局", OrgKind::Department, Role::Reporter)), None);
        assert_eq!(own_territory(&actor("宁波市", OrgKind::City, Role::Viewer)), None);
    }

    #[test]
    fn a_refused_area_says_why() {
        let plan = crate::plan::parse("plan", PLAN).expect("plan");
        let cx = Context::new(&plan, "宁波市", None);
        let viewer = actor("宁波市", OrgKind::City, Role::Viewer);
        let Err(Denied(why)) = enter(&viewer, Area::Reporting, &cx) else { panic!("a viewer reports nothing") };
        assert!(why.contains("填报") && why.contains("viewer"), "{why}");
        let reporter = actor("市科技局", OrgKind::Department, Role::Reporter);
        assert!(enter(&reporter, Area::Reviewing, &cx).is_err());
        assert!(enter(&reporter, Area::Reporting, &cx).is_ok());
    }

    #[test]
    fn roles_parse_from_their_codes() {
        for role in Role::ALL {
            assert_eq!(role.code().parse::<Role>(), Ok(role));
        }
        assert!("root".parse::<Role>().unwrap_err().contains("unknown role"));
    }

    #[test]
    fn the_work_areas_are_entered_by_whom_they_concern() {
        let plan = crate::plan::parse("plan", PLAN).expect("plan");
        let cx = Context::new(&plan, "宁波市", None);
        let areas = [Area::Reading, Area::Reporting, Area::Reviewing, Area::Audit, Area::Users];
        let entered = |role: Role| -> Vec<Area> {
            let actor = actor("市经信局", OrgKind::Department, role);
            areas.into_iter().filter(|area| may_enter(&actor, *area, &cx)).collect()
        };
        assert_eq!(entered(Role::Admin), areas);
        assert_eq!(entered(Role::PlanOffice), [Area::Reading, Area::Reporting, Area::Reviewing, Area::Audit]);
        assert_eq!(entered(Role::Reporter), [Area::Reading, Area::Reporting]);
        assert_eq!(entered(Role::Reviewer), [Area::Reading, Area::Reviewing]);
        assert_eq!(entered(Role::Viewer), [Area::Reading]);
    }
}
