//! Prints what the extractor reads from a text file: tasks, targets and notes.
//! `cargo run -p plan361-extract --example dump -- FILE`

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: dump FILE");
        std::process::exit(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("cannot read {path}: {e}");
            std::process::exit(1);
        }
    };
    let text = match plan361_extract::read_document(&bytes) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    let ex = plan361_extract::extract(&text);
    println!("{:?} horizon {:?}", ex.head, ex.horizon);
    for p in &ex.projects {
        println!("project {} {}", p.number, p.name);
    }
    for t in &ex.tasks {
        println!("  task {} {} {:?}", t.id, t.name, t.units);
    }
    for t in &ex.targets {
        let value = match (t.value, t.value_max) {
            (Some(v), Some(m)) => format!("{v}-{m}"),
            (Some(v), None) => v.to_string(),
            _ => "-".into(),
        };
        println!(
            "{:6} {} | {:?}{} | {} {} | {} {} | {} | {}",
            ex.tasks.get(t.task).map_or("?", |x| x.id.as_str()),
            t.indicator,
            t.year,
            if t.year_stated { "" } else { "*" },
            value,
            t.unit.as_deref().unwrap_or("-"),
            t.comparator.word(),
            t.kind.code(),
            t.source_text,
            t.review.join(";")
        );
    }
    for n in &ex.notes {
        println!("NOTE {} 「{}」", n.reason, n.clause);
    }
}
