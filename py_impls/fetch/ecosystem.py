"""``fetch``, tier ``ecosystem``: the best maintained PyPI HTTP client, measured, not assumed.

Every candidate is used as its documentation shows for many requests to one host: one
client (session) for the whole plan, a connection pool of ``plan.concurrency`` keep-alive
connections, and for the asyncio ones ``asyncio.gather`` of one coroutine per range under an
``asyncio.Semaphore(plan.concurrency)`` (see ``gather``). Each maps its own exceptions onto the
task's policy (connect, timeout, incomplete, status) and disables automatic decompression,
so the bytes are the server's bytes. Measured here (2,000 ranges of a WARC file, nginx on
loopback, concurrency 1, 16 and 64, on this project's 2-core machine), in this order:

* ``pycurl-multi``, the pick: libcurl's multi interface, one event loop in C driving every
  transfer; Python runs only per finished request. The fastest with requests in flight (10k
  req/s at 64) and the least CPU per request, and it follows the whole policy.
* ``pyreqwest-sync-threadpool`` and ``pyreqwest``: Rust's reqwest (hyper on tokio), blocking
  on a thread pool and asyncio: the ecosystem paving with Rust. The blocking client on threads
  is as fast as pycurl at concurrency 1; every asyncio await crosses to tokio's thread and back.
* ``aiohttp`` (on asyncio's loop and on ``uvloop``): the asyncio client most people use, its
  HTTP parser in C; 4-5k req/s whatever the concurrency: the event loop is the bottleneck.
* ``httpx2`` (Pydantic's maintained continuation of httpx, the same API), ``niquests`` (the
  maintained successor of requests) and ``httpx``: pure-Python HTTP stacks on anyio or
  asyncio, 0.1-1k req/s; httpx's pool gets slower the more requests wait in it.
"""
import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from . import (Failed, FetchError, check_length, check_status, give_up, range_header,
               with_retries, with_retries_async)

# Each variant imports its own library: loading this module loads none of the six HTTP stacks.
NO_DECODING = {"Accept-Encoding": "identity"}


async def gather(plan, attempt):
    """Every range through ``attempt(url, start, end)`` (a coroutine), at most
    ``plan.concurrency`` at once, started in plan order; after a failure nothing new starts
    (the semaphore is fair, so every range still waiting comes after the failed one)."""
    limit, failed = asyncio.Semaphore(plan.concurrency), []

    async def one(index):
        async with limit:
            if failed:
                return None
            try:
                return await with_retries_async(plan, index, attempt)
            except FetchError:
                failed.append(index)
                raise

    results = await asyncio.gather(*map(one, range(len(plan.ranges))), return_exceptions=True)
    for result in results:  # in plan order: the lowest failing range's error is raised
        if isinstance(result, BaseException):
            raise result
    return results


# --- pycurl ------------------------------------------------------------------------------------

# libcurl's codes: 6 could not resolve, 7 could not connect, 28 timed out, 18 partial body,
# 52 got nothing, 55 send error, 56 receive error (a reset); anything else: incomplete.
CURL_FAILURES = {6: "connect", 7: "connect", 28: "timeout", 18: "incomplete", 52: "incomplete",
                 55: "incomplete", 56: "incomplete"}


IDLE = -1  # pycurl: a transfer our loop stopped for silence (not a libcurl error number)


