//! Finding entries of a list: the filters and the search of the list pages and the API, and
//! paging through what they find. The same question gets the same entries on every interface.

use serde::Deserialize;

use super::{ClusterCatalog, Enterprise, HONOURS, ListKind, MajorProject, Park, Platform, ProjectStage};
use crate::calendar::Date;

/// What to look for in a list; every part is optional and blank parts are ignored.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Filter {
    /// The district (区县市) or development zone of the entry.
    #[serde(default)]
    pub district: Option<String>,
    /// A cluster of the catalog (its id): an enterprise's clusters, a project's or platform's
    /// cluster, a park's leading cluster.
    #[serde(default)]
    pub cluster: Option<String>,
    /// Enterprises: holding this honour on the day.
    #[serde(default)]
    pub honour: Option<String>,
    /// Enterprises: the honour's level; parks and platforms: their own level.
    #[serde(default)]
    pub level: Option<String>,
    /// Projects: the furthest stage reached by the day (signed, landed, started, completed).
    #[serde(default)]
    pub stage: Option<String>,
    /// Parks and platforms: their kind (开发园区, 全国重点实验室 …).
    #[serde(default)]
    pub kind: Option<String>,
    /// A part of the name or of the code (an enterprise's credit code), in any case.
    #[serde(default)]
    pub q: Option<String>,
}

fn given(part: &Option<String>) -> Option<&str> {
    part.as_deref().map(str::trim).filter(|text| !text.is_empty())
}

impl Filter {
    /// The district filter.
    pub fn district(&self) -> Option<&str> {
        given(&self.district)
    }

    /// The cluster filter.
    pub fn cluster(&self) -> Option<&str> {
        given(&self.cluster)
    }

    /// The honour filter.
    pub fn honour(&self) -> Option<&str> {
        given(&self.honour)
    }

    /// The level filter.
    pub fn level(&self) -> Option<&str> {
        given(&self.level)
    }

    /// The stage filter.
    pub fn stage(&self) -> Option<&str> {
        given(&self.stage)
    }

    /// The kind filter.
    pub fn kind(&self) -> Option<&str> {
        given(&self.kind)
    }

    /// The search text.
    pub fn search(&self) -> Option<&str> {
        given(&self.q)
    }

    /// Every part that does not apply to `list` or names nothing known, in words.
    pub fn problems(&self, list: ListKind, catalog: &ClusterCatalog) -> Vec<String> {
        let mut problems = Vec::new();
        let mut only = |present: bool, part: &str, lists: &str| {
            if present {
                problems.push(format!("{part}: applies to {lists} only"));
            }
        };
        only(self.honour().is_some() && list != ListKind::Enterprises, "honour", "enterprises");
        only(self.stage().is_some() && list != ListKind::Projects, "stage", "projects");
        only(
            self.kind().is_some() && !matches!(list, ListKind::Parks | ListKind::Platforms),
            "kind",
            "parks and platforms",
        );
        only(self.level().is_some() && list == ListKind::Projects, "level", "enterprises, parks and platforms");
        if let Some(honour) = self.honour()
            && !HONOURS.iter().any(|(name, _)| *name == honour)
        {
            let known: Vec<&str> = HONOURS.iter().map(|(name, _)| *name).collect();
            problems.push(format!("honour: unknown honour \"{honour}\" (one of {})", known.join("、")));
        }
        if let Some(stage) = self.stage()
            && ProjectStage::from_code(stage).is_none()
        {
            problems.push(format!("stage: unknown stage \"{stage}\" ({})", ProjectStage::CHOICES));
        }
        if let Some(cluster) = self.cluster()
            && catalog.cluster(cluster).is_none()
        {
            let known: Vec<&str> = catalog.clusters.iter().map(|c| c.id.as_str()).collect();
            problems.push(format!("cluster: unknown cluster \"{cluster}\" (one of {})", known.join(", ")));
        }
        problems
    }
}

/// An entry of one of the lists, as the filters see it.
pub trait Listed {
    /// The entry's key.
    fn key(&self) -> &str;
    /// Its name.
    fn name(&self) -> &str;
    /// The district it is in.
    fn district(&self) -> &str;
    /// Whether it belongs to `cluster` under `catalog`.
    fn in_cluster(&self, cluster: &str, catalog: &ClusterCatalog) -> bool;
    /// Whether the parts of the filter particular to its list hold on `day`.
    fn matches(&self, filter: &Filter, day: Date) -> bool;
}

