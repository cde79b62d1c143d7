//! SYNTHETIC demo data, from one seeded generator: the four key lists (this module) and the
//! values units report ([`reported`]), calibrated to the public figures in
//! `data/ningbo-public-figures.md` and equal to them at their dates (12,000 enterprises, 63
//! national 单项冠军 at the end of 2021 and 104 at the end of 2024, 18 中国制造业500强 in 2022,
//! 1–9月 exports of 2025 …). Every name carries "(示例)": nothing here describes a real
//! enterprise, project, park or platform.

pub mod reported;

pub mod micro;

use plan361_core::calendar::{Date, days_in_month};
use plan361_core::registry::{
    ClusterCatalog, Enterprise, Honour, IndustryCodes, MajorProject, Park, Platform, Registry, Renovation, catalog,
    credit_code,
};

/// A small, fast, well-mixed generator (SplitMix64): the same seed gives the same data.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// An index drawn with the given weights.
    pub fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut draw = self.unit() * total;
        for (i, w) in weights.iter().enumerate() {
            if draw < *w {
                return i;
            }
            draw -= w;
        }
        weights.len().saturating_sub(1)
    }

    /// Uniform in `lo..hi`.
    pub fn between(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// A generator of its own for `key`, so that each target draws the same sequence whatever
    /// is generated before it.
    pub fn for_key(seed: u64, key: &str) -> Rng {
        // FNV-1a of the key.
        let hash = key.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
        Rng(seed ^ hash)
    }

    /// A day in `year`, and not after `last`.
    pub fn day_in(&mut self, year: i32, last: Date) -> Date {
        let month = 1 + self.below(12) as u8;
        let day = 1 + self.below(usize::from(days_in_month(year, month))) as u8;
        day_of(year, month, day).min(last)
    }
}

/// The districts in statistics order, with their administrative codes and the share of the
/// city's enterprises each holds (from the published district output figures).
pub const DISTRICTS: [(&str, &str, f64); 10] = [
    ("海曙区", "330203", 0.06),
    ("江北区", "330205", 0.06),
    ("镇海区", "330211", 0.08),
    ("北仑区", "330206", 0.18),
    ("鄞州区", "330212", 0.12),
    ("奉化区", "330213", 0.06),
    ("余姚市", "330281", 0.12),
    ("慈溪市", "330282", 0.19),
    ("宁海县", "330226", 0.07),
    ("象山县", "330225", 0.06),
];

/// 规上工业销售产值 by district, January–May 2024, in 亿元 (public figures); 海曙区, 奉化区 and
/// 象山县 are published only as "lower than 江北区" and are estimated. The microdata meet these
/// exactly, and districts' shares of other additive values (space, additions) follow them.
pub const DISTRICT_OUTPUT_2024_JAN_MAY: [(&str, f64); 10] = [
    ("海曙区", 460.0),
    ("江北区", 484.8),
    ("镇海区", 1473.5),
    ("北仑区", 2219.9),
    ("鄞州区", 889.4),
    ("奉化区", 380.0),
    ("余姚市", 1045.4),
    ("慈溪市", 1991.6),
    ("宁海县", 575.3),
    ("象山县", 420.0),
];

/// Each district's share of the city's output (from [`DISTRICT_OUTPUT_2024_JAN_MAY`]).
pub fn output_share(district: &str) -> f64 {
    let total: f64 = DISTRICT_OUTPUT_2024_JAN_MAY.iter().map(|(_, v)| v).sum();
    DISTRICT_OUTPUT_2024_JAN_MAY.iter().find(|(d, _)| *d == district).map_or(0.0, |(_, v)| v / total)
}

