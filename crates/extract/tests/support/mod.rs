//! Loading the evaluation set (eval/extract) and the seed plan, and scoring the extractor on
//! them. Shared by the tests and `examples/evaluate.rs`.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use plan361_core::plan::{self, Plan};
use plan361_extract::score::{self, Item, Score};
use plan361_extract::{DraftOptions, JsonTarget, draft_plan, extract};
use serde_json::Value;

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn eval_dir() -> PathBuf {
    repo().join("eval/extract")
}

/// The parts of the split the rules have been written against: `dev`, and the held-out sets
/// once they have been run (`unseen`, `unseen_2`).
pub const KNOWN: [&str; 3] = ["dev", "unseen", "unseen_2"];

/// The slugs of one part of the split (`dev`, `unseen`, `unseen_2` or `unseen_3`).
pub fn split(part: &str) -> Vec<String> {
    let text = std::fs::read_to_string(eval_dir().join("split.json")).expect("eval/extract/split.json");
    let split: Value = serde_json::from_str(&text).expect("split.json is JSON");
    split[part]
        .as_array()
        .map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

/// A label (or an extracted target) as `--json` writes it.
#[derive(Clone, Debug)]
pub struct Labelled {
    pub item: Item,
    pub value_max: Option<f64>,
    pub comparator: String,
    pub kind: String,
    pub source_text: String,
}

fn from_value(v: &Value) -> Labelled {
    Labelled {
        item: Item {
            indicator: v["indicator"].as_str().unwrap_or_default().to_string(),
            year: v["year"].as_i64().and_then(|y| i32::try_from(y).ok()),
            value: v["value"].as_f64(),
            unit: v["unit"].as_str().map(str::to_string),
        },
        value_max: v["value_max"].as_f64(),
        comparator: v["comparator"].as_str().unwrap_or_default().to_string(),
        kind: v["kind"].as_str().unwrap_or_default().to_string(),
        source_text: v["source_text"].as_str().unwrap_or_default().to_string(),
    }
}

pub fn from_json(t: &JsonTarget) -> Labelled {
    from_value(&serde_json::to_value(t).expect("serialisable"))
}

pub struct Document {
    pub slug: String,
    pub text: String,
    pub labels: Vec<Labelled>,
}

pub fn document(slug: &str) -> Document {
    let dir = eval_dir();
    let text = std::fs::read_to_string(dir.join("documents").join(format!("{slug}.txt"))).expect("document");
    let labels = std::fs::read_to_string(dir.join("labels").join(format!("{slug}.json"))).expect("labels");
    let labels: Value = serde_json::from_str(&labels).expect("labels are JSON");
    let labels = labels.as_array().map(|a| a.iter().map(from_value).collect()).unwrap_or_default();
    Document { slug: slug.to_string(), text, labels }
}

/// The scores of one document.
pub struct Result {
    pub slug: String,
    pub extracted: Vec<Labelled>,
    pub labels: Vec<Labelled>,
    /// All targets.
    pub all: Score,
    /// Targets with a value only (no milestones on either side).
    pub numeric: Score,
}

impl Result {
    /// Matched pairs whose comparator (or kind) agrees.
    pub fn agreeing(&self, field: fn(&Labelled) -> &str) -> usize {
        self.all.pairs.iter().filter(|(i, j)| field(&self.extracted[*i]) == field(&self.labels[*j])).count()
    }
}

pub fn evaluate(doc: &Document) -> Result {
    let extracted: Vec<Labelled> = extract(&doc.text).json().iter().map(from_json).collect();
    let items = |v: &[Labelled], numeric: bool| -> Vec<Item> {
        v.iter().filter(|l| !numeric || l.item.value.is_some()).map(|l| l.item.clone()).collect()
    };
    let all = score::score(&items(&extracted, false), &items(&doc.labels, false));
    let numeric = score::score(&items(&extracted, true), &items(&doc.labels, true));
    Result { slug: doc.slug.clone(), extracted, labels: doc.labels.clone(), all, numeric }
}

/// The seed plan: the drafted plan against the hand-encoded one, item by (indicator, year,
/// value, unit); a path target gives one item per year. Returns (numeric, qualitative, all).
pub struct Seed {
    pub numeric: Score,
    pub qualitative: Score,
    pub all: Score,
    pub drafted: Vec<Item>,
    pub hand: Vec<Item>,
}

pub fn plan_items(plan: &Plan) -> Vec<Item> {
    plan.targets()
        .iter()
        .flat_map(|t| {
            // A zero target (动态清零) states no number; its 0 is the model's.
            let qualitative = t.kind == plan::Kind::Zero;
            t.goal.stated().into_iter().map(move |(year, value)| {
                let value = value.filter(|_| !qualitative);
                Item {
                    indicator: t.indicator.clone(),
                    year,
                    value,
                    // A qualitative target's unit says nothing the text states.
                    unit: value.map(|_| t.unit.clone()),
                }
            })
        })
        .collect()
}

pub fn seed() -> Seed {
    let text = std::fs::read_to_string(repo().join("plans/ningbo-361-2025.txt")).expect("seed text");
    let hand = std::fs::read_to_string(repo().join("plans/ningbo-361-2025.toml")).expect("seed plan");
    let hand = plan::parse("ningbo-361-2025.toml", &hand).expect("the hand-encoded plan is valid");
    let draft = draft_plan(&extract(&text), &DraftOptions { id: "draft".into(), source: "ningbo-361-2025.txt".into() });
    let drafted = plan::parse("draft.toml", &draft).unwrap_or_else(|e| panic!("the draft is invalid:\n{e}"));
    let (drafted, hand) = (plan_items(&drafted), plan_items(&hand));
    let part = |items: &[Item], numeric: bool| -> Vec<Item> {
        items.iter().filter(|i| i.value.is_some() == numeric).cloned().collect()
    };
    Seed {
        numeric: score::score(&part(&drafted, true), &part(&hand, true)),
        qualitative: score::score(&part(&drafted, false), &part(&hand, false)),
        all: score::score(&drafted, &hand),
        drafted,
        hand,
    }
}
