//! A 1 MB policy document (the Ningbo plan's text repeated, each copy with its own years and
//! numbers so that nothing is a duplicate) read by the extractor, against two plain passes over
//! the same text as the reference: counting its characters, and a regular-expression scan for
//! numbers with units.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use plan361_extract::{DraftOptions, draft_plan, extract};
use regex::Regex;

const SEED: &str = include_str!("../../../plans/ningbo-361-2025.txt");

/// About `bytes` of text: copies of the seed with shifted years and values.
pub fn document(bytes: usize) -> String {
    let mut text = String::with_capacity(bytes + SEED.len());
    let mut copy = 0;
    while text.len() < bytes {
        let shifted =
            SEED.replace("2030年", &format!("{}年", 2031 + copy % 60)).replace("00", &format!("{}0", copy % 9 + 1));
        text.push_str(&shifted);
        text.push('\n');
        copy += 1;
    }
    text
}

fn bench(c: &mut Criterion) {
    let text = document(1 << 20);
    let numbers = Regex::new(r"[0-9]+(?:\.[0-9]+)?(?:万亿元|亿元|万元|%|个|家|项|条|名)").expect("regex");
    let ex = extract(&text);
    println!(
        "{} bytes, {} chars: {} targets, {} notes",
        text.len(),
        text.chars().count(),
        ex.targets.len(),
        ex.notes.len()
    );

    let mut group = c.benchmark_group("extract 1 MB");
    group.sample_size(10);
    group.bench_function("reference: count characters", |b| b.iter(|| black_box(&text).chars().count()));
    group.bench_function("reference: regex scan for numbers with units", |b| {
        b.iter(|| numbers.find_iter(black_box(&text)).count())
    });
    group.bench_function("extract", |b| b.iter(|| extract(black_box(&text)).targets.len()));
    group.bench_function("extract + draft plan file", |b| {
        b.iter(|| draft_plan(&extract(black_box(&text)), &DraftOptions::default()).len())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
