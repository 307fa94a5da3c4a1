//! Prints markdown tables comparing generated datasets with the real samples in
//! `../shared/datasets/` (when that folder exists). The README's tables come from this.
//!
//! ```text
//! cargo run -p gluebench-datasets --release --example realism            # wet-16m and wet-128m
//! cargo run -p gluebench-datasets --release --example realism -- --quick # wet-16m only
//! cargo run -p gluebench-datasets --release --example realism -- --crawl # CDXJ/WAT tables only
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
    if std::env::args().any(|a| a == "--crawl") {
        crawl_tables(&shared, have_shared);
        return;
    }

    let mut cols = vec![generated("wet-16m", &all, "generated wet-16m")];
    if !quick {
        cols.push(generated("wet-128m", &all, "generated wet-128m"));
    }
    cols.push(generated("wet-16m", &eng, "generated wet-16m, eng records"));
    cols.push(generated("warc-00000", &all, "generated WARC: warc-00000"));
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

    crawl_tables(&shared, have_shared);
}

/// CDXJ lines and WAT documents of the synthetic crawl vs Common Crawl's.
fn crawl_tables(shared: &Path, have_shared: bool) {
    use gluebench_datasets::realism::{
        analyze_cdxj, analyze_html_links, analyze_wat, cdxj_table, wat_table, HtmlLinkStats,
    };
    let cdxj = gluebench_datasets::ensure("cdxj-16m").unwrap_or_else(|e| die(e));
    let mut idx = vec![analyze_cdxj(&cdxj.path, "generated cdxj-16m").unwrap_or_else(|e| die(e))];
    let wat = gluebench_datasets::ensure("wat-16m").unwrap_or_else(|e| die(e));
    let mut wats = vec![analyze_wat(&wat.path, "generated wat-16m").unwrap_or_else(|e| die(e))];
    let seg = gluebench_datasets::ensure("warc-00000").unwrap_or_else(|e| die(e));
    let mut html = vec![analyze_html_links(
        &seg.path,
        "generated warc-00000 (HTML, counted in the HTML)",
    )
    .unwrap_or_else(|e| die(e))];
    if have_shared {
        let cc = shared.join("cc");
        for (f, label) in [
            (
                "cdxj/preciz_CC-MAIN-2021-43_index_snippet.cdxj",
                "real: CC-MAIN-2021-43 blogspot snippet",
            ),
            (
                "cdxj/preciz_CC-MAIN-2021-43_de-berlin-pdf.cdxj",
                "real: CC-MAIN-2021-43 de,berlin (PDFs)",
            ),
            (
                "cdx_toolkit_cc-index-api_output-json.ndjson",
                "real: index server, 2017-2025 (as CDXJ)",
            ),
        ] {
            idx.push(analyze_cdxj(&cc.join(f), label).unwrap_or_else(|e| die(format!("{f}: {e}"))));
        }
        wats.push(
            analyze_wat(&cc.join("whirlwind.warc.wat.gz"), "real WAT: whirlwind")
                .unwrap_or_else(|e| die(e)),
        );
        let mut real = HtmlLinkStats {
            label: "real CC HTML pages (counted in the HTML)".into(),
            ..Default::default()
        };
        let mut files = vec![
            cc.join("resiliparse_CC-MAIN-2020-34_50rec.warc.gz"),
            cc.join("whirlwind.warc.gz"),
            cc.join("jwarc_cc_commoncrawl.org_20191210_1rec.warc.gz"),
            cc.join("cdxj-indexer_cc_commoncrawl.org_20170722_3rec.warc.gz"),
        ];
        if let Ok(rd) = std::fs::read_dir(cc.join("range_fetch")) {
            let mut more: Vec<_> = rd
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.to_string_lossy().ends_with(".warc.gz"))
                .collect();
            more.sort();
            files.extend(more);
        }
        for f in files {
            let h =
                analyze_html_links(&f, "").unwrap_or_else(|e| die(format!("{}: {e}", f.display())));
            real.pages += h.pages;
            real.html_bytes.extend(h.html_bytes);
            real.links.extend(h.links);
            real.anchors.extend(h.anchors);
            real.images.extend(h.images);
            real.link_tags.extend(h.link_tags);
            real.metas.extend(h.metas);
            real.scripts.extend(h.scripts);
        }
        html.push(real);
    }
    println!("## CDXJ index lines: generated vs real\n");
    println!("{}", cdxj_table(&idx));
    println!("## WAT documents and links: generated vs real\n");
    println!("{}", wat_table(&wats, &html));
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
