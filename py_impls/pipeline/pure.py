"""pure: the interpreter alone, stage by stage.

Each stage is its task's pure tier: the hand-written JSON parser on each index line, HTTP/1.1
over raw sockets (keep-alive, ``Content-Length``), inflate in Python, and the dict-of-dicts
emoji trie. Inflating every byte in bytecode dominates (a few MB/s): these variants run on the
small index.
"""
from py_impls.decompress.pure import decompress
from py_impls.emoji.pure import count
from py_impls.fetch.pure import fetch
from py_impls.json.pure import loads

from . import aggregate, each_block, each_member, plan_for, select_lines, stage_variants, two_cores


def select(index):
    return select_lines(index, loads)


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
