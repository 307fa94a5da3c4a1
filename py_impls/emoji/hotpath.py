"""hotpath: the standard library used the fast way: ``re`` finds the few places worth a look.

The pick works on UTF-8 bytes. Every RGI sequence starts with one of 1,426 non-ASCII code
points, whose UTF-8 forms begin with one of four lead bytes (``C2``, ``E2``, ``E3``,
``F0 9F``), or is one of the twelve keycaps ``[#*0-9] FE0F 20E3``. So there is one
compiled pattern per lead byte: that literal (``sre`` finds a literal prefix with a tight
loop), the exact byte forms of the first code points after it, then the longest run of code
points that occur later in some sequence. Such a match, a *cluster*, holds every sequence
that starts in it: after its first code point a sequence has only code points of the run's
kind, and the run stops at none of them. Clusters are counted with ``Counter``, and each
distinct one is decoded and looked up once: a whole emoji, or (``🔥🔥🔥``, ``©``, a cut ZWJ
sequence) split leftmost-longest by ``longest``: one ``dict`` maps every prefix of a sequence
to whether it is a whole one, and a match grows a code point at a time while it is a prefix.
The keycaps, the only sequences with an ASCII code point, are counted with ``bytes.count``.

Decoding goes by chunks of about 16 KB ending at a newline (the package's ``utf8_chunks``):
ASCII chunks are skipped, the others are decoded only to count replacements, and when a chunk
has some its decoded text's UTF-8 is scanned instead of its bytes. Decoding 16 MB at once
builds one 4-byte-per-character ``str`` as soon as it holds one emoji, and runs at half the speed.

The two ``str`` variants scan the decoded text: ``count_clusters`` the same way with one
pattern (a ``str`` has no common prefix to find), and ``count_search``, the textbook one: jump
from candidate to candidate with ``search`` and take the ``longest`` match at each. Their
character class is the package's ``start_class``: the BMP first code points and
U+1F000..U+1FAFF as one range (0.25 MB/s with the exact class).

Measured and left out: ``findall`` of runs of non-ASCII characters, then a trie walk on each
(13-18 MB/s: in web text most such runs are words, not emoji), and one alternation of all
3,953 sequences, longest first (0.1 MB/s: ``sre`` tries them one by one at every position).
"""
import os
import re
from collections import Counter

from . import char_ranges, decode, sequences, start_class, utf8_chunks

SEQS = sequences()
EMOJI = frozenset(SEQS)
KEYCAPS = sorted(s for s in SEQS if s[0].isascii())
FIRST = {s[0] for s in SEQS} - {k[0] for k in KEYCAPS}
REST = {c for s in SEQS for c in s[1:]}
# What the shortcuts rely on; checked on the set file, whatever its version.
assert all(k[1:] == "\ufe0f\u20e3" for k in KEYCAPS), "a sequence with ASCII that is not a keycap"
assert not any(c.isascii() for c in FIRST | REST), "ASCII inside a sequence"


def _utf8(chars):
    """A bytes pattern matching the UTF-8 form of exactly one of ``chars``, their common
    leading bytes as a literal prefix."""
    forms = sorted(c.encode() for c in chars)
    common = os.path.commonprefix([f[:-1] for f in forms])
    lasts = {}
    for f in forms:
        lasts.setdefault(f[len(common):-1], bytearray()).append(f[-1])
    return re.escape(common) + b"(?:" + b"|".join(
        re.escape(middle) + b"[" + b"".join(re.escape(bytes([b])) for b in last) + b"]"
        for middle, last in lasts.items()) + b")"


def _by_lead(chars):
    groups = {}
    for c in chars:
        groups.setdefault(c.encode()[0], set()).add(c)
    return [groups[lead] for lead in sorted(groups)]


_REST_RUN = b"(?:" + b"|".join(_utf8(g) for g in _by_lead(REST)) + b")*"
PASSES = [re.compile(_utf8(g) + _REST_RUN).finditer for g in _by_lead(FIRST)]
KEYCAP_BYTES = [k.encode() for k in KEYCAPS]


# Every prefix of a sequence -> whether it is a whole sequence (a shorter prefix of a longer
# one may be: 🏴 is, 🏴 with two tag characters is not).
PREFIXES = {s[:k]: False for s in SEQS for k in range(1, len(s))} | dict.fromkeys(SEQS, True)


def longest(text, i, n):
    """The end of the longest sequence starting at ``text[i]``, or 0 if none does."""
    end, j = 0, i + 1
    while j <= n:
        whole = PREFIXES.get(text[i:j])
        if whole is None:
            break
        if whole:
            end = j
        j += 1
    return end


def split(cluster):
    """The sequences of ``cluster``, leftmost-longest."""
    found, i, n = [], 0, len(cluster)
    while i < n:
        end = longest(cluster, i, n)
        if end:
            found.append(cluster[i:end])
            i = end
        else:
            i += 1
    return found


def _tally(clusters, counts):
    for cluster, n in clusters.items():
        if isinstance(cluster, bytes):
            cluster = cluster.decode()
        for e in (cluster,) if cluster in EMOJI else split(cluster):
            counts[e] = counts.get(e, 0) + n
    return counts


def _keycaps(text, keycaps, counts):
    if keycaps[0][1:] in text:  # FE0F 20E3, as str or bytes: rare outside keycaps
        for k in keycaps:
            n = text.count(k)
            if n:
                k = k if isinstance(k, str) else k.decode()
                counts[k] = counts.get(k, 0) + n


def count(data):
    clusters, counts, replacements = Counter(), {}, 0
    for _, _, chunk, bad in utf8_chunks(data):
        replacements += bad
        spans = sorted(m.span() for finditer in PASSES for m in finditer(chunk))
        last = 0
        for start, stop in spans:  # skip a match inside an earlier one: the ♂ of 🏃‍♂️
            if start >= last:
                clusters[chunk[start:stop]] += 1
                last = stop
        _keycaps(chunk, KEYCAP_BYTES, counts)
    return _tally(clusters, counts), replacements


# ------------------------------------------------------------------ the str variants

START_CLASS = start_class()
_CLUSTER = re.compile(f"{START_CLASS}[{char_ranges(REST)}]*")
_CANDIDATE = re.compile(START_CLASS)


def count_clusters(data):
    text, replacements = decode(data)
    counts = _tally(Counter(_CLUSTER.findall(text)), {})
    _keycaps(text, KEYCAPS, counts)
    return counts, replacements


def count_search(data):
    text, replacements = decode(data)
    counts, n, search = {}, len(text), _CANDIDATE.search
    m = search(text)
    while m:
        i = m.start()
        end = longest(text, i, n)
        if end:
            e = text[i:end]
            counts[e] = counts.get(e, 0) + 1
        m = search(text, end or i + 1)
    _keycaps(text, KEYCAPS, counts)
    return counts, replacements
