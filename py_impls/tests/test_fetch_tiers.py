"""Every Python variant of ``fetch`` against the task's policy, on a real local server.

The server is ``gluebench serve`` when ``GLUEBENCH_SERVE`` names its binary (``cargo test``
hands it over), else the small ``http.server`` below, which answers ranges the same way
(``206`` with an inclusive end, ``416`` past the end, keep-alive) and has the same fault modes.
A plan mixes a good server with a faulty one, so the failing range's index is known: ranges 3
and 5 are on the faulty server, and the error must name 3 whatever the concurrency.
"""
import http.server
import importlib
import os
import random
import re
import socket
import subprocess
import threading
import time
import types

import pytest

from py_impls import fetch as task
from py_impls.fetch import FetchError

DATA = random.Random(9).randbytes(300_000)
FAULTY = (3, 5)


def variants():
    return [pytest.param(target, id=f"{tier}/{name}")
            for tier, entries in task.VARIANTS.items() for name, target, _ in entries]


def load(target):
    module, _, func = target.partition(":")
    try:
        return getattr(importlib.import_module(f"py_impls.fetch.{module}"), func)
    except ImportError as e:  # the pyo3 module, or an ecosystem package, outside cargo test
        pytest.skip(f"{target}: {e}")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive
    disable_nagle_algorithm = True  # headers and body are two writes: no delayed-ACK stalls

    def log_message(self, *args):
        pass

    def do_GET(self):
        server = self.server
        with server.lock:
            server.requests += 1
            n503 = server.n503 = server.n503 + 1
        if server.fault.startswith("503x") and n503 <= int(server.fault[4:]):
            return self.reply(503, {"Retry-After": "0"})
        path = os.path.join(server.root, self.path.lstrip("/"))
        if ".." in self.path or not os.path.isfile(path):
            return self.reply(404)
        data = open(path, "rb").read()
        start, end = map(int, re.fullmatch(r"bytes=(\d+)-(\d+)", self.headers["Range"]).groups())
        if start >= len(data):
            return self.reply(416, {"Content-Range": f"bytes */{len(data)}"})
        body = data[start:min(end, len(data) - 1) + 1]
        self.send_response(206)
        self.send_header("Content-Range", f"bytes {start}-{start + len(body) - 1}/{len(data)}")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if server.fault.startswith("reset@"):  # a reset (RST) after OFFSET bytes of the body
            self.wfile.write(body[:int(server.fault[6:])])
            self.wfile.flush()
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\1\0\0\0\0\0\0\0")
            self.connection.close()
            self.close_connection = True
        elif server.fault in ("stall", "short"):  # half the body, then silence or a clean close
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            if server.fault == "stall":
                server.stop.wait(10)
            self.close_connection = True
        else:
            self.wfile.write(body)

    def reply(self, status, headers=()):
        self.send_response(status)
        for name, value in dict(headers).items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default 5 drops concurrent connects: 1 s SYN retries


@pytest.fixture
def serve(tmp_path):
    """``serve(fault=None) -> base URL`` of a server of ``tmp_path`` (holding ``data.bin``),
    stopped when the test ends. ``.requests(url)`` counts a self-started server's requests."""
    (tmp_path / "data.bin").write_bytes(DATA)
    started = []

    def start(fault=None):
        binary = os.environ.get("GLUEBENCH_SERVE")
        if binary:
            args = [binary, "serve", str(tmp_path)] + (["--fault", fault] if fault else [])
            proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
            started.append(proc)
            return proc.stdout.readline().strip()
        server = Server(("127.0.0.1", 0), Handler)
        server.root, server.fault, server.lock, server.stop = str(tmp_path), fault or "", threading.Lock(), threading.Event()
        server.requests = server.n503 = 0
        threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True).start()
        started.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    def requests(url):
        return next((s.requests for s in started if isinstance(s, Server) and str(s.server_address[1]) in url), None)

    start.requests = requests
    yield start
    for s in started:
        if isinstance(s, Server):
            s.stop.set()
            s.shutdown()
            s.server_close()
        else:
            s.terminate()
            s.wait()


