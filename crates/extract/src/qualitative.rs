//! Commitments without a number: `全覆盖`, `双提升`, `保持稳定`, `动态清零`, `倍增`, `零的突破`,
//! `“破万”`, `全面建成`, `与经济增长基本同步`, `完成…考核目标任务`, `所有城市达到…标准`. A cue
//! inside quotation marks is part of a name (`“四个百分百全覆盖”扶贫举措`), not a commitment.

use std::ops::Range;
use std::sync::LazyLock;

use plan361_core::plan::Direction;
use regex::Regex;

use crate::TargetKind;
use crate::target::{Candidate, YEAR_OPENER, last_de_outside_quotes};
use crate::text::{is_trim, slice, trim_range};

struct Cue {
    pattern: &'static str,
    kind: TargetKind,
    comparator: &'static str,
    /// What the indicator ends with (`覆盖` for 全覆盖).
    suffix: &'static str,
    /// The cue must end the clause (`…体系全面建成,` but not `基本建成全国…高地`).
    at_end: bool,
}

const CUES: &[Cue] = &[
    Cue { pattern: "全覆盖", kind: TargetKind::Milestone, comparator: "实现", suffix: "覆盖", at_end: false },
    Cue { pattern: "基本覆盖", kind: TargetKind::Milestone, comparator: "实现", suffix: "覆盖", at_end: false },
    Cue { pattern: "全面覆盖", kind: TargetKind::Milestone, comparator: "实现", suffix: "覆盖", at_end: false },
    Cue { pattern: "双提升", kind: TargetKind::Direction, comparator: "实现", suffix: "", at_end: false },
    Cue { pattern: "双提高", kind: TargetKind::Direction, comparator: "实现", suffix: "", at_end: false },
    Cue { pattern: "双增长", kind: TargetKind::Direction, comparator: "实现", suffix: "", at_end: false },
    Cue { pattern: "保持稳定", kind: TargetKind::Stable, comparator: "保持", suffix: "", at_end: false },
    Cue { pattern: "总体稳定", kind: TargetKind::Stable, comparator: "保持", suffix: "", at_end: false },
    Cue { pattern: "动态清零", kind: TargetKind::Zero, comparator: "实现", suffix: "", at_end: false },
    Cue { pattern: "清零", kind: TargetKind::Zero, comparator: "实现", suffix: "", at_end: false },
    Cue { pattern: "倍增", kind: TargetKind::Milestone, comparator: "实现", suffix: "倍增", at_end: false },
    Cue { pattern: "翻一番", kind: TargetKind::Milestone, comparator: "实现", suffix: "翻一番", at_end: false },
    Cue { pattern: "翻两番", kind: TargetKind::Milestone, comparator: "实现", suffix: "翻两番", at_end: false },
    Cue {
        pattern: "零的突破", kind: TargetKind::Milestone, comparator: "突破", suffix: "零的突破", at_end: false
    },
    Cue {
        pattern: "零突破", kind: TargetKind::Milestone, comparator: "突破", suffix: "零的突破", at_end: false
    },
    Cue {
        pattern: "“破万", kind: TargetKind::Milestone, comparator: "突破", suffix: "“破万”", at_end: false
    },
    Cue {
        pattern: "“破千", kind: TargetKind::Milestone, comparator: "突破", suffix: "“破千”", at_end: false
    },
    Cue { pattern: "全面建成", kind: TargetKind::Milestone, comparator: "实现", suffix: "建成", at_end: true },
    Cue { pattern: "基本建成", kind: TargetKind::Milestone, comparator: "实现", suffix: "建成", at_end: true },
    Cue { pattern: "初步建成", kind: TargetKind::Milestone, comparator: "实现", suffix: "建成", at_end: true },
    Cue { pattern: "基本同步", kind: TargetKind::Milestone, comparator: "保持", suffix: "同步", at_end: false },
    Cue {
        pattern: "同步增长", kind: TargetKind::Milestone, comparator: "保持", suffix: "同步增长", at_end: false
    },
    Cue { pattern: "同步", kind: TargetKind::Milestone, comparator: "保持", suffix: "同步", at_end: true },
];

