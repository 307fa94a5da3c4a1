"""The ``json`` task: JSON the way Common Crawl users meet it, in two workloads.

``json/cdxj``: a CDXJ index (``SURT-key SP 14-digit-timestamp SP {json}`` per line).
Every tier is a function ``cdxj(data: bytes) -> (lines, records)``:

* Lines are separated by ``\\n`` (a trailing ``\\r`` is stripped); empty lines are
  skipped and not counted. ``lines`` counts the others.
* The JSON part starts after the second space. It must be a JSON object.
* A record is *selected* (one a fetcher would pull) iff ``status == "200"`` and
  ``mime == "text/html"`` (exact string comparison; a missing key means "no").
  Everywhere in this task, a key whose value is ``null`` counts as missing.
* For each selected record, in file order, ``records`` holds the tuple
  ``(filename, offset, length, status)`` with ``offset`` and ``length`` as ints.

``json/wat``: WAT metadata documents, one JSON object per line (the payloads of a
``.warc.wat.gz``). Every tier is a function ``wat(data: bytes) -> (documents, links, servers)``:

* ``documents``: non-empty lines, each a JSON object, parsed completely.
* ``links``: the total number of entries of
  ``Envelope.Payload-Metadata.HTTP-Response-Metadata.HTML-Metadata.Links`` (a list;
  a missing or null level counts 0).
* ``servers``: the set of values of the ``Server`` header in
  ``Envelope.Payload-Metadata.HTTP-Response-Metadata.Headers``, the header name
  matched case-insensitively (HTTP/2 sends it lowercase), first match in document order.

The one rule for bad input (both workloads): the first bad line (1-based number)
is reported, with one of these kinds; within a line, invalid UTF-8 comes first.

* ``invalid-utf8``  the line is not valid UTF-8.
* ``missing-json``  (cdxj) the line has no JSON part: fewer than two spaces, or nothing after them.
* ``invalid-json``  the JSON part is not valid JSON (RFC 8259), or not an object.
* ``missing-field`` (cdxj) a selected record lacks ``filename``, ``offset`` or ``length``.
* ``bad-field``     (cdxj) a selected record's ``filename`` is not a string, or its ``offset``
  or ``length`` is not a string of ASCII digits below 2**63; (wat) a level of the paths
  above is not an object, ``Links`` is not a list, or the Server value is not a string.

An empty input is not an error: zero lines.

Outside the rule, and documented rather than hidden (measured): duplicate keys in
one object (the stdlib, orjson, msgspec and serde_json's ``Value`` keep the last
value, pysimdjson's lazy lookup and sonic-rs's ``Value`` find the first, serde's
typed structs reject the line); JSON numbers beyond 64-bit or double range and lone
surrogate escapes such as ``"\\ud800"`` (the stdlib accepts them, and so do serde's
typed structs, which skip fields the task does not read; orjson, msgspec,
pysimdjson, serde_json's ``Value`` and sonic-rs's ``Value`` reject them).
"""

import hashlib
import json
import types

KINDS = ("invalid-utf8", "missing-json", "invalid-json", "missing-field", "bad-field")


class JsonTaskError(Exception):
    """A bad-input error in the task's vocabulary: a kind and a 1-based line number."""

    def __init__(self, kind, line, detail=""):
        assert kind in KINDS, kind
        self.kind, self.offset, self.detail = kind, line, detail
        super().__init__(f"{kind} at line {line}" + (f": {detail}" if detail else ""))


MAX_NUMBER = 2**63


def text_lines(data):
    """(1-based line number, decoded line) for each non-empty line of ``data``.

    A line is decoded only when it is reached, so a bad line earlier in the file is
    reported before invalid UTF-8 further on.
    """
    for number, raw in enumerate(data.split(b"\n"), 1):
        if raw.endswith(b"\r"):
            raw = raw[:-1]
        if not raw:
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            raise JsonTaskError("invalid-utf8", number, str(e)) from None
        yield number, line


