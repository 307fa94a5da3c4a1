//! The cache hands out a verified file, reuses it while it is intact and current, and
//! regenerates it when anything about it is off.

use gluebench_datasets::cache::{Cache, DatasetSpec, Manifest};
use gluebench_datasets::{names, spec, DatasetError, WetSpec};
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        let nanos = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let dir = std::env::temp_dir().join(format!(
            "gluebench-datasets-{tag}-{}-{nanos}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn cache(&self) -> Cache {
        Cache {
            dir: self.0.clone(),
            progress: false,
        }
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn tiny(seed: u64) -> DatasetSpec {
    DatasetSpec::Wet(WetSpec {
        seed,
        target_bytes: 128 << 10,
        emoji_per_mb: 10.0,
        language: None,
    })
}

fn manifest_path(ds: &gluebench_datasets::Dataset) -> PathBuf {
    PathBuf::from(format!("{}.json", ds.path.display()))
}

#[test]
fn generates_then_reuses() {
    let tmp = TempDir::new("reuse");
    let c = tmp.cache();
    let a = c.ensure_spec("tiny", &tiny(1)).unwrap();
    assert!(a.generated);
    assert!(a.path.is_file());
    assert_eq!(std::fs::metadata(&a.path).unwrap().len(), a.compressed_size);
    let m: Manifest =
        serde_json::from_str(&std::fs::read_to_string(manifest_path(&a)).unwrap()).unwrap();
    assert_eq!(m.generator_version, gluebench_datasets::GENERATOR_VERSION);
    assert_eq!(m.expected, a.expected);
    let d = &a.expected["decompress"];
    assert!(d["members"].as_u64().unwrap() > 1 && d["sha256"].as_str().unwrap().len() == 64);
    assert_eq!(m.file_sha256, a.file_sha256);
    let b = c.ensure_spec("tiny", &tiny(1)).unwrap();
    assert!(!b.generated, "second call must reuse the file");
    assert_eq!(a.expected, b.expected);
    // No temporary files left behind.
    let leftovers: Vec<_> = std::fs::read_dir(&tmp.0)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn regenerates_a_corrupted_file_of_the_same_size() {
    let tmp = TempDir::new("corrupt");
    let c = tmp.cache();
    let a = c.ensure_spec("tiny", &tiny(1)).unwrap();
    let mut bytes = std::fs::read(&a.path).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0xFF;
    std::fs::write(&a.path, &bytes).unwrap();
    // Make sure the mtime differs from the verified one even on coarse-grained file systems.
    let f = std::fs::File::options().write(true).open(&a.path).unwrap();
    f.set_modified(SystemTime::now() + Duration::from_secs(3600))
        .unwrap();
    drop(f);
    let b = c.ensure_spec("tiny", &tiny(1)).unwrap();
    assert!(b.generated, "a corrupted file must be regenerated");
    assert_eq!(
        b.file_sha256, a.file_sha256,
        "regeneration restores the same bytes"
    );
}

#[test]
fn regenerates_a_truncated_file() {
    let tmp = TempDir::new("truncated");
    let c = tmp.cache();
    let a = c.ensure_spec("tiny", &tiny(1)).unwrap();
    let bytes = std::fs::read(&a.path).unwrap();
    std::fs::write(&a.path, &bytes[..bytes.len() - 100]).unwrap();
    let b = c.ensure_spec("tiny", &tiny(1)).unwrap();
    assert!(b.generated);
    assert_eq!(std::fs::read(&b.path).unwrap(), bytes);
}

#[test]
fn regenerates_on_a_manifest_from_another_generator_version() {
    let tmp = TempDir::new("version");
    let c = tmp.cache();
    let a = c.ensure_spec("tiny", &tiny(1)).unwrap();
    let mp = manifest_path(&a);
    let mut m: Manifest = serde_json::from_str(&std::fs::read_to_string(&mp).unwrap()).unwrap();
    m.generator_version += 1000;
    std::fs::write(&mp, serde_json::to_string(&m).unwrap()).unwrap();
    assert!(c.ensure_spec("tiny", &tiny(1)).unwrap().generated);
    // A missing or unreadable manifest also means "regenerate".
    std::fs::write(&mp, "not json").unwrap();
    assert!(c.ensure_spec("tiny", &tiny(1)).unwrap().generated);
    std::fs::remove_file(&mp).unwrap();
    assert!(c.ensure_spec("tiny", &tiny(1)).unwrap().generated);
    assert!(!c.ensure_spec("tiny", &tiny(1)).unwrap().generated);
}

#[test]
fn regenerates_when_the_spec_changes() {
    let tmp = TempDir::new("spec");
    let c = tmp.cache();
    let a = c.ensure_spec("tiny", &tiny(1)).unwrap();
    let b = c.ensure_spec("tiny", &tiny(2)).unwrap();
    assert!(b.generated);
    assert_ne!(
        a.expected["decompress"]["sha256"],
        b.expected["decompress"]["sha256"]
    );
}

#[test]
fn concurrent_callers_both_get_a_whole_file() {
    let tmp = TempDir::new("concurrent");
    let c = tmp.cache();
    let results: Vec<_> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..3)
            .map(|_| s.spawn(|| c.ensure_spec("tiny", &tiny(5)).unwrap()))
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for r in &results {
        assert_eq!(r.file_sha256, results[0].file_sha256);
        assert_eq!(r.expected, results[0].expected);
    }
    let on_disk = gluebench_datasets::cache::sha256_file(&results[0].path).unwrap();
    assert_eq!(on_disk, results[0].file_sha256);
}

#[test]
fn names_and_errors() {
    let n = names();
    for want in ["wet-1m", "wet-16m", "wet-128m"] {
        assert!(n.contains(&want), "{want} missing from {n:?}");
        let Some(DatasetSpec::Wet(w)) = spec(want) else {
            panic!("{want} is not a WET spec")
        };
        assert_eq!(
            w.target_bytes >> 20,
            want[4..want.len() - 1].parse::<u64>().unwrap()
        );
    }
    for (want, mib) in [
        ("cdxj-1m", 1),
        ("cdxj-16m", 16),
        ("wat-1m", 1),
        ("wat-16m", 16),
    ] {
        assert!(n.contains(&want), "{want} missing from {n:?}");
        match spec(want).unwrap() {
            DatasetSpec::Cdxj(c) | DatasetSpec::Wat(c) => assert_eq!(c.target_bytes, mib << 20),
            other => panic!("{want}: {other:?}"),
        }
    }
    for want in ["wat-1m-gz", "wat-16m-gz"] {
        assert!(matches!(spec(want), Some(DatasetSpec::WatGz(_))), "{want}");
    }
    // Segments are named on demand.
    assert!(matches!(
        spec("warc-00012"),
        Some(DatasetSpec::Warc(s)) if s.segment == 12 && s.seed == 1
    ));
    assert!(spec("warc-12").is_none() && spec("warc-0000x").is_none());
    assert!(!n.iter().any(|n| n.starts_with("warc-")));
    let tmp = TempDir::new("names");
    let err = tmp.cache().ensure("wet-2m").unwrap_err();
    assert!(matches!(err, DatasetError::UnknownName { .. }));
    let msg = err.to_string();
    assert!(
        msg.contains("wet-2m") && msg.contains("wet-16m") && !msg.contains('\n'),
        "{msg}"
    );
}

#[test]
fn unwritable_cache_dir_is_a_clear_error() {
    let tmp = TempDir::new("unwritable");
    // A regular file where the directory should be.
    let blocker = tmp.0.join("file");
    std::fs::write(&blocker, b"x").unwrap();
    let c = Cache {
        dir: blocker.join("cache"),
        progress: false,
    };
    let msg = c.ensure_spec("tiny", &tiny(1)).unwrap_err().to_string();
    assert!(
        msg.contains("GLUEBENCH_CACHE") && !msg.contains('\n'),
        "{msg}"
    );
}
