//! Naive Rust: what anyone writes in their sleep, one function per task, each the default
//! usage of a crate or of std (rust-tier runner-ups, never picks). They answer "is Rust fast
//! by itself?": the picks are what careful Rust does, these are the first thing that compiles.
//!
//! They follow each task's bad-input rule exactly, with the task's own error types and
//! helpers, so `check` holds them to the same tests as every other variant.

use crate::decompress::{self, Decompressed, GzipError};
use crate::emoji::{self, Counter, Counts, EmojiSet};
use crate::json::{self, Cdxj, ErrorKind, JsonError, Wat};
use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::{BufRead, Read};

/// `decompress`: flate2's `MultiGzDecoder` and `read_to_end` into a `Vec` (the crate as this
/// workspace builds it, zlib-rs). It hides member boundaries, so `members` is unknown; and its
/// errors only say "invalid gzip header" or "corrupt deflate stream" (NUL padding after a
/// member is an invalid header to it), so input it rejects goes to the task's framed decoder,
/// which names the problem and its offset by the rule, or decodes the padded file.
pub fn decompress(input: &[u8]) -> Result<Decompressed, GzipError> {
    let mut data = Vec::new();
    match flate2::read::MultiGzDecoder::new(input).read_to_end(&mut data) {
        Ok(_) if !input.is_empty() => Ok(Decompressed {
            members: None,
            data,
        }),
        _ => decompress::decompress_flate2(input),
    }
}

/// `json/cdxj`: `BufRead::lines()` (a `String` per line), a `serde_json::Value` per line, and
/// `Value` indexing for the selection.
pub fn cdxj(data: &[u8]) -> Result<Cdxj<'static>, JsonError> {
    let mut out = Cdxj {
        lines: 0,
        records: Vec::new(),
    };
    for (number, line) in numbered_lines(data) {
        let line = line?;
        out.lines += 1;
        let record = json::parse_value(json::json_part(&line, number)?, number)?;
        if record["status"] == "200" && record["mime"] == "text/html" {
            let found = json::selected(&record, number)?;
            out.records.push(json::Selected {
                filename: Cow::Owned(found.filename.into_owned()),
                ..found
            });
        }
    }
    Ok(out)
}

/// `json/wat`: the same lines and `Value`s; the task's walk of the document for the counts.
pub fn wat(data: &[u8]) -> Result<Wat<'static>, JsonError> {
    let mut out = Wat {
        documents: 0,
        links: 0,
        servers: BTreeSet::new(),
    };
    for (number, line) in numbered_lines(data) {
        let doc = json::parse_value(&line?, number)?;
        out.documents += 1;
        let (links, server) = json::wat_counts(&doc, number)?;
        out.links += links;
        if let Some(server) = server {
            out.servers.insert(Cow::Owned(server.to_string()));
        }
    }
    Ok(out)
}

/// (1-based number, line) of the non-empty lines. `lines()` strips `\n` and a `\r` before it;
/// the task also strips a `\r` that ends the input.
fn numbered_lines(data: &[u8]) -> impl Iterator<Item = (u64, Result<String, JsonError>)> + '_ {
    let data = data.strip_suffix(b"\r").unwrap_or(data);
    data.lines()
        .zip(1..)
        .map(|(line, number)| {
            let line = line.map_err(|e| json::error(ErrorKind::InvalidUtf8, number, e.to_string()));
            (number, line)
        })
        .filter(|(_, line)| !matches!(line, Ok(l) if l.is_empty()))
}

/// `emoji`: the naive Python tier's algorithm. Decode lossily, collect the chars, and at each
/// position try every length from the longest sequence's down to 1, building a `String` per
/// try and looking it up in a `HashSet<String>`.
pub struct SliceLookup {
    emoji: HashSet<String>,
    longest: usize,
    sequences: Vec<String>,
}

impl SliceLookup {
    pub fn new(set: &EmojiSet) -> SliceLookup {
        SliceLookup {
            emoji: set.sequences.iter().cloned().collect(),
            longest: set
                .sequences
                .iter()
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0),
            sequences: set.sequences.clone(),
        }
    }
}

impl Counter for SliceLookup {
    fn count(&self, data: &[u8]) -> Counts {
        let text: Vec<char> = String::from_utf8_lossy(data).chars().collect();
        let mut counts: HashMap<String, u64> = HashMap::new();
        let mut i = 0;
        while i < text.len() {
            let mut step = 1;
            for n in (1..=self.longest.min(text.len() - i)).rev() {
                let slice: String = text[i..i + n].iter().collect();
                if self.emoji.contains(&slice) {
                    *counts.entry(slice).or_default() += 1;
                    step = n;
                    break;
                }
            }
            i += step;
        }
        Counts {
            per_sequence: self
                .sequences
                .iter()
                .map(|s| counts.get(s).copied().unwrap_or(0))
                .collect(),
            replacements: emoji::lossy_replacements(data),
        }
    }
}
