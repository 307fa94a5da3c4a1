//! Generated data stays within sane bands of the real samples (skipped when `../shared/datasets`
//! is absent). Bands are wide on purpose: they catch a broken generator, not a 5 % drift; the
//! README's table is where drift is read.

use gluebench_datasets::realism::{
    analyze_jsonl, analyze_tsv, analyze_warc, analyze_warc_reader, Options, Stats,
};
use gluebench_datasets::{generate_wet, WetSpec};
use std::path::{Path, PathBuf};

fn shared() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/datasets");
    if p.join("cc").is_dir() && p.join("text").is_dir() {
        Some(p)
    } else {
        eprintln!(
            "skipped: {} not found (real samples are optional)",
            p.display()
        );
        None
    }
}

fn generated(lang: Option<&str>) -> Stats {
    // 1 MiB is enough for stable shares and small enough for a debug build.
    let (file, _) = generate_wet(&WetSpec {
        seed: 11,
        target_bytes: 1 << 20,
        emoji_per_mb: 10.0,
        language: None,
    });
    let o = Options {
        only_lang: lang.map(str::to_string),
        body_gzip: true,
    };
    analyze_warc_reader(&file[..], "generated", &o).unwrap()
}

fn within(x: f64, reference: f64, rel: f64) -> bool {
    (x - reference).abs() <= rel * reference
}

#[test]
fn english_records_look_like_real_cc_english_text() {
    let Some(sh) = shared() else { return };
    let all = Options {
        only_lang: None,
        body_gzip: true,
    };
    let mut dolma = Stats::default();
    for f in ["dolma_cc_en_head-0091.jsonl", "dolma_cc_en_head-0174.jsonl"] {
        dolma.merge(analyze_jsonl(&sh.join("text").join(f), "dolma", "text", &all).unwrap());
    }
    let gen = generated(Some("eng"));
    let (g, d) = (gen.body_ratio().unwrap(), dolma.body_ratio().unwrap());
    assert!(
        within(g, d, 0.35),
        "gzip ratio of English bodies {g:.2} vs real {d:.2}"
    );
    let (g, d) = (gen.non_ascii_share(), dolma.non_ascii_share());
    assert!(
        g > d / 5.0 && g < d * 5.0,
        "non-ASCII share of English bodies {g:.4} vs real {d:.4}"
    );
    assert_eq!(gen.scripts.shares()[0].0, "Latin");
    assert!(gen.scripts.shares()[0].1 > 0.99);
}

#[test]
fn whole_file_looks_like_a_real_wet_file() {
    let Some(sh) = shared() else { return };
    let all = Options {
        only_lang: None,
        body_gzip: true,
    };
    let real = analyze_warc(&sh.join("cc/whirlwind.warc.wet.gz"), "whirlwind", &all).unwrap();
    let warc = analyze_warc(
        &sh.join("cc/resiliparse_CC-MAIN-2020-34_50rec.warc.gz"),
        "resiliparse",
        &all,
    )
    .unwrap();
    let gen = generated(None);
    let (g, r) = (gen.member_ratio().unwrap(), real.member_ratio().unwrap());
    assert!(
        within(g, r, 0.35),
        "members' compression ratio {g:.2} vs real WET {r:.2}"
    );
    // Record sizes: the median body against the real page-text sizes CLD2 recorded.
    let real_median = gluebench_datasets::realism::percentile_of(&warc.raw_text_sizes, 50.0) as f64;
    let gen_median = gen.percentile(50.0) as f64;
    assert!(
        gen_median > real_median / 2.0 && gen_median < real_median * 2.0,
        "median body {gen_median} vs {real_median}"
    );
    // Multilingual mix: English-heavy, with a real share of non-Latin scripts.
    let eng = gen.language_share("eng");
    assert!((0.3..0.65).contains(&eng), "English share {eng:.2}");
    let s = gen.non_ascii_share();
    assert!((0.08..0.45).contains(&s), "non-ASCII share {s:.3}");
    let e = gen.emoji_per_mb();
    assert!(e < 100.0, "web-like emoji density {e:.1}/MB");
}

#[test]
fn japanese_script_mix_is_close_to_real_japanese() {
    let Some(sh) = shared() else { return };
    let o = Options {
        only_lang: Some("jpn".into()),
        body_gzip: false,
    };
    let real = analyze_tsv(
        &sh.join("text/tatoeba_long_cld2-sample.tsv"),
        "tatoeba",
        3,
        Some(1),
        true,
        &o,
    )
    .unwrap();
    let gen = generated(Some("jpn"));
    let kana = |s: &Stats| s.scripts.kana as f64 / (s.scripts.kana + s.scripts.han).max(1) as f64;
    let (g, r) = (kana(&gen), kana(&real));
    assert!(
        (g - r).abs() < 0.2,
        "kana share of Japanese letters {g:.2} vs real {r:.2}"
    );
}

#[test]
fn cdxj_lines_and_wat_documents_look_like_real_ones() {
    use gluebench_datasets::realism::{
        analyze_cdxj, analyze_html_links, analyze_wat, analyze_wat_bytes, percentile_of,
    };
    use gluebench_datasets::{generate_cdxj, generate_wat, CrawlSpec, WatFormat};
    let Some(sh) = shared() else { return };
    let cc = sh.join("cc");
    let spec = CrawlSpec {
        seed: 11,
        target_bytes: 256 << 10,
    };
    let (cdxj, _) = generate_cdxj(&spec);
    let dir = std::env::temp_dir().join(format!("gluebench-realism-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("gen.cdxj");
    std::fs::write(&path, &cdxj).unwrap();
    let gen = analyze_cdxj(&path, "gen").unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    let real = analyze_cdxj(
        &cc.join("cdxj/preciz_CC-MAIN-2021-43_index_snippet.cdxj"),
        "real",
    )
    .unwrap();
    let mean = |v: &[u64]| v.iter().sum::<u64>() as f64 / v.len() as f64;
    let (g, r) = (mean(&gen.line_lengths), mean(&real.line_lengths));
    assert!(
        within(g, r, 0.3),
        "mean CDXJ line {g:.0} bytes vs real {r:.0}"
    );
    let html = gen.mimes["text/html"] as f64 / gen.lines as f64;
    assert!(html > 0.85, "text/html share {html:.2}");

    // WAT: request documents as large as the real one; HTML pages with as many links as real
    // pages (counted the same way in both HTMLs, and in the generated WAT).
    let (wat, _) = generate_wat(&spec, WatFormat::Jsonl);
    let w = analyze_wat_bytes(&wat, "gen").unwrap();
    let real_wat = analyze_wat(&cc.join("whirlwind.warc.wat.gz"), "real").unwrap();
    let (g, r) = (
        percentile_of(&w.sizes["request"], 50.0) as f64,
        real_wat.sizes["request"][0] as f64,
    );
    assert!(within(g, r, 0.15), "request document {g} bytes vs real {r}");
    let real_html = analyze_html_links(
        &cc.join("resiliparse_CC-MAIN-2020-34_50rec.warc.gz"),
        "real",
    )
    .unwrap();
    let (g, r) = (
        percentile_of(&w.links, 50.0) as f64,
        percentile_of(&real_html.links, 50.0) as f64,
    );
    assert!(
        g > r / 2.0 && g < r * 2.0,
        "median links per HTML page {g} vs real {r}"
    );
    let (g, r) = (
        percentile_of(&gen.line_lengths, 50.0) as f64,
        percentile_of(&real.line_lengths, 50.0) as f64,
    );
    assert!(within(g, r, 0.3), "median CDXJ line {g} vs real {r}");
}
