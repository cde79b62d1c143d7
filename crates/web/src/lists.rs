//! What the list pages and the list API both ask: the lists as they are today with the cluster
//! catalog in force, the entries a filter finds, who may manage which district's entries, and
//! the entries behind a counted target's value (writes go straight to the store).

use std::sync::Arc;

use plan361_core::Period;
use plan361_core::access::{Action, Actor};
use plan361_core::calendar::Date;
use plan361_core::org::{OrgKind, OrgUnits};
use plan361_core::plan::Plan;
use plan361_core::registry::count::{self, Entry};
use plan361_core::registry::select::{Filter, Paging, select};
use plan361_core::registry::{ClusterCatalog, Enterprise, Entity, ListKind, MajorProject, Park, Platform, Registry};
use plan361_store::StoreError;

use crate::error::Problem;
use crate::{AppState, service};

/// The lists as they are now, with the catalog in force today.
pub struct Listing {
    pub registry: Arc<Registry>,
    pub catalog: ClusterCatalog,
    pub today: Date,
}

pub async fn listing(state: &AppState) -> Result<Listing, Problem> {
    let today = service::today(state);
    let registry = state.store.registry(None).await?;
    let catalog = state.store.catalog_at(today).await?;
    Ok(Listing { registry, catalog, today })
}

/// A list named in an address.
pub fn list_kind(code: &str) -> Result<ListKind, Problem> {
    ListKind::from_code(code)
        .ok_or_else(|| Problem::not_found(format!("no list \"{code}\": the lists are {}", ListKind::CHOICES)))
}

/// The entries of one list a filter finds, in the list's order.
pub enum Found<'a> {
    Enterprises(Vec<&'a Enterprise>),
    Projects(Vec<&'a MajorProject>),
    Parks(Vec<&'a Park>),
    Platforms(Vec<&'a Platform>),
}

impl Listing {
    /// The entries of `list` the filter finds today; a filter that does not apply or names
    /// nothing known is a bad request.
    pub fn find(&self, list: ListKind, filter: &Filter) -> Result<Found<'_>, Problem> {
        let problems = filter.problems(list, &self.catalog);
        if !problems.is_empty() {
            return Err(Problem::bad_request(problems.join("; ")));
        }
        let (r, catalog, day) = (&self.registry, &self.catalog, self.today);
        Ok(match list {
            ListKind::Enterprises => Found::Enterprises(select(&r.enterprises, filter, catalog, day)),
            ListKind::Projects => Found::Projects(select(&r.projects, filter, catalog, day)),
            ListKind::Parks => Found::Parks(select(&r.parks, filter, catalog, day)),
            ListKind::Platforms => Found::Platforms(select(&r.platforms, filter, catalog, day)),
        })
    }

    /// A cluster's name in the catalog in force (its id if the catalog lacks it).
    pub fn cluster_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.catalog.cluster(id).map_or(id, |c| c.name.as_str())
    }
}

impl Found<'_> {
    pub fn len(&self) -> usize {
        match self {
            Found::Enterprises(found) => found.len(),
            Found::Projects(found) => found.len(),
            Found::Parks(found) => found.len(),
            Found::Platforms(found) => found.len(),
        }
    }

    /// The entries of one page, as entities.
    pub fn entities(&self, paging: &Paging) -> Vec<Entity> {
        fn page<T: Clone>(found: &[&T], paging: &Paging, wrap: fn(T) -> Entity) -> Vec<Entity> {
            paging.slice(found).iter().map(|e| wrap((*e).clone())).collect()
        }
        match self {
            Found::Enterprises(found) => page(found, paging, Entity::Enterprise),
            Found::Projects(found) => page(found, paging, Entity::Project),
            Found::Parks(found) => page(found, paging, Entity::Park),
            Found::Platforms(found) => page(found, paging, Entity::Platform),
        }
    }
}

