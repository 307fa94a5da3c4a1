"""ecosystem: Aho-Corasick from PyPI, and the ``emoji`` package, measured.

``ahocorasick_rs`` (the Rust ``aho-corasick`` crate) has the task's rule built in:
``MatchKind.LeftmostLongest``, non-overlapping. The pick gives it the UTF-8 bytes, which are
the input itself unless decoding replaced something (``utf8`` checks them chunk by chunk,
twice as fast as one ``decode`` of the whole): on valid UTF-8 the byte-wise
leftmost-longest matches are the code-point-wise ones (a pattern starts on a lead byte and
ends on a whole character). The ``str`` variant does the same on the decoded text, which the
library has to encode to UTF-8 again. Both use its DFA, the fastest of its automata here.

``pyahocorasick``'s ``iter_long`` is leftmost-longest too. Its trie looks a character up
among a node's children one by one, and on the decoded text the root has 1,438 of them, so
it crawls (about 1.5 MB/s); given the UTF-8 bytes as a latin-1 ``str`` (one character per
byte: 16 children at the root, at most 64 below) it is some 30 times faster, with the same
matches as on the bytes.

The ``regex`` package matches a *named list* (``\\L<name>``, a set of strings) longest
first; a lookahead of the package's candidate class (``start_class``) keeps it from trying
every position.

The ``emoji`` package (which the set file itself comes from) follows its own rules, so it is
kept as a known mismatch: see ``VARIANTS``.
"""
from collections import Counter

import ahocorasick
import ahocorasick_rs
import emoji
import regex

from . import decode, sequences, start_class, utf8

SEQS = sequences()
EMOJI = frozenset(SEQS)

_LONGEST = ahocorasick_rs.MatchKind.LeftmostLongest
_DFA = ahocorasick_rs.Implementation.DFA
_AC_BYTES = ahocorasick_rs.BytesAhoCorasick([s.encode() for s in SEQS], matchkind=_LONGEST,
                                            implementation=_DFA)
_AC_STR = ahocorasick_rs.AhoCorasick(SEQS, matchkind=_LONGEST, implementation=_DFA,
                                     store_patterns=True)


def count(data):
    raw, replacements = utf8(data)
    found = Counter(i for i, _, _ in _AC_BYTES.find_matches_as_indexes(raw))
    return {SEQS[i]: n for i, n in found.items()}, replacements


def count_str(data):
    text, replacements = decode(data)
    return dict(Counter(_AC_STR.find_matches_as_strings(text))), replacements


def _automaton(keys):
    a = ahocorasick.Automaton()
    for i, key in enumerate(keys):
        a.add_word(key, i)
    a.make_automaton()
    return a


_PY_BYTES = _automaton(s.encode().decode("latin-1") for s in SEQS)
_PY_STR = _automaton(SEQS)


def count_pyahocorasick(data):
    raw, replacements = utf8(data)
    found = Counter(i for _, i in _PY_BYTES.iter_long(raw.decode("latin-1")))
    return {SEQS[i]: n for i, n in found.items()}, replacements


def count_pyahocorasick_str(data):
    text, replacements = decode(data)
    found = Counter(i for _, i in _PY_STR.iter_long(text))
    return {SEQS[i]: n for i, n in found.items()}, replacements


_NAMED_LIST = regex.compile(rf"(?={start_class()}|[#*0-9]\ufe0f)\L<emoji>", emoji=SEQS)


def count_regex(data):
    text, replacements = decode(data)
    return dict(Counter(_NAMED_LIST.findall(text))), replacements


def count_emoji(data):
    """``emoji.emoji_list``: the library's own matching, over its own, larger set."""
    text, replacements = decode(data)
    return dict(Counter(m["emoji"] for m in emoji.emoji_list(text))), replacements


def count_emoji_rgi(data):
    """``emoji.emoji_list``, keeping only the matches that are RGI emoji: still not the rule."""
    text, replacements = decode(data)
    return dict(Counter(e for m in emoji.emoji_list(text) if (e := m["emoji"]) in EMOJI)), replacements
