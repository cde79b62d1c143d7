//! Commands that work on the database: init, users, plan versions, decomposed goals, reporting
//! windows, overdue reports, the audit log, backup and restore.

use plan361_core::i18n::Labelled;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use plan361_core::Period;
use plan361_core::access::{Actor, Role};
use plan361_core::i18n;
use plan361_core::plan::{Goal, Milestone};
use plan361_store::{AuditFilter, NewUser, Store, StoreError, Windows};

use super::table::{Align, Table, colour_stdout};

/// Where the database is and who acts: every database command takes these.
#[derive(Args, Clone)]
pub struct DbArgs {
    /// The database: a SQLite file (created if missing) or a postgres:// URL.
    #[arg(long, global = true, env = "PLAN361_DB", default_value = "plan361.db", value_name = "FILE|URL")]
    pub db: String,
    /// The user the audit log records for writes.
    #[arg(long = "as", global = true, default_value = "admin", value_name = "USER")]
    pub user: String,
}

impl DbArgs {
    /// The acting user (`--as`), for commands that write.
    pub async fn actor(&self, store: &Store) -> anyhow::Result<Actor> {
        store.actor(&self.user).await.with_context(|| format!("--as {}", self.user))
    }
}

/// How many threads the async runtime runs on.
#[derive(Clone, Copy)]
pub enum Threads {
    /// This one: commands run one step after another.
    One,
    /// A worker per core: the server answers pages and API requests in parallel.
    PerCore,
}

/// The async runtime every command runs on.
pub fn runtime(threads: Threads) -> anyhow::Result<tokio::runtime::Runtime> {
    let mut builder = match threads {
        Threads::One => tokio::runtime::Builder::new_current_thread(),
        Threads::PerCore => tokio::runtime::Builder::new_multi_thread(),
    };
    builder.enable_all().build().context("cannot start the runtime")
}

/// Runs a command body on the database, then closes it cleanly (which folds SQLite's
/// write-ahead log back into the database file).
pub fn with_store<T, F, Fut>(db: &DbArgs, body: F) -> anyhow::Result<T>
where
    F: FnOnce(Store) -> Fut,
    Fut: Future<Output = anyhow::Result<T>>,
{
    runtime(Threads::One)?.block_on(async {
        let store = Store::open(&db.db).await?;
        let result = body(store.clone()).await;
        store.close().await;
        result
    })
}

pub async fn init(
    store: Store,
    db: &DbArgs,
    plan: Option<&Path>,
    admin_password: Option<String>,
) -> anyhow::Result<ExitCode> {
    let (plan_name, plan_text) = super::read_plan_text(plan)?;
    let generated = admin_password.is_none();
    let password = match admin_password {
        Some(password) => password,
        None => plan361_store::generate_password()?,
    };
    store.initialize(&plan_name, &plan_text, &super::load_org_units()?, &password).await?;
    let plan = store.current_plan().await?;
    println!("已创建数据库 {}:{} · {} 个目标", db.db, plan.meta.title, plan.targets.len());
    if generated {
        println!("管理员 admin 的初始密码(只显示这一次)admin password (shown once): {password}");
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Subcommand)]
pub enum UserCommand {
    /// Add a user with one org unit and one role.
    Add {
        username: String,
        /// The user's org unit, e.g. 市科技局 or 北仑区.
        #[arg(long)]
        org_unit: String,
        /// admin, plan_office, reporter, reviewer or viewer.
        #[arg(long)]
        role: Role,
        /// Display name (default: the user name).
        #[arg(long)]
        name: Option<String>,
        /// Password (default: generated and printed once).
        #[arg(long)]
        password: Option<String>,
    },
    /// List users.
    List,
    /// Set a user's password.
    Passwd {
        username: String,
        /// The new password (default: generated and printed once).
        #[arg(long)]
        password: Option<String>,
    },
    /// Disable a user: no more logins.
    Disable { username: String },
    /// Enable a disabled user.
    Enable { username: String },
}

fn password_or_generated(password: Option<String>) -> anyhow::Result<(String, bool)> {
    match password {
        Some(p) => Ok((p, false)),
        None => Ok((plan361_store::generate_password()?, true)),
    }
}

