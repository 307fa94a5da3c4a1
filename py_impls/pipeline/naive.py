"""naive: what anyone writes in their sleep, stage by stage.

``json.loads`` on each line, ``urllib.request`` one range at a time, ``gzip`` on each member,
and the emoji task's slice lookup, which tries every slice of up to ten code points at every
position of every page (slow: these variants run on the small index).
"""
import json

from py_impls.decompress.naive import decompress
from py_impls.emoji.naive import count
from py_impls.fetch.naive import fetch

from . import each_block, each_member, job_variants, plan_for, select_lines


def select(index):
    return select_lines(index, json.loads)


gunzip = each_member(decompress)
emoji = each_block(count)


def count_records(job, records):
    """Fetch, gunzip and count some records: the part of the job a second core can share."""
    return emoji(gunzip(fetch(plan_for(job, records))))


(pipeline, pipeline_2cores,
 stage_index, stage_fetch, stage_gunzip, stage_emoji) = job_variants(select, count_records,
                                                                     fetch, gunzip, emoji)
