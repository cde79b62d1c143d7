//! The four key lists (四张清单) — enterprises, projects, parks, innovation platforms — and the
//! reference data behind them: the industry classification and the cluster catalog.
//!
//! Entities are plain data with dated facts (an honour granted and revoked, a project's
//! stages), so that a count "at the end of a period" is a pure function of the list; the store
//! keeps every version of every entity so that the list as known at any past time can be
//! rebuilt.

pub mod catalog;
pub mod count;
pub mod credit_code;
pub mod industry;
pub mod select;

use serde::{Deserialize, Serialize};

use crate::calendar::Date;
use crate::i18n::Labelled;
use crate::org::{OrgKind, OrgUnits};

pub use catalog::ClusterCatalog;
pub use count::CountRule;
pub use industry::IndustryCodes;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
/// The four key lists.
pub enum ListKind {
    /// Key enterprises (重点企业).
    Enterprises,
    /// Major projects (重点项目).
    Projects,
    /// Industrial parks.
    Parks,
    /// Innovation platforms.
    Platforms,
}

impl ListKind {
    /// The four lists, in the order pages show them.
    pub const ALL: [ListKind; 4] = [ListKind::Enterprises, ListKind::Projects, ListKind::Parks, ListKind::Platforms];

    /// The code in files, URLs and the API.
    pub fn code(self) -> &'static str {
        match self {
            ListKind::Enterprises => "enterprises",
            ListKind::Projects => "projects",
            ListKind::Parks => "parks",
            ListKind::Platforms => "platforms",
        }
    }

    /// The codes of the four lists, as messages name the choice.
    pub const CHOICES: &'static str = "enterprises, projects, parks or platforms";

    /// The list of a code; `None` for an unknown one.
    pub fn from_code(code: &str) -> Option<ListKind> {
        ListKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

impl crate::i18n::Labelled for ListKind {
    /// The list's name on Chinese pages.
    fn label_zh(self) -> &'static str {
        match self {
            ListKind::Enterprises => "重点企业",
            ListKind::Projects => "重点项目",
            ListKind::Parks => "重点园区",
            ListKind::Platforms => "重点创新平台",
        }
    }

    /// Its name on English pages.
    fn label_en(self) -> &'static str {
        match self {
            ListKind::Enterprises => "Key enterprises",
            ListKind::Projects => "Key projects",
            ListKind::Parks => "Key parks",
            ListKind::Platforms => "Key innovation platforms",
        }
    }
}

/// The honours an enterprise can hold, with the levels each comes in (empty: no levels).
pub const HONOURS: &[(&str, &[&str])] = &[
    ("制造业单项冠军", &["国家级", "省级"]),
    ("专精特新小巨人", &["国家级"]),
    ("专精特新", &["省级"]),
    ("创新型中小企业", &[]),
    ("高新技术企业", &[]),
    ("上市", &["境内", "境外"]),
    ("总部企业", &[]),
    ("中国制造业500强", &[]),
    ("未来工厂", &["国家级", "省级"]),
    ("智能工厂", &["基础级", "先进级", "卓越级", "领航级"]),
    ("绿色低碳工厂", &["国家级", "省级"]),
    ("绿色供应链管理企业", &["国家级", "省级"]),
    ("企业技术中心", &["国家级", "省级", "市级"]),
    ("浙江制造精品", &[]),
    ("省政府质量奖", &[]),
    ("对标标杆企业", &["省级"]),
    ("农业龙头企业", &["国家级", "省级", "市级"]),
    ("省内影响力数商", &[]),
];

/// The levels an honour comes in, or `None` for an unknown honour.
pub fn honour_levels(kind: &str) -> Option<&'static [&'static str]> {
    HONOURS.iter().find(|(name, _)| *name == kind).map(|(_, levels)| *levels)
}