/// Industry classes drawn for synthetic enterprises, by the cluster they represent.
const INDUSTRIES: [(&str, &str); 24] = [
    ("2511", "石化"),
    ("2614", "化工"),
    ("2651", "新材料"),
    ("3612", "汽车"),
    ("3670", "汽车零部件"),
    ("3411", "机械"),
    ("3424", "机床"),
    ("3441", "泵阀"),
    ("3489", "精密"),
    ("3812", "电机"),
    ("3841", "储能"),
    ("3825", "光伏"),
    ("3856", "家电"),
    ("3911", "电子"),
    ("3974", "显示"),
    ("3985", "电子材料"),
    ("2720", "医药"),
    ("3581", "医疗器械"),
    ("1819", "服装"),
    ("1951", "鞋业"),
    ("2438", "文具"),
    ("3491", "机器人"),
    ("3731", "船舶"),
    ("3744", "航空"),
];

const NAME_HEADS: [&str; 24] = [
    "甬", "鑫", "海", "明", "远", "舜", "东", "恒", "华", "新", "科", "瑞", "博", "宏", "金", "银", "港", "盛", "联",
    "达", "信", "安", "丰", "创",
];

/// Yearly numbers of grants of an honour: (year, count). Years after `today` are skipped.
type Schedule = &'static [(i32, usize)];

/// National 单项冠军: 63 by the end of 2021 and 104 by the end of 2024 (public figures).
const CHAMPIONS: Schedule = &[
    (2016, 12),
    (2017, 10),
    (2018, 12),
    (2019, 14),
    (2020, 8),
    (2021, 7),
    (2022, 14),
    (2023, 13),
    (2024, 14),
    (2025, 11),
    (2026, 9),
];
const LITTLE_GIANTS: Schedule =
    &[(2019, 30), (2020, 60), (2021, 80), (2022, 60), (2023, 50), (2024, 40), (2025, 35), (2026, 20)];
const PROVINCIAL_SPECIALISED: Schedule =
    &[(2021, 300), (2022, 400), (2023, 350), (2024, 300), (2025, 250), (2026, 150)];
const INNOVATIVE_SMES: Schedule = &[(2022, 900), (2023, 800), (2024, 700), (2025, 600), (2026, 300)];
const HIGH_TECH: Schedule = &[
    (2018, 800),
    (2019, 900),
    (2020, 1000),
    (2021, 1100),
    (2022, 1000),
    (2023, 900),
    (2024, 800),
    (2025, 700),
    (2026, 400),
];
const LISTED: Schedule = &[
    (2010, 40),
    (2015, 30),
    (2018, 20),
    (2020, 12),
    (2021, 10),
    (2022, 8),
    (2023, 6),
    (2024, 5),
    (2025, 4),
    (2026, 3),
];
const HEADQUARTERS: Schedule = &[(2021, 30), (2022, 20), (2023, 20), (2024, 15), (2025, 15), (2026, 8)];
const FUTURE_FACTORIES: Schedule = &[(2022, 3), (2023, 4), (2024, 4), (2025, 5), (2026, 3)];
const GREEN_FACTORIES: Schedule =
    &[(2018, 10), (2019, 10), (2020, 12), (2021, 12), (2022, 14), (2023, 12), (2024, 12), (2025, 14), (2026, 8)];
const GREEN_SUPPLY_CHAINS: Schedule =
    &[(2019, 2), (2020, 2), (2021, 2), (2022, 2), (2023, 2), (2024, 2), (2025, 2), (2026, 1)];
const TECH_CENTRES: Schedule =
    &[(2015, 40), (2018, 30), (2020, 25), (2021, 15), (2022, 12), (2023, 12), (2024, 12), (2025, 10), (2026, 6)];
const ZHEJIANG_MADE: Schedule = &[(2023, 20), (2024, 22), (2025, 24), (2026, 14)];
const QUALITY_AWARDS: Schedule =
    &[(2018, 2), (2020, 2), (2021, 1), (2022, 2), (2023, 1), (2024, 2), (2025, 1), (2026, 1)];
