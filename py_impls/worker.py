"""The Python half of the gluebench harness: a long-lived worker that times Python tiers.

Started by the Rust harness as ``.venv/bin/python -m py_impls.worker``. One JSON object per
line on stdin, one reply per line on stdout (protocol version ``PROTOCOL``; the table of
requests is in ``src/worker.rs``). Tier code that prints goes to stderr: stdout belongs to the
protocol.

Timing: ``time.perf_counter_ns()`` around the call only. Loading the input, summarising the
result (e.g. sha256 of the output) and freeing it all happen outside the timed region, and every
timed call's summary must equal the prepared one, so every sample is verified.

Robustness: a request line longer than ``MAX_REQUEST`` bytes, a line that is not a JSON object,
an unknown op or a field of the wrong type gets an error reply of kind ``protocol`` and the
worker reads the next line; requests are only parsed as JSON, never evaluated, and a task name
only picks a module under ``py_impls``. The worker's writable memory is capped at start
(``GLUEBENCH_WORKER_MEMORY``, see ``set_memory_limit``), so a tier that allocates without bound gets
a MemoryError (reply kind ``out-of-memory``) instead of taking the machine down; a tier that
crashes the interpreter leaves its Python traceback on stderr (``faulthandler``).
"""
import importlib
import importlib.metadata
import json
import os
import faulthandler
import platform
import re
import resource
import sys
import sysconfig
import time

PROTOCOL = 4
# Inputs are handed over by path, so a request is small (the largest, `prepare`, is a few hundred
# bytes); anything longer is refused unread.
MAX_REQUEST = 1 << 20
# `decompress`, `json/cdxj`: a package under py_impls, or one of its modules or namespaces.
TASK_NAME = re.compile(r"[a-z_][a-z0-9_]*(/[a-z_][a-z0-9_]*)?\Z")
# The default cap of the worker's memory: half the machine's memory, at most this.
DEFAULT_MEMORY_CAP = 8 << 30
LIBRARIES = ("isal", "zlib-ng", "orjson", "msgspec", "pysimdjson", "emoji", "pyahocorasick",
             "ahocorasick_rs", "regex", "gluebench-rs", "maturin-import-hook", "pytest",
             "aiohttp", "uvloop", "httpx", "httpx2", "niquests", "pycurl", "pyreqwest",
             "fastwarc", "warcio")


class Failure(Exception):
    def __init__(self, kind, message, offset=None):
        super().__init__(message)
        self.kind, self.offset = kind, offset


def jit():
    """Which JIT this interpreter has and whether it is on: (description, enabled)."""
    if sys.implementation.name == "pypy":
        try:
            import pypyjit  # present only when PyPy was translated with its JIT
        except ImportError:
            return "none: PyPy built without its JIT", False
        return "tracing JIT (PyPy; meta-tracing, RPython)", True
    if sys.implementation.name != "cpython":
        return f"unknown ({sys.implementation.name})", False
    built = "--enable-experimental-jit" in (sysconfig.get_config_var("CONFIG_ARGS") or "")
    if hasattr(sys, "_jit"):  # 3.14+: the interpreter says so itself
        built, on = sys._jit.is_available(), sys._jit.is_enabled()
    else:  # 3.13: on unless built "yes-off" or PYTHON_JIT=0
        on = built and "experimental-jit=yes-off" not in sysconfig.get_config_var("CONFIG_ARGS") \
            and os.environ.get("PYTHON_JIT") != "0"
    adaptive = "specialising adaptive interpreter (PEP 659)" if sys.version_info >= (3, 11) else "none"
    if sys.version_info < (3, 13):
        return f"none: no JIT before 3.13; {adaptive}", False
    if not built:
        return f"none: not built with --enable-experimental-jit; {adaptive}", False
    return f"experimental copy-and-patch JIT, built in, {'on' if on else 'off'}", on


def hello(_req):
    versions = {}
    for name in LIBRARIES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    try:
        import gluebench_rs
        pyo3_debug, pyo3_error = bool(gluebench_rs.DEBUG_ASSERTIONS), None
    except ImportError as e:
        pyo3_debug, pyo3_error = None, str(e)
    jit_desc, jit_on = jit()
    return {
        "protocol": PROTOCOL,
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "implementation": sys.implementation.name,
        "version": platform.python_version(),
        "jit": jit_desc,
        "jit_enabled": jit_on,
        "executable": sys.executable,
        "prefix": sys.prefix,
        "libraries": versions,
        "packages": {d.metadata["Name"]: d.version for d in importlib.metadata.distributions()},
        "pyo3_debug": pyo3_debug,
        "pyo3_error": pyo3_error,
        "memory_limit": MEMORY_LIMIT,
    }


