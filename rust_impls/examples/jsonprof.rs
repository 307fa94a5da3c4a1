use std::time::Instant;
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let n: usize = std::env::var("N").map_or(40, |s| s.parse().unwrap());
    let cdxj = std::fs::read("datasets/cache/cdxj-16m.cdxj").unwrap();
    let wat = std::fs::read("datasets/cache/wat-16m.wat.jsonl").unwrap();
    let mut best = vec![f64::MAX; args.len()];
    for _ in 0..n {
        for (i, which) in args.iter().enumerate() {
            let t = Instant::now();
            let x = match which.as_str() {
                "cdxj" => rust_impls::json::cdxj(&cdxj).unwrap().records.len() as u64,
                "cdxj-serde" => rust_impls::json::cdxj_serde(&cdxj).unwrap().records.len() as u64,
                "plain" => rust_impls::json::plain::serde_typed(&cdxj),
                "plain-scanner" => rust_impls::json::plain::scanner(&cdxj),
                "wat" => rust_impls::json::wat(&wat).unwrap().links,
                "wat-sonic" => rust_impls::json::wat_sonic_value(&wat).unwrap().links,
                "utf8-wat" => simdutf8::basic::from_utf8(&wat).unwrap().len() as u64,
                "nl-cdxj" => memchr::memchr_iter(b'\n', &cdxj).count() as u64,
                "utf8-cdxj" => simdutf8::basic::from_utf8(&cdxj).unwrap().len() as u64,
                "stdutf8-cdxj" => std::str::from_utf8(&cdxj).unwrap().len() as u64,
                _ => panic!(),
            };
            std::hint::black_box(x);
            best[i] = best[i].min(t.elapsed().as_secs_f64() * 1e3);
        }
    }
    for (w, b) in args.iter().zip(best) {
        println!("{w}: best {b:.2} ms");
    }
}