/// A dated distinction (单项冠军, 专精特新 …), held from `granted` until `revoked`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Honour {
    /// The honour (专精特新, 单项冠军 …).
    pub kind: String,
    #[serde(default)]
    /// Its level (国家级, 省级 …).
    pub level: String,
    /// The day it was granted.
    pub granted: Date,
    #[serde(default)]
    /// The day it was revoked, if it was.
    pub revoked: Option<Date>,
    /// Details such as the market of a listing.
    #[serde(default)]
    pub note: String,
}

impl Honour {
    /// Whether the honour is held on `day`.
    pub fn held_on(&self, day: Date) -> bool {
        self.granted <= day && self.revoked.is_none_or(|revoked| revoked > day)
    }
}

/// Clusters set by hand instead of from the industry code, with the reason.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClusterOverride {
    /// The clusters the enterprise belongs to.
    pub clusters: Vec<String>,
    /// Why.
    pub reason: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
/// A key enterprise.
pub struct Enterprise {
    /// Its unified social credit code.
    pub credit_code: String,
    /// Its name.
    pub name: String,
    /// The district it is in.
    pub district: String,
    /// GB/T 4754-2017 小类.
    pub industry: String,
    /// The years it was an above-scale (规上) enterprise.
    #[serde(default)]
    pub above_scale: Vec<i32>,
    #[serde(default)]
    /// Its clusters where they are not its industry's.
    pub cluster_override: Option<ClusterOverride>,
    #[serde(default)]
    /// Its honours.
    pub honours: Vec<Honour>,
}

impl Enterprise {
    /// Its clusters: set by hand, or those its industry code belongs to wholly, with those the
    /// catalog names it in or out of.
    pub fn clusters<'a>(&self, catalog: &'a ClusterCatalog) -> Vec<&'a str> {
        catalog.clusters_of(self).into_iter().map(|i| catalog.clusters[i].id.as_str()).collect()
    }

    /// Whether it holds an honour (of one of `levels`, or of any level) on `day`.
    pub fn holds(&self, kind: &str, levels: &[String], day: Date) -> bool {
        self.honours
            .iter()
            .any(|h| h.kind == kind && (levels.is_empty() || levels.contains(&h.level)) && h.held_on(day))
    }

    /// Adds an honour. The same honour at the same level is held once at a time: a second
    /// grant while the first stands is refused.
    pub fn grant(&mut self, honour: Honour) -> Result<(), String> {
        let standing = self.honours.iter().any(|h| {
            h.kind == honour.kind
                && h.level == honour.level
                && h.revoked.is_none_or(|revoked| revoked > honour.granted)
                && honour.revoked.is_none_or(|revoked| revoked > h.granted)
        });
        if standing {
            let level = if honour.level.is_empty() { String::new() } else { format!("{} ", honour.level) };
            return Err(format!("already holds {level}{} in that time (revoke it first)", honour.kind));
        }
        self.honours.push(honour);
        Ok(())
    }

    /// Revokes the honour granted on `granted` (its kind and level as given) from `on`.
    pub fn revoke(&mut self, kind: &str, level: &str, granted: Date, on: Date) -> Result<(), String> {
        let honour = self
            .honours
            .iter_mut()
            .find(|h| h.kind == kind && h.level == level && h.granted == granted)
            .ok_or_else(|| format!("no {level}{kind} granted on {granted}"))?;
        if let Some(revoked) = honour.revoked {
            return Err(format!("{level}{kind} was already revoked on {revoked}"));
        }
        if on <= granted {
            return Err(format!("revoked on {on}: not after it was granted ({granted})"));
        }
        honour.revoked = Some(on);
        Ok(())
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
/// A major project.
pub struct MajorProject {
    /// Its code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// The owner enterprise's name or credit code.
    #[serde(default)]
    pub owner: String,
    /// The cluster it belongs to.
    pub cluster: String,
    /// The district it is in.
    pub district: String,
    /// 先进制造业 or 服务业.
    pub category: String,
    /// 国内 or 外资.
    #[serde(default)]
    pub origin: String,
    /// Total investment, 亿元.
    pub investment: f64,
    #[serde(default)]
    /// The day it was signed.
    pub signed: Option<Date>,
    #[serde(default)]
    /// The day it landed.
    pub landed: Option<Date>,
    #[serde(default)]
    /// The day work started.
    pub started: Option<Date>,
    /// 投产 or 竣工.
    #[serde(default)]
    pub completed: Option<Date>,
    /// Investment completed by period (period, 亿元 in it).
    #[serde(default)]
    pub invested: Vec<(String, f64)>,
}

/// The categories of projects.
pub const PROJECT_CATEGORIES: [&str; 2] = ["先进制造业", "服务业"];

/// A stage of a major project, in the order a project goes through them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ProjectStage {
    /// 签约: the contract is signed.
    Signed,
    /// 落地: the project has landed (registered, land assigned).
    Landed,
    /// 开工: construction has started.
    Started,
    /// 投产: production has started.
    Completed,
}

