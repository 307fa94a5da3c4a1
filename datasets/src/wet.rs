//! Writing a WET file: warcinfo + one `conversion` record per page that Common Crawl would have
//! converted (a 200 HTML response, see [`Capture::in_wet`]), one gzip member each.
//!
//! Why the shape: gluebench's decompress task streams `.warc.wet.gz` files member by member, so the
//! generator must reproduce what makes that work realistic (many ~3 KB members, level-6 deflate of
//! text, CRLF-framed headers), and it must also *know the answer* (members, bytes, sha256 of the
//! inflated stream) without a second pass. Records are independent given `(seed, index)`, so
//! worker threads build and compress batches of records in parallel while the calling thread
//! hashes and writes them strictly in order: the bytes never depend on the thread count.

use crate::capture::Capture;
use crate::page::{Corpus, Page, RecordKind};
use crate::warc;
use flate2::{Compression, GzBuilder};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;

/// What to generate. Everything that changes the output bytes is in here (plus
/// [`crate::GENERATOR_VERSION`] for the code itself).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WetSpec {
    pub seed: u64,
    /// Stop after the first record that brings the decompressed stream to at least this many bytes.
    pub target_bytes: u64,
    /// Mean emoji (sequences) per 10^6 bytes of page text. Real crawl text has very few; see
    /// [`crate::WEB_EMOJI_PER_MB`].
    pub emoji_per_mb: f64,
    /// Only the pages identified as this language alone (ISO 639-3, e.g. `eng`): the same
    /// crawl with every other page left out. `None`: every page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

impl WetSpec {
    pub fn corpus(&self) -> Corpus {
        Corpus::new(self.seed, self.emoji_per_mb)
    }
}

/// The expected result of gluebench's decompress task on a file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecompressSummary {
    /// Number of gzip members (= WARC records).
    pub members: u64,
    /// Total decompressed bytes.
    pub bytes: u64,
    /// SHA-256 of the whole decompressed stream, lower-case hex.
    pub sha256: String,
}

/// The expected result of gluebench's emoji task: the RGI emoji (UTS #51 `RGI_Emoji`, Unicode
/// Emoji 17.0) in the decompressed stream, matched leftmost-longest over code points. Summed from
/// what the generator inserted ([`Page::emoji_counts`]), not by scanning the output: headers are
/// ASCII and the page text holds no emoji but the inserted ones (tested against Unicode's list).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmojiSummary {
    /// Matches in all.
    pub total: u64,
    /// Different emoji matched (the number of keys of `counts`).
    pub distinct: u64,
    /// U+FFFD substitutions a decoder makes: always 0, the generated text is valid UTF-8.
    pub replacements: u64,
    /// Matches per emoji, only nonzero ones, keys in code point order (the byte order of UTF-8).
    pub counts: BTreeMap<String, u64>,
}

impl EmojiSummary {
    /// Adds one page's counts.
    pub fn add(&mut self, counts: &BTreeMap<&'static str, u32>) {
        for (&e, &n) in counts {
            if n > 0 {
                *self.counts.entry(e.to_string()).or_insert(0) += n as u64;
                self.total += n as u64;
            }
        }
        self.distinct = self.counts.len() as u64;
    }
}

/// Everything known after writing a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WetReport {
    pub summary: DecompressSummary,
    /// Size of the written (compressed) file.
    pub compressed_bytes: u64,
    /// SHA-256 of the written file, lower-case hex.
    pub compressed_sha256: String,
    /// Pages written (`members - 1`: the first member is the warcinfo record).
    pub pages: u64,
    /// Emoji sequences inserted over all pages, RGI or not (see [`crate::page::EMOJI`]).
    pub emoji: u64,
    /// Bytes of page text over all pages (the records' bodies): what
    /// [`WetSpec::emoji_per_mb`] is a density of.
    pub text_bytes: u64,
    /// The expected result of gluebench's emoji task on the file.
    pub emoji_summary: EmojiSummary,
    /// `(offset, length)` of each gzip member in the file, if asked for (a CDXJ index needs them).
    pub member_index: Option<Vec<(u64, u64)>>,
}