const BENCHMARKS: Schedule = &[(2023, 3), (2024, 3), (2025, 2), (2026, 1)];
const AGRI_LEADERS: Schedule = &[(2018, 30), (2020, 15), (2022, 10), (2023, 6), (2024, 5), (2025, 5), (2026, 3)];
const DATA_MERCHANTS: Schedule = &[(2023, 4), (2024, 6), (2025, 6), (2026, 3)];

/// The synthetic registry: `enterprises` enterprises over the ten districts, with honours,
/// projects, parks and platforms, dated up to `today`.
pub fn registry(seed: u64, enterprises: usize, today: Date) -> Registry {
    let mut rng = Rng::new(seed);
    let mut registry = Registry::default();
    let weights: Vec<f64> = DISTRICTS.iter().map(|(_, _, w)| *w).collect();
    for i in 0..enterprises {
        let (district, code, _) = DISTRICTS[rng.weighted(&weights)];
        let (industry, trade) = *rng.pick(&INDUSTRIES);
        let org: String = (0..9).map(|_| char::from(b"0123456789ABCDEFGHJKLMNPQRTUWXY"[rng.below(31)])).collect();
        let credit = credit_code::complete(&format!("91{code}{org}")).unwrap_or_default();
        let name = format!("{}{}{trade}有限公司(示例{i:05})", rng.pick(&NAME_HEADS), rng.pick(&NAME_HEADS));
        let above_scale = (2021..=today.year()).filter(|_| rng.unit() < 0.85).collect();
        registry.enterprises.push(Enterprise {
            credit_code: credit,
            name,
            district: district.into(),
            industry: industry.into(),
            above_scale,
            cluster_override: None,
            honours: Vec::new(),
        });
    }
    // Exactly `count` grants a year, each to an enterprise that does not hold the honour yet.
    let grant = |registry: &mut Registry, rng: &mut Rng, kind: &str, level: &str, schedule: Schedule| {
        for &(year, count) in schedule.iter().filter(|(year, _)| *year <= today.year()) {
            let n = registry.enterprises.len();
            let mut granted_this_year = 0;
            for _ in 0..count * 20 {
                if granted_this_year == count.min(n) {
                    break;
                }
                let e = &mut registry.enterprises[rng.below(n)];
                if e.honours.iter().any(|h| h.kind == kind) {
                    continue;
                }
                granted_this_year += 1;
                let granted = rng.day_in(year, today);
                e.honours.push(Honour {
                    kind: kind.into(),
                    level: level.into(),
                    granted,
                    revoked: None,
                    note: String::new(),
                });
            }
        }
    };
    grant(&mut registry, &mut rng, "制造业单项冠军", "国家级", CHAMPIONS);
    grant(&mut registry, &mut rng, "专精特新小巨人", "国家级", LITTLE_GIANTS);
    grant(&mut registry, &mut rng, "专精特新", "省级", PROVINCIAL_SPECIALISED);
    grant(&mut registry, &mut rng, "创新型中小企业", "", INNOVATIVE_SMES);
    grant(&mut registry, &mut rng, "高新技术企业", "", HIGH_TECH);
    grant(&mut registry, &mut rng, "上市", "境内", LISTED);
    grant(&mut registry, &mut rng, "总部企业", "", HEADQUARTERS);
    grant(&mut registry, &mut rng, "未来工厂", "省级", FUTURE_FACTORIES);
    grant(&mut registry, &mut rng, "绿色低碳工厂", "国家级", GREEN_FACTORIES);
    grant(&mut registry, &mut rng, "绿色供应链管理企业", "国家级", GREEN_SUPPLY_CHAINS);
    grant(&mut registry, &mut rng, "企业技术中心", "省级", TECH_CENTRES);
    grant(&mut registry, &mut rng, "浙江制造精品", "", ZHEJIANG_MADE);
    grant(&mut registry, &mut rng, "省政府质量奖", "", QUALITY_AWARDS);
    grant(&mut registry, &mut rng, "对标标杆企业", "省级", BENCHMARKS);
    grant(&mut registry, &mut rng, "农业龙头企业", "市级", AGRI_LEADERS);
    grant(&mut registry, &mut rng, "省内影响力数商", "", DATA_MERCHANTS);
    top_500(&mut registry, &mut rng, today);
    lapse(&mut registry, &mut rng, today);
    registry.projects = projects(&mut rng, today);
    registry.parks = parks(&mut rng, today);
    registry.platforms = platforms(&mut rng, today);
    if let Ok(catalog) = ClusterCatalog::parse("catalog", catalog::BUILTIN, IndustryCodes::builtin()) {
        micro::tag_new_materials(&mut registry, &catalog, seed);
    }
    registry
}

