//! `plan361 demo`: a database with the real plan and SYNTHETIC reported values, the demo
//! users, and the web application on it.
//!
//! The values come from a seeded generator (the same database every run of a month): each
//! target moves along the path the plan expects at a pace of its own, so that some are ahead,
//! some lagging, one moves away and a few have no data; district values are shares of the
//! city's. Levels are calibrated to published figures (data/ningbo-public-figures.md): 单项冠军
//! 104 at the end of 2024, 规上工业产值 2.43万亿元 in 2022, 北仑区 about a fifth of it.
//! Bulk values are imported as approved by the system; a few go through the workflow (draft,
//! submitted, returned) as the demo users, so the audit chain records them all.

use std::collections::HashMap;
use std::process::ExitCode;

use anyhow::{Context, bail};
use plan361_core::Period;
use plan361_core::access::{Actor, Role};
use plan361_core::calendar::Date;
use plan361_core::eval::expected_value;
use plan361_core::plan::{Frequency, Goal, Kind, Milestone, Plan, Target};
use plan361_core::registry::{Entity, ListKind};
use plan361_store::{Draft, ImportRow, ListRow, NewUser, ReviewDecision, State, Store};

use super::db::DbArgs;

#[derive(clap::Args)]
pub struct DemoArgs {
    /// The port to serve on (on 127.0.0.1).
    #[arg(long, default_value_t = 8361)]
    port: u16,
    /// The password of every demo user.
    #[arg(long, default_value = "plan361demo")]
    password: String,
    #[command(flatten)]
    deployment: super::serve::Deployment,
}

/// The demo users: user name, display name, org unit, role.
const USERS: [(&str, &str, &str, Role); 6] = [
    ("office", "推进办 王敏", "市经信局", Role::PlanOffice),
    ("kejiju", "科技局 李华", "市科技局", Role::Reporter),
    ("shangwuju", "商务局 陈静", "市商务局", Role::Reporter),
    ("beilun", "北仑区 周强", "北仑区", Role::Reporter),
    ("reviewer", "经信局 赵磊(审核)", "市经信局", Role::Reviewer),
    ("leader", "市领导", "宁波市", Role::Viewer),
];

/// Each district's share of the city, in statistics order: 规上工业 output shares from the
/// published district figures, used for every additive target.
const DISTRICT_SHARES: [(&str, f64); 10] = [
    ("海曙区", 0.045),
    ("江北区", 0.05),
    ("镇海区", 0.15),
    ("北仑区", 0.22),
    ("鄞州区", 0.09),
    ("奉化区", 0.04),
    ("余姚市", 0.10),
    ("慈溪市", 0.19),
    ("宁海县", 0.058),
    ("象山县", 0.057),
];

/// Targets decomposed to the districts (目标分解).
const DECOMPOSED: [&str; 3] = ["0.1", "3.3.1", "2.3.2"];

/// Paces chosen for the story the demo tells; other targets draw theirs. 1 keeps the
/// expected pace; above is ahead, below lags, below 0 moves away.
/// Counted targets are absent: their values come from the synthetic lists.
const PACES: [(&str, f64); 10] = [
    ("0.1", 1.04),
    ("0.2", 0.78),
    ("0.4", 0.55),
    ("5.3.1", 1.6),
    ("1.3.3", 9.0),
    ("4.3.3", 1.2),
    ("7.4.1", -0.3),
    ("6.2.2", 1.6),
    ("4.2.1", 0.35),
    ("7.3.1", 0.5),
];

/// Targets left without any value, as happens with indicators no one publishes yet.
const NO_DATA: [&str; 2] = ["7.2.1", "6.1.2"];

/// Monthly targets whose last month is left unreported (overdue for 市科技局 and 市经信局).
const OVERDUE: [&str; 2] = ["4.2.2", "4.3.2"];

