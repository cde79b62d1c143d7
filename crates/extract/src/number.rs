//! Numbers and units as policy texts write them: `2.7万亿元`, `8—10个`, `2到3个`, `五千亿`,
//! `过万亿`, `98%`, `百分百`, `百分之八十`, `一半`, `360台/万人`, `2700万标准箱`.

use std::ops::Range;

use crate::text::{char_at, char_before, is_han};

/// A number with its unit, as written.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Quantity {
    /// Where the number starts (for `过万亿`, where `万亿` starts).
    pub start: usize,
    /// Where the unit ends.
    pub end: usize,
    pub value: f64,
    /// The upper bound of a range (`8—10个`).
    pub value_max: Option<f64>,
    /// `万`, `亿`, `万亿` or "".
    pub magnitude: &'static str,
    /// The unit proper (`元`, `个`, `%` …), or "" for a bare magnitude (`3万亿`).
    pub base: &'static str,
    /// Written in Chinese numerals (`五千亿`, `百亿元`) or as a bare magnitude (`过万亿`). A
    /// rate in words (`百分百`) is not: it is as explicit as digits.
    pub chinese: bool,
    /// `多`/`余` between number and unit (`100余家`): at least the number.
    pub approximate: bool,
    /// No numeral is written: `过万亿` counts as one 万亿.
    pub implied: bool,
}

impl Quantity {
    /// The unit as written: magnitude and unit proper.
    pub fn unit(&self) -> String {
        format!("{}{}", self.magnitude, self.base)
    }

    pub fn is_money(&self) -> bool {
        matches!(self.base, "元" | "美元") || (self.base.is_empty() && matches!(self.magnitude, "亿" | "万亿"))
    }

    pub fn is_rate(&self) -> bool {
        matches!(self.base, "%" | "‰")
    }
}

const MAGNITUDES: [&str; 3] = ["万亿", "亿", "万"];

/// Units proper, longest first so that `个百分点` wins over `个` and `台/万人` over `台`.
pub(crate) const BASE_UNITS: &[&str] = &[
    "个百分点",
    "万人次",
    "平方公里",
    "台/万人",
    "元/人",
    "平方米",
    "标准箱",
    "千瓦时",
    "百分点",
    "人次",
    "课时",
    "学时",
    "公里",
    "公顷",
    "千瓦",
    "美元",
    "%",
    "‰",
    "元",
    "个",
    "家",
    "项",
    "条",
    "名",
    "件",
    "座",
    "户",
    "张",
    "处",
    "场",
    "次",
    "人",
    "台",
    "套",
    "辆",
    "艘",
    "所",
    "亩",
    "吨",
    "位",
    "种",
    "款",
    "部",
    "批",
    "栋",
];

