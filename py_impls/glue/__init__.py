"""The ``glue/calls`` task: what one call across the Python/Rust boundary costs.

Every variant is a function ``calls(arg) -> int`` that makes ``CALLS`` (1,000) calls of one
tiny function and returns how many calls it made; the harness times the whole, so one timed
call is 1,000 calls (throughput unit: calls). The functions called:

* ``pure/py-call``: a no-op Python function (the interpreter's own call, the yardstick);
* ``pyo3/noop``: ``gluebench_rs.noop()``, a ``#[pyfunction]`` that does nothing;
* ``pyo3/bytes-arg``: ``gluebench_rs.bytes_len(data)``, Rust borrows the ``bytes`` as ``&[u8]``;
* ``pyo3/str-arg``: ``gluebench_rs.str_len(text)``, Rust borrows a ``str`` as ``&str``.

The ``rust`` tier makes the same calls natively (``rust_impls::glue``: ``noop`` and
``bytes-arg``, never inlined, called through ``std::hint::black_box``).

Input: the plain text of the dataset ``wet-1m`` (about 1 MB; a ``.gz`` is decompressed once,
outside any timing, as the ``emoji`` task does). The bytes-arg variants pass that whole buffer
on every call. The str-arg variant gets, for every timed call, a fresh ``str`` decoded from it
(the option ``input``: ``as_str``, made outside the timing): the text is not ASCII, so the first
of its 1,000 calls pays CPython's encoding of the ``str`` to UTF-8 (which CPython then caches on
the ``str``) and the other 999 borrow that cache. Its per-call cost is the call plus 1/1000 of
encoding 1 MB: the price of handing Rust a ``str`` once, spread over 1,000 calls.

Each variant that gets a length back checks every one against its argument's length (in
bytes; for the ``str``, its UTF-8 length, computed by ``as_str``) and raises ``GlueError``
(kind ``wrong-length``) otherwise.

Summary: ``{"calls": n}``, the calls made; the expected one is ``{"calls": 1000}``.
"""
import types

CALLS = 1000


class GlueError(Exception):
    """A call returned the wrong length: kind ``wrong-length``, no location."""

    kind, offset = "wrong-length", None


def wrong_length(got, want):
    return GlueError(f"wrong-length: a call returned {got}, expected {want}")


def load(path):
    with open(path, "rb") as f:
        return f.read()


def as_str(data):
    """A new ``str`` decoded from the input, and its length in UTF-8 bytes."""
    text = data.decode("utf-8", "replace")
    return text, len(text.encode("utf-8"))


def summarize(calls):
    return {"calls": calls}


# The tiers as (variant, "module:function", options), the tier's pick first.
calls = types.SimpleNamespace(load=load, summarize=summarize, as_str=as_str, VARIANTS={
    "pure": [("py-call", "pure:calls", {})],
    "pyo3": [
        ("noop", "pyo3:noop_calls", {}),
        ("bytes-arg", "pyo3:bytes_arg_calls", {}),
        ("str-arg", "pyo3:str_arg_calls", {"input": "as_str"}),
    ],
})