/// Words before a qualitative cue that are not the subject.
const LEAD_WORDS: &[&str] = &[
    "加快推进",
    "加快",
    "推动",
    "推进",
    "实施",
    "实现",
    "确保",
    "全面",
    "深入",
    "积极",
    "着力",
    "大力",
    "力争",
    "努力",
    "持续",
    "基本",
    "逐步",
    "其中",
    "同时",
    "并",
    "以",
    "全市",
    "全省",
    "全区",
    "我市",
    "我省",
];
const TRAIL_WORDS: &[&str] = &["实现", "动态", "基本", "全面", "达到", "的", "“", "均", "要"];

static SHARES: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(.+占)([^、]+)、([^、]+?)(的)?比重$").expect("regex"));

fn clean_subject(s: &str) -> &str {
    let mut s = s.trim_matches(is_trim);
    loop {
        let before = s;
        if let Some(m) = YEAR_OPENER.find(s) {
            s = s[m.end()..].trim_matches(is_trim);
        }
        if let Some(w) = LEAD_WORDS.iter().find(|w| s.starts_with(**w)) {
            s = s[w.len()..].trim_matches(is_trim);
        }
        if let Some(w) = TRAIL_WORDS.iter().find(|w| s.ends_with(**w)) {
            s = s[..s.len() - w.len()].trim_matches(is_trim);
        }
        if s == before {
            return s;
        }
    }
}

/// The qualitative commitments of a clause that has no quantified target.
pub(crate) fn clause(text: &str, clause: Range<usize>, out: &mut Vec<Candidate>) {
    let clause = trim_range(text, clause, is_trim);
    let s = slice(text, clause.clone());
    if s.is_empty() {
        return;
    }
    if let Some(found) = completion(s) {
        out.push(candidate(found, TargetKind::Milestone, "达到", clause.clone(), Vec::new()));
        return;
    }
    if let Some(found) = institution(s) {
        out.push(candidate(found, TargetKind::Milestone, "实现", clause.clone(), Vec::new()));
        return;
    }
    if let Some(found) = all_reach(s) {
        let comparator = if s.starts_with("力争") { "力争" } else { "达到" };
        out.push(candidate(found, TargetKind::Milestone, comparator, clause.clone(), Vec::new()));
        return;
    }
    let Some((cue, at)) = CUES.iter().find_map(|c| s.find(c.pattern).map(|at| (c, at))) else { return };
    // `“四个百分百全覆盖”`: the cue names something; `“破万行动”` is quoted by its own pattern.
    let quoted = s[..at].matches('“').count() > s[..at].matches('”').count();
    if quoted && !cue.pattern.starts_with('“') {
        return;
    }
    let after = s[at + cue.pattern.len()..].trim_matches(is_trim);
    if cue.at_end && !after.is_empty() {
        return;
    }
    let subject = clean_subject(&s[..at]);
    if subject.chars().count() < 2 {
        return;
    }
    // A long description ends with the thing itself: `以…为特征的“361”现代化产业体系`.
    let subject = match last_de_outside_quotes(subject) {
        Some(i) if subject.chars().count() > 12 && subject[i + '的'.len_utf8()..].chars().count() >= 4 => {
            &subject[i + '的'.len_utf8()..]
        }
        _ => subject,
    };
    let subject = subject.replace("基本", "");
    let mut review = Vec::new();
    match cue.kind {
        TargetKind::Direction => {
            let parts: Vec<&str> =
                subject.split(['和', '与', '、']).map(|p| p.trim_matches(is_trim)).filter(|p| !p.is_empty()).collect();
            let measures: Vec<(String, Direction)> = if parts.len() == 2 {
                // 开发园区综合排名和工业增加值占比: the second borrows the first's subject.
                let first = parts[0].to_string();
                let owner: String = first.chars().take_while(|c| !"综合排名名次".contains(*c)).collect();
                let second = if owner.len() >= 6 && owner.len() < first.len() && !parts[1].starts_with(&owner) {
                    format!("{owner}{}", parts[1])
                } else {
                    parts[1].to_string()
                };
                [first, second]
                    .into_iter()
                    .map(|name| {
                        let d = if name.contains("排名") || name.contains("名次") {
                            Direction::Down
                        } else {
                            Direction::Up
                        };
                        (name, d)
                    })
                    .collect()
            } else {
                review.push("双向指标的分项未能拆分".to_string());
                Vec::new()
            };
            let mut c = candidate(subject.clone(), cue.kind, cue.comparator, clause, review);
            c.measures = measures;
            if !c.measures.is_empty() {
                c.review.push("分项方向请核对(名次越小越好)".to_string());
            }
            out.push(c);
        }
        TargetKind::Stable => {
            let names = match SHARES.captures(&subject) {
                Some(c) => {
                    let head = c.get(1).map_or("", |m| m.as_str());
                    [c.get(2), c.get(3)]
                        .into_iter()
                        .flatten()
                        .map(|m| format!("{head}{}比重", m.as_str()))
                        .collect::<Vec<_>>()
                }
                None => vec![subject.clone()],
            };
            for name in names {
                out.push(candidate(name, cue.kind, cue.comparator, clause.clone(), Vec::new()));
            }
        }
        TargetKind::Zero => {
            let mut c = candidate(subject.clone(), cue.kind, cue.comparator, clause, Vec::new());
            c.direction = Direction::Down;
            out.push(c);
        }
        _ => {
            let indicator = format!("{}{}", subject.trim_end_matches(cue.suffix), cue.suffix);
            out.push(candidate(indicator, cue.kind, cue.comparator, clause, review));
        }
    }
}

