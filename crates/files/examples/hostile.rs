//! Writes the generated corpus of hostile files into a directory, for benchmarks and manual
//! tries: `cargo run --release -p plan361-files --example hostile -- DIR`.

fn main() -> std::io::Result<()> {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "hostile".into());
    std::fs::create_dir_all(&dir)?;
    for hostile in plan361_files::hostile::corpus() {
        let path = std::path::Path::new(&dir).join(hostile.file_name);
        std::fs::write(&path, &hostile.bytes)?;
        println!("{}\t{}\t{}", path.display(), hostile.bytes.len(), hostile.name);
    }
    Ok(())
}
