"""The worker's own guarantees: every timed call is verified, errors are one line, the
protocol round-trips, and the PyO3 module it times is a release build."""
import gzip
import json
import subprocess
import sys

import pytest

from py_impls import worker


def test_a_call_that_changes_its_answer_is_a_mismatch_not_a_number(tmp_path):
    w = worker.Worker()
    path = tmp_path / "in.gz"
    path.write_bytes(gzip.compress(b"hello"))
    w.prepare({"task": "decompress", "tier": "hotpath", "variant": "zlib", "input": str(path)})
    calls = iter(range(100))
    w.fn = lambda data: (1, b"hello" if next(calls) < 3 else b"HELLO")  # goes wrong on call 4
    assert w.time({"iters": 3})["ns"] > 0
    with pytest.raises(worker.Failure) as err:
        w.time({"iters": 3})
    assert err.value.kind == "mismatch"


def test_errors_are_one_line_with_kind_and_offset():
    from py_impls.decompress import GzipError
    reply = worker.error_reply(GzipError("truncated", 17, "the input ends inside this member"))
    assert reply["error"] == {"kind": "truncated", "offset": 17,
                              "message": "truncated at byte 17: the input ends inside this member"}
    reply = worker.error_reply(TypeError("bad\nthing"))
    assert reply["error"]["kind"] == "internal"


def test_protocol_round_trip(tmp_path):
    path = tmp_path / "in.gz"
    path.write_bytes(gzip.compress(b"a" * 1000) + gzip.compress(b"b"))
    requests = [
        {"op": "hello"},
        {"op": "variants", "task": "decompress"},
        {"op": "prepare", "task": "decompress", "tier": "hotpath", "variant": "zlib", "input": str(path)},
        {"op": "time", "iters": 5},
        {"op": "prepare", "task": "decompress", "tier": "hotpath", "variant": "nope", "input": str(path)},
        {"op": "quit"},
    ]
    out = subprocess.run([sys.executable, "-m", "py_impls.worker"], input="\n".join(map(json.dumps, requests)),
                         capture_output=True, text=True, timeout=60, check=True)
    hello, variants, prepared, timed, missing = map(json.loads, out.stdout.splitlines())
    assert hello["protocol"] == worker.PROTOCOL
    assert {"tier": "pure", "variant": "inflate", "small": True, "known_mismatch": None} in variants["variants"]
    assert prepared["summary"]["members"] == 2 and prepared["summary"]["bytes"] == 1001
    assert timed["ok"] and timed["ns"] > 0
    assert not missing["ok"] and missing["error"]["kind"] == "unavailable"


def test_the_pyo3_module_is_a_release_build():
    gluebench_rs = pytest.importorskip("gluebench_rs", reason="built by `cargo test`'s bootstrap")
    assert gluebench_rs.DEBUG_ASSERTIONS is False


def test_a_variant_with_an_input_option_gets_a_fresh_object_every_call(tmp_path, monkeypatch):
    """The emoji task's str variant must never see the same ``str`` twice (its cached UTF-8
    would flatter every call after the first); making it stays outside the timing."""
    import types
    seen = []
    tier = types.ModuleType("py_impls.faketask.tier")
    tier.count = lambda arg: seen.append(arg) or len(arg)
    task = types.ModuleType("py_impls.faketask")
    task.VARIANTS = {"pyo3": [("str", "tier:count", {"input": "as_str"})]}
    task.load = lambda path: b"abc"
    task.as_str = lambda data: data.decode() + "!"
    task.summarize = lambda n: {"n": n}
    monkeypatch.setitem(sys.modules, "py_impls.faketask", task)
    monkeypatch.setitem(sys.modules, "py_impls.faketask.tier", tier)
    w = worker.Worker()
    prepared = w.prepare({"task": "faketask", "tier": "pyo3", "variant": "str", "input": "x"})
    assert prepared["summary"] == {"n": 4}
    assert w.time({"iters": 3})["ns"] > 0
    assert seen == ["abc!"] * 4 and len({id(x) for x in seen}) == 4


def test_requests_are_parsed_never_evaluated_and_bad_ones_refused():
    import io
    lines = list(worker.requests(io.BytesIO(b'{"op":"hello"}\n' + b"x" * 50 + b"\n" + b'{"op":"quit"}\n'), limit=20))
    assert lines[0] == b'{"op":"hello"}\n' and lines[2] == b'{"op":"quit"}\n'
    assert isinstance(lines[1], worker.Failure) and lines[1].kind == "protocol"  # over the limit, skipped whole
    for bad in [b"__import__('os')", b"[1]", b'{"op": "exec"}', b'{"op": "time", "iters": true}',
                b'{"op": "prepare", "task": "decompress"}', b"\xff", b"[" * 100000]:
        with pytest.raises(worker.Failure) as err:
            worker.parse_request(bad)
        assert err.value.kind == "protocol", bad[:20]
    with pytest.raises(worker.Failure) as err:
        worker.task_module("os.path/../x")
    assert err.value.kind == "protocol"


def test_memory_limit_setting_and_error():
    assert worker.parse_size("8G") == 8 << 30 and worker.parse_size("512MiB") == 512 << 20
    assert worker.parse_size("1000") == 1000 and worker.parse_size("off") is None
    assert 0 < worker.default_memory_limit() <= worker.DEFAULT_MEMORY_CAP
    assert worker.error_reply(MemoryError())["error"]["kind"] == "out-of-memory"