def task_module(name):
    """``decompress`` -> the package ``py_impls.decompress``; a workload such as ``json/cdxj``
    -> the namespace ``cdxj`` of ``py_impls.json``, or else the module ``py_impls.json.cdxj``
    (how the tests reach ``py_impls/tests/broken.py``). Each has VARIANTS, load and summarize."""
    if not isinstance(name, str) or not TASK_NAME.match(name):
        raise Failure("protocol", f"not a task name: {name!r:.80}")
    package, _, workload = name.partition("/")
    try:
        tasks = importlib.import_module(f"py_impls.{package}")
        if not workload:
            return tasks
        if hasattr(tasks, workload):
            return getattr(tasks, workload)
        return importlib.import_module(f"py_impls.{package}.{workload}")
    except ModuleNotFoundError:
        raise Failure("unavailable", f"no Python task named {name!r}") from None


def entries_of(tasks, tier):
    """A tier's variants, or for ``baseline`` the task's BASELINES (plain loops that do not
    apply the rule: their summary is their checksum, never compared with the expected one)."""
    if tier == "baseline":
        return getattr(tasks, "BASELINES", ())
    return tasks.VARIANTS.get(tier, ())


def baseline_summary(result):
    return {"checksum": result}


def variants(req):
    tasks = task_module(req["task"])
    tiers = list(tasks.VARIANTS) + (["baseline"] if getattr(tasks, "BASELINES", None) else [])
    return {"variants": [
        {"tier": tier, "variant": name, "small": bool(opts.get("small")),
         "known_mismatch": opts.get("known_mismatch")}
        for tier in tiers
        for name, _target, opts in entries_of(tasks, tier)
    ]}


class Worker:
    def __init__(self):
        self.fn = self.input = self.summary = self.summarize = self.fresh = None

    def prepare(self, req):
        self.fn = self.input = self.summary = self.fresh = None  # free the previous input first
        tasks = task_module(req["task"])
        entries = {name: (target, opts) for name, target, opts in entries_of(tasks, req["tier"])}
        if req["variant"] not in entries:
            raise Failure("unavailable", f"no variant {req['tier']}/{req['variant']}")
        target, opts = entries[req["variant"]]
        module, _, func = target.partition(":")
        try:
            package = req["task"].partition("/")[0]
            fn = getattr(importlib.import_module(f"py_impls.{package}.{module}"), func)
        except (ImportError, SyntaxError) as e:  # a package that did not install, a newer syntax
            raise Failure("unavailable", f"cannot import {module}: {e}") from None
        # A task with a fixture (e.g. a server) gets what it handed the tiers: load(path, params).
        params = req.get("params") or {}
        data = tasks.load(req["input"], params) if params else tasks.load(req["input"])
        # A variant with the option "input" gets a fresh object made by that function of the
        # task for every call (e.g. a new str, whose cached UTF-8 would flatter a second call).
        fresh = getattr(tasks, opts["input"]) if "input" in opts else None
        arg = fresh(data) if fresh else data
        t0 = time.perf_counter_ns()
        try:
            result = fn(arg)
        except ImportError as e:  # a package imported on first use that did not install
            raise Failure("unavailable", f"{module}: {e}") from None
        ns = time.perf_counter_ns() - t0
        del arg
        summarize = baseline_summary if req["tier"] == "baseline" else tasks.summarize
        self.fn, self.input, self.summarize, self.fresh = fn, data, summarize, fresh
        self.summary = summarize(result)
        return {"seconds": ns / 1e9, "summary": self.summary}

    def time(self, req):
        if self.fn is None:
            raise Failure("internal", "time before a successful prepare")
        fn, data, summarize, expected, fresh = self.fn, self.input, self.summarize, self.summary, self.fresh
        total = 0
        for _ in range(int(req["iters"])):
            arg = fresh(data) if fresh else data
            t0 = time.perf_counter_ns()
            result = fn(arg)
            total += time.perf_counter_ns() - t0
            del arg
            got = summarize(result)
            del result
            if got != expected:
                raise Failure("mismatch", f"a timed call returned {got}, the first call {expected}")
        return {"ns": total}


def error_reply(exc):
    """One line for the harness: the task's own error kind and offset when it has them."""
    if isinstance(exc, MemoryError):
        limit = memory_limit_text()
        return {"ok": False, "error": {"kind": "out-of-memory", "offset": None, "message":
                f"MemoryError: the tier ran out of memory under the worker's limit ({limit}); "
                "raise GLUEBENCH_WORKER_MEMORY if the tier really needs more"}}
    if MEMORY_LIMIT is not None and isinstance(exc, RuntimeError) and "can't start new thread" in str(exc):
        return {"ok": False, "error": {"kind": "out-of-memory", "offset": None, "message":
                f"RuntimeError: {exc}: every thread's stack counts against the worker's memory "
                f"limit ({memory_limit_text()}); raise it for a tier with many threads"}}
    kind = getattr(exc, "kind", None) or "internal"
    message = str(exc) if kind != "internal" else f"{type(exc).__name__}: {exc}"
    return {"ok": False, "error": {"kind": kind, "offset": getattr(exc, "offset", None), "message": message}}


def parse_size(text):
    """``8G``, ``512M``, ``1.5G``, ``4096K`` or bytes; ``0``/``off``/``none`` is no limit."""
    text = text.strip().lower()
    if text in ("0", "off", "none", "unlimited"):
        return None
    scale = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}.get(text.rstrip("ib")[-1:], 1)
    number = text.rstrip("ib").rstrip("kmgt") if scale != 1 else text
    return int(float(number) * scale)


