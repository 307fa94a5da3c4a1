"""The ``pipeline`` task: one Common Crawl job, chaining the other tasks.

Read a CDXJ index, fetch every record it selects from the server, gunzip it, count the emoji in
its content block and add them up per language: what a real job over Common Crawl does, with
each stage one of gluebench's tasks. The harness starts the server (as for ``fetch``).

Stages, in order; each one's output is the next one's input (each tier composes *its own
tier's* implementations of the stages: the hotpath pipeline uses the hotpath fetch, decompress
and emoji code, and so on):

1. ``index``: the CDXJ index (``bytes``) -> the selected records. Parsed with the ``json/cdxj``
   task's rules and errors; a record is selected iff ``status == "200"`` and
   ``mime == "text/html"``. For each selected record, in index order:
   ``(path, offset, length, language)``, ``language`` being the first entry of the
   comma-separated ``languages`` field (see :func:`language_of`), else ``"unknown"``.
2. ``fetch``: the selected records -> their bodies, one gzip member each: every record's range
   from the server, with the ``fetch`` task's plan (:func:`plan_for`), policy and errors
   (``job.concurrency`` requests in flight).
3. ``gunzip``: the members -> the records' *content blocks*. Each member is decompressed (the
   ``decompress`` task's rules and errors) and cut after its WARC header block, i.e. after the
   first ``\\r\\n\\r\\n`` (:func:`content_block`: the HTTP headers and the body remain). The
   cut belongs here because a WARC reader does both at once (the ecosystem tier's FastWARC).
4. ``emoji``: the content blocks -> each record's number of RGI emoji (the ``emoji`` task's
   rules: UTF-8 with replacement, leftmost-longest).
5. ``aggregate``: emoji per language (:func:`aggregate`).

Result of a tier (``pipeline(job) -> (records, by_language)``): the number of selected records
and a dict language -> emoji total over its records, with every language of a selected record
present (0 when its records hold no emoji).

``job`` (:func:`load`) holds ``index`` (the index's bytes), ``base`` (the server's URL),
``root`` (the served directory) and the fetch parameters (``concurrency``, ``timeout``,
``retries``).

Errors: a stage that fails raises its task's error, with its kind; the pipeline adds none of
its own. Where it happened (``offset``): for ``index`` the 1-based line (``JsonTaskError``),
for ``fetch`` and ``gunzip`` the 0-based index of the record among the selected ones (a
``FetchError`` names its range in the plan, which is that index; a ``GzipError`` is relabelled
by :func:`per_record`, since the byte offset inside one member says little).

Stage variants (for the Amdahl breakdown) time one stage alone on its own input, made outside
the timing from the served files by :meth:`Job.stage_input`: ``stage-index`` (the index bytes),
``stage-fetch`` (the selected records), ``stage-gunzip`` (the members), ``stage-emoji`` (the
content blocks). A stage variant returns a :class:`StageResult` holding its stage's output;
``summarize`` finishes the job from it with the reference stages, outside the timing, so every
stage variant is still verified against the whole pipeline's expected result. The reference
stages are the stdlib's ``json`` and ``zlib`` and a textbook emoji matcher of this module (no
tier's code); an output equal to the next stage's reference input finishes as the reference
job, which is computed once per job (about 1.5 s for ``cdxj-1m``), so verifying a sample costs
a comparison.

The parallel variant ``e2e-2cores`` uses both cores the tier's idiomatic way. Python tiers
(:func:`two_cores`): the index is read in the calling process, then two worker processes each
fetch, gunzip and count one half of the selected records, with half of the job's concurrency
each (at least 1), and return per-record counts. The pool (``forkserver``: no fork of a process
that runs threads or an event loop) is made once per tier and process, on the first call, and
kept: the harness's first call (its ``prepare``, not one of the timed samples) pays for
starting it and importing the tier in both workers; the timed calls only send the records and
get the counts back. (As with any process pool, a script that calls these variants must guard
its top level with ``if __name__ == "__main__":``, since the workers import the main module.)
The pyo3 tier uses two threads around its GIL-releasing calls instead.

Summary: ``{"records": n, "emoji_total": sum, "by_language": {language: emoji, ...}}`` with
languages sorted.
"""
import concurrent.futures
import copyreg
import functools
import importlib
import multiprocessing
import os
import re
import types
import zlib

