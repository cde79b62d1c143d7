//! The cube of one month: every cluster (and the total, 全部规上工业) × org unit × measure.
//!
//! The rules (DESIGN §4, NBS 同口径):
//! - the set of a month is the enterprises above scale in its year that report the month;
//! - `ytd` is their 1–N月 sum; `month` (当月) is each one's 1–N月 minus its 1–(N−1)月 (January:
//!   the value itself). An enterprise reporting February without January makes the cell's
//!   February a 1–2月 figure (`month_span` 2). One whose previous month is missing otherwise
//!   adds nothing to 当月. A stock (从业人员) is its value at the month's end;
//! - `ytd_prev` and `yoy` compare, over the enterprises of the set that also reported the same
//!   month last year, Σ this year / Σ last year − 1;
//! - `share` is of the org unit's total ytd; `contribution_pp` (拉动) is the cluster's
//!   like-for-like change over the org unit's total like-for-like prior value, × 100.

use serde::Serialize;

use super::members::Members;
use super::micro::{Microdata, Slice};
use super::{MEASURES, Measure, month_index, unscale};
use crate::Period;

/// The id of the total of all above-scale industry in the cube.
pub const ALL_CLUSTER: &str = "all";

const NOT_LINKED: u32 = u32::MAX;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Sums {
    ytd: i64,
    month: i64,
    cur_common: i64,
    prev_common: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct CellSums {
    sums: [Sums; MEASURES],
    enterprises: u32,
    common: u32,
    month_known: u32,
    jan_feb: u32,
}

impl CellSums {
    fn add(&mut self, other: &CellSums) {
        for (a, b) in self.sums.iter_mut().zip(&other.sums) {
            a.ytd += b.ytd;
            a.month += b.month;
            a.cur_common += b.cur_common;
            a.prev_common += b.prev_common;
        }
        self.enterprises += other.enterprises;
        self.common += other.common;
        self.month_known += other.month_known;
        self.jan_feb += other.jan_feb;
    }
}

/// One cell of the cube for one measure, in the measure's unit; fractions are fractions.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Cell {
    /// The month's value.
    pub month: Option<f64>,
    /// 2 when `month` is the 1–2月 figure (January not reported apart).
    pub month_span: u8,
    /// The year to date's value.
    pub ytd: f64,
    /// The same months of last year.
    pub ytd_prev: Option<f64>,
    /// 同比: year to date against the same months of last year.
    pub yoy: Option<f64>,
    /// How many enterprises add into it.
    pub enterprises: u32,
    /// Its share of the org unit's total.
    pub share: Option<f64>,
    /// Its contribution to the org unit's growth, in percentage points.
    pub contribution_pp: Option<f64>,
}

/// A cell with what it is about: the objects of `stats cube --json` and `/api/stats/cube`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CubeRow {
    /// A cluster id of the catalog, or `all` for 全部规上工业.
    pub cluster: String,
    /// The org unit.
    pub org_unit: String,
    /// The month, as written.
    pub period: String,
    /// The measure's code.
    pub measure: String,
    /// 当月.
    pub month: Option<f64>,
    /// The months `month` covers: 1, or 2 for 1–2月 (January not reported apart).
    pub month_span: u8,
    /// 1–N月累计.
    pub ytd: f64,
    /// The same months last year, of the enterprises reporting in both years.
    pub ytd_prev: Option<f64>,
    /// 同比 (同口径), a fraction.
    pub yoy: Option<f64>,
    /// How many enterprises add into it.
    pub enterprises: u32,
    /// Of the org unit's 全部规上工业 ytd, a fraction.
    pub share: Option<f64>,
    /// 拉动, percentage points.
    pub contribution_pp: Option<f64>,
}

/// The cube of one month under one catalog version.
#[derive(Clone, Debug)]
pub struct Cube {
    /// The month.
    pub period: Period,
    /// The cluster catalog version membership follows.
    pub catalog_version: String,
    /// (id, name): `all` first, then the catalog's clusters.
    pub clusters: Vec<(String, String)>,
    /// The org units, in the order of the cells.
    pub org_units: Vec<String>,
    /// Org units that are the city and its districts; zones follow.
    pub territorial: usize,
    cells: Vec<CellSums>,
}

/// The values of one enterprise in one month and what they are compared with.
struct Row<'a> {
    values: &'a [i64; MEASURES],
    previous_month: Option<&'a [i64; MEASURES]>,
    last_year: Option<&'a [i64; MEASURES]>,
}

