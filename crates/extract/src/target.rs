//! One clause at a time: which numbers are commitments, what each measures (the indicator),
//! how it is phrased (comparator) and what kind of target it is.
//!
//! A clause is the text between commas. Within it, quantities are classified first: a size
//! class (`千亿级`), a qualifier inside an indicator (`投资额10亿元以上先进制造业项目`), a
//! structural count (`5个方面`), a background fact (`237名人大代表`), or a value. The text
//! around each value is then split into the words before it (indicator, comparator) and after
//! it (`新增100张困难重残养护床位`), with enumerations (`A 9个、B 40个`, `A、B分别达到X、Y`)
//! shared out item by item.

use std::ops::Range;
use std::sync::LazyLock;

use plan361_core::plan::Direction;
use regex::Regex;

use crate::TargetKind;
use crate::number::{self, Quantity};
use crate::text::{char_at, is_han, is_trim, slice, trim_range};

/// A target found in a clause, before its year and task are known.
#[derive(Clone, Debug)]
pub(crate) struct Candidate {
    pub indicator: String,
    /// Where the year is looked up from.
    pub position: usize,
    pub value: Option<f64>,
    pub value_max: Option<f64>,
    pub unit: Option<String>,
    /// The text's word.
    pub comparator: &'static str,
    pub kind: TargetKind,
    pub direction: Direction,
    /// The clause it comes from (a range of the normalised text).
    pub source: Range<usize>,
    pub measures: Vec<(String, Direction)>,
    pub review: Vec<String>,
}

/// A number that looked like a quantity but was not taken as a target.
#[derive(Clone, Debug)]
pub(crate) struct Rejected {
    pub source: Range<usize>,
    pub reason: &'static str,
}

/// What a clause passes on to the next clause of the same sentence.
#[derive(Clone, Debug, Default)]
pub(crate) struct SentenceState {
    /// The subject of the last target (`工业增加值` in `工业增加值超过1.3万亿元,占…比重达25%`).
    pub subject: Option<String>,
    /// What the last clause without a number is about (`可再生能源开发利用规模` in `要加快对…等
    /// 可再生能源开发利用规模,力争每年递增3%`): the subject of a rate that names none.
    pub topic: Option<String>,
    pub flags: Flags,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Flags {
    pub annual: bool,
    pub cumulative: bool,
    pub increment: bool,
    /// 力争/争取/争创 opens the clause.
    pub strive: bool,
}

/// Words between an indicator and its number, peeled from the right; the longest first.
const ZONE: &[&str] = &[
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
const GROWTH: &[&str] = &[
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
const LOWER_BOUNDS: &[&str] = &["不少于", "不低于", "不小于", "至少", "至少有", "大于等于"];

/// Words that bound a value from above (`不超过1%`).
const UPPER_BOUNDS: &[&str] = &["控制在", "不超过", "不高于", "不大于", "小于等于"];

/// Words that open a clause and are not part of an indicator (with [`SCOPES`]).
const OPENERS: &[&str] = &[
    "其中", "即", "并", "同时", "另外", "以及", "和", "及", "与", "且", "全年", "力争", "争取", "确保", "努力", "计划",
    "积极", "预计", "要", "将",
];

/// Openers that name the document's own region (`全省70%的城市`), not what is measured.
const SCOPES: &[&str] = &["全市", "全省", "全区", "全县", "我市", "我省", "我区", "本市", "本省", "该市", "该省"];

/// Verbs that open a clause before the indicator (`累计建成国家级创新平台9个`) or before the
/// number (`打造4个千亿级特色数字产业集聚区`); dropped from the indicator.
const VERBS: &[&str] = &[
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
const NEW: &[&str] = &["新增培育", "新增", "新建", "新认定", "新培育", "新引进", "新创建", "新开工", "新落地"];

/// Nouns after a count that make it a count of the plan's own parts, not a target.
const STRUCTURAL: &[&str] = &[
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
const PLAN_FRAME: &[&str] = &[
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
const BACKGROUND: &[&str] = &[
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

/// A period that has already begun or passed: what is reported for it is a fact (`1至4月完成投资
/// 2133万元`, `今年以来`, `上半年`).
static PERIOD_TO_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[0-9一二三四五六七八九十]{1,2}\s*(?:至|到|-|—|~)\s*[0-9一二三四五六七八九十]{1,2}\s*月|今年以来|上半年|前三季度|一季度|二季度|三季度")
        .expect("regex")
});

/// Whether a clause reports a fact rather than a commitment: a cue word, a period to date, or a
/// membership (`诏安是全省23个重点扶贫开发县之一`).
fn reports_a_fact(clause: &str) -> bool {
    let membership = clause.find("之一").is_some_and(|at| clause[..at].contains('是'));
    membership || period_to_date(clause).is_some() || BACKGROUND.iter().any(|w| clause.contains(w))
}

/// Where a period to date is named in `s` (`上半年,全市完成…`): what the sentence says from there
/// on is a fact.
pub(crate) fn period_to_date(s: &str) -> Option<usize> {
    PERIOD_TO_DATE.find(s).map(|m| m.start())
}

/// Words that make a whole sentence a review of the past.
pub(crate) const PAST: &[&str] = &["过去一年", "过去五年", "过去三年", "一年来", "五年来", "三年来", "近年来", "回顾"];

/// Verbs that commit to a counted set named by an enumeration (`打造A、B等5个产业`).
const COMMIT: &[&str] =
    &["打造", "培育", "建成", "建设", "形成", "启动", "新增", "创建", "争创", "认定", "引进", "组建"];

static BASE_PHRASE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:比|较)(?:上年|去年|[0-9]{4}年(?:底|末)?|“?十[一二三四五六]五”?末|基期)$").expect("regex")
});
/// A year phrase opening a clause (`力争到2025年`, `"十四五"期间`, `3年内`, `今年`), not part
/// of the indicator.
pub(crate) static YEAR_OPENER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:力争|争取|确保)?(?:到|至|在|于)?(?:[0-9]{4}年(?:底|末|前)?|“?十[一二三四五六]五”?(?:期间|时期|末)?|[0-9一二三四五六七八九十]+年内|(?:今年|明年|当年|本年)(?:年底前|年底|年内|底|内)?)")
        .expect("regex")
});
/// A year inside the words before a number (`绵阳明确服务业发展规划 2025年力争增加值`): the
/// indicator starts after it.
static YEAR_INSIDE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[0-9]{4}年(?:底|末|前)?|“?十[一二三四五六]五”?(?:期间|时期|末)?").expect("regex"));

