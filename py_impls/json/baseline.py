"""baseline: plain loops over a CDXJ index, without the task's rule.

Not a tier: reference points timed on the same buffer as the tiers (rows of tier
``baseline``), so that every run shows what the rule costs over the parse itself. Every
line, the JSON after the first ``{``, ``url``, ``offset`` and ``length`` read, the two numbers
parsed; no selection, no error positions (a line that does not parse is skipped). Each
returns a checksum, so the work cannot be skipped. The Rust loops are ``mod plain`` of
``rust_impls/src/json.rs``.
"""
import json

import msgspec
import orjson
import simdjson


def _json_parts(data):
    for line in data.split(b"\n"):
        at = line.find(b"{")
        if at >= 0:
            yield line[at:]


def _checksum(url, offset, length):
    return len(url) + int(offset) + int(length)


def cdxj_json(data):
    """The buffer decoded once, then ``json.loads`` per line on ``str``, dict access."""
    total = 0
    for line in data.decode("utf-8", "replace").split("\n"):
        at = line.find("{")
        if at < 0:
            continue
        text = line[at:]
        try:
            d = json.loads(text)
            total += _checksum(d["url"], d["offset"], d["length"])
        except (ValueError, KeyError, TypeError):
            continue
    return total


def cdxj_orjson(data):
    """``orjson.loads`` per line, dict access."""
    total = 0
    for text in _json_parts(data):
        try:
            d = orjson.loads(text)
            total += _checksum(d["url"], d["offset"], d["length"])
        except (ValueError, KeyError, TypeError):
            continue
    return total


class Line(msgspec.Struct):
    url: str
    offset: str
    length: str


_line = msgspec.json.Decoder(Line).decode


def cdxj_msgspec(data):
    """msgspec into a typed ``Struct`` of the three fields (the others skipped in C)."""
    total = 0
    for text in _json_parts(data):
        try:
            d = _line(text)
            total += _checksum(d.url, d.offset, d.length)
        except (msgspec.DecodeError, ValueError):
            continue
    return total


def cdxj_simdjson(data):
    """pysimdjson's lazy parser: only the three fields become Python objects."""
    parse = simdjson.Parser().parse
    total = 0
    for text in _json_parts(data):
        try:
            doc = parse(text)
            total += _checksum(doc["url"], doc["offset"], doc["length"])
        except (ValueError, KeyError, TypeError):
            pass
        doc = None  # the parser is reused: its lazy view must be gone first
    return total
