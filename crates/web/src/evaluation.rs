//! Evaluations cached per (data version, period): the whole plan evaluates in about a
//! millisecond, but reading every value from the database does not, and most requests ask the
//! same question. Every write through this server drops the cache at once; writes from other
//! processes (the CLI's import) are seen within [`RECHECK`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use plan361_core::Period;
use plan361_core::eval::{EvalRecord, Evaluation, Row};
use plan361_core::i18n::Lang;
use plan361_core::org::OrgKind;
use plan361_core::plan::Target;
use plan361_store::{DataVersion, EvalInput, Store};

use crate::error::Problem;

const RECHECK: Duration = Duration::from_millis(500);
/// Periods kept per data version: enough for everyone's period selectors.
const MAX_PERIODS: usize = 64;

/// One evaluated (target, org unit), owning its data.
pub struct EvaluatedRow {
    /// The target's position in the plan.
    pub target: usize,
    pub org_unit: String,
    pub evaluation: Evaluation,
}

/// The whole plan evaluated at one period from approved values.
pub struct Evaluated {
    pub at: Period,
    pub input: EvalInput,
    pub rows: Vec<EvaluatedRow>,
}

impl Evaluated {
    pub fn target(&self, row: &EvaluatedRow) -> &Target {
        &self.input.plan.targets()[row.target]
    }

    pub fn record(&self, row: &EvaluatedRow, lang: Lang) -> EvalRecord {
        let borrowed = Row { target: self.target(row), org_unit: &row.org_unit, evaluation: row.evaluation.clone() };
        EvalRecord::from_row(&borrowed, lang)
    }

    /// The rows of one target (the city first, then units in statistics order).
    pub fn of_target<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a EvaluatedRow> + 'a {
        self.rows.iter().filter(move |r| self.target(r).id == id)
    }

    /// The districts' rows of a target, furthest along first (目标进度, then 完成率 for districts
    /// without a progress); `None` for an unknown target. The comparison page and the API rank
    /// alike.
    pub fn ranked_districts(&self, target_id: &str) -> Option<Vec<&EvaluatedRow>> {
        self.input.plan.target(target_id)?;
        let org_units = &self.input.org_units;
        let mut rows: Vec<&EvaluatedRow> = self
            .rows
            .iter()
            .filter(|r| self.target(r).id == target_id)
            .filter(|r| org_units.get(&r.org_unit).is_some_and(|u| u.kind == OrgKind::District))
            .collect();
        let key = |r: &EvaluatedRow| {
            (r.evaluation.progress.unwrap_or(f64::NEG_INFINITY), r.evaluation.completion.unwrap_or(f64::NEG_INFINITY))
        };
        rows.sort_by(|a, b| {
            let (a, b) = (key(a), key(b));
            b.0.total_cmp(&a.0).then(b.1.total_cmp(&a.1))
        });
        Some(rows)
    }

    pub fn city_rows(&self) -> impl Iterator<Item = &EvaluatedRow> + '_ {
        let city = self.input.org_units.city().name.as_str();
        self.rows.iter().filter(move |r| r.org_unit == city)
    }
}

struct Freshness {
    checked: Option<Instant>,
    version: Option<DataVersion>,
}

pub struct EvalCache {
    freshness: Mutex<Freshness>,
    evaluations: Mutex<HashMap<(DataVersion, Period), Arc<Evaluated>>>,
    /// Rendered page fragments that depend only on the data (the cockpit's content).
    fragments: Mutex<HashMap<(DataVersion, String), Arc<str>>>,
}

impl EvalCache {
    pub fn new() -> EvalCache {
        EvalCache {
            freshness: Mutex::new(Freshness { checked: None, version: None }),
            evaluations: Mutex::new(HashMap::new()),
            fragments: Mutex::new(HashMap::new()),
        }
    }

    /// Forgets everything: called after every write.
    pub fn invalidate(&self) {
        if let Ok(mut freshness) = self.freshness.lock() {
            freshness.checked = None;
        }
    }

    /// The version of the data as it is now; drops results of older versions. Results are
    /// keyed by version too, so a request that read older data can never file its result
    /// under the new one.
    pub async fn refresh(&self, store: &Store) -> Result<DataVersion, Problem> {
        if let Ok(freshness) = self.freshness.lock()
            && let (Some(checked), Some(version)) = (freshness.checked, freshness.version)
            && checked.elapsed() <= RECHECK
        {
            return Ok(version);
        }
        let version = store.data_version().await?;
        let changed = match self.freshness.lock() {
            Ok(mut freshness) => {
                let changed = freshness.version != Some(version);
                freshness.version = Some(version);
                freshness.checked = Some(Instant::now());
                changed
            }
            Err(_) => true,
        };
        if changed {
            if let Ok(mut evaluations) = self.evaluations.lock() {
                evaluations.clear();
            }
            if let Ok(mut fragments) = self.fragments.lock() {
                fragments.clear();
            }
        }
        Ok(version)
    }

    pub async fn evaluated(&self, store: &Store, at: Period) -> Result<Arc<Evaluated>, Problem> {
        let version = self.refresh(store).await?;
        if let Some(hit) = self.evaluations.lock().ok().and_then(|e| e.get(&(version, at)).cloned()) {
            return Ok(hit);
        }
        let input = store.eval_input(at, false).await?;
        let positions: HashMap<&str, usize> =
            input.plan.targets().iter().enumerate().map(|(i, t)| (t.id.as_str(), i)).collect();
        let rows = input
            .evaluate(at)
            .into_iter()
            .map(|row| EvaluatedRow {
                target: positions.get(row.target.id.as_str()).copied().unwrap_or_default(),
                org_unit: row.org_unit.to_string(),
                evaluation: row.evaluation,
            })
            .collect();
        let evaluated = Arc::new(Evaluated { at, input, rows });
        if let Ok(mut evaluations) = self.evaluations.lock() {
            if evaluations.len() >= MAX_PERIODS {
                evaluations.clear();
            }
            evaluations.insert((version, at), evaluated.clone());
        }
        Ok(evaluated)
    }

    /// A rendered fragment for `key`, made by `render` when not cached for the current data.
    pub async fn fragment(
        &self,
        store: &Store,
        key: String,
        render: impl AsyncFnOnce() -> Result<String, Problem>,
    ) -> Result<Arc<str>, Problem> {
        let version = self.refresh(store).await?;
        let key = (version, key);
        if let Some(hit) = self.fragments.lock().ok().and_then(|f| f.get(&key).cloned()) {
            return Ok(hit);
        }
        let rendered: Arc<str> = render().await?.into();
        if let Ok(mut fragments) = self.fragments.lock() {
            if fragments.len() >= MAX_PERIODS * 2 {
                fragments.clear();
            }
            fragments.insert(key, rendered.clone());
        }
        Ok(rendered)
    }
}
