//! Notices (通知) for people in the application: the plan office's reminders (催报) to units with
//! overdue reports, reminders before a deadline, a returned value for its reporter, values
//! waiting for a reviewer. A notice to a unit is one row per user of the unit, read by each.

use std::collections::BTreeMap;

use plan361_core::access::{Action, Actor};
use plan361_core::calendar::Date;
use plan361_core::progress::Standing;
use serde::Serialize;
use sqlx::Row;

use crate::audit::{NewAuditEntry, append};
use crate::progress::Report;
use crate::{Result, Store, StoreError, WriteTx};

/// What a notice is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// 催报: the plan office reminds a unit of overdue reports.
    Reminder,
    /// A deadline is coming and reports are not in.
    DueSoon,
    /// A value the recipient submitted was returned.
    Returned,
    /// Values wait for the recipient's review.
    Waiting,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 4] =
        [NoticeKind::Reminder, NoticeKind::DueSoon, NoticeKind::Returned, NoticeKind::Waiting];

    pub fn code(self) -> &'static str {
        match self {
            NoticeKind::Reminder => "reminder",
            NoticeKind::DueSoon => "due_soon",
            NoticeKind::Returned => "returned",
            NoticeKind::Waiting => "waiting",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            NoticeKind::Reminder => "催报",
            NoticeKind::DueSoon => "截止提醒",
            NoticeKind::Returned => "数据退回",
            NoticeKind::Waiting => "待审核",
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Notice {
    pub id: i64,
    pub kind: NoticeKind,
    pub message: String,
    /// The page to act on it.
    pub href: String,
    /// Who sent it (`system` for the server itself).
    pub sender: String,
    pub created_at_ms: i64,
    pub read: bool,
}

/// A reminder sent to one unit.
#[derive(Clone, Debug, Serialize)]
pub struct Reminder {
    pub unit: String,
    /// Its overdue reports.
    pub reports: usize,
    /// The longest a report is overdue, in days.
    pub days: i64,
    /// The users who got the notice.
    pub recipients: Vec<String>,
}

/// One notice before it is sent.
pub(crate) struct Outgoing<'a> {
    pub kind: NoticeKind,
    pub message: &'a str,
    pub href: &'a str,
    pub sender: &'a str,
    /// Sends it only once per recipient.
    pub dedupe: Option<&'a str>,
}

/// Sends `notice` to `username` inside the caller's transaction; false when a notice with the
/// same `dedupe` already went to them.
pub(crate) async fn send(tx: &mut WriteTx, now: i64, username: &str, notice: &Outgoing<'_>) -> Result<bool> {
    let inserted = sqlx::query(
        "INSERT INTO notices (username, kind, message, href, sender, dedupe, created_at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (username, dedupe) DO NOTHING",
    )
    .bind(username)
    .bind(notice.kind.code())
    .bind(notice.message)
    .bind(notice.href)
    .bind(notice.sender)
    .bind(notice.dedupe)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(inserted.rows_affected() == 1)
}

/// The enabled users of `unit`.
async fn users_of(tx: &mut WriteTx, unit: &str) -> Result<Vec<String>> {
    let names = sqlx::query_scalar("SELECT username FROM users WHERE org_unit = $1 AND disabled = 0 ORDER BY username")
        .bind(unit)
        .fetch_all(&mut **tx)
        .await?;
    Ok(names)
}

/// Reports by reporting unit, in the units' order.
fn by_unit<'a>(reports: impl Iterator<Item = &'a Report>) -> BTreeMap<&'a str, Vec<&'a Report>> {
    let mut units: BTreeMap<&str, Vec<&Report>> = BTreeMap::new();
    for report in reports {
        units.entry(report.reporting_unit.as_str()).or_default().push(report);
    }
    units
}

/// The first few reports of a list, as a notice names them: "6.1.2(2025年)、1.2.1(2026-10)".
fn named(reports: &[&Report]) -> String {
    const SHOWN: usize = 3;
    let mut names: Vec<String> = reports.iter().take(SHOWN).map(|r| format!("{}({})", r.target_id, r.period)).collect();
    if reports.len() > SHOWN {
        names.push("等".to_string());
    }
    names.join("、")
}

fn overdue_days(report: &Report) -> Option<i64> {
    match report.standing {
        Standing::Overdue { days, .. } => Some(days),
        _ => None,
    }
}

impl Store {
    /// 催报: reminds `unit` (or, without one, every unit) of its overdue reports: a notice to each
    /// of its users and an audit entry per unit. A unit without overdue reports is refused when
    /// named, skipped otherwise.
    pub async fn remind(&self, actor: &Actor, unit: Option<&str>) -> Result<Vec<Reminder>> {
        let reports = self.reports_to_date().await?;
        let overdue =
            reports.iter().filter(|r| overdue_days(r).is_some() && unit.is_none_or(|u| r.reporting_unit == u));
        let mut units = by_unit(overdue);
        for list in units.values_mut() {
            list.sort_by_key(|r| std::cmp::Reverse(overdue_days(r)));
        }
        if let Some(unit) = unit
            && units.is_empty()
        {
            return Err(StoreError::invalid("unit", format!("{unit} 没有逾期未报的数据 {unit} has nothing overdue")));
        }
        let now = self.now();
        let mut tx = self.begin_write().await?;
        self.require_on(&mut tx, actor, Action::Remind).await?;
        let sender_unit = actor.org_unit.clone();
        let mut sent = Vec::new();
        for (unit, list) in units {
            let days = list.iter().filter_map(|r| overdue_days(r)).max().unwrap_or(0);
            let message = format!(
                "{sender_unit}催报:你单位有 {} 项数据逾期未报,最长逾期 {days} 天:{}。请尽快填报。",
                list.len(),
                named(&list)
            );
            let notice = Outgoing {
                kind: NoticeKind::Reminder,
                message: &message,
                href: "/tasks",
                sender: &actor.username,
                dedupe: None,
            };
            let recipients = users_of(&mut tx, unit).await?;
            for username in &recipients {
                send(&mut tx, now, username, &notice).await?;
            }
            let after = serde_json::json!({
                "reports": list.len(),
                "days": days,
                "recipients": recipients,
                "message": message,
            });
            append(
                &mut tx,
                now,
                NewAuditEntry {
                    actor: &actor.username,
                    action: "notice.remind",
                    entity: "org_unit",
                    entity_id: unit,
                    before: "",
                    after: &after.to_string(),
                },
            )
            .await?;
            sent.push(Reminder { unit: unit.to_string(), reports: list.len(), days, recipients });
        }
        tx.commit().await?;
        Ok(sent)
    }

