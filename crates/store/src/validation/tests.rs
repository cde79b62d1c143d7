//! The data checks at every write and over stored data, on both backends.

use plan361_core::plan::{Goal, Milestone};
use plan361_core::validation::{Check, Rule, Rules, Severity};

use crate::tests::fixtures;
use crate::{ChangeKind, Draft, ImportRow, ObservationState, ReviewDecision, StoreError};

fn entry(target: &str, org_unit: &str, period: &str, value: f64, comment: &str) -> Draft {
    Draft {
        target: target.into(),
        org_unit: org_unit.into(),
        period: Some(period.parse().expect("period")),
        value,
        comment: comment.into(),
        ..Draft::default()
    }
}

fn row(line: usize, target: &str, org_unit: &str, period: &str, value: f64, comment: &str) -> ImportRow {
    ImportRow {
        sheet: None,
        row: line,
        target: target.into(),
        org_unit: org_unit.into(),
        period: period.parse().expect("period"),
        value,
        comment: comment.into(),
        revision: None,
    }
}

#[tokio::test]
async fn validation_rules_refuse_errors_and_flag_explained_warnings_at_every_write() {
    for f in fixtures("validation").await {
        let s = &f.store;
        let office = s.actor("office").await.expect("actor");
        let beilun = s.actor("beilun").await.expect("actor");
        // A 1–N月 value falling within the year is refused, naming both values.
        s.save_draft(&office, &entry("6.1.2", "宁波市", "2026-09", 15.0, ""), None).await.expect("September");
        match s.save_draft(&office, &entry("6.1.2", "宁波市", "2026-10", 10.0, "更正"), None).await {
            Err(StoreError::Validation { field: "value", reason }) => {
                assert!(reason.contains("累计") && reason.contains("15") && reason.contains("10"), "{reason}")
            }
            other => panic!("a falling 1–N月 value: {other:?}"),
        }
        let goal = Goal::Path(vec![Milestone { year: 2030, value: 400.0 }]);
        s.set_decomposition(&office, "2.3.2", "北仑区", &goal).await.expect("decompose");
        // A district's jump needs a 情况说明, and is then flagged with the rule's words.
        s.save_draft(&office, &entry("2.3.2", "北仑区", "2026-09", 102.9, ""), None).await.expect("September");
        match s.save_draft(&beilun, &entry("2.3.2", "北仑区", "2026-10", 268.0, " "), None).await {
            Err(StoreError::Validation { field: "comment", reason }) => {
                assert!(reason.contains("情况说明"), "{reason}")
            }
            other => panic!("a jump without explanation: {other:?}"),
        }
        let saved = s
            .save_draft(&beilun, &entry("2.3.2", "北仑区", "2026-10", 268.0, "新增工业上楼项目2个"), None)
            .await
            .expect("explained");
        let flags = s.flags(&[saved.id]).await.expect("flags");
        let flags = flags.get(&saved.id).expect("flagged");
        assert_eq!(flags.len(), 1);
        assert_eq!(flags[0].check, Check::PeriodJump);
        assert!(flags[0].message.contains("102.9") && flags[0].message.contains("268"), "{}", flags[0].message);
        let flagged = s.flagged_values("2026-10".parse().expect("month")).await.expect("flagged values");
        assert_eq!(flagged.len(), 1);
        assert_eq!(flagged[0].comment, "新增工业上楼项目2个");
        let findings = s.warning_findings("2026-10".parse().expect("month")).await.expect("scan");
        let warned = findings.iter().find(|f| f.key == "flagged_value:2.3.2:北仑区:2026-10").expect("a warning");
        assert_eq!(warned.owner_unit, "北仑区");
        // Entering a plausible value again clears the flag.
        let calm = s
            .save_draft(&beilun, &entry("2.3.2", "北仑区", "2026-10", 106.0, ""), Some(saved.revision))
            .await
            .expect("plausible");
        assert!(s.flags(&[calm.id]).await.expect("flags").is_empty());
        // An upload runs the same rules: a share of 1234% is refused by row and column.
        let share = [row(7, "7.1.1", "宁波市", "2025", 1234.0, "")];
        match s.import(&office, "f.csv", "h", &share, ObservationState::Draft, &|_| {}).await {
            Err(StoreError::Rejected(problems)) => {
                assert_eq!((problems[0].row, problems[0].column.as_deref()), (7, Some("value")));
                assert!(problems[0].reason.contains("0—100"), "{}", problems[0].reason);
            }
            other => panic!("a share above 100: {other:?}"),
        }
        // An explained jump in a file is flagged like one typed in.
        let jump = [row(2, "2.3.2", "北仑区", "2026-10", 268.0, "")];
        let refused = s.import(&beilun, "f.csv", "h", &jump, ObservationState::Draft, &|_| {}).await;
        assert!(
            matches!(refused, Err(StoreError::Rejected(ref p)) if p[0].column.as_deref() == Some("comment")),
            "{refused:?}"
        );
        let explained = [ImportRow {
            revision: Some(calm.revision),
            ..row(2, "2.3.2", "北仑区", "2026-10", 268.0, "项目集中竣工")
        }];
        s.import(&beilun, "f.csv", "h", &explained, ObservationState::Draft, &|_| {}).await.expect("explained import");
        assert_eq!(s.flags(&[calm.id]).await.expect("flags").get(&calm.id).map(Vec::len), Some(1));
    }
}

