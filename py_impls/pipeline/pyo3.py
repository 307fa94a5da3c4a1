"""pyo3: the ``rust`` tier's stages (``rust_impls::pipeline``) called from Python.

Python holds the job together and each stage is one call into Rust that releases the GIL for
the whole list: the index parsed by serde_json, the ranges fetched by reqwest (the fetch task's
pyo3 tier), the members inflated by libdeflate and handed back as ``Buffer``s that show only
each record's content block (no copy out), the blocks counted by the emoji scanner (borrowed,
no copy in). What crosses the glue is the records as small tuples, the bodies as ``bytes``, and
one integer per record.

``e2e-one-call`` runs the whole Rust pipeline in one call (``rust_impls::pipeline::run``): the
difference between the two is what Python's orchestration costs. ``e2e-2cores`` runs two
halves of the records on two threads, each through the same GIL-releasing calls.
"""
from concurrent.futures import ThreadPoolExecutor, wait

import gluebench_rs

from py_impls.decompress import GzipError
from py_impls.emoji import sequences
from py_impls.fetch import FetchError
from py_impls.fetch.pyo3 import fetch
from py_impls.json import JsonTaskError

from . import aggregate, at_record, plan_for, stage_variants, task_error

_counter = gluebench_rs.EmojiCounter(sequences(), "scanner")


def select(index):
    try:
        return gluebench_rs.pipeline_select(index)
    except ValueError as e:  # raised by the bindings as (kind, line, detail)
        raise JsonTaskError(*e.args) from None


def gunzip(members):
    try:
        return gluebench_rs.pipeline_gunzip(members)
    except ValueError as e:  # (kind, record, byte offset in its member, detail)
        kind, record, offset, detail = e.args
        raise at_record(GzipError(kind, offset, detail), record) from None


def emoji(blocks):
    return _counter.count_each(blocks)


def count_records(job, records, concurrency=None):
    """Fetch, gunzip and count some records."""
    return emoji(gunzip(fetch(plan_for(job, records, concurrency))))


def pipeline(job):
    records = select(job.index)
    return aggregate(records, count_records(job, records))


_pool = ThreadPoolExecutor(2)


def pipeline_2cores(job):
    records = select(job.index)
    cut, c = len(records) // 2, job.concurrency
    halves = (_pool.submit(count_records, job, records[:cut], max(1, c // 2)),
              _pool.submit(count_records, job, records[cut:], max(1, c - c // 2)))
    wait(halves)  # a tier waits for what it has started
    counts = halves[0].result()
    try:
        counts += halves[1].result()
    except (FetchError, GzipError) as e:
        raise at_record(e, cut + e.offset) from None
    return aggregate(records, counts)


_STAGES = {"index": JsonTaskError, "fetch": FetchError, "gunzip": GzipError}


def pipeline_one_call(job):
    try:
        return gluebench_rs.pipeline_run(job.index, job.base, job.concurrency, job.timeout,
                                         job.retries, _counter)
    except ValueError as e:  # (stage, kind, where, message)
        stage, kind, where, message = e.args
        raise task_error(_STAGES[stage], kind, where, message) from None


stage_index, stage_fetch, stage_gunzip, stage_emoji = stage_variants(select, fetch, gunzip, emoji)
