"""``standalone.rs`` imported through maturin_import_hook (``py_impls/emoji/hook.py``), and the
measurement of that import (``py_impls/glue/import_hook.py``).

The first test in a fresh checkout compiles the file (a release build, a minute or two); the
emoji tier tests hold the ``import-hook`` variant to the task's whole rule. The last test runs
the measurement, which builds once more into a fresh directory of its own.
"""
import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("maturin_import_hook", reason="not installed: run `cargo test` (it bootstraps .venv)")

from py_impls.emoji import hook, sequences  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
FAMILY = "\U0001F468\u200d\U0001F469\u200d\U0001F467\u200d\U0001F466"
GRIN = "\U0001F600"
KEYCAP = "#\ufe0f\u20e3"


@pytest.fixture(scope="module")
def module():
    return hook.load()


@pytest.fixture(scope="module")
def counter(module):
    return module.EmojiCounter(sequences())


def test_it_is_a_release_build_in_the_project_target(module):
    assert module.__name__ == "py_impls.emoji.standalone"
    assert not module.DEBUG_ASSERTIONS
    assert Path(module.__file__).resolve().is_relative_to(hook.BUILD_DIR.resolve())
    assert hook.load() is module


def test_the_generated_project_pins_the_workspace_pyo3(module):
    versions = hook.pyo3_versions()
    assert versions["pinned"] == "=" + hook.pyo3_version()
    assert versions["built"] == hook.pyo3_version()
    assert versions["template"]


@pytest.mark.parametrize("data,counts,replacements", [
    (b"", {}, 0),
    (b"plain ASCII, #1 and 0-9", {}, 0),
    (GRIN.encode(), {GRIN: 1}, 0),
    (FAMILY.encode(), {FAMILY: 1}, 0),
    (("ab" + KEYCAP + "c" * 9 + KEYCAP).encode(), {KEYCAP: 2}, 0),
    (GRIN.encode() + b"\xff" + GRIN.encode(), {GRIN: 2}, 1),
    (b"\xed\xa0\x80" + FAMILY.encode() + b"\xf0\x9f\x98", {FAMILY: 1}, 4),
    ("\u2764 \u2764\ufe0f \ufffd".encode(), {"\u2764\ufe0f": 1}, 0),
])
def test_counts(counter, data, counts, replacements):
    assert counter.count(data) == (counts, replacements)


def test_the_keys_are_the_callers_strings(counter):
    found, _ = counter.count(FAMILY.encode())
    (key,) = found
    assert key is next(s for s in sequences() if s == FAMILY)


def test_a_set_it_cannot_count_is_refused(module):
    with pytest.raises(ValueError):
        module.EmojiCounter(["\ufffd"])
    with pytest.raises(ValueError):
        module.EmojiCounter([""])


def test_the_measurement_prints_its_fields():
    done = subprocess.run([sys.executable, "-m", "py_impls.glue.import_hook", "--json", "--samples", "1"],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["first_import_s"] > 0
    for key in ("cached_import_s", "maturin_import_s"):
        assert len(result[key]) == 1 and result[key][0] > 0, key
    assert set(result["versions"]) >= {"maturin_import_hook", "maturin", "pyo3"}
    assert result["versions"]["pyo3"] == "=" + hook.pyo3_version()
    assert not Path(result["settings"]["build_dir"]).exists()
