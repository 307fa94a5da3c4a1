"""The ``fetch`` task: HTTP range requests to a real server, as a Common Crawl job makes them.

A CDXJ index line says where a record lives: a file, an ``offset`` and a ``length`` (the
record's gzip member). Fetching it is one ``GET`` with ``Range: bytes=offset-(offset+length-1)``
(the end is inclusive), answered ``206 Partial Content`` with exactly ``length`` bytes. The
harness starts the server (``gluebench serve``: HTTP/1.1, keep-alive, 127.0.0.1 only) before a
tier runs and stops it afterwards.

Every tier is a function ``fetch(plan) -> list[bytes]``: the body of every range, in plan
order, whatever order the requests completed in. ``plan`` is a :class:`Plan` (``load`` below):

* ``plan.ranges``: a list of ``(url, start, end)``, ``end`` inclusive, in index order; never
  an empty range (``load`` rejects a LENGTH of 0 with the line, as the Rust loader does);
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
import asyncio
import hashlib
import time
import types
import urllib.parse

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
        for number, line in enumerate(f.read().decode().splitlines(), 1):
            if line:
                name, offset, length = line.split("\t")
                start = int(offset)
                if int(length) == 0:  # as rust_impls::fetch::Plan::parse: no request asks for nothing
                    raise ValueError(f"{path} line {number}: LENGTH is 0 (a range request cannot ask for no bytes)")
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


# Shared plumbing of the tiers: the policy written once, so that a tier's file holds only the
# client code people write with its library.

class Failed(Exception):
    """One attempt that failed: ``kind`` (one of ``KINDS``), ``final`` when retrying is pointless
    (a status other than 503 or 429), ``wait`` seconds before the next attempt (Retry-After)."""

    def __init__(self, kind, detail="", final=False, wait=0.0):
        assert kind in KINDS, kind
        super().__init__(detail)
        self.kind, self.detail, self.final, self.wait = kind, detail, final, wait


def split_url(url):
    """``(host, port, path)`` of an ``http://`` URL, for the tiers that speak HTTP themselves."""
    u = urllib.parse.urlsplit(url)
    return u.hostname, u.port or 80, (u.path or "/") + (f"?{u.query}" if u.query else "")


def range_header(start, end):
    """The ``Range`` header's value for bytes ``start..=end`` (HTTP's end is inclusive too)."""
    return f"bytes={start}-{end}"


def check_status(status, retry_after_value=None):
    """Raise :class:`Failed` unless ``status`` is 206: 503 and 429 retried after their
    ``Retry-After``, any other status (a 200 that ignored the Range header, a 404, a 416) final."""
    if status == 206:
        return
    if status in (503, 429):
        raise Failed("status", f"HTTP {status}", wait=retry_after(retry_after_value))
    raise Failed("status", f"HTTP {status}", final=True)


def check_length(body, start, end):
    """``body`` if it is exactly the range's length, else :class:`Failed` ``incomplete``."""
    if len(body) != end - start + 1:
        raise Failed("incomplete", f"{len(body)} of {end - start + 1} bytes")
    return body


def give_up(plan, index, tries, failure):
    """After ``tries`` attempts of range ``index``, the last one failing with ``failure``: the
    :class:`FetchError` to raise, or None when the range gets another attempt (after
    ``failure.wait`` seconds). For tiers that run their own event loop (pycurl's multi)."""
    if failure.final or tries > plan.retries:
        url, start, end = plan.ranges[index]
        return FetchError(failure.kind, index, url, start, end, failure.detail)
    return None


def with_retries(plan, index, attempt):
    """Range ``index`` fetched by ``attempt(url, start, end) -> bytes`` under the policy:
    ``attempt`` raises :class:`Failed`; the last failure becomes a :class:`FetchError`."""
    url, start, end = plan.ranges[index]
    tries = 0
    while True:
        tries += 1
        try:
            return attempt(url, start, end)
        except Failed as failure:
            error = give_up(plan, index, tries, failure)
            if error:
                raise error from None
            time.sleep(failure.wait)


async def with_retries_async(plan, index, attempt):
    """:func:`with_retries` for a coroutine ``attempt`` (asyncio tiers)."""
    url, start, end = plan.ranges[index]
    tries = 0
    while True:
        tries += 1
        try:
            return await attempt(url, start, end)
        except Failed as failure:
            error = give_up(plan, index, tries, failure)
            if error:
                raise error from None
            await asyncio.sleep(failure.wait)


# (tier, variant, target "module:function", options); the first variant of a tier is its pick.
# small: so slow here (1.9 to 10 s for 2,000 ranges) that they are timed on the first 200.
VARIANTS = {
    "pure": [("sockets-threads", "pure:fetch", {})],
    "naive": [("urllib", "naive:fetch", {})],
    "hotpath": [("http.client-threadpool", "hotpath:fetch", {})],
    "ecosystem": [
        ("pycurl-multi", "ecosystem:fetch_pycurl", {}),
        ("pyreqwest-sync-threadpool", "ecosystem:fetch_pyreqwest_sync", {}),
        ("pyreqwest", "ecosystem:fetch_pyreqwest", {}),
        ("aiohttp", "ecosystem:fetch_aiohttp", {}),
        ("aiohttp-uvloop", "ecosystem:fetch_aiohttp_uvloop", {}),
        ("httpx2", "ecosystem:fetch_httpx2", {"small": True}),
        ("niquests", "ecosystem:fetch_niquests", {"small": True}),
        ("httpx", "ecosystem:fetch_httpx", {"small": True}),
    ],
    "pyo3": [("reqwest", "pyo3:fetch", {})],
}
