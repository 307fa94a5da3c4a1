"""pure: the interpreter alone, a per-character loop over a dict-of-dicts trie.

The trie is built once, at import, from the set file: one nested dict per code point, and the
key ``END`` marks a node where a whole sequence ends. At a candidate the walk goes as deep as
the text allows and remembers the last ``END`` it passed, so a prefix that is not itself an
emoji (🏴 followed by two tag characters, say) falls back to the longest one that is.

What keeps the loop short without leaving the language: no RGI sequence holds a line break
or a space, and every one has a non-ASCII code point. So the text is taken line by line, and
the lines that are not ASCII word by word (split at spaces); an ASCII line or word is skipped
whole (``str.isascii`` reads a flag the ``str`` already carries). In the words left, each
character costs one ``in`` on the trie's first level.

``count_2threads`` (a runner-up) counts the two halves of the input on two threads: under the
GIL only one runs at a time.
"""
from concurrent.futures import ThreadPoolExecutor

from . import decode, merge, sequences, split_at_newline

END = ""  # no code point is the empty string


def build_trie(seqs):
    root = {}
    for seq in seqs:
        node = root
        for c in seq:
            node = node.setdefault(c, {})
        node[END] = True
    return root


TRIE = build_trie(sequences())
assert not any(s.isascii() or "\n" in s or " " in s for s in sequences()), "the skips would be wrong"


def longest(text, i, n):
    """The end of the longest sequence starting at ``text[i]``, or 0 if none does."""
    node = TRIE.get(text[i])
    if node is None:
        return 0
    j = i + 1
    end = j if END in node else 0
    while j < n:
        node = node.get(text[j])
        if node is None:
            break
        j += 1
        if END in node:
            end = j
    return end


def count(data):
    text, replacements = decode(data)
    counts = {}
    for line in text.split("\n"):
        if not line.isascii():
            for word in line.split(" "):
                if not word.isascii():
                    _scan(word, counts)
    return counts, replacements


def _scan(word, counts, trie=TRIE):
    n = len(word)
    resume = 0  # the end of the last match: the characters before it are taken
    for i, c in enumerate(word):
        if c in trie and i >= resume:
            end = longest(word, i, n)
            if end:
                e = word[i:end]
                counts[e] = counts.get(e, 0) + 1
                resume = end


_pool = ThreadPoolExecutor(2)


def count_2threads(data):
    cut = split_at_newline(data)
    return merge(_pool.map(count, (data[:cut], data[cut:])))
