"""ecosystem: the fastest maintained PyPI parsers, measured.

msgspec decodes straight into a typed ``Struct``: only the declared fields are
materialised (everything else is validated and skipped in C), so a CDXJ line
costs one small object instead of a dict of eleven strings; for WAT the Struct
tree follows only the path the aggregate needs. pysimdjson parses lazily and
orjson builds full dicts, both line by line. Like the hotpath tier, the fast
paths take the usual shape of input and hand anything else to the package's
line-by-line loop with ``json.loads``, which returns the same result or names
the first bad line. The buffer is validated as UTF-8 up front (``check_utf8``),
since a parser only checks the bytes it reads.
"""
import json
from itertools import repeat
from typing import Annotated

import msgspec
import orjson
import simdjson

from . import cdxj_by_line, check_utf8, pieces, selected, wat_by_line, wat_counts

# The usual record, typed: msgspec checks in C what the rule asks of a selected record
# (three strings present, offset and length short enough for any int), and rejects more
# than the rule does (a null or a number anywhere in these five fields); such input takes
# the line-by-line path. gc=False: a Struct of strings cannot be part of a cycle.
Digits = Annotated[str, msgspec.Meta(min_length=1, max_length=18)]


class CdxRecord(msgspec.Struct, gc=False):
    status: str
    mime: str
    filename: str
    offset: Digits
    length: Digits


_cdx_record = msgspec.json.Decoder(CdxRecord).decode


def cdxj(data):
    try:
        check_utf8(data)
        lines, records = 0, []
        for piece in pieces(data):
            parsed = [_cdx_record(line[line.index(b" ", line.index(b" ") + 1) + 1:])
                      for line in piece.split(b"\n") if line not in (b"", b"\r")]
            lines += len(parsed)
            chosen = [r for r in parsed if r.status == "200" and r.mime == "text/html"]
            offsets, lengths = [r.offset for r in chosen], [r.length for r in chosen]
            if not (_digits(offsets) and _digits(lengths)):
                raise ValueError("an offset or length that is not all digits")
            records += zip([r.filename for r in chosen], map(int, offsets), map(int, lengths),
                           repeat("200"))
        return lines, records
    except (ValueError, msgspec.MsgspecError):
        return cdxj_by_line(data, json.loads)


def _digits(values):
    """Whether every string is ASCII digits (the Struct has checked that none is empty):
    two C calls over the joined strings instead of a Python loop."""
    joined = "".join(values)
    return not joined or (joined.isascii() and joined.isdigit())


def cdxj_orjson(data):
    return _per_line(data, orjson.loads, cdxj=True)


def cdxj_simdjson(data):
    # A parser per call, not one per module: an error raised mid-loop keeps the last lazy
    # document alive in its traceback, and a parser refuses to parse while one exists.
    parse = simdjson.Parser().parse
    try:
        check_utf8(data)
        lines, records = 0, []
        for number, line in enumerate(data.split(b"\n"), 1):
            if line in (b"", b"\r"):
                continue
            lines += 1
            doc = parse(line[line.index(b" ", line.index(b" ") + 1) + 1:])
            if doc.get("status") == "200" and doc.get("mime") == "text/html":
                records.append(selected(doc, number))
            del doc  # the parser is reused: its lazy view must be gone first
        return lines, records
    except (ValueError, AttributeError):  # AttributeError: a JSON array has no .get
        return cdxj_by_line(data, json.loads)


# WAT: the Struct tree down to what the aggregate reads. msgspec.Raw keeps each link
# unparsed (still validated); Headers stay a dict for the case-insensitive lookup.
class HtmlMetadata(msgspec.Struct, rename={"links": "Links"}):
    links: "list[msgspec.Raw] | None" = None


class ResponseMetadata(msgspec.Struct, rename={"headers": "Headers", "html": "HTML-Metadata"}):
    headers: "dict[str, object] | None" = None
    html: "HtmlMetadata | None" = None


class PayloadMetadata(msgspec.Struct, rename={"http": "HTTP-Response-Metadata"}):
    http: "ResponseMetadata | None" = None


class Envelope(msgspec.Struct, rename={"payload": "Payload-Metadata"}):
    payload: "PayloadMetadata | None" = None


class WatDocument(msgspec.Struct, rename={"envelope": "Envelope"}):
    envelope: "Envelope | None" = None


_wat_document = msgspec.json.Decoder(WatDocument).decode


def wat(data):
    try:
        check_utf8(data)
        documents = links = 0
        servers = set()
        for line in data.split(b"\n"):
            if line in (b"", b"\r"):
                continue
            doc = _wat_document(line)
            documents += 1
            http = doc.envelope and doc.envelope.payload and doc.envelope.payload.http
            if http is None:
                continue
            if http.html is not None and http.html.links is not None:
                links += len(http.html.links)
            server = _server(http.headers)
            if server is not None:
                servers.add(server)
        return documents, links, servers
    except (ValueError, msgspec.MsgspecError):
        return wat_by_line(data, json.loads)


def _server(headers):
    for name, value in (headers or {}).items():
        if name.lower() == "server":
            if value is not None and not isinstance(value, str):
                raise ValueError("the Server header is not a string")
            return value
    return None


def wat_orjson(data):
    return _per_line(data, orjson.loads, cdxj=False)


def _per_line(data, loads, cdxj):
    """orjson: dicts line by line, with the task's shared rules on each."""
    try:
        check_utf8(data)
        count, records, links, servers = 0, [], 0, set()
        for number, line in enumerate(data.split(b"\n"), 1):
            if line in (b"", b"\r"):
                continue
            count += 1
            if cdxj:
                found = selected(loads(line[line.index(b" ", line.index(b" ") + 1) + 1:]), number)
                if found:
                    records.append(found)
            else:
                n, server = wat_counts(loads(line), number)
                links += n
                if server is not None:
                    servers.add(server)
        return (count, records) if cdxj else (count, links, servers)
    except (ValueError, AttributeError, TypeError):
        return (cdxj_by_line if cdxj else wat_by_line)(data, json.loads)
