//! The `emoji` task's Rust core as one stand-alone file, with pyo3 as its only dependency.
//!
//! Python imports it with `maturin_import_hook` (`py_impls/emoji/hook.py`), which makes a
//! Cargo project around this file, builds it with maturin and loads the module: no crate, no
//! wheel, no install step. The pyo3 tier's `gluebench_rs.EmojiCounter` is the same task built
//! the usual way; this file is deliberately the plain version (a byte trie and an 8-bytes-at-a-
//! time ASCII skip, like the rust tier's `swar-trie`), short enough to read in one go.
//!
//! The rules (see `py_impls/emoji/__init__.py`): the text is the input decoded with one U+FFFD
//! per maximal invalid subpart, each counted as a replacement; at each position the longest
//! RGI sequence that starts there is counted and the scan goes on after it, else it moves one
//! code point on.
//!
//! Matching needs no decoding. Every sequence is valid UTF-8 and starts with a byte that is
//! not a continuation byte; such a byte always starts a code point (or an invalid subpart) of
//! the decoded text, and from there the bytes of a sequence decode to exactly that sequence.
//! So the scan tries the trie at every such byte of the raw input, and only the replacement
//! count needs a UTF-8 validation (std's, a second pass).
//!
//! Usage from Python: `EmojiCounter(sequences).count(data: bytes) -> (dict, replacements)`,
//! the dict keyed by the caller's own `str` objects, only for the emoji that occur.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

const NONE: u32 = u32::MAX;

/// A trie node as stored in its parent's child table: its children are
/// `slots[base..base + span]`, one per byte `lo..lo + span` (unused bytes hold `LEAF`), and
/// `pattern` is the index of the sequence that ends here, or `NONE`.
#[derive(Clone, Copy)]
struct Node {
    base: u32,
    pattern: u32,
    lo: u8,
    span: u16,
}

const LEAF: Node = Node {
    base: 0,
    pattern: NONE,
    lo: 0,
    span: 0,
};

struct Trie {
    root: Node,
    slots: Vec<Node>,
}

impl Trie {
    /// `sequences` must be distinct, non-empty, and sorted by their bytes.
    fn new(sequences: &[(&[u8], u32)]) -> Trie {
        let mut slots = Vec::new();
        let root = Self::place(sequences, 0, &mut slots);
        Trie { root, slots }
    }

    /// The node for the `depth` bytes that all of `seqs` start with: the first one ends here
    /// if it is that short; the others are grouped by their next byte into the children.
    fn place(seqs: &[(&[u8], u32)], depth: usize, slots: &mut Vec<Node>) -> Node {
        let (pattern, rest) = match seqs.split_first() {
            Some((&(s, i), rest)) if s.len() == depth => (i, rest),
            _ => (NONE, seqs),
        };
        let (Some(first), Some(last)) = (rest.first(), rest.last()) else {
            return Node { pattern, ..LEAF };
        };
        let (lo, hi) = (first.0[depth], last.0[depth]);
        let base = slots.len();
        slots.resize(base + usize::from(hi - lo) + 1, LEAF);
        for group in rest.chunk_by(|a, b| a.0[depth] == b.0[depth]) {
            let child = Self::place(group, depth + 1, slots);
            slots[base + usize::from(group[0].0[depth] - lo)] = child;
        }
        Node {
            base: base as u32,
            pattern,
            lo,
            span: u16::from(hi - lo) + 1,
        }
    }

    /// The longest sequence that `data[start..]` starts with: (its index, where it ends).
    #[inline]
    fn longest(&self, data: &[u8], start: usize) -> Option<(u32, usize)> {
        let (mut node, mut best) = (self.root, None);
        for (j, &b) in data[start..].iter().enumerate() {
            let k = usize::from(b.wrapping_sub(node.lo));
            if k >= usize::from(node.span) {
                break;
            }
            node = self.slots[node.base as usize + k];
            if node.pattern != NONE {
                best = Some((node.pattern, start + j + 1));
            }
        }
        best
    }

