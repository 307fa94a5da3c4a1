//! The report as a browser sees it: rendered from the committed fixture, loaded by headless
//! Chromium from `file://` with networking off, and checked from inside the page (every SVG laid
//! out and visible, nothing fetched from anywhere but the file system, no broken image), then
//! screenshotted. String checks on the HTML cannot tell that a chart collapsed to 0×0 or that a
//! page quietly needs a CDN; a browser can.
//!
//! Needs `/usr/bin/chromium` (`.ci/run` installs it); `GLUEBENCH_SKIP_BROWSER=1` skips.

use std::fs::File;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";

/// Runs in the page on load and leaves its verdict as JSON in `body[data-check]`.
const CHECK: &str = r#"<script>
window.addEventListener("load", () => {
  const problems = [];
  // A chart in a folded <details> is visible once opened: open them all, then measure.
  document.querySelectorAll("details").forEach((d) => { d.open = true; });
  const svgs = [...document.querySelectorAll("svg")];
  svgs.forEach((svg, i) => {
    const r = svg.getBoundingClientRect();
    const s = getComputedStyle(svg);
    const name = `svg #${i} (${svg.closest("figure.chart") ? "chart" : "other"})`;
    if (!(r.width > 0 && r.height > 0)) problems.push(`${name} is ${r.width}x${r.height}`);
    const shown = svg.checkVisibility ? svg.checkVisibility({ opacityProperty: true, visibilityProperty: true })
                                      : s.visibility === "visible" && s.display !== "none";
    if (!shown) problems.push(`${name} is not visible`);
  });
  for (const e of performance.getEntriesByType("resource")) {
    if (!/^(file|data):/.test(e.name)) problems.push(`fetched ${e.name}`);
  }
  for (const img of document.images) {
    if (!img.complete || img.naturalWidth === 0) problems.push(`image failed: ${img.src}`);
  }
  document.body.dataset.check = JSON.stringify({
    svgs: svgs.length,
    charts: document.querySelectorAll("figure.chart svg").length,
    problems,
  });
});
</script>"#;

#[test]
fn report_renders_in_a_browser() {
    if std::env::var("GLUEBENCH_SKIP_BROWSER").as_deref() == Ok("1") {
        println!("skipped: GLUEBENCH_SKIP_BROWSER=1");
        return;
    }
    assert!(
        Path::new(CHROMIUM).exists(),
        "{CHROMIUM} is missing: `.ci/run` installs it (apt-get install -y chromium), or set \
         GLUEBENCH_SKIP_BROWSER=1 to skip this test"
    );
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report_browser");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).unwrap();

    let out = Command::new(env!("CARGO_BIN_EXE_gluebench"))
        .current_dir(root)
        .args(["report", "--results", "tests/data/results.json", "--out"])
        .arg(&scratch)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "report failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let index = scratch.join("index.html");
    let html = std::fs::read_to_string(&index).unwrap();

    // The check runs in a copy, so the screenshot shows the page exactly as shipped.
    let checked = scratch.join("check.html");
    let with_check = match html.rfind("</body>") {
        Some(at) => format!("{}{CHECK}\n{}", &html[..at], &html[at..]),
        None => format!("{html}\n{CHECK}\n"),
    };
    std::fs::write(&checked, with_check).unwrap();
    let dom = chromium(
        &scratch,
        "dump",
        &[
            // Lets the page's load handler run before the DOM is dumped.
            "--virtual-time-budget=5000".into(),
            "--dump-dom".into(),
            url(&checked),
        ],
    );
    let verdict = check_attribute(&dom)
        .unwrap_or_else(|| panic!("the check did not run; the dumped DOM ends: {}", tail(&dom)));
    let verdict: serde_json::Value = serde_json::from_str(&verdict).unwrap();
    assert_eq!(
        verdict["problems"],
        serde_json::json!([]),
        "in the browser: {verdict}"
    );
    assert!(
        verdict["charts"].as_u64() > Some(0),
        "no figure.chart svg at all: {verdict}"
    );

    // Self-calibrating: a blank page of the same size shows what "nothing drawn" weighs.
    let blank = scratch.join("blank.html");
    std::fs::write(&blank, "<!doctype html><title>blank</title>").unwrap();
    let shot = |page: &Path, name: &str| {
        let png = scratch.join(format!("{name}.png"));
        chromium(
            &scratch,
            name,
            &[
                format!("--screenshot={}", png.display()),
                "--window-size=1280,2400".into(),
                url(page),
            ],
        );
        std::fs::read(&png).unwrap_or_else(|e| panic!("no screenshot {}: {e}", png.display()))
    };
    let report = shot(&index, "report");
    let empty = shot(&blank, "blank");
    assert!(
        report.starts_with(b"\x89PNG\r\n\x1a\n"),
        "report.png is not a PNG"
    );
    assert!(
        report.len() > 4 * empty.len().max(1_000),
        "report.png ({} bytes) is hardly bigger than a blank page's ({} bytes)",
        report.len(),
        empty.len()
    );
}

