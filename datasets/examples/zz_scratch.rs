use gluebench_datasets::realism::*;
use gluebench_datasets::*;
use std::path::Path;
use std::time::Instant;
fn main() {
    let mb: u64 = std::env::args().nth(1).map_or(8, |a| a.parse().unwrap());
    let t = Instant::now();
    let (buf, rep) = generate_wet(&WetSpec { seed: 1, target_bytes: mb << 20, emoji_per_mb: 10.0 });
    eprintln!("gen {:.2}s", t.elapsed().as_secs_f64());
    let o = Options { only_lang: None, body_gzip: true };
    let mut all = vec![analyze_warc_reader(&buf[..], "gen", &o).unwrap()];
    let oe = Options { only_lang: Some("eng".into()), body_gzip: true };
    all.push(analyze_warc_reader(&buf[..], "gen eng", &oe).unwrap());
    for l in ["deu", "rus", "zho", "jpn"] {
        let ol = Options { only_lang: Some(l.into()), body_gzip: true };
        all.push(analyze_warc_reader(&buf[..], &format!("gen {l}"), &ol).unwrap());
    }
    let sh = Path::new("/work/shared/datasets");
    let mut d = analyze_jsonl(&sh.join("text/dolma_cc_en_head-0091.jsonl"), "dolma", "text", &o).unwrap();
    let d2 = analyze_jsonl(&sh.join("text/dolma_cc_en_head-0174.jsonl"), "dolma", "text", &o).unwrap();
    d.records += d2.records; d.body_sizes.extend(d2.body_sizes); d.body_bytes += d2.body_bytes; d.non_ascii_bytes += d2.non_ascii_bytes; d.body_gzip_bytes += d2.body_gzip_bytes;
    all.push(d);
    all.push(analyze_warc(&sh.join("cc/whirlwind.warc.wet.gz"), "whirlwind", &o).unwrap());
    all.push(analyze_warc(&sh.join("cc/resiliparse_CC-MAIN-2020-34_50rec.warc.gz"), "resiliparse", &o).unwrap());
    println!("{}", markdown_table(&all));
    let _ = rep;
}
