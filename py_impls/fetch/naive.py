"""``fetch``, tier ``naive``: ``urllib.request.urlopen``, one range after the other.

What anyone writes first, straight from the standard library's documentation: a ``Request``
with a ``Range`` header, ``urlopen``, ``read()``. ``urllib`` opens a new connection for every
request (it sends ``Connection: close``), and it has no concurrency of its own, so this tier
runs one request at a time whatever ``plan.concurrency`` says: that is the naive design, and
what it costs is the point of measuring it. It still follows the task's policy: urllib
raises ``HTTPError`` for a 503 or a 404, ``IncompleteRead`` for a short body, ``URLError`` when
it cannot connect, and the ``timeout`` argument bounds the connect and every read.
"""
import http.client
import urllib.error
import urllib.request

from . import Failed, check_length, check_status, range_header, with_retries


def attempt(url, start, end, timeout):
    request = urllib.request.Request(url, headers={"Range": range_header(start, end)})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            check_status(response.status)  # a 200: the server ignored the Range header
            return check_length(response.read(), start, end)
    except urllib.error.HTTPError as e:  # every status >= 400 (a subclass of URLError)
        e.close()
        check_status(e.code, e.headers.get("Retry-After"))
    except urllib.error.URLError as e:  # while connecting or sending the request
        raise Failed("connect", str(e.reason)) from None
    except TimeoutError:
        raise Failed("timeout", f"no answer in {timeout} s") from None
    except (http.client.HTTPException, OSError) as e:  # IncompleteRead, a reset connection
        raise Failed("incomplete", str(e) or type(e).__name__) from None


def fetch(plan):
    return [with_retries(plan, i, lambda url, start, end: attempt(url, start, end, plan.timeout))
            for i in range(len(plan.ranges))]