from py_impls import emoji as emoji_task
from py_impls import fetch as fetch_task
from py_impls.decompress import GzipError
from py_impls.json import JsonTaskError, json_part, parse_object, selected, text_lines

STAGES = ("index", "fetch", "gunzip", "emoji")


# ---------------------------------------------------------------- the rules, shared by the tiers

def content_block(record):
    """The bytes after the WARC header block of one decompressed record."""
    end = record.find(b"\r\n\r\n")
    return record[end + 4:] if end >= 0 else b""


def language_of(fields):
    """The first entry of a CDXJ record's ``languages`` (a comma-separated string), else
    ``"unknown"`` (missing, null, not a string, or empty)."""
    langs = fields.get("languages")
    if isinstance(langs, str) and langs:
        return langs.split(",")[0]
    return "unknown"


def select_record(fields, line):
    """The index stage's rule on one parsed CDXJ record: ``(path, offset, length, language)``,
    or ``None`` when it is not selected (the ``json/cdxj`` rule and errors)."""
    found = selected(fields, line)
    return found and (found[0], found[1], found[2], language_of(fields))


def select_lines(index, loads):
    """The index stage line by line with any JSON parser ``loads(str) -> object``: the naive
    and pure tiers' loop, and where the bulk fast paths hand input of an unusual shape."""
    out = []
    for number, line in text_lines(index):
        record = select_record(parse_object(loads, json_part(line, number), number), number)
        if record:
            out.append(record)
    return out


def plan_for(job, selected, concurrency=None):
    """A ``fetch`` plan for the selected records (``concurrency``: the job's by default)."""
    base = job.base.rstrip("/") + "/"
    return fetch_task.Plan(
        ranges=[(base + path, offset, offset + length - 1) for path, offset, length, _ in selected],
        concurrency=concurrency or job.concurrency, timeout=job.timeout, retries=job.retries)


def per_record(fn):
    """``fn`` over a list, one item (record) at a time: a task error raised for an item names
    that item's 0-based index as its offset (see the module docstring)."""
    @functools.wraps(fn)
    def each(items):
        out = []
        for i, item in enumerate(items):
            try:
                out.append(fn(item))
            except (GzipError, JsonTaskError, fetch_task.FetchError) as e:
                raise at_record(e, i) from None
        return out
    return each


def each_member(decompress):
    """The gunzip stage from a ``decompress`` tier's function (``data -> (members, bytes)``):
    each member inflated and cut to its record's content block; an error names its record."""
    @per_record
    def gunzip(member):
        return content_block(decompress(member)[1])
    return gunzip


def each_block(count):
    """The emoji stage from an ``emoji`` tier's function (``data -> (counts, replacements)``):
    each content block's emoji total."""
    def emoji(blocks):
        return [sum(count(block)[0].values()) for block in blocks]
    return emoji


def at_record(error, i):
    """``error`` relabelled as having happened at record ``i``."""
    error.offset = i
    error.args = (f"record {i}: {error.args[0] if error.args else ''}",)
    return error


def aggregate(selected, counts):
    """(records, {language: emoji}) from the selected records and each one's emoji count."""
    by_language = {}
    for (_, _, _, language), n in zip(selected, counts, strict=True):
        by_language[language] = by_language.get(language, 0) + n
    return len(selected), by_language


# ---------------------------------------------------------------- both cores (Python tiers)