/// `s` after its last year phrase, unless that phrase is a base (`比2022年`) or a year in a name
/// (`2023年度`).
fn after_last_year(s: &str) -> &str {
    let last = YEAR_INSIDE
        .find_iter(s)
        .filter(|m| {
            let before = &s[..m.start()];
            !["比", "较", "与", "同"].iter().any(|w| before.ends_with(w)) && !s[m.end()..].starts_with('度')
        })
        .last();
    match last {
        Some(m) if m.end() < s.len() => &s[m.end()..],
        _ => s,
    }
}

/// The words peeled from the right of the text before a number.
#[derive(Default, Debug)]
struct Zone {
    words: Vec<&'static str>,
    growth: Option<&'static str>,
    base_phrase: bool,
    /// `境内外上市企业累计170家`.
    cumulative: bool,
    /// `城镇新增就业每年50万人以上`.
    annual: bool,
}

/// Peels comparator words, a growth verb and a base phrase (`比2022年`) off the right of `s`;
/// returns what is left.
fn peel_right(s: &str) -> (&str, Zone) {
    let mut zone = Zone::default();
    let mut rest = s.trim_end_matches(is_trim);
    loop {
        // A growth verb next to the number, or behind 保持/稳定在/达到 (`年均增速保持在7%左右`).
        let steady =
            zone.words.iter().all(|w| matches!(*w, "保持" | "保持在" | "稳定在" | "稳定" | "达到" | "力争" | "达"));
        if steady
            && zone.growth.is_none()
            && let Some(g) = GROWTH.iter().find(|g| rest.ends_with(**g))
        {
            zone.growth = Some(g);
            rest = &rest[..rest.len() - g.len()];
            continue;
        }
        if let Some(word) = ZONE.iter().find(|w| rest.ends_with(**w)) {
            // `均` and `为` only as whole words: not the end of 人均 / 作为.
            let keep = match *word {
                "均" => rest.ends_with("人均") || rest.ends_with("平均"),
                "双" => rest.ends_with("一双"),
                "为" => rest.ends_with("作为") || rest.ends_with("成为") || rest.ends_with("认为"),
                "要" => rest.ends_with("重要") || rest.ends_with("主要") || rest.ends_with("需要"),
                "达" => rest.ends_with("发达"),
                "过" => rest.ends_with("通过") || rest.ends_with("经过"),
                _ => false,
            };
            if !keep {
                zone.words.push(word);
                rest = rest[..rest.len() - word.len()].trim_end_matches(is_trim);
                continue;
            }
        }
        if let Some(r) = rest.strip_suffix("累计") {
            zone.cumulative = true;
            rest = r.trim_end_matches(is_trim);
            continue;
        }
        if let Some(r) = rest.strip_suffix("每年") {
            zone.annual = true;
            rest = r.trim_end_matches(is_trim);
            continue;
        }
        if let Some(m) = BASE_PHRASE.find(rest) {
            zone.base_phrase = true;
            rest = rest[..m.start()].trim_end_matches(is_trim);
            continue;
        }
        break;
    }
    (rest, zone)
}

/// Like [`peel_right`], also across a verb between a bound and the number: `至少新建` → the
/// bound 至少, and `新建`, which stays with the indicator.
fn peel_right_across_verb(s: &str) -> (String, Zone) {
    let (rest, zone) = peel_right(s);
    if zone.words.is_empty()
        && zone.growth.is_none()
        && let Some(verb) = VERBS.iter().chain(NEW).find(|v| rest.ends_with(**v))
    {
        let (before_verb, bound) = peel_right(&rest[..rest.len() - verb.len()]);
        if bound.words.iter().any(|w| LOWER_BOUNDS.contains(w) || UPPER_BOUNDS.contains(w)) {
            return (format!("{before_verb}{verb}"), bound);
        }
    }
    (rest.to_string(), zone)
}

/// Peels clause openers, year phrases and `每年`/`累计` off the left of `s`.
fn peel_left<'s>(s: &'s str, flags: &mut Flags) -> &'s str {
    let mut rest = s.trim_start_matches(is_trim);
    loop {
        if let Some(m) = YEAR_OPENER.find(rest) {
            rest = rest[m.end()..].trim_start_matches(is_trim);
            continue;
        }
        if let Some(r) = rest.strip_prefix("每年") {
            flags.annual = true;
            rest = r.trim_start_matches(is_trim);
            continue;
        }
        if let Some(r) = rest.strip_prefix("累计") {
            flags.cumulative = true;
            rest = r.trim_start_matches(is_trim);
            continue;
        }
        if let Some(o) = OPENERS.iter().chain(SCOPES).find(|o| rest.starts_with(**o) && rest.len() > o.len()) {
            flags.strive |= matches!(*o, "力争" | "争取");
            rest = rest[o.len()..].trim_start_matches(is_trim);
            continue;
        }
        break;
    }
    flags.strive |= rest.starts_with("争创");
    if NEW.iter().any(|n| rest.starts_with(n)) {
        flags.increment = true;
    }
    rest
}