impl ProjectStage {
    /// Every stage, in order.
    pub const ALL: [ProjectStage; 4] =
        [ProjectStage::Signed, ProjectStage::Landed, ProjectStage::Started, ProjectStage::Completed];

    /// The codes of the stages, as messages name the choice.
    pub const CHOICES: &'static str = "signed, landed, started or completed";

    /// The code in plan files, list files, URLs and the API.
    pub fn code(self) -> &'static str {
        match self {
            ProjectStage::Signed => "signed",
            ProjectStage::Landed => "landed",
            ProjectStage::Started => "started",
            ProjectStage::Completed => "completed",
        }
    }

    /// The stage of a code; `None` for an unknown one.
    pub fn from_code(code: &str) -> Option<ProjectStage> {
        ProjectStage::ALL.into_iter().find(|s| s.code() == code)
    }
}

impl crate::i18n::Labelled for ProjectStage {
    fn label_zh(self) -> &'static str {
        match self {
            ProjectStage::Signed => "签约",
            ProjectStage::Landed => "落地",
            ProjectStage::Started => "开工",
            ProjectStage::Completed => "投产",
        }
    }

    fn label_en(self) -> &'static str {
        self.code()
    }
}

impl MajorProject {
    /// The day the project reached `stage`, if it has.
    pub fn stage(&self, stage: ProjectStage) -> Option<Date> {
        match stage {
            ProjectStage::Signed => self.signed,
            ProjectStage::Landed => self.landed,
            ProjectStage::Started => self.started,
            ProjectStage::Completed => self.completed,
        }
    }

