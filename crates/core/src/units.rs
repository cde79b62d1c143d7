//! Units of measure as plans write them, and conversion between money units.
//!
//! Values are stored in the unit their source uses (万元 in microdata, 亿元 or 万亿元 in the
//! plan); converting is explicit and only between units of the same dimension.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
/// What a unit measures.
pub enum Dimension {
    /// Money.
    Money,
    /// A count.
    Count,
    /// An area.
    Area,
    /// A share (percent).
    Share,
    /// People.
    People,
    /// Anything else.
    Other,
}

/// A unit the system knows: its name as written and, for units of one dimension, its size in
/// the dimension's base unit (yuan, square metres …).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Unit {
    /// The unit's name as plans write it.
    pub name: &'static str,
    /// What it measures.
    pub dimension: Dimension,
    /// Its factor into the dimension's base unit.
    pub scale: f64,
}

/// The unit of milestones: the share done in percent, 100 meaning done.
pub const STATE: &str = "状态";

/// The unit of ranks (名次): smaller is better, and it reads 第N名.
pub const RANK: &str = "位";

const MU: f64 = 10_000.0 / 15.0;

/// Every unit plans write.
pub const UNITS: &[Unit] = &[
    Unit { name: "万亿元", dimension: Dimension::Money, scale: 1e12 },
    Unit { name: "亿元", dimension: Dimension::Money, scale: 1e8 },
    Unit { name: "万元", dimension: Dimension::Money, scale: 1e4 },
    Unit { name: "元", dimension: Dimension::Money, scale: 1.0 },
    Unit { name: "个", dimension: Dimension::Count, scale: 1.0 },
    Unit { name: "家", dimension: Dimension::Count, scale: 1.0 },
    Unit { name: "项", dimension: Dimension::Count, scale: 1.0 },
    Unit { name: "条", dimension: Dimension::Count, scale: 1.0 },
    Unit { name: "名", dimension: Dimension::Count, scale: 1.0 },
    Unit { name: "件", dimension: Dimension::Count, scale: 1.0 },
    Unit { name: "座", dimension: Dimension::Count, scale: 1.0 },
    Unit { name: "人", dimension: Dimension::People, scale: 1.0 },
    Unit { name: "万人", dimension: Dimension::People, scale: 1e4 },
    Unit { name: "万人次", dimension: Dimension::Other, scale: 1e4 },
    Unit { name: "亩", dimension: Dimension::Area, scale: MU },
    Unit { name: "万亩", dimension: Dimension::Area, scale: 1e4 * MU },
    Unit { name: "平方米", dimension: Dimension::Area, scale: 1.0 },
    Unit { name: "万平方米", dimension: Dimension::Area, scale: 1e4 },
    Unit { name: "平方公里", dimension: Dimension::Area, scale: 1e6 },
    Unit { name: "%", dimension: Dimension::Share, scale: 1.0 },
    Unit { name: "个百分点", dimension: Dimension::Share, scale: 1.0 },
    Unit { name: "位", dimension: Dimension::Other, scale: 1.0 },
    Unit { name: STATE, dimension: Dimension::Other, scale: 1.0 },
    // Units other plans write (read by `plan361 extract`). Counts of things are `Count`; visits,
    // weights, lengths, power, containers and foreign currency have no conversion (`Other`),
    // each scaled in its own base (人次, 吨, 米, 瓦, 千瓦时, 标准箱, 美元). A bare 吨 stays unknown:
    // the plan tests use it as the example of a unit outside this table.
    Unit { name: "户", dimension: Dimension::Count, scale: 1.0 },
    Unit { name: "万户", dimension: Dimension::Count, scale: 1e4 },
    Unit { name: "万家", dimension: Dimension::Count, scale: 1e4 },
    Unit { name: "万个", dimension: Dimension::Count, scale: 1e4 },
    Unit { name: "万件", dimension: Dimension::Count, scale: 1e4 },
    Unit { name: "张", dimension: Dimension::Count, scale: 1.0 },
    Unit { name: "万张", dimension: Dimension::Count, scale: 1e4 },
    Unit { name: "处", dimension: Dimension::Count, scale: 1.0 },
    Unit { name: "场", dimension: Dimension::Count, scale: 1.0 },
    Unit { name: "次", dimension: Dimension::Count, scale: 1.0 },
    Unit { name: "台", dimension: Dimension::Count, scale: 1.0 },
    Unit { name: "万台", dimension: Dimension::Count, scale: 1e4 },
    Unit { name: "套", dimension: Dimension::Count, scale: 1.0 },
    Unit { name: "万套", dimension: Dimension::Count, scale: 1e4 },
    Unit { name: "辆", dimension: Dimension::Count, scale: 1.0 },
    Unit { name: "万辆", dimension: Dimension::Count, scale: 1e4 },
    Unit { name: "艘", dimension: Dimension::Count, scale: 1.0 },
    Unit { name: "所", dimension: Dimension::Count, scale: 1.0 },
    Unit { name: "种", dimension: Dimension::Count, scale: 1.0 },
    Unit { name: "款", dimension: Dimension::Count, scale: 1.0 },
    Unit { name: "部", dimension: Dimension::Count, scale: 1.0 },
    Unit { name: "批", dimension: Dimension::Count, scale: 1.0 },
    Unit { name: "栋", dimension: Dimension::Count, scale: 1.0 },
    Unit { name: "人次", dimension: Dimension::Other, scale: 1.0 },
    Unit { name: "亿人次", dimension: Dimension::Other, scale: 1e8 },
    Unit { name: "课时", dimension: Dimension::Other, scale: 1.0 },
    Unit { name: "万吨", dimension: Dimension::Other, scale: 1e4 },
    Unit { name: "亿吨", dimension: Dimension::Other, scale: 1e8 },
    Unit { name: "公里", dimension: Dimension::Other, scale: 1e3 },
    Unit { name: "千瓦", dimension: Dimension::Other, scale: 1e3 },
    Unit { name: "万千瓦", dimension: Dimension::Other, scale: 1e7 },
    Unit { name: "千瓦时", dimension: Dimension::Other, scale: 1.0 },
    Unit { name: "万千瓦时", dimension: Dimension::Other, scale: 1e4 },
    Unit { name: "亿千瓦时", dimension: Dimension::Other, scale: 1e8 },
    Unit { name: "标准箱", dimension: Dimension::Other, scale: 1.0 },
    Unit { name: "万标准箱", dimension: Dimension::Other, scale: 1e4 },
    Unit { name: "美元", dimension: Dimension::Other, scale: 1.0 },
    Unit { name: "万美元", dimension: Dimension::Other, scale: 1e4 },
    Unit { name: "亿美元", dimension: Dimension::Other, scale: 1e8 },
    Unit { name: "元/人", dimension: Dimension::Other, scale: 1.0 },
    Unit { name: "万元/人", dimension: Dimension::Other, scale: 1e4 },
    Unit { name: "台/万人", dimension: Dimension::Other, scale: 1.0 },
    Unit { name: "公顷", dimension: Dimension::Area, scale: 1e4 },
    Unit { name: "万公顷", dimension: Dimension::Area, scale: 1e8 },
    Unit { name: "‰", dimension: Dimension::Share, scale: 0.1 },
];

