//! Warnings in the database, on both backends: a scan raises them with their owners, a second
//! scan changes nothing, the owner takes them through their life, causes that go resolve them
//! and causes that return reopen them; every step is audited.

use plan361_core::Period;
use plan361_core::calendar::Date;
use plan361_core::warnings::{Level, Rules, Source, Step, WarningState};

use crate::tests::fixtures;
use crate::{ImportRow, ObservationState, StoreError, WarningFilter};

const AT: Period = Period::Month { year: 2026, month: 10 };

fn row(n: usize, period: &str, value: f64) -> ImportRow {
    ImportRow {
        sheet: None,
        row: n,
        target: "1.2.1".into(),
        org_unit: "宁波市".into(),
        period: period.parse().expect("period"),
        value,
        comment: String::new(),
        revision: None,
    }
}

#[tokio::test]
async fn a_scan_raises_warnings_that_owners_take_through_their_life() {
    for f in fixtures("warnings").await {
        let s = &f.store;
        let admin = s.actor("admin").await.expect("admin");
        // 1.2.1 (新增优秀工业新产品 100个 by 2030) has barely moved: far behind its pace.
        let rows = [row(1, "2025-06", 1.0), row(2, "2026-09", 2.0), row(3, "2026-10", 2.0)];
        s.set_separate_duties(&admin, false).await.expect("one person may import approved values here");
        s.import(&admin, "history.csv", "h1", &rows, ObservationState::Approved, &|_| {}).await.expect("import");

        let first = s.scan_warnings(&admin, AT).await.expect("scan");
        assert!(first.raised > 1, "{first:?}");
        assert_eq!(first.open, first.raised);
        let again = s.scan_warnings(&admin, AT).await.expect("scan again");
        assert_eq!((again.raised, again.reopened, again.resolved, again.refreshed), (0, 0, 0, 0), "idempotent");

        let lead = s.current_plan().await.expect("plan").target("1.2.1").expect("1.2.1").lead.clone();
        let filter = WarningFilter { target_id: Some("1.2.1".into()), ..WarningFilter::default() };
        let found = s.warnings(&filter).await.expect("warnings");
        let miss = found.iter().find(|w| w.source == Source::ProjectedMiss).expect("a projected miss");
        assert_eq!(miss.key, "projected_miss:1.2.1:宁波市");
        assert_eq!((miss.owner_unit.as_str(), miss.period.as_str()), (lead.as_str(), "2026-10"));
        assert!(miss.reason.starts_with("宁波市·浙江省优秀工业新产品(新技术)评价为"), "{}", miss.reason);
        assert!(miss.reason.contains("2个"), "the sentence has the numbers: {}", miss.reason);
        assert_eq!(miss.state, WarningState::New);
        assert_eq!(miss.history.len(), 1);
        assert_eq!((miss.history[0].action.as_str(), miss.history[0].actor.as_str()), ("raised", "admin"));

        let late = s
            .warnings(&WarningFilter { source: Some(Source::Overdue), ..WarningFilter::default() })
            .await
            .expect("overdue");
        assert!(
            late.iter().any(|w| w.key == "overdue:市科技局:2026-09" && w.owner_unit == "市科技局"),
            "September's values were due on 10 October: {:?}",
            late.iter().map(|w| &w.key).collect::<Vec<_>>()
        );

        let beilun = s.actor("beilun").await.expect("beilun");
        let refused = s.step_warning(&beilun, miss.id, Step::Acknowledge).await;
        assert!(matches!(refused, Err(StoreError::Forbidden(_))), "another unit's warning: {refused:?}");
        let owner = s.actor(if lead == "市科技局" { "kejiju" } else { "office" }).await.expect("owner");
        let acknowledged = s.step_warning(&owner, miss.id, Step::Acknowledge).await.expect("acknowledge");
        assert_eq!(acknowledged.state, WarningState::Acknowledged);
        let twice = s.step_warning(&owner, miss.id, Step::Acknowledge).await;
        assert!(matches!(twice, Err(StoreError::Validation { field: "state", .. })), "{twice:?}");
        let due = Date::new(2026, 12, 31).expect("a day of the calendar");
        let measures = Step::Measures { measures: "组织新产品申报辅导".into(), due };
        let in_progress = s.step_warning(&owner, miss.id, measures).await.expect("measures");
        assert_eq!((in_progress.state, in_progress.measures_due), (WarningState::InProgress, Some(due)));
        let empty = s.step_warning(&owner, miss.id, Step::Resolve { note: " ".into() }).await;
        assert!(matches!(empty, Err(StoreError::Validation { field: "note", .. })), "a resolution needs a note");
        let resolved =
            s.step_warning(&owner, miss.id, Step::Resolve { note: "已列入年度计划".into() }).await.expect("resolve");
        let steps: Vec<(&str, &str)> = resolved.history.iter().map(|h| (h.action.as_str(), h.state.code())).collect();
        assert_eq!(
            steps,
            [
                ("raised", "new"),
                ("acknowledged", "acknowledged"),
                ("measures", "in_progress"),
                ("resolved", "resolved")
            ]
        );
        assert!(resolved.history[1..].iter().all(|h| h.actor == owner.username));
        let after = s.scan_warnings(&admin, AT).await.expect("scan after resolving");
        assert_eq!(after.reopened, 0, "resolved by hand while the cause stays: not reopened");

        // The office turns the overdue rule off: those warnings resolve, saying so; on again, they reopen.
        let mut rules = s.warning_rules().await.expect("rules");
        let mut overdue = rules.get(Source::Overdue);
        overdue.enabled = false;
        rules.set(overdue);
        s.set_warning_rules(&admin, &rules).await.expect("rules saved");
        let off = s.scan_warnings(&admin, AT).await.expect("scan without overdue");
        assert_eq!(off.resolved, late.len());
        let gone = s.warning(late[0].id).await.expect("warning");
        assert_eq!(gone.state, WarningState::Resolved);
        let last = gone.history.last().expect("a step");
        assert_eq!(last.action, "auto_resolved");
        assert!(last.note.contains("原因已消除,自动解除"), "{}", last.note);
        overdue.enabled = true;
        overdue.level = Level::Red;
        rules.set(overdue);
        s.set_warning_rules(&admin, &rules).await.expect("rules saved");
        let on = s.scan_warnings(&admin, AT).await.expect("scan with overdue");
        assert_eq!(on.reopened, late.len());
        let back = s.warning(late[0].id).await.expect("warning");
        assert_eq!((back.state, back.level), (WarningState::New, Level::Red));
        assert_eq!(back.history.last().map(|h| h.action.as_str()), Some("reopened"));

        let mut bad = Rules::default();
        bad.rules.retain(|r| r.source != Source::Stale);
        bad.rules.push(bad.rules[0]);
        assert!(matches!(s.set_warning_rules(&admin, &bad).await, Err(StoreError::Validation { field: "rules", .. })));
        let leader = s.actor("leader").await.expect("viewer");
        assert!(matches!(s.scan_warnings(&leader, AT).await, Err(StoreError::Forbidden(_))));
        assert!(matches!(
            s.scan_warnings(&admin, Period::Year(2026)).await,
            Err(StoreError::Validation { field: "at", .. })
        ));

        let counts = s.open_warnings_by_owner().await.expect("counts");
        let open = WarningFilter { owner_unit: Some("市商务局".into()), open: true, ..WarningFilter::default() };
        assert_eq!(counts.get("市商务局").copied(), Some(s.warnings(&open).await.expect("open").len()));
        s.verify_audit().await.expect("the chain holds");
        let audited = s
            .audit_entries(&crate::AuditFilter { entity: Some("warning".into()), limit: 1000, ..Default::default() })
            .await
            .expect("audit");
        let steps_recorded: usize =
            s.warnings(&WarningFilter::default()).await.expect("all").iter().map(|w| w.history.len()).sum();
        assert_eq!(audited.len(), steps_recorded, "every step is audited");
    }
}