/// Walks a month's rows of the members above scale in its year with their previous month
/// and the same month last year, in one merge over three sorted slices.
fn walk<'a>(
    micro: &'a Microdata,
    members: &Members,
    link: &[u32],
    period: Period,
    mut visit: impl FnMut(u32, Row<'a>),
) {
    let month = month_index(period);
    let year = period.year();
    let Some(current) = micro.slice(month) else { return };
    static EMPTY: Slice = Slice { enterprises: Vec::new(), values: Vec::new() };
    let before = if period.months_elapsed() > 1 { micro.slice(month - 1) } else { None };
    let before = before.unwrap_or(&EMPTY);
    let last_year = micro.slice(month - 12).unwrap_or(&EMPTY);
    let (mut b, mut y) = (0, 0);
    for (k, &id) in current.enterprises.iter().enumerate() {
        let member = link.get(id as usize).copied().unwrap_or(NOT_LINKED);
        if member == NOT_LINKED || !members.members[member as usize].above_scale_in(year) {
            continue;
        }
        let find = |slice: &'a Slice, at: &mut usize| {
            while *at < slice.enterprises.len() && slice.enterprises[*at] < id {
                *at += 1;
            }
            (slice.enterprises.get(*at) == Some(&id)).then(|| &slice.values[*at])
        };
        let previous_month = find(before, &mut b);
        let last_year = find(last_year, &mut y);
        visit(member, Row { values: &current.values[k], previous_month, last_year });
    }
}

/// 当月 of one measure for one enterprise, if its months allow it.
fn month_value(measure: usize, row: &Row, first_month: bool) -> Option<i64> {
    let value = row.values[measure];
    if first_month || Measure::ALL[measure].is_stock() {
        return Some(value);
    }
    row.previous_month.map(|before| value - before[measure])
}

impl Members {
    /// For each enterprise of the microdata, its position among the members (or none).
    pub fn link(&self, micro: &Microdata) -> Vec<u32> {
        (0..micro.enterprise_count() as u32).map(|id| self.index(micro.code(id)).unwrap_or(NOT_LINKED)).collect()
    }
}

impl Cube {
    /// The cube of `period` (a month). `link` is [`Members::link`] of the same microdata.
    pub fn compute(micro: &Microdata, members: &Members, link: &[u32], period: Period) -> Cube {
        let first_month = period.months_elapsed() == 1;
        let february = period.months_elapsed() == 2;
        let mut classes = vec![CellSums::default(); members.classes.len()];
        walk(micro, members, link, period, |member, row| {
            let sums = &mut classes[members.class_of(member) as usize];
            sums.enterprises += 1;
            let month_known = first_month || row.previous_month.is_some();
            if month_known {
                sums.month_known += 1;
            } else if february {
                sums.jan_feb += 1;
            }
            for (m, s) in sums.sums.iter_mut().enumerate() {
                let value = row.values[m];
                s.ytd += value;
                if let Some(month) = month_value(m, &row, first_month) {
                    s.month += month;
                }
                if let Some(before) = row.last_year {
                    s.cur_common += value;
                    s.prev_common += before[m];
                }
            }
            if row.last_year.is_some() {
                sums.common += 1;
            }
        });
        let org_count = members.org_units.len();
        let mut cells = vec![CellSums::default(); (members.clusters.len() + 1) * org_count];
        for (class, sums) in members.classes.iter().zip(&classes) {
            if sums.enterprises == 0 {
                continue;
            }
            for &cluster in &class.clusters {
                for &org in &class.org_units {
                    cells[cluster * org_count + org].add(sums);
                }
            }
        }
        let mut clusters = vec![(ALL_CLUSTER.to_string(), "全部规上工业".to_string())];
        clusters.extend(members.clusters.iter().cloned());
        Cube {
            period,
            catalog_version: members.catalog_version.clone(),
            clusters,
            org_units: members.org_units.clone(),
            territorial: members.territorial,
            cells,
        }
    }

    fn sums(&self, cluster: usize, org: usize) -> &CellSums {
        &self.cells[cluster * self.org_units.len() + org]
    }

    /// One cell (cluster 0 is the total) for one measure.
    pub fn cell(&self, cluster: usize, org: usize, measure: Measure) -> Cell {
        let m = measure.index();
        let here = self.sums(cluster, org);
        let total = self.sums(0, org);
        let s = here.sums[m];
        let (month, month_span) = if measure.is_stock() {
            (Some(unscale(s.ytd)), 1)
        } else if here.jan_feb > 0 {
            (Some(unscale(s.ytd)), 2)
        } else if here.month_known > 0 || here.enterprises == 0 {
            (Some(unscale(s.month)), 1)
        } else {
            (None, 1)
        };
        let common = here.common > 0;
        let ratio = |num: i64, den: i64| (den > 0).then(|| num as f64 / den as f64);
        Cell {
            month,
            month_span,
            ytd: unscale(s.ytd),
            ytd_prev: common.then(|| unscale(s.prev_common)),
            yoy: if common { ratio(s.cur_common, s.prev_common).map(|r| r - 1.0) } else { None },
            enterprises: here.enterprises,
            share: ratio(s.ytd, total.sums[m].ytd),
            contribution_pp: ratio(s.cur_common - s.prev_common, total.sums[m].prev_common).map(|r| r * 100.0),
        }
    }