pub async fn user(store: Store, db: &DbArgs, command: UserCommand) -> anyhow::Result<ExitCode> {
    let actor = db.actor(&store).await?;
    match command {
        UserCommand::Add { username, org_unit, role, name, password } => {
            let (password, generated) = password_or_generated(password)?;
            let display_name = name.unwrap_or_else(|| username.clone());
            let new = NewUser {
                username: &username,
                display_name: &display_name,
                password: &password,
                org_unit: &org_unit,
                role,
            };
            store.add_user(&actor, new).await?;
            println!("已添加用户 {username}({org_unit},{})", role.label_zh());
            if generated {
                println!("初始密码(只显示这一次)password (shown once): {password}");
            }
        }
        UserCommand::List => {
            let mut table = Table::new(&[
                ("用户", Align::Left),
                ("姓名", Align::Left),
                ("单位", Align::Left),
                ("角色", Align::Left),
                ("状态", Align::Left),
            ]);
            for u in store.users().await? {
                let state = if u.disabled { "已停用" } else { "正常" };
                table.row(vec![
                    (u.username, None),
                    (u.display_name, None),
                    (u.org_unit, None),
                    (u.role.label_zh().into(), None),
                    (state.into(), None),
                ]);
            }
            table.print(&mut std::io::stdout().lock(), colour_stdout())?;
        }
        UserCommand::Passwd { username, password } => {
            let (password, generated) = password_or_generated(password)?;
            store.set_password(&actor, &username, &password).await?;
            println!("已修改 {username} 的密码");
            if generated {
                println!("新密码(只显示这一次)password (shown once): {password}");
            }
        }
        UserCommand::Disable { username } => {
            store.set_disabled(&actor, &username, true).await?;
            println!("已停用 {username}");
        }
        UserCommand::Enable { username } => {
            store.set_disabled(&actor, &username, false).await?;
            println!("已启用 {username}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `plan load`: records a changed plan file as a new version.
pub async fn load_plan(
    store: Store,
    db: &DbArgs,
    file: &Path,
    effective: Option<Period>,
    reason: &str,
) -> anyhow::Result<ExitCode> {
    let actor = db.actor(&store).await?;
    let (name, text) = super::read_plan_text(Some(file))?;
    let loaded = store.load_plan(&actor, &name, &text, effective, reason).await?;
    if loaded.unchanged {
        println!("{name} 与现行版本 {} 相同,未作改动 (unchanged)", loaded.version);
        return Ok(ExitCode::SUCCESS);
    }
    println!("已记录计划版本 {}({} 处变动)", loaded.version, loaded.changes.len());
    for change in &loaded.changes {
        println!("  {}", serde_json::to_string(change)?);
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn plan_versions(store: Store) -> anyhow::Result<ExitCode> {
    let mut table = Table::new(&[
        ("版本", Align::Right),
        ("生效期", Align::Left),
        ("变动", Align::Right),
        ("原因", Align::Left),
        ("操作人", Align::Left),
    ]);
    for v in store.plan_versions().await? {
        table.row(vec![
            (v.version.to_string(), None),
            (v.effective_from.to_string(), None),
            (v.changes.len().to_string(), None),
            (v.reason, None),
            (v.loaded_by, None),
        ]);
    }
    table.print(&mut std::io::stdout().lock(), colour_stdout())?;
    Ok(ExitCode::SUCCESS)
}

/// Parses "2027=12,2030=20" (a path) or "annual=5" (each year) into a goal.
pub fn parse_goal(text: &str) -> Result<Goal, String> {
    let pairs: Vec<(&str, &str)> = text.split(',').map(|p| p.split_once('=').unwrap_or((p, ""))).collect();
    let number = |v: &str| v.trim().parse::<f64>().ok().filter(|n| n.is_finite());
    if let [(key, value)] = pairs.as_slice()
        && key.trim() == "annual"
    {
        let value = number(value).ok_or_else(|| format!("\"{value}\" is not a number"))?;
        return Ok(Goal::EveryYear { value, until: None });
    }
    let mut path = Vec::new();
    for (year, value) in pairs {
        let year =
            year.trim().parse::<i32>().map_err(|_| format!("\"{year}\" is not a year (expected YEAR=VALUE,…)"))?;
        let value = number(value).ok_or_else(|| format!("\"{value}\" is not a number"))?;
        path.push(Milestone { year, value });
    }
    path.sort_by_key(|m| m.year);
    Ok(Goal::Path(path))
}

pub async fn decompose(store: Store, db: &DbArgs, target: &str, unit: &str, goal: &Goal) -> anyhow::Result<ExitCode> {
    let actor = db.actor(&store).await?;
    store.set_decomposition(&actor, target, unit, goal).await?;
    println!("已将目标 {target} 分解到 {unit}");
    let plan = store.current_plan().await?;
    let decompositions = store.decompositions().await?;
    let org_units = store.org_units().await?;
    for gap in plan361_core::eval::decomposition_gaps(&plan, &org_units, &decompositions) {
        println!(
            "注意:目标 {} {} 年,已分解到 {} 个区县(市)合计 {},与全市目标 {} 不一致",
            gap.target_id,
            gap.year,
            gap.districts,
            i18n::number(gap.districts_total, &gap.unit),
            i18n::number(gap.city, &gap.unit)
        );
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Subcommand)]
pub enum WindowsCommand {
    /// Show when values are due and when periods lock.
    Show,
    /// Set the window of one kind of period.
    Set {
        /// month, quarter or year.
        kind: String,
        /// Day of the month values are due.
        #[arg(long)]
        due: u8,
        /// Day of the month after which the period locks for reporters.
        #[arg(long)]
        lock: u8,
        /// Months after the period's end the due and lock days fall in.
        #[arg(long, default_value_t = 1)]
        months_after: u8,
    },
}

pub async fn windows(store: Store, db: &DbArgs, command: WindowsCommand) -> anyhow::Result<ExitCode> {
    let actor = db.actor(&store).await?;
    let mut windows = store.windows().await?;
    if let WindowsCommand::Set { kind, due, lock, months_after } = command {
        let window = plan361_store::Window { months_after, due_day: due, lock_day: lock };
        match kind.as_str() {
            "month" => windows.month = window,
            "quarter" => windows.quarter = window,
            "year" => windows.year = window,
            other => bail!("unknown period kind \"{other}\" (month, quarter or year)"),
        }
        store.set_windows(&actor, windows).await?;
    }
    print_windows(&windows);
    Ok(ExitCode::SUCCESS)
}

fn print_windows(windows: &Windows) {
    for (label, w) in [("月度", windows.month), ("季度", windows.quarter), ("年度", windows.year)] {
        println!("{label}数据:期末后第 {} 个月 {} 日前报送,{} 日后锁定", w.months_after, w.due_day, w.lock_day);
    }
}

pub async fn overdue(store: Store, period: Option<Period>, json: bool) -> anyhow::Result<ExitCode> {
    let period = match period {
        Some(p) => p,
        None => plan361_core::calendar::Date::in_china(store.now()).month_period().previous_month(),
    };
    let report = store.overdue(period).await?;
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "{} 报送情况(截止 {}):已到期应报 {} 项,按时 {} 项,逾期报送 {} 项,未报 {} 项,填报及时率 {}",
        i18n::period_label(period, i18n::Lang::Zh),
        report.due,
        report.tally.due,
        report.tally.on_time,
        report.tally.late,
        report.tally.missing(),
        report.timeliness.map_or_else(|| "—".into(), i18n::percent)
    )?;
    let mut table = Table::new(&[
        ("责任单位", Align::Left),
        ("编号", Align::Left),
        ("指标", Align::Left),
        ("地区", Align::Left),
        ("状态", Align::Left),
        ("逾期天数", Align::Right),
    ]);
    for o in &report.outstanding {
        let state = match o.state.as_str() {
            "missing" => "未报",
            "draft" => "草稿未提交",
            "returned" => "退回未重报",
            other => other,
        };
        table.row(vec![
            (o.reporting_unit.clone(), None),
            (o.target_id.clone(), None),
            (o.indicator.clone(), None),
            (o.org_unit.clone(), None),
            (state.to_string(), None),
            (o.days_overdue.to_string(), None),
        ]);
    }
    table.print(&mut out, colour_stdout())?;
    Ok(ExitCode::SUCCESS)
}

pub async fn remind(store: Store, db: &DbArgs, unit: Option<String>) -> anyhow::Result<ExitCode> {
    let actor = db.actor(&store).await?;
    let sent = store.remind(&actor, unit.as_deref()).await?;
    if sent.is_empty() {
        println!("没有逾期未报的单位 no unit has overdue reports");
    }
    for r in &sent {
        println!(
            "{}:逾期 {} 项,最长 {} 天,已通知 {} 人 {}",
            r.unit,
            r.reports,
            r.days,
            r.recipients.len(),
            r.recipients.join(" ")
        );
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Recompute the hash chain; exits non-zero naming the first entry that does not match.
    Verify,
    /// The newest entries.
    Log {
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
}

pub async fn audit(store: Store, command: AuditCommand) -> anyhow::Result<ExitCode> {
    match command {
        AuditCommand::Verify => match store.verify_audit().await {
            Ok(count) => {
                println!("审计日志完整 audit chain intact: {count} entries");
                Ok(ExitCode::SUCCESS)
            }
            Err(StoreError::AuditBroken(b)) => {
                eprintln!("审计日志在第 {} 条被改动 audit chain broken at entry {}: {}", b.id, b.id, b.reason);
                Ok(ExitCode::FAILURE)
            }
            Err(e) => Err(e.into()),
        },
        AuditCommand::Log { limit } => {
            let entries = store.audit_entries(&AuditFilter { limit, ..AuditFilter::default() }).await?;
            for e in entries {
                let at = plan361_core::calendar::Date::in_china(e.at_ms);
                println!("{:>6} {at} {:<10} {:<20} {}#{} {}", e.id, e.actor, e.action, e.entity, e.entity_id, e.after);
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

pub async fn backup(store: Store, file: &Path) -> anyhow::Result<ExitCode> {
    store.backup(file).await?;
    println!("已备份到 {}", file.display());
    Ok(ExitCode::SUCCESS)
}

/// Restores without opening the database first: it is about to be replaced.
pub fn restore(db: &DbArgs, file: &Path) -> anyhow::Result<ExitCode> {
    if db.db.starts_with("postgres") {
        bail!("restore works on SQLite files; restore PostgreSQL with pg_restore");
    }
    runtime(Threads::One)?.block_on(plan361_store::restore(file, Path::new(&db.db)))?;
    println!("已从 {} 恢复 {}", file.display(), db.db);
    Ok(ExitCode::SUCCESS)
}
