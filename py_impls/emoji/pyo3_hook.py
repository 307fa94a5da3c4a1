"""pyo3, ``import-hook``: the essay's own glue path, a lone ``.rs`` file imported from Python.

``standalone.rs`` is the task's Rust core in one file (a byte trie behind an ASCII skip, pyo3
its only dependency), imported through maturin_import_hook in release mode (see ``hook.py``:
the build lives in ``target/maturin_import_hook/``; the first import in a fresh checkout, or
after an edit, compiles it). The counter is built once, at import, from the same set file as
every tier; each call borrows the ``bytes``, releases the GIL while Rust scans and hands back
the nonzero counts and the replacements, as the ``scanner-bytes`` variant does.
``python -m py_impls.glue.import_hook`` times the import itself.
"""
from . import hook, sequences

_counter = hook.load().EmojiCounter(sequences())


def count(data):
    return _counter.count(data)