/// Drops an opening verb (`建成国家级创新平台` → `国家级创新平台`) when something is left.
fn drop_verb(s: &str) -> &str {
    if NEW.iter().any(|n| s.starts_with(n)) {
        return s;
    }
    match VERBS.iter().find(|v| s.starts_with(**v)) {
        Some(v) if s.len() > v.len() => s[v.len()..].trim_start_matches(is_trim),
        Some(_) => "",
        None => s,
    }
}

/// The words after a number that name what is counted (`困难重残养护床位`).
fn clean_post(s: &str) -> String {
    let mut s = s.trim_matches(is_trim);
    for stop in ["的目标", "目标", "大关", "等", "左右", "以上", "规模"] {
        if s == stop {
            return String::new();
        }
    }
    s = s.strip_prefix('的').unwrap_or(s);
    s = s.strip_suffix("等").unwrap_or(s);
    // A long description ends with the thing itself: `…具有一定影响力的领军型县域冠军产业`.
    if s.chars().count() > 12
        && let Some(i) = last_de_outside_quotes(s)
        && s[i + '的'.len_utf8()..].chars().count() >= 3
    {
        s = &s[i + '的'.len_utf8()..];
    }
    s.trim_matches(is_trim).to_string()
}

pub(crate) fn last_de_outside_quotes(s: &str) -> Option<usize> {
    let mut depth = 0i32;
    let mut last = None;
    for (i, c) in s.char_indices() {
        match c {
            '“' | '(' | '《' => depth += 1,
            '”' | ')' | '》' => depth -= 1,
            '的' if depth <= 0 => last = Some(i),
            _ => {}
        }
    }
    last
}

/// What a quantity turned out to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Value,
    /// Part of an indicator's name; plain text.
    Qualifier,
    /// Not a target and not worth a note (an ordinal, `一批`).
    Ignore,
    Rejected(&'static str),
}

/// The tail words after a unit: `以上`, `左右`, `以内`, `以下`.
fn tail(text: &str, at: usize, limit: usize) -> (Option<&'static str>, usize) {
    let rest = slice(text, at..limit);
    for (word, as_word) in
        [("及以上", "以上"), ("以上", "以上"), ("左右", "左右"), ("以内", "以内"), ("以下", "以内"), ("上下", "左右")]
    {
        if rest.starts_with(word) {
            return (Some(as_word), at + word.len());
        }
    }
    (None, at)
}

fn classify(text: &str, clause: &Range<usize>, quantities: &[Quantity], i: usize) -> Role {
    let q = &quantities[i];
    let later = quantities.get(i + 1);
    let (_, after_tail) = tail(text, q.end, clause.end);
    let next = char_at(text, after_tail).filter(|_| after_tail < clause.end);
    // The words just before the number (a window, so that a huge clause stays linear).
    let before = slice(text, window_start(text, clause.start, q.start, 120)..q.start);
    if slice(text, q.end..clause.end).starts_with('级') {
        return Role::Qualifier; // 千亿级, 100亿元级
    }
    if before.ends_with('第') || inside_quotes(before) {
        return Role::Ignore; // 第三届; a name: “四个百分百全覆盖”, “1136”
    }
    // 在10个设区市和杨凌示范区各建设…1处: a count of places is part of the indicator.
    if before.ends_with('在') && !ZONE.iter().any(|w| w.ends_with('在') && before.ends_with(w)) {
        return Role::Qualifier;
    }
    if q.chinese && !q.implied && q.value_max.is_none() {
        let (_, zone) = peel_right_across_verb(before);
        let bounded = zone.words.iter().any(|w| LOWER_BOUNDS.contains(w));
        // 一批, 一个: vague, whatever comes before; but 至少一个 is one.
        if q.base == "批" || (q.value == 1.0 && !bounded) {
            return Role::Ignore;
        }
        // 两个, 四张清单: Chinese numerals count only right after a comparator.
        let after_comparator = !zone.words.is_empty() || zone.growth.is_some();
        if !after_comparator {
            return Role::Ignore;
        }
    }
    // 年营业收入超1000亿元的2个: an amount that describes what the next number counts. A share
    // before its noun is a value (`70%的城市达到…标准、40%的镇达到…`).
    let shares_out = |next_q: &Quantity| q.is_rate() && separated(slice(text, after_tail..next_q.start));
    if next == Some('的') && later.is_some_and(|n| !shares_out(n)) {
        return Role::Qualifier;
    }
    let closing_word = ["大关", "目标", "规模", "水平", "左右", "人民币"]
        .iter()
        .any(|w| slice(text, after_tail..clause.end).starts_with(w));
    if q.is_money()
        && !closing_word
        && next.is_some_and(|c| is_han(c) && !matches!(c, '以' | '左' | '等' | '和' | '及' | '与' | '的'))
    {
        return Role::Qualifier; // 投资额10亿元以上先进制造业项目, 产值超百亿元企业
    }
    let after = slice(text, after_tail..clause.end);
    let counts_plan_frame = !q.is_money() && !q.is_rate() && PLAN_FRAME.iter().any(|s| after.starts_with(s));
    if counts_plan_frame || STRUCTURAL.iter().any(|s| after.starts_with(s)) {
        return Role::Rejected("结构性数字(方案的组成部分)");
    }
    if before.contains('把') {
        return Role::Rejected("结构性数字(“把…”句式)");
    }
    if before.ends_with('等') {
        let mut flags = Flags::default();
        let opening = peel_left(before, &mut flags);
        let head: String = opening.chars().take(6).collect();
        if !COMMIT.iter().any(|v| head.contains(v)) && !flags.increment {
            return Role::Rejected("列举的计数(非目标)");
        }
    }
    Role::Value
}

