"""hotpath: the standard library used the fast way.

Decode the whole buffer once (one C call), then walk it with the JSON module's
C scanner (``JSONDecoder.scan_once``) from line to line: no per-line ``bytes``
or ``str`` objects, no ``split`` of the whole file, no re-decoding inside
``json.loads`` (CDXJ is ASCII). For WAT, per-line ``json.loads`` on ``bytes`` is
the fast way (see ``wat``). The fast paths only take input of the usual shape;
on anything else (bad input, or valid but unusual spacing) they hand the whole
input to the package's line-by-line loop (``cdxj_by_line``, ``wat_by_line``) with
``json.loads``, which returns the same result or names the first bad line.
"""
import json

from . import cdxj_by_line, selected, wat_by_line, wat_counts

_scan = json.JSONDecoder().scan_once


class _Unusual(Exception):
    pass


# What makes the walk give up and hand the input to the line-by-line loop.
UNUSUAL = (_Unusual, UnicodeDecodeError, ValueError, StopIteration, RecursionError)


def cdxj(data):
    try:
        return walk(data.decode("utf-8"), selected)
    except UNUSUAL:
        return cdxj_by_line(data, json.loads)


def walk(text, select):
    """The whole-buffer walk: ``(lines, [select(record, line) for each line, if truthy])``,
    or one of ``UNUSUAL`` for input not of the usual shape (the pipeline's index stage runs
    it with its own rule)."""
    find, scan = text.find, _scan
    lines, records, pos, number, end = 0, [], 0, 0, len(text)
    while pos < end:
        eol = find("\n", pos)
        eol = end if eol < 0 else eol
        number += 1
        if eol > pos and text[pos:eol] != "\r":
            lines += 1
            start = find(" ", find(" ", pos) + 1) + 1
            if not 0 < start < eol or text[start] != "{":
                raise _Unusual
            record, stop = scan(text, start)
            if stop > eol or text[stop:eol] not in ("", "\r"):
                raise _Unusual
            found = select(record, number)
            if found:
                records.append(found)
        pos = eol + 1
    return lines, records


def wat(data):
    # Not the whole-buffer walk: one emoji anywhere makes the decoded ``str`` UCS-4, and the
    # scanner then crawls 4-byte characters through every document (measured: half the speed
    # of per-line parsing). Per line, most documents stay 1-byte strings; ``json.loads``
    # takes the ``bytes`` and decodes them itself, so no separate decode pass either.
    documents = links = 0
    servers = set()
    try:
        for number, line in enumerate(data.split(b"\n"), 1):
            if line in (b"", b"\r"):
                continue
            doc = json.loads(line)
            if type(doc) is not dict:
                raise _Unusual
            count, server = wat_counts(doc, number)
            documents += 1
            links += count
            if server is not None:
                servers.add(server)
    except (_Unusual, UnicodeDecodeError, ValueError, RecursionError):
        return wat_by_line(data, json.loads)
    return documents, links, servers
