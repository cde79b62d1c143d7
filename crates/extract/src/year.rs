//! The years a text gives its targets: `到2027年`, `到2026年底`, `2030年前`, `"十五五"期间`,
//! `(2023—2025年)`, `2018至2020年`, a plain `2024年` heading a one-year list, and `今年`/`明年`
//! counted from the document's own year. Dates (`2025年6月21日`), base years (`比2022年`,
//! `比"十一五"末`) and years inside the name of another plan (`列入国家"十三五"期间风电核准
//! 计划`) are not target years; `截至2024年底` and `今年以来` mark facts.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MarkerKind {
    /// 到2027年, 2030年前, 十四五 …: the year a target is due.
    Due,
    /// A plain 2024年 (a one-year list) or the end of a range (2023—2025年).
    Plain,
    /// 截至2024年底: what follows is a fact, not a target.
    Past,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Marker {
    pub start: usize,
    pub end: usize,
    pub year: i32,
    pub kind: MarkerKind,
    /// "十二五"期间 and the like: amounts in the next clause are totals over the period.
    pub period: bool,
    /// A five-year plan period ("十四五"), not a year.
    pub five_year: bool,
}

impl Marker {
    /// A marker of a year (not of a five-year plan, not a period total).
    fn year(at: Range<usize>, year: i32, kind: MarkerKind) -> Self {
        Marker { start: at.start, end: at.end, year, kind, period: false, five_year: false }
    }
}

static YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(截至|截止到|截止|到|至|于)?([12][0-9]{3})\s*年(底|末|前|内|以前|度)?([0-9]{1,2}月)?").expect("regex")
});
static RANGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"([12][0-9]{3})\s*年?\s*[-—~至－到]\s*([12][0-9]{3})\s*年").expect("regex"));
/// A year named relative to the document's own: `今年`, `明年`, `今年年底前`, `今年以来`,
/// `今年1-4月`, `去年`.
static RELATIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(今年|本年|当年|明年|去年|上年)(以来|年底前|年底|年内|底|内|前)?([0-9一二三四五六七八九十]{1,2}\s*(?:[-—~至到]\s*[0-9一二三四五六七八九十]{1,2}\s*)?月|上半年|前三季度|一季度)?")
        .expect("regex")
});
static FIVE_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"“?十([一二三四五六])五”?(期间|时期|末|规划)?").expect("regex"));

static REPORTED_TO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"截至\s*([12][0-9]{3})\s*年\s*(?:底|末)").expect("regex"));

/// The year of a text that gives no date of its own: the year after the last year-end it reports
/// on (`截至2014年底…`), else the first year of the first period it names (`明确了2017年-2020年
/// 的目标任务`, `(2016-2017年)`): a plan is issued as its period begins.
pub(crate) fn inferred_year(text: &str) -> Option<i32> {
    let year_of = |m: Option<regex::Match>| m.and_then(|m| m.as_str().parse::<i32>().ok()).filter(|y| plausible(*y));
    let after_reported = REPORTED_TO.captures_iter(text).filter_map(|c| year_of(c.get(1))).max().map(|y| y + 1);
    after_reported.or_else(|| RANGE.captures(text).and_then(|c| year_of(c.get(1))))
}

fn plausible(year: i32) -> bool {
    (1990..=2100).contains(&year)
}

/// Whether the words before a year make it part of a name: the object of `列入`/`纳入` in the
/// same clause (`列入国家"十三五"期间风电核准计划`).
fn names_another_plan(before: &str) -> bool {
    // Only the last words before the year are read, so that a long sentence stays linear.
    let mut from = before.len().saturating_sub(60);
    while !before.is_char_boundary(from) {
        from += 1;
    }
    let clause = before[from..].rsplit([',', ':', ';', '。']).next().unwrap_or_default();
    clause.contains("列入") || clause.contains("纳入")
}