/// `完成省、市下达的节能减排考核目标任务`.
fn completion(s: &str) -> Option<String> {
    let rest = clean_subject(s);
    let rest = rest.strip_prefix("全面").unwrap_or(rest);
    let body = rest.strip_prefix("完成")?;
    (body.ends_with("目标任务")
        || body.ends_with("考核任务")
        || body.ends_with("考核目标")
        || body.ends_with("下达任务"))
    .then(|| format!("完成{body}"))
}

/// A share of all without a number: `力争全省所有城市(县城、镇)达到…建设标准`.
fn all_reach(s: &str) -> Option<String> {
    let rest = clean_subject(s);
    let rest = rest.strip_prefix("全市").or_else(|| rest.strip_prefix("全省")).unwrap_or(rest);
    (rest.starts_with("所有") && rest.contains("达到") && rest.ends_with("标准")).then(|| rest.to_string())
}

/// Verbs that set up an institution.
const FOUNDING: &[&str] = &["建成", "组建", "争创", "创建", "设立", "成立"];

/// What an institution's name ends with (not `平台`, `体系`, `城市`, `高地`: those are aims).
const INSTITUTIONS: &[&str] = &["中心", "基金", "研究院", "研究所", "实验室", "学院", "医院"];

/// An institution to be set up, the whole clause: `积极争创国家级工程师协同创新中心`,
/// `加快组建百亿级天使投资引导基金`, `建成一站集成的企业综合服务中心`.
fn institution(s: &str) -> Option<String> {
    let rest = clean_subject(s);
    let name = FOUNDING.iter().find_map(|verb| rest.strip_prefix(verb))?;
    INSTITUTIONS.iter().any(|i| name.len() > i.len() && name.ends_with(i)).then(|| name.to_string())
}

