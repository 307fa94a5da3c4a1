"""pyo3: the ``rust`` tier's own scanner (``rust_impls::emoji``) called from Python.

The counter is built once, at import, from the same set file; each call releases the GIL
while Rust scans and hands back only the nonzero counts. Two variants show where the glue
cost lives: ``count`` borrows the ``bytes`` as they are, while ``count_str`` is given a
``str``, which Rust can only read as UTF-8: CPython makes (and caches) that UTF-8 copy the
first time it is asked for unless the str is ASCII, and the harness hands a fresh str every
call, so the encoding is paid each time. A str variant cannot know the replacements: the
decoding that made them happened before it was called.
"""
import gluebench_rs

from . import sequences

_counter = gluebench_rs.EmojiCounter(sequences(), "scanner")


def count(data):
    return _counter.count(data)


def count_str(text):
    return _counter.count_str(text), None