/// 中国制造业500强 is published every September: 18 Ningbo enterprises in 2022, a few more
/// each year since; an enterprise leaves the list when a year's list drops it.
fn top_500(registry: &mut Registry, rng: &mut Rng, today: Date) {
    let sizes = [(2021, 17), (2022, 18), (2023, 19), (2024, 20), (2025, 21), (2026, 21)];
    let pool: Vec<usize> =
        (0..40.min(registry.enterprises.len())).map(|i| i * 97 % registry.enterprises.len()).collect();
    let mut members: Vec<usize> = Vec::new();
    for &(year, size) in sizes.iter().filter(|(year, _)| *year <= today.year()) {
        let published = day_of(year, 9, 5);
        if published > today {
            break;
        }
        let mut next: Vec<usize> = members.iter().copied().filter(|_| rng.unit() < 0.9).collect();
        while next.len() < size {
            let candidate = *rng.pick(&pool);
            if !next.contains(&candidate) {
                next.push(candidate);
            }
        }
        for &dropped in members.iter().filter(|m| !next.contains(m)) {
            if let Some(h) =
                registry.enterprises[dropped].honours.iter_mut().rev().find(|h| h.kind == "中国制造业500强")
            {
                h.revoked = Some(published);
            }
        }
        for &joined in next.iter().filter(|m| !members.contains(m)) {
            registry.enterprises[joined].honours.push(Honour {
                kind: "中国制造业500强".into(),
                level: String::new(),
                granted: published,
                revoked: None,
                note: String::new(),
            });
        }
        members = next;
    }
}

/// Some honours lapse (high-tech status is reviewed every three years; a few others are
/// withdrawn), so that counts also fall. National 单项冠军 are reviewed from 2025 on, so that
/// the counts published for the end of 2021 and 2024 hold exactly.
fn lapse(registry: &mut Registry, rng: &mut Rng, today: Date) {
    let first_champion_review = day_of(2025, 1, 1);
    for e in &mut registry.enterprises {
        for h in &mut e.honours {
            let chance = match h.kind.as_str() {
                "高新技术企业" => 0.15,
                "专精特新" | "创新型中小企业" => 0.05,
                "制造业单项冠军" => 0.02,
                _ => 0.0,
            };
            if h.revoked.is_none() && rng.unit() < chance {
                let end = day_of(h.granted.year() + 3, h.granted.month(), h.granted.day().min(28));
                let reviewed = h.kind != "制造业单项冠军" || end >= first_champion_review;
                if end <= today && reviewed {
                    h.revoked = Some(end);
                }
            }
        }
    }
}

const CLUSTERS: [&str; 9] = [
    "green-petrochemical",
    "nev-equipment",
    "new-materials",
    "ai-robotics",
    "next-gen-it",
    "green-energy",
    "life-health",
    "fashion-consumer",
    "aerospace-marine",
];

fn district(rng: &mut Rng) -> &'static str {
    let weights: Vec<f64> = DISTRICTS.iter().map(|(_, _, w)| *w).collect();
    DISTRICTS[rng.weighted(&weights)].0
}

