//! The README's fault table, generated: for each task and each class of bad input, what every
//! tier reports, through `check` (the harness's own path). A cell is the tier's pick; a
//! runner-up that reports something else is named after it; a cell that is not what the rule
//! says is in bold. The test fails when the README's table is not what the code reports:
//! `GLUEBENCH_BLESS=1 cargo test --test fault_table` rewrites it.

mod common;

use common::scratch;
use flate2::{write::GzEncoder, Compression};
use gluebench::check::{self, Report, Status};
use gluebench::task::{TaskError, Tier};
use std::io::Write;

const BEGIN: &str = "<!-- gluebench:faults:begin -->";
const END: &str = "<!-- gluebench:faults:end -->";

fn gz(text: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::default());
    e.write_all(text).unwrap();
    e.finish().unwrap()
}

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

/// `m` with byte `at` replaced by `f(byte)`.
fn patch(m: &[u8], at: usize, f: impl Fn(u8) -> u8) -> Vec<u8> {
    let mut m = m.to_vec();
    m[at] = f(m[at]);
    m
}

fn decompress_cases() -> Vec<(&'static str, Vec<u8>)> {
    let m = gz(&b"Common Crawl WET text. ".repeat(40));
    let n = m.len();
    let mut header_crc = m[..10].to_vec();
    header_crc[3] |= 0x02;
    header_crc.extend_from_slice(&[0x12, 0x34]);
    header_crc.extend_from_slice(&m[10..]);
    vec![
        ("empty input", vec![]),
        ("not gzip at all", b"WARC/1.0\r\n".to_vec()),
        ("garbage between members", [&m[..], b"xyz", &m[..]].concat()),
        ("one stray byte at the end", [&m[..], &m[..], b"x"].concat()),
        ("cut in the header", m[..5].to_vec()),
        ("cut in the deflate data", m[..n / 2].to_vec()),
        ("cut in the trailer", m[..n - 3].to_vec()),
        ("compression method not deflate", patch(&m, 2, |_| 7)),
        ("reserved header flag set", patch(&m, 3, |b| b | 0x20)),
        ("invalid deflate block type", patch(&m, 10, |b| b | 0x06)),
        (
            "a distance too far back",
            b"\x1f\x8b\x08\0\0\0\0\0\0\xffKLJ\x1c\x85\xa3!0\x1a\x02\xa3!0\x1a\x02\xa0!0\x1a\x02\xa3!0\x1a\x02\xc3 \x04\0\x14\xe0s\xbd\xd8\t\0\0".to_vec(),
        ),
        ("header CRC-16 (FHCRC) wrong", header_crc),
        (
            "a Huffman code of one codeword",
            hex("1f8b0800000000000000edc03101000000c2a000ebdfd71a1e500000000007f7383dca3fa5100000"),
        ),
        ("CRC-32 wrong", patch(&m, n - 8, |b| b ^ 1)),
        ("ISIZE wrong", patch(&m, n - 1, |b| b ^ 1)),
        ("second member cut", [&m[..], &m[..n - 3]].concat()),
    ]
}

fn cdx(fields: &str) -> String {
    format!(
        "org,example)/ 20240518015810 {{\"url\": \"https://example.org/\", \"mime\": \"text/html\", \"status\": \"200\", \"length\": \"100\", \"offset\": \"5\", \"filename\": \"crawl-data/x.warc.gz\"{fields}}}\n"
    )
}