#[tokio::test]
async fn the_office_sets_the_rules_and_check_data_finds_stored_values_they_catch() {
    for f in fixtures("validation-rules").await {
        let s = &f.store;
        let office = s.actor("office").await.expect("actor");
        let beilun = s.actor("beilun").await.expect("actor");
        s.save_draft(&office, &entry("2.3.2", "北仑区", "2026-09", 150.0, ""), None).await.expect("value");
        assert!(s.check_data(&office).await.expect("check").is_empty(), "nothing wrong yet");
        let range = Rule {
            check: Check::Range,
            target: Some("2.3.2".into()),
            severity: Severity::Error,
            threshold: None,
            min: Some(0.0),
            max: Some(120.0),
        };
        let rules = Rules { rules: vec![range] };
        assert!(matches!(s.set_validation_rules(&beilun, &rules).await, Err(StoreError::Forbidden(_))));
        let bad = Rules { rules: vec![Rule { target: Some("9.9.9".into()), ..rules.rules[0].clone() }] };
        assert!(matches!(
            s.set_validation_rules(&office, &bad).await,
            Err(StoreError::Validation { field: "rules", .. })
        ));
        s.set_validation_rules(&office, &rules).await.expect("rules");
        assert_eq!(s.validation_rules().await.expect("read back"), rules);
        let found = s.check_data(&office).await.expect("check");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            (found[0].target_id.as_str(), found[0].check, found[0].severity),
            ("2.3.2", Check::Range, Severity::Error)
        );
        let audited = s.audit_entries(&crate::AuditFilter::default()).await.expect("audit");
        assert!(audited.iter().any(|e| e.action == "validation_rules.set" && e.after.contains("max = 120")));
    }
}

#[tokio::test]
async fn an_upload_preview_writes_nothing_and_shows_new_changed_unchanged_and_conflicts() {
    for f in fixtures("preview").await {
        let s = &f.store;
        let kejiju = s.actor("kejiju").await.expect("actor");
        let reviewer = s.actor("reviewer").await.expect("actor");
        let approved =
            s.save_draft(&kejiju, &entry("1.2.1", "宁波市", "2026-10", 38.0, ""), None).await.expect("draft");
        let approved =
            s.review(&kejiju, approved.id, approved.revision, &ReviewDecision::Submit).await.expect("submit");
        let approved =
            s.review(&reviewer, approved.id, approved.revision, &ReviewDecision::Approve).await.expect("approve");
        let draft = s.save_draft(&kejiju, &entry("4.2.1", "宁波市", "2026-10", 9.0, ""), None).await.expect("draft");
        let rows = [
            ImportRow { revision: Some(approved.revision), ..row(2, "1.2.1", "宁波市", "2026-10", 40.0, "") },
            ImportRow { revision: Some(draft.revision), ..row(3, "4.2.1", "宁波市", "2026-10", 9.0, "") },
            row(4, "4.2.2", "宁波市", "2026-10", 12.0, ""),
        ];
        let before = s.revisions(&kejiju, approved.id).await.expect("revisions").len();
        let preview = s.preview_import(&kejiju, &rows, ObservationState::Draft).await.expect("preview");
        let kinds: Vec<ChangeKind> = preview.iter().map(|p| p.change).collect();
        assert_eq!(kinds, vec![ChangeKind::Conflict, ChangeKind::Unchanged, ChangeKind::New]);
        assert!(preview[0].reason.contains("审核") && preview[0].current_value == Some(38.0), "{:?}", preview[0]);
        assert_eq!(
            s.revisions(&kejiju, approved.id).await.expect("revisions").len(),
            before,
            "a preview writes nothing"
        );
        assert!(
            s.observations(&kejiju, &crate::ObservationFilter { target: Some("4.2.2".into()), ..Default::default() })
                .await
                .expect("read")
                .is_empty()
        );
        // Confirming the same rows writes nothing either: the conflict is shown, all or none.
        assert!(matches!(
            s.import(&kejiju, "f.xlsx", "h", &rows, ObservationState::Draft, &|_| {}).await,
            Err(StoreError::ImportConflict(_))
        ));
        let value = s.observation(&kejiju, approved.id).await.expect("approved");
        assert_eq!((value.state, value.value), (ObservationState::Approved, 38.0));
        let ok = s.import(&kejiju, "f.xlsx", "h", &rows[1..], ObservationState::Draft, &|_| {}).await.expect("import");
        assert_eq!((ok.created, ok.unchanged), (1, 1));
    }
}
