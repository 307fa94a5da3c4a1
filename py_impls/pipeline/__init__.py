"""The ``pipeline`` task: one Common Crawl job, chaining the other tasks.

Read a CDXJ index, fetch every record it selects from the server, gunzip it, count the emoji in
its content block and add them up per language: what a real job over Common Crawl does, with
each stage one of gluebench's tasks. The harness starts the server (as for ``fetch``).

Stages, in order (each tier composes *its own tier's* implementations of the stages: the
hotpath pipeline uses the hotpath fetch, decompress and emoji code, and so on):

1. ``index``: parse the CDXJ index (``bytes``) with the ``json/cdxj`` task's rules; a record
   is selected iff ``status == "200"`` and ``mime == "text/html"``. For each selected record,
   in index order: ``(path, offset, length, language)``, ``language`` being the first entry of
   the comma-separated ``languages`` field, else ``"unknown"``.
2. ``fetch``: every selected record's range from the server, with the ``fetch`` task's plan,
   policy and errors (``plan.concurrency`` requests in flight).
3. ``gunzip``: each fetched body is one gzip member; decompress it (the ``decompress`` task's
   rules and errors).
4. ``emoji``: count RGI emoji (the ``emoji`` task's rules: UTF-8 with replacement,
   leftmost-longest) in the record's *content block*: everything after the WARC header block,
   i.e. after the first ``\\r\\n\\r\\n`` (the HTTP headers and the body).
5. ``aggregate``: emoji per language.

Result of a tier (``pipeline(job) -> (records, by_language)``): the number of selected records
and a dict language -> emoji total over its records, with every language of a selected record
present (0 when its records hold no emoji).

``job`` (``load`` below) holds ``index`` (the index's bytes), ``base`` (the server's URL),
``root`` and the fetch parameters (``concurrency``, ``timeout``, ``retries``). A stage that
fails raises its task's error; the pipeline adds nothing of its own.

Stage variants (for the Amdahl breakdown) time one stage alone on its own input, made outside
the timing from the served files by :meth:`Job.stage_input`: ``stage-index`` (the index bytes),
``stage-fetch`` (the selected records), ``stage-gunzip`` (the members), ``stage-emoji`` (the
content blocks). A stage variant returns a :class:`StageResult` (its stage's output: the
selected records, the bodies, the decompressed records, the per-record emoji counts);
``summarize`` finishes the job from it with reference stages, outside the timing, so every
stage variant is still verified against the whole pipeline's expected result.

Summary: ``{"records": n, "emoji_total": sum, "by_language": {language: emoji, ...}}`` with
languages sorted.
"""
import os
import types
import zlib

from py_impls import fetch as fetch_task

STAGES = ("index", "fetch", "gunzip", "emoji")


def content_block(record):
    """The bytes after the WARC header block of one decompressed record."""
    end = record.find(b"\r\n\r\n")
    return record[end + 4:] if end >= 0 else b""


def language_of(fields):
    """The first entry of a CDXJ record's ``languages`` (a comma-separated string), else
    ``"unknown"``."""
    langs = fields.get("languages")
    if isinstance(langs, str) and langs:
        return langs.split(",")[0]
    return "unknown"


def aggregate(selected, counts):
    """(records, {language: emoji}) from the selected records and each one's emoji count."""
    by_language = {}
    for (_, _, _, language), n in zip(selected, counts):
        by_language[language] = by_language.get(language, 0) + n
    return len(selected), by_language


def plan_for(job, selected):
    """A ``fetch`` plan for the selected records."""
    base = job.base.rstrip("/") + "/"
    return types.SimpleNamespace(
        ranges=[(base + path, offset, offset + length - 1) for path, offset, length, _ in selected],
        concurrency=job.concurrency, timeout=job.timeout, retries=job.retries)


class Job(types.SimpleNamespace):
    """What every tier is handed (see the module docstring)."""

    def stage_input(self, stage):
        """The input of ``stage``, made by the reference stages from the served files (not
        over HTTP), cached: for the stage variants, outside the timing."""
        cache = self.__dict__.setdefault("_stage_inputs", {})
        if stage not in cache:
            cache[stage] = _reference_input(self, stage)
        return cache[stage]


def _reference_select(index):
    import json  # the reference index stage: the stdlib
    out = []
    for line in index.decode("utf-8").splitlines():
        parts = line.split(" ", 2)
        if len(parts) < 3 or not parts[2]:
            continue
        rec = json.loads(parts[2])
        if rec.get("status") == "200" and rec.get("mime") == "text/html":
            out.append((rec["filename"], int(rec["offset"]), int(rec["length"]), language_of(rec)))
    return out


def _reference_input(job, stage):
    if stage == "index":
        return job.index
    if stage == "fetch":
        return job.selected
    members = [_read(job, path, offset, length) for path, offset, length, _ in job.selected]
    if stage == "gunzip":
        return members
    return [content_block(zlib.decompress(m, 31)) for m in members]


def load(path, params=None):
    """``path``: the index as the harness hands it (one selected-or-not CDXJ line per record,
    ``filename`` rewritten to the served path); ``params``: the fixture's (url, root, ...)."""
    params = params or {}
    with open(path, "rb") as f:
        index = f.read()
    job = Job(index=index, base=params.get("url", ""), root=params.get("root", "."),
              concurrency=int(params.get("concurrency", 1)),
              timeout=float(params.get("timeout_s", fetch_task.DEFAULT_TIMEOUT)),
              retries=int(params.get("retries", fetch_task.DEFAULT_RETRIES)))
    job.selected = _reference_select(index)
    return job


class StageResult(types.SimpleNamespace):
    """What a stage variant returns: its ``stage`` name, its ``output`` and the ``job``."""


def finish(job, stage, output):
    """The whole pipeline's result from one stage's output, by the reference stages (outside
    the timing: ``summarize`` calls it)."""
    from py_impls.emoji import hotpath as emoji_reference

    selected = job.selected
    if stage == "index":
        selected, stage = output, "fetch"
        output = [_read(job, path, offset, length) for path, offset, length, _ in selected]
    if stage == "fetch":
        stage, output = "gunzip", [zlib.decompress(bytes(m), 31) for m in output]
    if stage == "gunzip":
        output = [sum(emoji_reference.count(content_block(r))[0].values()) for r in output]
    return aggregate(selected, output)


def _read(job, path, offset, length):
    with open(os.path.join(job.root, path), "rb") as f:
        f.seek(offset)
        return f.read(length)


def summarize(result):
    if isinstance(result, StageResult):
        result = finish(result.job, result.stage, result.output)
    records, by_language = result
    return {"records": records, "emoji_total": sum(by_language.values()),
            "by_language": dict(sorted(by_language.items()))}


# (tier, variant, target "module:function", options); the first variant of a tier is its pick.
# Every tier: "e2e" (the pick), "stage-index", "stage-fetch", "stage-gunzip", "stage-emoji",
# and "e2e-2cores" (both cores, the tier's idiomatic way).
VARIANTS = {}
