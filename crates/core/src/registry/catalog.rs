//! The cluster catalog: which industry codes belong to each cluster of the plan's taxonomy,
//! wholly or in part. Versioned: a new version takes effect from a date and never rewrites
//! what an earlier version said.

use serde::Deserialize;

/// The first version of the catalog, shipped with the project (data/cluster-catalog-2025.toml).
pub const BUILTIN: &str = include_str!("../../../../data/cluster-catalog-2025.toml");

use super::Enterprise;
use super::industry::IndustryCodes;

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
/// A version of the cluster catalog: which industries belong to which cluster.
pub struct ClusterCatalog {
    /// The version's name.
    pub version: String,
    /// The day it takes effect, as written.
    pub effective: String,
    #[serde(default)]
    /// What the version is.
    pub note: String,
    #[serde(rename = "cluster")]
    /// The clusters.
    pub clusters: Vec<CatalogCluster>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
/// A cluster of the catalog.
pub struct CatalogCluster {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    #[serde(default)]
    /// The tier it belongs to.
    pub tier: String,
    /// Codes wholly in the cluster: a 小类, or a 中类 / 大类 meaning every 小类 under it.
    #[serde(default)]
    pub whole: Vec<String>,
    /// Codes only partly in it: enterprises under them join the cluster when tagged by name.
    #[serde(default)]
    pub partial: Vec<String>,
    /// Enterprises (credit codes) in the cluster whatever their industry code.
    #[serde(default)]
    pub include: Vec<String>,
    /// Enterprises (credit codes) kept out of the cluster whatever their industry code.
    #[serde(default)]
    pub exclude: Vec<String>,
    #[serde(default)]
    /// What the mapping is based on.
    pub basis: String,
    #[serde(default)]
    /// Anything worth knowing about it.
    pub note: String,
}

impl ClusterCatalog {
    /// Parses a catalog and checks every code against the industry table.
    pub fn parse(file: &str, text: &str, codes: &IndustryCodes) -> Result<ClusterCatalog, String> {
        let catalog: ClusterCatalog = toml::from_str(text).map_err(|e| format!("{file}: {}", e.message().trim()))?;
        let mut problems = Vec::new();
        let mut ids = std::collections::HashSet::new();
        for cluster in &catalog.clusters {
            if !ids.insert(cluster.id.as_str()) {
                problems.push(format!("duplicate cluster \"{}\"", cluster.id));
            }
            for code in cluster.whole.iter().chain(&cluster.partial) {
                if codes.get(code).is_none() {
                    problems.push(format!("cluster {}: unknown industry code {code}", cluster.id));
                }
            }
            for code in cluster.include.iter().chain(&cluster.exclude) {
                if let Err(error) = super::credit_code::validate(code) {
                    problems.push(format!("cluster {}: enterprise {code}: {error}", cluster.id));
                }
            }
            if let Some(both) = cluster.include.iter().find(|code| cluster.exclude.contains(code)) {
                problems.push(format!("cluster {}: enterprise {both} is both included and excluded", cluster.id));
            }
        }
        if problems.is_empty() { Ok(catalog) } else { Err(format!("{file}: {}", problems.join("; "))) }
    }

    /// The clusters an industry code belongs to wholly.
    pub fn whole_clusters(&self, industry: &str) -> Vec<&str> {
        self.clusters
            .iter()
            .filter(|c| c.whole.iter().any(|prefix| industry.starts_with(prefix.as_str())))
            .map(|c| c.id.as_str())
            .collect()
    }

    /// The clusters an industry code belongs to in part.
    pub fn partial_clusters(&self, industry: &str) -> Vec<&str> {
        self.clusters
            .iter()
            .filter(|c| c.partial.iter().any(|prefix| industry.starts_with(prefix.as_str())))
            .map(|c| c.id.as_str())
            .collect()
    }

    /// The positions of the clusters an enterprise belongs to under this version: those set by
    /// hand in the registry (as far as this version has them) or those its industry code
    /// belongs to wholly, then the clusters naming it in or out.
    pub fn clusters_of(&self, enterprise: &Enterprise) -> Vec<usize> {
        let mut own: Vec<usize> = match &enterprise.cluster_override {
            Some(o) => o.clusters.iter().filter_map(|id| self.clusters.iter().position(|c| &c.id == id)).collect(),
            None => (0..self.clusters.len())
                .filter(|&i| {
                    self.clusters[i].whole.iter().any(|prefix| enterprise.industry.starts_with(prefix.as_str()))
                })
                .collect(),
        };
        for (i, cluster) in self.clusters.iter().enumerate() {
            if cluster.include.contains(&enterprise.credit_code) {
                own.push(i);
            }
            if cluster.exclude.contains(&enterprise.credit_code) {
                own.retain(|c| *c != i);
            }
        }
        own.sort_unstable();
        own.dedup();
        own
    }

    /// The cluster `id`.
    pub fn cluster(&self, id: &str) -> Option<&CatalogCluster> {
        self.clusters.iter().find(|c| c.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CATALOG: &str = include_str!("../../../../data/cluster-catalog-2025.toml");
    const TABLE: &str = include_str!("../../../../data/gbt4754-2017.csv");

    fn catalog() -> ClusterCatalog {
        let codes = IndustryCodes::parse("gbt4754", TABLE).expect("table");
        ClusterCatalog::parse("catalog", CATALOG, &codes).expect("catalog")
    }

    #[test]
    fn the_shipped_catalog_covers_the_plans_clusters() {
        let catalog = catalog();
        for id in [
            "green-petrochemical",
            "nev-equipment",
            "new-materials",
            "ai-robotics",
            "next-gen-it",
            "green-energy",
            "life-health",
            "fashion-consumer",
            "aerospace-marine",
            "modern-agriculture",
        ] {
            assert!(catalog.cluster(id).is_some(), "{id}");
        }
    }

    #[test]
    fn codes_map_to_clusters_by_prefix() {
        let catalog = catalog();
        assert!(catalog.whole_clusters("2511").contains(&"green-petrochemical"));
        assert!(catalog.whole_clusters("3612").contains(&"nev-equipment"));
        assert!(catalog.whole_clusters("0111").contains(&"modern-agriculture"));
    }

    #[test]
    fn unknown_codes_are_refused() {
        let codes = IndustryCodes::parse("gbt4754", TABLE).expect("table");
        let broken = CATALOG.replacen("\"2511\"", "\"2599\"", 1);
        let error = ClusterCatalog::parse("catalog", &broken, &codes).unwrap_err();
        assert!(error.contains("unknown industry code 2599"), "{error}");
    }
}