pub fn run(db: &DbArgs, args: &DemoArgs) -> anyhow::Result<ExitCode> {
    super::serve::init_logging();
    let config = args.deployment.config()?;
    super::serve::runtime()?.block_on(async {
        let store = Store::open(&db.db).await?;
        if store.current_plan().await.is_ok() {
            if !store.is_demo().await? {
                bail!("{} holds a real database, not a demo one: choose another --db", db.db);
            }
            println!("使用已有的演示数据库 reusing the demo database {}", db.db);
        } else {
            println!("正在生成演示数据库 creating the demo database {} …", db.db);
            create(&store, &args.password).await?;
        }
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", args.port))
            .await
            .with_context(|| format!("cannot listen on 127.0.0.1:{}", args.port))?;
        let address = listener.local_addr()?;
        println!("\n演示环境(数据为合成数据)demo with SYNTHETIC data: http://{address}/");
        println!("用户 users (password: {}):", args.password);
        println!("  {:<10} 系统管理员 administrator", "admin");
        for (username, name, unit, role) in USERS {
            println!("  {username:<10} {name} · {unit} · {}", role.label_zh());
        }
        println!("按 Ctrl-C 停止 press Ctrl-C to stop");
        super::serve::serve(store, listener, config).await
    })?;
    Ok(ExitCode::SUCCESS)
}

async fn create(store: &Store, password: &str) -> anyhow::Result<()> {
    let (plan_name, plan_text) = super::read_plan_text(None)?;
    let org_units = super::load_org_units()?;
    store.initialize(&plan_name, &plan_text, &org_units, password).await?;
    store.mark_demo().await?;
    let system = Actor::system(&org_units.city().name);
    for (username, display_name, org_unit, role) in USERS {
        store.add_user(&system, NewUser { username, display_name, password, org_unit, role }).await?;
    }
    let plan = store.current_plan().await?;
    for id in DECOMPOSED {
        let target = plan.target(id).with_context(|| format!("the plan has no target {id}"))?;
        if let Goal::Path(path) = &target.goal {
            for (district, share) in DISTRICT_SHARES {
                let goal = Goal::Path(
                    path.iter()
                        .map(|m| Milestone { year: m.year, value: round_like(m.value * share, target) })
                        .collect(),
                );
                store.set_decomposition(&system, id, district, &goal).await?;
            }
        }
    }
    let today = Date::in_china(store.now()).month_period();
    lists(store, &system).await?;
    let rows = generate(&plan, today);
    let report = store.import(&system, "demo-synthetic", "synthetic", &rows, State::Approved, &|_| {}).await?;
    println!("  {} 条合成数据 synthetic values", report.created);
    workflow(store, today).await
}

/// The four key lists: a synthetic registry of 12,000 enterprises, with projects, parks and
/// platforms, from which the counted targets take their values.
async fn lists(store: &Store, system: &Actor) -> anyhow::Result<()> {
    let registry = plan361_demo::registry(361, 12_000, Date::in_china(store.now()));
    let entities: [(ListKind, Vec<Entity>); 4] = [
        (ListKind::Enterprises, registry.enterprises.into_iter().map(Entity::Enterprise).collect()),
        (ListKind::Projects, registry.projects.into_iter().map(Entity::Project).collect()),
        (ListKind::Parks, registry.parks.into_iter().map(Entity::Park).collect()),
        (ListKind::Platforms, registry.platforms.into_iter().map(Entity::Platform).collect()),
    ];
    for (list, entities) in entities {
        let rows: Vec<ListRow> =
            entities.into_iter().enumerate().map(|(i, entity)| ListRow { sheet: None, row: i + 1, entity }).collect();
        let report = store.import_list(system, list, &rows, "示例数据(合成)synthetic demo data").await?;
        println!("  {} 条{}(合成) synthetic {}", report.created, list.label_zh(), list.code());
    }
    Ok(())
}

