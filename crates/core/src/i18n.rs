//! The message catalog: every sentence and label the system shows, in Chinese and English.
//!
//! Code elsewhere passes structured facts (a status, an [`Evaluation`]) and a [`Lang`]; the words
//! live here only.

use crate::eval::{Evaluation, Note, Status};
use crate::period::Period;
use crate::plan::{Comparator, Kind, Target};
use crate::registry::{ListKind, STAGES};
use crate::units::{self, Dimension};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "zh" | "zh-CN" | "cn" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

pub fn status_label(status: Status, lang: Lang) -> &'static str {
    match (lang, status) {
        (Lang::Zh, Status::Achieved) => "已达标",
        (Lang::Zh, Status::OnTrack) => "正常",
        (Lang::Zh, Status::NeedsAcceleration) => "关注",
        (Lang::Zh, Status::OffTrack) => "滞后",
        (Lang::Zh, Status::MovingAway) => "倒退",
        (Lang::Zh, Status::NoData) => "无数据",
        (Lang::En, Status::Achieved) => "achieved",
        (Lang::En, Status::OnTrack) => "on track",
        (Lang::En, Status::NeedsAcceleration) => "needs acceleration",
        (Lang::En, Status::OffTrack) => "off track",
        (Lang::En, Status::MovingAway) => "moving away",
        (Lang::En, Status::NoData) => "no data",
    }
}

pub fn kind_label(kind: Kind, lang: Lang) -> &'static str {
    match (lang, kind) {
        (Lang::Zh, Kind::Level) => "规模",
        (Lang::Zh, Kind::Cumulative) => "累计",
        (Lang::Zh, Kind::Increment) => "新增",
        (Lang::Zh, Kind::Annual) => "每年",
        (Lang::Zh, Kind::Threshold) => "达标线",
        (Lang::Zh, Kind::Zero) => "清零",
        (Lang::Zh, Kind::Stable) => "保持稳定",
        (Lang::Zh, Kind::Direction) => "提升方向",
        (Lang::Zh, Kind::Milestone) => "节点任务",
        (Lang::En, kind) => kind.code(),
    }
}

/// A period as a report writes it: 2026年5月, 2026年第2季度, 2026年.
pub fn period_label(period: Period, lang: Lang) -> String {
    match (lang, period) {
        (Lang::Zh, Period::Month { year, month }) => format!("{year}年{month}月"),
        (Lang::Zh, Period::Quarter { year, quarter }) => format!("{year}年第{quarter}季度"),
        (Lang::Zh, Period::Year(year)) => format!("{year}年"),
        (Lang::En, period) => period.to_string(),
    }
}

/// A number as a report prints it: counts whole, large amounts without decimals, small ones
/// with up to two or three, trailing zeros dropped.
pub fn number(value: f64, unit: &str) -> String {
    let is_count = units::unit(unit).is_some_and(|u| u.dimension == Dimension::Count);
    let magnitude = value.abs();
    let decimals = if is_count || magnitude >= 1000.0 {
        0
    } else if magnitude >= 100.0 {
        1
    } else if magnitude >= 1.0 {
        2
    } else {
        3
    };
    let text = format!("{value:.decimals$}");
    let text = if text.contains('.') { text.trim_end_matches('0').trim_end_matches('.').to_string() } else { text };
    if text == "-0" { "0".to_string() } else { text }
}

/// A value with its unit: "2.43万亿元", "118家", "65%". A milestone's state (the share done,
/// 1 = done) reads as a percentage.
pub fn quantity(value: f64, unit: &str) -> String {
    if unit == units::STATE {
        return percent(value);
    }
    format!("{}{unit}", number(value, unit))
}

/// A goal as the plan phrases it: "2.7万亿元", "98%以上", "突破1万亿元", "200个左右".
pub fn goal_phrase(comparator: Comparator, value: f64, unit: &str) -> String {
    let q = quantity(value, unit);
    match comparator {
        Comparator::AtLeast | Comparator::About | Comparator::AtMost => format!("{q}{}", comparator.word()),
        Comparator::NotLessThan | Comparator::Exceed | Comparator::Keep => format!("{}{q}", comparator.word()),
        Comparator::Reach | Comparator::Accomplish => q,
    }
}

