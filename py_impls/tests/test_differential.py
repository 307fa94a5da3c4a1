"""Differential tests: Hypothesis generates inputs per task, and every variant that claims the
task's rule must return what the task's reference returns, or fail with the same error.

The pyo3 variants run the Rust tier's code (``rust_impls``), so Python and Rust are held to
each other here; ``rust_impls/tests/differential.rs`` (proptest) compares the Rust variants
among themselves, the AVX2 scanner against the portable one included.

``cargo test`` runs a bounded number of cases per task (the ``ci`` profile). A soak is one
command: ``HYPOTHESIS_PROFILE=soak .venv/bin/python -m pytest -q py_impls/tests/test_differential.py``
(``GLUEBENCH_SOAK_CASES`` sets its size, 2,000 per test by default). A counterexample Hypothesis
shrinks is added below as an ``@example``, so it is checked on every run from then on.
"""
import gzip
import importlib
import json
import os
import random
import struct
import zlib

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from py_impls import decompress, emoji, fetch
from py_impls import json as jsontask
from py_impls.tests.test_fetch_tiers import DATA as SERVED, plan, serve  # noqa: F401 (a fixture)

# The fetch test's server is a fixture of the test, shared by its examples on purpose.
HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture]
settings.register_profile(
    "ci", max_examples=40, deadline=None, derandomize=True, database=None,
    suppress_health_check=HEALTH)
settings.register_profile(
    "soak", max_examples=int(os.environ.get("GLUEBENCH_SOAK_CASES", "2000")), deadline=None,
    suppress_health_check=HEALTH)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def variants(package, entries):
    """Every variant's function (known mismatches excluded: they follow other rules by
    design), as (id, function, options)."""
    out = []
    for tier, listed in entries.items():
        for name, target, opts in listed:
            if "known_mismatch" in opts:
                continue
            module, _, func = target.partition(":")
            try:
                fn = getattr(importlib.import_module(f"py_impls.{package}.{module}"), func)
            except ImportError as e:
                if "gluebench_rs" not in str(e):
                    raise
                continue  # outside cargo test, the pyo3 module may not be built
            out.append((f"{tier}/{name}", fn, opts))
    return out


def outcome(fn, data, error):
    """What a call returned, or the (kind, position) of the task error it raised."""
    try:
        return "ok", fn(data)
    except error as e:
        return "error", (e.kind, e.offset)


# ---------------------------------------------------------------- json

# Field values as the rule sees them: the usual strings, and everything it must tell apart.
DIGITS = st.integers(0, 2**63 - 1).map(str)
ODD_NUMBERS = st.sampled_from(["", "007", "+5", "-1", "1e3", "12.0", " 12", "\u0661", "9" * 19,
                               "9223372036854775808", "0" * 30 + "5"])
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)  # no lone surrogates
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-2**63, 2**63 - 1),
                    st.floats(allow_nan=False, allow_infinity=False), TEXT)
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(TEXT, inner, max_size=3)), max_leaves=6)


def field(usual, odd):
    """A field: absent (None below), one of its usual values, an odd string, or any value."""
    return st.one_of(st.just(None), usual, odd, VALUES.filter(lambda v: v is not None))


@st.composite
def cdxj_lines(draw):
    record = {
        "url": "https://example.org/", "status": draw(field(st.sampled_from(["200", "404"]), TEXT)),
        "mime": draw(field(st.sampled_from(["text/html", "application/pdf"]), TEXT)),
        "filename": draw(field(st.just("crawl-data/x.warc.gz"), TEXT)),
        "offset": draw(field(DIGITS, ODD_NUMBERS)), "length": draw(field(DIGITS, ODD_NUMBERS)),
    }
    record = {k: v for k, v in record.items() if v is not None or draw(st.booleans())}
    record.update(draw(st.dictionaries(TEXT.filter(lambda k: k not in record), VALUES, max_size=2)))
    text = json.dumps(record, ensure_ascii=draw(st.booleans()),
                      separators=draw(st.sampled_from([(",", ":"), (", ", ": "), (" ,", " : ")])))
    line = f"org,example)/ 20240518015810 {text}".encode()
    damage = draw(st.sampled_from(["none"] * 6 + ["truncate", "no-json", "bad-utf8", "crlf", "empty"]))
    if damage == "truncate":
        line = line[:draw(st.integers(0, len(line) - 1))]
    elif damage == "no-json":
        line = b"org,example)/ 20240518015810"
    elif damage == "bad-utf8":
        at = draw(st.integers(0, len(line)))
        line = line[:at] + draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xf0\x9f"])) + line[at:]
    elif damage == "crlf":
        line += b"\r"
    elif damage == "empty":
        line = b""
    return line