fn cdxj_cases() -> Vec<(&'static str, Vec<u8>)> {
    let good = cdx("");
    let line2 = |bad: String| [good.clone(), bad].concat().into_bytes();
    vec![
        (
            "invalid UTF-8",
            [good.as_bytes(), b"k t {\"a\": \"\xff\"}\n"].concat(),
        ),
        ("no JSON part", line2("k 20240518015810\n".into())),
        ("invalid JSON", line2(good.replace("}\n", "\n"))),
        ("a JSON array", line2("k t [1, 2]\n".into())),
        (
            "selected, offset missing",
            line2(good.replace(", \"offset\": \"5\"", "")),
        ),
        (
            "selected, offset null",
            line2(good.replace("\"5\"", "null")),
        ),
        (
            "selected, offset \"+5\"",
            line2(good.replace("\"5\"", "\"+5\"")),
        ),
        (
            "selected, offset 2**63",
            line2(good.replace("\"5\"", "\"9223372036854775808\"")),
        ),
        (
            "selected, filename a number",
            line2(good.replace("\"crawl-data/x.warc.gz\"", "5")),
        ),
        (
            "a bad field, then invalid JSON",
            [good.replace("\"100\"", "\"x\""), "k t {\n".into()]
                .concat()
                .into_bytes(),
        ),
    ]
}

fn wat_cases() -> Vec<(&'static str, Vec<u8>)> {
    let doc = |http: &str| {
        format!(
            "{{\"Envelope\": {{\"Payload-Metadata\": {{\"HTTP-Response-Metadata\": {http}}}}}}}\n"
        )
    };
    let good = doc("{\"Headers\": {\"Server\": \"nginx\"}}");
    let line2 = |bad: String| [good.clone(), bad].concat().into_bytes();
    vec![
        (
            "invalid UTF-8",
            [good.as_bytes(), b"{\"a\": \"\xff\"}\n"].concat(),
        ),
        ("invalid JSON", line2("{]\n".into())),
        ("a JSON array", line2("[1]\n".into())),
        (
            "Envelope not an object",
            line2("{\"Envelope\": 5}\n".into()),
        ),
        (
            "Links not a list",
            line2(doc("{\"HTML-Metadata\": {\"Links\": {}}}")),
        ),
        (
            "Server not a string",
            line2(doc("{\"Headers\": {\"server\": 5}}")),
        ),
    ]
}

fn emoji_cases() -> Vec<(&'static str, Vec<u8>)> {
    let grin = "\u{1F600}".as_bytes();
    vec![
        ("a lone continuation byte", [grin, b"\x80", grin].concat()),
        ("a cut 4-byte sequence", [grin, b"\xf0\x9f\x98"].concat()),
        ("an encoded surrogate", [grin, b"\xed\xa0\x80"].concat()),
        ("an overlong encoding", [grin, b"\xc0\xaf", grin].concat()),
        (
            "0xFF inside a ZWJ sequence",
            "\u{1F468}\u{200D}"
                .bytes()
                .chain(*b"\xff")
                .chain("\u{1F469}".bytes())
                .collect(),
        ),
    ]
}

fn run(task: &str, name: &str, data: &[u8]) -> Report {
    let dir = scratch("fault-table");
    let path = dir.join(format!(
        "{}-{}",
        task.replace('/', "-"),
        name.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
    ));
    std::fs::write(&path, data).unwrap();
    common::check_file(task, path)
}

/// What a call reported, in a few words: `corrupt @12` (a byte offset), `bad-field line 2`,
/// `truncated @?` (a reader that hides offsets), or the emoji summary.
fn said(
    report: &Report,
    error: Option<&TaskError>,
    summary: Option<&gluebench::task::Summary>,
) -> String {
    let at = |e: &TaskError| match (e.offset, report.task.error_at) {
        (None, _) => "@?".to_string(),
        (Some(n), "line") => format!("line {n}"),
        (Some(n), _) => format!("@{n}"),
    };
    match (error, summary) {
        (Some(e), _) => format!("{} {}", e.kind, at(e)),
        (None, Some(s)) if report.task.name == "emoji" => format!(
            "{} emoji, {} U+FFFD",
            s["total"],
            s["replacements"]
                .as_u64()
                .map_or("–".into(), |n| n.to_string())
        ),
        (None, _) => "accepted".into(),
    }
}