/// Whether the end of `before` is inside quotation marks (`“四个百分百`): a name, not a value.
fn inside_quotes(before: &str) -> bool {
    before.matches('“').count() > before.matches('”').count()
}

/// Whether `s` holds an enumeration separator outside brackets and quotes.
fn separated(s: &str) -> bool {
    let mut depth = 0i32;
    s.chars().any(|c| {
        match c {
            '(' | '“' | '《' => depth += 1,
            ')' | '”' | '》' => depth -= 1,
            _ => {}
        }
        depth <= 0 && matches!(c, '、' | ';')
    })
}

/// Where a window of at most `max` bytes ending at `end` starts, at a character boundary and
/// not before `start`.
fn window_start(text: &str, start: usize, end: usize, max: usize) -> usize {
    let mut at = end.saturating_sub(max).max(start);
    while at < end && !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

/// Notes a rejection once per clause and reason.
fn reject(rejected: &mut Vec<Rejected>, r: Rejected) {
    if !rejected.iter().rev().take(8).any(|x| x.source == r.source && x.reason == r.reason) {
        rejected.push(r);
    }
}

/// The precedence of comparator words when a clause has several: 稳定在/保持 > 左右 > 以内 >
/// 以上/不少于/超过/突破 > 力争 > 达到.
fn comparator(zone: &[&'static str], tail: Option<&'static str>, approximate: bool) -> &'static str {
    let has = |w: &str| zone.contains(&w);
    if has("稳定在") || has("稳定") {
        return "稳定在";
    }
    if has("保持") || has("保持在") {
        return "保持";
    }
    match tail {
        Some("左右") => return "左右",
        Some("以内") => return "以内",
        _ => {}
    }
    if UPPER_BOUNDS.iter().any(|w| has(w)) {
        return "以内";
    }
    if tail == Some("以上") || approximate {
        return "以上";
    }
    if LOWER_BOUNDS.iter().any(|w| has(w)) {
        return "不少于";
    }
    if has("超过") || has("超") || has("过") || has("要过") || has("力争超过") {
        return "超过";
    }
    if has("突破") || has("力争突破") {
        return "突破";
    }
    if has("力争") || has("争取") || has("力争达到") {
        return "力争";
    }
    "达到"
}

/// One value with the text around it.
struct Item<'a> {
    q: &'a Quantity,
    pre: Range<usize>,
    post: Range<usize>,
    tail_word: Option<&'static str>,
    end: usize,
}

/// Splits the text between two values at the first separator: the part before belongs to
/// the first value (`新增400个公共充电桩、`), the part after to the second (`、省级新型研发机构40个`).
fn split_gap(text: &str, gap: Range<usize>) -> (Range<usize>, Range<usize>) {
    let s = slice(text, gap.clone());
    let mut at = 0;
    // Separators inside brackets belong to a name (`城市(县城、镇)`).
    let mut depth = 0i32;
    while let Some(c) = s.get(at..).and_then(|rest| rest.chars().next()) {
        let rest = &s[at..];
        match c {
            '(' | '“' | '《' => depth += 1,
            ')' | '”' | '》' => depth -= 1,
            _ => {}
        }
        if depth <= 0
            && let Some(sep) = ["以及", "、", "和", "及", "与", ",", ";"].iter().find(|sep| rest.starts_with(**sep))
        {
            return (gap.start..gap.start + at, gap.start + at + sep.len()..gap.end);
        }
        at += c.len_utf8();
    }
    // No separator: the words name the next value (`…企业达到25家,5亿元以上企业达到3家`).
    (gap.start..gap.start, gap)
}

