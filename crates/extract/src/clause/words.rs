//! The closed lists of words and phrases the clause reader keys on. No word segmenter is used:
//! the rules key on numbers, units, years and these lists.

use std::sync::LazyLock;

use regex::Regex;

/// Words between an indicator and its number, peeled from the right; the longest first.
pub(super) const ZONE: &[&str] = &[
    "大于等于",
    "小于等于",
    "分别达到",
    "力争达到",
    "力争突破",
    "力争超过",
    "将达到",
    "要达到",
    "可达到",
    "提高到",
    "提升到",
    "提高至",
    "提升至",
    "增长到",
    "增加到",
    "下降到",
    "降低到",
    "减少到",
    "控制在",
    "稳定在",
    "保持在",
    "不少于",
    "不低于",
    "不小于",
    "至少有",
    "不超过",
    "不高于",
    "不大于",
    "达到了",
    "超过",
    "达到",
    "突破",
    "力争",
    "争取",
    "至少",
    "分别",
    "要过",
    "降至",
    "增至",
    "保持",
    "稳定",
    "均为",
    "实现",
    "均",
    "双",
    "达",
    "过",
    "超",
    "将",
    "要",
    "为",
];

/// Growth verbs right before a number: they stay in the indicator (`工业投资年均增长`).
pub(super) const GROWTH: &[&str] = &[
    "年均增长率",
    "年均增速",
    "年均增幅",
    "年均增长",
    "年均提高",
    "年均下降",
    "年均降低",
    "年均递增",
    "增长率",
    "增长",
    "增速",
    "提高",
    "提升",
    "降低",
    "下降",
    "削减",
    "减少",
    "上升",
    "增加",
    "递增",
];

/// Words that bound a value from below (`至少3个`), so that even `一` after them counts
/// (`至少一个`).
pub(super) const LOWER_BOUNDS: &[&str] = &["不少于", "不低于", "不小于", "至少", "至少有", "大于等于"];

/// Words that bound a value from above (`不超过1%`).
pub(super) const UPPER_BOUNDS: &[&str] = &["控制在", "不超过", "不高于", "不大于", "小于等于"];

/// Words that open a clause and are not part of an indicator (with [`SCOPES`]).
pub(super) const OPENERS: &[&str] = &[
    "其中", "即", "并", "同时", "另外", "以及", "和", "及", "与", "且", "全年", "力争", "争取", "确保", "努力", "计划",
    "积极", "预计", "要", "将",
];

/// Openers that name the document's own region (`全省70%的城市`), not what is measured.
pub(super) const SCOPES: &[&str] =
    &["全市", "全省", "全区", "全县", "我市", "我省", "我区", "本市", "本省", "该市", "该省"];

/// Verbs that open a clause before the indicator (`累计建成国家级创新平台9个`) or before the
/// number (`打造4个千亿级特色数字产业集聚区`); dropped from the indicator.
pub(super) const VERBS: &[&str] = &[
    "分批次启动",
    "规划建设",
    "新建改建",
    "建设",
    "打造",
    "培育",
    "形成",
    "推出",
    "开办",
    "储备",
    "交付",
    "完成",
    "启动",
    "争创",
    "建成",
    "实施",
    "提升",
    "引进",
    "认定",
    "创建",
    "布局",
    "组建",
    "实现",
    "拥有",
    "达成",
    "带动",
    "为",
];

/// Verbs that make a target an increment; they stay in the indicator (`新增优质工业空间`).
pub(super) const NEW: &[&str] =
    &["新增培育", "新增", "新建", "新认定", "新培育", "新引进", "新创建", "新开工", "新落地"];

/// Nouns after a count that make it a count of the plan's own parts, not a target.
pub(super) const STRUCTURAL: &[&str] = &[
    "方面",
    "重点任务",
    "主要任务",
    "具体内容",
    "具体措施",
    "具体举措",
    "重点行动",
    "专项行动",
    "大类",
    "环节",
    "维度",
    "章",
    "部分",
    "条措施",
    "条举措",
    "条政策",
];

/// Nouns after a count that name the plan's own frame (`1个总体目标`, `1个总抓手`, `3条主线`,
/// `10项任务`). Only for counts: `1000亿元目标` is a target.
pub(super) const PLAN_FRAME: &[&str] = &[
    "总体目标",
    "目标",
    "总抓手",
    "抓手",
    "主线",
    "任务",
    "重大工程",
    "重点工程",
    "措施",
    "举措",
    "原则",
    "路径",
    "专栏",
    "板块",
];

/// Words that make a clause a report of facts rather than a commitment.
pub(super) const BACKGROUND: &[&str] = &[
    "获悉",
    "记者",
    "据悉",
    "据了解",
    "人大代表",
    "候选",
    "投票",
    "票决",
    "截至",
    "截止",
    "同比",
    "已建成",
    "已累计",
    "已达",
    "已有",
    "现有",
    "目前",
    "去年",
    "上年末",
    "共有",
    "共计",
    "出台了",
    "包括",
    "达到了",
    "实现了",
    "完成了",
    "增长了",
    "突破了",
    "超过了",
    "提高了",
    "下降了",
    "已完成",
    "已实现",
    "超额完成",
];

/// Words that make a whole sentence a review of the past.
pub(crate) const PAST: &[&str] = &["过去一年", "过去五年", "过去三年", "一年来", "五年来", "三年来", "近年来", "回顾"];

/// Verbs that commit to a counted set named by an enumeration (`打造A、B等5个产业`).
pub(super) const COMMIT: &[&str] =
    &["打造", "培育", "建成", "建设", "形成", "启动", "新增", "创建", "争创", "认定", "引进", "组建"];

/// Nouns that name who or where a measure is taken (`企业`, `园区`, `农村` …).
pub(super) const ENTITIES: &[&str] = &[
    "企业", "园区", "城市", "城区", "城镇", "县城", "乡镇", "农村", "村庄", "社区", "学校", "医院", "机构", "单位",
    "行业", "地区", "街道",
];

/// A base the value is measured against (`比2022年`, `较"十三五"末`).
pub(super) static BASE_PHRASE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:比|较)(?:上年|去年|[0-9]{4}年(?:底|末)?|“?十[一二三四五六]五”?末|基期)$").expect("regex")
});
/// A year phrase opening a clause (`力争到2025年`, `"十四五"期间`, `3年内`, `今年`), not part
/// of the indicator.
pub(super) static YEAR_OPENER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:力争|争取|确保)?(?:到|至|在|于)?(?:[0-9]{4}年(?:底|末|前)?|“?十[一二三四五六]五”?(?:期间|时期|末)?|[0-9一二三四五六七八九十]+年内|(?:今年|明年|当年|本年)(?:年底前|年底|年内|底|内)?)")
        .expect("regex")
});
/// A year inside the words before a number (`绵阳明确服务业发展规划 2025年力争增加值`): the
/// indicator starts after it.
pub(super) static YEAR_INSIDE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[0-9]{4}年(?:底|末|前)?|“?十[一二三四五六]五”?(?:期间|时期|末)?").expect("regex"));

/// A period that has already begun or passed: what is reported for it is a fact (`1至4月完成投资
/// 2133万元`, `今年以来`, `上半年`).
pub(super) static PERIOD_TO_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[0-9一二三四五六七八九十]{1,2}\s*(?:至|到|-|—|~)\s*[0-9一二三四五六七八九十]{1,2}\s*月|今年以来|上半年|前三季度|一季度|二季度|三季度")
        .expect("regex")
});
