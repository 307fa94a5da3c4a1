"""naive: at each code point, try every slice from the longest sequence length down.

What anyone writes in their sleep: a ``set`` of the sequences and a ``while`` loop. Longest
first is what makes it leftmost-longest; the cost is up to ten slices and set lookups for
every character of the text, emoji or not.
"""
from collections import Counter

from . import decode, sequences

EMOJI = set(sequences())
LONGEST = max(map(len, EMOJI))


def count(data):
    text, replacements = decode(data)
    counts = Counter()
    i = 0
    while i < len(text):
        for n in range(min(LONGEST, len(text) - i), 0, -1):
            if text[i:i + n] in EMOJI:
                counts[text[i:i + n]] += 1
                i += n
                break
        else:
            i += 1
    return dict(counts), replacements
