"""naive: what anyone writes in their sleep, stage by stage.

``json.loads`` on each line, ``urllib.request`` one range at a time, ``gzip`` on each member,
and the emoji task's slice lookup, which tries every slice of up to ten code points at every
position of every page (slow: these variants run on the small index).
"""
import json

from py_impls.decompress.naive import decompress
from py_impls.emoji.naive import count
from py_impls.fetch.naive import fetch

from . import aggregate, each_block, each_member, plan_for, select_lines, stage_variants, two_cores


def select(index):
    return select_lines(index, json.loads)


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