@st.composite
def wat_docs(draw):
    headers = draw(st.one_of(st.none(), st.dictionaries(
        st.sampled_from(["Server", "server", "SERVER", "Date", "X-Server"]),
        st.one_of(TEXT, SCALARS), max_size=3)))
    links = draw(st.one_of(st.none(), st.lists(st.just({"url": "/a"}), max_size=4), VALUES))
    http = {"Headers": headers, "HTML-Metadata": draw(st.sampled_from(
        [{"Links": links}, None, "x", {"Head": {}}]))}
    doc = {"Envelope": {"Payload-Metadata": {"HTTP-Response-Metadata": http}}}
    # Break one level now and then: null, missing, or the wrong type.
    level = draw(st.sampled_from([None] * 4 + ["Envelope", "Payload-Metadata", "HTTP-Response-Metadata"]))
    if level:
        node = doc
        for key in ["Envelope", "Payload-Metadata", "HTTP-Response-Metadata"]:
            if key == level:
                node[key] = draw(st.sampled_from([None, 5, [], "x"]))
                break
            node = node[key]
    line = json.dumps(doc, ensure_ascii=draw(st.booleans())).encode()
    if draw(st.integers(0, 9)) == 0:
        line = line[:draw(st.integers(0, len(line) - 1))]
    return line


CDXJ = variants("json", jsontask.cdxj.VARIANTS)
WAT = variants("json", jsontask.wat.VARIANTS)


@pytest.mark.parametrize("vid,fn,opts", CDXJ, ids=[v[0] for v in CDXJ])
@given(lines=st.lists(cdxj_lines(), max_size=6))
@example(lines=[b'org,example)/ 20240518015810 {"status": "200", "mime": "text/html", '
                b'"filename": "f", "offset": "007", "length": "1"}'])
def test_json_cdxj_every_variant_agrees(vid, fn, opts, lines):
    data = b"\n".join(lines)
    want = outcome(lambda d: jsontask.cdxj_by_line(d, json.loads), data, jsontask.JsonTaskError)
    assert outcome(fn, data, jsontask.JsonTaskError) == want, data


@pytest.mark.parametrize("vid,fn,opts", WAT, ids=[v[0] for v in WAT])
@given(lines=st.lists(wat_docs(), max_size=5))
def test_json_wat_every_variant_agrees(vid, fn, opts, lines):
    data = b"\n".join(lines)
    want = outcome(lambda d: jsontask.wat_by_line(d, json.loads), data, jsontask.JsonTaskError)
    assert outcome(fn, data, jsontask.JsonTaskError) == want, data


# ---------------------------------------------------------------- emoji

SET = sorted(emoji.sequences())
# Pieces the scanners must tell apart: whole RGI emoji, the same cut short, the joiners and
# selectors alone, keycap bases, regional indicators, tags, other text, and invalid UTF-8.
PIECES = st.one_of(
    st.sampled_from(SET).map(str.encode),
    st.sampled_from(SET).flatmap(lambda s: st.integers(1, max(1, len(s) - 1)).map(lambda n: s[:n].encode())),
    st.sampled_from(["\u200d", "\ufe0f", "\ufe0e", "\u20e3", "#", "1", "*", "\U0001F1FA", "\U000E0067",
                     "\U000E007F", "\U0001F3FB", "\u2764", "\u00a9", "\ufffd"]).map(str.encode),
    st.text(max_size=8).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.sampled_from([b"\xff", b"\x80", b"\xc3", b"\xe2\x82", b"\xf0\x9f\x98", b"\xed\xa0\x80", b"\xc0\xaf"]),
    st.integers(1, 70).map(lambda n: b"a" * n),  # moves what follows across 64-byte blocks
)
EMOJI = [v for v in variants("emoji", emoji.VARIANTS)]


def emoji_outcome(fn, opts, data):
    arg = getattr(emoji, opts["input"])(data) if "input" in opts else data
    counts, replacements = fn(arg)
    counts = {e: n for e, n in counts.items() if n}
    return counts, (None if opts.get("input") == "as_str" else replacements)


@pytest.mark.parametrize("vid,fn,opts", EMOJI, ids=[v[0] for v in EMOJI])
@given(pieces=st.lists(PIECES, max_size=12))
def test_emoji_every_variant_agrees(vid, fn, opts, pieces):
    data = b"".join(pieces)
    reference = next(f for i, f, _ in EMOJI if i == "pure/dict-trie")
    counts, replacements = emoji_outcome(reference, {}, data)
    want = (counts, None if opts.get("input") == "as_str" else replacements)
    assert emoji_outcome(fn, opts, data) == want, data


