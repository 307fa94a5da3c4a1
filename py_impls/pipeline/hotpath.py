"""hotpath: the standard library used the fast way, stage by stage.

Each stage is its task's hotpath tier: ``http.client`` keep-alive connections on a thread pool
(fetch), one ``zlib.decompressobj`` per member (gunzip), ``re`` over the UTF-8 bytes (emoji).
The index stage is the json hotpath's walk: the index decoded once and each line's JSON parsed
in place by the C scanner (``JSONDecoder.scan_once``), no per-line ``str``. Input of an unusual
shape (or bad input) goes line by line instead, which returns the same records or names the
first bad line.
"""
import json

from py_impls.decompress.hotpath import decompress
from py_impls.emoji.hotpath import count
from py_impls.fetch.hotpath import fetch

from . import (aggregate, each_block, each_member, plan_for, select_lines, select_record,
               stage_variants, two_cores)

_scan = json.JSONDecoder().scan_once


class _Unusual(Exception):
    pass


def select(index):
    try:
        return _select(index.decode("utf-8"))
    except (_Unusual, UnicodeDecodeError, ValueError, StopIteration, RecursionError):
        return select_lines(index, json.loads)


def _select(text):
    find, scan = text.find, _scan
    records, pos, number, end = [], 0, 0, len(text)
    while pos < end:
        eol = find("\n", pos)
        eol = end if eol < 0 else eol
        number += 1
        if eol > pos and text[pos:eol] != "\r":
            start = find(" ", find(" ", pos) + 1) + 1
            if not 0 < start < eol or text[start] != "{":
                raise _Unusual
            fields, stop = scan(text, start)
            if stop > eol or text[stop:eol] not in ("", "\r"):
                raise _Unusual
            record = select_record(fields, number)
            if record:
                records.append(record)
        pos = eol + 1
    return records


gunzip = each_member(decompress)
emoji = each_block(count)


def count_records(job, records):
    """Fetch, gunzip and count some records: the part of the job a second core can share."""
    return emoji(gunzip(fetch(plan_for(job, records))))


def pipeline(job):
    records = select(job.index)
    return aggregate(records, count_records(job, records))


def pipeline_2cores(job):
    return two_cores(job, select, count_records)


stage_index, stage_fetch, stage_gunzip, stage_emoji = stage_variants(select, fetch, gunzip, emoji)
