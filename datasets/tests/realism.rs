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
