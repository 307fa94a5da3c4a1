"""pyo3: the ``rust`` tier's own client (``rust_impls::fetch``: reqwest on tokio) called from Python.

The whole plan crosses into Rust in one call, as a list of ``(url, start, end)`` tuples. Rust
then runs every request, ``plan.concurrency`` of them in flight on its own event loop, and
applies the task's retry and timeout policy; the GIL is released the whole time, so other
Python threads keep running while it waits on the network. The bodies come back as a list of
``bytes`` in plan order (one copy each, out of Rust's buffers).

A range that cannot be fetched raises ``gluebench_rs.FetchError``, whose attributes (``kind``,
``offset``: the range's index, ``url``, ``start``, ``end``, ``detail``) become the task's own
:class:`FetchError` here.
"""
import gluebench_rs

from . import FetchError


def fetch(plan):
    try:
        return gluebench_rs.fetch(plan.ranges, plan.concurrency, plan.timeout, plan.retries)
    except gluebench_rs.FetchError as e:
        raise FetchError(e.kind, e.offset, e.url, e.start, e.end, e.detail) from None