# ---------------------------------------------------------------- decompress

FLAGS = {"FHCRC": 2, "FEXTRA": 4, "FNAME": 8, "FCOMMENT": 16}


@st.composite
def members(draw):
    """One gzip member written by hand: header flags, a deflate stream of any level (0 is
    stored blocks), CRC-32 and ISIZE."""
    body = draw(st.one_of(
        st.binary(max_size=300), st.integers(0, 5000).map(lambda n: b"ab" * n),
        # A member bigger than the loops' 64 KiB input slices: random bytes barely compress,
        # so the member itself crosses slice boundaries.
        st.tuples(st.integers(0, 2**32), st.integers(60_000, 150_000)).map(
            lambda t: random.Random(t[0]).randbytes(t[1])),
    ))
    flags = draw(st.sets(st.sampled_from(sorted(FLAGS) + ["reserved"])))
    header = b"\x1f\x8b\x08" + bytes([sum(FLAGS.get(f, 0x20) for f in flags)]) + b"\0\0\0\0\0\xff"
    if "FEXTRA" in flags:
        extra = draw(st.binary(max_size=8))
        header += struct.pack("<H", len(extra)) + extra
    if "FNAME" in flags:
        header += b"name.txt\0"
    if "FCOMMENT" in flags:
        header += b"a comment\0"
    if "FHCRC" in flags:
        header += struct.pack("<H", zlib.crc32(header) & 0xFFFF)
    level = draw(st.integers(0, 9))
    deflate = zlib.compressobj(level, zlib.DEFLATED, -15)
    data = deflate.compress(body) + deflate.flush()
    return header + data + struct.pack("<II", zlib.crc32(body), len(body) & 0xFFFFFFFF)


@st.composite
def gzip_files(draw):
    parts = draw(st.lists(st.one_of(members(), st.just(gzip.compress(b"", mtime=0))), min_size=1, max_size=4))
    data = b"".join(p + (b"\0" * draw(st.integers(0, 2)) if i < len(parts) - 1 else b"")
                    for i, p in enumerate(parts))
    damage = draw(st.sampled_from(["none"] * 4 + ["flip", "truncate", "garbage", "padding"]))
    if damage == "flip":
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1:]
    elif damage == "truncate":
        data = data[:draw(st.integers(0, len(data) - 1))]
    elif damage == "garbage":
        data += draw(st.binary(min_size=1, max_size=4).filter(lambda b: b[0] != 0))
    elif damage == "padding":
        data += b"\0" * draw(st.integers(1, 5))
    return data


DECOMPRESS = variants("decompress", decompress.VARIANTS)


def decompress_outcome(fn, data):
    kind, value = outcome(fn, data, decompress.GzipError)
    if kind == "ok":
        members, output = value
        return "ok", bytes(output)  # member counts are None where a library hides them
    return kind, value


def bad_header_crc(data):
    """Whether some member's header has FHCRC set and a CRC-16 that does not match."""
    pos = 0
    while (pos := data.find(b"\x1f\x8b\x08", pos)) >= 0:
        flags, end = data[pos + 3] if pos + 3 < len(data) else 0, pos + 10
        if flags & 2 and not flags & 0xE0:
            if flags & 4 and end + 2 <= len(data):
                end += 2 + (data[end] | data[end + 1] << 8)
            for flag in (8, 16):
                if flags & flag:
                    end = data.find(b"\0", end) + 1 or len(data)
            stored = data[end:end + 2]
            if len(stored) == 2 and zlib.crc32(data[pos:end]) & 0xFFFF != int.from_bytes(stored, "little"):
                return True
        pos += 1
    return False


def short_stray_tail(data, want):
    """Whether the input ends with fewer bytes than a gzip header (10) that start no member
    (``not-gzip`` there)."""
    kind, error = want
    return kind == "error" and error[0] == "not-gzip" and len(data) - error[1] < 10


def reserved_flags(data, want):
    """Whether some member's header has a reserved flag set (``corrupt`` by the rule)."""
    pos = 0
    while (pos := data.find(b"\x1f\x8b\x08", pos)) >= 0:
        if pos + 3 < len(data) and data[pos + 3] & 0xE0:
            return True
        pos += 1
    return False


def either(*deviations):
    return lambda data, want: any(d(data, want) for d in deviations)


