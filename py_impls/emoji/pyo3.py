"""pyo3: the ``rust`` tier's own scanner (``rust_impls::emoji``) called from Python.

The counter is built once, at import, from the same set file; each call releases the GIL
while Rust scans and hands back only the nonzero counts. Two variants show where the glue
cost lives: ``count`` borrows the ``bytes`` as they are, while ``count_str`` is given a
``str``, which Rust can only read as UTF-8: CPython makes (and caches) that UTF-8 copy the
first time it is asked for unless the str is ASCII, and the harness hands a fresh str every
call, so the encoding is paid each time. A str variant cannot know the replacements: the
decoding that made them happened before it was called.

``count_2threads`` cuts the input at the newline nearest the middle and counts the two parts on
two Python threads at once (the GIL is released while Rust counts); ``count_range`` reads each
part in place, so no slice of the input is copied.
"""
from concurrent.futures import ThreadPoolExecutor

import gluebench_rs

from . import merge, sequences, split_at_newline

_counter = gluebench_rs.EmojiCounter(sequences(), "scanner")


def count(data):
    return _counter.count(data)


def count_str(text):
    return _counter.count_str(text), None


_pool = ThreadPoolExecutor(2)


def count_2threads(data):
    cut = split_at_newline(data)
    parts = (_pool.submit(_counter.count_range, data, 0, cut),
             _pool.submit(_counter.count_range, data, cut, len(data)))
    return merge(part.result() for part in parts)
