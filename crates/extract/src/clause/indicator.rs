//! Stage 3: what a value measures. The words before it are read from both ends — comparator
//! words, a growth verb and a base phrase peeled from the right (a [`Zone`]), year phrases and
//! openers from the left — and what is left names the indicator, with the words after the
//! number (`新增100张困难重残养护床位`). Enumerations share names out (`A、B分别达到X、Y`), a
//! share before its noun is a share of what follows (`70%的城市达到…标准`), and a value without a
//! name takes the sentence's subject (`…,占地区生产总值比重达25%`) or topic.

use super::SentenceState;
use super::flags::Flags;
use super::items::Item;
use super::words::{
    BASE_PHRASE, ENTITIES, GROWTH, LOWER_BOUNDS, NEW, OPENERS, SCOPES, UPPER_BOUNDS, VERBS, YEAR_INSIDE, YEAR_OPENER,
    ZONE,
};
use crate::number::Quantity;
use crate::text::{is_trim, nesting, slice};

/// Stage 3's result for one value.
pub(super) struct Named {
    /// What the value measures, with its growth word (`工业投资年均增长`).
    pub indicator: String,
    /// The words between the indicator and the number.
    pub zone: Zone,
    /// The unit as written, completed from the name where the text leaves it bare
    /// (`接待旅游人次7300万`: 万人次).
    pub unit: String,
    /// What the value's own words open with (`每年`, `累计`, `力争`, `新增`).
    pub opening: Flags,
    /// Why a person must check the name.
    pub review: Vec<String>,
}

impl Named {
    /// The indicators the value is for: the one it names, or — where `均`/`双` shares the value
    /// out (`城镇和农村居民人均可支配收入均增长8%`) — one per name.
    pub fn indicators(self) -> Vec<String> {
        let distributive = self.zone.words.iter().any(|w| matches!(*w, "均" | "均为" | "双"));
        let names = if distributive { split_names(&self.indicator_without_growth()) } else { Vec::new() };
        if names.len() > 1 {
            let growth = self.zone.growth.unwrap_or_default();
            names.into_iter().map(|n| format!("{n}{growth}")).collect()
        } else {
            vec![self.indicator]
        }
    }

    fn indicator_without_growth(&self) -> String {
        match self.zone.growth {
            Some(g) => self.indicator.strip_suffix(g).unwrap_or(&self.indicator).to_string(),
            None => self.indicator.clone(),
        }
    }
}

/// What naming one value of a clause passes on to the next.
#[derive(Default)]
pub(super) struct Enumeration {
    /// The comparator words of the value before (`国家级创新平台9个、省级新型研发机构40个`).
    previous_zone: Vec<&'static str>,
    /// The names `分别` shares out, and how many are taken.
    shared: Option<(Vec<String>, usize)>,
}

/// Names the `index`th value of a clause. `qualifier_end` is where the last qualifier before
/// it ends; `clause` is the clause's text, the name of last resort.
pub(super) fn name(
    text: &str,
    item: &Item,
    index: usize,
    qualifier_end: Option<usize>,
    enumeration: &mut Enumeration,
    state: &mut SentenceState,
    clause: &str,
) -> Named {
    let (before, mut zone) = zone_before(text, item, qualifier_end);
    let mut opening = Flags::default();
    let rest = peel_left(after_last_year(&before), &mut opening);
    enumeration.carry_zone(index, rest, &mut zone);
    let post = clean_post(slice(text, item.post.clone()));
    let pre = own_name(rest, &post);
    let mut indicator = enumeration.name(index, &zone, pre, &post, rest, item.q);
    let review = with_subject(&mut indicator, state, clause);
    if let Some(growth) = zone.growth {
        indicator.push_str(growth);
    }
    let q = item.q;
    let unit = if q.base.is_empty() && matches!(q.magnitude, "万" | "亿") && pre.ends_with("人次") {
        format!("{}人次", q.magnitude)
    } else {
        q.unit()
    };
    Named { indicator, zone, unit, opening, review }
}

/// The words before a value without the zone peeled from their right, and the zone. Comparator
/// words count only after the last qualifier (`产值超百亿元企业达到20户`).
fn zone_before(text: &str, item: &Item, qualifier_end: Option<usize>) -> (String, Zone) {
    let (before, mut zone) = peel_right_across_verb(slice(text, item.pre.clone()));
    if let Some(qualifier_end) = qualifier_end.filter(|end| *end > item.pre.start) {
        zone.words = peel_right(slice(text, qualifier_end..item.pre.end)).1.words;
    }
    (before, zone)
}

/// The name a value's own words give, without an opening verb (`建成国家级创新平台`) and a
/// final `的`; none where they list members and the words after the number name the target
/// (`玉龙雪山、三江并流等10个世界级旅游景区`).
fn own_name<'r>(rest: &'r str, post: &str) -> &'r str {
    let pre = drop_verb(rest.trim_matches(is_trim)).trim_matches(is_trim);
    let pre = pre.strip_suffix('的').unwrap_or(pre);
    if pre.ends_with('等') && !post.is_empty() { "" } else { pre }
}