def pieces(data, size=1 << 18):
    """``data`` in pieces of about ``size`` bytes, each ending at a line end.

    ``data.split(b"\\n")`` over a whole 16 MB file puts every line in fresh memory, and the
    page faults cost as much as the parsing (measured: splitting in 256 KiB pieces is twice
    as fast); the lines of a piece reuse the memory freed by the piece before.
    """
    start = 0
    while start < len(data):
        end = data.find(b"\n", start + size)
        end = len(data) if end < 0 else end + 1
        yield data[start:end]
        start = end


def check_utf8(data):
    """Raises ``UnicodeDecodeError`` (a ``ValueError``) unless ``data`` is UTF-8: the fast
    paths validate up front, since a parser only checks the bytes it reads.

    In pieces: one character beyond U+FFFF makes a whole-buffer ``str`` four bytes per
    character (measured on wat-16m: 48 ms for the whole buffer, 9 ms in pieces).
    """
    if not data.isascii():
        for piece in pieces(data):
            piece.decode("utf-8")


def json_part(line, number):
    """The JSON part of a CDXJ line: everything after the second space."""
    parts = line.split(" ", 2)
    if len(parts) < 3 or not parts[2]:
        raise JsonTaskError("missing-json", number, "no JSON after the key and timestamp")
    return parts[2]


def selected(rec, line):
    """The CDXJ selection rule on one parsed record: the ``(filename, offset, length, status)``
    a fetcher would pull, or ``None`` when the record is not selected."""
    if rec.get("status") != "200" or rec.get("mime") != "text/html":
        return None
    filename, offset, length = rec.get("filename"), rec.get("offset"), rec.get("length")
    for name, value in (("filename", filename), ("offset", offset), ("length", length)):
        if value is None:
            raise JsonTaskError("missing-field", line, f"a selected record has no {name!r}")
    if not isinstance(filename, str):
        raise JsonTaskError("bad-field", line, "'filename' is not a string")
    return filename, _number(offset, "offset", line), _number(length, "length", line), "200"


def _number(value, name, line):
    if isinstance(value, str) and value.isascii() and value.isdigit():
        digits = value.lstrip("0") or "0"
        if len(digits) <= 19 and int(digits) < MAX_NUMBER:  # also below int()'s digit limit
            return int(digits)
    raise JsonTaskError("bad-field", line, f"{name!r} is not a string of digits below 2**63")


def wat_counts(doc, line):
    """The WAT aggregate of one parsed document: (number of links, Server header or None)."""
    http = doc
    for key in ("Envelope", "Payload-Metadata", "HTTP-Response-Metadata"):
        http = http.get(key)
        if http is None:
            return 0, None
        if not isinstance(http, dict):
            raise JsonTaskError("bad-field", line, f"{key!r} is not an object")
    links, server = 0, None
    html = http.get("HTML-Metadata")
    if html is not None:
        if not isinstance(html, dict):
            raise JsonTaskError("bad-field", line, "'HTML-Metadata' is not an object")
        found = html.get("Links")
        if found is not None:
            if not isinstance(found, list):
                raise JsonTaskError("bad-field", line, "'Links' is not a list")
            links = len(found)
    headers = http.get("Headers")
    if headers is not None:
        if not isinstance(headers, dict):
            raise JsonTaskError("bad-field", line, "'Headers' is not an object")
        for name, value in headers.items():
            if name.lower() == "server":
                if value is not None and not isinstance(value, str):
                    raise JsonTaskError("bad-field", line, "the Server header is not a string")
                server = value
                break
    return links, server


def parse_object(loads, text, number):
    """``loads(text)``, which must be a JSON object, with its errors in the task's vocabulary."""
    try:
        value = loads(text)
    except (ValueError, RecursionError) as e:  # RecursionError: absurdly deep nesting
        raise JsonTaskError("invalid-json", number, str(e)) from None
    if not isinstance(value, dict):
        raise JsonTaskError("invalid-json", number, "not a JSON object")
    return value


