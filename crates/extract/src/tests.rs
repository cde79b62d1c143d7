//! Whole-document tests of `extract` and `draft_plan`.

use plan361_core::plan::Kind;

use super::*;

const SEED: &str = include_str!("../../../plans/ningbo-361-2025.txt");

fn draft(text: &str) -> String {
    draft_plan(&extract(text), &DraftOptions { id: "test".into(), source: "test.txt".into() })
}

#[test]
fn the_seed_plan_drafts_into_a_valid_plan() {
    let text = draft(SEED);
    let plan = plan361_core::plan::parse("draft.toml", &text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(plan.meta().title, "加快建设“361”现代化产业体系实施方案");
    assert_eq!(plan.meta().issuer, "宁波市人民政府办公厅");
    assert_eq!(plan.meta().issued, "2025-06-21");
    assert_eq!(plan.meta().horizon, vec![2027, 2030]);
    assert_eq!(plan.projects().iter().filter(|p| p.number > 0).count(), 7);
    assert_eq!(plan.tasks().iter().filter(|t| t.project > 0).count(), 24);
    let task = plan.tasks().iter().find(|t| t.name == "发展总部经济").expect("task 3.2");
    assert_eq!(task.units, ["市发改委", "市经信局", "市商务局"]);
    let headline = plan.targets().iter().find(|t| t.indicator == "规上工业产值").expect("headline");
    assert_eq!(headline.goal.stated(), vec![(Some(2027), Some(2.7)), (Some(2030), Some(3.3))]);
}

#[test]
fn structure_units_and_years_of_the_seed() {
    let ex = extract(SEED);
    let ningbo = |indicator: &str| ex.targets.iter().find(|t| t.indicator == indicator);
    let t = ningbo("国家级创新平台").expect("1.1.1");
    assert_eq!(
        (t.year, t.value, t.unit.as_deref(), t.kind),
        (Some(2030), Some(9.0), Some("个"), StatedKind::Plan(Kind::Cumulative))
    );
    assert_eq!(ex.tasks[t.task].units, ["市科技局", "市经信局", "市发改委"]);
    let t = ningbo("政务服务一网通办率").expect("7.3.2");
    assert_eq!((t.comparator.word(), t.kind), ("保持", StatedKind::Plan(Kind::Threshold)));
    assert_eq!(ex.tasks[t.task].units[0], "市委改革办〔市营商环境建设局〕");
    assert!(ex.targets.iter().any(|t| t.kind == StatedKind::Plan(Kind::Direction)));
    assert!(ex.targets.iter().any(|t| t.kind == StatedKind::Plan(Kind::Zero)));
    assert_eq!(ex.targets.iter().filter(|t| t.kind == StatedKind::Plan(Kind::Stable)).count(), 2);
    assert!(!ex.targets.iter().any(|t| t.value == Some(5.0) && t.unit.as_deref() == Some("亿元")), "a qualifier");
}

#[test]
fn json_has_the_documented_keys() {
    let ex = extract("到2027年,规上工业产值达到2.7万亿元,建设预制菜产业园区2-3个。");
    let json = ex.json();
    assert_eq!(json.len(), 2);
    assert_eq!(json[1].value, Some(2.0));
    assert_eq!(json[1].value_max, Some(3.0));
    assert_eq!(json[0].year, Some(2027));
}

#[test]
fn lead_units_come_first() {
    let text = "一、主要目标\n1.地区生产总值增长8%以上。(责任领导:张三;牵头单位:区发改局)\n2.粮食产量稳定在23万吨。(牵头单位:区农业农村局;责任单位:区财政局、区统计局)\n";
    let ex = extract(text);
    assert_eq!(ex.tasks.len(), 2);
    assert_eq!(ex.tasks[1].units, ["区农业农村局", "区财政局", "区统计局"]);
    assert_eq!(ex.targets[0].kind, StatedKind::Growth);
    assert_eq!(ex.targets[1].comparator, StatedComparator::SteadyAt);
    let text = draft(text);
    plan361_core::plan::parse("draft.toml", &text).unwrap_or_else(|e| panic!("{e}\n{text}"));
}

#[test]
fn full_width_text_reads_like_half_width() {
    let ex = extract("到２０３０年，全市平台交易额达到２０００亿元，比重达到６５％。");
    let found: Vec<_> = ex.targets.iter().map(|t| (t.year, t.value, t.unit.clone().unwrap_or_default())).collect();
    assert_eq!(found, vec![(Some(2030), Some(2000.0), "亿元".to_string()), (Some(2030), Some(65.0), "%".to_string())]);
    assert_eq!(ex.targets[0].source_text, "全市平台交易额达到２０００亿元");
}

#[test]
fn what_is_not_a_target_is_noted() {
    let ex = extract("《方案》包括总体要求等五大方面23项具体内容。到2025年,营业收入大幅增长超过去年。");
    assert!(ex.targets.is_empty());
    assert!(ex.notes.iter().any(|n| n.clause.contains("23项具体内容")), "{:?}", ex.notes);
}

#[test]
fn empty_and_odd_documents_draft_valid_plans() {
    for text in ["", "   ", "没有数字的文字。", "1.\n(一)\n一、", "到2030年", "达到100%以上以内左右"]
    {
        let text = draft(text);
        plan361_core::plan::parse("draft.toml", &text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    }
}

#[test]
fn reads_docx_and_legacy_encodings() {
    let (gb, _, _) = encoding_rs::GB18030.encode("到2030年,累计认定总部企业200家。");
    assert!(read_document(&gb).expect("text").contains("总部企业"));
    assert!(matches!(read_document(b"  \n"), Err(ReadError::Empty)));
    assert!(matches!(read_document(b"PK\x03\x04garbage"), Err(ReadError::Docx(_))));
}

#[test]
fn a_headline_restating_a_target_is_listed_once_as_the_fuller_statement() {
    let ex = extract("绵阳明确服务业发展规划 2025年力争增加值达2600亿元\n提出到2025年,绵阳市服务业增加值达2600亿元。");
    assert_eq!(ex.targets.len(), 1);
    assert_eq!(ex.targets[0].indicator, "绵阳市服务业增加值");
    assert!(ex.notes.iter().any(|n| n.reason.contains("重复") && n.clause.contains("2025年力争增加值")));
    // Within one sentence, similar names sharing a value are different targets.
    let ex = extract("到2025年,城镇和农村居民人均可支配收入均增长8%。");
    assert_eq!(ex.targets.len(), 2);
}

#[test]
fn a_vision_beyond_every_quantified_target_is_a_note() {
    let ex = extract("到2025年,旅游总收入800亿元。到2035年,国际生态旅游目的地基本建成。");
    assert_eq!(ex.targets.len(), 1);
    assert!(ex.notes.iter().any(|n| n.reason.contains("远景") && n.clause.contains("基本建成")));
    // Within the horizon it stays a target.
    let ex = extract("到2030年,“361”现代化产业体系全面建成,规上工业产值达到3.3万亿元。");
    assert_eq!(ex.targets.len(), 2);
}

#[test]
fn a_qualitative_commitment_takes_no_due_year_from_another_item() {
    let text = "1.到2030年,累计建成国家级创新平台9个。\n2.积极争创国家级工程师协同创新中心。\n3.建成一站集成的企业综合服务中心。到2030年,新增企业100家。\n";
    let ex = extract(text);
    let year_of = |indicator: &str| ex.targets.iter().find(|t| t.indicator == indicator).map(|t| t.year);
    assert_eq!(year_of("国家级工程师协同创新中心"), Some(None));
    assert_eq!(year_of("一站集成的企业综合服务中心"), Some(Some(2030)));
    // A one-year list's year holds for every item.
    let ex = extract("2023年重点工作任务\n1.地区生产总值增长8%以上。\n2.完成省、市下达的节能减排考核目标任务。\n");
    assert!(ex.targets.iter().all(|t| t.year == Some(2023)), "{:?}", ex.targets);
}

#[test]
fn years_in_words_count_from_the_documents_own() {
    let text = "zz.fjsen.com 2016-05-31 17:44:56 来源:东南网\n诏安县今年持续推进基础设施建设,1至4月完成投资2133万元。诏安是全省23个重点扶贫开发县之一。全县安全饮用水百分百全覆盖。";
    let ex = extract(text);
    let found: Vec<_> = ex.targets.iter().map(|t| (t.year, t.value)).collect();
    assert_eq!(found, vec![(Some(2016), Some(100.0))]);
    assert!(ex.notes.iter().any(|n| n.clause.contains("2133万元")), "{:?}", ex.notes);
    // No date: the year after the last year-end the text reports on.
    let ex = extract(
        "今年全省城镇新增就业70万人。数据显示,2014年,全省实现新增城镇就业82.68万人。截至2014年底全省市场主体总数达254.32万户。",
    );
    let found: Vec<_> = ex.targets.iter().map(|t| (t.year, t.value)).collect();
    assert_eq!(found, vec![(Some(2015), Some(70.0))]);
}

#[test]
fn a_plan_period_in_a_title_holds_until_the_text_states_a_year() {
    let text = "沈阳市近期发布《沈阳市清洁和可再生能源发展计划(2016-2017年)》,计划指出要加快对风能、太阳能等可再生能源开发利用规模,力争每年递增3%。到2017年底,全市风力发电装机总规模达到120万千瓦。争取将上述项目列入国家“十三五”期间风电核准计划,力争每年新增核准风电项目装机5万千瓦。";
    let ex = extract(text);
    let found: Vec<_> = ex.targets.iter().map(|t| (t.indicator.as_str(), t.year)).collect();
    assert_eq!(
        found,
        vec![
            ("可再生能源开发利用规模递增", Some(2017)),
            ("风力发电装机总规模", Some(2017)),
            ("新增核准风电项目装机", Some(2017))
        ]
    );
}
