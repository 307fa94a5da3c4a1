"""pyo3: the ``rust`` tier's own code (``rust_impls::decompress``) called from Python.

The input ``bytes`` are borrowed without a copy, the GIL is released while Rust
decodes, and the output comes back as a ``gluebench_rs.Buffer`` that exposes
Rust's ``Vec`` through the buffer protocol: no copy out either.
"""
import gluebench_rs

from . import GzipError


def decompress(data):
    return _call(gluebench_rs.decompress, data)


def decompress_flate2(data):
    return _call(gluebench_rs.decompress_flate2, data)


def decompress_miniz_oxide(data):
    return _call(gluebench_rs.decompress_miniz_oxide, data)


def _call(rust_fn, data):
    try:
        return rust_fn(data)
    except ValueError as e:  # raised by the bindings as (kind, offset, detail)
        raise GzipError(*e.args) from None