def plan(ranges, concurrency=1, timeout=5.0, retries=1):
    return types.SimpleNamespace(ranges=ranges, concurrency=concurrency, timeout=timeout, retries=retries)


def mixed(good, bad, bad_name="data.bin"):
    """Six 20 KB ranges of ``data.bin``: those at ``FAULTY`` on ``bad``, the others on ``good``."""
    return [((bad + bad_name) if i in FAULTY else (good + "data.bin"), i * 30_000, i * 30_000 + 19_999)
            for i in range(6)]


@pytest.mark.parametrize("concurrency", [1, 8])
@pytest.mark.parametrize("target", variants())
def test_bodies_in_plan_order(target, concurrency, serve):
    url = serve() + "data.bin"
    rng = random.Random(concurrency)
    ranges = [(url, 0, 0), (url, len(DATA) - 1, len(DATA) - 1)]  # one byte, the very last byte
    for _ in range(38):
        start = rng.randrange(len(DATA) - 40_000)
        ranges.append((url, start, start + rng.choice([1, 100, 9_999, 25_000, 39_999])))
    bodies = load(target)(plan(ranges, concurrency))
    assert all(type(b) is bytes for b in bodies)
    assert bodies == [DATA[s:e + 1] for _, s, e in ranges]
    assert task.summarize(bodies) == task.summarize([DATA[s:e + 1] for _, s, e in ranges])


@pytest.mark.parametrize("concurrency", [1, 8])
@pytest.mark.parametrize("target", variants())
def test_one_503_is_retried(target, concurrency, serve):
    ranges = mixed(serve(), serve("503x1"))
    assert load(target)(plan(ranges, concurrency)) == [DATA[s:e + 1] for _, s, e in ranges]


@pytest.mark.parametrize("fault, kind, retries", [
    ("503x1000", "status", 1),
    (f"reset@{10_000}", "incomplete", 1),
    ("short", "incomplete", 1),
    ("stall", "timeout", 0),  # retried like the others; 0 keeps the test short
])
@pytest.mark.parametrize("concurrency", [1, 8])
@pytest.mark.parametrize("target", variants())
def test_faults(target, concurrency, fault, kind, retries, serve):
    ranges = mixed(serve(), serve(fault))
    began = time.monotonic()
    with pytest.raises(FetchError) as err:
        load(target)(plan(ranges, concurrency, timeout=0.5, retries=retries))
    assert (err.value.kind, err.value.offset) == (kind, FAULTY[0]), str(err.value)
    assert time.monotonic() - began < 5


@pytest.mark.parametrize("case", ["404", "416"])
@pytest.mark.parametrize("concurrency", [1, 8])
@pytest.mark.parametrize("target", variants())
def test_404_and_416_are_final(target, concurrency, case, serve):
    good, bad = serve(), serve()
    if case == "404":
        ranges = mixed(good, bad, "missing.bin")
    else:
        ranges = mixed(good, bad)
        ranges[3] = (bad + "data.bin", len(DATA), len(DATA) + 10)  # past the end
    with pytest.raises(FetchError) as err:
        load(target)(plan(ranges, concurrency, retries=2))
    assert (err.value.kind, err.value.offset) == ("status", FAULTY[0]), str(err.value)
    assert case in str(err.value)
    if serve.requests(bad) is not None:  # ranges 3 and 5 at most once each: no retry
        assert serve.requests(bad) <= (1 if concurrency == 1 else 2)


def test_connection_refused_is_connect(serve):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nobody listens there
    for _, target, _ in [e for entries in task.VARIANTS.values() for e in entries]:
        with pytest.raises(FetchError) as err:
            load(target)(plan([(f"http://127.0.0.1:{port}/data.bin", 0, 9)], retries=0))
        assert (err.value.kind, err.value.offset) == ("connect", 0), f"{target}: {err.value}"