impl WetReport {
    /// Emoji inserted per 10^6 bytes of page text: the density achieved, to compare with the
    /// spec's [`WetSpec::emoji_per_mb`] (pages carry emoji at random, so a file is off by some).
    pub fn emoji_per_mb(&self) -> f64 {
        self.emoji as f64 * 1e6 / self.text_bytes.max(1) as f64
    }
}

/// Knobs that don't change the output.
#[derive(Default)]
pub struct WriteOptions<'a> {
    /// Worker threads (0: one per available core). The bytes are the same for any value.
    pub threads: usize,
    /// Called with (decompressed bytes so far, target) after each batch.
    pub progress: Option<&'a mut dyn FnMut(u64, u64)>,
    /// Record each member's offset and length in [`WetReport::member_index`].
    pub member_index: bool,
}

/// Deflate level of every member: gzip's default. (The real `whirlwind.warc.wet.gz` header has
/// XFL = 2, "maximum compression"; level 9 would make our files ~1-2 % smaller.)
pub const GZIP_LEVEL: u32 = 6;
/// OS byte of the gzip header: 3 (Unix), as in real Common Crawl files.
const GZIP_OS_UNIX: u8 = 3;
/// Upper bound for [`WetSpec::emoji_per_mb`]: one emoji per 10 bytes of text is already more
/// emoji than text.
pub const MAX_EMOJI_PER_MB: f64 = 100_000.0;
/// Pages per unit of work handed to a thread.
const BATCH: u64 = 48;

/// Gzip-compresses one record as its own member (mtime 0, OS = Unix, level 6), appending to `out`.
pub fn gzip_member(raw: &[u8], out: Vec<u8>) -> Vec<u8> {
    let mut enc = GzBuilder::new()
        .operating_system(GZIP_OS_UNIX)
        .write(out, Compression::new(GZIP_LEVEL));
    enc.write_all(raw).expect("writing to a Vec cannot fail");
    enc.finish().expect("writing to a Vec cannot fail")
}

/// Name of the synthetic segment file, in Common Crawl's pattern
/// `CC-MAIN-<start>-<end>-<nnnnn>.warc.wet.gz`.
pub fn segment_filename(spec: &WetSpec) -> String {
    let c = spec.corpus();
    let stamp = |t: u64| warc::warc_date(t).replace(['-', ':', 'T', 'Z'], "");
    format!(
        "CC-MAIN-{}-{}-{:05}.warc.wet.gz",
        stamp(c.start_unix),
        stamp(c.start_unix + 3 * 3600),
        crate::prng::derive(&[spec.seed, 0x5345_474E]) % 100_000
    )
}

/// Appends the `warcinfo` record that opens every WET file. Same fields and order as Common
/// Crawl's, with honest values (it says it is synthetic).
pub fn warcinfo_record(spec: &WetSpec, out: &mut Vec<u8>) {
    let c = spec.corpus();
    let extracted = c.start_unix + 13 * 86_400 + 6_324;
    let block = format!(
        "Software-Info: gluebench-datasets/{} (generator {})\r\n\
         Extracted-Date: {}\r\n\
         robots: none (synthetic text, never crawled)\r\n\
         isPartOf: gluebench-synthetic-wet\r\n\
         operator: gluebench benchmark suite\r\n\
         description: Synthetic Common-Crawl-style WET, seed {}, {} emoji/MB; not web content\r\n\
         publisher: gluebench-datasets\r\n\r\n",
        env!("CARGO_PKG_VERSION"),
        crate::GENERATOR_VERSION,
        warc::http_date(extracted),
        spec.seed,
        spec.emoji_per_mb,
    );
    let digest = warc::sha1_digest(block.as_bytes());
    let len = block.len().to_string();
    let date = warc::warc_date(extracted);
    let id = crate::page::format_uuid(
        crate::prng::derive(&[spec.seed, 0x494E_464F]),
        crate::prng::derive(&[spec.seed, 0x494E_464F, 1]),
    );
    let filename = segment_filename(spec);
    warc::write_record(
        out,
        &[
            ("WARC-Type", "warcinfo"),
            ("WARC-Date", &date),
            ("WARC-Filename", &filename),
            ("WARC-Record-ID", &id),
            ("Content-Type", "application/warc-fields"),
            ("Content-Length", &len),
            ("WARC-Block-Digest", &digest),
        ],
        block.as_bytes(),
    );
}