    /// Counts the leftmost-longest matches in `data` into `counts` (indexed by pattern).
    ///
    /// Words of 8 ASCII bytes are skipped whole. The only sequences that start with ASCII are
    /// the keycaps (`#`, `*`, `0`-`9`, then U+FE0F U+20E3), whose second byte is not ASCII, so
    /// each non-ASCII byte first looks one byte back for one of them.
    fn scan(&self, data: &[u8], counts: &mut [u64]) {
        const HIGH: u64 = 0x8080_8080_8080_8080;
        let (mut i, mut resume) = (0, 0); // `resume`: where the last match ended
        while i < data.len() {
            if data.len() - i >= 8
                && u64::from_le_bytes(data[i..i + 8].try_into().unwrap()) & HIGH == 0
            {
                i += 8;
                continue;
            }
            let b = data[i];
            let mut found = None;
            if b >= 0x80 && i > resume && data[i - 1] < 0x80 {
                found = self.longest(data, i - 1);
            }
            if found.is_none() && b >= 0xc0 {
                found = self.longest(data, i);
            }
            match found {
                Some((pattern, end)) => {
                    counts[pattern as usize] += 1;
                    (i, resume) = (end, end);
                }
                None => i += 1,
            }
        }
    }
}

/// How many U+FFFD `String::from_utf8_lossy` would put in: one per maximal invalid subpart,
/// which is what `Utf8Error::error_len` measures (or the truncated rest, at the end).
fn replacements(mut data: &[u8]) -> u64 {
    let mut n = 0;
    while let Err(e) = std::str::from_utf8(data) {
        n += 1;
        let bad = e.error_len().unwrap_or(data.len() - e.valid_up_to());
        data = &data[e.valid_up_to() + bad..];
    }
    n
}

/// EmojiCounter(sequences: list[str]): the trie, built once for the set.
#[pyclass(frozen)]
struct EmojiCounter {
    trie: Trie,
    keys: Vec<Py<PyString>>,
}

#[pymethods]
impl EmojiCounter {
    #[new]
    fn new(sequences: Vec<Bound<'_, PyString>>) -> PyResult<Self> {
        let owned: Vec<String> = sequences
            .iter()
            .map(|s| s.to_str().map(str::to_owned))
            .collect::<PyResult<_>>()?;
        if let Some(bad) = owned
            .iter()
            .find(|s| s.is_empty() || s.contains('\u{fffd}'))
        {
            // U+FFFD in a sequence would have to match the replacements, which the scan of
            // the raw bytes does not see.
            return Err(PyValueError::new_err(format!(
                "cannot count the sequence {bad:?}"
            )));
        }
        let mut sorted: Vec<(&[u8], u32)> = owned
            .iter()
            .enumerate()
            .map(|(i, s)| (s.as_bytes(), i as u32))
            .collect();
        sorted.sort();
        sorted.dedup_by_key(|(s, _)| *s);
        Ok(EmojiCounter {
            trie: Trie::new(&sorted),
            keys: sequences.into_iter().map(Bound::unbind).collect(),
        })
    }

    /// count(data: bytes) -> ({emoji: count}, replacements). The bytes are borrowed, and the
    /// GIL is released while they are scanned.
    fn count<'py>(&self, py: Python<'py>, data: &[u8]) -> PyResult<(Bound<'py, PyDict>, u64)> {
        let (counts, bad) = py.detach(|| {
            let mut counts = vec![0u64; self.keys.len()];
            self.trie.scan(data, &mut counts);
            (counts, replacements(data))
        });
        let dict = PyDict::new(py);
        for (key, n) in self.keys.iter().zip(counts) {
            if n > 0 {
                dict.set_item(key.bind(py), n)?;
            }
        }
        Ok((dict, bad))
    }
}

#[pymodule]
fn standalone(m: &Bound<'_, PyModule>) -> PyResult<()> {
    // A debug build would be timed as if it were the real thing: the loader checks this.
    m.add("DEBUG_ASSERTIONS", cfg!(debug_assertions))?;
    m.add_class::<EmojiCounter>()
}