/// Analyses one clause of a sentence.
pub(crate) fn clause(
    text: &str,
    clause: Range<usize>,
    period_total: bool,
    state: &mut SentenceState,
    out: &mut Vec<Candidate>,
    rejected: &mut Vec<Rejected>,
) {
    let clause = trim_range(text, clause, is_trim);
    if clause.is_empty() {
        return;
    }
    let clause_text = slice(text, clause.clone());
    let quantities = number::scan(text, clause.clone());
    if quantities.is_empty() {
        state.topic = topic_of(clause_text);
        return;
    }
    let roles: Vec<Role> = (0..quantities.len()).map(|i| classify(text, &clause, &quantities, i)).collect();
    let background = reports_a_fact(clause_text);
    let mut values = Vec::new();
    for (q, role) in quantities.iter().zip(&roles) {
        match role {
            Role::Value if background => {
                reject(rejected, Rejected { source: clause.clone(), reason: "背景数据(非目标)" });
            }
            Role::Value => values.push(q),
            Role::Rejected(reason) => reject(rejected, Rejected { source: clause.clone(), reason }),
            Role::Qualifier | Role::Ignore => {}
        }
    }
    if values.is_empty() {
        return;
    }
    // Where qualifiers end: comparator words are looked for after them only.
    let qualifiers: Vec<(usize, usize)> = quantities
        .iter()
        .zip(&roles)
        .filter(|(_, r)| **r == Role::Qualifier)
        .map(|(q, _)| (q.end, tail(text, q.end, clause.end).1))
        .collect();
    let qualifier_end = |limit: usize| {
        let n = qualifiers.partition_point(|(end, _)| *end <= limit);
        n.checked_sub(1).and_then(|last| qualifiers.get(last)).map(|(_, tail_end)| *tail_end)
    };

    // The words around every value.
    let mut items: Vec<Item> = Vec::new();
    for (i, q) in values.iter().enumerate() {
        let (tail_word, end) = tail(text, q.end, clause.end);
        let pre_start = match items.last() {
            None => clause.start,
            Some(prev) => {
                let (post, pre) = split_gap(text, prev.end..q.start);
                if let Some(prev) = items.last_mut() {
                    prev.post = post;
                }
                pre.start
            }
        };
        let post = if i + 1 == values.len() { end..clause.end } else { end..end };
        items.push(Item { q, pre: pre_start..q.start, post, tail_word, end });
    }

    let mut flags = Flags::default();
    let mut clause_flags = Flags::default();
    let clause_opening = peel_left(slice(text, clause.clone()), &mut clause_flags);
    let opens_with_verb = VERBS.iter().chain(NEW).any(|v| clause_opening.starts_with(v));
    let mut previous_zone: Vec<&'static str> = Vec::new();
    let mut shared: Option<(Vec<String>, usize)> = None;
    let first_new = out.len();
    for (i, item) in items.iter().enumerate() {
        let q = item.q;
        let pre_range = item.pre.clone();
        let pre_text = slice(text, pre_range.clone());
        let (rest, mut zone) = peel_right_across_verb(pre_text);
        // Comparator words count only after the last qualifier (`产值超百亿元企业达到20户`).
        if let Some(qe) = qualifier_end(item.pre.end)
            && qe > pre_range.start
        {
            let (_, z) = peel_right(slice(text, qe..item.pre.end));
            zone.words = z.words;
        }
        let mut item_flags = Flags::default();
        let rest = peel_left(after_last_year(&rest), &mut item_flags);
        let pre_empty = rest.trim_matches(is_trim).is_empty();
        if i > 0 && pre_empty && zone.words.is_empty() {
            zone.words = previous_zone.clone();
        }
        previous_zone = zone.words.clone();

        let distributive = zone.words.iter().any(|w| matches!(*w, "均" | "均为" | "双"));
        let separately = zone.words.contains(&"分别") || zone.words.contains(&"分别达到");
        let post = clean_post(slice(text, item.post.clone()));
        let pre = drop_verb(rest.trim_matches(is_trim)).trim_matches(is_trim);
        let pre = pre.strip_suffix('的').unwrap_or(pre);
        // `玉龙雪山、三江并流等10个世界级旅游景区`: the list names members, the words after the
        // number name the target.
        let pre = if pre.ends_with('等') && !post.is_empty() { "" } else { pre };

        // 国家级、省级企业技术中心分别达到5家、80家: one name per value.
        if separately && i == 0 {
            let names = split_names(pre);
            if names.len() > 1 {
                shared = Some((names, 0));
            }
        }
        let mut indicator = match &mut shared {
            Some((names, next)) if *next < names.len() && (i == 0 || pre.is_empty()) => {
                *next += 1;
                names[*next - 1].clone()
            }
            // 70%的城市达到…标准, 全省70%的城市…: a share of what the words after it name.
            _ if q.is_rate() && (pre.is_empty() || SCOPES.contains(&pre)) && !post.is_empty() => {
                format!("{post}比例")
            }
            _ => match (pre.is_empty(), post.is_empty()) {
                (false, false) => format!("{pre}{post}"),
                (false, true) => pre.to_string(),
                (true, false) => {
                    let verb = NEW.iter().find(|n| rest.starts_with(**n)).copied().unwrap_or_default();
                    format!("{verb}{post}")
                }
                (true, true) => String::new(),
            },
        };

        let mut review = Vec::new();
        let subject = state.subject.clone();
        if indicator.starts_with('占') {
            if let Some(subject) = &subject {
                indicator = format!("{subject}{indicator}");
            }
        } else if indicator.is_empty() {
            match (&subject, &state.topic) {
                (Some(subject), _) => indicator = subject.clone(),
                (None, Some(topic)) => {
                    indicator = topic.clone();
                    review.push("指标名称取自前一分句,请核对".to_string());
                }
                (None, None) => {
                    indicator = clause_text.chars().take(30).collect();
                    review.push("指标名称未能识别,取原句".to_string());
                }
            }
        }
        let base_subject = indicator.split('占').next().unwrap_or_default().to_string();
        if !base_subject.is_empty() {
            state.subject = Some(base_subject);
        }
        if let Some(growth) = zone.growth {
            indicator.push_str(growth);
        }

        // Flags: this item's, the clause's, or — for a bare `名词+数字` clause — the sentence's.
        flags.annual |= item_flags.annual || clause_flags.annual || zone.annual;
        flags.cumulative |= item_flags.cumulative || clause_flags.cumulative || zone.cumulative;
        flags.increment |= item_flags.increment || clause_flags.increment;
        let inherits = i == 0 && !opens_with_verb && zone.words.is_empty() && zone.growth.is_none();
        if inherits || clause_text.starts_with("其中") {
            flags.annual |= state.flags.annual;
            flags.cumulative |= state.flags.cumulative;
            flags.increment |= state.flags.increment;
        }

        let mut comparator = comparator(&zone.words, item.tail_word, q.approximate);
        if comparator == "达到" && (item_flags.strive || (i == 0 && clause_flags.strive)) {
            comparator = "力争";
        }
        let (kind, direction) = kind_of(q, &zone, comparator, flags, period_total && i == 0);
        if comparator == "力争" {
            review.push("原文为“力争”".to_string());
        }
        if zone.base_phrase && kind != TargetKind::Growth && kind != TargetKind::Increment {
            review.push("相对基期的目标(“比…”),请核对口径".to_string());
        }
        let names = if distributive { split_names(&indicator_without_growth(&indicator, zone.growth)) } else { vec![] };
        // The clause up to the value; in a long enumeration, the item alone; for a long list of
        // names sharing the value, its last words (every name quotes it).
        let end = item.post.end.max(item.end);
        let source = if end - clause.start <= 300 {
            clause.start..end
        } else if names.len() > 1 {
            window_start(text, item.pre.start, q.start, 300)..end
        } else {
            item.pre.start..end
        };
        let growth = zone.growth.unwrap_or_default();
        let indicators =
            if names.len() > 1 { names.into_iter().map(|n| format!("{n}{growth}")).collect() } else { vec![indicator] };
        // `接待旅游人次7300万`: the unit is 万人次.
        let unit = if q.base.is_empty() && matches!(q.magnitude, "万" | "亿") && pre.ends_with("人次") {
            format!("{}人次", q.magnitude)
        } else {
            q.unit()
        };
        for indicator in indicators {
            out.push(Candidate {
                indicator,
                position: q.start,
                value: Some(q.value),
                value_max: q.value_max,
                unit: Some(unit.clone()),
                comparator,
                kind,
                direction,
                source: source.clone(),
                measures: Vec::new(),
                review: review.clone(),
            });
        }
    }
    if out.len() > first_new {
        state.flags = flags;
    }
}

