//! What the cluster pages and the statistics API both ask: the dataset of a month under a
//! catalog version, and names (cluster, org unit, measure) resolved with a 400 for anything
//! unknown.

use std::sync::Arc;

use plan361_core::Period;
use plan361_core::stats::{Dataset, Measure};

use crate::AppState;
use crate::error::Problem;

/// The dataset for a month (default: the latest month with data, else this month) and a
/// catalog version (default: the one in force then).
pub async fn dataset(
    state: &AppState,
    at: Option<&str>,
    catalog: Option<&str>,
) -> Result<(Arc<Dataset>, Period), Problem> {
    let at = match at.map(str::trim).filter(|t| !t.is_empty()) {
        Some(text) => month(text)?,
        None => {
            let micro = state.store.microdata().await?;
            micro.span().map_or_else(
                || crate::service::current_month(state),
                |(_, last)| plan361_core::stats::month_period(last),
            )
        }
    };
    let catalog = catalog.map(str::trim).filter(|c| !c.is_empty());
    Ok((state.store.stats_dataset(catalog, at).await?, at))
}

pub fn month(text: &str) -> Result<Period, Problem> {
    match text.parse::<Period>() {
        Ok(month @ Period::Month { .. }) => Ok(month),
        _ => Err(Problem::bad_request(format!("at: \"{text}\" is not a month (YYYY-MM, 2026-10)"))),
    }
}

/// One measure (default output), or every one for `all` when allowed.
pub fn measures(text: Option<&str>, all_allowed: bool) -> Result<Vec<Measure>, Problem> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(vec![Measure::Output]),
        Some("all") if all_allowed => Ok(Measure::ALL.to_vec()),
        Some(code) => Measure::from_code(code).map(|m| vec![m]).ok_or_else(|| {
            let known: Vec<&str> = Measure::ALL.iter().map(|m| m.code()).collect();
            Problem::bad_request(format!("measure: unknown \"{code}\" ({})", known.join(", ")))
        }),
    }
}

/// A cluster's position in the cube (`all` or absent: the total).
pub fn cluster(dataset: &Dataset, id: Option<&str>) -> Result<usize, Problem> {
    let id = id.map(str::trim).filter(|t| !t.is_empty()).unwrap_or(plan361_core::stats::ALL_CLUSTER);
    dataset.members.cluster_position(id).ok_or_else(|| {
        let known: Vec<&str> = dataset.members.clusters.iter().map(|(c, _)| c.as_str()).collect();
        Problem::bad_request(format!("cluster: unknown \"{id}\" (all, {})", known.join(", ")))
    })
}

/// An org unit's position in the cube (absent: the city).
pub fn org_unit(dataset: &Dataset, name: Option<&str>) -> Result<usize, Problem> {
    match name.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(0),
        Some(name) => dataset
            .members
            .org_position(name)
            .ok_or_else(|| Problem::bad_request(format!("org_unit: \"{name}\" is not the city, a district or a zone"))),
    }
}
