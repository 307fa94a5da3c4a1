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

from . import each_block, each_member, job_variants, plan_for, select_lines


def select(index):
    return select_lines(index, loads)


gunzip = each_member(decompress)
emoji = each_block(count)


def count_records(job, records):
    """Fetch, gunzip and count some records: the part of the job a second core can share."""
    return emoji(gunzip(fetch(plan_for(job, records))))


(pipeline, pipeline_2cores,
 stage_index, stage_fetch, stage_gunzip, stage_emoji) = job_variants(select, count_records,
                                                                     fetch, gunzip, emoji)