impl Enumeration {
    /// A value without words of its own in an enumeration takes the comparator words of the
    /// one before (`分别达到5家、80家`).
    fn carry_zone(&mut self, index: usize, rest: &str, zone: &mut Zone) {
        if index > 0 && rest.trim_matches(is_trim).is_empty() && zone.words.is_empty() {
            zone.words = self.previous_zone.clone();
        }
        self.previous_zone = zone.words.clone();
    }

    /// The indicator from the words before (`pre`) and after (`post`) the number.
    fn name(&mut self, index: usize, zone: &Zone, pre: &str, post: &str, rest: &str, q: &Quantity) -> String {
        // 国家级、省级企业技术中心分别达到5家、80家: one name per value.
        let separately = zone.words.contains(&"分别") || zone.words.contains(&"分别达到");
        if separately && index == 0 {
            let names = split_names(pre);
            if names.len() > 1 {
                self.shared = Some((names, 0));
            }
        }
        if let Some((names, next)) = &mut self.shared
            && (index == 0 || pre.is_empty())
            && let Some(name) = names.get(*next)
        {
            *next += 1;
            return name.clone();
        }
        // 70%的城市达到…标准, 全省70%的城市…: a share of what the words after it name.
        if q.is_rate() && (pre.is_empty() || SCOPES.contains(&pre)) && !post.is_empty() {
            return format!("{post}比例");
        }
        match (pre.is_empty(), post.is_empty()) {
            (false, false) => format!("{pre}{post}"),
            (false, true) => pre.to_string(),
            (true, false) => {
                let verb = NEW.iter().find(|n| rest.starts_with(**n)).copied().unwrap_or_default();
                format!("{verb}{post}")
            }
            (true, true) => String::new(),
        }
    }
}

/// Completes a share with the sentence's subject (`占地区生产总值比重` → `工业增加值占…`) and an
/// empty name with the subject, else the topic, else the clause; the indicator's subject (the
/// words before `占`) becomes the sentence's. Returns why a person must check the name.
fn with_subject(indicator: &mut String, state: &mut SentenceState, clause: &str) -> Vec<String> {
    let mut review = Vec::new();
    if indicator.starts_with('占') {
        if let Some(subject) = &state.subject {
            *indicator = format!("{subject}{indicator}");
        }
    } else if indicator.is_empty() {
        match (&state.subject, &state.topic) {
            (Some(subject), _) => *indicator = subject.clone(),
            (None, Some(topic)) => {
                *indicator = topic.clone();
                review.push("指标名称取自前一分句,请核对".to_string());
            }
            (None, None) => {
                *indicator = clause.chars().take(30).collect();
                review.push("指标名称未能识别,取原句".to_string());
            }
        }
    }
    let subject = indicator.split('占').next().unwrap_or_default();
    if !subject.is_empty() {
        state.subject = Some(subject.to_string());
    }
    review
}

/// What a clause without a number is about: the words after its last `对` or `等` (`要加快对
/// 风能、太阳能、生物质能等可再生能源开发利用规模` → `可再生能源开发利用规模`).
pub(super) fn topic_of(clause: &str) -> Option<String> {
    let at = clause.rfind(['对', '等'])?;
    let topic = clause[at..].chars().skip(1).collect::<String>();
    let topic = topic.trim_matches(is_trim);
    (2..=20).contains(&topic.chars().count()).then(|| topic.to_string())
}

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
pub(super) struct Zone {
    /// Comparator words (`达到`, `分别`, `不少于` …), the last peeled first.
    pub words: Vec<&'static str>,
    /// A growth verb next to the number (`年均增长`): it stays in the indicator.
    pub growth: Option<&'static str>,
    /// `比2022年`: the value is relative to a base.
    pub base_phrase: bool,
    /// `境内外上市企业累计170家`.
    pub cumulative: bool,
    /// `城镇新增就业每年50万人以上`.
    pub annual: bool,
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
pub(super) fn peel_right_across_verb(s: &str) -> (String, Zone) {
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
pub(super) fn peel_left<'s>(s: &'s str, flags: &mut Flags) -> &'s str {
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

/// Where the last `的` outside quotes and brackets is: a long description ends with the thing
/// itself after it.
pub(super) fn last_de_outside_quotes(s: &str) -> Option<usize> {
    let mut depth = 0;
    let mut last = None;
    for (i, c) in s.char_indices() {
        depth += nesting(c);
        if c == '的' && depth <= 0 {
            last = Some(i);
        }
    }
    last
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

/// What a name says after its first entity: `重点园区数字化改造覆盖率` → `数字化改造覆盖率`.
fn measure_after_entity(name: &str) -> Option<&str> {
    let (at, entity) = name.char_indices().find_map(|(i, _)| {
        ENTITIES.iter().filter(|e| name[i..].starts_with(**e)).max_by_key(|e| e.len()).map(|e| (i, e))
    })?;
    name.get(at + entity.len()..).filter(|measure| !measure.is_empty())
}
