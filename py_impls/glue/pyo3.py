"""pyo3: ``#[pyfunction]``s of ``gluebench_rs`` (over ``rust_impls::glue``), 1,000 calls each.

``noop`` costs the call alone; ``bytes_len`` adds borrowing a ``bytes`` as ``&[u8]`` (a pointer
and a length, no copy); ``str_len`` borrowing a ``str`` as ``&str``, which CPython can only lend
as UTF-8: a fresh non-ASCII ``str`` is encoded on the first call and the encoding cached on it.
"""
import gluebench_rs

from . import CALLS, wrong_length


def noop_calls(data):
    f, made = gluebench_rs.noop, 0
    for _ in range(CALLS):
        f()
        made += 1
    return made


def bytes_arg_calls(data):
    f, size, made = gluebench_rs.bytes_len, len(data), 0
    for _ in range(CALLS):
        if f(data) != size:
            raise wrong_length(f(data), size)
        made += 1
    return made


def str_arg_calls(arg):
    (text, size), f, made = arg, gluebench_rs.str_len, 0
    for _ in range(CALLS):
        if f(text) != size:
            raise wrong_length(f(text), size)
        made += 1
    return made
