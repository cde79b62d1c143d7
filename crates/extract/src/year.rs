//! The years a text gives its targets: `到2027年`, `到2026年底`, `2030年前`, `"十五五"期间`,
//! `(2023—2025年)`, and a plain `2024年` heading a one-year list. Dates (`2025年6月21日`) and
//! base years (`比2022年`, `比"十一五"末`) are not target years; `截至2024年底` marks a fact.

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

static YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(截至|截止到|截止|到|至|于)?([12][0-9]{3})\s*年(底|末|前|内|以前|度)?([0-9]{1,2}月)?").expect("regex")
});
static RANGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"([12][0-9]{3})\s*[-—~至－]\s*([12][0-9]{3})\s*年").expect("regex"));
static FIVE_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"“?十([一二三四五六])五”?(期间|时期|末|规划)?").expect("regex"));

fn plausible(year: i32) -> bool {
    (1990..=2100).contains(&year)
}

/// Every year marker in `range` of `text`, in order.
pub(crate) fn markers(text: &str, range: Range<usize>) -> Vec<Marker> {
    let Some(slice) = text.get(range.clone()) else { return Vec::new() };
    let offset = range.start;
    let mut found = Vec::new();
    let mut covered: Vec<Range<usize>> = Vec::new();
    for caps in RANGE.captures_iter(slice) {
        let (Some(whole), Some(end_year)) = (caps.get(0), caps.get(2)) else { continue };
        let Ok(year) = end_year.as_str().parse::<i32>() else { continue };
        if plausible(year) {
            found.push(Marker {
                start: offset + whole.start(),
                end: offset + whole.end(),
                year,
                kind: MarkerKind::Plain,
                period: false,
                five_year: false,
            });
            covered.push(whole.range());
        }
    }
    for caps in YEAR.captures_iter(slice) {
        let (Some(whole), Some(digits)) = (caps.get(0), caps.get(2)) else { continue };
        if covered.iter().any(|c| c.start <= whole.start() && whole.start() < c.end)
            || covered.iter().any(|c| c.start <= digits.start() && digits.start() < c.end)
        {
            continue;
        }
        if caps.get(4).is_some() {
            continue; // a date: 2025年6月
        }
        let before = &slice[..whole.start()];
        if before.ends_with('比') || before.ends_with('较') || before.ends_with('与') || before.ends_with('同') {
            continue; // a base year: 比2022年上升3位
        }
        if slice[whole.end()..].starts_with("相比") || slice[whole.end()..].starts_with("以来") {
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
        found.push(Marker {
            start: offset + whole.start(),
            end: offset + whole.end(),
            year,
            kind,
            period: false,
            five_year: false,
        });
    }
    for caps in FIVE_YEAR.captures_iter(slice) {
        let (Some(whole), Some(n)) = (caps.get(0), caps.get(1)) else { continue };
        let before = &slice[..whole.start()];
        if before.ends_with('比') || before.ends_with('较') {
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
            start: offset + whole.start(),
            end: offset + whole.end(),
            year: 2000 + 5 * (n + 1),
            kind: if before.ends_with('到') || before.ends_with('至') { MarkerKind::Due } else { MarkerKind::Plain },
            period,
            five_year: true,
        });
    }
    found.sort_by_key(|m| m.start);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn years(text: &str) -> Vec<(i32, MarkerKind)> {
        markers(text, 0..text.len()).into_iter().map(|m| (m.year, m.kind)).collect()
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
        assert!(markers(s, 0..s.len())[0].period);
    }

    #[test]
    fn plain_years_and_ranges() {
        assert_eq!(years("2024年长宁区政府为民办实事项目"), vec![(2024, MarkerKind::Plain)]);
        assert_eq!(years("三年行动计划(2023—2025年)"), vec![(2025, MarkerKind::Plain)]);
        assert_eq!(years("(2020-2022年)"), vec![(2022, MarkerKind::Plain)]);
    }

    #[test]
    fn skips_dates_and_base_years() {
        assert!(years("2025年6月21日").is_empty());
        assert!(years("排名比2022年上升3位").is_empty());
        assert!(years("比“十一五”末降低16%").is_empty());
        assert_eq!(years("截至2024年底"), vec![(2024, MarkerKind::Past)]);
    }
}