/// Appends the WET `conversion` record of `page`, header for header like Common Crawl's.
pub fn conversion_record(page: &Page, out: &mut Vec<u8>) {
    let body = page.text.as_bytes();
    let digest = warc::sha1_digest(body);
    let date = warc::warc_date(page.fetch_unix);
    let id = page.record_id(RecordKind::Conversion);
    let refers = page.record_id(RecordKind::Response);
    let len = body.len().to_string();
    let langs = page.languages.join(",");
    let mut headers: Vec<(&str, &str)> = vec![
        ("WARC-Type", "conversion"),
        ("WARC-Target-URI", &page.url),
        ("WARC-Date", &date),
        ("WARC-Record-ID", &id),
        ("WARC-Refers-To", &refers),
        ("WARC-Block-Digest", &digest),
    ];
    if !langs.is_empty() {
        headers.push(("WARC-Identified-Content-Language", &langs));
    }
    headers.extend([
        ("Content-Type", "text/plain"),
        ("Content-Length", &len),
        ("WARC-Payload-Digest", &digest),
    ]);
    warc::write_record(out, &headers, body);
}

/// A batch of consecutive records, raw and compressed, concatenated.
struct Batch {
    id: u64,
    raw: Vec<u8>,
    raw_ends: Vec<usize>,
    gz: Vec<u8>,
    gz_ends: Vec<usize>,
    emoji: Vec<u32>,
    emoji_counts: Vec<BTreeMap<&'static str, u32>>,
    text_bytes: Vec<usize>,
}

fn build_batch(corpus: &Corpus, id: u64, language: Option<&str>) -> Batch {
    let first = id * BATCH;
    let mut b = Batch {
        id,
        raw: Vec::with_capacity(BATCH as usize * 8 * 1024),
        raw_ends: Vec::with_capacity(BATCH as usize),
        gz: Vec::with_capacity(BATCH as usize * 3 * 1024),
        gz_ends: Vec::with_capacity(BATCH as usize),
        emoji: Vec::with_capacity(BATCH as usize),
        emoji_counts: Vec::with_capacity(BATCH as usize),
        text_bytes: Vec::with_capacity(BATCH as usize),
    };
    for index in first..first + BATCH {
        // Common Crawl converts only successful HTML responses: redirects, errors, PDFs and
        // images of the crawl (see `crate::fetch`) have no WET record.
        if !Capture::of(corpus, index).in_wet() {
            continue;
        }
        let page = Page::generate(corpus, index);
        if language.is_some_and(|l| page.languages != [l]) {
            continue;
        }
        let start = b.raw.len();
        conversion_record(&page, &mut b.raw);
        b.raw_ends.push(b.raw.len());
        b.gz = gzip_member(&b.raw[start..], std::mem::take(&mut b.gz));
        b.gz_ends.push(b.gz.len());
        b.emoji.push(page.emoji);
        b.text_bytes.push(page.text.len());
        b.emoji_counts.push(page.emoji_counts);
    }
    b
}

/// Hashes and counts what is written through it.
struct CountingWriter<W: Write> {
    inner: W,
    bytes: u64,
    sha: Sha256,
}

impl<W: Write> CountingWriter<W> {
    fn put(&mut self, data: &[u8]) -> io::Result<()> {
        self.inner.write_all(data)?;
        self.sha.update(data);
        self.bytes += data.len() as u64;
        Ok(())
    }
}