# The rule, line by line, with any ``loads``: the naive tier (``json.loads``), the pure one
# (its own parser), and the reference the tiers with bulk fast paths hand unusual input to.

def cdxj_by_line(data, loads):
    """CDXJ index -> (lines, records), each line decoded and parsed on its own."""
    lines, records = 0, []
    for number, line in text_lines(data):
        lines += 1
        found = selected(parse_object(loads, json_part(line, number), number), number)
        if found:
            records.append(found)
    return lines, records


def wat_by_line(data, loads):
    """WAT metadata documents -> (documents, links, servers), each line on its own."""
    documents = links = 0
    servers = set()
    for number, line in text_lines(data):
        count, server = wat_counts(parse_object(loads, line, number), number)
        documents += 1
        links += count
        if server is not None:
            servers.add(server)
    return documents, links, servers


def first_error(data, workload):
    """The rule's error for ``data`` (or None), as the line-by-line reference reports it."""
    try:
        (cdxj_by_line if workload == "cdxj" else wat_by_line)(data, json.loads)
    except JsonTaskError as e:
        return e
    return None


def _load(path):
    with open(path, "rb") as f:
        return f.read()


def _summarize_cdxj(result):
    lines, records = result
    digest = hashlib.sha256()
    for filename, offset, length, status in records:
        digest.update(f"{filename}\t{offset}\t{length}\t{status}\n".encode())
    return {"lines": lines, "selected": len(records),
            "length_sum": sum(r[2] for r in records), "sha256": digest.hexdigest()}


def _summarize_wat(result):
    documents, links, servers = result
    joined = "\n".join(sorted(servers)).encode("utf-8", "surrogatepass")
    return {"documents": documents, "links": links, "servers": len(servers),
            "servers_sha256": hashlib.sha256(joined).hexdigest()}


# The two workloads, each like a task package for the worker: the tiers as
# (variant, "module:function", options), the tier's pick first; `load`; `summarize`.
cdxj = types.SimpleNamespace(load=_load, summarize=_summarize_cdxj, VARIANTS={
    "pure": [("recursive-descent", "pure:cdxj", {"small": True})],
    "naive": [("json.loads-per-line", "naive:cdxj", {})],
    "hotpath": [("scan_once", "hotpath:cdxj", {})],
    "ecosystem": [
        ("msgspec-struct", "ecosystem:cdxj", {}),
        ("simdjson", "ecosystem:cdxj_simdjson", {}),
        ("orjson", "ecosystem:cdxj_orjson", {}),
    ],
    "pyo3": [
        ("tuples", "pyo3:cdxj", {}),
        ("dicts", "pyo3:cdxj_dicts", {}),
    ],
})
# Not tiers: plain loops without the rule, timed as rows of tier `baseline` (baseline.py).
cdxj.BASELINES = [
    ("plain-py-msgspec-struct", "baseline:cdxj_msgspec", {}),
    ("plain-py-simdjson", "baseline:cdxj_simdjson", {}),
    ("plain-py-orjson", "baseline:cdxj_orjson", {}),
    ("plain-py-json.loads", "baseline:cdxj_json", {}),
]

wat = types.SimpleNamespace(load=_load, summarize=_summarize_wat, VARIANTS={
    "pure": [("recursive-descent", "pure:wat", {"small": True})],
    "naive": [("json.loads-per-line", "naive:wat", {})],
    "hotpath": [("json.loads-bytes", "hotpath:wat", {})],
    "ecosystem": [
        ("msgspec-struct", "ecosystem:wat", {}),
        ("orjson", "ecosystem:wat_orjson", {}),
    ],
    "pyo3": [
        ("aggregate", "pyo3:wat", {}),
        ("dicts", "pyo3:wat_dicts", {}),
    ],
})