    /// The cell of cluster `cluster` and org unit `org` for `measure`.
    pub fn row(&self, cluster: usize, org: usize, measure: Measure) -> CubeRow {
        let cell = self.cell(cluster, org, measure);
        CubeRow {
            cluster: self.clusters[cluster].0.clone(),
            org_unit: self.org_units[org].clone(),
            period: self.period.to_string(),
            measure: measure.code().to_string(),
            month: cell.month,
            month_span: cell.month_span,
            ytd: cell.ytd,
            ytd_prev: cell.ytd_prev,
            yoy: cell.yoy,
            enterprises: cell.enterprises,
            share: cell.share,
            contribution_pp: cell.contribution_pp,
        }
    }
}

/// One enterprise behind a cell: its figures for one measure.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EnterpriseFigures {
    /// The enterprise's credit code.
    pub credit_code: String,
    /// Its name.
    pub name: String,
    /// The district it is in.
    pub district: String,
    /// The month's value.
    pub month: Option<f64>,
    /// The year to date's value.
    pub ytd: f64,
    /// Its 1–N月 of last year, when it reported then.
    pub ytd_prev: Option<f64>,
    /// 同比: year to date against the same months of last year.
    pub yoy: Option<f64>,
}

/// The enterprises that make up a cell (cluster 0 is the total), in the microdata's order:
/// their ytd add up to the cell's.
pub fn enterprises_behind(
    micro: &Microdata,
    members: &Members,
    link: &[u32],
    period: Period,
    cluster: usize,
    org: usize,
    measure: Measure,
) -> Vec<EnterpriseFigures> {
    let m = measure.index();
    let first_month = period.months_elapsed() == 1;
    let mut found = Vec::new();
    walk(micro, members, link, period, |member, row| {
        let e = &members.members[member as usize];
        if !(Members::in_cluster(e, cluster) && members.in_org_unit(e, org)) {
            return;
        }
        let value = row.values[m];
        let before = row.last_year.map(|v| v[m]);
        found.push(EnterpriseFigures {
            credit_code: e.credit_code.clone(),
            name: e.name.clone(),
            district: e.district.clone(),
            month: month_value(m, &row, first_month).map(unscale),
            ytd: unscale(value),
            ytd_prev: before.map(unscale),
            yoy: before.filter(|b| *b > 0).map(|b| value as f64 / b as f64 - 1.0),
        });
    });
    found
}

/// How a cube is cut for a table: clusters at the city, the total by org unit, or both.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum By {
    /// By cluster.
    Cluster,
    /// By district.
    District,
    /// By cluster and district.
    ClusterDistrict,
}

impl By {
    /// The grouping of a code (`cluster`, `district`, `cluster_district`).
    pub fn parse(text: &str) -> Result<By, String> {
        match text.replace(' ', "").as_str() {
            "cluster" => Ok(By::Cluster),
            "district" => Ok(By::District),
            "cluster,district" | "district,cluster" => Ok(By::ClusterDistrict),
            other => Err(format!("unknown cut \"{other}\" (cluster, district or cluster,district)")),
        }
    }
}

impl Cube {
    /// The rows of a cut for the measures, cluster by cluster, org unit by org unit.
    pub fn rows(&self, by: By, measures: &[Measure]) -> Vec<CubeRow> {
        let clusters: Vec<usize> = match by {
            By::District => vec![0],
            _ => (0..self.clusters.len()).collect(),
        };
        let orgs: Vec<usize> = match by {
            By::Cluster => vec![0],
            _ => (0..self.org_units.len()).collect(),
        };
        let mut rows = Vec::with_capacity(clusters.len() * orgs.len() * measures.len());
        for &cluster in &clusters {
            for &org in &orgs {
                for &measure in measures {
                    rows.push(self.row(cluster, org, measure));
                }
            }
        }
        rows
    }
}

/// Microdata with the membership of a catalog version: what every cube, drill-down and
/// series is computed from.
#[derive(Clone, Debug)]
pub struct Dataset {
    /// The microdata.
    pub micro: std::sync::Arc<Microdata>,
    /// Who belongs where.
    pub members: Members,
    link: Vec<u32>,
}

impl Dataset {
    /// A dataset of microdata and membership.
    pub fn new(micro: std::sync::Arc<Microdata>, members: Members) -> Dataset {
        let link = members.link(&micro);
        Dataset { micro, members, link }
    }

    /// The cube of `period`'s month.
    pub fn cube(&self, period: Period) -> Cube {
        Cube::compute(&self.micro, &self.members, &self.link, period)
    }

    /// The enterprises behind a cell (cluster 0 is the total).
    pub fn behind(&self, period: Period, cluster: usize, org: usize, measure: Measure) -> Vec<EnterpriseFigures> {
        enterprises_behind(&self.micro, &self.members, &self.link, period, cluster, org, measure)
    }

    /// The first and last months with data.
    pub fn months(&self) -> Option<(Period, Period)> {
        self.micro.span().map(|(a, b)| (super::month_period(a), super::month_period(b)))
    }
}
