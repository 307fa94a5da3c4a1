//! `gluebench report` on the fixed fixture `tests/data/results.json`: the page's sections,
//! charts and computed verdicts, Markdown and splicing, `--baseline`, and bad inputs.

mod common;

use gluebench::results::Store;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/results.json")
}

fn report(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gluebench"))
        .arg("report")
        .args(args)
        .output()
        .expect("run gluebench")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The verdict row of claim `id` as the page marks it.
fn status(html: &str, id: &str) -> String {
    let at = html
        .find(&format!("id=\"verdict-{id}\""))
        .unwrap_or_else(|| panic!("no verdict {id}"));
    let rest = &html[at..];
    let s = rest.find("data-status=\"").unwrap() + 13;
    rest[s..s + rest[s..].find('"').unwrap()].to_string()
}

fn page(dir: &Path, extra: &[&str]) -> String {
    let fx = fixture();
    let out = dir.to_str().unwrap();
    let mut args = vec!["--results", fx.to_str().unwrap(), "--out", out];
    args.extend_from_slice(extra);
    let o = report(&args);
    assert!(o.status.success(), "report failed: {}", text(&o.stderr));
    std::fs::read_to_string(dir.join("index.html")).unwrap()
}

#[test]
fn page_has_every_section_chart_and_computed_verdict() {
    let dir = common::scratch("report-page");
    let html = page(&dir, &[]);
    for id in [
        "headline",
        "tasks",
        "glue",
        "io",
        "tutorial",
        "verdicts",
        "scale",
        "environment",
    ] {
        assert!(
            html.contains(&format!("<section id=\"{id}\"")),
            "section {id}"
        );
    }
    // 1 headline + 5 regime bar charts (decompress, cdxj, wat, emoji × 2) + 4 size sweeps +
    // 1 density sweep; other sections may add their own.
    let svgs = html.matches("<svg").count();
    assert!(svgs >= 11, "{svgs} charts");
    assert!(html.matches("<figure class=\"chart\"").count() >= 11);
    assert!(
        html.contains("<text"),
        "plotters wrote text without a font feature"
    );
    for bad in ["src=\"http", "url(http", "@import", "<script src", "<link"] {
        assert!(!html.contains(bad), "external reference {bad}");
    }
    // An `href="http…"` may only be a link a reader follows (a cited source), never a resource
    // the page loads.
    for (at, _) in html.match_indices("href=\"http") {
        let tag = &html[html[..at].rfind('<').unwrap()..at];
        assert!(tag.starts_with("<a "), "external resource: {tag}");
    }
    // The fixture's numbers, rule by rule.
    for (id, want) in [
        ("C1", "Refuted"),   // hotpath 181 vs flate2-zlib-rs 343: 1.9× > 1.3×
        ("C2", "Confirmed"), // serde-value / orjson 0.83×; cdxj rust / simdjson 5.5×
        ("C3", "Confirmed"), // rust / naive 14,758×
        ("C4", "Refuted"),   // rust / hotpath 34×
        ("C5", "Confirmed"),
        ("C6", "Confirmed"),
        ("C7", "Not-shown"), // no fetch rows
        ("C8", "Not-shown"), // no pipeline rows
        ("C9", "Not-shown"), // no rust/naive-* rows
        ("C10", "Confirmed"),
    ] {
        assert_eq!(status(&html, id), want, "{id}");
    }
    let c4 = &html[html.find("id=\"verdict-C4\"").unwrap()..];
    assert!(
        c4[..c4.find("</tr>").unwrap()].contains("on unstable inputs"),
        "the emoji hotpath pick is unstable in the fixture"
    );
    // Known mismatches and errors are listed with their message, never drawn.
    assert!(html.contains("known mismatch: counts differ"));
    assert!(html.contains("No module named"));
    assert!(html.contains("not measured yet: run <code>cargo bench -- fetch</code>"));
    assert!(
        html.contains("overtakes"),
        "a break-even size in the sweeps"
    );
    assert!(html.contains("paved") && html.contains("unpaved"));
    assert!(dir.join("results.json").is_file() && dir.join("results.csv").is_file());
    let copy = Store::load(&dir.join("results.json")).unwrap();
    assert_eq!(copy.rows, Store::load(&fixture()).unwrap().rows);
}

#[test]
fn markdown_and_splice() {
    let fx = fixture();
    let o = report(&["--results", fx.to_str().unwrap(), "--format", "md"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let md = text(&o.stdout);
    assert!(md.contains("### Headline"));
    assert!(
        md.contains("| decompress | wet-16m | paved | **paved** |"),
        "{md}"
    );
    assert!(md.contains("| tier | variant | dataset | MB/s | ±CI | vs rust pick | flags |"));
    assert!(md.contains("differs: known mismatch"));
    assert!(md.contains("**Not shown**"));

    let dir = common::scratch("report-splice");
    let readme = dir.join("README.md");
    let before = "# x\n\nintro\n<!-- gluebench:results:begin -->\nold table\n<!-- gluebench:results:end -->\noutro\n";
    std::fs::write(&readme, before).unwrap();
    let o = report(&[
        "--results",
        fx.to_str().unwrap(),
        "--format",
        "md",
        "--splice",
        readme.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let after = std::fs::read_to_string(&readme).unwrap();
    assert!(after.starts_with("# x\n\nintro\n<!-- gluebench:results:begin -->\n"));
    assert!(after.ends_with("<!-- gluebench:results:end -->\noutro\n"));
    assert!(!after.contains("old table"));
    assert!(
        after.contains("cargo run --release -- report --format md"),
        "the command"
    );
    assert!(after.contains("2026-12-06T12:00:00Z"), "the run date");

    // No markers: an error naming the file, the file untouched.
    std::fs::write(&readme, "no markers\n").unwrap();
    let o = report(&[
        "--results",
        fx.to_str().unwrap(),
        "--format",
        "md",
        "--splice",
        readme.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("README.md"));
    assert_eq!(std::fs::read_to_string(&readme).unwrap(), "no markers\n");
}

#[test]
fn baseline_flags_a_changed_row_and_a_flipped_verdict() {
    let dir = common::scratch("report-baseline");
    // The old file: the emoji hotpath pick 12× faster than now, so C4 held then.
    let mut old = Store::load(&fixture()).unwrap();
    let row = old
        .rows
        .iter_mut()
        .find(|r| {
            r.task == "emoji"
                && r.regime == "wet-16m"
                && r.sweep.is_empty()
                && r.id() == "hotpath/re-utf8-clusters"
        })
        .unwrap();
    row.throughput = row.throughput.map(|t| t * 12.0);
    for ns in [
        &mut row.median_ns,
        &mut row.median_lo_ns,
        &mut row.median_hi_ns,
        &mut row.mean_ns,
        &mut row.mean_lo_ns,
        &mut row.mean_hi_ns,
    ] {
        *ns = ns.map(|v| v / 12.0);
    }
    let old_path = dir.join("old.json");
    old.save(&old_path).unwrap();
    let html = page(
        &dir.join("out"),
        &["--baseline", old_path.to_str().unwrap()],
    );
    let section = &html[html
        .find("<section id=\"changes\"")
        .expect("changes section")..];
    let section = &section[..section.find("</section>").unwrap()];
    assert!(
        section.contains("emoji wet-16m hotpath/re-utf8-clusters"),
        "{section}"
    );
    assert_eq!(section.matches("class=\"changed\"").count(), 1, "{section}");
    assert!(section.contains("C4: Confirmed → Refuted"), "{section}");

    let o = report(&[
        "--results",
        fixture().to_str().unwrap(),
        "--format",
        "md",
        "--baseline",
        old_path.to_str().unwrap(),
    ]);
    let md = text(&o.stdout);
    assert!(md.contains("hotpath/re-utf8-clusters (changed)"), "{md}");
    assert!(md.contains("verdict C4 flipped: Confirmed → Refuted"));
}

#[test]
fn bad_results_files_exit_2_and_write_nothing() {
    let dir = common::scratch("report-bad");
    let out = dir.join("out");
    std::fs::create_dir_all(&out).unwrap();
    let index = out.join("index.html");
    std::fs::write(&index, "previous report\n").unwrap();
    let bad = dir.join("results.json");
    let cases: [(&str, Option<&str>); 4] = [
        ("missing", None),
        ("empty", Some("")),
        (
            "truncated",
            Some("{\"schema_version\": 1, \"runs\": {}, \"rows\": ["),
        ),
        (
            "schema_version 0",
            Some("{\"schema_version\": 0, \"runs\": {}, \"rows\": []}"),
        ),
    ];
    for (what, content) in cases {
        match content {
            Some(c) => std::fs::write(&bad, c).unwrap(),
            None => {
                let _ = std::fs::remove_file(&bad);
            }
        }
        let o = report(&[
            "--results",
            bad.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        let err = text(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{what}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{what}: one line: {err}");
        assert!(err.starts_with("gluebench: error: "), "{what}: {err}");
        assert!(
            err.contains(bad.to_str().unwrap()),
            "{what} names the file: {err}"
        );
        assert_eq!(
            std::fs::read(&index).unwrap(),
            b"previous report\n",
            "{what}"
        );
        assert!(!out.join("results.csv").exists(), "{what}");
    }
}

#[test]
fn results_file_inside_the_out_dir_is_not_rewritten() {
    let dir = common::scratch("report-same");
    let results = dir.join("results.json");
    std::fs::copy(fixture(), &results).unwrap();
    let before = std::fs::read(&results).unwrap();
    page(&dir, &["--results", results.to_str().unwrap()]);
    assert_eq!(std::fs::read(&results).unwrap(), before);
}
