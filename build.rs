//! Records what the numbers depend on but the binary cannot find out at run time: the rustc
//! that compiled it, and the versions of the crates that do the work (from Cargo.lock).

use std::process::Command;

/// The crates whose code is timed, or which time it.
const CRATES: &[&str] = &[
    "flate2",
    "zlib-rs",
    "libdeflater",
    "libdeflate-sys",
    "miniz_oxide",
    "crc32fast",
    "serde_json",
    "sonic-rs",
    "memchr",
    "aho-corasick",
    "pyo3",
    "criterion",
    "plotters",
];

fn main() {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let version = Command::new(rustc)
        .arg("-V")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=GLUEBENCH_RUSTC={version}");

    let lock = std::fs::read_to_string("Cargo.lock").unwrap_or_default();
    let mut found = Vec::new();
    for block in lock.split("[[package]]") {
        let field = |k: &str| {
            block.lines().find_map(|l| l.strip_prefix(k)).map(|v| {
                v.trim()
                    .trim_start_matches('=')
                    .trim()
                    .trim_matches('"')
                    .to_string()
            })
        };
        if let (Some(name), Some(ver)) = (field("name "), field("version ")) {
            if CRATES.contains(&name.as_str()) {
                found.push(format!("{name}={ver}"));
            }
        }
    }
    found.sort();
    found.dedup();
    println!("cargo:rustc-env=GLUEBENCH_CRATES={}", found.join(","));
    println!("cargo:rerun-if-changed=Cargo.lock");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=RUSTC");
}
