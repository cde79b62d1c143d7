//! Who counts where under one catalog version: each enterprise's org units (the city, its
//! district, and a development zone apart) and clusters, and the years it is above scale.
//!
//! Enterprises with the same org units and clusters form a class; the cube adds rows into
//! classes first and spreads classes over cells after, so that the per-row work does not grow
//! with the number of clusters an enterprise belongs to.

use std::collections::HashMap;

use crate::org::{OrgKind, OrgUnits};
use crate::registry::{ClusterCatalog, Enterprise, Registry};

/// An enterprise as the statistics see it.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    /// The enterprise's credit code.
    pub credit_code: String,
    /// Its name.
    pub name: String,
    /// The district (or zone) of the registry.
    pub district: String,
    /// Its industry code.
    pub industry: String,
    /// Positions in [`Members::clusters`] (the total, 全部规上工业, is not among them).
    pub clusters: Vec<usize>,
    /// Bit `y - FIRST_YEAR` is set when it is above scale in year `y`.
    above_scale: u128,
    class: u32,
}

const FIRST_YEAR: i32 = 1990;

impl Member {
    /// Whether it was above scale (规上) in `year`.
    pub fn above_scale_in(&self, year: i32) -> bool {
        u32::try_from(year - FIRST_YEAR).ok().filter(|b| *b < 128).is_some_and(|bit| self.above_scale >> bit & 1 == 1)
    }
}

/// The cells a class of enterprises adds into: org unit positions × cluster positions (0 is
/// the total, catalog clusters follow).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Class {
    pub org_units: Vec<usize>,
    pub clusters: Vec<usize>,
}

/// The membership of every enterprise of the registry under one catalog version.
#[derive(Clone, Debug)]
pub struct Members {
    /// The cluster catalog version membership follows.
    pub catalog_version: String,
    /// (id, name) of the catalog's clusters, in its order.
    pub clusters: Vec<(String, String)>,
    /// The org units of the cube: the city, the districts, then the zones.
    pub org_units: Vec<String>,
    /// How many of `org_units` are the city and its districts (zones follow).
    pub territorial: usize,
    /// The enterprises, by credit code.
    pub members: Vec<Member>,
    by_code: HashMap<String, u32>,
    pub(crate) classes: Vec<Class>,
}

impl Members {
    /// The membership of every enterprise of the registry under `catalog`.
    pub fn new(registry: &Registry, catalog: &ClusterCatalog, org_units: &OrgUnits) -> Members {
        let mut units: Vec<String> = vec![org_units.city().name.clone()];
        units.extend(org_units.of_kind(OrgKind::District).map(|u| u.name.clone()));
        let territorial = units.len();
        units.extend(org_units.of_kind(OrgKind::Zone).map(|u| u.name.clone()));
        let position: HashMap<&str, usize> = units.iter().enumerate().map(|(i, u)| (u.as_str(), i)).collect();
        let clusters: Vec<(String, String)> = catalog.clusters.iter().map(|c| (c.id.clone(), c.name.clone())).collect();
        let mut class_ids: HashMap<Class, u32> = HashMap::new();
        let mut classes = Vec::new();
        let mut members = Vec::with_capacity(registry.enterprises.len());
        let mut by_code = HashMap::with_capacity(registry.enterprises.len());
        for e in &registry.enterprises {
            let own = catalog.clusters_of(e);
            // The city counts every enterprise once; a zone's enterprise also counts in its
            // host district when the zone lies in one district only.
            let mut org: Vec<usize> = vec![0];
            if let Some(unit) = org_units.get(&e.district) {
                match unit.kind {
                    OrgKind::District => org.extend(position.get(e.district.as_str())),
                    OrgKind::Zone => {
                        if let [host] = unit.hosts.as_slice() {
                            org.extend(position.get(host.as_str()));
                        }
                        org.extend(position.get(e.district.as_str()));
                    }
                    _ => {}
                }
            }
            let class =
                Class { org_units: org, clusters: std::iter::once(0).chain(own.iter().map(|c| c + 1)).collect() };
            let next = classes.len() as u32;
            let id = *class_ids.entry(class.clone()).or_insert_with(|| {
                classes.push(class);
                next
            });
            by_code.insert(e.credit_code.clone(), members.len() as u32);
            members.push(Member {
                credit_code: e.credit_code.clone(),
                name: e.name.clone(),
                district: e.district.clone(),
                industry: e.industry.clone(),
                clusters: own,
                above_scale: years_mask(e),
                class: id,
            });
        }
        Members {
            catalog_version: catalog.version.clone(),
            clusters,
            org_units: units,
            territorial,
            members,
            by_code,
            classes,
        }
    }

    /// The member of `credit_code`.
    pub fn get(&self, credit_code: &str) -> Option<&Member> {
        self.by_code.get(credit_code).map(|i| &self.members[*i as usize])
    }

    pub(crate) fn index(&self, credit_code: &str) -> Option<u32> {
        self.by_code.get(credit_code).copied()
    }

    pub(crate) fn class_of(&self, member: u32) -> u32 {
        self.members[member as usize].class
    }

    /// A cluster's position in the cube (0 for the total), from its id or `all`.
    pub fn cluster_position(&self, id: &str) -> Option<usize> {
        if id == super::ALL_CLUSTER {
            return Some(0);
        }
        self.clusters.iter().position(|(c, _)| c == id).map(|i| i + 1)
    }

    /// The position of org unit `name`.
    pub fn org_position(&self, name: &str) -> Option<usize> {
        self.org_units.iter().position(|u| u == name)
    }

    /// Whether a member counts in an org unit of the cube.
    pub fn in_org_unit(&self, member: &Member, org: usize) -> bool {
        self.classes[member.class as usize].org_units.contains(&org)
    }

    /// Whether a member counts in a cube cluster (0: the total).
    pub fn in_cluster(member: &Member, cluster: usize) -> bool {
        cluster == 0 || member.clusters.contains(&(cluster - 1))
    }

    /// Every (credit code, cluster id) of the enterprises above scale in `year`.
    pub fn memberships(&self, year: i32) -> impl Iterator<Item = (&str, &str)> {
        self.members
            .iter()
            .filter(move |m| m.above_scale_in(year))
            .flat_map(move |m| m.clusters.iter().map(move |c| (m.credit_code.as_str(), self.clusters[*c].0.as_str())))
    }
}

fn years_mask(e: &Enterprise) -> u128 {
    e.above_scale
        .iter()
        .filter_map(|y| u32::try_from(y - FIRST_YEAR).ok().filter(|b| *b < 128))
        .fold(0u128, |mask, bit| mask | 1 << bit)
}
