//! The message catalog: every sentence and label the system shows, in Chinese and English.
//!
//! Code elsewhere passes structured facts (a status, an [`Evaluation`](crate::eval::Evaluation))
//! and a [`Lang`]; the words live here only. Numbers are formatted here too, once, so a number
//! in a sentence reads exactly as the same number in a table.

mod explain;

pub use explain::{VERDICTS, explain, points};

use crate::eval::Status;
use crate::period::Period;
use crate::plan::{Basis, Comparator, Frequency, Kind, Target};
use crate::registry::{CountRule, ListKind};
use crate::units::{self, Dimension};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
/// The language of a page, a file or a message.
pub enum Lang {
    #[default]
    /// Chinese.
    Zh,
    /// English.
    En,
}

impl Lang {
    /// The code in URLs and settings (`zh`, `en`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// The language of a code; `None` for an unknown one.
    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "zh" | "zh-CN" | "cn" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

/// A status's label in `lang`.
pub fn status_label(status: Status, lang: Lang) -> &'static str {
    match (lang, status) {
        (Lang::Zh, Status::Achieved) => "已达标",
        (Lang::Zh, Status::OnTrack) => "正常",
        (Lang::Zh, Status::NeedsAcceleration) => "关注",
        (Lang::Zh, Status::OffTrack) => "滞后",
        (Lang::Zh, Status::MovingAway) => "倒退",
        (Lang::Zh, Status::Missed) => "未完成",
        (Lang::Zh, Status::Baseline) => "基期",
        (Lang::Zh, Status::NoData) => "无数据",
        (Lang::En, Status::Achieved) => "achieved",
        (Lang::En, Status::OnTrack) => "on track",
        (Lang::En, Status::NeedsAcceleration) => "needs acceleration",
        (Lang::En, Status::OffTrack) => "off track",
        (Lang::En, Status::MovingAway) => "moving away",
        (Lang::En, Status::Missed) => "missed",
        (Lang::En, Status::Baseline) => "baseline",
        (Lang::En, Status::NoData) => "no data",
    }
}

/// A kind's label in `lang`.
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