/// A goal with its year, as tables print it: "2030年 160家", "160家 by 2030"; a goal without a
/// number is its year alone.
pub fn dated_goal(year: Option<i32>, value: Option<f64>, comparator: Comparator, unit: &str, lang: Lang) -> String {
    let phrase = value.map(|v| goal_phrase(comparator, v, unit));
    match (year, phrase, lang) {
        (Some(year), Some(phrase), Lang::Zh) => format!("{year}年 {phrase}"),
        (Some(year), Some(phrase), Lang::En) => format!("{phrase} by {year}"),
        (Some(year), None, Lang::Zh) => format!("{year}年"),
        (Some(year), None, Lang::En) => format!("by {year}"),
        (None, Some(phrase), _) => phrase,
        (None, None, _) => "—".to_string(),
    }
}

/// A list's name: 重点企业 / key enterprises.
pub fn list_label(list: ListKind, lang: Lang) -> &'static str {
    match (lang, list) {
        (Lang::Zh, list) => list.label_zh(),
        (Lang::En, ListKind::Enterprises) => "Key enterprises",
        (Lang::En, ListKind::Projects) => "Key projects",
        (Lang::En, ListKind::Parks) => "Key parks",
        (Lang::En, ListKind::Platforms) => "Key innovation platforms",
    }
}

/// A project's stage by its key (signed …): 签约, 落地, 开工, 投产.
pub fn stage_label(key: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => {
            STAGES.iter().find(|(k, _)| *k == key).map_or_else(|| key.to_string(), |(_, name)| name.to_string())
        }
        Lang::En => key.to_string(),
    }
}

/// How a counted target is counted from its list, in one sentence; `None` for a target that
/// is reported.
pub fn count_rule(target: &Target, baseline_year: i32, lang: Lang) -> Option<String> {
    let rule = target.count.as_ref()?;
    let list = rule.list_kind()?;
    let list_name = list_label(list, lang);
    // What counts ("国家级“制造业单项冠军”", "先进制造业项目") and the dated event that makes it count.
    let zh_levels = rule.level.join("或");
    let en_levels = if rule.level.is_empty() { String::new() } else { format!("{} ", rule.level.join(" or ")) };
    let (zh_what, en_what) = match list {
        ListKind::Enterprises => {
            let honour = rule.honour.as_deref().unwrap_or_default();
            (format!("{zh_levels}“{honour}”"), format!("the {en_levels}{honour} honour"))
        }
        ListKind::Platforms => {
            let kind = rule.kind.as_deref();
            (
                format!("{zh_levels}{}", kind.unwrap_or("创新平台")),
                format!("{en_levels}{}", kind.unwrap_or("innovation platforms")),
            )
        }
        ListKind::Parks => {
            let kind = rule.kind.as_deref();
            (format!("{zh_levels}{}", kind.unwrap_or("园区")), format!("{en_levels}{}", kind.unwrap_or("parks")))
        }
        ListKind::Projects => {
            let category = rule.category.as_deref().unwrap_or_default();
            match rule.min_investment {
                Some(min) => (
                    format!("总投资{}亿元以上的{category}项目", number(min, "亿元")),
                    format!("{category} projects of {} 亿元 or more", number(min, "亿元")),
                ),
                None => (format!("{category}项目"), format!("{category} projects")),
            }
        }
    };
    let stage = rule.stage.as_deref().unwrap_or("landed");
    let (zh_event, en_event) = match list {
        ListKind::Enterprises => ("获得".to_string(), "granted"),
        ListKind::Platforms => ("认定".to_string(), "recognised"),
        ListKind::Parks if rule.sum.is_some() => ("改造提升".to_string(), "renovated"),
        ListKind::Parks => ("设立".to_string(), "established"),
        ListKind::Projects => (stage_label(stage, Lang::Zh), stage),
    };
    let (zh_measure, en_measure) = match rule.sum {
        Some(_) => (format!("面积之和(亩,折算为{})", target.unit), format!("total area (亩, in {})", target.unit)),
        None => ("数量".to_string(), "number".to_string()),
    };
    let zh_subject = match list {
        ListKind::Enterprises => format!("{zh_event}{zh_what}的企业"),
        _ => format!("{zh_event}的{zh_what}"),
    };
    let en_subject = match list {
        ListKind::Enterprises => format!("enterprises {en_event} {en_what}"),
        _ => format!("{en_what} {en_event}"),
    };
    // Honours and platforms can be revoked: a stock counts what is held at the period's end.
    let revocable = matches!(list, ListKind::Enterprises | ListKind::Platforms);
    let sentence = match (target.kind, lang) {
        (Kind::Increment, Lang::Zh) => format!("{baseline_year}年末以后新{zh_subject}{zh_measure}"),
        (Kind::Increment, Lang::En) => format!("the {en_measure} of {en_subject} after the end of {baseline_year}"),
        (Kind::Annual, Lang::Zh) => format!("当年{zh_subject}{zh_measure},每年重新计数"),
        (Kind::Annual, Lang::En) => format!("the {en_measure} of {en_subject} within the year"),
        (_, Lang::Zh) if revocable => format!("期末仍有效的已{zh_subject}{zh_measure},撤销后不再计入"),
        (_, Lang::En) if revocable => {
            format!("the {en_measure} of {en_subject} and not revoked at the end of the period")
        }
        (_, Lang::Zh) => format!("截至期末已{zh_subject}{zh_measure}"),
        (_, Lang::En) => format!("the {en_measure} of {en_subject} by the end of the period"),
    };
    Some(match lang {
        Lang::Zh => format!("按{list_name}清单计算:{sentence}。"),
        Lang::En => format!("Counted from the list of {}: {sentence}.", list_name.to_lowercase()),
    })
}

