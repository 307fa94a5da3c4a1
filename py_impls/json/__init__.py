"""The ``json`` task: JSON the way Common Crawl users meet it, in two workloads.

``json/cdxj``: a CDXJ index (``SURT-key SP 14-digit-timestamp SP {json}`` per line).
Every tier is a function ``cdxj(data: bytes) -> (lines, records)``:

* Lines are separated by ``\\n`` (a trailing ``\\r`` is stripped); empty lines are
  skipped and not counted. ``lines`` counts the others.
* The JSON part starts after the second space. It must be a JSON object.
* A record is *selected* (one a fetcher would pull) iff ``status == "200"`` and
  ``mime == "text/html"`` (exact string comparison; a missing key means "no").
* For each selected record, in file order, ``records`` holds the tuple
  ``(filename, offset, length, status)`` with ``offset`` and ``length`` as ints.

``json/wat``: WAT metadata documents, one JSON object per line (the payloads of a
``.warc.wat.gz``). Every tier is a function ``wat(data: bytes) -> (documents, links, servers)``:

* ``documents``: non-empty lines, each a JSON object, parsed completely.
* ``links``: the total number of entries of
  ``Envelope.Payload-Metadata.HTTP-Response-Metadata.HTML-Metadata.Links`` (a list;
  a missing level counts 0).
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
"""

KINDS = ("invalid-utf8", "missing-json", "invalid-json", "missing-field", "bad-field")


class JsonTaskError(Exception):
    """A bad-input error in the task's vocabulary: a kind and a 1-based line number."""

    def __init__(self, kind, line, detail=""):
        assert kind in KINDS, kind
        self.kind, self.offset, self.detail = kind, line, detail
        super().__init__(f"{kind} at line {line}" + (f": {detail}" if detail else ""))
