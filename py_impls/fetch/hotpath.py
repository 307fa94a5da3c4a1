"""``fetch``, tier ``hotpath``: the standard library's ``http.client``, used the fast way.

``urllib`` throws its connection away after every request; ``http.client.HTTPConnection`` keeps
it alive, so a range costs one request and one response on an open socket, parsed by the same
C-accelerated reader ``urllib`` uses underneath. Concurrency is the standard library's too: a
``concurrent.futures.ThreadPoolExecutor`` of ``plan.concurrency`` workers, each with its own
connection (``threading.local``: an ``HTTPConnection`` is not thread-safe), and ``map`` returns
the bodies in plan order (on a failure it cancels what has not started and raises the lowest
failing range's error). With ``concurrency == 1`` the pool would only add a thread hop to every
request, so the ranges are fetched in the calling thread.
"""
import http.client
import threading
from concurrent.futures import ThreadPoolExecutor

from . import Failed, check_length, check_status, range_header, split_url, with_retries


def fetch(plan):
    local, opened = threading.local(), []

    def attempt(url, start, end):
        host, port, path = split_url(url)
        conn = local.__dict__.get((host, port))
        if conn is None:
            conn = http.client.HTTPConnection(host, port, timeout=plan.timeout)
            local.__dict__[host, port] = conn
            opened.append(conn)
        try:
            conn.request("GET", path, headers={"Range": range_header(start, end)})
        except OSError as e:  # connecting (the connection opens on the first request)
            conn.close()
            raise Failed("connect", str(e)) from None
        try:
            response = conn.getresponse()
            body = response.read()  # the whole body, even of an error: the connection stays usable
        except TimeoutError:
            conn.close()
            raise Failed("timeout", f"no answer in {plan.timeout} s") from None
        except (http.client.HTTPException, OSError) as e:  # IncompleteRead, reset, closed
            conn.close()
            raise Failed("incomplete", str(e) or type(e).__name__) from None
        check_status(response.status, response.getheader("Retry-After"))
        return check_length(body, start, end)

    def get(index):
        return with_retries(plan, index, attempt)

    try:
        if plan.concurrency <= 1:
            return list(map(get, range(len(plan.ranges))))
        with ThreadPoolExecutor(plan.concurrency) as pool:
            return list(pool.map(get, range(len(plan.ranges))))
    finally:
        for conn in opened:
            conn.close()