/// What a clause without a number is about: the words after its last `对` or `等` (`要加快对
/// 风能、太阳能、生物质能等可再生能源开发利用规模` → `可再生能源开发利用规模`).
fn topic_of(clause: &str) -> Option<String> {
    let at = clause.rfind(['对', '等'])?;
    let topic = clause[at..].chars().skip(1).collect::<String>();
    let topic = topic.trim_matches(is_trim);
    (2..=20).contains(&topic.chars().count()).then(|| topic.to_string())
}

fn indicator_without_growth(indicator: &str, growth: Option<&str>) -> String {
    match growth {
        Some(g) => indicator.strip_suffix(g).unwrap_or(indicator).to_string(),
        None => indicator.to_string(),
    }
}

/// `国家级、省级企业技术中心` → `国家级企业技术中心`, `省级企业技术中心`: names listed with `、`
/// (or `和`/`与`/`及`), a leading `国家级`-like part taking the head noun of the last, and a
/// leading entity taking what the last says of its own entity (`规上工业企业和重点园区数字化改造
/// 覆盖率` → `规上工业企业数字化改造覆盖率`, `重点园区数字化改造覆盖率`).
fn split_names(s: &str) -> Vec<String> {
    let parts: Vec<&str> = s
        .split("以及")
        .flat_map(|p| p.split(['、', '和', '与', '及']))
        .map(|p| p.trim_matches(is_trim))
        .filter(|p| !p.is_empty())
        .collect();
    let Some((last, leading)) = parts.split_last().filter(|_| parts.len() >= 2) else {
        return parts.into_iter().map(str::to_string).collect();
    };
    let head = last.split_once('级').map(|(_, h)| h).filter(|h| !h.is_empty());
    let measure = measure_after_entity(last);
    leading
        .iter()
        .map(|p| match (head, measure) {
            (Some(head), _) if p.ends_with('级') => format!("{p}{head}"),
            (_, Some(measure)) if ENTITIES.iter().any(|e| p.ends_with(e)) => format!("{p}{measure}"),
            _ => p.to_string(),
        })
        .chain(std::iter::once(last.to_string()))
        .collect()
}

/// Nouns that name who or where a measure is taken (`企业`, `园区`, `农村` …).
const ENTITIES: &[&str] = &[
    "企业", "园区", "城市", "城区", "城镇", "县城", "乡镇", "农村", "村庄", "社区", "学校", "医院", "机构", "单位",
    "行业", "地区", "街道",
];

/// What a name says after its first entity: `重点园区数字化改造覆盖率` → `数字化改造覆盖率`.
fn measure_after_entity(name: &str) -> Option<&str> {
    let (at, entity) = name.char_indices().find_map(|(i, _)| {
        ENTITIES.iter().filter(|e| name[i..].starts_with(**e)).max_by_key(|e| e.len()).map(|e| (i, e))
    })?;
    name.get(at + entity.len()..).filter(|measure| !measure.is_empty())
}

fn kind_of(
    q: &Quantity,
    zone: &Zone,
    comparator: &'static str,
    flags: Flags,
    period_total: bool,
) -> (TargetKind, Direction) {
    let down = comparator == "以内"
        || zone.words.iter().any(|w| UPPER_BOUNDS.contains(w) || matches!(*w, "降至" | "下降到" | "降低到" | "减少到"));
    let direction = if down { Direction::Down } else { Direction::Up };
    if zone.growth.is_some() {
        return if q.is_rate() { (TargetKind::Growth, Direction::Up) } else { (TargetKind::Increment, direction) };
    }
    let bounded = matches!(comparator, "以上" | "超过" | "不少于" | "突破" | "以内" | "稳定在" | "保持");
    if q.is_rate() && bounded {
        return (TargetKind::Threshold, direction);
    }
    if flags.annual {
        return (TargetKind::Annual, direction);
    }
    if flags.cumulative || (period_total && !q.is_rate()) {
        return (TargetKind::Cumulative, direction);
    }
    if flags.increment {
        return (TargetKind::Increment, direction);
    }
    (TargetKind::Level, direction)
}

