//! `GLUEBENCH_CACHE` moves the cache (own test binary: it sets a process-wide variable).

#[test]
fn env_var_overrides_the_cache_dir() {
    let default = gluebench_datasets::cache_dir();
    assert!(
        default.ends_with("datasets/cache") || std::env::var_os("GLUEBENCH_CACHE").is_some(),
        "{default:?}"
    );
    let dir = std::env::temp_dir().join(format!("gluebench-datasets-env-{}", std::process::id()));
    std::env::set_var("GLUEBENCH_CACHE", &dir);
    assert_eq!(gluebench_datasets::cache_dir(), dir);
    // Unknown names fail before anything is created.
    assert!(gluebench_datasets::ensure("no-such-dataset").is_err());
    assert!(!dir.exists());
    std::env::set_var("GLUEBENCH_CACHE", "");
    assert!(gluebench_datasets::cache_dir().ends_with("datasets/cache"));
}
