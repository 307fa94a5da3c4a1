//! Prints markdown tables comparing generated datasets with the real samples in
//! `../shared/datasets/` (when that folder exists). The README's tables come from this.
//!
//! ```text
//! cargo run -p gluebench-datasets --release --example realism            # wet-16m and wet-128m
//! cargo run -p gluebench-datasets --release --example realism -- --quick # wet-16m only
//! ```
//! Generated datasets come from the cache (generated on first use). Set `GLUEBENCH_SHARED` to
//! point at another copy of the samples folder.

use gluebench_datasets::realism::{
    self, analyze_jsonl, analyze_lines, analyze_tsv, analyze_warc, Options, Stats,
};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn shared_dir() -> PathBuf {
    match std::env::var_os("GLUEBENCH_SHARED") {
        Some(d) if !d.is_empty() => PathBuf::from(d),
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/datasets"),
    }
}

fn die(msg: impl std::fmt::Display) -> ! {
    eprintln!("realism: {msg}");
    std::process::exit(1)
}

fn generated(name: &str, opts: &Options, label: &str) -> Stats {
    let ds = gluebench_datasets::ensure(name).unwrap_or_else(|e| die(e));
    analyze_warc(&ds.path, label, opts)
        .unwrap_or_else(|e| die(format!("{}: {e}", ds.path.display())))
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let all = Options {
        only_lang: None,
        body_gzip: true,
    };
    let eng = Options {
        only_lang: Some("eng".into()),
        body_gzip: true,
    };
    let shared = shared_dir();
    let have_shared = shared.join("cc").is_dir();

    let mut cols = vec![generated("wet-16m", &all, "generated wet-16m")];
    if !quick {
        cols.push(generated("wet-128m", &all, "generated wet-128m"));
    }
    cols.push(generated("wet-16m", &eng, "generated wet-16m, eng records"));
    if have_shared {
        let cc = shared.join("cc");
        let text = shared.join("text");
        let real = |r: std::io::Result<Stats>, what: &str| {
            r.unwrap_or_else(|e| die(format!("{what}: {e}")))
        };
        cols.push(real(
            analyze_warc(
                &cc.join("whirlwind.warc.wet.gz"),
                "real WET: whirlwind",
                &all,
            ),
            "whirlwind",
        ));
        cols.push(real(
            analyze_warc(
                &cc.join("resiliparse_CC-MAIN-2020-34_50rec.warc.gz"),
                "real WARC: resiliparse 50 rec",
                &all,
            ),
            "resiliparse",
        ));
        let mut dolma = Stats {
            label: "real CC text: dolma cc_en_head (2 files)".into(),
            ..Default::default()
        };
        for f in ["dolma_cc_en_head-0091.jsonl", "dolma_cc_en_head-0174.jsonl"] {
            dolma.merge(real(analyze_jsonl(&text.join(f), "", "text", &all), f));
        }
        dolma.format = "JSONL".into();
        cols.push(dolma);
        cols.push(real(
            analyze_tsv(
                &text.join("tatoeba_long_cld2-sample.tsv"),
                "real sentences: tatoeba (83 langs)",
                3,
                Some(1),
                true,
                &all,
            ),
            "tatoeba",
        ));
    } else {
        eprintln!(
            "realism: {} not found; printing generated data only",
            shared.display()
        );
    }
    println!("## Generated vs real\n");
    println!("{}", realism::markdown_table(&cols));

    // Per-language script mix and byte statistics against Tatoeba's sentences.
    if have_shared {
        let tsv = shared.join("text/tatoeba_long_cld2-sample.tsv");
        let ds = gluebench_datasets::ensure("wet-16m").unwrap_or_else(|e| die(e));
        let by_lang = tatoeba_by_language(&tsv);
        println!("## Per language: generated wet-16m records vs Tatoeba sentences\n");
        println!("Text ratio: generated = each record body gzip -6 alone; Tatoeba = that language's sentences joined by newlines, gzip -6 once.\n");
        println!("| language | records (gen) | non-ASCII bytes gen / tatoeba | letters by script, gen | letters by script, tatoeba | gzip ratio gen / tatoeba |");
        println!("|---|---|---|---|---|---|");
        for lang in [
            "eng", "deu", "fra", "spa", "pol", "vie", "rus", "ell", "ara", "heb", "hin", "tha",
            "zho", "jpn", "kor",
        ] {
            let o = Options {
                only_lang: Some(lang.into()),
                body_gzip: true,
            };
            let g = analyze_warc(&ds.path, lang, &o).unwrap_or_else(|e| die(e));
            let t = analyze_tsv(&tsv, lang, 3, Some(1), true, &o).unwrap_or_else(|e| die(e));
            let joined = by_lang.get(lang).cloned().unwrap_or_default();
            let t_ratio = if joined.is_empty() {
                "-".to_string()
            } else {
                format!(
                    "{:.2}",
                    joined.len() as f64 / realism::gzip_len(joined.as_bytes()) as f64
                )
            };
            println!(
                "| {lang} | {} | {} / {} | {} | {} | {} / {} |",
                g.records,
                pct(g.non_ascii_share()),
                pct(t.non_ascii_share()),
                scripts(&g),
                scripts(&t),
                g.body_ratio().map_or("-".into(), |r| format!("{r:.2}")),
                t_ratio
            );
        }
        println!();

        // The emoji-rich variant against real tweets.
        let emoji = generated("wet-16m-emoji", &all, "generated wet-16m-emoji");
        let tweets = analyze_lines(
            &shared.join("text/tweeteval_sentiment_test_text.txt"),
            "real tweets: tweeteval sentiment test",
            &all,
        )
        .unwrap_or_else(|e| die(e));
        println!("## Emoji-rich variant vs real tweets\n");
        println!("| | {} | {} |", emoji.label, tweets.label);
        println!("|---|---|---|");
        println!(
            "| emoji per MB of text | {:.0} | {:.0} |",
            emoji.emoji_per_mb(),
            tweets.emoji_per_mb()
        );
        println!(
            "| non-ASCII share | {} | {} |",
            pct(emoji.non_ascii_share()),
            pct(tweets.non_ascii_share())
        );
        println!();
    }
}

fn tatoeba_by_language(tsv: &Path) -> BTreeMap<String, String> {
    let text =
        std::fs::read_to_string(tsv).unwrap_or_else(|e| die(format!("{}: {e}", tsv.display())));
    let mut m: BTreeMap<String, String> = BTreeMap::new();
    for line in text.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() >= 4 {
            let s = m.entry(cols[1].to_string()).or_default();
            s.push_str(cols[3]);
            s.push('\n');
        }
    }
    m
}

fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

fn scripts(s: &Stats) -> String {
    if s.scripts.total() == 0 {
        return "-".into();
    }
    s.scripts
        .shares()
        .iter()
        .filter(|(_, x)| *x >= 0.005)
        .map(|(n, x)| format!("{n} {:.0}%", x * 100.0))
        .collect::<Vec<_>>()
        .join(", ")
}
