"""The Python half of the gluebench harness: a long-lived worker that times Python tiers.

Started by the Rust harness as ``.venv/bin/python -m py_impls.worker``. One JSON object per
line on stdin, one reply per line on stdout (protocol version ``PROTOCOL``; the table of
requests is in ``src/worker.rs``). Tier code that prints goes to stderr: stdout belongs to the
protocol.

Timing: ``time.perf_counter_ns()`` around the call only. Loading the input, summarising the
result (e.g. sha256 of the output) and freeing it all happen outside the timed region, and every
timed call's summary must equal the prepared one, so every sample is verified.
"""
import importlib
import importlib.metadata
import json
import os
import platform
import sys
import sysconfig
import time

PROTOCOL = 3
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
    }


def task_module(name):
    """``decompress`` -> the package ``py_impls.decompress``; a workload such as ``json/cdxj``
    -> the namespace ``cdxj`` of ``py_impls.json``. Either has VARIANTS, load and summarize."""
    package, _, workload = name.partition("/")
    try:
        tasks = importlib.import_module(f"py_impls.{package}")
        return getattr(tasks, workload) if workload else tasks
    except (ModuleNotFoundError, AttributeError):
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
    kind = getattr(exc, "kind", None) or "internal"
    message = str(exc) if kind != "internal" else f"{type(exc).__name__}: {exc}"
    return {"ok": False, "error": {"kind": kind, "offset": getattr(exc, "offset", None), "message": message}}


def main():
    protocol_out = os.fdopen(os.dup(sys.stdout.fileno()), "w", buffering=1)
    sys.stdout = sys.stderr  # tier code that prints must not corrupt the protocol
    worker = Worker()
    ops = {"hello": hello, "variants": variants, "prepare": worker.prepare, "time": worker.time}
    for line in sys.stdin:
        req = json.loads(line)
        if req.get("op") == "quit":
            break
        try:
            reply = {"ok": True, **ops[req["op"]](req)}
        except Exception as e:  # any tier failure becomes an error reply; the worker lives on
            if os.environ.get("GLUEBENCH_DEBUG"):
                import traceback
                traceback.print_exc()
            reply = error_reply(e)
        protocol_out.write(json.dumps(reply) + "\n")


if __name__ == "__main__":
    main()