def two_cores(job, select, counts):
    """The job on both cores: ``select`` reads the index here, then two worker processes each
    run ``counts(job, records) -> [emoji per record]`` (a module-level function of the tier,
    sent by reference) on one half of the selected records. Errors come back as the task's
    own, relabelled with the record's index in the whole job; the lower half's comes first."""
    chosen = select(job.index)
    cut = len(chosen) // 2
    c = job.concurrency
    parts = [(chosen[:cut], 0, max(1, c // 2)), (chosen[cut:], cut, max(1, c - c // 2))]
    pool = _pool(counts.__module__)
    futures = [pool.submit(_part, counts, _light(job, share), records, first)
               for records, first, share in parts]
    concurrent.futures.wait(futures)  # a tier waits for what it has started
    try:
        return aggregate(chosen, [n for f in futures for n in f.result()])
    except concurrent.futures.process.BrokenProcessPool:
        del _pools[counts.__module__]  # a worker died: the next call starts a new pool
        raise


def _light(job, concurrency):
    """What a worker needs of the job: the server and the fetch knobs, not the index."""
    return Job(base=job.base, root=job.root, concurrency=concurrency, timeout=job.timeout,
               retries=job.retries)


def _part(counts, job, records, first):
    try:
        return counts(job, records)
    except (GzipError, fetch_task.FetchError) as e:
        if first:
            e.offset += first
            e.args = (f"record {e.offset} (the second half starts at {first}): {e.args[0]}",)
        raise


_pools = {}


def _pool(module):
    """The two worker processes of one tier, started once per process (see the docstring)."""
    if module not in _pools:
        pool = concurrent.futures.ProcessPoolExecutor(
            2, mp_context=multiprocessing.get_context("forkserver"),
            initializer=importlib.import_module, initargs=(module,))
        concurrent.futures.wait([pool.submit(os.getpid) for _ in range(2)])  # both started
        _pools[module] = pool
    return _pools[module]


def task_error(cls, kind, offset, message):
    """An error of a task's class (``GzipError``, ...) with this kind, offset and message, as
    one reported from elsewhere (another process, Rust): its ``__init__`` would reword it."""
    return _rebuild(cls, (message,), {"kind": kind, "offset": offset, "detail": message})


def _rebuild(cls, args, state):
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


# The task errors cross from a worker process as they are (their __init__ takes other arguments
# than their args, so the default pickling could not rebuild them).
for _error in (GzipError, JsonTaskError, fetch_task.FetchError):
    copyreg.pickle(_error, lambda e: (_rebuild, (type(e), e.args, e.__dict__)))


# ---------------------------------------------------------------- the job and the harness's side

class Job(types.SimpleNamespace):
    """What every tier is handed (see the module docstring)."""

    def stage_input(self, stage):
        """The input of ``stage``, made by the reference stages from the served files (not
        over HTTP), cached: for the stage variants, outside the timing."""
        cache = self.__dict__.setdefault("_stage_inputs", {})
        if stage not in cache:
            cache[stage] = _reference_input(self, stage)
        return cache[stage]


class StageResult(types.SimpleNamespace):
    """What a stage variant returns: its ``stage`` name, its ``output`` and the ``job``."""


def job_variants(select, count_records, fetch, gunzip, emoji):
    """A tier's ``pipeline`` (``select`` the index, ``count_records(job, records)``, add up per
    language), its ``pipeline_2cores`` and its four stage variants (:func:`stage_variants`).
    ``select`` and ``count_records`` are the tier's module-level functions: the two-core
    variant sends them to its worker processes by reference."""
    def pipeline(job):
        records = select(job.index)
        return aggregate(records, count_records(job, records))

    def pipeline_2cores(job):
        return two_cores(job, select, count_records)

    return (pipeline, pipeline_2cores, *stage_variants(select, fetch, gunzip, emoji))


def stage_variants(select, fetch, gunzip, emoji):
    """The four stage variants of a tier, from its stage functions: ``select(index)``,
    ``fetch(plan)`` (the fetch task's signature), ``gunzip(members)``, ``emoji(blocks)``."""
    def variant(stage, run):
        def timed(job):
            return StageResult(job=job, stage=stage, output=run(job, job.stage_input(stage)))
        timed.__name__ = timed.__qualname__ = f"stage_{stage}"
        return timed
    return (variant("index", lambda job, index: select(index)),
            variant("fetch", lambda job, chosen: fetch(plan_for(job, chosen))),
            variant("gunzip", lambda job, members: gunzip(members)),
            variant("emoji", lambda job, blocks: emoji(blocks)))


def _reference_select(index):
    import json  # the reference index stage: the stdlib, line by line
    return select_lines(index, json.loads)


def _reference_input(job, stage):
    if stage == "index":
        return job.index
    if stage == "fetch":
        return job.selected
    members = [_read(job, path, offset, length) for path, offset, length, _ in job.selected]
    if stage == "gunzip":
        return members
    return [content_block(zlib.decompress(m, 31)) for m in members]


def _read(job, path, offset, length):
    with open(os.path.join(job.root, path), "rb") as f:
        f.seek(offset)
        return f.read(length)


def load(path, params=None):
    """``path``: the index as the harness hands it (one selected-or-not CDXJ line per record,
    ``filename`` rewritten to the served path); ``params``: the fixture's (``url``, ``root``,
    ``concurrency``, ``timeout_s``, ``retries``)."""
    params = params or {}
    with open(path, "rb") as f:
        index = f.read()
    job = Job(index=index, base=params.get("url", ""), root=params.get("root", "."),
              concurrency=int(params.get("concurrency", 1)),
              timeout=float(params.get("timeout_s", fetch_task.DEFAULT_TIMEOUT)),
              retries=int(params.get("retries", fetch_task.DEFAULT_RETRIES)))
    job.selected = _reference_select(index)
    return job


def finish(job, stage, output):
    """The whole pipeline's result from one stage's output, by the reference stages (outside
    the timing: ``summarize`` calls it). An output equal to the next stage's reference input
    finishes as the reference job does, which is computed once per job."""
    nxt = STAGES[STAGES.index(stage) + 1] if stage != "emoji" else None
    if nxt and _same(output, job.stage_input(nxt)):
        if "_reference_result" not in job.__dict__:
            counts = [_reference_emoji(block) for block in job.stage_input("emoji")]
            job._reference_result = aggregate(job.selected, counts)
        return job._reference_result
    chosen = job.selected
    if stage == "index":
        chosen, stage = output, "fetch"
        output = [_read(job, path, offset, length) for path, offset, length, _ in chosen]
    if stage == "fetch":
        stage, output = "gunzip", [content_block(zlib.decompress(bytes(m), 31)) for m in output]
    if stage == "gunzip":
        output = [_reference_emoji(block) for block in output]
    return aggregate(chosen, output)


def _same(output, reference):
    """Whether a stage's output equals a reference list item by item (records, or bytes-like
    objects: a ``memoryview`` compares a ``Buffer``'s bytes)."""
    def equal(a, b):
        return a == b or (isinstance(b, bytes) and not isinstance(a, (tuple, list))
                          and memoryview(a) == b)
    return len(output) == len(reference) and all(map(equal, output, reference))


_emoji_rule = None


def _reference_emoji(block):
    """The emoji rule, textbook style: the reference that finishes stage variants, outside any
    timing, and no tier's code. Decode with replacement, jump from candidate to candidate (a
    first code point of a sequence, or a keycap's ASCII before U+FE0F U+20E3), and take the
    longest sequence that starts there (a growing slice, looked up among every prefix)."""
    global _emoji_rule
    if _emoji_rule is None:
        seqs = emoji_task.sequences()
        prefixes = {s[:k]: False for s in seqs for k in range(1, len(s))} | dict.fromkeys(seqs, True)
        candidate = re.compile(f"{emoji_task.start_class()}|[#*0-9](?=\ufe0f\u20e3)")
        _emoji_rule = candidate.search, prefixes
    search, prefixes = _emoji_rule
    text = bytes(block).decode("utf-8", "replace")
    total, m = 0, search(text)
    while m:
        i, end = m.start(), 0
        for j in range(i + 1, len(text) + 1):
            whole = prefixes.get(text[i:j])
            if whole is None:
                break
            end = j if whole else end
        total += end > 0
        m = search(text, end or i + 1)
    return total


def summarize(result):
    if isinstance(result, StageResult):
        result = finish(result.job, result.stage, result.output)
    records, by_language = result
    return {"records": records, "emoji_total": sum(by_language.values()),
            "by_language": dict(sorted(by_language.items()))}


# (variant, "module:function", options) per tier, the tier's pick ("e2e") first; every tier
# also has the four stage variants and "e2e-2cores". small: too slow for the whole index.
def _tier(module, small=False, more=()):
    opts = {"small": True} if small else {}
    return [("e2e", f"{module}:pipeline", opts), *more,
            *[(f"stage-{s}", f"{module}:stage_{s}", opts) for s in STAGES],
            ("e2e-2cores", f"{module}:pipeline_2cores", opts)]


VARIANTS = {
    "pure": _tier("pure", small=True),
    "naive": _tier("naive", small=True),
    "hotpath": _tier("hotpath"),
    "ecosystem": _tier("ecosystem", more=[("e2e-warcio", "ecosystem:pipeline_warcio", {})]),
    "pyo3": _tier("pyo3", more=[("e2e-one-call", "pyo3:pipeline_one_call", {})]),
}