/// The current month's values in every state of the workflow, entered as the demo users.
async fn workflow(store: &Store, month: Period) -> anyhow::Result<()> {
    let kejiju = store.actor("kejiju").await?;
    let shangwuju = store.actor("shangwuju").await?;
    let beilun = store.actor("beilun").await?;
    let reviewer = store.actor("reviewer").await?;
    let draft = |target: &str, org_unit: &str, value: f64, comment: &str| Draft {
        target: target.into(),
        org_unit: org_unit.into(),
        period: Some(month),
        value,
        comment: comment.into(),
        ..Draft::default()
    };
    store.save_draft(&kejiju, &draft("4.2.1", "宁波市", 9.0, "新增行业模型1个,待复核"), None).await?;
    let submitted = store.save_draft(&kejiju, &draft("1.2.1", "宁波市", 46.0, "含本月新认定的3项"), None).await?;
    store.review(&kejiju, submitted.id, submitted.revision, &ReviewDecision::Submit).await?;
    let returned = store.save_draft(&kejiju, &draft("4.2.2", "宁波市", 14.0, ""), None).await?;
    let returned = store.review(&kejiju, returned.id, returned.revision, &ReviewDecision::Submit).await?;
    let reason = "与省经信厅公布名单口径不一致,请核实后重报".to_string();
    store.review(&reviewer, returned.id, returned.revision, &ReviewDecision::Return { reason }).await?;
    let trade = store.save_draft(&shangwuju, &draft("7.4.2", "宁波市", 17.3, "1—本月累计占全省比重"), None).await?;
    store.review(&shangwuju, trade.id, trade.revision, &ReviewDecision::Submit).await?;
    let space = store.save_draft(&beilun, &draft("2.3.2", "北仑区", 268.0, "新增工业上楼项目2个"), None).await?;
    store.review(&beilun, space.id, space.revision, &ReviewDecision::Submit).await?;
    Ok(())
}

/// A seeded generator (SplitMix64): the same sequence for the same seed, everywhere.
struct Seeded(u64);

impl Seeded {
    fn for_key(key: &str) -> Seeded {
        // FNV-1a of the key, so each target draws its own sequence.
        let hash = key.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
        Seeded(hash ^ 0x361_2025)
    }

    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `lo..hi`.
    fn between(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.next()
    }
}

fn round_like(value: f64, target: &Target) -> f64 {
    let is_count =
        plan361_core::units::unit(&target.unit).is_some_and(|u| u.dimension == plan361_core::units::Dimension::Count);
    if is_count { value.round() } else { (value * 10_000.0).round() / 10_000.0 }
}

/// The periods a target is reported for, from 2025 to the last month before `today`.
fn periods(target: &Target, today: Period) -> Vec<Period> {
    let last = today.previous();
    let months = Period::months_between(Period::month(2025, 1), last);
    match target.frequency {
        Frequency::Month => months.collect(),
        Frequency::Quarter => months.filter(|m| m.months_elapsed() % 3 == 0).map(|m| m.quarter_of()).collect(),
        Frequency::Year => months.filter(|m| m.months_elapsed() == 12).map(|m| Period::Year(m.year())).collect(),
    }
}

/// Every synthetic value: the city's for every target with data, the districts' for the
/// decomposed ones (with their own baseline-year values, so their goals have a start).
fn generate(plan: &Plan, today: Period) -> Vec<ImportRow> {
    let paces: HashMap<&str, f64> = PACES.into_iter().collect();
    let mut rows = Vec::new();
    // Counted targets take their values from the lists; the others are reported.
    for target in plan.targets.iter().filter(|t| t.count.is_none() && !NO_DATA.contains(&t.id.as_str())) {
        let mut rng = Seeded::for_key(&target.id);
        let pace = paces.get(target.id.as_str()).copied().unwrap_or_else(|| {
            let draw = rng.next();
            if draw < 0.3 {
                rng.between(1.05, 1.4)
            } else if draw < 0.65 {
                rng.between(0.95, 1.1)
            } else {
                rng.between(0.45, 0.9)
            }
        });
        let mut periods = periods(target, today);
        if OVERDUE.contains(&target.id.as_str()) {
            periods.pop();
        }
        let city = series(target, plan, pace, &periods, &mut rng);
        for (key, period, value) in &city {
            rows.push(row(rows.len(), key, "宁波市", *period, *value));
        }
        if DECOMPOSED.contains(&target.id.as_str()) {
            for (i, (district, share)) in DISTRICT_SHARES.into_iter().enumerate() {
                // Districts keep their own pace around the city's: the comparison ranks them.
                let own = 0.75 + 0.5 * (i as f64 * 0.37).fract();
                if let Some(b) = &target.baseline {
                    let base = round_like(b.value * share, target);
                    rows.push(row(rows.len(), &target.id, district, Period::Year(b.year), base));
                }
                let mut previous = 0.0_f64;
                for (key, period, value) in &city {
                    let start = target.baseline.as_ref().map_or(0.0, |b| b.value);
                    let mut v = round_like((start + (value - start) * own) * share, target);
                    if target.kind == Kind::Cumulative {
                        v = v.max(previous);
                    }
                    previous = v;
                    rows.push(row(rows.len(), key, district, *period, v));
                }
            }
        }
    }
    rows
}