    /// Reminds every unit whose reports fall due within `days_before` days and are not in yet,
    /// once per unit, period and user; returns the notices sent. The server calls it as the
    /// system.
    pub async fn remind_due_soon(&self, days_before: i64) -> Result<usize> {
        let today = Date::in_china(self.now());
        let reports = self.reports_to_date().await?;
        let coming = reports.iter().filter(|r| {
            matches!(r.standing, Standing::Open | Standing::Draft | Standing::Returned)
                && (0..=days_before).contains(&today.days_until(r.due))
        });
        let units = by_unit(coming);
        if units.is_empty() {
            return Ok(0);
        }
        let now = self.now();
        let mut tx = self.begin_write().await?;
        let mut count = 0;
        for (unit, list) in units {
            let due = list.iter().map(|r| r.due).min().unwrap_or(today);
            let message = format!("你单位有 {} 项数据将于 {due} 截止报送,尚未报送:{}。", list.len(), named(&list));
            let dedupe = format!("due:{due}:{unit}");
            let notice = Outgoing {
                kind: NoticeKind::DueSoon,
                message: &message,
                href: "/tasks",
                sender: "system",
                dedupe: Some(&dedupe),
            };
            let mut recipients = Vec::new();
            for username in users_of(&mut tx, unit).await? {
                if send(&mut tx, now, &username, &notice).await? {
                    recipients.push(username);
                }
            }
            if recipients.is_empty() {
                continue;
            }
            count += recipients.len();
            let after = serde_json::json!({"reports": list.len(), "due": due.to_string(), "recipients": recipients});
            append(
                &mut tx,
                now,
                NewAuditEntry {
                    actor: "system",
                    action: "notice.due_soon",
                    entity: "org_unit",
                    entity_id: unit,
                    before: "",
                    after: &after.to_string(),
                },
            )
            .await?;
        }
        tx.commit().await?;
        Ok(count)
    }

    /// Tells `username` that `count` values wait for their review, once a day.
    pub async fn notify_waiting(&self, username: &str, count: usize) -> Result<bool> {
        let today = Date::in_china(self.now());
        let message = format!("有 {count} 项数据等待你审核。");
        let dedupe = format!("waiting:{today}");
        let notice = Outgoing {
            kind: NoticeKind::Waiting,
            message: &message,
            href: "/review",
            sender: "system",
            dedupe: Some(&dedupe),
        };
        let mut tx = self.begin_write().await?;
        let sent = send(&mut tx, self.now(), username, &notice).await?;
        tx.commit().await?;
        Ok(sent)
    }

    /// The newest notices of `username`, unread first.
    pub async fn notices(&self, username: &str, limit: i64) -> Result<Vec<Notice>> {
        let rows = sqlx::query(
            "SELECT id, kind, message, href, sender, created_at_ms, read_at_ms FROM notices WHERE username = $1 \
             ORDER BY CASE WHEN read_at_ms IS NULL THEN 0 ELSE 1 END, id DESC LIMIT $2",
        )
        .bind(username)
        .bind(limit.clamp(1, 1000))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let kind: String = row.try_get("kind")?;
                Ok(Notice {
                    id: row.try_get("id")?,
                    kind: NoticeKind::ALL
                        .into_iter()
                        .find(|k| k.code() == kind)
                        .ok_or_else(|| StoreError::corrupt(format!("notice kind {kind}")))?,
                    message: row.try_get("message")?,
                    href: row.try_get("href")?,
                    sender: row.try_get("sender")?,
                    created_at_ms: row.try_get("created_at_ms")?,
                    read: row.try_get::<Option<i64>, _>("read_at_ms")?.is_some(),
                })
            })
            .collect()
    }

    /// How many notices `username` has not read (the header's badge).
    pub async fn unread_notices(&self, username: &str) -> Result<i64> {
        let count = sqlx::query_scalar("SELECT COUNT(*) FROM notices WHERE username = $1 AND read_at_ms IS NULL")
            .bind(username)
            .fetch_one(&self.pool)
            .await?;
        Ok(count)
    }

    /// Marks one notice of `username` (or all of them) read; returns how many changed.
    pub async fn read_notices(&self, username: &str, id: Option<i64>) -> Result<u64> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE notices SET read_at_ms = $1 WHERE username = $2 AND read_at_ms IS NULL AND ($3 = 0 OR id = $3)",
        )
        .bind(self.now())
        .bind(username)
        .bind(id.unwrap_or(0))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(done.rows_affected())
    }
}
