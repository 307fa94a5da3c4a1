"""hotpath: the standard library used the fast way.

Decode the whole buffer once (one C call), then walk it with the JSON module's
C scanner (``JSONDecoder.scan_once``) from line to line: no per-line ``bytes``
or ``str`` objects, no ``split`` of the whole file, no re-decoding inside
``json.loads``. The fast path only takes lines of the usual shape; on anything
else (bad input, or valid but unusual spacing) it hands the whole input to the
line-by-line tier, which returns the same result or names the first bad line.
"""
import json

from . import fetchable, naive, wat_counts

_scan = json.JSONDecoder().scan_once


class _Unusual(Exception):
    pass


def cdxj(data):
    try:
        return _cdxj(data.decode("utf-8"))
    except (_Unusual, UnicodeDecodeError, ValueError, StopIteration, RecursionError):
        return naive.cdxj(data)


def _cdxj(text):
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
            found = fetchable(record, number)
            if found:
                records.append(found)
        pos = eol + 1
    return lines, records


def wat(data):
    try:
        return _wat(data.decode("utf-8"))
    except (_Unusual, UnicodeDecodeError, ValueError, StopIteration, RecursionError):
        return naive.wat(data)


def _wat(text):
    find, scan = text.find, _scan
    documents = links = pos = number = 0
    servers, end = set(), len(text)
    while pos < end:
        eol = find("\n", pos)
        eol = end if eol < 0 else eol
        number += 1
        if eol > pos and text[pos:eol] != "\r":
            if text[pos] != "{":
                raise _Unusual
            doc, stop = scan(text, pos)
            if stop > eol or text[stop:eol] not in ("", "\r"):
                raise _Unusual
            count, server = wat_counts(doc, number)
            documents += 1
            links += count
            if server is not None:
                servers.add(server)
        pos = eol + 1
    return documents, links, servers