/// Whether a clause holds a number next to a comparator word: worth a note when no target came
/// out of it.
/// Years (`力争到2025年`) are not numbers here.
pub(crate) fn looks_quantified(clause: &str) -> bool {
    let has_digit = YEAR_INSIDE.split(clause).any(|part| part.chars().any(|c| c.is_ascii_digit()));
    has_digit
        && ["达到", "超过", "突破", "以上", "不少于", "左右", "增长", "提高", "下降", "降低", "力争", "控制在"]
            .iter()
            .any(|w| clause.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn run(text: &str) -> Vec<Candidate> {
        let mut state = SentenceState::default();
        let mut out = Vec::new();
        let mut rejected = Vec::new();
        let mut start = 0;
        for (i, c) in text.char_indices().chain(std::iter::once((text.len(), ','))) {
            if c == ',' {
                clause(text, start..i, false, &mut state, &mut out, &mut rejected);
                start = i + c.len_utf8();
            }
        }
        out
    }

    fn summary(text: &str) -> Vec<(String, f64, String, &'static str, TargetKind)> {
        run(text)
            .into_iter()
            .map(|c| (c.indicator, c.value.unwrap_or(f64::NAN), c.unit.unwrap_or_default(), c.comparator, c.kind))
            .collect()
    }

    fn one(
        indicator: &str,
        value: f64,
        unit: &str,
        comparator: &'static str,
        kind: TargetKind,
    ) -> (String, f64, String, &'static str, TargetKind) {
        (indicator.to_string(), value, unit.to_string(), comparator, kind)
    }

    use TargetKind::*;

    #[test]
    fn indicator_before_the_number() {
        assert_eq!(summary("规上工业产值达到2.7万亿元"), vec![one("规上工业产值", 2.7, "万亿元", "达到", Level)]);
        assert_eq!(summary("带动全部工业增加值突破1万亿元"), vec![one("全部工业增加值", 1.0, "万亿元", "突破", Level)]);
        assert_eq!(
            summary("累计建成国家级创新平台9个、省级新型研发机构40个"),
            vec![
                one("国家级创新平台", 9.0, "个", "达到", Cumulative),
                one("省级新型研发机构", 40.0, "个", "达到", Cumulative)
            ]
        );
    }

    #[test]
    fn indicator_after_the_number() {
        assert_eq!(
            summary("新增400个公共(含专用)充电桩、10个共享充电桩示范小区"),
            vec![
                one("新增公共(含专用)充电桩", 400.0, "个", "达到", Increment),
                one("共享充电桩示范小区", 10.0, "个", "达到", Increment)
            ]
        );
        assert_eq!(
            summary("打造4个千亿级特色数字产业集聚区"),
            vec![one("千亿级特色数字产业集聚区", 4.0, "个", "达到", Level)]
        );
        assert_eq!(
            summary("推出不少于200场公益性文艺演出、400场阅读推广活动"),
            vec![
                one("公益性文艺演出", 200.0, "场", "不少于", Level),
                one("阅读推广活动", 400.0, "场", "不少于", Level)
            ]
        );
    }

    #[test]
    fn comparators_by_precedence() {
        assert_eq!(summary("规模以上工业企业力争突破2.8万家")[0].3, "突破");
        assert_eq!(summary("比重力争达到40%")[0].3, "力争");
        assert_eq!(summary("其中制造业占比稳定在30%以上")[0].3, "稳定在");
        assert_eq!(summary("比重达到15%左右")[0].3, "左右");
        assert_eq!(summary("要过1万亿元大关")[0].3, "超过");
        assert_eq!(summary("政务服务一网通办率保持90%以上")[0].3, "保持");
        assert_eq!(summary("城镇登记失业率控制在4.5%以内")[0].3, "以内");
        assert_eq!(summary("企业数量达到200家以上")[0].3, "以上");
    }

    #[test]
    fn kinds() {
        assert_eq!(summary("工业投资年均增长5%")[0], one("工业投资年均增长", 5.0, "%", "达到", Growth));
        assert_eq!(
            summary("地区生产总值年均增速保持在7%左右")[0],
            one("地区生产总值年均增速", 7.0, "%", "保持", Growth)
        );
        assert_eq!(summary("比重提高到15%")[0], one("比重", 15.0, "%", "达到", Level));
        assert_eq!(summary("每年培养卓越工程师100名")[0].4, Annual);
        assert_eq!(summary("城镇新增就业每年50万人以上")[0], one("城镇新增就业", 50.0, "万人", "以上", Annual));
        assert_eq!(summary("接待旅游人次7300万")[0], one("接待旅游人次", 7300.0, "万人次", "达到", Level));
        assert_eq!(summary("新增优质工业空间3000万平方米以上")[0].4, Increment);
        assert_eq!(summary("占地区生产总值比重达25%以上")[0].4, Threshold);
        assert_eq!(summary("生产性服务业增加值占服务业增加值比重达到65%")[0].4, Level);
        assert_eq!(
            summary("国际航运中心发展指数排名力争比2022年上升3位")[0],
            one("国际航运中心发展指数排名上升", 3.0, "位", "力争", Increment)
        );
    }

    #[test]
    fn subjects_carry_over_within_a_sentence() {
        let found = summary("工业增加值超过1.3万亿元,占地区生产总值比重达25%以上");
        assert_eq!(found[1].0, "工业增加值占地区生产总值比重");
        let found = summary("全市规模以上先进制造业总产值年均增长15%以上,到2022年超过6000亿元");
        assert_eq!(found[0].0, "规模以上先进制造业总产值年均增长");
        assert_eq!(found[1].0, "规模以上先进制造业总产值");
    }

    #[test]
    fn qualifiers_belong_to_the_indicator() {
        assert_eq!(
            summary("每年招引落地投资额10亿元以上先进制造业项目40个"),
            vec![one("招引落地投资额10亿元以上先进制造业项目", 40.0, "个", "达到", Annual)]
        );
        assert_eq!(summary("产值超百亿元企业达到20户"), vec![one("产值超百亿元企业", 20.0, "户", "达到", Level)]);
        assert_eq!(summary("年营业收入超1000亿元的2个")[0].1, 2.0);
        assert!(summary("实施产值规模5亿元以上工业企业研发机构全覆盖行动").is_empty());
        assert!(summary("打造金融等5个五千亿级服务产业").iter().all(|t| t.1 == 5.0));
    }

    #[test]
    fn enumerations_with_shared_words() {
        assert_eq!(
            summary("国家级、省级企业技术中心分别达到5家、80家以上"),
            vec![
                one("国家级企业技术中心", 5.0, "家", "达到", Level),
                one("省级企业技术中心", 80.0, "家", "以上", Level)
            ]
        );
        let both = summary("工业化学需氧量、氨氮排放量均削减10%以上");
        assert_eq!(both.len(), 2);
        assert_eq!(both[1].0, "氨氮排放量削减");
        assert_eq!(both[1].4, Growth);
    }

    #[test]
    fn structural_and_background_numbers_are_not_targets() {
        assert!(summary("出台了22条重点任务").is_empty());
        assert!(summary("包括五大方面23项具体内容").is_empty());
        assert!(summary("参加会议的237名人大代表").is_empty());
        assert!(summary("重点推进金融业、商务服务业等5个生产性服务业发展").is_empty());
        assert!(summary("把软件、集成电路3个产业打造为全国前列").is_empty());
        assert!(summary("打造“百项技术改造示范工程”").is_empty());
        assert_eq!(summary("分批次启动玉龙雪山、三江并流等10个世界级旅游景区").len(), 1);
    }

    #[test]
    fn counts_of_the_plan_frame_are_not_targets() {
        assert!(summary("即围绕建设“数字中国”领先城市1个总体目标").is_empty());
        assert!(summary("将“城市大脑”作为“数字合肥”建设的1个总抓手").is_empty());
        assert!(summary("围绕数字经济、数字政府、数字社会3条主线").is_empty());
        assert!(summary("部署10项任务").is_empty());
        // An amount before 目标 is a target.
        assert_eq!(summary("营业收入实现1000亿元目标"), vec![one("营业收入", 1000.0, "亿元", "达到", Level)]);
    }

    #[test]
    fn a_double_share_is_one_target_for_each_part() {
        let found = summary("规上工业企业和重点园区数字化改造覆盖率实现双100%");
        assert_eq!(
            found,
            vec![
                one("规上工业企业数字化改造覆盖率", 100.0, "%", "达到", Level),
                one("重点园区数字化改造覆盖率", 100.0, "%", "达到", Level)
            ]
        );
        let both = summary("城镇和农村居民人均可支配收入均增长8%");
        assert_eq!(both[0].0, "城镇居民人均可支配收入增长");
        assert_eq!(both[1].0, "农村居民人均可支配收入增长");
    }

    #[test]
    fn a_share_before_its_noun_is_a_share_of_what_follows() {
        let shares: Vec<(String, f64)> =
            summary("力争全省70%的城市(县城)达到江西省生态园林城市建设标准、40%的镇达到江西省生态园林镇建设标准")
                .into_iter()
                .map(|t| (t.0, t.1))
                .collect();
        assert_eq!(
            shares,
            vec![
                ("城市(县城)达到江西省生态园林城市建设标准比例".to_string(), 70.0),
                ("镇达到江西省生态园林镇建设标准比例".to_string(), 40.0)
            ]
        );
        assert_eq!(summary("80%以上行政村通光纤")[0].0, "行政村通光纤比例");
        // An amount before 的 still describes what the next number counts.
        assert_eq!(summary("年营业收入超1000亿元的2个")[0].1, 2.0);
    }

    #[test]
    fn numbers_and_bounds_in_words() {
        for (text, expected) in [
            ("全县安全饮用水百分百全覆盖", one("安全饮用水全覆盖", 100.0, "%", "达到", Level)),
            ("公共图书馆年流通人次大于等于400万", one("公共图书馆年流通人次", 400.0, "万人次", "不少于", Level)),
            ("重度及以上污染天数比率不超过1%", one("重度及以上污染天数比率", 1.0, "%", "以内", Threshold)),
            ("建成至少一个市级示范性托育服务中心", one("市级示范性托育服务中心", 1.0, "个", "不少于", Level)),
            ("至少新建一个区域性物流中心", one("新建区域性物流中心", 1.0, "个", "不少于", Increment)),
        ] {
            assert_eq!(summary(text), vec![expected], "{text}");
        }
        let range = run("打造2到3个苗木花卉交易市场");
        assert_eq!((range[0].value, range[0].value_max), (Some(2.0), Some(3.0)));
        // Without a comparator, counts in words stay vague (`打造两个中心`, `四张清单`).
        assert!(summary("扶持两个企业集团").is_empty());
    }

    #[test]
    fn names_places_and_facts_are_not_targets() {
        assert!(summary("该县提出“四个百分百全覆盖”扶贫举措").is_empty());
        assert_eq!(
            summary("在10个设区市和杨凌示范区各建设市级花木种质资源库1处"),
            vec![one("在10个设区市和杨凌示范区各建设市级花木种质资源库", 1.0, "处", "达到", Level)]
        );
        assert!(summary("1至4月完成投资2133万元").is_empty());
        assert!(summary("诏安是全省23个重点扶贫开发县之一").is_empty());
        assert!(summary("超额完成目标任务近8万人").is_empty());
    }

    #[test]
    fn a_rate_without_a_subject_takes_what_the_clause_before_is_about() {
        let found = summary("计划指出要加快对风能、太阳能等可再生能源开发利用规模,力争每年递增3%");
        assert_eq!(found, vec![one("可再生能源开发利用规模递增", 3.0, "%", "力争", Growth)]);
    }

    #[test]
    fn a_year_inside_the_words_before_a_number_starts_the_indicator() {
        assert_eq!(
            summary("绵阳明确服务业发展规划 2025年力争增加值达2600亿元"),
            vec![one("增加值", 2600.0, "亿元", "力争", Level)]
        );
        assert_eq!(summary("排名比2022年上升3位")[0].0, "排名上升");
        assert!(!looks_quantified("力争到2025年"));
        assert!(looks_quantified("力争达到2025家"));
    }
}
