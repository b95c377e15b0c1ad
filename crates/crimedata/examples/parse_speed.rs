//! How fast police.uk files are read and counted, without a database: the floor under every
//! import. `cargo run --release -p crimedata --example parse_speed -- FOLDER…`
fn main() {
    let paths: Vec<std::path::PathBuf> = std::env::args().skip(1).map(Into::into).collect();
    let sources = crimedata::import::find_sources(&paths).expect("sources");
    let started = std::time::Instant::now();
    let (mut rows, mut bytes) = (0u64, 0u64);
    for source in &sources {
        bytes += source.size();
        rows += crimedata::import::read(source, Default::default()).expect("readable").rows;
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{} files, {rows} rows, {:.0} MB in {seconds:.2} s on one core: {:.0} MB/s, {:.0} thousand rows/s",
        sources.len(),
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / seconds,
        rows as f64 / 1e3 / seconds
    );
}