/// Every year marker in `range` of `text`, in order. `this_year` is the document's own year,
/// which `今年` and `明年` count from.
pub(crate) fn markers(text: &str, range: Range<usize>, this_year: Option<i32>) -> Vec<Marker> {
    let Some(slice) = text.get(range.clone()) else { return Vec::new() };
    let mut found = ranges(slice);
    let covered: Vec<Range<usize>> = found.iter().map(|m| m.start..m.end).collect();
    found.extend(years(slice, &covered));
    found.extend(five_year_periods(slice));
    if let Some(this_year) = this_year {
        found.extend(relative_years(slice, this_year));
    }
    for marker in &mut found {
        marker.start += range.start;
        marker.end += range.start;
    }
    found.sort_by_key(|m| m.start);
    found
}

/// `(2023—2025年)`, `2018至2020年`: the end of the range.
fn ranges(s: &str) -> Vec<Marker> {
    let mut found = Vec::new();
    for caps in RANGE.captures_iter(s) {
        let (Some(whole), Some(end_year)) = (caps.get(0), caps.get(2)) else { continue };
        if names_another_plan(&s[..whole.start()]) {
            continue;
        }
        let Ok(year) = end_year.as_str().parse::<i32>() else { continue };
        if plausible(year) {
            found.push(Marker::year(whole.range(), year, MarkerKind::Plain));
        }
    }
    found
}

/// `到2027年`, `2030年前`, `截至2024年底`, a plain `2024年`; not a year inside a range already
/// read (`covered`), a date (`2025年6月`), a base (`比2022年`) or a year since (`2020年以来`).
fn years(s: &str, covered: &[Range<usize>]) -> Vec<Marker> {
    let mut found = Vec::new();
    for caps in YEAR.captures_iter(s) {
        let (Some(whole), Some(digits)) = (caps.get(0), caps.get(2)) else { continue };
        if covered.iter().any(|c| c.contains(&whole.start()) || c.contains(&digits.start())) {
            continue;
        }
        if caps.get(4).is_some() {
            continue; // a date: 2025年6月
        }
        let before = &s[..whole.start()];
        if before.ends_with('比') || before.ends_with('较') || before.ends_with('与') || before.ends_with('同') {
            continue; // a base year: 比2022年上升3位
        }
        if names_another_plan(before) || s[whole.end()..].starts_with("相比") || s[whole.end()..].starts_with("以来")
        {
            continue;
        }
        let Ok(year) = digits.as_str().parse::<i32>() else { continue };
        if !plausible(year) {
            continue;
        }
        let kind = match (caps.get(1).map(|m| m.as_str()), caps.get(3).map(|m| m.as_str())) {
            (Some("截至" | "截止" | "截止到"), _) => MarkerKind::Past,
            (Some(_), _) | (None, Some("底" | "末" | "前" | "内" | "以前")) => MarkerKind::Due,
            _ => MarkerKind::Plain,
        };
        found.push(Marker::year(whole.range(), year, kind));
    }
    found
}

/// `"十四五"期间`, `到"十五五"末`: the period's last year, due after 到/至.
fn five_year_periods(s: &str) -> Vec<Marker> {
    let mut found = Vec::new();
    for caps in FIVE_YEAR.captures_iter(s) {
        let (Some(whole), Some(n)) = (caps.get(0), caps.get(1)) else { continue };
        let before = &s[..whole.start()];
        if before.ends_with('比') || before.ends_with('较') || names_another_plan(before) {
            continue;
        }
        let n = match n.as_str() {
            "一" => 1,
            "二" => 2,
            "三" => 3,
            "四" => 4,
            "五" => 5,
            _ => 6,
        };
        let period = matches!(caps.get(2).map(|m| m.as_str()), Some("期间" | "时期"));
        found.push(Marker {
            start: whole.start(),
            end: whole.end(),
            year: 2000 + 5 * (n + 1),
            kind: if before.ends_with('到') || before.ends_with('至') { MarkerKind::Due } else { MarkerKind::Plain },
            period,
            five_year: true,
        });
    }
    found
}