fn chinese_digit(c: char) -> Option<u64> {
    Some(match c {
        '零' | '〇' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

fn is_chinese_numeral(c: char) -> bool {
    chinese_digit(c).is_some() || matches!(c, '十' | '百' | '千')
}

/// The value of a Chinese numeral below ten thousand: `五千` 5000, `十五` 15, `一百二十` 120,
/// `百` 100.
pub(crate) fn parse_chinese(s: &str) -> Option<u64> {
    let (mut total, mut digit, mut any) = (0u64, None::<u64>, false);
    for c in s.chars() {
        if let Some(d) = chinese_digit(c) {
            digit = Some(d);
        } else {
            let unit = match c {
                '十' => 10,
                '百' => 100,
                '千' => 1000,
                _ => return None,
            };
            total = total.checked_add(digit.unwrap_or(1).checked_mul(unit)?)?;
            digit = None;
        }
        any = true;
    }
    any.then_some(total + digit.unwrap_or(0))
}

/// The unit at the start of `s`: (magnitude, unit proper, length in bytes).
pub(crate) fn parse_unit(s: &str) -> Option<(&'static str, &'static str, usize)> {
    if let Some(base) = BASE_UNITS.iter().find(|b| s.starts_with(**b)) {
        return Some(("", base, base.len()));
    }
    let magnitude = MAGNITUDES.iter().find(|m| s.starts_with(**m))?;
    let rest = &s[magnitude.len()..];
    match BASE_UNITS.iter().find(|b| rest.starts_with(**b)) {
        Some(base) => Some((magnitude, base, magnitude.len() + base.len())),
        None => {
            // A bare magnitude is a unit only where the phrase ends (`过3万亿,`, `7300万以上`).
            let next = rest.chars().next();
            let ends = next.is_none_or(|c| !is_han(c) || matches!(c, '以' | '左' | '级' | '大'));
            ends.then_some((magnitude, "", magnitude.len()))
        }
    }
}

/// An Arabic number at `at`: its value and end.
fn parse_arabic(text: &str, at: usize) -> Option<(f64, usize)> {
    let bytes = text.as_bytes();
    let mut end = at;
    while end < bytes.len() && bytes[end].is_ascii_digit() {
        end += 1;
    }
    if end == at {
        return None;
    }
    if end + 1 < bytes.len() && bytes[end] == b'.' && bytes[end + 1].is_ascii_digit() {
        end += 1;
        while end < bytes.len() && bytes[end].is_ascii_digit() {
            end += 1;
        }
    }
    let value: f64 = text.get(at..end)?.parse().ok()?;
    value.is_finite().then_some((value, end))
}

fn parse_chinese_at(text: &str, at: usize) -> Option<(f64, usize)> {
    let rest = text.get(at..)?;
    let len: usize = rest.chars().take_while(|c| is_chinese_numeral(*c)).map(char::len_utf8).sum();
    if len == 0 || len > 18 {
        return None;
    }
    Some((parse_chinese(&rest[..len])? as f64, at + len))
}

const RANGE_SEPARATORS: [char; 6] = ['-', '—', '~', '至', '－', '到'];

/// A rate written in words at `at`: `百分百` and `百分之百` (100%), `百分之八十` or `百分之80`
/// (80%), `一半` (50%).
fn rate_in_words(text: &str, at: usize) -> Option<Quantity> {
    let rest = text.get(at..)?;
    let (value, len) = if let Some(after) = rest.strip_prefix("百分之") {
        let number_at = at + (rest.len() - after.len());
        let (value, end) = if after.starts_with("百") && !after.starts_with("百分") {
            (100.0, number_at + "百".len())
        } else {
            parse_arabic(text, number_at).or_else(|| parse_chinese_at(text, number_at))?
        };
        (value, end - at)
    } else if rest.starts_with("百分百") {
        (100.0, "百分百".len())
    } else if rest.starts_with("一半") {
        (50.0, "一半".len())
    } else {
        return None;
    };
    Some(Quantity {
        start: at,
        end: at + len,
        value,
        value_max: None,
        magnitude: "",
        base: "%",
        chinese: false,
        approximate: false,
        implied: false,
    })
}

/// Every number with a unit in `range` of `text`, in order. Numbers glued to Latin letters or
/// to other digits (`s356`, `5G`) and years (`2025年`, which has no unit) are not quantities.
pub(crate) fn scan(text: &str, range: Range<usize>) -> Vec<Quantity> {
    let mut found = Vec::new();
    let mut at = range.start;
    while at < range.end {
        let Some(c) = char_at(text, at) else { break };
        let step = c.len_utf8();
        let quantity = if c.is_ascii_digit() {
            let glued = char_before(text, at).is_some_and(|p| p.is_ascii_alphanumeric() || p == '.');
            if glued { None } else { quantity_at(text, at, range.end, false) }
        } else if is_chinese_numeral(c) {
            rate_in_words(slice_to(text, range.end), at).or_else(|| quantity_at(text, at, range.end, true))
        } else if (c == '万' || c == '亿')
            && char_before(text, at).is_some_and(|p| matches!(p, '过' | '破' | '超' | '达'))
        {
            // 过万亿, 突破亿元: a bare magnitude counts as one of it.
            parse_unit(&text[at..range.end]).map(|(magnitude, base, len)| Quantity {
                start: at,
                end: at + len,
                value: 1.0,
                value_max: None,
                magnitude,
                base,
                chinese: true,
                approximate: false,
                implied: true,
            })
        } else {
            None
        };
        match quantity {
            Some(q) => {
                at = q.end.max(at + step);
                found.push(q);
            }
            None => {
                // Skip the rest of a number that did not make a quantity (`2025年`, `s356`).
                at += step;
                if c.is_ascii_digit() {
                    while at < range.end && text.as_bytes()[at].is_ascii_digit() {
                        at += 1;
                    }
                } else if is_chinese_numeral(c) {
                    while let Some(n) = char_at(text, at).filter(|n| is_chinese_numeral(*n) && at < range.end) {
                        at += n.len_utf8();
                    }
                }
            }
        }
    }
    found
}

/// The order a Chinese numeral ends in (`三千` 1000, `五十` 10, `三` 1).
fn order_of(numeral: &str) -> f64 {
    match numeral.chars().next_back() {
        Some('十') => 10.0,
        Some('百') => 100.0,
        Some('千') => 1000.0,
        _ => 1.0,
    }
}

/// `text` up to `limit`, so that nothing is read beyond a range.
fn slice_to(text: &str, limit: usize) -> &str {
    text.get(..limit).unwrap_or(text)
}

fn quantity_at(text: &str, at: usize, limit: usize, chinese: bool) -> Option<Quantity> {
    let parse = |from: usize| if chinese { parse_chinese_at(text, from) } else { parse_arabic(text, from) };
    let (mut value, mut end) = parse(at)?;
    let mut value_max = None;
    // A range: 8—10个, 2-3个, 10至15家, 两到三千个.
    if let Some(sep) = char_at(text, end).filter(|c| RANGE_SEPARATORS.contains(c)) {
        let after = end + sep.len_utf8();
        if let Some((upper, upper_end)) = parse(after).filter(|(upper, _)| *upper > value) {
            // 两到三千: the lower bound is in the upper bound's order (2000, not 2).
            if chinese && value < 10.0 {
                value *= order_of(slice_to(text, upper_end));
            }
            value_max = Some(upper);
            end = upper_end;
        }
    }
    let mut approximate = false;
    if let Some(c) = char_at(text, end).filter(|c| matches!(c, '多' | '余')) {
        approximate = true;
        end += c.len_utf8();
    }
    let (magnitude, base, len) = parse_unit(text.get(end..limit)?)?;
    Some(Quantity {
        start: at,
        end: end + len,
        value,
        value_max,
        magnitude,
        base,
        chinese,
        approximate,
        implied: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quantities(text: &str) -> Vec<(f64, Option<f64>, String)> {
        scan(text, 0..text.len()).into_iter().map(|q| (q.value, q.value_max, q.unit())).collect()
    }

    #[test]
    fn reads_chinese_numerals() {
        assert_eq!(parse_chinese("五千"), Some(5000));
        assert_eq!(parse_chinese("十五"), Some(15));
        assert_eq!(parse_chinese("一百二十"), Some(120));
        assert_eq!(parse_chinese("百"), Some(100));
        assert_eq!(parse_chinese("两"), Some(2));
        assert_eq!(parse_chinese("三十万"), None);
    }

    #[test]
    fn reads_numbers_with_magnitudes_and_units() {
        assert_eq!(quantities("产值达到2.7万亿元,"), vec![(2.7, None, "万亿元".to_string())]);
        assert_eq!(quantities("改造4万亩以上"), vec![(4.0, None, "万亩".to_string())]);
        assert_eq!(quantities("3000万平方米"), vec![(3000.0, None, "万平方米".to_string())]);
        assert_eq!(quantities("接待游客3亿人次"), vec![(3.0, None, "亿人次".to_string())]);
        assert_eq!(quantities("提高2个百分点"), vec![(2.0, None, "个百分点".to_string())]);
        assert_eq!(quantities("密度360台/万人"), vec![(360.0, None, "台/万人".to_string())]);
        assert_eq!(quantities("生产率50万元/人"), vec![(50.0, None, "万元/人".to_string())]);
        assert_eq!(quantities("吞吐量2700万标准箱"), vec![(2700.0, None, "万标准箱".to_string())]);
        assert_eq!(quantities("占比98%以上"), vec![(98.0, None, "%".to_string())]);
    }

    #[test]
    fn reads_ranges() {
        assert_eq!(quantities("形成1—2个"), vec![(1.0, Some(2.0), "个".to_string())]);
        assert_eq!(quantities("打造2到3个"), vec![(2.0, Some(3.0), "个".to_string())]);
        assert_eq!(quantities("打造两到三个"), vec![(2.0, Some(3.0), "个".to_string())]);
        assert_eq!(quantities("新建两到三千个"), vec![(2000.0, Some(3000.0), "个".to_string())]);
        assert!(quantities("到2025年").is_empty());
        assert_eq!(quantities("培育10-15个"), vec![(10.0, Some(15.0), "个".to_string())]);
        assert_eq!(quantities("8至10家"), vec![(8.0, Some(10.0), "家".to_string())]);
    }

    #[test]
    fn reads_chinese_amounts_and_bare_magnitudes() {
        assert_eq!(quantities("五千亿元"), vec![(5000.0, None, "亿元".to_string())]);
        assert_eq!(quantities("收入过万亿,"), vec![(1.0, None, "万亿".to_string())]);
        assert_eq!(quantities("收入过3万亿,"), vec![(3.0, None, "万亿".to_string())]);
        assert_eq!(quantities("超百亿元企业"), vec![(100.0, None, "亿元".to_string())]);
    }

    #[test]
    fn reads_rates_in_words() {
        let rate = |v: f64| vec![(v, None, "%".to_string())];
        assert_eq!(quantities("自来水百分百全覆盖"), rate(100.0));
        assert_eq!(quantities("覆盖率百分之百"), rate(100.0));
        assert_eq!(quantities("百分之八十五的村"), rate(85.0));
        assert_eq!(quantities("百分之80"), rate(80.0));
        assert_eq!(quantities("一半以上的企业"), rate(50.0));
        assert_eq!(quantities("提高5个百分点"), vec![(5.0, None, "个百分点".to_string())]);
        assert!(!scan("百分百", 0.."百分百".len())[0].chinese, "as explicit as digits");
    }

    #[test]
    fn ignores_years_codes_and_numbers_without_units() {
        assert!(quantities("到2027年,s356改扩建,5G+工业互联网,“361”体系").is_empty());
        assert!(quantities("2023—2025年").is_empty());
        assert!(quantities("3万多农户").is_empty());
    }

    #[test]
    fn marks_money_and_rates() {
        let q = scan("10亿元", 0.."10亿元".len());
        assert!(q[0].is_money());
        let q = scan("5%", 0..2);
        assert!(q[0].is_rate());
    }
}