# The documented deviations (py_impls/decompress/__init__.py): who, and on what input.
DEVIATIONS = {
    "naive/gzip.open": either(lambda data, want: bad_header_crc(data), reserved_flags),
    "naive/gzip.decompress": either(lambda data, want: bad_header_crc(data), reserved_flags),
    "ecosystem/isal-zlib-loop": either(lambda data, want: bad_header_crc(data), reserved_flags),
    "ecosystem/isal.igzip": either(short_stray_tail, reserved_flags),
    "ecosystem/zlib_ng.gzip_ng": either(short_stray_tail, reserved_flags),
    # Streaming miniz_oxide reads zeros before a member's first byte instead of failing on a
    # distance too far back, so that damage shows as the CRC-32's (found by the soak).
    "pyo3/miniz_oxide": lambda data, want: want[0] == "error" and want[1][0] == "corrupt",
}


@pytest.mark.parametrize("vid,fn,opts", DECOMPRESS, ids=[v[0] for v in DECOMPRESS])
@given(data=gzip_files())
@example(data=b"\x1f\x8b\x08\x03\x00\x00\x00\x00\x00\xff\x90\xc9\x01\x00\x00\xff\xff"
              b"\x00\x00\x00\x00\x00\x00\x00\x00")  # a wrong FHCRC (found by this test)
@example(data=b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff\x01\x00\x00\xff\xff"
              b"\x00\x00\x00\x00\x00\x00\x00\x00\x01")  # a stray byte (found by this test)
@example(data=b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xffKLJ\x1c\x85\xa3!0\x1a\x02\xa3!0\x1a\x02\xa0!0"
              b"\x1a\x02\xa3!0\x1a\x02\xc3 \x04\x00\x14\xe0s\xbd\xd8\t\x00\x00")  # distance too far back (soak)
def test_decompress_every_variant_agrees(vid, fn, opts, data):
    reference = next(f for i, f, _ in DECOMPRESS if i == "hotpath/zlib")
    kind, want = decompress_outcome(reference, data)
    if vid in DEVIATIONS and DEVIATIONS[vid](data, (kind, want)):
        if vid == "pyo3/miniz_oxide":  # only corrupt -> checksum at the same member
            got_kind, got = decompress_outcome(fn, data)
            assert (got_kind, got[0] if got_kind == "error" else None) in (
                ("error", "corrupt"), ("error", "checksum"), ("error", "truncated")), (data, got)
        return
    got_kind, got = decompress_outcome(fn, data)
    if kind == got_kind == "error" and "truncated" in (got[0], want[0]) and got[1] in (want[1], None):
        # Outside the rule (documented): a member both cut short and damaged is `truncated`
        # for one decoder and `corrupt` or `checksum` for another, by how far each reads.
        return
    if kind == "error" and got_kind == "error" and got[1] is None:
        # gzip-module tiers hide member offsets (documented): the kind must still agree.
        assert got[0] == want[0], (data, got, want)
        return
    assert (got_kind, got) == (kind, want), data


# ---------------------------------------------------------------- fetch

# Ranges of the served file (inclusive ends), of every shape the policy must tell apart: a
# byte, a run, the very end, past the end, overlapping ones. Never empty: the loaders reject a
# LENGTH of 0 before any tier runs (this test found that the tiers disagreed on it).
N = len(SERVED)
RANGES = st.one_of(
    st.integers(0, N - 1).map(lambda s: (s, s)),
    st.tuples(st.integers(0, N - 1), st.integers(1, 30_000)).map(lambda t: (t[0], min(t[0] + t[1], N - 1))),
    st.integers(1, 5_000).map(lambda n: (N - n, N - 1)),
    st.tuples(st.integers(N - 100, N + 100), st.integers(0, 200)).map(lambda t: (t[0], t[0] + t[1])),
)
FETCH = variants("fetch", fetch.VARIANTS)


def fetch_outcome(fn, ranges):
    try:
        return "ok", fn(plan(ranges, concurrency=4, timeout=5.0, retries=1))
    except fetch.FetchError as e:
        return "error", (e.kind, e.offset)


@pytest.mark.parametrize("vid,fn,opts", FETCH, ids=[v[0] for v in FETCH])
@settings(max_examples=min(settings().max_examples, 15))  # each example is a few requests per tier
@given(ranges=st.lists(RANGES, min_size=1, max_size=6))
def test_fetch_every_variant_agrees(vid, fn, opts, serve, ranges):
    url = serve.url if hasattr(serve, "url") else None
    if url is None:
        serve.url = url = serve() + "data.bin"
    ranges = [(url, start, end) for start, end in ranges]
    reference = next(f for i, f, _ in FETCH if i == "hotpath/http.client-threadpool")
    assert fetch_outcome(fn, ranges) == fetch_outcome(reference, ranges), ranges