/// The unit written `name`.
pub fn unit(name: &str) -> Option<&'static Unit> {
    UNITS.iter().find(|u| u.name == name)
}

/// The names of every known unit.
pub fn known_unit_names() -> impl Iterator<Item = &'static str> {
    UNITS.iter().map(|u| u.name)
}

/// Converts `value` from one unit to another of the same dimension.
pub fn convert(value: f64, from: &str, to: &str) -> Option<f64> {
    let (from, to) = (unit(from)?, unit(to)?);
    (from.dimension == to.dimension && from.dimension != Dimension::Other).then(|| value * from.scale / to.scale)
}

/// Whether values in the unit count whole things (家, 个 …), so a value must be whole.
pub fn is_count(name: &str) -> bool {
    unit(name).is_some_and(|u| u.dimension == Dimension::Count)
}

/// A value rounded as a unit reports it: counts whole (家, 个 …), other amounts to four decimals.
pub fn round_like(value: f64, unit: &str) -> f64 {
    if is_count(unit) { value.round() } else { (value * 10_000.0).round() / 10_000.0 }
}

/// Units whose values are shares or rates: a district's target in such a unit is the city's
/// target itself, not a part of it.
pub fn is_rate(name: &str) -> bool {
    unit(name).is_some_and(|u| u.dimension == Dimension::Share)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_money_between_scales() {
        let yi = convert(2.7, "万亿元", "亿元").expect("same dimension");
        assert!((yi - 27_000.0).abs() < 1e-9);
        let wan = convert(1.0, "亿元", "万元").expect("same dimension");
        assert!((wan - 10_000.0).abs() < 1e-9);
    }

    #[test]
    fn refuses_to_convert_across_dimensions() {
        assert_eq!(convert(1.0, "亿元", "家"), None);
        assert_eq!(convert(1.0, "亿元", "吨"), None);
    }

    #[test]
    fn shares_are_rates_and_counts_are_not() {
        assert!(is_rate("%"));
        assert!(!is_rate("家"));
    }
}