/// A fraction as a percentage with one decimal: 0.738 → "73.8%".
pub fn percent(fraction: f64) -> String {
    format!("{:.1}%", fraction * 100.0)
}

fn points(pp: f64) -> String {
    format!("{:.1}", pp.abs())
}

/// The one-sentence explanation of an evaluation, ready to paste into a report.
pub fn explain(target: &Target, eval: &Evaluation, lang: Lang) -> String {
    if target.kind == Kind::Direction && !eval.moves.is_empty() {
        return explain_direction(target, eval, lang);
    }
    let mut s = Sentence::new(lang);
    let Some(value) = eval.value else {
        return match (lang, target.kind, eval.value_period) {
            (Lang::Zh, Kind::Direction, Some(_)) => "仅有一年数据,尚无法与上年比较。".to_string(),
            (Lang::En, Kind::Direction, Some(_)) => {
                "Only one year of data: no comparison with the previous year yet.".to_string()
            }
            (Lang::Zh, ..) => format!("截至{}暂无数据。", period_label(eval.period, lang)),
            (Lang::En, ..) => format!("No data as of {}.", eval.period),
        };
    };
    if eval.notes.contains(&Note::NoGoal) {
        s.clause(
            format!("{}为{}", when(eval, lang), quantity(value, &target.unit)),
            format!("{} value: {}", when(eval, lang), quantity(value, &target.unit)),
        );
        s.clause(
            "该单位尚未分解目标且缺少基期值,暂不评价",
            "no goal has been set for this unit and its baseline is unknown, so it is not assessed",
        );
        return s.finish();
    }
    match target.kind {
        Kind::Level | Kind::Cumulative | Kind::Increment | Kind::Zero => explain_path(target, eval, value, &mut s),
        Kind::Annual => explain_annual(target, eval, value, &mut s),
        Kind::Threshold => explain_threshold(target, eval, value, &mut s),
        Kind::Stable => explain_stable(target, eval, value, &mut s),
        Kind::Milestone => explain_milestone(eval, value, &mut s),
        // A direction target has no single value; its moves are explained above.
        Kind::Direction => {}
    }
    s.finish()
}

fn explain_direction(target: &Target, eval: &Evaluation, lang: Lang) -> String {
    let mut s = Sentence::new(lang);
    for (key, improved) in &eval.moves {
        let name =
            target.measures.iter().find(|m| &m.key == key).map_or(target.indicator.as_str(), |m| m.name.as_str());
        s.clause(
            format!("{name}较上年{}", if *improved { "改善" } else { "未改善" }),
            format!("{name} {} on the previous year", if *improved { "improved" } else { "did not improve" }),
        );
    }
    let missing = target.measures.len().saturating_sub(eval.moves.len());
    if missing > 0 {
        s.clause(format!("另有{missing}项暂无可比数据"), format!("{missing} more without comparable data"));
    }
    match eval.status {
        Status::Achieved => s.clause("实现同步提升", "all improved as required"),
        Status::MovingAway => s.clause("均未改善", "none improved"),
        _ => s.clause("尚未全部改善", "not all improved yet"),
    }
    s.finish()
}

fn when(eval: &Evaluation, lang: Lang) -> String {
    eval.value_period.map_or_else(String::new, |p| period_label(p, lang))
}

