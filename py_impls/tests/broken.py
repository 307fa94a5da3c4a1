"""Deliberately broken variants, for the harness's robustness tests (tests/robustness.rs) only:
never a real task, never in `cargo bench` or `check` (the tests reach it as the task
``tests/broken``). Every variant takes the input's bytes; the right answer is their length.

Each tier lists a broken variant first and a good one after it, so a test sees the harness
carry on: the worker restarted after a crash, a hang or running out of memory, and the next
variant measured.
"""
import ctypes
import os
import signal
import time


def load(path):
    with open(path, "rb") as f:
        return f.read()


def summarize(result):
    return {"bytes": result}


def ok(data):
    return len(data)


def segfault(data):
    ctypes.string_at(0)  # reads address 0: SIGSEGV in C, as a broken extension would


CALLS = 0


def segfault_when_timed(data):
    """Right on its first call (the gate), a crash on the next (while timed)."""
    global CALLS
    CALLS += 1
    if CALLS > 1:
        ctypes.string_at(0)
    return len(data)


def killed(data):
    os.kill(os.getpid(), signal.SIGKILL)  # what the kernel's out-of-memory killer does


def hang(data):
    time.sleep(1e9)


def hog(data):
    chunks = []
    while True:  # touches every page: a real hog, stopped by the worker's memory limit
        chunks.append(b"\x01" * (32 << 20))


def wrong(data):
    return len(data) + 1


def fails(data):
    raise ValueError("this variant always fails")


VARIANTS = {
    "pure": [("segfault", "broken:segfault", {}), ("ok", "broken:ok", {}),
             ("segfault-when-timed", "broken:segfault_when_timed", {})],
    "naive": [("hang", "broken:hang", {}), ("ok", "broken:ok", {})],
    "hotpath": [("hog", "broken:hog", {}), ("ok", "broken:ok", {})],
    "ecosystem": [("wrong", "broken:wrong", {}), ("fails", "broken:fails", {}),
                  ("killed", "broken:killed", {}), ("ok", "broken:ok", {})],
}