/// Generates the WET file for `spec` into `out`, returning its summary. See the module docs.
pub fn write_wet<W: Write>(
    spec: &WetSpec,
    out: W,
    mut opts: WriteOptions<'_>,
) -> io::Result<WetReport> {
    if !(0.0..=MAX_EMOJI_PER_MB).contains(&spec.emoji_per_mb) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "emoji_per_mb must be between 0 and {MAX_EMOJI_PER_MB}, not {}",
                spec.emoji_per_mb
            ),
        ));
    }
    let corpus = spec.corpus();
    let mut out = CountingWriter {
        inner: out,
        bytes: 0,
        sha: Sha256::new(),
    };
    let mut raw_sha = Sha256::new();
    let mut raw_bytes = 0u64;
    let mut members = 0u64;
    let mut pages = 0u64;
    let mut emoji = 0u64;
    let mut text_bytes = 0u64;
    let mut emoji_summary = EmojiSummary::default();
    let mut index = opts.member_index.then(Vec::new);

    let mut info = Vec::new();
    warcinfo_record(spec, &mut info);
    raw_sha.update(&info);
    raw_bytes += info.len() as u64;
    let gz = gzip_member(&info, Vec::new());
    if let Some(ix) = index.as_mut() {
        ix.push((out.bytes, gz.len() as u64));
    }
    out.put(&gz)?;
    members += 1;

    let threads = if opts.threads == 0 {
        std::thread::available_parallelism()
            .map_or(2, |n| n.get())
            .min(16)
    } else {
        opts.threads
    };
    let stop = AtomicBool::new(raw_bytes >= spec.target_bytes);
    let next = AtomicU64::new(0);
    let result: io::Result<()> = std::thread::scope(|scope| {
        let (tx, rx) = mpsc::sync_channel::<Batch>(threads * 2);
        for t in 0..threads {
            let tx = tx.clone();
            let (stop, next, corpus) = (&stop, &next, &corpus);
            let language = spec.language.as_deref();
            scope.spawn(move || {
                // Build the per-language vocabularies up front, split across the workers.
                for lang in (t..crate::text::LANGUAGES.len()).step_by(threads) {
                    crate::text::vocab(lang);
                }
                while !stop.load(Ordering::Relaxed) {
                    let id = next.fetch_add(1, Ordering::Relaxed);
                    if tx.send(build_batch(corpus, id, language)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut pending: BTreeMap<u64, Batch> = BTreeMap::new();
        let mut want = 0u64;
        let mut outcome = Ok(());
        'outer: while !stop.load(Ordering::Relaxed) {
            let Ok(batch) = rx.recv() else { break };
            pending.insert(batch.id, batch);
            while let Some(b) = pending.remove(&want) {
                want += 1;
                let (mut r0, mut g0) = (0, 0);
                for k in 0..b.raw_ends.len() {
                    let (r1, g1) = (b.raw_ends[k], b.gz_ends[k]);
                    raw_sha.update(&b.raw[r0..r1]);
                    raw_bytes += (r1 - r0) as u64;
                    if let Some(ix) = index.as_mut() {
                        ix.push((out.bytes, (g1 - g0) as u64));
                    }
                    if let Err(e) = out.put(&b.gz[g0..g1]) {
                        outcome = Err(e);
                        stop.store(true, Ordering::Relaxed);
                        break 'outer;
                    }
                    members += 1;
                    pages += 1;
                    // Only the pages written count: the file stops at the target size.
                    emoji += b.emoji[k] as u64;
                    text_bytes += b.text_bytes[k] as u64;
                    emoji_summary.add(&b.emoji_counts[k]);
                    (r0, g0) = (r1, g1);
                    if raw_bytes >= spec.target_bytes {
                        stop.store(true, Ordering::Relaxed);
                        break 'outer;
                    }
                }
                if let Some(p) = opts.progress.as_mut() {
                    p(raw_bytes, spec.target_bytes);
                }
            }
        }
        if let Some(p) = opts.progress.as_mut() {
            p(raw_bytes.min(spec.target_bytes), spec.target_bytes);
        }
        // Dropping the receiver unblocks workers waiting to send; the scope then joins them.
        drop(rx);
        outcome
    });
    result?;
    out.inner.flush()?;
    Ok(WetReport {
        summary: DecompressSummary {
            members,
            bytes: raw_bytes,
            sha256: hex(&raw_sha.finalize()),
        },
        compressed_bytes: out.bytes,
        compressed_sha256: hex(&out.sha.finalize()),
        pages,
        emoji,
        text_bytes,
        emoji_summary,
        member_index: index,
    })
}

/// Generates into memory (for tests and small specs).
pub fn generate_wet(spec: &WetSpec) -> (Vec<u8>, WetReport) {
    let mut buf = Vec::new();
    let report =
        write_wet(spec, &mut buf, WriteOptions::default()).expect("writing to a Vec cannot fail");
    (buf, report)
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}
