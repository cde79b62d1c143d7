//! Precision and recall of the extractor: the seed plan against its hand-encoded plan file, and
//! the evaluation set in eval/extract per document.
//!
//! `cargo run -p plan361-extract --example evaluate --release [-- dev|unseen|unseen_2|unseen_3|known|all] [--verbose]`
//!
//! `unseen` and `unseen_2` have been known since their first runs (`known` is those and `dev`);
//! `unseen_3` is the part held out.

#[path = "../tests/support/mod.rs"]
mod support;

use plan361_extract::score::Score;

fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let verbose = args.iter().any(|a| a == "--verbose" || a == "-v");
    let part = args.iter().find(|a| !a.starts_with('-')).map_or("dev", String::as_str);
    print_seed(verbose);
    let parts: Vec<&str> = match part {
        "known" => support::KNOWN.to_vec(),
        "all" => support::KNOWN.iter().copied().chain(["unseen_3"]).collect(),
        part => vec![part],
    };
    for part in parts {
        print_part(part, verbose);
    }
}

fn print_seed(verbose: bool) {
    let seed = support::seed();
    println!("## Seed plan (plans/ningbo-361-2025.txt vs .toml)\n");
    println!("| items | hand | drafted | matched | precision | recall |");
    println!("|---|---|---|---|---|---|");
    for (name, s) in [("quantified", &seed.numeric), ("qualitative", &seed.qualitative), ("all", &seed.all)] {
        println!(
            "| {name} | {} | {} | {} | {} | {} |",
            s.labelled,
            s.extracted,
            s.matched(),
            pct(s.precision()),
            pct(s.recall())
        );
    }
    if verbose {
        report_misses(&seed.all, &seed.drafted, &seed.hand);
    }
}

/// The table of one part of the split, a row per document, and how often the comparator and
/// the kind of a matched target agree with its label.
fn print_part(part: &str, verbose: bool) {
    println!("\n## {part} documents\n");
    println!("| document | labelled | extracted | matched | precision | recall | numeric P | numeric R |");
    println!("|---|---|---|---|---|---|---|---|");
    let (mut all, mut numeric) = (Score::default(), Score::default());
    let (mut comparators, mut kinds, mut matched) = (0, 0, 0);
    for slug in support::split(part) {
        let r = support::evaluate(&support::document(&slug));
        println!(
            "| {slug} | {} | {} | {} | {} | {} | {} | {} |",
            r.all.labelled,
            r.all.extracted,
            r.all.matched(),
            pct(r.all.precision()),
            pct(r.all.recall()),
            pct(r.numeric.precision()),
            pct(r.numeric.recall())
        );
        comparators += r.agreeing(|l| &l.comparator);
        kinds += r.agreeing(|l| &l.kind);
        matched += r.all.matched();
        if verbose {
            report_differences(&r);
        }
        all.add(&r.all);
        numeric.add(&r.numeric);
    }
    println!(
        "| **overall** | {} | {} | {} | **{}** | **{}** | {} | {} |",
        all.labelled,
        all.extracted,
        all.matched(),
        pct(all.precision()),
        pct(all.recall()),
        pct(numeric.precision()),
        pct(numeric.recall())
    );
    if matched > 0 {
        println!(
            "\nOf the {matched} matched targets, the comparator agrees for {comparators} ({}) and the kind for {kinds} ({}).",
            pct(comparators as f64 / matched as f64),
            pct(kinds as f64 / matched as f64)
        );
    }
}

/// Matched targets whose comparator or kind differs from the label, then misses and extras.
fn report_differences(r: &support::Result) {
    for (i, j) in &r.all.pairs {
        let (e, l) = (&r.extracted[*i], &r.labels[*j]);
        if e.comparator != l.comparator || e.kind != l.kind {
            println!(
                "    differs: {} — comparator {} / {}, kind {} / {}",
                l.item.indicator, e.comparator, l.comparator, e.kind, l.kind
            );
        }
    }
    let extracted: Vec<_> = r.extracted.iter().map(|l| l.item.clone()).collect();
    let labels: Vec<_> = r.labels.iter().map(|l| l.item.clone()).collect();
    report_misses(&r.all, &extracted, &labels);
}

fn report_misses(score: &Score, extracted: &[plan361_extract::score::Item], labels: &[plan361_extract::score::Item]) {
    let show = |i: &plan361_extract::score::Item| {
        format!("{} | {:?} | {:?} {}", i.indicator, i.year, i.value, i.unit.as_deref().unwrap_or("-"))
    };
    for (i, e) in extracted.iter().enumerate() {
        if !score.pairs.iter().any(|(a, _)| *a == i) {
            println!("    extra:  {}", show(e));
        }
    }
    for (j, l) in labels.iter().enumerate() {
        if !score.pairs.iter().any(|(_, b)| *b == j) {
            println!("    missed: {}", show(l));
        }
    }
}