fn explain_path(target: &Target, eval: &Evaluation, value: f64, s: &mut Sentence) {
    let unit = target.unit.as_str();
    let v = quantity(value, unit);
    let lang = s.lang;
    match target.kind {
        Kind::Cumulative => s.clause(format!("累计完成{v}"), format!("{v} in total")),
        Kind::Increment => s.clause(format!("累计新增{v}"), format!("{v} added since the baseline")),
        Kind::Zero => {
            s.clause(format!("{}尚余{v}", when(eval, lang)), format!("{v} outstanding at {}", when(eval, lang)))
        }
        _ => s.clause(format!("{}为{v}", when(eval, lang)), format!("{} value {v}", when(eval, lang))),
    }
    if let Some(c) = eval.completion
        && target.kind != Kind::Zero
    {
        s.clause(format!("完成率{}", percent(c)), format!("{} of the target", percent(c)));
    }
    if eval.notes.contains(&Note::BaselineUnknown) {
        s.clause("基期值未知,按目标值计算", "baseline unknown, measured against the target alone");
    }
    if eval.notes.contains(&Note::FirstObservationAsReference) {
        s.clause("基期值未知,以首次报送值为起点", "baseline unknown, measured from the first reported value");
    }
    let (year, goal) = (eval.target_year.unwrap_or_default(), quantity(eval.target_value.unwrap_or_default(), unit));
    if eval.status == Status::Achieved {
        s.clause(format!("已达到{year}年目标{goal}"), format!("the {year} target of {goal} is met"));
        return;
    }
    if eval.notes.contains(&Note::PastDue) {
        s.clause(
            format!("已过{year}年目标期限,未达到目标{goal}"),
            format!("past the {year} deadline without reaching {goal}"),
        );
        return;
    }
    lag_clause(eval, s);
    s.pause();
    match (eval.projected, eval.actual_cagr) {
        (Some(projected), _) if target.kind == Kind::Increment => {
            let p = quantity(projected, unit);
            s.clause(
                format!("按目前进度推算,{year}年可新增{p}"),
                format!("at the pace so far, {p} would be added by {year}"),
            );
        }
        (Some(projected), Some(g)) => {
            let since = eval.cagr_since.unwrap_or_default();
            let p = quantity(projected, unit);
            let (zh_growth, en_growth) = growth_words(g);
            s.clause(
                format!("按{since}年以来年均{zh_growth}推算,{year}年可达{p}"),
                format!("at the {en_growth} a year since {since}, it would reach {p} by {year}"),
            );
        }
        _ if eval.notes.contains(&Note::TooFewPoints) => {
            s.clause("数据点不足,无法推算年均增长", "too few data points to compute a growth rate");
        }
        _ => {}
    }
    verdict(eval, s);
    if let Some(required) = eval.required_cagr
        && matches!(eval.status, Status::NeedsAcceleration | Status::OffTrack | Status::MovingAway)
    {
        let (zh_growth, en_growth) = growth_words(required);
        s.clause(format!("今后需年均{zh_growth}"), format!("it now needs {en_growth} a year"));
    }
}

/// "增长 10.6%" / "下降 3.1%".
fn growth_words(rate: f64) -> (String, String) {
    if rate >= 0.0 {
        (format!("增长{}", percent(rate)), format!("growth of {}", percent(rate)))
    } else {
        (format!("下降{}", percent(-rate)), format!("decline of {}", percent(-rate)))
    }
}

fn lag_clause(eval: &Evaluation, s: &mut Sentence) {
    let Some(lag) = eval.lag_pp else { return };
    if lag.abs() < 0.05 {
        s.clause("与序时进度持平", "in line with the expected pace");
    } else if lag < 0.0 {
        s.clause(
            format!("落后序时进度{}个百分点", points(lag)),
            format!("{} pp behind the expected pace", points(lag)),
        );
    } else {
        s.clause(
            format!("快于序时进度{}个百分点", points(lag)),
            format!("{} pp ahead of the expected pace", points(lag)),
        );
    }
}

fn verdict(eval: &Evaluation, s: &mut Sentence) {
    let with_projection = eval.projection_ratio.is_some();
    match (eval.status, with_projection) {
        (Status::OnTrack, true) => s.clause("可完成目标", "the target is within reach"),
        (Status::OnTrack, false) => s.clause("进度正常", "progress is on schedule"),
        (Status::NeedsAcceleration, true) => {
            let r = eval.projection_ratio.unwrap_or_default();
            s.clause(
                format!("预计完成目标差距的{},需加快进度", percent(r)),
                format!("projected to close {} of the gap; needs to accelerate", percent(r)),
            )
        }
        (Status::NeedsAcceleration, false) => s.clause("需加快进度", "needs to accelerate"),
        (Status::OffTrack, _) => s.clause("难以按期完成目标", "unlikely to meet the target on time"),
        (Status::MovingAway, _) => s.clause("与目标方向相反", "moving away from the target"),
        (Status::Achieved | Status::NoData, _) => {}
    }
}

