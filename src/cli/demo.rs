//! `plan361 demo`: a database with the real plan and SYNTHETIC reported values, the demo
//! users, and the web application on it.
//!
//! The lists and values come from the seeded generator of `plan361-demo` (the same database
//! every run of a month), calibrated to published figures (data/ningbo-public-figures.md).
//! Bulk values are imported as approved by the system; a few go through the workflow (draft,
//! submitted, returned) as the demo users, so the audit chain records them all.

use plan361_core::i18n::Labelled;
use std::process::ExitCode;

use anyhow::{Context, bail};
use plan361_core::Period;
use plan361_core::access::{Actor, Role};
use plan361_core::calendar::Date;
use plan361_core::plan::{Goal, Milestone};
use plan361_core::registry::{Entity, ListKind};
use plan361_demo::reported;
use plan361_store::{Draft, ImportRow, ListRow, NewUser, ObservationState, ReviewDecision, Store};

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

/// The seed of every synthetic list and value: the same demo database every run of a month.
const SEED: u64 = 361;

/// The demo users: user name, display name, org unit, role.
const USERS: [(&str, &str, &str, Role); 6] = [
    ("office", "推进办 王敏", "市经信局", Role::PlanOffice),
    ("kejiju", "科技局 李华", "市科技局", Role::Reporter),
    ("shangwuju", "商务局 陈静", "市商务局", Role::Reporter),
    ("beilun", "北仑区 周强", "北仑区", Role::Reporter),
    ("reviewer", "经信局 赵磊(审核)", "市经信局", Role::Reviewer),
    ("leader", "市领导", "宁波市", Role::Viewer),
];

pub fn run(db: &DbArgs, args: &DemoArgs) -> anyhow::Result<ExitCode> {
    super::serve::init_logging();
    let config = args.deployment.config()?;
    super::db::runtime(super::db::Threads::PerCore)?.block_on(async {
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
    for id in reported::DECOMPOSED {
        let target = plan.target(id).with_context(|| format!("the plan has no target {id}"))?;
        if let Goal::Path(path) = &target.goal {
            for (district, _) in plan361_demo::DISTRICT_OUTPUT_2024_JAN_MAY {
                let goal = Goal::Path(
                    path.iter()
                        .map(|m| Milestone { year: m.year, value: reported::district_goal(target, district, m.value) })
                        .collect(),
                );
                store.set_decomposition(&system, id, district, &goal).await?;
            }
        }
    }
    let today = Date::in_china(store.now()).month_period();
    lists(store, &system).await?;
    microdata(store, &system, today).await?;
    let rows: Vec<ImportRow> = reported::generate(&plan, SEED, today)
        .into_iter()
        .enumerate()
        .map(|(i, r)| ImportRow {
            sheet: None,
            row: i + 1,
            target: r.target,
            org_unit: r.org_unit.to_string(),
            period: r.period,
            value: r.value,
            comment: String::new(),
            revision: None,
        })
        .collect();
    let report =
        store.import(&system, "demo-synthetic", "synthetic", &rows, ObservationState::Approved, &|_| {}).await?;
    println!("  {} 条合成数据 synthetic values", report.created);
    workflow(store, today).await
}

/// The four key lists: a synthetic registry of 12,000 enterprises, with projects, parks and
/// platforms, from which the counted targets take their values.
async fn lists(store: &Store, system: &Actor) -> anyhow::Result<()> {
    let registry = plan361_demo::registry(SEED, 12_000, Date::in_china(store.now()));
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

/// Enterprise microdata of the registry's above-scale industrial enterprises from 2023 to this
/// month, for the cluster statistics.
async fn microdata(store: &Store, system: &Actor, month: Period) -> anyhow::Result<()> {
    let registry = store.registry(None).await?;
    let catalog = store.catalog_at(Date::last_of(month)).await?;
    let rows = plan361_demo::micro::microdata(&registry, &catalog, 361, month);
    let numbered: Vec<(usize, plan361_core::stats::MicroRow)> =
        rows.into_iter().enumerate().map(|(i, row)| (i + 1, row)).collect();
    let report = store.import_microdata(system, "demo-synthetic-microdata", "synthetic", &numbered).await?;
    println!("  {} 条企业月度数据(合成) synthetic enterprise-months", report.created);
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
    let trade = store.save_draft(&shangwuju, &draft("6.1.2", "宁波市", 1460.0, "1—本月累计平台交易额"), None).await?;
    store.review(&shangwuju, trade.id, trade.revision, &ReviewDecision::Submit).await?;
    let space = store.save_draft(&beilun, &draft("2.3.2", "北仑区", 268.0, "新增工业上楼项目2个"), None).await?;
    store.review(&beilun, space.id, space.revision, &ReviewDecision::Submit).await?;
    Ok(())
}