/// The districts and development zones whose entries the actor may manage, in statistics
/// order (none for most roles).
pub fn manageable_districts(state: &AppState, actor: &Actor, org_units: &OrgUnits) -> Vec<String> {
    org_units
        .all()
        .iter()
        .filter(|u| matches!(u.kind, OrgKind::District | OrgKind::Zone))
        .filter(|u| state.allowed(actor, Action::ManageList { district: &u.name }))
        .map(|u| u.name.clone())
        .collect()
}

/// Whether the actor may change an entry where it is.
pub fn may_manage(state: &AppState, actor: &Actor, entity: &Entity) -> bool {
    state.allowed(actor, Action::ManageList { district: entity.district() })
}

/// A refused entry as a request error: each problem with the field it is about.
pub fn entry_problem(error: StoreError) -> Problem {
    match error {
        StoreError::Rejected(problems) => {
            let lines: Vec<String> = problems
                .iter()
                .map(|p| match &p.column {
                    Some(field) => format!("{field}: {}", p.reason),
                    None => p.reason.clone(),
                })
                .collect();
            Problem { problems: lines.clone().into_boxed_slice(), ..Problem::invalid(lines.join("; ")) }
        }
        other => other.into(),
    }
}

/// The entries behind a counted target's value at a period's end, in the city or one district.
pub struct Behind {
    pub plan: Arc<Plan>,
    /// The target's position in the plan.
    pub target: usize,
    pub list: ListKind,
    pub at: Period,
    pub day: Date,
    pub org_unit: String,
    /// The value they make, in the target's unit.
    pub value: f64,
    pub entries: Vec<Entry>,
    /// The value of the city and of each district, in statistics order.
    pub units: Vec<(String, f64)>,
}

pub async fn behind(state: &AppState, target_id: &str, at: Period, org_unit: Option<&str>) -> Result<Behind, Problem> {
    let evaluated = state.cache.evaluated(&state.store, at).await?;
    let plan = evaluated.input.plan.clone();
    let org_units = evaluated.input.org_units.clone();
    let target_index = plan
        .targets()
        .iter()
        .position(|t| t.id == target_id)
        .ok_or_else(|| Problem::not_found(format!("no target \"{target_id}\" in the plan")))?;
    let target = &plan.targets()[target_index];
    let Some(rule) = &target.count else {
        return Err(Problem::not_found(format!(
            "target {target_id} is reported, not counted from a list: its values are on the target page"
        )));
    };
    let city = org_units.city().name.clone();
    let org_unit = org_unit.map(str::trim).filter(|u| !u.is_empty()).unwrap_or(&city).to_string();
    match org_units.get(&org_unit).map(|u| u.kind) {
        Some(OrgKind::City | OrgKind::District | OrgKind::Zone) => {}
        Some(_) => {
            return Err(Problem::bad_request(format!(
                "org_unit: {org_unit} is not the city, a district or a development zone"
            )));
        }
        None => return Err(Problem::not_found(format!("org_unit: unknown org unit \"{org_unit}\""))),
    }
    let registry = state.store.registry(None).await?;
    let all = count::entries(rule, &registry);
    let day = Date::last_of(at);
    let baseline_end = Date::year_end(plan.meta().baseline_year);
    // The city counts every entry; a district or zone its own.
    fn within<'a>(unit: &'a str, city: &str) -> Option<&'a str> {
        (unit != city).then_some(unit)
    }
    let value_in =
        |unit: &str| count::value(rule, &all, target.kind, &target.unit, day, baseline_end, within(unit, &city));
    let units = std::iter::once(city.as_str())
        .chain(org_units.of_kind(OrgKind::District).map(|u| u.name.as_str()))
        .map(|unit| (unit.to_string(), value_in(unit)))
        .collect();
    let entries: Vec<Entry> =
        count::counted(&all, target.kind, day, baseline_end, within(&org_unit, &city)).into_iter().cloned().collect();
    Ok(Behind {
        value: value_in(&org_unit),
        target: target_index,
        list: rule.list(),
        at,
        day,
        org_unit,
        entries,
        units,
        plan,
    })
}

/// The address of an entry's page; the key is one path segment whatever it holds.
pub fn entry_href(list: ListKind, key: &str) -> String {
    format!("/lists/{}/{}", list.code(), crate::render::percent_encoded(key))
}