fn explain_annual(target: &Target, eval: &Evaluation, value: f64, s: &mut Sentence) {
    let unit = target.unit.as_str();
    let v = quantity(value, unit);
    let goal = quantity(eval.target_value.unwrap_or_default(), unit);
    let year = eval.target_year.unwrap_or_default();
    let months = eval.value_period.map_or(12, |p| p.months_elapsed());
    if months == 12 {
        s.clause(format!("{year}年全年{v}"), format!("{v} in {year}"));
    } else {
        s.clause(format!("{year}年1—{months}月累计{v}"), format!("{v} in {year} up to month {months}"));
    }
    if let Some(c) = eval.completion {
        s.clause(
            format!("完成年度目标{goal}的{}", percent(c)),
            format!("{} of the annual target of {goal}", percent(c)),
        );
    }
    match eval.status {
        Status::Achieved => s.clause("已完成年度目标", "the annual target is met"),
        Status::OffTrack if months == 12 => s.clause("未完成年度目标", "the annual target was missed"),
        _ => {
            lag_clause(eval, s);
            verdict(eval, s);
        }
    }
    let missed: Vec<String> =
        eval.years_met.iter().filter(|(y, met)| !met && *y != year).map(|(y, _)| y.to_string()).collect();
    if !missed.is_empty() {
        s.pause();
        s.clause(format!("{}年未完成年度目标", missed.join("、")), format!("missed in {}", missed.join(", ")));
    }
}

fn explain_threshold(target: &Target, eval: &Evaluation, value: f64, s: &mut Sentence) {
    let unit = target.unit.as_str();
    let lang = s.lang;
    s.clause(
        format!("{}为{}", when(eval, lang), quantity(value, unit)),
        format!("{} value {}", when(eval, lang), quantity(value, unit)),
    );
    let goal = quantity(eval.target_value.unwrap_or_default(), unit);
    let margin_unit = if unit == "%" { "个百分点" } else { unit };
    let margin = eval.lag_pp.unwrap_or_default();
    let m = format!("{}{margin_unit}", number(margin.abs(), margin_unit));
    let m_en = format!("{} {}", number(margin.abs(), margin_unit), if unit == "%" { "pp" } else { unit });
    if eval.status == Status::Achieved {
        s.clause(format!("达到{goal}的目标要求"), format!("meets the requirement of {goal}"));
        if margin > 0.0 {
            s.clause(format!("高出{m}"), format!("{m_en} above it"));
        }
        return;
    }
    s.clause(format!("距目标{goal}还差{m}"), format!("{m_en} short of {goal}"));
    match eval.status {
        Status::MovingAway => s.clause("且较上期回落", "and lower than the previous period"),
        Status::NeedsAcceleration => s.clause("接近目标,需加快提升", "close; needs to improve"),
        _ => s.clause("差距较大", "a wide gap"),
    }
}

fn explain_stable(target: &Target, eval: &Evaluation, value: f64, s: &mut Sentence) {
    let unit = target.unit.as_str();
    let lang = s.lang;
    s.clause(
        format!("{}为{}", when(eval, lang), quantity(value, unit)),
        format!("{} value {}", when(eval, lang), quantity(value, unit)),
    );
    let Some(reference) = eval.target_value else {
        s.clause("首次报送,作为比较起点", "first report, taken as the reference");
        return;
    };
    let r = quantity(reference, unit);
    if eval.notes.contains(&Note::FirstObservationAsReference) {
        s.clause(
            format!("基期值未知,以首次报送值{r}为参照"),
            format!("baseline unknown; compared with the first reported value {r}"),
        );
    } else {
        s.clause(format!("基期值{r}"), format!("baseline {r}"));
    }
    match eval.status {
        Status::Achieved => s.clause("保持稳定", "stable"),
        Status::NeedsAcceleration => s.clause("略有下降,需关注", "slightly down; watch"),
        _ => s.clause("明显下降,未能保持稳定", "clearly down; not stable"),
    }
}

