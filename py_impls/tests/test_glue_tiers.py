"""Every Python variant of ``glue/calls`` makes exactly its 1,000 calls, and a wrong length is
the task's error. ``tests/glue.rs`` checks every tier, the Rust one too, through ``check``."""
import importlib

import pytest

from py_impls import glue

task = glue.calls


def variants():
    return [pytest.param(tier, target, opts, id=f"{tier}/{name}")
            for tier, entries in task.VARIANTS.items() for name, target, opts in entries]


def load(tier, target):
    if tier == "pyo3":
        gluebench_rs = pytest.importorskip("gluebench_rs")
        if not hasattr(gluebench_rs, "str_len"):
            pytest.skip("this gluebench_rs has no glue functions yet: rebuild it with `cargo test`")
    module, _, func = target.partition(":")
    return getattr(importlib.import_module(f"py_impls.glue.{module}"), func)


@pytest.mark.parametrize("tier,target,opts", variants())
@pytest.mark.parametrize("data", [b"", b"plain", "数据 🙂\n".encode() * 100, b"bad \xff"])
def test_every_variant_makes_its_calls(tier, target, opts, data):
    arg = getattr(task, opts["input"])(data) if "input" in opts else data
    assert task.summarize(load(tier, target)(arg)) == {"calls": glue.CALLS}


def test_a_wrong_length_is_the_tasks_error():
    pytest.importorskip("gluebench_rs")
    from py_impls.glue import pyo3
    with pytest.raises(glue.GlueError) as e:
        pyo3.str_arg_calls(("text", 5))
    assert (e.value.kind, e.value.offset) == ("wrong-length", None)
