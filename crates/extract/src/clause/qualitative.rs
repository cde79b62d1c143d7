//! Commitments without a number: `全覆盖`, `双提升`, `保持稳定`, `动态清零`, `倍增`, `零的突破`,
//! `“破万”`, `全面建成`, `与经济增长基本同步`, `完成…考核目标任务`, `所有城市达到…标准`, and an
//! institution to set up (`组建…基金`). A cue inside quotation marks is part of a name
//! (`“四个百分百全覆盖”扶贫举措`), not a commitment.

use std::ops::Range;
use std::sync::LazyLock;

use plan361_core::plan::{Comparator, Direction, Kind};
use regex::Regex;

use super::Candidate;
use super::indicator::last_de_outside_quotes;
use super::words::YEAR_OPENER;
use crate::Target;
use crate::stated::StatedComparator;
use crate::text::{is_trim, slice, trim_range};
use Commitment::{Milestone, Stable, TwoSided, Zero};
use Comparator::{Accomplish, Exceed, Keep};

/// What a cue commits to.
#[derive(Clone, Copy, Debug)]
enum Commitment {
    /// A state to reach; the indicator ends with the suffix (`覆盖` for 全覆盖).
    Milestone(&'static str),
    /// Two measures to move (双提升).
    TwoSided,
    /// A level or share to keep (保持稳定).
    Stable,
    /// Something to clear (动态清零).
    Zero,
}

struct Cue {
    pattern: &'static str,
    commitment: Commitment,
    comparator: Comparator,
    /// The cue must end the clause (`…体系全面建成,` but not `基本建成全国…高地`).
    at_end: bool,
}

const fn cue(pattern: &'static str, commitment: Commitment, comparator: Comparator, at_end: bool) -> Cue {
    Cue { pattern, commitment, comparator, at_end }
}

/// The cues, the first found in a clause wins.
const CUES: &[Cue] = &[
    cue("全覆盖", Milestone("覆盖"), Accomplish, false),
    cue("基本覆盖", Milestone("覆盖"), Accomplish, false),
    cue("全面覆盖", Milestone("覆盖"), Accomplish, false),
    cue("双提升", TwoSided, Accomplish, false),
    cue("双提高", TwoSided, Accomplish, false),
    cue("双增长", TwoSided, Accomplish, false),
    cue("保持稳定", Stable, Keep, false),
    cue("总体稳定", Stable, Keep, false),
    cue("动态清零", Zero, Accomplish, false),
    cue("清零", Zero, Accomplish, false),
    cue("倍增", Milestone("倍增"), Accomplish, false),
    cue("翻一番", Milestone("翻一番"), Accomplish, false),
    cue("翻两番", Milestone("翻两番"), Accomplish, false),
    cue("零的突破", Milestone("零的突破"), Exceed, false),
    cue("零突破", Milestone("零的突破"), Exceed, false),
    cue("“破万", Milestone("“破万”"), Exceed, false),
    cue("“破千", Milestone("“破千”"), Exceed, false),
    cue("全面建成", Milestone("建成"), Accomplish, true),
    cue("基本建成", Milestone("建成"), Accomplish, true),
    cue("初步建成", Milestone("建成"), Accomplish, true),
    cue("基本同步", Milestone("同步"), Keep, false),
    cue("同步增长", Milestone("同步增长"), Keep, false),
    cue("同步", Milestone("同步"), Keep, true),
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
/// Words after the subject, before the cue.
const TRAIL_WORDS: &[&str] = &["实现", "动态", "基本", "全面", "达到", "的", "“", "均", "要"];

/// Two shares of one subject: `实际利用外资占全省、全国比重`.
static SHARES: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(.+占)([^、]+)、([^、]+?)(的)?比重$").expect("regex"));

/// The words before a cue without year phrases, lead words (`加快推进`) and trailing words
/// (`实现`).
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

/// The commitments without a number of a clause (a range of `text`).
pub(super) fn read(text: &str, clause: Range<usize>) -> Vec<Candidate> {
    let clause = trim_range(text, clause, is_trim);
    let s = slice(text, clause.clone());
    if s.is_empty() {
        return Vec::new();
    }
    if let Some((indicator, comparator)) = whole_clause(s) {
        return vec![candidate(indicator, Kind::Milestone, comparator, clause)];
    }
    match cued(s) {
        Some((cue, subject)) => cue.commitment.read(subject, cue.comparator, clause),
        None => Vec::new(),
    }
}

/// A clause that is a milestone as a whole: completing the tasks assigned, setting up an
/// institution, all of a kind reaching a standard.
fn whole_clause(s: &str) -> Option<(String, StatedComparator)> {
    if let Some(found) = completion(s) {
        return Some((found, Comparator::Reach.into()));
    }
    if let Some(found) = institution(s) {
        return Some((found, Comparator::Accomplish.into()));
    }
    let comparator = if s.starts_with("力争") { StatedComparator::Strive } else { Comparator::Reach.into() };
    all_reach(s).map(|found| (found, comparator))
}

/// The first cue of a clause and its subject, the words before it. None where the cue is
/// quoted (a name: `“四个百分百全覆盖”`; `“破万行动”` is quoted by its own pattern), where it
/// must end the clause and does not, or where it has no subject.
fn cued(s: &str) -> Option<(&'static Cue, String)> {
    let (cue, at) = CUES.iter().find_map(|c| s.find(c.pattern).map(|at| (c, at)))?;
    let quoted = s[..at].matches('“').count() > s[..at].matches('”').count();
    if quoted && !cue.pattern.starts_with('“') {
        return None;
    }
    let after = s[at + cue.pattern.len()..].trim_matches(is_trim);
    if cue.at_end && !after.is_empty() {
        return None;
    }
    let subject = clean_subject(&s[..at]);
    if subject.chars().count() < 2 {
        return None;
    }
    // A long description ends with the thing itself: `以…为特征的“361”现代化产业体系`.
    let subject = match last_de_outside_quotes(subject) {
        Some(i) if subject.chars().count() > 12 && subject[i + '的'.len_utf8()..].chars().count() >= 4 => {
            &subject[i + '的'.len_utf8()..]
        }
        _ => subject,
    };
    Some((cue, subject.replace("基本", "")))
}

impl Commitment {
    /// The targets a cue makes of its subject.
    fn read(self, subject: String, comparator: Comparator, clause: Range<usize>) -> Vec<Candidate> {
        match self {
            Milestone(suffix) => {
                let indicator = format!("{}{suffix}", subject.trim_end_matches(suffix));
                vec![candidate(indicator, Kind::Milestone, comparator, clause)]
            }
            TwoSided => vec![two_sided(subject, comparator, clause)],
            Stable => shares(&subject)
                .into_iter()
                .map(|name| candidate(name, Kind::Stable, comparator, clause.clone()))
                .collect(),
            Zero => {
                let mut zero = candidate(subject, Kind::Zero, comparator, clause);
                zero.target.direction = Direction::Down;
                vec![zero]
            }
        }
    }
}

/// A two-sided target (双提升), split into its two measures where the subject names two.
fn two_sided(subject: String, comparator: Comparator, clause: Range<usize>) -> Candidate {
    let mut c = candidate(subject, Kind::Direction, comparator, clause);
    match two_measures(&c.target.indicator) {
        Some(measures) => {
            c.target.measures = measures;
            c.target.review.push("分项方向请核对(名次越小越好)".to_string());
        }
        None => c.target.review.push("双向指标的分项未能拆分".to_string()),
    }
    c
}

/// `开发园区综合排名和工业增加值占比`: the second borrows the first's subject; a rank moves down.
fn two_measures(subject: &str) -> Option<Vec<(String, Direction)>> {
    let parts: Vec<&str> =
        subject.split(['和', '与', '、']).map(|p| p.trim_matches(is_trim)).filter(|p| !p.is_empty()).collect();
    let [first, second] = parts.as_slice() else { return None };
    let owner: String = first.chars().take_while(|c| !"综合排名名次".contains(*c)).collect();
    let second = if owner.len() >= 6 && owner.len() < first.len() && !second.starts_with(&owner) {
        format!("{owner}{second}")
    } else {
        second.to_string()
    };
    let measures = [first.to_string(), second]
        .into_iter()
        .map(|name| {
            let rank = name.contains("排名") || name.contains("名次");
            (name, if rank { Direction::Down } else { Direction::Up })
        })
        .collect();
    Some(measures)
}

/// `实际利用外资占全省、全国比重` → one share each; any other subject is one.
fn shares(subject: &str) -> Vec<String> {
    match SHARES.captures(subject) {
        Some(c) => {
            let head = c.get(1).map_or("", |m| m.as_str());
            [c.get(2), c.get(3)].into_iter().flatten().map(|m| format!("{head}{}比重", m.as_str())).collect()
        }
        None => vec![subject.to_string()],
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
    kind: Kind,
    comparator: impl Into<StatedComparator>,
    source: Range<usize>,
) -> Candidate {
    let target = Target::unplaced(indicator, comparator.into(), kind.into(), Direction::Up);
    Candidate { target, position: source.start, source }
}
