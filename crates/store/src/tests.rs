//! Storage behaviour, run on SQLite and — when `PLAN361_PG_URL` names a PostgreSQL server
//! (CI sets it) — on PostgreSQL too, each test in a fresh database.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use plan361_core::Period;
use plan361_core::access::Role;
use plan361_core::calendar::Date;
use plan361_core::eval::Status;
use plan361_core::org::{OrgKind, OrgUnits};
use plan361_core::plan::{Goal, Milestone};

use super::*;

const PLAN: &str = include_str!("../../../plans/ningbo-361-2025.toml");
const ORG_UNITS: &str = include_str!("../../../data/org-units.toml");
const PASSWORD: &str = "correct horse";

/// A database for one test, with a clock the test can move. SQLite files are removed
/// afterwards; PostgreSQL test databases are dropped by the next run (see [`fixtures`]).
pub struct Fixture {
    pub store: Store,
    pub now: Arc<AtomicI64>,
    dir: Option<std::path::PathBuf>,
}

impl Drop for Fixture {
    fn drop(&mut self) {
        if let Some(dir) = &self.dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

fn day(year: i32, month: u8, day: u8) -> i64 {
    Date::new(year, month, day).expect("a day of the calendar").start_ms() + 10 * 3_600_000
}

static COUNTER: AtomicI64 = AtomicI64::new(0);

/// The backends to test on: SQLite always, PostgreSQL when configured.
pub async fn fixtures(name: &str) -> Vec<Fixture> {
    let mut fixtures = Vec::new();
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("plan361-store-{name}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("test.db").display().to_string();
    fixtures.push(fixture(&path, Some(dir)).await);
    if let Ok(admin_url) = std::env::var("PLAN361_PG_URL") {
        install_default_drivers();
        let pid = std::process::id();
        let database = format!("plan361_test_{pid}_{n}");
        let admin = sqlx::AnyPool::connect(&admin_url).await.expect("PLAN361_PG_URL connects");
        // Databases left by test processes that have ended go first (a run going on beside this
        // one keeps its own).
        let existing: Vec<String> =
            sqlx::query_scalar("SELECT CAST(datname AS TEXT) FROM pg_database WHERE datname LIKE 'plan361_test_%'")
                .fetch_all(&admin)
                .await
                .expect("list databases");
        let ended = |name: &String| {
            let owner = name.strip_prefix("plan361_test_").and_then(|rest| rest.split('_').next());
            owner.is_some_and(|owner| !std::path::Path::new(&format!("/proc/{owner}")).exists())
        };
        for name in existing.iter().filter(|name| ended(name)) {
            let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
                .execute(&admin)
                .await;
        }
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {database}")))
            .execute(&admin)
            .await
            .expect("create");
        admin.close().await;
        let url = match admin_url.rsplit_once('/') {
            Some((server, _)) => format!("{server}/{database}"),
            None => panic!("PLAN361_PG_URL must end with /DATABASE"),
        };
        fixtures.push(fixture(&url, None).await);
    }
    fixtures
}

/// Today is 5 November 2026 in the tests: October's values are due on the 10th and lock
/// after the 20th; September's have locked.
async fn fixture(location: &str, dir: Option<std::path::PathBuf>) -> Fixture {
    let now = Arc::new(AtomicI64::new(day(2026, 11, 5)));
    let clock_now = now.clone();
    let store =
        Store::open_with_clock(location, Arc::new(move || clock_now.load(Ordering::SeqCst))).await.expect("open");
    let org_units = OrgUnits::parse("org-units", ORG_UNITS).expect("org units");
    store.initialize("plans/ningbo-361-2025.toml", PLAN, &org_units, PASSWORD).await.expect("initialize");
    let admin = store.actor("admin").await.expect("admin");
    for (username, org_unit, role) in [
        ("office", "市经信局", Role::PlanOffice),
        ("kejiju", "市科技局", Role::Reporter),
        ("shangwuju", "市商务局", Role::Reporter),
        ("beilun", "北仑区", Role::Reporter),
        ("reviewer", "市经信局", Role::Reviewer),
        ("leader", "宁波市", Role::Viewer),
    ] {
        store
            .add_user(&admin, NewUser { username, display_name: username, password: PASSWORD, org_unit, role })
            .await
            .expect("user");
    }
    Fixture { store, now, dir }
}

fn draft(target: &str, org_unit: &str, period: &str, value: f64) -> Draft {
    Draft {
        target: target.into(),
        org_unit: org_unit.into(),
        period: Some(period.parse().expect("period")),
        value,
        comment: "情况说明".into(),
        ..Draft::default()
    }
}

#[tokio::test]
async fn initialize_loads_the_plan_org_units_and_an_admin() {
    for f in fixtures("init").await {
        let s = &f.store;
        assert_eq!(s.plan_versions().await.expect("versions").len(), 1);
        assert_eq!(s.current_plan().await.expect("plan").targets().len(), 61);
        assert_eq!(s.org_units().await.expect("units").city().name, "宁波市");
        assert_eq!(s.authenticate("admin", PASSWORD).await.expect("login").role, Role::Admin);
        assert!(matches!(s.authenticate("admin", "wrong password").await, Err(StoreError::Forbidden(_))));
        assert!(matches!(s.authenticate("nobody", PASSWORD).await, Err(StoreError::Forbidden(_))));
        let again = s.initialize("p", PLAN, &OrgUnits::parse("o", ORG_UNITS).expect("units"), PASSWORD).await;
        assert!(matches!(again, Err(StoreError::Validation { field: "database", .. })), "a second init is refused");
        assert!(s.verify_audit().await.expect("chain") > 5);
    }
}

#[tokio::test]
async fn a_value_goes_from_draft_to_approved_and_only_then_counts() {
    for f in fixtures("workflow").await {
        let s = &f.store;
        let kejiju = s.actor("kejiju").await.expect("actor");
        let reviewer = s.actor("reviewer").await.expect("actor");
        let saved = s.save_draft(&kejiju, &draft("1.2.1", "宁波市", "2026-10", 7.0), None).await.expect("draft");
        assert_eq!((saved.state, saved.revision), (ObservationState::Draft, 1));
        let submitted = s.review(&kejiju, saved.id, 1, &ReviewDecision::Submit).await.expect("submit");
        assert_eq!((submitted.state, submitted.revision), (ObservationState::Submitted, 2));
        assert!(!submitted.late, "submitted before the due date, 10 November");

        let plan = s.current_plan().await.expect("plan");
        let approved_only = s.eval_observations(&plan, false).await.expect("observations");
        assert!(approved_only.is_empty(), "an unapproved value is not evaluated");
        let with_unapproved = s.eval_observations(&plan, true).await.expect("observations");
        assert!(!with_unapproved.is_empty());

        let approved = s.review(&reviewer, saved.id, 2, &ReviewDecision::Approve).await.expect("approve");
        assert_eq!((approved.state, approved.approved_value), (ObservationState::Approved, Some(7.0)));
        let input = s.eval_input(Period::month(2026, 10), false).await.expect("input");
        let rows = input.evaluate(Period::month(2026, 10));
        let row = rows.iter().find(|r| r.target.id == "1.2.1").expect("row");
        assert_eq!(row.evaluation.value, Some(7.0));
        assert_ne!(row.evaluation.status, Status::NoData);

        // Editing an approved value makes a new draft; evaluation keeps the approved one.
        let edited = s.save_draft(&kejiju, &draft("1.2.1", "宁波市", "2026-10", 8.0), Some(3)).await.expect("edit");
        assert_eq!((edited.state, edited.approved_value, edited.revision), (ObservationState::Draft, Some(7.0), 4));
        let history = s.revisions(&kejiju, saved.id).await.expect("revisions");
        let actions: Vec<&str> = history.iter().map(|r| r.action.as_str()).collect();
        assert_eq!(actions, ["create", "submit", "approve", "update"]);
        assert_eq!(history[3].value, 8.0);
        assert_eq!(s.verify_audit().await.map(|n| n > 0).ok(), Some(true));
    }
}

#[tokio::test]
async fn a_stale_revision_is_a_conflict_naming_the_newer_one() {
    for f in fixtures("conflict").await {
        let s = &f.store;
        let kejiju = s.actor("kejiju").await.expect("actor");
        let office = s.actor("office").await.expect("actor");
        let first = s.save_draft(&kejiju, &draft("1.2.1", "宁波市", "2026-10", 7.0), None).await.expect("draft");
        s.save_draft(&office, &draft("1.2.1", "宁波市", "2026-10", 8.0), Some(first.revision))
            .await
            .expect("office edits");
        let late = s.save_draft(&kejiju, &draft("1.2.1", "宁波市", "2026-10", 6.0), Some(first.revision)).await;
        match late {
            Err(StoreError::Conflict { current_revision, given_revision, .. }) => {
                assert_eq!((current_revision, given_revision), (2, 1));
            }
            other => panic!("expected a conflict, got {other:?}"),
        }
        let without_base = s.save_draft(&kejiju, &draft("1.2.1", "宁波市", "2026-10", 6.0), None).await;
        assert!(matches!(without_base, Err(StoreError::Conflict { .. })), "an existing value needs its revision");
        let stored = s.observation(&kejiju, first.id).await.expect("read");
        assert_eq!(stored.value, 8.0, "the first writer's change is kept");
        let stale_review = s.review(&kejiju, first.id, 1, &ReviewDecision::Submit).await;
        assert!(matches!(stale_review, Err(StoreError::Conflict { .. })));
    }
}

#[tokio::test]
async fn permissions_are_enforced_on_every_write() {
    for f in fixtures("permissions").await {
        let s = &f.store;
        let kejiju = s.actor("kejiju").await.expect("actor");
        let beilun = s.actor("beilun").await.expect("actor");
        let leader = s.actor("leader").await.expect("actor");
        let office = s.actor("office").await.expect("actor");
        let denied = |r: Result<Observation>| matches!(r, Err(StoreError::Forbidden(_)));
        assert!(denied(s.save_draft(&kejiju, &draft("7.4.1", "宁波市", "2025Q4", 0.9), None).await), "led by 市商务局");
        assert!(denied(s.save_draft(&beilun, &draft("6.1.2", "北仑区", "2026-10", 0.6), None).await), "not decomposed");
        assert!(denied(s.save_draft(&leader, &draft("6.1.2", "宁波市", "2026-10", 2.6), None).await), "a viewer");
        let goal = Goal::Path(vec![Milestone { year: 2027, value: 0.6 }, Milestone { year: 2030, value: 0.73 }]);
        assert!(matches!(s.set_decomposition(&kejiju, "6.1.2", "北仑区", &goal).await, Err(StoreError::Forbidden(_))));
        s.set_decomposition(&office, "6.1.2", "北仑区", &goal).await.expect("decompose");
        let own = s.save_draft(&beilun, &draft("6.1.2", "北仑区", "2026-10", 0.6), None).await.expect("now permitted");
        assert!(denied(s.save_draft(&beilun, &draft("6.1.2", "鄞州区", "2026-10", 0.3), None).await));
        assert!(matches!(s.review(&beilun, own.id, 1, &ReviewDecision::Approve).await, Err(StoreError::Forbidden(_))));
        // Another unit's draft is not even readable.
        assert!(matches!(s.observation(&kejiju, own.id).await, Err(StoreError::NotFound(_))), "nor even found");
        let visible = s.observations(&kejiju, &ObservationFilter::default()).await.expect("list");
        assert!(visible.is_empty());
        let mismatched = Goal::EveryYear { value: 3.0, until: None };
        assert!(matches!(
            s.set_decomposition(&office, "6.1.2", "鄞州区", &mismatched).await,
            Err(StoreError::Validation { field: "goal", .. })
        ));
    }
}

#[tokio::test]
async fn an_assigned_reporting_unit_owes_the_city_value_in_the_leads_stead() {
    for f in fixtures("assign").await {
        let s = &f.store;
        let admin = s.actor("admin").await.expect("actor");
        let new_user = NewUser {
            username: "nongye",
            display_name: "nongye",
            password: PASSWORD,
            org_unit: "市农业农村局",
            role: Role::Reporter,
        };
        s.add_user(&admin, new_user).await.expect("user");
        let (kejiju, nongye, office) = (
            s.actor("kejiju").await.expect("actor"),
            s.actor("nongye").await.expect("actor"),
            s.actor("office").await.expect("actor"),
        );
        let refused = |r: Result<ReportingAssignment>| match r {
            Err(StoreError::Validation { field, .. }) => field,
            Err(StoreError::Forbidden(_)) => "forbidden",
            other => panic!("expected a refusal, got {other:?}"),
        };
        let reason = "农业新品种数据由市农业农村局掌握";
        assert_eq!(refused(s.assign_reporting_unit(&kejiju, "1.2.2", "市农业农村局", reason).await), "forbidden");
        assert_eq!(refused(s.assign_reporting_unit(&office, "1.2.2", "市农业农村局", "  ").await), "reason");
        assert_eq!(refused(s.assign_reporting_unit(&office, "9.9.9", "市农业农村局", reason).await), "target_id");
        assert_eq!(refused(s.assign_reporting_unit(&office, "1.2.2", "北仑区", reason).await), "org_unit");
        assert!(s.reporting_assignment_history().await.expect("history").is_empty(), "nothing partial written");

        let october = DutyPeriods::Of(Period::month(2026, 10));
        let plan = s.current_plan().await.expect("plan");
        let owes = |duties: Vec<Duty>| duties.iter().any(|d| plan.targets()[d.target].id == "1.2.2");
        let kejiju_duties = s.duties(&kejiju, &plan, "市科技局", OrgKind::Department, october).await.expect("duties");
        assert!(owes(kejiju_duties), "the plan's lead owes it before");
        s.assign_reporting_unit(&office, "1.2.2", "市农业农村局", reason).await.expect("assign");

        let kejiju_duties = s.duties(&kejiju, &plan, "市科技局", OrgKind::Department, october).await.expect("duties");
        assert!(!owes(kejiju_duties), "the lead no longer owes it");
        let nongye_duties =
            s.duties(&nongye, &plan, "市农业农村局", OrgKind::Department, october).await.expect("duties");
        assert!(owes(nongye_duties));
        let refused_write = s.save_draft(&kejiju, &draft("1.2.2", "宁波市", "2026-10", 3.0), None).await;
        assert!(matches!(refused_write, Err(StoreError::Forbidden(_))), "{refused_write:?}");
        s.save_draft(&nongye, &draft("1.2.2", "宁波市", "2026-10", 3.0), None).await.expect("the assigned unit writes");
        f.now.store(day(2026, 11, 15), Ordering::SeqCst);
        let overdue = s.overdue(Period::month(2026, 10)).await.expect("overdue");
        let owed = overdue.outstanding.iter().find(|o| o.target_id == "1.2.2").expect("1.2.2 is outstanding");
        assert_eq!(owed.reporting_unit, "市农业农村局");

        // Back to the lead: one more row, the history kept.
        s.assign_reporting_unit(&office, "1.2.2", "市科技局", "恢复原文牵头单位").await.expect("assign back");
        let history = s.reporting_assignment_history().await.expect("history");
        let kept: Vec<(&str, &str, &str)> =
            history.iter().map(|a| (a.org_unit.as_str(), a.reason.as_str(), a.assigned_by.as_str())).collect();
        assert_eq!(kept, [("市农业农村局", reason, "office"), ("市科技局", "恢复原文牵头单位", "office")]);
        let in_force = s.reporting_assignments().await.expect("in force");
        assert_eq!(in_force.city_reporter(plan.target("1.2.2").expect("target")), "市科技局");
        let update = sqlx::query("UPDATE reporting_assignments SET reason = 'x'").execute(&s.pool).await;
        assert!(update.is_err(), "the assignments are append-only");
        let audit = s.audit_entries(&AuditFilter { limit: 1000, ..Default::default() }).await.expect("audit");
        assert_eq!(audit.iter().filter(|e| e.action == "reporting_unit.assign").count(), 2);
    }
}

#[tokio::test]
async fn returning_needs_a_reason_and_a_returned_value_can_be_resubmitted() {
    for f in fixtures("return").await {
        let s = &f.store;
        let kejiju = s.actor("kejiju").await.expect("actor");
        let reviewer = s.actor("reviewer").await.expect("actor");
        let o = s.save_draft(&kejiju, &draft("4.2.1", "宁波市", "2026-10", 18.0), None).await.expect("draft");
        let refused = s.review(&reviewer, o.id, 1, &ReviewDecision::Approve).await;
        assert!(
            matches!(refused, Err(StoreError::WrongState { state: ObservationState::Draft, action: "approve", .. })),
            "drafts are not approved"
        );
        assert!(refused.expect_err("refused").to_string().ends_with("it cannot be approved"), "not \"approveed\"");
        s.review(&kejiju, o.id, 1, &ReviewDecision::Submit).await.expect("submit");
        let blank = ReviewDecision::Return { reason: "  ".into() };
        assert!(matches!(
            s.review(&reviewer, o.id, 2, &blank).await,
            Err(StoreError::Validation { field: "reason", .. })
        ));
        let back = ReviewDecision::Return { reason: "口径不一致,请核实".into() };
        let returned = s.review(&reviewer, o.id, 2, &back).await.expect("return");
        assert_eq!(
            (returned.state, returned.return_reason.as_str()),
            (ObservationState::Returned, "口径不一致,请核实")
        );
        let resubmitted = s.review(&kejiju, o.id, 3, &ReviewDecision::Submit).await.expect("resubmit");
        assert_eq!(resubmitted.state, ObservationState::Submitted);
        let many = s.review_many(&reviewer, &[(o.id, 4)], &ReviewDecision::Approve).await.expect("bulk");
        assert_eq!(many[0].state, ObservationState::Approved);
    }
}

#[tokio::test]
async fn reporting_windows_refuse_future_and_locked_periods() {
    for f in fixtures("windows").await {
        let s = &f.store;
        let kejiju = s.actor("kejiju").await.expect("actor");
        let office = s.actor("office").await.expect("actor");
        let future = s.save_draft(&kejiju, &draft("1.2.1", "宁波市", "2026-12", 7.0), None).await;
        assert!(
            matches!(future, Err(StoreError::NotBegun { period }) if period == Period::month(2026, 12)),
            "{future:?}"
        );
        // 2026-09 locked on 2026-10-20.
        let locked = s.save_draft(&kejiju, &draft("1.2.1", "宁波市", "2026-09", 7.0), None).await;
        assert!(
            matches!(locked, Err(StoreError::WindowClosed { closed_on, .. }) if closed_on == Date::new(2026, 10, 20).expect("a day of the calendar")),
            "{locked:?}"
        );
        s.save_draft(&office, &draft("1.2.1", "宁波市", "2026-09", 7.0), None).await.expect("the plan office may");
        // A value submitted after its due date (10 November for October) is recorded as late.
        f.now.store(day(2026, 11, 15), Ordering::SeqCst);
        let o = s.save_draft(&kejiju, &draft("1.2.1", "宁波市", "2026-10", 7.0), None).await.expect("draft");
        let submitted = s.review(&kejiju, o.id, 1, &ReviewDecision::Submit).await.expect("submit");
        assert!(submitted.late);

        let report = s.overdue(Period::month(2026, 10)).await.expect("overdue");
        assert_eq!(report.due, "2026-11-10");
        assert_eq!(report.tally.late, 1);
        assert_eq!(report.tally.expected, report.tally.on_time + report.tally.late + report.outstanding.len());
        let missing = report.outstanding.iter().find(|o| o.target_id == "2.3.2").expect("优质工业空间 is missing");
        assert_eq!(
            (missing.reporting_unit.as_str(), missing.state.as_str(), missing.days_overdue),
            ("市经信局", "missing", 5)
        );
        assert!(report.outstanding.iter().all(|o| o.target_id != "1.2.1"));

        let custom =
            Windows { month: windows::Window { months_after: 1, due_day: 5, lock_day: 30 }, ..Windows::default() };
        assert!(matches!(s.set_windows(&kejiju, custom).await, Err(StoreError::Forbidden(_))));
        s.set_windows(&office, custom).await.expect("set");
        assert_eq!(s.windows().await.expect("windows"), custom);
    }
}

#[tokio::test]
async fn a_changed_plan_is_a_new_version_and_past_periods_keep_theirs() {
    for f in fixtures("versions").await {
        let s = &f.store;
        let office = s.actor("office").await.expect("actor");
        let kejiju = s.actor("kejiju").await.expect("actor");
        let same = s.load_plan(&office, "p", PLAN, None, "no change").await.expect("load");
        assert!(same.unchanged);
        let edited = PLAN.replace("values = { 2030 = 160 }", "values = { 2030 = 170 }");
        assert!(
            matches!(
                s.load_plan(&office, "p", &edited, None, "").await,
                Err(StoreError::Validation { field: "reason", .. })
            ),
            "a reason is needed"
        );
        assert!(matches!(s.load_plan(&kejiju, "p", &edited, None, "x").await, Err(StoreError::Forbidden(_))));
        let loaded = s
            .load_plan(&office, "p", &edited, Some(Period::month(2026, 7)), "动态调整:单项冠军目标上调")
            .await
            .expect("v2");
        assert_eq!((loaded.version, loaded.changes.len()), (2, 1));
        let value_at = |plan: &plan361_core::plan::Plan| plan.target("3.3.1").map(|t| t.goal.stated());
        let before = s.plan_at(Period::month(2026, 6)).await.expect("v1");
        let after = s.plan_at(Period::month(2026, 7)).await.expect("v2");
        assert_eq!(value_at(&before), Some(vec![(Some(2030), Some(160.0))]));
        assert_eq!(value_at(&after), Some(vec![(Some(2030), Some(170.0))]));
        let earlier = s.load_plan(&office, "p", PLAN, Some(Period::month(2026, 1)), "回退").await;
        assert!(
            matches!(earlier, Err(StoreError::Validation { field: "effective", .. })),
            "history is never rewritten"
        );
        let versions = s.plan_versions().await.expect("versions");
        assert_eq!(versions[1].reason, "动态调整:单项冠军目标上调");
        assert_eq!(versions[1].effective_from, Period::month(2026, 7));
    }
}

fn import_row(row: usize, target: &str, org_unit: &str, period: &str, value: f64) -> ImportRow {
    ImportRow {
        sheet: None,
        row,
        target: target.into(),
        org_unit: org_unit.into(),
        period: period.parse().expect("period"),
        value,
        comment: String::new(),
        revision: None,
    }
}

#[tokio::test]
async fn imports_are_all_or_nothing_and_idempotent() {
    for f in fixtures("import").await {
        let s = &f.store;
        let kejiju = s.actor("kejiju").await.expect("actor");
        let office = s.actor("office").await.expect("actor");
        let none = |_: usize| {};
        let bad = vec![
            import_row(2, "1.2.1", "宁波市", "2026-10", 7.0),
            import_row(3, "7.4.1", "宁波市", "2025Q4", 0.9),
            import_row(4, "4.2.1", "宁波市", "2026-12", 3.0),
            import_row(5, "1.2.1", "宁波市", "2026-10", 8.0),
        ];
        match s.import(&kejiju, "f.csv", "h", &bad, ObservationState::Submitted, &none).await {
            Err(StoreError::Rejected(problems)) => {
                let rows: Vec<usize> = problems.iter().map(|p| p.row).collect();
                assert_eq!(rows, [3, 4], "{problems:?}");
                let columns: Vec<Option<&str>> = problems.iter().map(|p| p.column.as_deref()).collect();
                assert_eq!(columns, [Some("target_id"), Some("period")], "not permitted; not begun");
            }
            other => panic!("expected rejected rows, got {other:?}"),
        }
        assert!(
            s.observations(&office, &ObservationFilter::default()).await.expect("list").is_empty(),
            "nothing written"
        );
        match s
            .import(&kejiju, "f.csv", "h", &[bad[0].clone(), bad[3].clone()], ObservationState::Submitted, &none)
            .await
        {
            Err(StoreError::Rejected(problems)) => {
                assert_eq!((problems[0].row, problems[0].column.as_deref()), (5, None))
            }
            other => panic!("expected a duplicate, got {other:?}"),
        }

        // The plan office loads approved history itself: duties combined for this.
        let admin = s.actor("admin").await.expect("actor");
        assert!(s.separate_duties().await.expect("setting"), "new databases separate duties");
        assert!(matches!(
            s.import(
                &office,
                "f.csv",
                "h",
                &[import_row(2, "1.2.1", "宁波市", "2026-01", 1.0)],
                ObservationState::Approved,
                &none
            )
            .await,
            Err(StoreError::Forbidden(_))
        ));
        s.set_separate_duties(&admin, false).await.expect("combine");
        let good: Vec<ImportRow> = (1..=9u8)
            .map(|m| import_row(usize::from(m) + 1, "1.2.1", "宁波市", &format!("2026-{m:02}"), f64::from(m)))
            .collect();
        let first = s.import(&office, "f.csv", "h", &good, ObservationState::Approved, &none).await.expect("import");
        assert_eq!((first.created, first.updated, first.unchanged), (9, 0, 0));
        let second = s.import(&office, "f.csv", "h", &good, ObservationState::Approved, &none).await.expect("again");
        assert_eq!((second.created, second.updated, second.unchanged), (0, 0, 9), "importing twice changes nothing");
        let mut changed = good.clone();
        changed[0].value = 2.0;
        let third =
            s.import(&office, "f.csv", "h2", &changed, ObservationState::Approved, &none).await.expect("changed");
        assert_eq!((third.created, third.updated, third.unchanged), (0, 1, 8));
        let listed = s
            .observations(&office, &ObservationFilter { period: Some(Period::month(2026, 1)), ..Default::default() })
            .await
            .expect("list");
        assert_eq!((listed[0].value, listed[0].revision, listed[0].approved_value), (2.0, 2, Some(2.0)));
        assert!(s.verify_audit().await.is_ok());
    }
}

#[tokio::test]
async fn a_tampered_audit_log_fails_verification_at_the_altered_entry() {
    for f in fixtures("tamper").await {
        let s = &f.store;
        let count = s.verify_audit().await.expect("intact");
        let entries = s.audit_entries(&AuditFilter { limit: 1000, ..Default::default() }).await.expect("entries");
        assert_eq!(entries.len() as i64, count);
        let victim = entries[entries.len() / 2].id;
        let update =
            sqlx::query("UPDATE audit_log SET actor = 'mallory' WHERE id = $1").bind(victim).execute(&s.pool).await;
        assert!(update.is_err(), "the log is append-only");
        let unlock = match s.backend {
            Backend::Sqlite => "DROP TRIGGER audit_log_no_update",
            Backend::Postgres => "DROP TRIGGER audit_log_append_only ON audit_log",
        };
        sqlx::raw_sql(unlock).execute(&s.pool).await.expect("drop trigger");
        sqlx::query("UPDATE audit_log SET actor = 'mallory' WHERE id = $1")
            .bind(victim)
            .execute(&s.pool)
            .await
            .expect("tamper");
        match s.verify_audit().await {
            Err(StoreError::AuditBroken(b)) => assert_eq!(b.id, victim),
            other => panic!("expected a broken chain, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_backup_restores_to_an_identical_database() {
    let f = fixtures("backup").await.remove(0);
    let s = &f.store;
    let office = s.actor("office").await.expect("actor");
    s.save_draft(&office, &draft("1.2.1", "宁波市", "2026-10", 117.0), None).await.expect("draft");
    let dir = f.dir.clone().expect("sqlite dir");
    let backup = dir.join("backup.db");
    s.backup(&backup).await.expect("backup");
    assert!(matches!(s.backup(&backup).await, Err(StoreError::Validation { field: "file", .. })), "never overwrites");
    s.save_draft(&office, &draft("1.2.1", "宁波市", "2026-09", 115.0), None).await.expect("after the backup");
    let restored_path = dir.join("restored.db");
    std::fs::write(&restored_path, b"").expect("placeholder");
    restore(&backup, &restored_path).await.expect("restore");
    let restored = Store::open(&restored_path.display().to_string()).await.expect("open restored");
    let office_restored = restored.actor("office").await.expect("actor");
    let values = restored.observations(&office_restored, &ObservationFilter::default()).await.expect("list");
    assert_eq!(values.len(), 1, "the state at the time of the backup");
    assert_eq!(values[0].value, 117.0);
    assert_eq!(restored.verify_audit().await.expect("chain"), s.verify_audit().await.expect("chain") - 1);
    restored.close().await;
}

fn enterprise(
    code17: &str,
    district: &str,
    honours: Vec<plan361_core::registry::Honour>,
) -> plan361_core::registry::Entity {
    plan361_core::registry::Entity::Enterprise(plan361_core::registry::Enterprise {
        credit_code: plan361_core::registry::credit_code::complete(code17).expect("17 characters"),
        name: format!("宁波{code17}制造有限公司"),
        district: district.into(),
        industry: "3612".into(),
        above_scale: vec![2024, 2025],
        cluster_override: None,
        honours,
    })
}

fn champion(granted: &str) -> plan361_core::registry::Honour {
    plan361_core::registry::Honour {
        kind: "制造业单项冠军".into(),
        level: "国家级".into(),
        granted: granted.parse().expect("date"),
        revoked: None,
        note: String::new(),
    }
}

#[tokio::test]
async fn list_entries_are_versioned_and_past_lists_are_reproducible() {
    use plan361_core::registry::{ListKind, count};
    for f in fixtures("lists").await {
        let s = &f.store;
        let office = s.actor("office").await.expect("actor");
        let a = enterprise("91330206MA0000001", "北仑区", vec![champion("2023-11-01")]);
        let b = enterprise("91330212MA0000002", "鄞州区", vec![champion("2025-02-01")]);
        s.save_entry(&office, &a, "2023年度单项冠军名单", None).await.expect("a");
        s.save_entry(&office, &b, "2024年度单项冠军名单", None).await.expect("b");
        assert_eq!(
            s.save_entry(&office, &a, "again", None).await.expect("unchanged"),
            1,
            "an identical save records nothing"
        );
        let known_then = s.now();
        f.now.store(s.now() + 60_000, Ordering::SeqCst);

        // A later correction: B's honour was granted only in 2026.
        let corrected = enterprise("91330212MA0000002", "鄞州区", vec![champion("2026-01-15")]);
        assert_eq!(s.save_entry(&office, &corrected, "更正授予日期", None).await.expect("edit"), 2);
        let rule = plan361_core::registry::CountRule::Enterprises {
            honour: "制造业单项冠军".into(),
            levels: vec!["国家级".into()],
        };
        let end_2025: Date = "2025-12-31".parse().expect("date");
        let baseline: Date = "2024-12-31".parse().expect("date");
        let count_with = |registry: &plan361_core::registry::Registry| {
            count::value(
                &rule,
                &count::entries(&rule, registry),
                plan361_core::plan::Kind::Cumulative,
                "家",
                end_2025,
                baseline,
                None,
            )
        };
        assert_eq!(count_with(&s.registry(None).await.expect("now")), 1.0);
        assert_eq!(count_with(&s.registry(Some(known_then)).await.expect("then")), 2.0, "the count as reported then");

        let history = s.entry_history(ListKind::Enterprises, b.key()).await.expect("history");
        let reasons: Vec<&str> = history.iter().map(|v| v.reason.as_str()).collect();
        assert_eq!(reasons, ["2024年度单项冠军名单", "更正授予日期"]);
        s.remove_entry(&office, ListKind::Enterprises, b.key(), "企业注销", None).await.expect("remove");
        assert!(s.entry(ListKind::Enterprises, b.key()).await.expect("read").is_none());
        assert_eq!(s.entry_history(ListKind::Enterprises, b.key()).await.expect("history").len(), 3, "history stays");
        assert_eq!(
            count_with(&s.registry(Some(known_then)).await.expect("then")),
            2.0,
            "still reproducible after removal"
        );
        assert!(s.verify_audit().await.is_ok());
    }
}

#[tokio::test]
async fn list_imports_check_every_row_and_permissions() {
    use plan361_core::registry::{Entity, ListKind};
    for f in fixtures("list-import").await {
        let s = &f.store;
        let beilun = s.actor("beilun").await.expect("actor");
        let mut wrong_code = enterprise("91330206MA0000003", "北仑区", vec![]);
        if let Entity::Enterprise(e) = &mut wrong_code {
            e.credit_code.replace_range(17.., "0");
            e.industry = "361".into();
        }
        let rows = vec![
            ListRow { sheet: None, row: 2, entity: enterprise("91330206MA0000004", "北仑区", vec![]) },
            ListRow { sheet: None, row: 3, entity: wrong_code },
            ListRow { sheet: None, row: 4, entity: enterprise("91330212MA0000005", "鄞州区", vec![]) },
        ];
        match s.import_list(&beilun, ListKind::Enterprises, &rows, "年度更新").await {
            Err(StoreError::Rejected(problems)) => {
                let found: Vec<(usize, Option<&str>)> = problems.iter().map(|p| (p.row, p.column.as_deref())).collect();
                assert!(found.contains(&(3, Some("credit_code"))), "{problems:?}");
                assert!(found.contains(&(3, Some("industry"))), "{problems:?}");
                assert!(found.contains(&(4, Some("district"))), "another district's entry: {problems:?}");
                assert!(!found.iter().any(|(row, _)| *row == 2));
            }
            other => panic!("expected rejected rows, got {other:?}"),
        }
        assert!(s.registry(None).await.expect("registry").is_empty(), "nothing written");
        let report = s.import_list(&beilun, ListKind::Enterprises, &rows[..1], "年度更新").await.expect("own district");
        assert_eq!(report.created, 1);
        assert!(matches!(
            s.import_list(&beilun, ListKind::Enterprises, &rows[..1], "").await,
            Err(StoreError::Validation { field: "reason", .. })
        ));
        // Another district's entry cannot be taken over by moving it to one's own district.
        let office = s.actor("office").await.expect("actor");
        s.save_entry(&office, &rows[2].entity, "鄞州区名单", None).await.expect("the office saves any district's");
        let mut moved = rows[2].entity.clone();
        if let Entity::Enterprise(e) = &mut moved {
            e.district = "北仑区".into();
        }
        assert!(matches!(s.save_entry(&beilun, &moved, "迁入", None).await, Err(StoreError::Forbidden(_))));
        assert!(matches!(s.save_entry(&beilun, &rows[2].entity, "改名", None).await, Err(StoreError::Forbidden(_))));
        let moved_row = [ListRow { sheet: None, row: 2, entity: moved }];
        assert!(matches!(
            s.import_list(&beilun, ListKind::Enterprises, &moved_row, "迁入").await,
            Err(StoreError::Rejected(ref p)) if p[0].column.as_deref() == Some("district")
        ));
        assert!(matches!(
            s.remove_entry(&beilun, ListKind::Enterprises, rows[2].entity.key(), "注销", None).await,
            Err(StoreError::Forbidden(_))
        ));
        assert!(matches!(
            s.save_entry(&beilun, &rows[0].entity, " ", None).await,
            Err(StoreError::Rejected(ref p)) if p[0].column.as_deref() == Some("reason")
        ));
    }
}

#[tokio::test]
async fn counted_targets_take_their_values_from_the_lists() {
    for f in fixtures("derived").await {
        let s = &f.store;
        let office = s.actor("office").await.expect("actor");
        let refused = s.save_draft(&office, &draft("3.3.1", "宁波市", "2026-10", 117.0), None).await;
        assert!(matches!(refused, Err(StoreError::Validation { field: "target_id", .. })), "{refused:?}");
        for (i, (district, granted)) in
            [("北仑区", "2023-11-01"), ("北仑区", "2025-03-01"), ("鄞州区", "2026-06-01")].iter().enumerate()
        {
            let e = enterprise(&format!("9133020{i}MA000001{i}"), district, vec![champion(granted)]);
            s.save_entry(&office, &e, "单项冠军名单", None).await.expect("entry");
        }
        let at = Period::month(2026, 10);
        let input = s.eval_input(at, false).await.expect("input");
        let rows = input.evaluate(at);
        let value_of = |unit: &str| {
            rows.iter().find(|r| r.target.id == "3.3.1" && r.org_unit == unit).and_then(|r| r.evaluation.value)
        };
        assert_eq!(value_of("宁波市"), Some(3.0));
        assert_eq!(value_of("北仑区"), Some(2.0));
        assert_eq!(value_of("鄞州区"), Some(1.0));
        let earlier = s.eval_input(Period::month(2025, 12), false).await.expect("input");
        let rows = earlier.evaluate(Period::month(2025, 12));
        let city = rows.iter().find(|r| r.target.id == "3.3.1" && r.org_unit == "宁波市").expect("row");
        assert_eq!(city.evaluation.value, Some(2.0), "the June 2026 honour is not yet held at the end of 2025");
        let report = s.overdue(Period::month(2026, 10)).await.expect("overdue");
        assert!(report.outstanding.iter().all(|o| o.target_id != "3.3.1"), "nobody owes a counted value");
    }
}

#[tokio::test]
async fn a_change_to_an_entry_based_on_an_old_version_is_a_conflict() {
    for f in fixtures("entry-conflict").await {
        let s = &f.store;
        let office = s.actor("office").await.expect("actor");
        let first = enterprise("91330206MA0000009", "北仑区", vec![]);
        assert_eq!(s.save_entry(&office, &first, "新增", Some(0)).await.expect("new"), 1);
        assert!(
            matches!(
                s.save_entry(&office, &first, "再次新增", Some(0)).await,
                Err(StoreError::EntryConflict { current_version: 1, .. })
            ),
            "a second 'new' entry with the same key"
        );
        let a = enterprise("91330206MA0000009", "北仑区", vec![champion("2025-03-01")]);
        let b = enterprise("91330206MA0000009", "北仑区", vec![champion("2024-03-01")]);
        assert_eq!(s.save_entry(&office, &a, "授予", Some(1)).await.expect("first editor"), 2);
        match s.save_entry(&office, &b, "授予", Some(1)).await {
            Err(StoreError::EntryConflict { current_version, given_version, .. }) => {
                assert_eq!((current_version, given_version), (2, 1));
            }
            other => panic!("expected a conflict, got {other:?}"),
        }
        assert_eq!(
            s.entry(plan361_core::registry::ListKind::Enterprises, a.key()).await.expect("read"),
            Some(a.clone()),
            "the first change stays"
        );
    }
}

#[tokio::test]
async fn duties_are_separated_by_default_and_can_be_combined() {
    for f in fixtures("duties").await {
        let s = &f.store;
        let office = s.actor("office").await.expect("actor");
        let reviewer = s.actor("reviewer").await.expect("actor");
        let admin = s.actor("admin").await.expect("actor");
        let own = s.save_draft(&office, &draft("1.2.1", "宁波市", "2026-10", 7.0), None).await.expect("draft");
        let own = s.review(&office, own.id, own.revision, &ReviewDecision::Submit).await.expect("submit");
        assert!(
            matches!(
                s.review(&office, own.id, own.revision, &ReviewDecision::Approve).await,
                Err(StoreError::Forbidden(_))
            ),
            "nobody approves a value they entered and submitted"
        );
        s.review(&admin, own.id, own.revision, &ReviewDecision::Approve).await.expect("another may");
        // Someone who only submitted another's draft may not approve it either.
        let kejiju = s.actor("kejiju").await.expect("actor");
        let theirs = s.save_draft(&kejiju, &draft("4.2.1", "宁波市", "2026-10", 18.0), None).await.expect("draft");
        let theirs = s.review(&office, theirs.id, theirs.revision, &ReviewDecision::Submit).await.expect("submit");
        assert!(matches!(
            s.review(&office, theirs.id, theirs.revision, &ReviewDecision::Approve).await,
            Err(StoreError::Forbidden(_))
        ));
        s.review(&reviewer, theirs.id, theirs.revision, &ReviewDecision::Approve).await.expect("the reviewer approves");
        // Combined duties (an administrator's choice): the office approves its own.
        assert!(matches!(s.set_separate_duties(&office, false).await, Err(StoreError::Forbidden(_))));
        s.set_separate_duties(&admin, false).await.expect("combine");
        let again = s.save_draft(&office, &draft("4.2.2", "宁波市", "2026-10", 3.0), None).await.expect("draft");
        let again = s.review(&office, again.id, again.revision, &ReviewDecision::Submit).await.expect("submit");
        s.review(&office, again.id, again.revision, &ReviewDecision::Approve).await.expect("combined duties");
        assert!(s.verify_audit().await.is_ok());
    }
}

#[tokio::test]
async fn viewers_see_approved_values_and_revisions_only() {
    for f in fixtures("viewer").await {
        let s = &f.store;
        let kejiju = s.actor("kejiju").await.expect("actor");
        let reviewer = s.actor("reviewer").await.expect("actor");
        let leader = s.actor("leader").await.expect("actor");
        let o = s.save_draft(&kejiju, &draft("1.2.1", "宁波市", "2026-10", 7.0), None).await.expect("draft");
        assert!(matches!(s.revisions(&leader, o.id).await, Err(StoreError::NotFound(_))), "a draft is not found");
        let o = s.review(&kejiju, o.id, 1, &ReviewDecision::Submit).await.expect("submit");
        let back = ReviewDecision::Return { reason: "口径有误".into() };
        let o = s.review(&reviewer, o.id, o.revision, &back).await.expect("return");
        let o = s.save_draft(&kejiju, &draft("1.2.1", "宁波市", "2026-10", 6.0), Some(o.revision)).await.expect("fix");
        let o = s.review(&kejiju, o.id, o.revision, &ReviewDecision::Submit).await.expect("submit");
        let o = s.review(&reviewer, o.id, o.revision, &ReviewDecision::Approve).await.expect("approve");
        let seen = s.revisions(&leader, o.id).await.expect("approved revisions");
        assert_eq!(seen.len(), 1, "only the approval: {seen:?}");
        assert_eq!((seen[0].state, seen[0].value, seen[0].reason.as_str()), (ObservationState::Approved, 6.0, ""));
        assert_eq!(s.revisions(&kejiju, o.id).await.expect("all").len(), 6, "the reporter sees the whole history");
        // A new draft over the approved value: the viewer still sees only the approval.
        s.save_draft(&kejiju, &draft("1.2.1", "宁波市", "2026-10", 9.0), Some(o.revision)).await.expect("edit");
        assert_eq!(s.revisions(&leader, o.id).await.expect("approved revisions").len(), 1);
        assert!(matches!(s.observation(&leader, o.id).await, Err(StoreError::NotFound(_))), "the draft is hidden");
        let listed = s.observations(&leader, &ObservationFilter::default()).await.expect("list");
        assert!(listed.iter().all(|o| o.state == ObservationState::Approved));
        // `limit` counts what the caller may see: newer drafts do not crowd out older values.
        let office = s.actor("office").await.expect("actor");
        for m in 1..=3u8 {
            let old = s
                .save_draft(&office, &draft("4.2.1", "宁波市", &format!("2025-{m:02}"), 1.0), None)
                .await
                .expect("draft");
            let old = s.review(&kejiju, old.id, old.revision, &ReviewDecision::Submit).await.expect("submit");
            s.review(&reviewer, old.id, old.revision, &ReviewDecision::Approve).await.expect("approve");
        }
        for m in 4..=9u8 {
            s.save_draft(&kejiju, &draft("4.2.2", "宁波市", &format!("2026-{m:02}"), 1.0), None).await.ok();
            s.save_draft(&office, &draft("4.2.2", "宁波市", &format!("2026-{m:02}"), 1.0), None).await.ok();
        }
        let limited =
            s.observations(&leader, &ObservationFilter { limit: Some(2), ..Default::default() }).await.expect("list");
        assert_eq!(limited.len(), 2, "two approved values, past the newer drafts");
        assert!(limited.iter().all(|o| o.state == ObservationState::Approved));
    }
}

#[tokio::test]
async fn imports_honour_revisions_and_never_move_a_value_back() {
    for f in fixtures("import-revisions").await {
        let s = &f.store;
        let kejiju = s.actor("kejiju").await.expect("actor");
        let reviewer = s.actor("reviewer").await.expect("actor");
        let none = |_: usize| {};
        let o = s.save_draft(&kejiju, &draft("1.2.1", "宁波市", "2026-10", 7.0), None).await.expect("draft");
        let o = s.review(&kejiju, o.id, 1, &ReviewDecision::Submit).await.expect("submit");
        let o = s.review(&reviewer, o.id, o.revision, &ReviewDecision::Approve).await.expect("approve");
        // A form made before the approval (revision 1) with another value: a conflict for that row.
        let mut stale = import_row(6, "1.2.1", "宁波市", "2026-10", 8.0);
        stale.revision = Some(1);
        let fresh = ImportRow { revision: Some(0), ..import_row(7, "4.2.1", "宁波市", "2026-10", 18.0) };
        match s.import(&kejiju, "form.xlsx", "h", &[stale.clone(), fresh.clone()], ObservationState::Draft, &none).await
        {
            Err(StoreError::ImportConflict(rows)) => {
                assert_eq!((rows.total, rows[0].row, rows[0].column.as_deref()), (1, 6, Some("revision")));
            }
            other => panic!("expected a conflict, got {other:?}"),
        }
        // Without a revision, an upload still never turns an approved value back into a draft.
        let unversioned = ImportRow { revision: None, ..stale.clone() };
        assert!(matches!(
            s.import(&kejiju, "x.csv", "h", &[unversioned], ObservationState::Draft, &none).await,
            Err(StoreError::ImportConflict(ref rows)) if rows[0].column.as_deref() == Some("value")
        ));
        let kept = s.observation(&kejiju, o.id).await.expect("read");
        assert_eq!(
            (kept.state, kept.value, kept.revision),
            (ObservationState::Approved, 7.0, o.revision),
            "nothing written"
        );
        // The same value as approved changes nothing; a fresh row imports.
        let same = ImportRow {
            revision: Some(o.revision),
            comment: "情况说明".into(),
            ..import_row(6, "1.2.1", "宁波市", "2026-10", 7.0)
        };
        let report =
            s.import(&kejiju, "form.xlsx", "h", &[same, fresh], ObservationState::Draft, &none).await.expect("import");
        assert_eq!((report.created, report.updated, report.unchanged), (1, 0, 1));
    }
}

#[tokio::test]
async fn values_beyond_the_range_and_corrupt_stored_data_are_told_apart() {
    for f in fixtures("range").await {
        let s = &f.store;
        let kejiju = s.actor("kejiju").await.expect("actor");
        for value in [1e16, -2e15, f64::MAX] {
            assert!(matches!(
                s.save_draft(&kejiju, &draft("1.2.2", "宁波市", "2026-10", value), None).await,
                Err(StoreError::Validation { field: "value", .. })
            ));
        }
        s.save_draft(&kejiju, &draft("1.2.2", "宁波市", "2026-10", 1e15), None).await.expect("the edge is in");
        sqlx::query("UPDATE observations SET state = 'lost' WHERE target_id = '1.2.2'")
            .execute(&s.pool)
            .await
            .expect("damage");
        let read = s.observations(&kejiju, &ObservationFilter::default()).await;
        assert!(matches!(read, Err(StoreError::Corrupt(_))), "{read:?}");
        assert!(read.expect_err("corrupt").is_fault(), "a fault of the server, answered 500");
    }
}

#[tokio::test]
async fn sessions_expire_when_idle_or_old_and_are_capped_per_user() {
    for f in fixtures("sessions").await {
        let s = &f.store;
        let limits = SessionLimits { idle_ms: 60_000, absolute_ms: 300_000, per_user: 3 };
        for i in 0..5 {
            s.open_session(&format!("hash-{i}"), "kejiju", "cookie", limits).await.expect("open");
            f.now.fetch_add(1, Ordering::SeqCst);
        }
        assert_eq!(s.session_count("kejiju").await.expect("count"), 3, "the oldest two ended");
        assert!(s.session("hash-0").await.expect("read").is_none());
        assert_eq!(s.session("hash-4").await.expect("read").map(|r| r.username), Some("kejiju".to_string()));
        // Used within the idle time, a session lives on, but never past its absolute end.
        for _ in 0..5 {
            f.now.fetch_add(50_000, Ordering::SeqCst);
            s.touch_session("hash-4", limits).await.expect("touch");
        }
        assert!(s.session("hash-4").await.expect("read").is_some(), "250 s after it opened");
        f.now.fetch_add(55_000, Ordering::SeqCst);
        assert!(s.touch_session("hash-4", limits).await.expect("touch").is_none(), "past its absolute end");
        assert!(s.session("hash-3").await.expect("read").is_none(), "idle too long");
        assert!(s.prune_sessions().await.expect("prune") >= 2);
        s.open_session("hash-9", "beilun", "bearer", limits).await.expect("open");
        s.close_user_sessions("beilun").await.expect("close");
        assert!(s.session("hash-9").await.expect("read").is_none());
    }
}

/// One write of the concurrent test: what it was and how it ended.
enum Outcome {
    /// The revision it made, with the value and state it recorded.
    Wrote {
        id: i64,
        revision: i64,
        value: f64,
        state: ObservationState,
    },
    Other,
}

/// Errors a writer may meet when another got there first; anything else is a failure (a 500).
fn expected_refusal(error: &StoreError) -> bool {
    matches!(
        error,
        StoreError::Conflict { .. }
            | StoreError::EntryConflict { .. }
            | StoreError::WrongState { .. }
            | StoreError::ImportConflict(_)
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixty_concurrent_writers_never_stall_fail_or_lose_a_revision() {
    use std::time::{Duration, Instant};
    for f in fixtures("concurrent").await {
        let s = f.store.clone();
        let kejiju = s.actor("kejiju").await.expect("actor");
        let reviewer = s.actor("reviewer").await.expect("actor");
        let office = s.actor("office").await.expect("actor");
        // The writers race with arbitrary values; what the data checks say of them is tested
        // apart (`validation_rules_*`).
        let off = plan361_core::validation::Check::ALL
            .into_iter()
            .filter(|c| *c != plan361_core::validation::Check::Range)
            .map(|check| plan361_core::validation::Rule {
                check,
                target: None,
                severity: plan361_core::validation::Severity::Off,
                threshold: None,
                min: None,
                max: None,
            })
            .collect();
        s.set_validation_rules(&office, &plan361_core::validation::Rules { rules: off }).await.expect("rules off");
        // Values under review, for the bulk reviewers.
        let mut queued = Vec::new();
        for m in 1..=9u8 {
            let o = s
                .save_draft(&office, &draft("1.2.1", "宁波市", &format!("2026-{m:02}"), 1.0), None)
                .await
                .expect("draft");
            queued.push(s.review(&kejiju, o.id, o.revision, &ReviewDecision::Submit).await.expect("submit").id);
        }
        let entry = enterprise("91330206MA0000077", "北仑区", vec![]);
        s.save_entry(&office, &entry, "新增", None).await.expect("entry");
        let targets = ["1.2.1", "4.2.1", "4.2.2", "1.2.2"];
        let mut tasks = Vec::new();
        for writer in 0..60usize {
            let (s, kejiju, reviewer, office, queued, entry) =
                (s.clone(), kejiju.clone(), reviewer.clone(), office.clone(), queued.clone(), entry.clone());
            tasks.push(tokio::spawn(async move {
                let mut outcomes = Vec::new();
                let mut slowest = Duration::ZERO;
                for round in 0..6usize {
                    let target = targets[(writer + round) % targets.len()];
                    let started = Instant::now();
                    let current = s
                        .observations(
                            &kejiju,
                            &ObservationFilter {
                                target: Some(target.into()),
                                period: Some(Period::month(2026, 10)),
                                ..Default::default()
                            },
                        )
                        .await
                        .expect("read")
                        .pop();
                    let result: Result<Outcome> = match writer % 6 {
                        0 | 1 => {
                            let value = (writer * 10 + round) as f64;
                            let d = draft(target, "宁波市", "2026-10", value);
                            s.save_draft(&kejiju, &d, current.as_ref().map(|o| o.revision)).await.map(|o| {
                                Outcome::Wrote { id: o.id, revision: o.revision, value: o.value, state: o.state }
                            })
                        }
                        2 => match &current {
                            Some(o) => s.review(&kejiju, o.id, o.revision, &ReviewDecision::Submit).await.map(|o| {
                                Outcome::Wrote { id: o.id, revision: o.revision, value: o.value, state: o.state }
                            }),
                            None => Ok(Outcome::Other),
                        },
                        3 => match &current {
                            Some(o) => {
                                let decision = if round % 2 == 0 {
                                    ReviewDecision::Approve
                                } else {
                                    ReviewDecision::Return { reason: "请核实".into() }
                                };
                                s.review(&reviewer, o.id, o.revision, &decision).await.map(|o| Outcome::Wrote {
                                    id: o.id,
                                    revision: o.revision,
                                    value: o.value,
                                    state: o.state,
                                })
                            }
                            None => Ok(Outcome::Other),
                        },
                        4 => {
                            // Bulk review of the queue, and list edits.
                            let mut items = Vec::new();
                            for id in queued.iter().skip(round % 3).take(3) {
                                if let Ok(o) = s.observation(&reviewer, *id).await {
                                    items.push((o.id, o.revision));
                                }
                            }
                            let bulk = s
                                .review_many(&reviewer, &items, &ReviewDecision::Approve)
                                .await
                                .map(|_| Outcome::Other);
                            let version = s
                                .entry_versioned(plan361_core::registry::ListKind::Enterprises, entry.key())
                                .await
                                .expect("entry")
                                .map(|(v, _)| v);
                            let mut changed = entry.clone();
                            if let plan361_core::registry::Entity::Enterprise(e) = &mut changed {
                                e.name = format!("宁波示例{writer}-{round}制造有限公司");
                            }
                            let saved = s.save_entry(&office, &changed, "更名", version).await.map(|_| Outcome::Other);
                            bulk.and(saved)
                        }
                        _ => {
                            let row = ImportRow {
                                revision: Some(current.as_ref().map_or(0, |o| o.revision)),
                                ..import_row(5, target, "宁波市", "2026-10", (1000 + writer * 10 + round) as f64)
                            };
                            s.import(&kejiju, "form.xlsx", "h", &[row], ObservationState::Draft, &|_| {})
                                .await
                                .map(|_| Outcome::Other)
                        }
                    };
                    slowest = slowest.max(started.elapsed());
                    match result {
                        Ok(outcome) => outcomes.push(outcome),
                        Err(e) if expected_refusal(&e) => {}
                        Err(e) => panic!("writer {writer} round {round}: {e} ({e:?})"),
                    }
                }
                (outcomes, slowest)
            }));
        }
        let mut wrote = Vec::new();
        for task in tasks {
            let (outcomes, slowest) = task.await.expect("no writer panics");
            assert!(slowest < Duration::from_secs(2), "a write took {slowest:?}");
            wrote.extend(outcomes);
        }
        // Most lose a race to another writer of the same value (a conflict, as they should).
        assert!(wrote.len() >= 20, "writers got through: {}", wrote.len());
        // Every acknowledged revision is in the history as acknowledged; histories have no gap
        // and no duplicate.
        for o in s.observations(&office, &ObservationFilter::default()).await.expect("all") {
            let history = s.revisions(&office, o.id).await.expect("history");
            let numbers: Vec<i64> = history.iter().map(|r| r.revision).collect();
            assert_eq!(numbers, (1..=o.revision).collect::<Vec<_>>(), "observation {}", o.id);
        }
        for outcome in &wrote {
            if let Outcome::Wrote { id, revision, value, state } = outcome {
                let history = s.revisions(&office, *id).await.expect("history");
                let found = history.iter().find(|r| r.revision == *revision).expect("acknowledged revision kept");
                assert_eq!((found.value, found.state), (*value, *state));
            }
        }
        assert!(s.verify_audit().await.is_ok());
    }
}

#[tokio::test]
async fn progress_covers_every_period_to_date_and_reminders_reach_the_unit() {
    for f in fixtures("progress").await {
        let s = &f.store;
        let kejiju = s.actor("kejiju").await.expect("actor");
        let office = s.actor("office").await.expect("actor");
        let reports = s.reports_to_date().await.expect("reports");
        // Every month of 2025 and 2026 to November, and the quarters and years that ended.
        let months: std::collections::BTreeSet<Period> =
            reports.iter().map(|r| r.period).filter(|p| matches!(p, Period::Month { .. })).collect();
        assert_eq!(months.first(), Some(&Period::month(2025, 1)));
        assert_eq!(months.last(), Some(&Period::month(2026, 11)));
        assert!(reports.iter().any(|r| r.period == Period::Year(2025)));
        // A year-old report nobody filed is overdue by its days; this month's is only open.
        let old = reports
            .iter()
            .find(|r| r.target_id == "1.2.1" && r.period == Period::month(2025, 1))
            .expect("1.2.1 2025-01");
        assert_eq!(old.reporting_unit, "市科技局");
        let days = Date::new(2025, 2, 10)
            .expect("a day of the calendar")
            .days_until(Date::new(2026, 11, 5).expect("a day of the calendar"));
        assert_eq!(
            old.standing,
            plan361_core::progress::Standing::Overdue { days, filed: plan361_core::progress::Filed::Nothing }
        );
        let open = reports.iter().find(|r| r.target_id == "1.2.1" && r.period == Period::month(2026, 11)).expect("now");
        assert_eq!(open.standing, plan361_core::progress::Standing::Open);

        // A reporter may not send reminders; the office reminds one unit, its users see it.
        assert!(matches!(s.remind(&kejiju, Some("市科技局")).await, Err(StoreError::Forbidden(_))));
        assert!(matches!(s.remind(&office, Some("无此单位")).await, Err(StoreError::Validation { field: "unit", .. })));
        let sent = s.remind(&office, Some("市科技局")).await.expect("remind");
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].recipients, ["kejiju"]);
        assert_eq!(sent[0].days, days.max(sent[0].days));
        assert_eq!(s.unread_notices("kejiju").await.expect("count"), 1);
        assert_eq!(s.unread_notices("shangwuju").await.expect("count"), 0);
        let notices = s.notices("kejiju", 10).await.expect("notices");
        assert_eq!(notices[0].kind, NoticeKind::Reminder);
        assert!(notices[0].message.contains("市经信局催报"), "{}", notices[0].message);
        let audit = s.audit_entries(&AuditFilter { limit: 1, ..AuditFilter::default() }).await.expect("audit");
        assert_eq!((audit[0].action.as_str(), audit[0].entity_id.as_str()), ("notice.remind", "市科技局"));
        assert_eq!(s.read_notices("kejiju", Some(notices[0].id)).await.expect("read"), 1);
        assert_eq!(s.unread_notices("kejiju").await.expect("count"), 0);

        // All units at once: every unit with overdue reports that has users.
        let all = s.remind(&office, None).await.expect("remind all");
        assert!(all.iter().any(|r| r.unit == "市商务局" && r.recipients == ["shangwuju"]));
        assert!(all.iter().any(|r| r.unit == "北仑区") || !reports.iter().any(|r| r.reporting_unit == "北仑区"));

        // Before a deadline: once per unit and deadline, however often the server asks.
        f.now.store(day(2026, 12, 8), Ordering::SeqCst);
        let first = s.remind_due_soon(3).await.expect("due soon");
        assert!(first >= 1);
        assert_eq!(s.remind_due_soon(3).await.expect("again"), 0);
        let due = s.notices("kejiju", 10).await.expect("notices");
        assert!(due.iter().any(|n| n.kind == NoticeKind::DueSoon && n.message.contains("2026-12-10")), "{due:?}");
    }
}

#[tokio::test]
async fn a_returned_value_is_a_notice_for_its_reporter() {
    for f in fixtures("returned-notice").await {
        let s = &f.store;
        let kejiju = s.actor("kejiju").await.expect("actor");
        let reviewer = s.actor("reviewer").await.expect("actor");
        let o = s.save_draft(&kejiju, &draft("1.2.1", "宁波市", "2026-10", 7.0), None).await.expect("draft");
        s.review(&kejiju, o.id, 1, &ReviewDecision::Submit).await.expect("submit");
        s.review(&reviewer, o.id, 2, &ReviewDecision::Return { reason: "口径不符".into() }).await.expect("return");
        let notices = s.notices("kejiju", 10).await.expect("notices");
        assert_eq!(notices.len(), 1);
        assert_eq!(notices[0].kind, NoticeKind::Returned);
        assert!(
            notices[0].message.contains("1.2.1") && notices[0].message.contains("口径不符"),
            "{}",
            notices[0].message
        );
        assert!(s.notify_waiting("reviewer", 3).await.expect("waiting"));
        assert!(!s.notify_waiting("reviewer", 4).await.expect("once a day"));
    }
}

#[tokio::test]
async fn the_audit_log_filters_by_who_unit_action_target_and_time_and_counts_sign_ins_apart() {
    for f in fixtures("audit-filter").await {
        let s = &f.store;
        let kejiju = s.actor("kejiju").await.expect("actor");
        let o = s.save_draft(&kejiju, &draft("1.2.1", "宁波市", "2026-10", 7.0), None).await.expect("draft");
        s.review(&kejiju, o.id, 1, &ReviewDecision::Submit).await.expect("submit");
        s.authenticate("kejiju", PASSWORD).await.expect("sign in");
        let entries = |filter: AuditFilter| async move {
            let filter = AuditFilter { limit: 1000, ..filter };
            s.audit_entries(&filter).await.expect("entries")
        };
        let by_unit =
            entries(AuditFilter { unit: Some("市科技局".into()), without_sign_ins: true, ..Default::default() }).await;
        let actions: Vec<&str> = by_unit.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["observation.submit", "observation.create"]);
        let submits = entries(AuditFilter { action: Some("observation.submit".into()), ..Default::default() }).await;
        assert_eq!(submits.len(), 1);
        let about = entries(AuditFilter { target: Some("1.2.1".into()), ..Default::default() }).await;
        assert_eq!(about.len(), 2, "both entries name 1.2.1");
        assert!(entries(AuditFilter { target: Some("1.2.2".into()), ..Default::default() }).await.is_empty());
        let later = entries(AuditFilter { from_ms: Some(day(2026, 11, 6)), ..Default::default() }).await;
        assert!(later.is_empty());
        let earlier = entries(AuditFilter { until_ms: Some(day(2026, 11, 5)), ..Default::default() }).await;
        assert!(earlier.iter().all(|e| e.action != "observation.submit"));
        let sign_ins = s.audit_sign_ins(&AuditFilter { unit: Some("市科技局".into()), ..Default::default() }).await;
        assert_eq!(sign_ins.expect("count"), 1);
    }
}

#[tokio::test]
async fn a_password_an_administrator_gave_is_changed_at_the_next_sign_in() {
    for f in fixtures("password-change").await {
        let s = &f.store;
        let admin = s.actor("admin").await.expect("admin");
        let kejiju = s.actor("kejiju").await.expect("actor");
        assert!(s.user("kejiju").await.expect("user").must_change_password, "added by an administrator");
        assert!(!s.user("admin").await.expect("user").must_change_password, "made by the system");
        s.set_password(&kejiju, "kejiju", "a new secret").await.expect("own change");
        assert!(!s.user("kejiju").await.expect("user").must_change_password);
        s.set_password(&admin, "kejiju", "temporary-1").await.expect("reset");
        assert!(s.user("kejiju").await.expect("user").must_change_password, "after a reset");
        assert!(matches!(s.set_password(&kejiju, "shangwuju", "not yours!").await, Err(StoreError::Forbidden(_))));
    }
}
