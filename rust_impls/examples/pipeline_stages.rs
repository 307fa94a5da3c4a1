//! Rough timings of the rust pipeline and each of its stages (the median wall and CPU time of
//! REPS calls after one warm-up), for a quick Amdahl breakdown outside criterion:
//!
//! ```sh
//! cargo run --release -- serve datasets/cache &    # prints URL
//! cargo run --release -p rust_impls --example pipeline_stages -- URL INDEX datasets/cache \
//!     .venv/gluebench/rgi-emoji.txt [CONCURRENCY=16] [REPS=5]
//! ```
//!
//! INDEX is a CDXJ index whose `filename`s are paths under the served directory (the
//! generated `cdxj-1m` with `CC-MAIN-…-0000N.warc.gz` rewritten to `warc-0000N.warc.gz`).
//! Stage inputs are made from the files, outside the timing. Note: in a fresh process glibc
//! hands the decompressed records' memory back to the kernel after every call, so the gunzip
//! stage pays page faults each time (about 1.4x here; `GLIBC_TUNABLES=glibc.malloc.
//! trim_threshold=1073741824:glibc.malloc.mmap_threshold=33554432` shows the difference).
use rust_impls::{emoji, pipeline};
use std::io::{Read, Seek, SeekFrom};
use std::time::{Duration, Instant};

/// CPU time of the whole process (every thread): what a call costs, whatever the machine's load.
fn cpu_time() -> Duration {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a valid timespec to write to.
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut t) };
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

/// (median wall time, median CPU time) of `reps` calls after one warm-up call.
fn median(f: &mut dyn FnMut(), reps: usize) -> (Duration, Duration) {
    f();
    let (mut wall, mut cpu): (Vec<Duration>, Vec<Duration>) = (0..reps)
        .map(|_| {
            let (s, c) = (Instant::now(), cpu_time());
            f();
            (s.elapsed(), cpu_time() - c)
        })
        .unzip();
    wall.sort();
    cpu.sort();
    (wall[reps / 2], cpu[reps / 2])
}

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let (url, index, root, set) = (&a[1], std::fs::read(&a[2]).unwrap(), &a[3], &a[4]);
    let c: usize = a.get(5).map_or(16, |s| s.parse().unwrap());
    let reps: usize = a.get(6).map_or(5, |s| s.parse().unwrap());
    let set = emoji::EmojiSet::parse(&std::fs::read_to_string(set).unwrap()).unwrap();
    let counter = (emoji::VARIANTS[0].1)(&set);
    let job = pipeline::Job {
        index: &index,
        base: url,
        concurrency: c,
        timeout: Duration::from_secs(10),
        retries: 2,
        counter: counter.as_ref(),
    };
    let records = pipeline::select(&index).unwrap();
    let members: Vec<Vec<u8>> = records
        .iter()
        .map(|r| {
            let mut f = std::fs::File::open(format!("{root}/{}", r.path)).unwrap();
            f.seek(SeekFrom::Start(r.offset)).unwrap();
            let mut m = vec![0; r.length as usize];
            f.read_exact(&mut m).unwrap();
            m
        })
        .collect();
    let decompressed = pipeline::gunzip(&members).unwrap();
    let blocks: Vec<&[u8]> = decompressed
        .iter()
        .map(|r| pipeline::content_block(r))
        .collect();
    let summary = pipeline::run(&job).unwrap();
    println!(
        "# {} records, {} emoji",
        summary.0,
        summary.1.values().sum::<u64>()
    );
    assert_eq!(pipeline::run_2cores(&job).unwrap(), summary);
    let plan = pipeline::plan(&job, &records, c);
    let time = |name: &str, f: &mut dyn FnMut()| {
        let (wall, cpu) = median(f, reps);
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        println!(
            "rust {name:13} {:8.1} ms (CPU {:8.1} ms)",
            ms(wall),
            ms(cpu)
        );
    };
    time("e2e", &mut || drop(pipeline::run(&job).unwrap()));
    time("stage-index", &mut || {
        drop(pipeline::select(&index).unwrap())
    });
    time("stage-fetch", &mut || drop(pipeline::fetch(&plan).unwrap()));
    time("stage-gunzip", &mut || {
        drop(pipeline::gunzip(&members).unwrap())
    });
    time("stage-emoji", &mut || {
        drop(pipeline::emoji(counter.as_ref(), &blocks))
    });
    time("e2e-2cores", &mut || {
        drop(pipeline::run_2cores(&job).unwrap())
    });
}
