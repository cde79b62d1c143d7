//! Measuring extraction against hand-labelled targets: precision and recall of
//! (indicator, year, value, unit).
//!
//! Two targets match when their year, value and unit are equal (a missing value or year equals
//! only a missing one; values within 1e-9 relative) and their indicators name the same thing:
//! after removing spaces, punctuation, brackets and quotes, one contains the other, or their
//! characters overlap with a Dice coefficient of at least 0.5 (`2·|A∩B| / (|A|+|B|)` over the
//! multisets of characters). Each label matches at most one extracted target and vice versa;
//! pairs are matched greedily by decreasing indicator similarity.

use std::collections::HashMap;

use crate::text::compact;

/// The threshold of indicator similarity for a match.
pub const THRESHOLD: f64 = 0.5;

/// One target as scored.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    pub indicator: String,
    pub year: Option<i32>,
    pub value: Option<f64>,
    pub unit: Option<String>,
}

/// How far two indicators name the same thing, from 0 to 1 (1 when one contains the other).
pub fn similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (compact(a), compact(b));
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    if a.contains(&b) || b.contains(&a) {
        return 1.0;
    }
    let mut counts: HashMap<char, i32> = HashMap::new();
    for c in a.chars() {
        *counts.entry(c).or_default() += 1;
    }
    let mut common = 0;
    for c in b.chars() {
        if let Some(n) = counts.get_mut(&c)
            && *n > 0
        {
            *n -= 1;
            common += 1;
        }
    }
    2.0 * f64::from(common) / (a.chars().count() + b.chars().count()) as f64
}

fn same_value(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0),
        _ => false,
    }
}

/// The matching of extracted items against labels.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Score {
    pub extracted: usize,
    pub labelled: usize,
    /// (extracted index, label index) of every match.
    pub pairs: Vec<(usize, usize)>,
}

impl Score {
    pub fn matched(&self) -> usize {
        self.pairs.len()
    }

    /// Matched / extracted (1 when nothing was extracted from a document without labels).
    pub fn precision(&self) -> f64 {
        if self.extracted == 0 {
            if self.labelled == 0 { 1.0 } else { 0.0 }
        } else {
            self.matched() as f64 / self.extracted as f64
        }
    }

    /// Matched / labelled.
    pub fn recall(&self) -> f64 {
        if self.labelled == 0 { 1.0 } else { self.matched() as f64 / self.labelled as f64 }
    }

    /// Adds another document's counts (micro-average).
    pub fn add(&mut self, other: &Score) {
        let (e, l) = (self.extracted, self.labelled);
        self.pairs.extend(other.pairs.iter().map(|(i, j)| (i + e, j + l)));
        self.extracted += other.extracted;
        self.labelled += other.labelled;
    }
}

/// Matches extracted items against labelled ones.
pub fn score(extracted: &[Item], labelled: &[Item]) -> Score {
    let mut candidates: Vec<(f64, usize, usize)> = Vec::new();
    for (i, e) in extracted.iter().enumerate() {
        for (j, l) in labelled.iter().enumerate() {
            if e.year == l.year && same_value(e.value, l.value) && e.unit == l.unit {
                let s = similarity(&e.indicator, &l.indicator);
                if s >= THRESHOLD {
                    candidates.push((s, i, j));
                }
            }
        }
    }
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let (mut used_e, mut used_l) = (vec![false; extracted.len()], vec![false; labelled.len()]);
    let mut pairs = Vec::new();
    for (_, i, j) in candidates {
        if !used_e[i] && !used_l[j] {
            used_e[i] = true;
            used_l[j] = true;
            pairs.push((i, j));
        }
    }
    pairs.sort_unstable();
    Score { extracted: extracted.len(), labelled: labelled.len(), pairs }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(indicator: &str, year: i32, value: f64, unit: &str) -> Item {
        Item { indicator: indicator.into(), year: Some(year), value: Some(value), unit: Some(unit.into()) }
    }

    #[test]
    fn similarity_by_containment_or_overlap() {
        assert_eq!(similarity("遴选项目", "甬江人才工程遴选项目"), 1.0);
        assert_eq!(similarity("“浙江制造精品”", "新增培育浙江制造精品"), 1.0);
        assert!(similarity("5亿元以上企业", "加工产值5亿元以上预制菜企业") >= THRESHOLD);
        assert!(similarity("公办幼儿园托班托额", "社区托育“宝宝屋”托额") < THRESHOLD);
        assert_eq!(similarity("", "x"), 0.0);
    }

    #[test]
    fn matches_one_to_one() {
        let labels = [item("国家级创新平台", 2030, 9.0, "个"), item("省级新型研发机构", 2030, 40.0, "个")];
        let extracted = [
            item("国家级创新平台", 2030, 9.0, "个"),
            item("国家级创新平台", 2030, 9.0, "个"),
            item("省级新型研发机构", 2027, 40.0, "个"),
        ];
        let s = score(&extracted, &labels);
        assert_eq!(s.pairs, vec![(0, 0)]);
        assert!((s.precision() - 1.0 / 3.0).abs() < 1e-12);
        assert!((s.recall() - 0.5).abs() < 1e-12);
    }
}