    /// The furthest stage reached by `day`, if any.
    pub fn stage_on(&self, day: Date) -> Option<ProjectStage> {
        ProjectStage::ALL.into_iter().rev().find(|&stage| self.stage(stage).is_some_and(|d| d <= day))
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
/// A renovation of a park.
pub struct Renovation {
    /// The day it was finished.
    pub date: Date,
    /// 亩.
    pub mu: f64,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
/// An industrial park.
pub struct Park {
    /// Its code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// 开发园区, 战略产业园, 优势产业社区, 工业社区 or 工业区块.
    pub kind: String,
    #[serde(default)]
    /// Its level.
    pub level: String,
    /// The district it is in.
    pub district: String,
    /// 亩.
    #[serde(default)]
    pub area_mu: f64,
    /// 一园一业: the cluster the park is built around.
    #[serde(default)]
    pub leading_cluster: String,
    #[serde(default)]
    /// The day it was established.
    pub established: Option<Date>,
    #[serde(default)]
    /// Its renovations.
    pub renovations: Vec<Renovation>,
}

/// The kinds of parks.
pub const PARK_KINDS: [&str; 5] = ["开发园区", "战略产业园", "优势产业社区", "工业社区", "工业区块"];

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
/// An innovation platform.
pub struct Platform {
    /// Its code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// 国家级 or 省级.
    pub level: String,
    /// 全国重点实验室, 国家制造业创新中心, 技术创新中心, 新型研发机构 …
    pub kind: String,
    #[serde(default)]
    /// The organisation hosting it.
    pub host: String,
    #[serde(default)]
    /// The cluster it serves.
    pub cluster: String,
    #[serde(default)]
    /// The district it is in.
    pub district: String,
    /// The day it was recognized.
    pub recognized: Date,
    #[serde(default)]
    /// The day recognition was revoked, if it was.
    pub revoked: Option<Date>,
}

/// The levels of platforms.
pub const PLATFORM_LEVELS: [&str; 2] = ["国家级", "省级"];

/// An entry of one of the four lists.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Entity {
    /// A key enterprise.
    Enterprise(Enterprise),
    /// A major project.
    Project(MajorProject),
    /// A park.
    Park(Park),
    /// A platform.
    Platform(Platform),
}

impl Entity {
    /// The list it belongs to.
    pub fn list(&self) -> ListKind {
        match self {
            Entity::Enterprise(_) => ListKind::Enterprises,
            Entity::Project(_) => ListKind::Projects,
            Entity::Park(_) => ListKind::Parks,
            Entity::Platform(_) => ListKind::Platforms,
        }
    }

    /// Its identity in its list: the credit code, or the entry's code.
    pub fn key(&self) -> &str {
        match self {
            Entity::Enterprise(e) => &e.credit_code,
            Entity::Project(p) => &p.code,
            Entity::Park(p) => &p.code,
            Entity::Platform(p) => &p.code,
        }
    }

    /// Its name.
    pub fn name(&self) -> &str {
        match self {
            Entity::Enterprise(e) => &e.name,
            Entity::Project(p) => &p.name,
            Entity::Park(p) => &p.name,
            Entity::Platform(p) => &p.name,
        }
    }

    /// The district it is in.
    pub fn district(&self) -> &str {
        match self {
            Entity::Enterprise(e) => &e.district,
            Entity::Project(p) => &p.district,
            Entity::Park(p) => &p.district,
            Entity::Platform(p) => &p.district,
        }
    }

    /// An enterprise's honours are granted and revoked one at a time, not edited with its other
    /// fields: an edit of those fields keeps the honours of the entry as it was.
    pub fn keep_honours_of(&mut self, previous: Option<&Entity>) {
        if let (Entity::Enterprise(edited), Some(Entity::Enterprise(before))) = (self, previous) {
            edited.honours = before.honours.clone();
        }
    }

    /// The names of the fields that differ between two versions of an entry (every field of
    /// the one that exists when the other does not).
    pub fn changed_fields(before: Option<&Entity>, after: Option<&Entity>) -> Vec<String> {
        let fields = |entity: Option<&Entity>| match entity.map(serde_json::to_value) {
            Some(Ok(serde_json::Value::Object(map))) => map,
            _ => serde_json::Map::new(),
        };
        let (before, after) = (fields(before), fields(after));
        let only_after = after.keys().filter(|k| !before.contains_key(*k));
        before.keys().chain(only_after).filter(|k| before.get(*k) != after.get(*k)).cloned().collect()
    }

    /// Parses an entity of a list from its JSON form.
    pub fn from_json(list: ListKind, json: &str) -> Result<Entity, String> {
        let parsed = match list {
            ListKind::Enterprises => serde_json::from_str(json).map(Entity::Enterprise),
            ListKind::Projects => serde_json::from_str(json).map(Entity::Project),
            ListKind::Parks => serde_json::from_str(json).map(Entity::Park),
            ListKind::Platforms => serde_json::from_str(json).map(Entity::Platform),
        };
        parsed.map_err(|e| format!("{}: {e}", list.code()))
    }
}

/// The four lists as known at one time.
#[derive(Clone, Debug, Default)]
pub struct Registry {
    /// The key enterprises.
    pub enterprises: Vec<Enterprise>,
    /// The major projects.
    pub projects: Vec<MajorProject>,
    /// The parks.
    pub parks: Vec<Park>,
    /// The platforms.
    pub platforms: Vec<Platform>,
}

impl Registry {
    /// Adds an entry to its list.
    pub fn push(&mut self, entity: Entity) {
        match entity {
            Entity::Enterprise(e) => self.enterprises.push(e),
            Entity::Project(p) => self.projects.push(p),
            Entity::Park(p) => self.parks.push(p),
            Entity::Platform(p) => self.platforms.push(p),
        }
    }

    /// How many entries the four lists hold.
    pub fn len(&self) -> usize {
        self.enterprises.len() + self.projects.len() + self.parks.len() + self.platforms.len()
    }

    /// Whether the four lists are empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// What checking an entity needs: the reference tables it is checked against.
pub struct References<'a> {
    /// The org units.
    pub org_units: &'a OrgUnits,
    /// The GB/T 4754-2017 table.
    pub industry: &'a IndustryCodes,
    /// The cluster catalog.
    pub catalog: &'a ClusterCatalog,
}

const MAX_KEY: usize = 64;
const MAX_NAME: usize = 200;
const MAX_TEXT: usize = 1000;

/// The length of the longest text in a value, in characters.
fn longest_text(value: &serde_json::Value) -> usize {
    match value {
        serde_json::Value::String(text) => text.chars().count(),
        serde_json::Value::Array(items) => items.iter().map(longest_text).max().unwrap_or(0),
        serde_json::Value::Object(fields) => fields.values().map(longest_text).max().unwrap_or(0),
        _ => 0,
    }
}

/// A field's name as problems name fields: the columns of the list files.
fn field_name(field: &str) -> &'static str {
    const COLUMNS: [&str; 22] = [
        "district",
        "industry",
        "above_scale",
        "honours",
        "owner",
        "cluster",
        "category",
        "origin",
        "signed",
        "landed",
        "started",
        "completed",
        "invested",
        "kind",
        "level",
        "leading_cluster",
        "established",
        "renovations",
        "host",
        "recognized",
        "revoked",
        "clusters",
    ];
    let column = if field == "cluster_override" { "clusters" } else { field };
    COLUMNS.iter().find(|c| **c == column).copied().unwrap_or("entry")
}

/// Every problem with an entity, by field. An entity with none may be stored.
pub fn check(entity: &Entity, refs: &References) -> Vec<(&'static str, String)> {
    let mut problems: Vec<(&'static str, String)> = Vec::new();
    let district = entity.district();
    let district_ok = refs.org_units.get(district).is_some_and(|u| matches!(u.kind, OrgKind::District | OrgKind::Zone));
    // A platform may be hosted outside any district (a university, a provincial institute).
    let may_lack_district = district.is_empty() && entity.list() == ListKind::Platforms;
    if !(district_ok || may_lack_district) {
        problems.push(("district", format!("\"{district}\" is not a district (区县市) or development zone")));
    }
    if entity.name().trim().is_empty() {
        problems.push(("name", "a name is required".into()));
    }
    if entity.key().trim().is_empty() {
        problems.push(("code", "a code is required".into()));
    }
    // Lengths no real entry comes near: anything longer is a mistake or an attack.
    if entity.key().chars().count() > MAX_KEY {
        problems.push(("code", format!("a code has at most {MAX_KEY} characters")));
    }
    if entity.name().chars().count() > MAX_NAME {
        problems.push(("name", format!("a name has at most {MAX_NAME} characters")));
    }
    if let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(entity) {
        let checked_above = ["name", "code", "credit_code"];
        for (field, value) in fields.iter().filter(|(f, _)| !checked_above.contains(&f.as_str())) {
            if longest_text(value) > MAX_TEXT {
                problems.push((field_name(field), format!("a text has at most {MAX_TEXT} characters")));
            }
        }
    }
    let known_cluster = |id: &str| id.is_empty() || refs.catalog.cluster(id).is_some();
    match entity {
        Entity::Enterprise(e) => {
            if let Err(error) = credit_code::validate(&e.credit_code) {
                problems.push(("credit_code", error.to_string()));
            }
            if let Err(error) = refs.industry.check_class(&e.industry) {
                problems.push(("industry", error));
            }
            if let Some(o) = &e.cluster_override {
                if o.reason.trim().is_empty() {
                    problems.push(("clusters", "setting clusters by hand needs a reason".into()));
                }
                for id in o.clusters.iter().filter(|id| !known_cluster(id)) {
                    problems.push(("clusters", format!("unknown cluster \"{id}\"")));
                }
            }
            for h in &e.honours {
                match honour_levels(&h.kind) {
                    None => problems.push(("honours", format!("unknown honour \"{}\"", h.kind))),
                    Some(levels) if !levels.is_empty() && !levels.contains(&h.level.as_str()) => problems.push((
                        "honours",
                        format!("{}: level \"{}\" is not one of {}", h.kind, h.level, levels.join("/")),
                    )),
                    _ => {}
                }
                if h.revoked.is_some_and(|r| r <= h.granted) {
                    problems.push(("honours", format!("{}: revoked on or before it was granted", h.kind)));
                }
            }
        }
        Entity::Project(p) => {
            if !PROJECT_CATEGORIES.contains(&p.category.as_str()) {
                problems.push(("category", format!("\"{}\" is not 先进制造业 or 服务业", p.category)));
            }
            if !(p.investment.is_finite() && p.investment >= 0.0) {
                problems.push(("investment", "total investment is a non-negative amount in 亿元".into()));
            }
            if !known_cluster(&p.cluster) {
                problems.push(("cluster", format!("unknown cluster \"{}\"", p.cluster)));
            }
            let dates: Vec<(&str, Date)> =
                ProjectStage::ALL.into_iter().filter_map(|stage| Some((stage.label_zh(), p.stage(stage)?))).collect();
            for pair in dates.windows(2) {
                if pair[1].1 < pair[0].1 {
                    problems.push((
                        "stages",
                        format!("{} ({}) is before {} ({})", pair[1].0, pair[1].1, pair[0].0, pair[0].1),
                    ));
                }
            }
        }
        Entity::Park(p) => {
            if !PARK_KINDS.contains(&p.kind.as_str()) {
                problems.push(("kind", format!("\"{}\" is not one of {}", p.kind, PARK_KINDS.join("、"))));
            }
            if !known_cluster(&p.leading_cluster) {
                problems.push(("leading_cluster", format!("unknown cluster \"{}\"", p.leading_cluster)));
            }
            if p.renovations.iter().any(|r| !(r.mu.is_finite() && r.mu >= 0.0))
                || !(p.area_mu.is_finite() && p.area_mu >= 0.0)
            {
                problems.push(("area_mu", "areas are non-negative 亩".into()));
            }
        }
        Entity::Platform(p) => {
            if !PLATFORM_LEVELS.contains(&p.level.as_str()) {
                problems.push(("level", format!("\"{}\" is not 国家级 or 省级", p.level)));
            }
            if !known_cluster(&p.cluster) {
                problems.push(("cluster", format!("unknown cluster \"{}\"", p.cluster)));
            }
            if p.revoked.is_some_and(|r| r <= p.recognized) {
                problems.push(("revoked", "revoked on or before it was recognised".into()));
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        text.parse().expect("date")
    }

    #[test]
    fn the_choice_of_lists_names_every_code_in_order() {
        let codes: Vec<&str> = ListKind::ALL.iter().map(|l| l.code()).collect();
        let named: Vec<&str> = ListKind::CHOICES.split([',', ' ']).filter(|w| !w.is_empty() && *w != "or").collect();
        assert_eq!(named, codes);
    }

    fn champion(granted: &str) -> Honour {
        Honour {
            kind: "制造业单项冠军".into(),
            level: "国家级".into(),
            granted: date(granted),
            revoked: None,
            note: String::new(),
        }
    }

    fn enterprise() -> Enterprise {
        Enterprise {
            credit_code: "91330200MA2CL7RN9T".into(),
            name: "甲公司".into(),
            district: "北仑区".into(),
            industry: "3612".into(),
            above_scale: vec![2025],
            cluster_override: None,
            honours: vec![],
        }
    }

    #[test]
    fn an_honour_is_held_once_at_a_time_and_revoked_after_it_was_granted() {
        let mut e = enterprise();
        e.grant(champion("2023-11-01")).expect("first grant");
        assert!(e.grant(champion("2025-01-01")).unwrap_err().contains("already holds"));
        assert!(e.revoke("制造业单项冠军", "国家级", date("2023-11-01"), date("2023-10-01")).is_err());
        assert!(e.revoke("制造业单项冠军", "省级", date("2023-11-01"), date("2026-01-01")).is_err(), "no such level");
        e.revoke("制造业单项冠军", "国家级", date("2023-11-01"), date("2026-01-01")).expect("revoke");
        assert!(e.revoke("制造业单项冠军", "国家级", date("2023-11-01"), date("2026-02-01")).is_err(), "twice");
        assert!(e.holds("制造业单项冠军", &[], date("2025-12-31")));
        assert!(!e.holds("制造业单项冠军", &[], date("2026-01-01")));
        e.grant(champion("2027-01-01")).expect("granted again after the revocation");
    }

    #[test]
    fn edits_keep_honours_and_name_the_fields_changed() {
        let mut before = enterprise();
        before.honours.push(champion("2023-11-01"));
        let before = Entity::Enterprise(before);
        let mut edited = Entity::Enterprise(Enterprise { name: "甲公司(更名)".into(), ..enterprise() });
        edited.keep_honours_of(Some(&before));
        let Entity::Enterprise(kept) = &edited else { panic!("an enterprise") };
        assert_eq!(kept.honours.len(), 1);
        assert_eq!(Entity::changed_fields(Some(&before), Some(&edited)), ["name"]);
        assert!(Entity::changed_fields(None, Some(&edited)).contains(&"credit_code".to_string()));
        assert!(Entity::changed_fields(Some(&before), Some(&before)).is_empty());
    }

    #[test]
    fn overlong_texts_are_refused_by_field() {
        let refs_units =
            crate::org::OrgUnits::parse("org", include_str!("../../../../data/org-units.toml")).expect("units");
        let industry = IndustryCodes::builtin();
        let catalog = ClusterCatalog::parse("catalog", catalog::BUILTIN, industry).expect("catalog");
        let refs = References { org_units: &refs_units, industry, catalog: &catalog };
        assert!(check(&Entity::Enterprise(enterprise()), &refs).is_empty());
        let mut long = enterprise();
        long.name = "长".repeat(MAX_NAME + 1);
        long.honours.push(Honour { note: "x".repeat(MAX_TEXT + 1), ..champion("2023-11-01") });
        let fields: Vec<&str> = check(&Entity::Enterprise(long), &refs).into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["name", "honours"]);
    }

    #[test]
    fn a_project_is_at_the_furthest_stage_reached() {
        let project = MajorProject {
            code: "P1".into(),
            name: "项目".into(),
            owner: String::new(),
            cluster: String::new(),
            district: "北仑区".into(),
            category: "先进制造业".into(),
            origin: String::new(),
            investment: 12.0,
            signed: Some(date("2025-01-10")),
            landed: Some(date("2025-03-01")),
            started: Some(date("2025-09-01")),
            completed: None,
            invested: vec![],
        };
        assert_eq!(project.stage_on(date("2024-12-31")), None);
        assert_eq!(project.stage_on(date("2025-06-30")), Some(ProjectStage::Landed));
        assert_eq!(project.stage_on(date("2026-06-30")), Some(ProjectStage::Started));
    }
}
