"""The ``fetch`` task: HTTP range requests to a real server, as a Common Crawl job makes them.

A CDXJ index line says where a record lives: a file, an ``offset`` and a ``length`` (the
record's gzip member). Fetching it is one ``GET`` with ``Range: bytes=offset-(offset+length-1)``
(the end is inclusive), answered ``206 Partial Content`` with exactly ``length`` bytes. The
harness starts the server (``gluebench serve``: HTTP/1.1, keep-alive, 127.0.0.1 only) before a
tier runs and stops it afterwards.

Every tier is a function ``fetch(plan) -> list[bytes]``: the body of every range, in plan
order, whatever order the requests completed in. ``plan`` is a :class:`Plan` (``load`` below):

* ``plan.ranges``: a list of ``(url, start, end)``, ``end`` inclusive, in index order;
* ``plan.concurrency``: how many requests the tier may have in flight at once (1: one at a
  time); a tier that cannot run requests concurrently the idiomatic way says so and uses 1;
* ``plan.timeout``: seconds an attempt may wait for the server (to connect, and then for each
  read); ``plan.retries``: how many times a failed attempt is retried.

The one retry and timeout policy (every tier):

* An attempt fails when it cannot connect, when the connection breaks or the body ends before
  ``length`` bytes (``incomplete``), when the server is silent for ``plan.timeout`` seconds
  (``timeout``), or when the status is not 206 (``status``).
* ``503`` and ``429`` (with ``Retry-After`` seconds, honoured up to ``MAX_RETRY_AFTER``),
  ``incomplete``, ``timeout`` and connection failures are retried, at most ``plan.retries``
  times per range; any other status is final at once (a 404 or 416 will not get better).
* A 206 whose body is not exactly ``length`` bytes is ``incomplete`` (never accepted short,
  never truncated long), as is a 200 (a server that ignored the Range header): ``status``.
* When a range's last attempt fails, the tier raises :class:`FetchError` naming the kind, the
  range's 0-based index in the plan (``offset``) and its URL and byte range. With several
  failures in flight, the lowest index is reported (a tier waits for what it has started).

Summary (``summarize``): ``{"ranges": n, "bytes": total body bytes, "sha256": of all bodies
concatenated in plan order}``. The expected summary is read from the served files themselves.
"""
import hashlib
import types

KINDS = ("connect", "incomplete", "timeout", "status")
MAX_RETRY_AFTER = 2.0  # seconds: a longer Retry-After is waited for this long
DEFAULT_TIMEOUT = 10.0
DEFAULT_RETRIES = 2


class FetchError(Exception):
    """A range that could not be fetched: a kind and the range's 0-based index in the plan."""

    def __init__(self, kind, index, url="", start=0, end=0, detail=""):
        assert kind in KINDS, kind
        self.kind, self.offset, self.detail = kind, index, detail
        where = f"range {index} ({url} bytes={start}-{end})"
        super().__init__(f"{kind} at {where}" + (f": {detail}" if detail else ""))


def retry_after(value):
    """Seconds to wait for a ``Retry-After`` header (seconds form; missing or a date: 0.1)."""
    try:
        return min(max(float(value), 0.0), MAX_RETRY_AFTER)
    except (TypeError, ValueError):
        return 0.1


def load(path, params=None):
    """The plan: ``path`` lists one range per line, ``PATH<TAB>OFFSET<TAB>LENGTH`` with PATH
    relative to the server's URL; ``params`` (from the harness) hold ``url``, ``concurrency``,
    ``timeout_s`` and ``retries``."""
    params = params or {}
    base = params["url"].rstrip("/") + "/"
    ranges = []
    with open(path, "rb") as f:
        for line in f.read().decode().splitlines():
            if line:
                name, offset, length = line.split("\t")
                start = int(offset)
                ranges.append((base + name, start, start + int(length) - 1))
    return types.SimpleNamespace(
        ranges=ranges,
        concurrency=int(params.get("concurrency", 1)),
        timeout=float(params.get("timeout_s", DEFAULT_TIMEOUT)),
        retries=int(params.get("retries", DEFAULT_RETRIES)),
    )


Plan = types.SimpleNamespace


def summarize(bodies):
    sha = hashlib.sha256()
    total = 0
    for body in bodies:
        sha.update(body)
        total += len(body)
    return {"ranges": len(bodies), "bytes": total, "sha256": sha.hexdigest()}


# (tier, variant, target "module:function", options); the first variant of a tier is its pick.
VARIANTS = {
    "pyo3": [("reqwest", "pyo3:fetch", {})],
}