/// `今年`, `明年`, `今年年底前` counted from `this_year`; `去年`, `今年以来`, `今年1-4月` are past.
fn relative_years(s: &str, this_year: i32) -> Vec<Marker> {
    let mut found = Vec::new();
    for caps in RELATIVE.captures_iter(s) {
        let (Some(whole), Some(word)) = (caps.get(0), caps.get(1)) else { continue };
        let before = &s[..whole.start()];
        if ['比', '较', '与', '同'].iter().any(|c| before.ends_with(*c)) {
            continue; // a base: 比去年增长10%
        }
        let last_year = matches!(word.as_str(), "去年" | "上年");
        let kind = match (caps.get(2).map(|m| m.as_str()), caps.get(3)) {
            _ if last_year => MarkerKind::Past,
            (Some("以来"), _) | (_, Some(_)) => MarkerKind::Past,
            (Some(_), None) => MarkerKind::Due,
            (None, None) => MarkerKind::Plain,
        };
        let year = match word.as_str() {
            "明年" => this_year + 1,
            _ if last_year => this_year - 1,
            _ => this_year,
        };
        found.push(Marker::year(whole.range(), year, kind));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn years(text: &str) -> Vec<(i32, MarkerKind)> {
        markers(text, 0..text.len(), Some(2016)).into_iter().map(|m| (m.year, m.kind)).collect()
    }

    #[test]
    fn finds_due_years() {
        assert_eq!(years("到2027年,规上工业产值"), vec![(2027, MarkerKind::Due)]);
        assert_eq!(years("到2026年底前"), vec![(2026, MarkerKind::Due)]);
        assert_eq!(years("2030年前建成"), vec![(2030, MarkerKind::Due)]);
        assert_eq!(years("到“十五五”末"), vec![(2030, MarkerKind::Due)]);
        assert_eq!(years("“十五五”期间"), vec![(2030, MarkerKind::Plain)]);
        assert_eq!(years("“十二五”期间")[0].0, 2015);
        let s = "“十二五”期间";
        assert!(markers(s, 0..s.len(), None)[0].period);
    }

    #[test]
    fn plain_years_and_ranges() {
        assert_eq!(years("2024年长宁区政府为民办实事项目"), vec![(2024, MarkerKind::Plain)]);
        assert_eq!(years("三年行动计划(2023—2025年)"), vec![(2025, MarkerKind::Plain)]);
        assert_eq!(years("(2020-2022年)"), vec![(2022, MarkerKind::Plain)]);
        assert_eq!(years("明确了2017年-2020年的目标任务"), vec![(2020, MarkerKind::Plain)]);
        assert_eq!(years("2018至2020年,交易额年均增长30%"), vec![(2020, MarkerKind::Plain)]);
    }

    #[test]
    fn years_counted_from_the_documents_own() {
        assert_eq!(years("今年,我省将培育"), vec![(2016, MarkerKind::Plain)]);
        assert_eq!(years("将于今年年底前全部完成"), vec![(2016, MarkerKind::Due)]);
        assert_eq!(years("明年新增100家"), vec![(2017, MarkerKind::Plain)]);
        assert_eq!(years("今年以来"), vec![(2016, MarkerKind::Past)]);
        assert_eq!(years("今年1-4月完成投资"), vec![(2016, MarkerKind::Past)]);
        assert_eq!(years("去年,全省社会消费品零售总额达到1.2万亿元"), vec![(2015, MarkerKind::Past)]);
        assert!(years("比去年增长10%").is_empty(), "a base");
        assert!(markers("今年", 0.."今年".len(), None).is_empty(), "no year to count from");
    }

    #[test]
    fn a_text_without_a_date_has_the_year_it_reports_from() {
        assert_eq!(inferred_year("今年目标已经设定。截至2014年底全省市场主体总数达254.32万户"), Some(2015));
        assert_eq!(inferred_year("明确了2017年-2020年的目标任务"), Some(2017));
        assert_eq!(inferred_year("到2025年"), None);
    }

    #[test]
    fn a_year_in_the_name_of_another_plan_is_no_target_year() {
        assert!(years("争取将上述项目列入国家“十三五”期间风电核准计划").is_empty());
        assert!(years("纳入2024年省重点项目").is_empty());
    }

    #[test]
    fn skips_dates_and_base_years() {
        assert!(years("2025年6月21日").is_empty());
        assert!(years("排名比2022年上升3位").is_empty());
        assert!(years("比“十一五”末降低16%").is_empty());
        assert_eq!(years("截至2024年底"), vec![(2024, MarkerKind::Past)]);
    }
}