/// Projects signed from 2023: about 45 manufacturing projects of 10亿元 or more and 110
/// service projects land each year; stages follow each other by months.
fn projects(rng: &mut Rng, today: Date) -> Vec<MajorProject> {
    let mut projects = Vec::new();
    for year in 2023..=today.year() {
        for (category, count, min, max) in [("先进制造业", 60, 8.0, 80.0), ("服务业", 120, 1.0, 30.0)] {
            for i in 0..count {
                let signed = rng.day_in(year, today);
                let after = |rng: &mut Rng, from: Option<Date>, months: usize| {
                    let from = from?;
                    let shift = 1 + rng.below(months);
                    let total = i64::from(from.year()) * 12 + i64::from(from.month()) - 1 + shift as i64;
                    let date = day_of((total / 12) as i32, (total % 12 + 1) as u8, from.day().min(28));
                    (date <= today).then_some(date)
                };
                let landed = after(rng, Some(signed), 4);
                let started = after(rng, landed, 6);
                let completed = after(rng, started, 24);
                let investment = (min + rng.unit() * (max - min) * 10.0).round() / 10.0;
                projects.push(MajorProject {
                    code: format!("XM{year}{}{i:03}", if category == "服务业" { "S" } else { "M" }),
                    name: format!(
                        "{}{}项目(示例)",
                        rng.pick(&NAME_HEADS),
                        if category == "服务业" { "数字服务" } else { "智能制造" }
                    ),
                    owner: String::new(),
                    cluster: if category == "服务业" { String::new() } else { rng.pick(&CLUSTERS).to_string() },
                    district: district(rng).into(),
                    category: category.into(),
                    origin: if rng.unit() < 0.2 { "外资" } else { "国内" }.into(),
                    investment,
                    signed: Some(signed),
                    landed,
                    started,
                    completed,
                    invested: Vec::new(),
                });
            }
        }
    }
    projects
}

/// Development zones, strategic parks, 优势产业社区 (about 45 by now, 8 of them 标志性) and
/// industrial blocks renovated a few hundred 亩 at a time.
fn parks(rng: &mut Rng, today: Date) -> Vec<Park> {
    let park = |rng: &mut Rng, code: String, kind: &str, level: &str, established: Date| Park {
        code,
        name: format!("{}{kind}(示例)", rng.pick(&NAME_HEADS)),
        kind: kind.into(),
        level: level.into(),
        district: district(rng).into(),
        area_mu: (2000.0 + rng.unit() * 30_000.0).round(),
        leading_cluster: rng.pick(&CLUSTERS).to_string(),
        established: Some(established.min(today)),
        renovations: Vec::new(),
    };
    let mut parks = Vec::new();
    for i in 0..18 {
        let level = if i < 6 { "国家级" } else { "省级" };
        parks.push(park(rng, format!("YQ{i:03}"), "开发园区", level, day_of(2005, 1, 1)));
    }
    for i in 0..48 {
        let year = 2023 + i / 16;
        if year > today.year() {
            break;
        }
        let level = if i % 6 == 0 { "标志性" } else { "" };
        let day = rng.day_in(year, today);
        parks.push(park(rng, format!("SQ{i:03}"), "优势产业社区", level, day));
    }
    for i in 0..60 {
        let mut block = park(rng, format!("QK{i:03}"), "工业区块", "", day_of(2015, 6, 1));
        for year in 2025..=today.year() {
            if rng.unit() < 0.5 {
                block
                    .renovations
                    .push(Renovation { date: rng.day_in(year, today), mu: (60.0 + rng.unit() * 300.0).round() });
            }
        }
        parks.push(block);
    }
    parks
}

