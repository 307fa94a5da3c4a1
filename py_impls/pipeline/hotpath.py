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
from py_impls.json.hotpath import UNUSUAL, walk

from . import each_block, each_member, job_variants, plan_for, select_lines, select_record


def select(index):
    try:
        return walk(index.decode("utf-8"), select_record)[1]
    except UNUSUAL:
        return select_lines(index, json.loads)


gunzip = each_member(decompress)
emoji = each_block(count)


def count_records(job, records):
    """Fetch, gunzip and count some records: the part of the job a second core can share."""
    return emoji(gunzip(fetch(plan_for(job, records))))


(pipeline, pipeline_2cores,
 stage_index, stage_fetch, stage_gunzip, stage_emoji) = job_variants(select, count_records,
                                                                     fetch, gunzip, emoji)
