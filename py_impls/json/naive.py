"""naive: ``json.loads`` on each decoded line, then dict access: what anyone writes.

The loop is the package's ``cdxj_by_line`` / ``wat_by_line``: the rule line by line, which
the pure tier runs with its own parser and the fast tiers fall back to on unusual input.
"""
import json

from . import cdxj_by_line, wat_by_line


def cdxj(data):
    return cdxj_by_line(data, json.loads)


def wat(data):
    return wat_by_line(data, json.loads)
