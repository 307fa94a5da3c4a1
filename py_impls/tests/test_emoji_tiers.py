"""Every Python variant of the ``emoji`` task against the task's rule (leftmost-longest RGI).

The expected results are written by hand (or, for the whole set, read off the set file), never
computed by a tier. A variant with ``known_mismatch`` is held to its claim instead: it must
differ from the rule on at least one case. ``tests/emoji.rs`` holds every tier, the Rust one
too, to the same rule end to end through ``check``.
"""
import importlib

import pytest

from py_impls import emoji as task

FAMILY = "\U0001F468\u200d\U0001F469\u200d\U0001F467\u200d\U0001F466"
SCOTLAND = "\U0001F3F4\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F"
KEYCAP = "#\ufe0f\u20e3"
GRIN = "\U0001F600"
MAN, WOMAN, ZWJ = "\U0001F468", "\U0001F469", "\u200d"

# name: (input, expected counts, expected replacements)
CASES = {
    "empty": (b"", {}, 0),
    "plain ASCII": (b"Hello, world! #1 * 0-9 :) <3\r\n\tok\n", {}, 0),
    "grinning face": (GRIN.encode(), {GRIN: 1}, 0),
    "family is one ZWJ sequence": (FAMILY.encode(), {FAMILY: 1}, 0),
    "U+2764 alone is not RGI": ("\u2764".encode(), {}, 0),
    "U+2764 U+FE0F is": ("a\u2764\ufe0fb".encode(), {"\u2764\ufe0f": 1}, 0),
    "lone skin tone": ("\U0001F3FB".encode(), {"\U0001F3FB": 1}, 0),
    "thumbs up with skin tone is one": ("\U0001F44D\U0001F3FD".encode(), {"\U0001F44D\U0001F3FD": 1}, 0),
    "ZWJ sequence cut at the end": ((MAN + ZWJ).encode(), {MAN: 1}, 0),
    "ZWJ sequence cut by another emoji": ((MAN + ZWJ + GRIN).encode(), {MAN: 1, GRIN: 1}, 0),
    "three regional indicators": ("\U0001F1FA\U0001F1F8\U0001F1E9".encode(), {"\U0001F1FA\U0001F1F8": 1}, 0),
    "five regional indicators": ("\U0001F1FA\U0001F1F8\U0001F1E9\U0001F1EA\U0001F1EB".encode(),
                                 {"\U0001F1FA\U0001F1F8": 1, "\U0001F1E9\U0001F1EA": 1}, 0),
    "keycap": (KEYCAP.encode(), {KEYCAP: 1}, 0),
    "keycap without FE0F is not RGI": ("#\u20e3".encode(), {}, 0),
    "two keycaps": ("1\ufe0f\u20e32\ufe0f\u20e3".encode(), {"1\ufe0f\u20e3": 1, "2\ufe0f\u20e3": 1}, 0),
    "digit FE0F is nothing": ("12\ufe0f".encode(), {}, 0),
    "tag sequence": (SCOTLAND.encode(), {SCOTLAND: 1}, 0),
    "tag sequence cut after two tags": (SCOTLAND[:3].encode(), {"\U0001F3F4": 1}, 0),
    "truncated 4-byte sequence": (b"\xf0\x9f\x98", {}, 1),
    "surrogate: three replacements": (b"\xed\xa0\x80", {}, 3),
    "invalid byte between emoji": (GRIN.encode() + b"\xff" + GRIN.encode(), {GRIN: 2}, 1),
    "invalid byte inside a ZWJ sequence": ((MAN + ZWJ).encode() + b"\xff" + (WOMAN + ZWJ + "\U0001F467").encode(),
                                           {MAN: 1, WOMAN + ZWJ + "\U0001F467": 1}, 1),
    "literal U+FFFD is no replacement": ("\ufffd".encode(), {}, 0),
    "literal U+FFFD and a replacement": ("\ufffd".encode() + b"\x80", {}, 1),
    "copyright sign alone is not RGI": ("\u00a9 2024 \u00a9\ufe0f".encode(), {"\u00a9\ufe0f": 1}, 0),
    "text presentation selector": ("\u263a\ufe0e \u263a\ufe0f".encode(), {"\u263a\ufe0f": 1}, 0),
}


def variants(mismatch=False):
    return [pytest.param(tier, target, opts, id=f"{tier}/{name}")
            for tier, entries in task.VARIANTS.items() for name, target, opts in entries
            if ("known_mismatch" in opts) == mismatch]