def fetch_pycurl(plan):
    """libcurl's multi interface as pycurl's ``retriever-multi.py`` example drives it: a pool of
    ``plan.concurrency`` easy handles, refilled as transfers finish, retries queued with their
    ``Retry-After``. libcurl has no idle-read timeout (its low-speed limit averages over
    seconds: with a 1 s limit, a stalled body took 4 to 8 s to notice), so the loop keeps the
    policy itself: a transfer that has received nothing for ``plan.timeout`` s is a timeout."""
    import pycurl

    multi, free, busy = pycurl.CurlMulti(), [], set()
    for _ in range(min(plan.concurrency, len(plan.ranges))):
        c = pycurl.Curl()
        c.setopt(pycurl.CONNECTTIMEOUT_MS, int(plan.timeout * 1000))
        c.setopt(pycurl.WRITEFUNCTION, receiver(c))
        free.append(c)
    bodies, errors, retries = [None] * len(plan.ranges), [], []  # retries: (when, index, tries)
    upcoming = iter(range(len(plan.ranges)))

    def start(index, tries):
        c = free.pop()
        url, begin, end = plan.ranges[index]
        c.index, c.tries, c.chunks, c.last = index, tries, [], time.monotonic()
        c.setopt(pycurl.URL, url)
        c.setopt(pycurl.HTTPHEADER, [f"Range: {range_header(begin, end)}"])
        multi.add_handle(c)
        busy.add(c)

    def finish(c, errno=0, message=""):
        multi.remove_handle(c)
        busy.remove(c)
        free.append(c)
        _, begin, end = plan.ranges[c.index]
        try:
            if errno == IDLE:  # our own idle timeout: connected (or reused), then silence
                raise Failed("timeout", message)
            if errno == 28 and not c.getinfo(pycurl.CONNECT_TIME):
                raise Failed("connect", message)  # libcurl's timeout while connecting
            if errno:
                raise Failed(CURL_FAILURES.get(errno, "incomplete"), message)
            check_status(c.getinfo(pycurl.RESPONSE_CODE), c.getinfo(pycurl.RETRY_AFTER))
            bodies[c.index] = check_length(b"".join(c.chunks), begin, end)
        except Failed as failure:
            if error := give_up(plan, c.index, c.tries, failure):
                errors.append(error)
            else:
                retries.append((time.monotonic() + failure.wait, c.index, c.tries + 1))

    try:
        while True:
            for retry in sorted(retries):  # due retries first: they are of started ranges
                if free and retry[0] <= time.monotonic():
                    retries.remove(retry)
                    start(retry[1], retry[2])
            while free and not errors and (index := next(upcoming, None)) is not None:
                start(index, 1)
            if not busy and not retries:
                break
            while multi.perform()[0] == pycurl.E_CALL_MULTI_PERFORM:
                pass
            _, done, failed = multi.info_read()
            for c in done:
                finish(c)
            for c, errno, message in failed:
                finish(c, errno, message)
            silent_since = time.monotonic() - plan.timeout
            for c in [c for c in busy if c.last < silent_since]:
                finish(c, IDLE, f"nothing received in {plan.timeout} s")
            if not done and not failed:  # wait for a socket, libcurl's next timer, or ours
                wait = multi.timeout() / 1000
                multi.select(min(wait if wait >= 0 else 1.0, 0.01 if retries else plan.timeout / 4))
    finally:
        for c in busy | set(free):
            c.close()
        multi.close()
    if errors:
        raise min(errors, key=lambda e: e.offset)
    return bodies


def receiver(c):
    """The handle's write callback: keeps the chunks and when the last one came."""
    def write(chunk):
        c.chunks.append(chunk)
        c.last = time.monotonic()
    return write


# --- pyreqwest ---------------------------------------------------------------------------------

def pyreqwest_failure(error):
    """A pyreqwest exception as the policy's failure. Its ``ConnectError`` covers a failed
    connect and also a connection that broke after it (hyper's ``SendRequest`` error): reqwest's
    chain of causes tells them apart."""
    from pyreqwest.exceptions import ConnectError, ConnectTimeoutError, ReadTimeoutError

    details = getattr(error, "details", None) or {}
    causes = [cause["message"] for cause in details.get("causes") or ()]
    detail = causes[-1] if causes else str(error)
    if isinstance(error, ConnectTimeoutError) or (
            isinstance(error, ConnectError) and "client error (Connect)" in causes):
        return Failed("connect", detail)
    if isinstance(error, ReadTimeoutError):
        return Failed("timeout", detail)
    return Failed("incomplete", detail)  # a body cut short, a reset connection


def pyreqwest_builder(builder, plan):
    timeout = timedelta(seconds=plan.timeout)
    return (builder.connect_timeout(timeout).read_timeout(timeout)
            .gzip(False).brotli(False).zstd(False).deflate(False))


def fetch_pyreqwest_sync(plan):
    """pyreqwest's blocking client, shared by a thread pool (it is thread-safe, and it releases
    the GIL while it waits): one Python thread per request in flight, no event loop at all."""
    from pyreqwest.client import SyncClientBuilder
    from pyreqwest.exceptions import RequestError

    with pyreqwest_builder(SyncClientBuilder(), plan).build() as client:
        def attempt(url, start, end):
            try:
                response = client.get(url).header("Range", range_header(start, end)).build().send()
                body = response.bytes()
            except RequestError as e:
                raise pyreqwest_failure(e) from None
            check_status(response.status, response.get_header("retry-after"))
            return check_length(body.to_bytes(), start, end)

        def get(index):
            return with_retries(plan, index, attempt)

        if plan.concurrency <= 1:
            return list(map(get, range(len(plan.ranges))))
        with ThreadPoolExecutor(plan.concurrency) as pool:
            return list(pool.map(get, range(len(plan.ranges))))


