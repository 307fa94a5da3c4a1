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
    """``gluebench serve``'s answers and faults: ``MODE[@OFFSET][xTIMES]``, MODE one of 503,
    reset, stall, short; only ranges starting at OFFSET; TIMES fires per (path, range start)."""
    protocol_version = "HTTP/1.1"  # keep-alive
    disable_nagle_algorithm = True  # headers and body are two writes: no delayed-ACK stalls

    def log_message(self, *args):
        pass

    def do_GET(self):
        server = self.server
        start, end = map(int, re.fullmatch(r"bytes=(\d+)-(\d+)", self.headers["Range"]).groups())
        with server.lock:
            server.requests += 1
            mode = server.fire(self.path, start)
        if mode == "503":
            return self.reply(503, {"Retry-After": "0"})
        path = os.path.join(server.root, self.path.lstrip("/"))
        if ".." in self.path or not os.path.isfile(path):
            return self.reply(404)
        data = open(path, "rb").read()
        if start >= len(data):
            return self.reply(416, {"Content-Range": f"bytes */{len(data)}"})
        body = data[start:min(end, len(data) - 1) + 1]
        self.send_response(206)
        self.send_header("Content-Range", f"bytes {start}-{start + len(body) - 1}/{len(data)}")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if mode is None:
            return self.wfile.write(body)
        self.wfile.write(body[: len(body) // 2])  # about half the body, then:
        self.wfile.flush()
        if mode == "reset":  # a TCP reset
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\1\0\0\0\0\0\0\0")
            self.connection.close()
        elif mode == "stall":  # silence, until the server stops
            server.stop.wait(10)
        self.close_connection = True  # short: a clean close

    def reply(self, status, headers=()):
        self.send_response(status)
        for name, value in dict(headers).items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default 5 drops concurrent connects: 1 s SYN retries

    def __init__(self, root, fault):
        super().__init__(("127.0.0.1", 0), Handler)
        self.root, self.lock, self.stop = root, threading.Lock(), threading.Event()
        self.requests, self.fired = 0, {}
        spec = re.fullmatch(r"(503|reset|stall|short)(?:@(\d+))?(?:x(\d+))?", fault or "")
        mode, at, times = spec.groups() if spec else (None,) * 3
        self.mode, self.at, self.times = mode, at and int(at), times and int(times)
        threading.Thread(target=self.serve_forever, args=(0.01,), daemon=True).start()

    def fire(self, path, start):
        if self.mode is None or self.at not in (None, start):
            return None
        if self.times is not None:
            if self.fired.get((path, start), 0) >= self.times:
                return None
            self.fired[path, start] = self.fired.get((path, start), 0) + 1
        return self.mode


@pytest.fixture
def serve(tmp_path):
    """``serve(fault=None) -> base URL`` of a server of ``tmp_path`` (holding ``data.bin``),
    stopped when the test ends. ``.requests(url)`` counts a self-started server's requests."""
    (tmp_path / "data.bin").write_bytes(DATA)
    started = []

    def start(fault=None):
        binary = os.environ.get("GLUEBENCH_SERVE")
        if binary:
            args = [binary, "serve", str(tmp_path), "--retry-after", "0"]
            args += ["--fault", fault] if fault else []
            proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
            started.append(proc)
            return re.search(r"http://\S+/", proc.stdout.readline()).group(0)
        server = Server(str(tmp_path), fault)
        started.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    def requests(url):
        ours = [s for s in started if isinstance(s, Server) and f":{s.server_address[1]}/" in url]
        return ours[0].requests if ours else None

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
    return types.SimpleNamespace(ranges=ranges, concurrency=concurrency, timeout=timeout,
                                 retries=retries)


def mixed(good, bad, bad_name="data.bin"):
    """Six 20 KB ranges of ``data.bin``: those at ``FAULTY`` on ``bad``, the others on ``good``."""
    return [(bad + bad_name if i in FAULTY else good + "data.bin", i * 30_000, i * 30_000 + 19_999)
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
    ("503", "status", 1),
    ("reset", "incomplete", 1),
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


def test_a_length_of_zero_is_refused_by_the_loader(tmp_path):
    index = tmp_path / "plan.tsv"
    index.write_text("data.bin\t0\t10\ndata.bin\t5\t0\n")
    with pytest.raises(ValueError, match="line 2: LENGTH is 0"):
        task.load(index, {"url": "http://127.0.0.1:1/"})
