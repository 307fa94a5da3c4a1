"""The ``emoji`` task: count RGI emoji in web text, leftmost-longest.

Every tier is a function ``count(data: bytes) -> (counts, replacements)``:

* ``data`` is UTF-8 text (the plain text of WET records, or any file). It is decoded with
  each invalid sequence replaced by one U+FFFD per maximal subpart (Python's
  ``errors="replace"``, Rust's ``String::from_utf8_lossy``). Invalid UTF-8 is not an error.
* An emoji is an element of ``RGI_Emoji`` of Unicode Emoji ``EMOJI_VERSION`` (the set of
  ``rgi.py``, written once by the harness; every tier loads that same file).
* Matching is **leftmost-longest over code points**: scan left to right; at each position
  take the longest RGI sequence that starts there and continue after it, else move one code
  point on. So a family ZWJ sequence counts once, U+2764 without U+FE0F does not count, a lone
  skin-tone modifier does (it is Basic_Emoji), and ``#`` only counts as the keycap ``#️⃣``.
* ``counts``: a dict emoji -> number of matches (only emoji that occur); ``replacements``:
  how many U+FFFD the decoding produced (a U+FFFD already in the input does not count), or
  ``None`` for a variant given ``str`` (the decoding happened before it was called).

Summary (what is compared between tiers): ``emoji_version``, ``total``, ``distinct``,
``replacements`` and ``counts`` (sorted by code point). An empty input gives total 0.

Variants with the option ``input`` receive, for every call, a fresh object made from the
input by the function of that name here (``as_str``), outside the timing: a new ``str``
each time, so CPython's cached UTF-8 of a ``str`` never flatters a variant. Variants given
``bytes`` get the same object every call, as the Rust tier reads the same buffer (a fresh
16 MB copy before each call changes what the cache holds: measured, it cost the pyo3 tier
7-33% against rust on the 16 MB inputs, most on English text).
Variants with ``known_mismatch`` follow other rules by design (the reason says which); the
harness runs them and reports their differences instead of timing them.
"""
import os
import re
from pathlib import Path

from .rgi import EMOJI_VERSION, parse

SET_FILE = Path(os.environ.get("GLUEBENCH_EMOJI_SET")
                or Path(__file__).resolve().parents[2] / ".venv/gluebench/rgi-emoji.txt")

_set = None


def emoji_set():
    """(emoji_version, sorted list of sequences): the harness's set file, the one every tier
    loads. Written here from the pinned package if the harness has not written it yet."""
    global _set
    if _set is None:
        if not SET_FILE.exists():
            from . import rgi
            SET_FILE.parent.mkdir(parents=True, exist_ok=True)
            rgi.main(["rgi", str(SET_FILE)])
        _set = parse(SET_FILE.read_text(encoding="ascii"))
    return _set


def sequences():
    return emoji_set()[1]


def start_class():
    """A character class (for ``re`` and ``regex``) holding the first code point of every RGI
    sequence that is not a keycap: the BMP ones exactly, consecutive code points as ranges, and
    U+1F000..U+1FAFF as one range (``sre`` checks a class's non-BMP members one by one, for every
    character it scans). A candidate for a match starts on one of these or on a keycap's ASCII."""
    seqs = sequences()
    first = {s[0] for s in seqs if not s[0].isascii()}
    assert all("\U0001F000" <= c <= "\U0001FAFF" for c in first if c > "\uffff"), "a first code point off the range"
    return f"[{char_ranges(c for c in first if c <= chr(0xFFFF))}\U0001F000-\U0001FAFF]"


def char_ranges(chars):
    """A character class's body for ``chars``, consecutive code points as ranges."""
    runs = []
    for cp in sorted(map(ord, chars)):
        if runs and runs[-1][1] == cp - 1:
            runs[-1][1] = cp
        else:
            runs.append([cp, cp])
    return "".join(re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "") for a, b in runs)


def decode(data):
    """``data`` decoded with U+FFFD replacement, and how many replacements that made."""
    text = data.decode("utf-8", "replace")
    return text, text.count("\ufffd") - data.count(b"\xef\xbf\xbd")