def fetch_pyreqwest(plan):
    """pyreqwest's asyncio client: each request a Rust future awaited from the event loop."""
    from pyreqwest.client import ClientBuilder
    from pyreqwest.exceptions import RequestError

    async def run():
        builder = pyreqwest_builder(ClientBuilder().max_connections(plan.concurrency), plan)
        async with builder.build() as client:
            async def attempt(url, start, end):
                try:
                    request = client.get(url).header("Range", range_header(start, end)).build()
                    response = await request.send()
                    body = await response.bytes()
                except RequestError as e:
                    raise pyreqwest_failure(e) from None
                check_status(response.status, response.get_header("retry-after"))
                return check_length(body.to_bytes(), start, end)

            return await gather(plan, attempt)

    return asyncio.run(run())


# --- aiohttp -----------------------------------------------------------------------------------

async def _aiohttp(plan):
    import aiohttp

    timeout = aiohttp.ClientTimeout(total=None, sock_connect=plan.timeout, sock_read=plan.timeout)
    connector = aiohttp.TCPConnector(limit=plan.concurrency)
    session = aiohttp.ClientSession(connector=connector, timeout=timeout, auto_decompress=False)
    async with session:
        async def attempt(url, start, end):
            try:
                headers = {"Range": range_header(start, end)}
                async with session.get(url, headers=headers) as response:
                    body = await response.read()
            except (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError) as e:
                raise Failed("connect", str(e)) from None
            except TimeoutError:
                raise Failed("timeout", f"no answer in {plan.timeout} s") from None
            except aiohttp.ClientError as e:  # ClientPayloadError, ServerDisconnectedError, ...
                raise Failed("incomplete", str(e) or type(e).__name__) from None
            check_status(response.status, response.headers.get("Retry-After"))
            return check_length(body, start, end)

        return await gather(plan, attempt)


def fetch_aiohttp(plan):
    return asyncio.run(_aiohttp(plan))


def fetch_aiohttp_uvloop(plan):
    import uvloop

    return uvloop.run(_aiohttp(plan))


# --- httpx and httpx2 --------------------------------------------------------------------------

async def _httpx(httpx, plan):
    limits = httpx.Limits(max_connections=plan.concurrency,
                          max_keepalive_connections=plan.concurrency)
    timeout = httpx.Timeout(plan.timeout, pool=None)
    async with httpx.AsyncClient(limits=limits, timeout=timeout, headers=NO_DECODING) as client:
        async def attempt(url, start, end):
            try:
                response = await client.get(url, headers={"Range": range_header(start, end)})
            except (httpx.ConnectError, httpx.ConnectTimeout) as e:
                raise Failed("connect", str(e)) from None
            except httpx.TimeoutException:
                raise Failed("timeout", f"no answer in {plan.timeout} s") from None
            except httpx.TransportError as e:  # RemoteProtocolError (body cut short), ReadError
                raise Failed("incomplete", str(e) or type(e).__name__) from None
            check_status(response.status_code, response.headers.get("Retry-After"))
            return check_length(response.content, start, end)

        return await gather(plan, attempt)


def fetch_httpx2(plan):
    import httpx2

    return asyncio.run(_httpx(httpx2, plan))


def fetch_httpx(plan):
    import httpx

    return asyncio.run(_httpx(httpx, plan))


# --- niquests ----------------------------------------------------------------------------------

def fetch_niquests(plan):
    """niquests' ``AsyncSession``. Its ``multiplexed=True`` mode pays off over HTTP/2 and 3
    only; over HTTP/1.1 it measured slower than this (and its blocking ``Session`` on a thread
    pool faster, still far behind the others)."""
    import niquests
    from niquests.exceptions import ConnectionError, ConnectTimeout, ReadTimeout, RequestException
    from niquests.packages.urllib3.exceptions import MaxRetryError, ReadTimeoutError

    async def run():
        async with niquests.AsyncSession(pool_maxsize=plan.concurrency, timeout=plan.timeout,
                                         headers=NO_DECODING) as session:
            async def attempt(url, start, end):
                try:
                    response = await session.get(url, headers={"Range": range_header(start, end)})
                    body = response.content
                except ConnectTimeout as e:
                    raise Failed("connect", str(e)) from None
                except ReadTimeout:
                    raise Failed("timeout", f"no answer in {plan.timeout} s") from None
                except ConnectionError as e:  # as in requests: also a read timeout in the body
                    cause = e.args[0] if e.args else None
                    kind = ("timeout" if isinstance(cause, ReadTimeoutError) else
                            "connect" if isinstance(cause, MaxRetryError) else "incomplete")
                    raise Failed(kind, str(e)) from None
                except RequestException as e:  # ChunkedEncodingError: a body cut short
                    raise Failed("incomplete", str(e)) from None
                check_status(response.status_code, response.headers.get("Retry-After"))
                return check_length(body, start, end)

            return await gather(plan, attempt)

    return asyncio.run(run())
