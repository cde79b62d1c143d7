//! Org units: the city, its districts, the development zones that overlap them, and the
//! municipal departments that report.
//!
//! The invariant that matters for statistics: a city total is the city's own figure or the sum
//! of its districts, never including a zone, whose figures are already in its host districts.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
/// What an org unit is.
pub enum OrgKind {
    /// The city.
    City,
    /// A district or county (区县市).
    District,
    /// A development zone; its figures are part of its host districts'.
    Zone,
    /// A department of the city government.
    Department,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
/// An org unit: the city, a district, a zone or a department.
pub struct OrgUnit {
    /// Its short name, which identifies it everywhere.
    pub name: String,
    /// What it is.
    pub kind: OrgKind,
    #[serde(default)]
    /// The administrative division code, where it has one.
    pub code: Option<String>,
    #[serde(default)]
    /// The full official name, where the short one is not.
    pub full_name: Option<String>,
    /// For zones: the districts they lie in.
    #[serde(default)]
    pub hosts: Vec<String>,
    #[serde(default)]
    /// Anything worth knowing about it.
    pub note: Option<String>,
}

impl OrgUnit {
    /// Whether the unit stands for a territory whose values are reported (city, district, zone).
    pub fn is_territorial(&self) -> bool {
        self.kind != OrgKind::Department
    }
}

/// An org unit's name, which identifies it (`北仑区`), where it keys data with a target's id
/// beside it ([`crate::eval::Decompositions`]): the two can't be swapped.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OrgUnitId(String);

impl OrgUnitId {
    /// The unit named `name`.
    pub fn new(name: &str) -> OrgUnitId {
        OrgUnitId(name.to_string())
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for OrgUnitId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Clone, Debug, Serialize)]
/// The org units of a deployment, checked: unique names, one city, zones' hosts known.
pub struct OrgUnits {
    units: Vec<OrgUnit>,
    /// Index of the one city in `units`.
    city: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OrgUnitsFile {
    unit: Vec<OrgUnit>,
}

impl OrgUnits {
    /// Parses and checks an org-units file. `file` names it in messages.
    pub fn parse(file: &str, text: &str) -> Result<OrgUnits, String> {
        let parsed: OrgUnitsFile = toml::from_str(text).map_err(|e| format!("{file}: {}", e.message().trim()))?;
        OrgUnits::new(parsed.unit).map_err(|e| format!("{file}: {e}"))
    }

    /// Checks a list of units: unique names, exactly one city, zones hosted by known districts.
    pub fn new(units: Vec<OrgUnit>) -> Result<OrgUnits, String> {
        let city = units.iter().position(|u| u.kind == OrgKind::City).unwrap_or_default();
        let units = OrgUnits { units, city };
        let mut problems = Vec::new();
        let mut names = HashSet::new();
        for unit in &units.units {
            if !names.insert(unit.name.as_str()) {
                problems.push(format!("duplicate unit \"{}\"", unit.name));
            }
        }
        let cities = units.units.iter().filter(|u| u.kind == OrgKind::City).count();
        if cities != 1 {
            problems.push(format!("exactly one unit of kind \"city\" is needed, found {cities}"));
        }
        for zone in units.units.iter().filter(|u| u.kind == OrgKind::Zone) {
            if zone.hosts.is_empty() {
                problems.push(format!("zone \"{}\" names no host district", zone.name));
            }
            for host in &zone.hosts {
                if units.get(host).is_none_or(|h| h.kind != OrgKind::District) {
                    problems.push(format!("zone \"{}\": host \"{host}\" is not a district", zone.name));
                }
            }
        }
        if problems.is_empty() { Ok(units) } else { Err(problems.join("; ")) }
    }

    /// Every unit, in file order.
    pub fn all(&self) -> &[OrgUnit] {
        &self.units
    }

    /// The unit called `name`.
    pub fn get(&self, name: &str) -> Option<&OrgUnit> {
        self.units.iter().find(|u| u.name == name)
    }

    /// The position of a unit in the file, which is the statistics order.
    pub fn position(&self, name: &str) -> Option<usize> {
        self.units.iter().position(|u| u.name == name)
    }

    /// The city.
    pub fn city(&self) -> &OrgUnit {
        &self.units[self.city]
    }

    /// The units of `kind`, in file order.
    pub fn of_kind(&self, kind: OrgKind) -> impl Iterator<Item = &OrgUnit> {
        self.units.iter().filter(move |u| u.kind == kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"
[[unit]]
name = "宁波市"
kind = "city"
[[unit]]
name = "北仑区"
kind = "district"
[[unit]]
name = "鄞州区"
kind = "district"
[[unit]]
name = "宁波经济技术开发区"
kind = "zone"
hosts = ["北仑区"]
[[unit]]
name = "市经信局"
kind = "department"
"#;

    #[test]
    fn a_zone_must_lie_in_a_known_district() {
        let bad = SAMPLE.replace("hosts = [\"北仑区\"]", "hosts = [\"不存在区\"]");
        let error = OrgUnits::parse("sample", &bad).expect_err("unknown host");
        assert!(error.contains("host \"不存在区\" is not a district"), "{error}");
    }

    #[test]
    fn names_are_unique_and_there_is_one_city() {
        let twice = format!("{SAMPLE}\n[[unit]]\nname = \"北仑区\"\nkind = \"district\"\n");
        assert!(OrgUnits::parse("sample", &twice).expect_err("duplicate").contains("duplicate unit \"北仑区\""));
        let no_city = SAMPLE.replace("kind = \"city\"", "kind = \"district\"");
        assert!(OrgUnits::parse("sample", &no_city).expect_err("no city").contains("exactly one"));
    }
}