fn url(path: &Path) -> String {
    format!("file://{}", path.canonicalize().unwrap().display())
}

/// Runs headless Chromium with its own fresh profile and no network, and returns its stdout.
/// Output goes to files, not pipes: a dumped DOM outgrows a pipe and would block the browser.
///
/// A browser that wedges (seen once in CI: the screenshot never finished in 120 s, where it takes
/// about a second here) is killed with its whole process group and tried again with a fresh
/// profile; the third wedge fails the test with the browser's own last words.
fn chromium(scratch: &Path, label: &str, args: &[String]) -> String {
    const ATTEMPTS: u32 = 3;
    const DEADLINE: Duration = Duration::from_secs(45);
    let read =
        |p: &Path| String::from_utf8_lossy(&std::fs::read(p).unwrap_or_default()).into_owned();
    let mut wedged = Vec::new();
    for attempt in 1..=ATTEMPTS {
        let profile = scratch.join(format!("profile-{label}-{attempt}"));
        let (stdout, stderr) = (
            scratch.join(format!("{label}.out")),
            scratch.join(format!("{label}.err")),
        );
        let _ = std::fs::remove_dir_all(&profile);
        let mut child = Command::new(CHROMIUM)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                // Containers often give /dev/shm 64 MB; rendering a tall page needs more.
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                "--mute-audio",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .args(args)
            .stdout(File::create(&stdout).unwrap())
            .stderr(File::create(&stderr).unwrap())
            .process_group(0)
            .spawn()
            .unwrap();
        let start = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break Some(status);
            }
            if start.elapsed() > DEADLINE {
                // The browser's zygote, renderer and GPU processes share its group.
                let _ = Command::new("kill")
                    .args(["-KILL", "--", &format!("-{}", child.id())])
                    .status();
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(100));
        };
        match status {
            Some(status) => {
                assert!(
                    status.success(),
                    "chromium {label} failed: {}",
                    tail(&read(&stderr))
                );
                if attempt > 1 {
                    println!("chromium {label}: finished on attempt {attempt}");
                }
                return read(&stdout);
            }
            None => {
                let last = read(&stderr);
                println!(
                    "chromium {label}: attempt {attempt} did not finish in {DEADLINE:?}; it said: {}",
                    tail(&last)
                );
                wedged.push(last);
            }
        }
    }
    panic!(
        "chromium {label} did not finish in {DEADLINE:?}, {ATTEMPTS} times; its last stderr: {}",
        tail(wedged.last().map(String::as_str).unwrap_or(""))
    )
}

/// The JSON in `data-check="…"`, unescaped as the DOM serializer escaped it.
fn check_attribute(dom: &str) -> Option<String> {
    let start = dom.find("data-check=\"")? + "data-check=\"".len();
    let end = start + dom[start..].find('"')?;
    Some(
        dom[start..end]
            .replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&nbsp;", "\u{a0}")
            .replace("&amp;", "&"),
    )
}

fn tail(s: &str) -> &str {
    let mut from = s.len().saturating_sub(2_000);
    while !s.is_char_boundary(from) {
        from += 1;
    }
    &s[from..]
}