impl Listed for Enterprise {
    fn key(&self) -> &str {
        &self.credit_code
    }

    fn name(&self) -> &str {
        &self.name
    }

    fn district(&self) -> &str {
        &self.district
    }

    fn in_cluster(&self, cluster: &str, catalog: &ClusterCatalog) -> bool {
        self.clusters(catalog).contains(&cluster)
    }

    fn matches(&self, filter: &Filter, day: Date) -> bool {
        let levels: Vec<String> = filter.level().map(str::to_string).into_iter().collect();
        match filter.honour() {
            Some(honour) => self.holds(honour, &levels, day),
            // A level alone: any honour of that level.
            None => levels.is_empty() || self.honours.iter().any(|h| h.level == levels[0] && h.held_on(day)),
        }
    }
}

/// The identity of an entry keyed by its own code (projects, parks, platforms).
macro_rules! coded_entry {
    () => {
        fn key(&self) -> &str {
            &self.code
        }

        fn name(&self) -> &str {
            &self.name
        }

        fn district(&self) -> &str {
            &self.district
        }
    };
}

impl Listed for MajorProject {
    coded_entry!();

    fn in_cluster(&self, cluster: &str, _: &ClusterCatalog) -> bool {
        self.cluster == cluster
    }

    fn matches(&self, filter: &Filter, day: Date) -> bool {
        filter.stage().is_none_or(|stage| self.stage_on(day).map(ProjectStage::code) == Some(stage))
    }
}

/// The level and kind filters of parks and platforms.
fn level_and_kind(filter: &Filter, level: &str, kind: &str) -> bool {
    filter.level().is_none_or(|l| level == l) && filter.kind().is_none_or(|k| kind == k)
}

impl Listed for Park {
    coded_entry!();

    fn in_cluster(&self, cluster: &str, _: &ClusterCatalog) -> bool {
        self.leading_cluster == cluster
    }

    fn matches(&self, filter: &Filter, _: Date) -> bool {
        level_and_kind(filter, &self.level, &self.kind)
    }
}

impl Listed for Platform {
    coded_entry!();

    fn in_cluster(&self, cluster: &str, _: &ClusterCatalog) -> bool {
        self.cluster == cluster
    }

    fn matches(&self, filter: &Filter, _: Date) -> bool {
        level_and_kind(filter, &self.level, &self.kind)
    }
}

/// The entries of a list that the filter finds on `day`, in the list's order.
pub fn select<'a, T: Listed>(entries: &'a [T], filter: &Filter, catalog: &ClusterCatalog, day: Date) -> Vec<&'a T> {
    let needle = filter.search().map(str::to_lowercase);
    entries
        .iter()
        .filter(|e| filter.district().is_none_or(|d| e.district() == d))
        .filter(|e| {
            needle.as_deref().is_none_or(|n| e.name().to_lowercase().contains(n) || e.key().to_lowercase().contains(n))
        })
        .filter(|e| e.matches(filter, day))
        .filter(|e| filter.cluster().is_none_or(|c| e.in_cluster(c, catalog)))
        .collect()
}

/// The different values of a field over a list, sorted (the choices of a filter).
pub fn distinct<'a, T>(entries: &'a [T], field: impl Fn(&'a T) -> &'a str) -> Vec<&'a str> {
    let mut values: Vec<&str> = entries.iter().map(field).filter(|v| !v.is_empty()).collect();
    values.sort_unstable();
    values.dedup();
    values
}

/// One page of a longer list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Paging {
    /// 1-based, within 1..=pages.
    pub page: usize,
    /// Entries per page.
    pub per_page: usize,
    /// Entries in all.
    pub total: usize,
}

impl Paging {
    /// The page asked for, moved into range (a page past the end shows the last one).
    pub fn new(page: usize, per_page: usize, total: usize) -> Paging {
        let per_page = per_page.max(1);
        let pages = total.div_ceil(per_page).max(1);
        Paging { page: page.clamp(1, pages), per_page, total }
    }