/// Innovation platforms: 6 national ones and about 22 provincial 新型研发机构 by now, with other
/// provincial centres.
fn platforms(rng: &mut Rng, today: Date) -> Vec<Platform> {
    let mut platforms = Vec::new();
    let specs: [(&str, &str, Schedule); 4] = [
        ("国家级", "国家制造业创新中心", &[(2019, 1), (2022, 1), (2025, 1)]),
        ("国家级", "全国重点实验室", &[(2018, 1), (2021, 1), (2023, 1), (2026, 1)]),
        ("省级", "新型研发机构", &[(2020, 5), (2021, 4), (2022, 4), (2023, 4), (2024, 3), (2025, 3), (2026, 2)]),
        ("省级", "技术创新中心", &[(2021, 3), (2023, 3), (2025, 2)]),
    ];
    for (level, kind, schedule) in specs {
        for &(year, count) in schedule.iter().filter(|(year, _)| *year <= today.year()) {
            for _ in 0..count {
                let n = platforms.len();
                platforms.push(Platform {
                    code: format!("PT{n:03}"),
                    name: format!("宁波{}{kind}(示例)", rng.pick(&NAME_HEADS)),
                    level: level.into(),
                    kind: kind.into(),
                    host: format!("{}研究院(示例)", rng.pick(&NAME_HEADS)),
                    cluster: rng.pick(&CLUSTERS).to_string(),
                    district: district(rng).into(),
                    recognized: rng.day_in(year, today),
                    revoked: None,
                });
            }
        }
    }
    platforms
}

/// The demo's fixed and generated dates: every one is a day of the calendar (generated days
/// stay within their month), so a failure here is a bug of the generator, not of any input.
fn day_of(year: i32, month: u8, day: u8) -> Date {
    Date::new(year, month, day).expect("the demo generates days of the calendar")
}

#[cfg(test)]
mod tests {
    use plan361_core::org::OrgUnits;
    use plan361_core::registry::{ClusterCatalog, Entity, IndustryCodes, References, check};

    use super::*;

    fn today() -> Date {
        day_of(2026, 10, 31)
    }

    #[test]
    fn the_same_seed_gives_the_same_registry() {
        let a = registry(7, 500, today());
        let b = registry(7, 500, today());
        assert_eq!(a.enterprises, b.enterprises);
        assert_ne!(a.enterprises, registry(8, 500, today()).enterprises);
    }

    #[test]
    fn the_registry_is_calibrated_to_the_public_figures() {
        let r = registry(361, 12_000, today());
        assert_eq!(r.enterprises.len(), 12_000);
        let held = |kind: &str, level: &str, day: Date| {
            r.enterprises
                .iter()
                .flat_map(|e| &e.honours)
                .filter(|h| h.kind == kind && h.level == level && h.held_on(day))
                .count()
        };
        let end_of = |year: i32| day_of(year, 12, 31);
        assert_eq!(held("制造业单项冠军", "国家级", end_of(2021)), 63, "63 national champions at the end of 2021");
        assert_eq!(held("制造业单项冠军", "国家级", end_of(2024)), 104, "104 at the end of 2024, the plan's baseline");
        let top = held("中国制造业500强", "", day_of(2022, 12, 31));
        assert_eq!(top, 18, "18 in the 2022 list");
        let beilun = r.enterprises.iter().filter(|e| e.district == "北仑区").count() as f64 / 12_000.0;
        assert!((beilun - 0.18).abs() < 0.02, "{beilun}");
    }

    #[test]
    fn every_generated_entry_passes_the_registrys_checks() {
        let org_units = OrgUnits::parse("units", include_str!("../../../data/org-units.toml")).expect("units");
        let industry = IndustryCodes::builtin();
        let catalog =
            ClusterCatalog::parse("catalog", plan361_core::registry::catalog::BUILTIN, industry).expect("catalog");
        let refs = References { org_units: &org_units, industry, catalog: &catalog };
        let r = registry(361, 2_000, today());
        let entities = r
            .enterprises
            .iter()
            .cloned()
            .map(Entity::Enterprise)
            .chain(r.projects.iter().cloned().map(Entity::Project))
            .chain(r.parks.iter().cloned().map(Entity::Park))
            .chain(r.platforms.iter().cloned().map(Entity::Platform));
        for entity in entities {
            let problems = check(&entity, &refs);
            assert!(problems.is_empty(), "{}: {problems:?}", entity.key());
            assert!(entity.name().contains("示例"), "synthetic names say so: {}", entity.name());
        }
    }
}