def load(tier, target):
    if tier == "pyo3":
        try:
            import gluebench_rs
        except ImportError:
            pytest.skip("gluebench_rs is not built: run `cargo test` (it bootstraps .venv)")
        if not hasattr(gluebench_rs, "EmojiCounter"):
            pytest.skip("this gluebench_rs has no EmojiCounter yet: rebuild it with `cargo test`")
    module, _, func = target.partition(":")
    return getattr(importlib.import_module(f"py_impls.emoji.{module}"), func)


def run(tier, target, opts, data):
    """(counts without zeros, replacements) of one call, the input made as the harness does."""
    arg = getattr(task, opts["input"])(data) if "input" in opts else data
    counts, replacements = load(tier, target)(arg)
    return {e: n for e, n in counts.items() if n}, replacements


def expect(opts, counts, replacements):
    return counts, (None if opts.get("input") == "as_str" else replacements)


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("tier,target,opts", variants())
def test_case(tier, target, opts, case):
    data, counts, replacements = CASES[case]
    assert run(tier, target, opts, data) == expect(opts, counts, replacements)


@pytest.mark.parametrize("tier,target,opts", variants())
def test_every_offset(tier, target, opts):
    astronaut = "\U0001F9D1\U0001F3FD\u200d\U0001F680"
    for k in range(71):
        data = b"." * k + astronaut.encode() + b"#" + KEYCAP.encode()
        assert run(tier, target, opts, data) == expect(opts, {astronaut: 1, KEYCAP: 1}, 0), k


@pytest.mark.parametrize("tier,target,opts", variants())
def test_every_sequence_once(tier, target, opts):
    seqs = task.sequences()
    assert len(seqs) == len(set(seqs)) > 3000
    data = " ".join(seqs).encode()
    assert run(tier, target, opts, data) == expect(opts, dict.fromkeys(seqs, 1), 0)


def size(opts, big, small):
    return small if opts.get("small") else big


@pytest.mark.parametrize("tier,target,opts", variants())
def test_a_long_single_line(tier, target, opts):
    unit = "The quick brown fox \u2014 \u201cquoted\u201d caf\u00e9 \u65e5\u672c\u8a9e \u00a9 " * 200 + "\U0001F1E9\U0001F1EA"
    n = size(opts, 350, 25)  # 350 units: 3.3 MB
    data = (unit * n).encode() + b"\xff" + "\u2764\ufe0f".encode()
    assert b"\n" not in data
    assert run(tier, target, opts, data) == expect(opts, {"\U0001F1E9\U0001F1EA": n, "\u2764\ufe0f": 1}, 1)


@pytest.mark.parametrize("tier,target,opts", variants())
def test_many_lines(tier, target, opts):
    n = size(opts, 20000, 2000)
    data = "".join("a" * (i % 97) + "\U0001F44D\U0001F3FD\n" + "\u00e9" * (i % 5) for i in range(n)).encode()
    assert run(tier, target, opts, data) == expect(opts, {"\U0001F44D\U0001F3FD": n}, 0)


@pytest.mark.parametrize("tier,target,opts", variants(mismatch=True))
def test_known_mismatch_still_differs(tier, target, opts):
    differ = [case for case, (data, counts, replacements) in CASES.items()
              if run(tier, target, opts, data) != expect(opts, counts, replacements)]
    assert differ, f"{target} now follows the rule on every case: drop its known_mismatch"


def test_options_are_the_known_ones():
    for entries in task.VARIANTS.values():
        for name, target, opts in entries:
            assert set(opts) <= {"small", "input", "known_mismatch"}, name
            assert opts.get("input") in (None, "as_str"), name


def test_summary_is_the_documented_shape():
    s = task.summarize(({"\u2764\ufe0f": 2, GRIN: 1, MAN: 0}, 1))
    assert (s["total"], s["distinct"], s["replacements"]) == (3, 2, 1)
    assert list(s["counts"]) == sorted([GRIN, "\u2764\ufe0f"])


def test_split_at_newline_cuts_as_the_rust_tier_does():
    # The same cases as rust_impls::emoji's two_threads_add_up_to_one.
    assert [task.split_at_newline(d) for d in (b"", b"no newline", b"a\nbcdefgh\nij", b"ab\nc\nef")] \
        == [0, 10, 10, 3]