    /// How many pages there are (at least one).
    pub fn pages(&self) -> usize {
        self.total.div_ceil(self.per_page).max(1)
    }

    /// The items of this page.
    pub fn slice<'a, T>(&self, items: &'a [T]) -> &'a [T] {
        let start = ((self.page - 1) * self.per_page).min(items.len());
        let end = (start + self.per_page).min(items.len());
        &items[start..end]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::{Honour, IndustryCodes};

    fn date(text: &str) -> Date {
        text.parse().expect("date")
    }

    fn catalog() -> ClusterCatalog {
        ClusterCatalog::parse("catalog", super::super::catalog::BUILTIN, IndustryCodes::builtin()).expect("catalog")
    }

    fn enterprise(code: &str, name: &str, district: &str, industry: &str, honours: Vec<Honour>) -> Enterprise {
        Enterprise {
            credit_code: code.into(),
            name: name.into(),
            district: district.into(),
            industry: industry.into(),
            above_scale: vec![],
            cluster_override: None,
            honours,
        }
    }

    fn honour(kind: &str, level: &str, granted: &str, revoked: Option<&str>) -> Honour {
        Honour {
            kind: kind.into(),
            level: level.into(),
            granted: date(granted),
            revoked: revoked.map(date),
            note: String::new(),
        }
    }

    #[test]
    fn filters_combine_and_honours_count_when_held() {
        let list = vec![
            enterprise(
                "91A",
                "甲汽车部件",
                "北仑区",
                "3670",
                vec![honour("制造业单项冠军", "国家级", "2023-01-01", None)],
            ),
            enterprise(
                "91B",
                "乙石化",
                "北仑区",
                "2511",
                vec![honour("制造业单项冠军", "国家级", "2022-01-01", Some("2025-01-01"))],
            ),
            enterprise("91C", "丙汽车", "鄞州区", "3612", vec![]),
        ];
        let catalog = catalog();
        let day = date("2026-06-30");
        let keys = |filter: &Filter| -> Vec<&str> {
            select(&list, filter, &catalog, day).into_iter().map(|e| e.credit_code.as_str()).collect()
        };
        let champions = Filter { honour: Some("制造业单项冠军".into()), ..Filter::default() };
        assert_eq!(keys(&champions), ["91A"], "B's honour was revoked");
        let beilun = Filter { district: Some("北仑区".into()), ..Filter::default() };
        assert_eq!(keys(&beilun), ["91A", "91B"]);
        let cars = Filter { cluster: Some("nev-equipment".into()), ..Filter::default() };
        assert_eq!(keys(&cars), ["91A", "91C"]);
        let search = Filter { q: Some(" 91c ".into()), ..Filter::default() };
        assert_eq!(keys(&search), ["91C"], "codes in any case, blanks ignored");
        let by_name = Filter { q: Some("汽车".into()), district: Some("鄞州区".into()), ..Filter::default() };
        assert_eq!(keys(&by_name), ["91C"]);
        let blank = Filter { district: Some(String::new()), ..Filter::default() };
        assert_eq!(keys(&blank).len(), 3, "a blank filter is no filter");
    }

    #[test]
    fn filters_that_do_not_apply_are_named() {
        let catalog = catalog();
        let filter = Filter {
            honour: Some("单项冠军".into()),
            stage: Some("landed".into()),
            cluster: Some("mars".into()),
            ..Filter::default()
        };
        let problems = filter.problems(ListKind::Enterprises, &catalog);
        assert!(problems.iter().any(|p| p.starts_with("stage: applies to projects")), "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("unknown honour \"单项冠军\"")), "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("unknown cluster \"mars\"")), "{problems:?}");
        assert!(Filter::default().problems(ListKind::Parks, &catalog).is_empty());
    }

    #[test]
    fn paging_stays_in_range() {
        let items: Vec<usize> = (0..120).collect();
        let last = Paging::new(3, 50, items.len());
        assert_eq!(last.slice(&items), &items[100..]);
        assert_eq!(Paging::new(9, 50, items.len()).page, 3, "past the end: the last page");
        assert_eq!(Paging::new(0, 50, 0).pages(), 1);
        assert!(Paging::new(1, 50, 0).slice(&items[..0]).is_empty());
    }
}
