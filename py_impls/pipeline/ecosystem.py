"""ecosystem: the PyPI libraries people reach for, stage by stage.

The index stage is the json task's ecosystem pick (pysimdjson: each line parsed lazily, only
the fields the rule reads are looked up); fetch and emoji are their tasks' ecosystem picks.
The members are read the way Common Crawl jobs read WARC files: with a WARC library, which
inflates the gzip members and parses the records in one pass. FastWARC (Rust since its 2.0, the pick) and
warcio (pure Python over ``zlib``, the long-time standard; ``e2e-warcio``) read the fetched
members as one stream, exactly as they would read the ``.warc.gz`` file, and hand over each
record's content block (``parse_http=False``: the HTTP headers stay in the block, as the rule
says). Neither names a bad member, so a stream that yields fewer records than it was given
members, or fails, is a ``corrupt`` error at the first record it could not read.
"""
import io
import json
import zlib

import fastwarc
import simdjson
import warcio
from warcio.exceptions import ArchiveLoadFailed

from py_impls.decompress import GzipError
from py_impls.emoji.ecosystem import count
from py_impls.fetch.ecosystem import fetch_pycurl as fetch

from . import (aggregate, at_record, each_block, job_variants, plan_for, select_lines,
               select_record)


def select(index):
    # A parser per call: its lazy documents must be gone before it parses again.
    parse = simdjson.Parser().parse
    try:
        index.decode("utf-8")
        records = []
        for number, line in enumerate(index.split(b"\n"), 1):
            if line in (b"", b"\r"):
                continue
            doc = parse(line[line.index(b" ", line.index(b" ") + 1) + 1:])
            if doc.get("status") == "200" and doc.get("mime") == "text/html":
                records.append(select_record(doc, number))
            del doc
        return records
    except (ValueError, AttributeError):  # AttributeError: a JSON array has no .get
        return select_lines(index, json.loads)


def read_warc(members):
    """The members -> each record's content block, by FastWARC (the gunzip stage)."""
    records = fastwarc.ArchiveIterator(io.BytesIO(b"".join(members)), parse_http=False)
    return _content_blocks(members, (record.reader.read() for record in records), OSError)


def read_warcio(members):
    """The same with warcio: ``no_record_parse`` leaves the HTTP headers in the stream."""
    records = warcio.ArchiveIterator(io.BytesIO(b"".join(members)), no_record_parse=True)
    return _content_blocks(members, (record.raw_stream.read() for record in records),
                           (ArchiveLoadFailed, zlib.error))


def _content_blocks(members, blocks, failure):
    """The blocks a reader yields, one per member, or the ``corrupt`` error of the first
    record it could not read."""
    out = []
    try:
        for block in blocks:
            out.append(block)
    except failure as e:
        raise at_record(GzipError("corrupt", None, str(e)), len(out)) from None
    if len(out) != len(members):
        detail = f"the WARC reader read {len(out)} records from {len(members)} members"
        raise at_record(GzipError("corrupt", None, detail), len(out))
    return out


emoji = each_block(count)


def count_records(job, records, read=read_warc):
    """Fetch, read and count some records: the part of the job a second core can share."""
    return emoji(read(fetch(plan_for(job, records))))


(pipeline, pipeline_2cores,
 stage_index, stage_fetch, stage_gunzip, stage_emoji) = job_variants(select, count_records,
                                                                     fetch, read_warc, emoji)


def pipeline_warcio(job):
    records = select(job.index)
    return aggregate(records, count_records(job, records, read_warcio))
