fn main() {
    for name in std::env::args().skip(1) {
        let t = std::time::Instant::now();
        let ds = gluebench_datasets::ensure(&name).unwrap();
        println!(
            "{name}\t{}\t{:.2}s\tgenerated={}\t{}",
            ds.compressed_size,
            t.elapsed().as_secs_f64(),
            ds.generated,
            serde_json::to_string(&ds.expected).unwrap()
        );
    }
}