/// Whether two variants report the same: the same problem (an unknown offset agrees with any),
/// or summaries equal wherever both say something (a `str` variant cannot count replacements).
fn agree(a: &check::Row, b: &check::Row) -> bool {
    match (&a.error, &b.error, &a.summary, &b.summary) {
        (Some(x), Some(y), _, _) => x.same_problem(y),
        (None, None, Some(x), Some(y)) => x
            .iter()
            .all(|(k, v)| v.is_null() || y.get(k).is_none_or(|w| w.is_null() || w == v)),
        (None, None, _, _) => a.status == b.status,
        _ => false,
    }
}

fn table_for(task: &str, cases: Vec<(&'static str, Vec<u8>)>) -> String {
    let mut md = format!(
        "\n**{task}**\n\n| input | the rule | {} |\n|---|---|{}\n",
        Tier::ALL.map(|t| t.as_str()).join(" | "),
        "---|".repeat(Tier::ALL.len())
    );
    for (name, data) in cases {
        let report = run(task, name, &data);
        let rule = match &report.expected {
            Ok(s) => said(&report, None, Some(s)),
            Err(e) => said(&report, Some(e), None),
        };
        let mut cells = Vec::new();
        for tier in Tier::ALL {
            // Variants that follow other rules by design (`differs`) are left out.
            let rows: Vec<_> = report
                .rows
                .iter()
                .filter(|r| r.tier == tier && r.status != Status::Differs)
                .collect();
            let text = |r: &check::Row| {
                let deviates = match (&report.expected, &r.error) {
                    (Err(want), Some(got)) => !got.same_problem(want),
                    _ => r.status != Status::Ok,
                };
                let words = said(
                    &report,
                    r.error.as_ref().filter(|_| r.status != Status::Mismatch),
                    r.summary.as_ref(),
                );
                if deviates {
                    format!("**{words}**")
                } else {
                    words
                }
            };
            let Some(pick) = rows.first() else {
                cells.push("–".to_string());
                continue;
            };
            let mut cell = text(pick);
            for r in rows[1..].iter().filter(|r| !agree(pick, r)) {
                cell += &format!("; {}: {}", r.variant, text(r));
            }
            cells.push(cell);
        }
        md += &format!("| {name} | {rule} | {} |\n", cells.join(" | "));
    }
    md
}

#[test]
fn the_readmes_fault_table_is_what_the_tiers_report() {
    let mut md = String::from(
        "\nGenerated by `tests/fault_table.rs` through `check` (`GLUEBENCH_BLESS=1 cargo test --test \
         fault_table` rewrites it). Each cell is the tier's pick, then any runner-up that reports \
         otherwise; **bold** is not what the rule says. Positions: `@N` a byte offset, `@?` a \
         reader that hides offsets, `line N` a 1-based line. The fetch and pipeline faults (a \
         server that errors, resets, stalls or sends a short body) are tested per tier in \
         `tests/fetch.rs` and `tests/pipeline.rs`.\n",
    );
    md += &table_for("decompress", decompress_cases());
    md += &table_for("json/cdxj", cdxj_cases());
    md += &table_for("json/wat", wat_cases());
    md += &table_for("emoji", emoji_cases());

    let readme_path = gluebench::bootstrap::root().join("README.md");
    let readme = std::fs::read_to_string(&readme_path).unwrap();
    let (before, rest) = readme
        .split_once(BEGIN)
        .expect("the README has the begin marker");
    let (current, after) = rest.split_once(END).expect("the README has the end marker");
    if current != md {
        if std::env::var_os("GLUEBENCH_BLESS").is_some() {
            std::fs::write(&readme_path, format!("{before}{BEGIN}{md}{END}{after}")).unwrap();
        } else {
            panic!(
                "README.md's fault table is not what the tiers report; run \
                 `GLUEBENCH_BLESS=1 cargo test --test fault_table` and review the diff.\n\
                 What they report:\n{md}"
            );
        }
    }
}