fn candidate(
    indicator: String,
    kind: TargetKind,
    comparator: &'static str,
    source: Range<usize>,
    review: Vec<String>,
) -> Candidate {
    Candidate {
        indicator,
        position: source.start,
        value: None,
        value_max: None,
        unit: None,
        comparator,
        kind,
        direction: Direction::Up,
        source,
        measures: Vec::new(),
        review,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(s: &str) -> Vec<(String, TargetKind)> {
        let mut out = Vec::new();
        clause(s, 0..s.len(), &mut out);
        out.into_iter().map(|c| (c.indicator, c.kind)).collect()
    }

    #[test]
    fn coverage_and_two_sided_targets() {
        assert_eq!(found("到2030年,工业社区实现全覆盖"), vec![("工业社区覆盖".to_string(), TargetKind::Milestone)]);
        assert_eq!(
            found("加快推进规上工业企业绿色化改造全覆盖"),
            vec![("规上工业企业绿色化改造覆盖".to_string(), TargetKind::Milestone)]
        );
        let mut out = Vec::new();
        let s = "开发园区综合排名和工业增加值占比实现双提升";
        clause(s, 0..s.len(), &mut out);
        assert_eq!(out[0].indicator, "开发园区综合排名和工业增加值占比");
        assert_eq!(out[0].kind, TargetKind::Direction);
        assert_eq!(out[0].measures[0], ("开发园区综合排名".to_string(), Direction::Down));
        assert_eq!(out[0].measures[1], ("开发园区工业增加值占比".to_string(), Direction::Up));
    }

    #[test]
    fn stable_zero_and_other_commitments() {
        assert_eq!(
            found("实际利用外资占全省、全国比重保持稳定"),
            vec![
                ("实际利用外资占全省比重".to_string(), TargetKind::Stable),
                ("实际利用外资占全国比重".to_string(), TargetKind::Stable)
            ]
        );
        assert_eq!(found("实现无分歧政府拖欠账款动态清零"), vec![("无分歧政府拖欠账款".to_string(), TargetKind::Zero)]);
        assert_eq!(
            found("全市预制菜产业规模实现倍增"),
            vec![("预制菜产业规模倍增".to_string(), TargetKind::Milestone)]
        );
        assert_eq!(
            found("实施高新技术企业“破万行动”"),
            vec![("高新技术企业“破万”".to_string(), TargetKind::Milestone)]
        );
        assert_eq!(
            found("城乡居民收入增长与经济增长基本同步"),
            vec![("城乡居民收入增长与经济增长同步".to_string(), TargetKind::Milestone)]
        );
        assert_eq!(
            found("完成省、市下达的节能减排考核目标任务"),
            vec![("完成省、市下达的节能减排考核目标任务".to_string(), TargetKind::Milestone)]
        );
        assert_eq!(found("“361”现代化产业体系全面建成").len(), 1);
        assert!(found("基本建成全国制造业创新高地").is_empty());
        assert!(found("该县提出“四个百分百全覆盖”扶贫举措").is_empty(), "a name");
        assert_eq!(
            found("力争全省所有城市(县城、镇)达到江西省生态园林城市(镇)建设标准"),
            vec![("所有城市(县城、镇)达到江西省生态园林城市(镇)建设标准".to_string(), TargetKind::Milestone)]
        );
        assert!(found("突破一批产业关键核心技术").is_empty());
    }

    #[test]
    fn an_institution_to_set_up_is_a_milestone() {
        let milestone = |s: &str| vec![(s.to_string(), TargetKind::Milestone)];
        assert_eq!(found("积极争创国家级工程师协同创新中心"), milestone("国家级工程师协同创新中心"));
        assert_eq!(found("加快组建百亿级天使投资引导基金"), milestone("百亿级天使投资引导基金"));
        assert_eq!(found("建成一站集成的企业综合服务中心"), milestone("一站集成的企业综合服务中心"));
        // Aims and platforms are not institutions.
        assert!(found("积极争创国家数字经济创新发展试验区和国家新一代人工智能创新发展试验区").is_empty());
        assert!(found("建成“5G+工业互联网赋能平台”").is_empty());
        assert!(found("力争建成中西部服务业强市").is_empty());
        assert!(found("组建企业创新联合体").is_empty());
    }
}