def utf8_chunks(data, chunk=1 << 14):
    """``(start, end, text, replacements)`` for each chunk of ``data`` that is not ASCII:
    ``text`` is the chunk as valid UTF-8 (the chunk itself unless decoding replaced something).
    Chunks of about ``chunk`` bytes end after a newline, which no invalid sequence spans, so the
    replacements add up to those of decoding the whole; ASCII chunks need no decoding at all,
    and no one big ``str`` is built (a single emoji makes that 4 bytes per character)."""
    pos, n, find = 0, len(data), data.find
    while pos < n:
        end = find(b"\n", pos + chunk) + 1 or n
        piece = data[pos:end]
        if not piece.isascii():
            text = piece.decode("utf-8", "replace")
            bad = text.count("\ufffd") - piece.count(b"\xef\xbf\xbd")
            yield pos, end, (text.encode() if bad else piece), bad
        pos = end


def utf8(data):
    """``data`` as valid UTF-8 bytes (``data`` itself unless decoding replaced something) and
    the number of replacements: for a tier that matches bytes, twice as fast as ``decode``."""
    out, last, replacements = [], 0, 0
    for start, end, text, bad in utf8_chunks(data):
        if bad:
            out += (data[last:start], text)
            last, replacements = end, replacements + bad
    if not replacements:
        return data, 0
    out.append(data[last:])
    return b"".join(out), replacements


def split_at_newline(data):
    """Where to cut ``data`` in two parts that can be counted alone: just after the newline
    nearest the middle (no sequence and no invalid UTF-8 subpart spans a newline, so the parts'
    counts and replacements add up to the whole's); ``len(data)`` without a newline. The same
    cut as ``rust_impls::emoji::split_at_newline``."""
    mid = len(data) // 2
    before, after = data.rfind(b"\n", 0, mid), data.find(b"\n", mid)
    if before >= 0 and (after < 0 or mid - before <= after - mid):
        return before + 1
    return after + 1 if after >= 0 else len(data)


def merge(parts):
    """The ``(counts, replacements)`` of a whole from those of its parts."""
    counts, replacements = {}, 0
    for part_counts, part_replacements in parts:
        for e, n in part_counts.items():
            counts[e] = counts.get(e, 0) + n
        replacements += part_replacements
    return counts, replacements


def load(path):
    with open(path, "rb") as f:
        return f.read()


def as_str(data):
    """A new ``str``: the input decoded with replacement."""
    return data.decode("utf-8", "replace")


def summarize(result):
    counts, replacements = result
    counts = {e: n for e, n in sorted(counts.items()) if n}
    return {"emoji_version": emoji_set()[0], "total": sum(counts.values()), "distinct": len(counts),
            "replacements": replacements, "counts": counts}


# The tiers as (variant, "module:function", options), the tier's pick first.
VARIANTS = {
    "pure": [
        ("dict-trie", "pure:count", {"small": True}),
        ("dict-trie-2threads", "pure:count_2threads", {"small": True}),
    ],
    "naive": [("slice-lookup", "naive:count", {"small": True})],
    "hotpath": [
        ("re-utf8-clusters", "hotpath:count", {}),
        ("re-clusters", "hotpath:count_clusters", {}),
        ("re-search+trie", "hotpath:count_search", {}),
    ],
    "ecosystem": [
        ("ahocorasick_rs-bytes", "ecosystem:count", {}),
        ("ahocorasick_rs-str", "ecosystem:count_str", {}),
        ("pyahocorasick-utf8", "ecosystem:count_pyahocorasick", {}),
        ("pyahocorasick-str", "ecosystem:count_pyahocorasick_str", {"small": True}),
        ("regex-named-list", "ecosystem:count_regex", {"small": True}),
        ("emoji.emoji_list", "ecosystem:count_emoji", {"small": True, "known_mismatch": (
            "its own, larger set (unqualified and minimally-qualified emoji such as a lone U+2764"
            " or U+00A9, Emoji 18.0) and no fallback to a shorter match")}),
        ("emoji.emoji_list-rgi-only", "ecosystem:count_emoji_rgi", {"small": True, "known_mismatch": (
            "longest match in its larger set, no fallback: a non-RGI match hides the RGI emoji"
            " in it (U+1F3F3 ZWJ U+1F308 counts no rainbow)")}),
    ],
    "pyo3": [
        ("scanner-bytes", "pyo3:count", {}),
        ("scanner-bytes-2threads", "pyo3:count_2threads", {}),
        ("scanner-str", "pyo3:count_str", {"input": "as_str"}),
        ("import-hook", "pyo3_hook:count", {}),
    ],
}