fn row(index: usize, target: &str, org_unit: &str, period: Period, value: f64) -> ImportRow {
    ImportRow {
        sheet: None,
        row: index + 1,
        target: target.to_string(),
        org_unit: org_unit.to_string(),
        period,
        value,
        comment: String::new(),
        revision: None,
    }
}

/// The city's series of one target: (target key, period, value).
fn series(target: &Target, plan: &Plan, pace: f64, periods: &[Period], rng: &mut Seeded) -> Vec<(String, Period, f64)> {
    let start = f64::from(target.baseline.as_ref().map_or(plan.meta.baseline_year, |b| b.year)) + 1.0;
    let mut out = Vec::new();
    let mut previous: Option<f64> = None;
    match (&target.goal, target.kind) {
        (Goal::Path(path), Kind::Level | Kind::Cumulative | Kind::Increment | Kind::Zero) => {
            let first = path.first().map_or(1.0, |m| m.value);
            // Without a published baseline, a stock starts from what exists already.
            let reference = match (target.baseline.as_ref(), target.kind) {
                (Some(b), _) => b.value,
                (None, Kind::Increment) => 0.0,
                (None, Kind::Zero) => rng.between(3.0, 8.0),
                (None, Kind::Level) => first * rng.between(0.8, 0.9),
                (None, _) => first * rng.between(0.3, 0.5),
            };
            for period in periods {
                let t = period.end();
                let planned = expected_value(reference, start, path, t);
                let noise = 1.0 + rng.between(-0.01, 0.01);
                let mut v = reference + (planned - reference) * pace * noise;
                if target.kind == Kind::Zero {
                    v = v.max(0.0);
                }
                if matches!(target.kind, Kind::Cumulative | Kind::Increment) && pace >= 0.0 {
                    v = v.max(previous.unwrap_or(v));
                }
                let v = round_like(v, target);
                previous = Some(v);
                out.push((target.id.clone(), *period, v));
            }
        }
        (Goal::Path(path), Kind::Threshold) => {
            let goal = path.last().map_or(90.0, |m| m.value);
            for period in periods {
                let v = goal - (1.0 - pace.min(1.2)) * 6.0 + rng.between(-0.3, 0.3);
                out.push((target.id.clone(), *period, round_like(v.min(100.0), target)));
            }
        }
        (Goal::EveryYear { value, .. }, _) => {
            for period in periods {
                let share = f64::from(period.months_elapsed()) / 12.0;
                let v = value * share * pace * (1.0 + rng.between(-0.03, 0.03));
                out.push((target.id.clone(), *period, round_like(v, target)));
            }
        }
        (_, Kind::Milestone) => {
            let due = target.goal.final_year().unwrap_or(2030);
            for period in periods {
                let elapsed = (period.end() - start) / (f64::from(due) + 1.0 - start);
                let v = (elapsed * pace).clamp(0.0, 1.0);
                out.push((target.id.clone(), *period, (v * 100.0).round() / 100.0));
            }
        }
        (_, Kind::Stable) => {
            let level = rng.between(3.0, 12.0);
            for period in periods {
                out.push((target.id.clone(), *period, round_like(level * (1.0 + (pace - 1.0) * 0.1), target)));
            }
        }
        (_, Kind::Direction) => {
            for measure in &target.measures {
                let key = format!("{}:{}", target.id, measure.key);
                let level = rng.between(20.0, 60.0);
                let step = level * 0.05 * measure.direction.sign() * if pace >= 0.9 { 1.0 } else { -0.5 };
                for (i, period) in std::iter::once(Period::Year(2024)).chain(periods.iter().copied()).enumerate() {
                    out.push((key.clone(), period, round_like(level + step * i as f64, target)));
                }
            }
        }
        _ => {}
    }
    out
}