fn explain_milestone(eval: &Evaluation, value: f64, s: &mut Sentence) {
    if value >= 1.0 {
        s.clause("已完成", "done");
        return;
    }
    s.clause(format!("完成进度{}", percent(value.clamp(0.0, 1.0))), format!("{} done", percent(value.clamp(0.0, 1.0))));
    if let Some(due) = eval.target_year {
        if eval.notes.contains(&Note::PastDue) {
            s.clause(format!("已超过{due}年完成期限"), format!("past the {due} deadline"));
            return;
        }
        s.clause(format!("计划{due}年完成"), format!("due in {due}"));
    }
    lag_clause(eval, s);
    verdict(eval, s);
}

/// Builds a sentence from clauses: "甲,乙;丙。" in Chinese, "A, b; c." in English.
struct Sentence {
    lang: Lang,
    text: String,
    /// The separator before the next clause: a comma, or a semicolon after [`Sentence::pause`].
    next: &'static str,
}

impl Sentence {
    fn new(lang: Lang) -> Self {
        Sentence { lang, text: String::new(), next: "" }
    }

    fn clause(&mut self, zh: impl AsRef<str>, en: impl AsRef<str>) {
        let words = match self.lang {
            Lang::Zh => zh.as_ref(),
            Lang::En => en.as_ref(),
        };
        if self.text.is_empty() {
            self.text.push_str(words);
        } else {
            self.text.push_str(self.next);
            self.text.push_str(words);
        }
        self.next = match self.lang {
            Lang::Zh => ",",
            Lang::En => ", ",
        };
    }

    fn pause(&mut self) {
        if !self.text.is_empty() {
            self.next = match self.lang {
                Lang::Zh => ";",
                Lang::En => "; ",
            };
        }
    }

    fn finish(mut self) -> String {
        if self.lang == Lang::En
            && let Some(first) = self.text.chars().next()
        {
            let upper: String = first.to_uppercase().collect();
            self.text.replace_range(..first.len_utf8(), &upper);
        }
        self.text.push_str(match self.lang {
            Lang::Zh => "。",
            Lang::En => ".",
        });
        self.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_as_reports_print_them() {
        assert_eq!(number(216.4, "家"), "216");
        assert_eq!(number(2.4300, "万亿元"), "2.43");
        assert_eq!(number(6950.0, "亿元"), "6950");
        assert_eq!(number(190.1167, "亿元"), "190.1");
        assert_eq!(number(0.3632, "%"), "0.363");
        assert_eq!(number(-0.0001, "%"), "0");
        assert_eq!(percent(0.738), "73.8%");
    }

    #[test]
    fn goals_read_with_their_year() {
        assert_eq!(dated_goal(Some(2030), Some(160.0), Comparator::Reach, "家", Lang::Zh), "2030年 160家");
        assert_eq!(dated_goal(Some(2030), Some(160.0), Comparator::Reach, "家", Lang::En), "160家 by 2030");
        assert_eq!(dated_goal(Some(2027), None, Comparator::Accomplish, "状态", Lang::Zh), "2027年");
        assert_eq!(dated_goal(None, None, Comparator::Keep, "%", Lang::Zh), "—");
    }

    #[test]
    fn counted_targets_say_how_they_are_counted() {
        let plan = crate::plan::parse("plan", include_str!("../../../plans/ningbo-361-2025.toml")).expect("plan");
        let rule = |id: &str, lang: Lang| {
            count_rule(plan.target(id).expect("target"), plan.meta.baseline_year, lang).expect("counted")
        };
        assert_eq!(
            rule("3.3.1", Lang::Zh),
            "按重点企业清单计算:期末仍有效的已获得国家级“制造业单项冠军”的企业数量,撤销后不再计入。"
        );
        assert!(rule("3.3.1", Lang::En).starts_with("Counted from the list of key enterprises"));
        for target in plan.targets.iter().filter(|t| t.count.is_some()) {
            for lang in [Lang::Zh, Lang::En] {
                let sentence = count_rule(target, 2024, lang).expect("every counted target says how");
                assert!(!sentence.contains("“”") && !sentence.contains("  "), "{}: {sentence}", target.id);
            }
        }
        let reported = plan.targets.iter().find(|t| t.count.is_none()).expect("a reported target");
        assert_eq!(count_rule(reported, 2024, Lang::Zh), None);
    }

    #[test]
    fn periods_read_as_chinese_reports_write_them() {
        assert_eq!(period_label(Period::month(2026, 5), Lang::Zh), "2026年5月");
        assert_eq!(period_label(Period::Quarter { year: 2026, quarter: 2 }, Lang::Zh), "2026年第2季度");
        assert_eq!(period_label(Period::Year(2025), Lang::Zh), "2025年");
    }
}