/// A number as a report prints it: counts whole, large amounts with at most one decimal, small
/// ones with up to two or three, trailing zeros dropped.
pub fn number(value: f64, unit: &str) -> String {
    let dimension = units::unit(unit).map(|u| u.dimension);
    let magnitude = value.abs();
    let decimals = if dimension == Some(Dimension::Count) {
        0
    } else if magnitude >= 1000.0 {
        usize::from(dimension == Some(Dimension::Money))
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

/// An amount of money in the unit that reads best (§3A.8): an amount the plan writes in 亿元 or
/// 万亿元 reads in 万亿元 from ten thousand 亿元 and in 亿元 below. Other units stay.
pub fn readable(value: f64, unit: &str) -> (f64, &str) {
    if !matches!(unit, "亿元" | "万亿元") {
        return (value, unit);
    }
    let best = if units::convert(value.abs(), unit, "亿元").is_some_and(|yi| yi >= 10_000.0) {
        "万亿元"
    } else {
        "亿元"
    };
    units::convert(value, unit, best).filter(|v| v.is_finite()).map_or((value, unit), |converted| (converted, best))
}

/// A value with its unit, as every page and sentence prints it: "2.43万亿元", "7393.9亿元" (not
/// 0.739万亿元), "118家", "65%"; a milestone's share done reads "36%", a rank "第23名".
pub fn quantity(value: f64, unit: &str) -> String {
    match unit {
        units::STATE => format!("{}%", number(value, "%")),
        units::RANK => format!("第{}名", number(value, "个")),
        _ => {
            let (value, unit) = readable(value, unit);
            format!("{}{unit}", number(value, unit))
        }
    }
}

/// A goal as the plan phrases it: "2.7万亿元", "98%以上", "突破1万亿元", "200个左右", "保持90%以上".
pub fn goal_phrase(comparator: Comparator, value: f64, unit: &str) -> String {
    let q = quantity(value, unit);
    match comparator {
        Comparator::AtLeast | Comparator::About | Comparator::AtMost => format!("{q}{}", comparator.word()),
        Comparator::Keep => format!("保持{q}以上"),
        Comparator::NotLessThan | Comparator::Exceed => format!("{}{q}", comparator.word()),
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

/// The goal an evaluation measures against, as every table shows it (§3A.8: the goal column
/// always shows the goal): "2030年 160家", "每年 200个左右", "保持90%以上", "2030年 清零",
/// "保持稳定(参照17.8%)", "2030年 完成".
pub fn goal_text(target: &Target, e: &crate::eval::Evaluation, lang: Lang) -> String {
    let year = e.target_year;
    let zh = lang == Lang::Zh;
    match (target.kind, &target.goal) {
        _ if e.has(crate::eval::Note::NoGoal) => (if zh { "目标未分解" } else { "no goal set" }).to_string(),
        (Kind::Zero, _) => dated(year, if zh { "清零" } else { "cleared" }, lang),
        (Kind::Stable, _) => match e.target_value {
            Some(reference) if zh => format!("保持稳定(参照{})", quantity(reference, &target.unit)),
            Some(reference) => format!("stable around {}", quantity(reference, &target.unit)),
            None => (if zh { "保持稳定" } else { "stable" }).to_string(),
        },
        (Kind::Direction, _) => dated(year, if zh { "各项逐年提升" } else { "each better every year" }, lang),
        (Kind::Milestone, _) => dated(year, if zh { "完成" } else { "done" }, lang),
        (_, crate::plan::Goal::EveryYear { value, .. }) => {
            let phrase = goal_phrase(target.comparator, *value, &target.unit);
            match (target.comparator, lang) {
                (Comparator::Keep, _) => phrase,
                (_, Lang::Zh) => format!("每年 {phrase}"),
                (_, Lang::En) => format!("{phrase} every year"),
            }
        }
        _ => dated_goal(year, e.target_value, target.comparator, &target.unit, lang),
    }
}

fn dated(year: Option<i32>, words: &str, lang: Lang) -> String {
    match (year, lang) {
        (Some(year), Lang::Zh) => format!("{year}年 {words}"),
        (Some(year), Lang::En) => format!("{words} by {year}"),
        (None, _) => words.to_string(),
    }
}

/// The latest value as tables show it: a quantity, with what a 1–N月 flow is judged on
/// ("2.55万亿元(全年预计2.79万亿元)"); for a two-sided target each measure's latest value
/// ("第4名 · 32.4%").
pub fn value_text(target: &Target, e: &crate::eval::Evaluation, lang: Lang) -> String {
    if target.kind == Kind::Direction {
        let parts: Vec<String> = target
            .measures
            .iter()
            .filter_map(|m| e.moves.iter().find(|mv| mv.key == m.key).map(|mv| quantity(mv.value, &m.unit)))
            .collect();
        return if parts.is_empty() { "—".to_string() } else { parts.join(" · ") };
    }
    let value = e.value.map_or_else(|| "—".to_string(), |v| quantity(v, &target.unit));
    match year_figure_note(target, e, lang) {
        Some(note) => format!("{value}({note})"),
        None => value,
    }
}

/// What a 1–N月 value is judged on, when it is not a year's total: "全年预计2.79万亿元", or
/// "按2025年全年评价".
pub fn year_figure_note(target: &Target, e: &crate::eval::Evaluation, lang: Lang) -> Option<String> {
    let figure = e.year_figure?;
    if e.data_period.is_some_and(|p| p.closes_year()) {
        return None;
    }
    let value = quantity(figure.value, &target.unit);
    Some(match (figure.estimated, lang) {
        (true, Lang::Zh) => format!("全年预计{value}"),
        (true, Lang::En) => format!("about {value} for the year"),
        (false, Lang::Zh) => format!("按{}年全年{value}评价", figure.year),
        (false, Lang::En) => format!("{} as a whole, {value}, assessed", figure.year),
    })
}

/// 目标进度 as every table shows it (§3A.8), with the share of a bar it fills: the number
/// printed is the bar's width, so beyond the goal both stop at 100% and the text says 超额.
pub fn progress_shown(e: &crate::eval::Evaluation, lang: Lang) -> Option<(f64, String)> {
    let p = e.progress?;
    // A goal set below the unit's own baseline is met from the start: beyond it, not behind.
    let beyond = p > 1.0 + 1e-9 || (p < 0.0 && e.status == crate::eval::Status::Achieved);
    Some(if beyond {
        (1.0, if lang == Lang::Zh { "100% 超额".to_string() } else { "100%, exceeded".to_string() })
    } else if p < 0.0 {
        (0.0, percent(p))
    } else {
        (p.min(1.0), percent(p.min(1.0)))
    })
}

/// The period of a value as the target reports it: a 1–N月 flow's month reads "2025年1—9月",
/// a quarter "2025年1—9月" too (its months so far); other values their period.
pub fn data_period_label(target: &Target, period: Period, lang: Lang) -> String {
    let months = period.months_elapsed();
    match (lang, target.basis, period) {
        (_, Basis::Ytd, Period::Year(_)) => period_label(period, lang),
        (Lang::Zh, Basis::Ytd, _) if months == 1 => format!("{}年1月", period.year()),
        (Lang::Zh, Basis::Ytd, _) => format!("{}年1—{months}月", period.year()),
        (Lang::En, Basis::Ytd, _) => format!("{} Jan–{}", period.year(), month_abbreviation(months)),
        _ => period_label(period, lang),
    }
}

fn month_abbreviation(month: u8) -> &'static str {
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        [usize::from(month.clamp(1, 12) - 1)]
}

/// How often a target is reported: 按月 / monthly.
pub fn frequency_label(frequency: Frequency, lang: Lang) -> &'static str {
    match (lang, frequency) {
        (Lang::Zh, Frequency::Month) => "按月",
        (Lang::Zh, Frequency::Quarter) => "按季",
        (Lang::Zh, Frequency::Year) => "按年",
        (Lang::En, Frequency::Month) => "monthly",
        (Lang::En, Frequency::Quarter) => "quarterly",
        (Lang::En, Frequency::Year) => "yearly",
    }
}

/// What a reported value is, in words, for forms, templates and the API (§3A.1): "1—N月累计,
/// 万亿元", "2025年1月起累计新增,个", "期末数,家", "完成进度(%),100为完成".
pub fn basis_label(target: &Target, lang: Lang) -> String {
    let unit = target.unit.as_str();
    match (lang, target.basis) {
        (Lang::Zh, _) if target.kind == Kind::Milestone => "完成进度(%),100为完成".to_string(),
        (Lang::En, _) if target.kind == Kind::Milestone => "share done (%), 100 = done".to_string(),
        (Lang::Zh, _) if target.kind == Kind::Direction => {
            let units: Vec<&str> = target.measures.iter().map(|m| m.unit.as_str()).collect();
            format!("各分项期末数,{}", units.join("、"))
        }
        (Lang::En, _) if target.kind == Kind::Direction => "each measure at the period's end".to_string(),
        (Lang::Zh, Basis::Stock) => format!("期末数,{unit}"),
        (Lang::Zh, Basis::Ytd) => match target.frequency {
            Frequency::Year => format!("全年数,{unit}"),
            _ => format!("1—N月累计,{unit}"),
        },
        (Lang::Zh, Basis::SinceStart(start)) => format!("{}起累计新增,{unit}", period_label(start, lang)),
        (Lang::En, Basis::Stock) => format!("value at the period's end, {unit}"),
        (Lang::En, Basis::Ytd) => match target.frequency {
            Frequency::Year => format!("the year's total, {unit}"),
            _ => format!("January to the period's month, {unit}"),
        },
        (Lang::En, Basis::SinceStart(start)) => format!("added since {start}, {unit}"),
    }
}

/// Why a period is refused for a target (§3A.1), with an example of the right one derived from
/// the period given: "目标 1.2.1 按月报送(2025年1月起累计新增),请按月填报,如 2026-12".
pub fn wrong_frequency(target: &Target, key: &str, period: Period, lang: Lang) -> String {
    let example = target.frequency.period_containing(period.last_month());
    let basis = basis_label(target, lang);
    let basis = basis.rsplit_once([',', ',']).map_or(basis.as_str(), |(words, _)| words).to_string();
    match lang {
        Lang::Zh => {
            let how = frequency_label(target.frequency, lang);
            format!("目标 {key} {how}报送({basis}),请{how}填报,如 {example}")
        }
        Lang::En => format!(
            "target {key} is reported {} ({basis}): give a {} period such as {example}",
            frequency_label(target.frequency, lang),
            target.frequency.code()
        ),
    }
}

/// A code with a name in each language: roles, lists, workflow and warning states, sources,
/// levels, measures. Pages and files ask `label(lang)`; the CLI prints `label_zh`.
pub trait Labelled: Copy {
    /// Its name on Chinese pages.
    fn label_zh(self) -> &'static str;

    /// Its name on English pages.
    fn label_en(self) -> &'static str;

    /// Its name in `lang`.
    fn label(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.label_zh(),
            Lang::En => self.label_en(),
        }
    }
}

/// Where a target derived from the statistics (`derived = "stats"`) takes its values, in one
/// sentence; `None` for any other target. `cluster` is the cluster's name (全部规上工业 when the
/// rule names none).
pub fn stats_rule(target: &Target, cluster: &str, lang: Lang) -> Option<String> {
    let measure = target.stats.as_ref()?.measure()?;
    Some(match lang {
        Lang::Zh => format!(
            "取自规上企业月度数据:{cluster}{}1—N月累计(各企业之和),12月的1—12月累计为全年值;城市为全部企业,区县为其辖内企业。",
            measure.label_zh()
        ),
        Lang::En => format!(
            "From the above-scale enterprises' monthly data: the year-to-date {} of {cluster} (the sum over its enterprises); December's is the year's. The city counts every enterprise, a district those within it.",
            measure.code().replace('_', " ")
        ),
    })
}

/// How a counted target is counted from its list, in one sentence; `None` for a target that
/// is reported.
pub fn count_rule(target: &Target, baseline_year: i32, lang: Lang) -> Option<String> {
    let rule = target.count.as_ref()?;
    let list = rule.list();
    let list_name = list.label(lang);
    // What counts ("国家级“制造业单项冠军”", "先进制造业项目") and the dated event that makes it count.
    let levels = rule.levels();
    let zh_levels = levels.join("或");
    let en_levels = if levels.is_empty() { String::new() } else { format!("{} ", levels.join(" or ")) };
    let (zh_what, en_what) = match rule {
        CountRule::Enterprises { honour, .. } => {
            (format!("{zh_levels}“{honour}”"), format!("the {en_levels}{honour} honour"))
        }
        CountRule::Platforms { kind, .. } => {
            let kind = kind.as_deref();
            (
                format!("{zh_levels}{}", kind.unwrap_or("创新平台")),
                format!("{en_levels}{}", kind.unwrap_or("innovation platforms")),
            )
        }
        CountRule::Parks { kind, .. } => {
            let kind = kind.as_deref();
            (format!("{zh_levels}{}", kind.unwrap_or("园区")), format!("{en_levels}{}", kind.unwrap_or("parks")))
        }
        CountRule::Projects { category, min_investment, .. } => {
            let category = category.as_deref().unwrap_or_default();
            match min_investment {
                Some(min) => (
                    format!("总投资{}亿元以上的{category}项目", number(*min, "亿元")),
                    format!("{category} projects of {} 亿元 or more", number(*min, "亿元")),
                ),
                None => (format!("{category}项目"), format!("{category} projects")),
            }
        }
    };
    let (zh_event, en_event) = match rule {
        CountRule::Enterprises { .. } => ("获得".to_string(), "granted"),
        CountRule::Platforms { .. } => ("认定".to_string(), "recognised"),
        CountRule::Parks { renovated_area: true, .. } => ("改造提升".to_string(), "renovated"),
        CountRule::Parks { renovated_area: false, .. } => ("设立".to_string(), "established"),
        CountRule::Projects { stage, .. } => (stage.label_zh().to_string(), stage.code()),
    };
    let (zh_measure, en_measure) = if rule.sums_area() {
        (format!("面积之和(亩,折算为{})", target.unit), format!("total area (亩, in {})", target.unit))
    } else {
        ("数量".to_string(), "number".to_string())
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

/// A fraction as a percentage with one decimal: 0.738 → "73.8%". What rounds to zero is "0.0%",
/// never "-0.0%".
pub fn percent(fraction: f64) -> String {
    let shown = fraction * 100.0;
    format!("{:.1}%", if shown.abs() < 0.05 { 0.0 } else { shown })
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
        assert_eq!(percent(-0.0), "0.0%");
        assert_eq!(percent(-0.0004), "0.0%");
        assert_eq!(percent(-0.0006), "-0.1%");
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
        let plan = crate::plan::parse("plan", include_str!("../../../../plans/ningbo-361-2025.toml")).expect("plan");
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