def default_memory_limit():
    """Half the machine's memory, at most DEFAULT_MEMORY_CAP."""
    try:
        ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return DEFAULT_MEMORY_CAP
    return min(ram // 2, DEFAULT_MEMORY_CAP)


def set_memory_limit():
    """Caps the worker's writable memory (RLIMIT_DATA: heap and private mappings, which Linux
    enforces on mmap since 4.7) at GLUEBENCH_WORKER_MEMORY or the default; returns the limit in
    bytes (None: none). Never raises the hard limit it was given.

    Not RLIMIT_AS: the address space counts reservations never used, e.g. the malloc arena
    glibc reserves per thread (64 MiB each): the fetch tiers' threads reserve 2.2 GB of address
    space for 0.25 GB resident, and more on a machine with more cores."""
    setting = os.environ.get("GLUEBENCH_WORKER_MEMORY")
    try:
        limit = parse_size(setting) if setting else default_memory_limit()
    except ValueError:
        print(f"gluebench worker: GLUEBENCH_WORKER_MEMORY={setting!r} is not a size (e.g. 8G, 512M, off);"
              " using the default", file=sys.stderr)
        limit = default_memory_limit()
    if limit is None:
        return None
    _soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    try:
        resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))
    except (ValueError, OSError) as e:
        print(f"gluebench worker: cannot limit memory to {limit} bytes: {e}", file=sys.stderr)
        return None
    return limit


MEMORY_LIMIT = None


def memory_limit_text():
    if MEMORY_LIMIT is None:
        return "none"
    return f"{MEMORY_LIMIT / (1 << 30):.3g} GiB, GLUEBENCH_WORKER_MEMORY"


def requests(stream, limit=MAX_REQUEST):
    """The request lines of ``stream`` (binary), each as bytes, or a Failure for a line over
    ``limit`` bytes (its rest is read and dropped, never kept)."""
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            while True:  # skip the rest of the line in pieces
                rest = stream.readline(limit)
                if not rest or rest.endswith(b"\n"):
                    break
            yield Failure("protocol", f"request line over {limit} bytes; requests pass inputs by path")
            continue
        yield line


# The fields each op takes, with their types (anything else in a request is ignored).
FIELDS = {
    "hello": {},
    "variants": {"task": str},
    "prepare": {"task": str, "tier": str, "variant": str, "input": str},
    "time": {"iters": int},
}


def parse_request(line):
    """A request line as a dict with a known op and fields of the right types, or Failure."""
    try:
        req = json.loads(line)
    except (ValueError, RecursionError) as e:  # UnicodeDecodeError is a ValueError
        raise Failure("protocol", f"not a JSON line: {e}") from None
    if not isinstance(req, dict):
        raise Failure("protocol", f"a request is a JSON object, not {type(req).__name__}")
    op = req.get("op")
    if op == "quit":
        return req
    if not isinstance(op, str) or op not in FIELDS:
        raise Failure("protocol", f"unknown op {op!r:.80}")
    for field, kind in FIELDS[op].items():
        value = req.get(field)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise Failure("protocol", f"{op}: field {field!r} must be a {kind.__name__}")
    if op == "prepare" and not isinstance(req.get("params") or {}, dict):
        raise Failure("protocol", "prepare: field 'params' must be an object")
    if op == "time" and req["iters"] < 0:
        raise Failure("protocol", "time: 'iters' must be at least 0")
    return req


def main():
    global MEMORY_LIMIT
    protocol_out = os.fdopen(os.dup(sys.stdout.fileno()), "w", buffering=1)
    # Tier code that prints, from Python or from C (file descriptor 1), must not corrupt the
    # protocol: both go to stderr.
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    sys.stdout = sys.stderr
    faulthandler.enable()  # a crash in an extension prints the Python traceback to stderr
    MEMORY_LIMIT = set_memory_limit()
    worker = Worker()
    ops = {"hello": hello, "variants": variants, "prepare": worker.prepare, "time": worker.time}
    for line in requests(sys.stdin.buffer):
        try:
            if isinstance(line, Failure):
                raise line
            req = parse_request(line)
            if req["op"] == "quit":
                break
            reply = {"ok": True, **ops[req["op"]](req)}
        except Exception as e:  # any tier failure becomes an error reply; the worker lives on
            if os.environ.get("GLUEBENCH_DEBUG"):
                import traceback
                traceback.print_exc()
            reply = error_reply(e)
        protocol_out.write(json.dumps(reply) + "\n")
    if os.environ.get("GLUEBENCH_DEBUG"):
        print(f"gluebench worker: peak memory {peak_memory()}", file=sys.stderr)


def peak_memory():
    """The worker's peak address space and resident set (Linux), for choosing the limit."""
    try:
        with open("/proc/self/status") as f:
            fields = dict(line.split(":", 1) for line in f if ":" in line)
        return f"VmPeak {fields['VmPeak'].strip()}, VmHWM {fields['VmHWM'].strip()}"
    except (OSError, KeyError):
        return "unknown"


if __name__ == "__main__":
    main()
