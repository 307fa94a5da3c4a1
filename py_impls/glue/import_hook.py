"""What the lone-``.rs``-file glue path costs at import: maturin_import_hook next to maturin.

    python -m py_impls.glue.import_hook [--json] [--samples N] [--build-dir DIR] [--keep]

Three numbers, each the wall time of an import in a fresh interpreter (a subprocess), timed
inside the child around the import alone, so interpreter start-up is not in it:

* ``first_import_s``: ``standalone.rs`` imported through the hook (``py_impls/emoji/hook.py``,
  release mode) into a fresh, empty build directory: ``maturin new``, a full release build of
  the file and pyo3, unpacking the wheel, loading. One sample: it is minutes, and a second one
  would be the same build again.
* ``cached_import_s``: N imports through the hook with that build in place: importing the hook
  package (``hook_package_s`` of each sample, the part a plain import does not pay), the
  staleness check (mtimes, the build lock, ``build_status/``) and loading the module.
* ``maturin_import_s``: N imports of ``gluebench_rs``, the pyo3 tier's module that the
  bootstrap built with maturin and installed into the venv.

The parent package ``py_impls.emoji`` is imported before the clock starts: the ``.rs`` file is
found on its ``__path__``, and it is not the hook's cost. The build directory is a new
directory under ``target/maturin_import_hook/`` (or ``--build-dir``, which must not exist yet) and is removed at the
end unless ``--keep``. Versions: the hook, maturin, Python, and pyo3 as the generated
``Cargo.toml`` has it (``template``: what ``maturin new`` wrote; ``pinned``: what ``hook.py``
rewrote it to; ``built``: the version in the project's lock after the build).
"""
import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

HOOK_CHILD = """
import json, sys, time
import py_impls.emoji
t0 = time.perf_counter()
from py_impls.emoji import hook
t1 = time.perf_counter()
module = hook.load(sys.argv[1])
t2 = time.perf_counter()
print(json.dumps({"import_s": t2 - t0, "hook_package_s": t1 - t0, "file": module.__file__}))
"""

MATURIN_CHILD = """
import json, time
t0 = time.perf_counter()
import gluebench_rs
t1 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "file": gluebench_rs.__file__}))
"""


def child(code, *args):
    """Runs ``code`` in a fresh interpreter; its last stdout line is its JSON result."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"the child import failed ({done.returncode}); its stderr is above")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(samples, build_dir, keep=False):
    from py_impls.emoji import hook

    if build_dir is None:
        hook.BUILD_DIR.mkdir(parents=True, exist_ok=True)
        build_dir = Path(tempfile.mkdtemp(prefix="measure-", dir=hook.BUILD_DIR))
    build_dir = Path(build_dir)
    if build_dir.exists() and any(build_dir.iterdir()):
        raise SystemExit(f"{build_dir} is not empty: the first import needs a fresh build dir")
    try:
        first = child(HOOK_CHILD, str(build_dir))
        cached = [child(HOOK_CHILD, str(build_dir)) for _ in range(samples)]
        plain = [child(MATURIN_CHILD) for _ in range(samples)]
        pyo3 = hook.pyo3_versions(build_dir)
    finally:
        if not keep:
            shutil.rmtree(build_dir, ignore_errors=True)
    return {
        "first_import_s": first["import_s"],
        "cached_import_s": [s["import_s"] for s in cached],
        "cached_hook_package_s": [s["hook_package_s"] for s in cached],
        "maturin_import_s": [s["import_s"] for s in plain],
        "cached_import_median_s": statistics.median(s["import_s"] for s in cached),
        "maturin_import_median_s": statistics.median(s["import_s"] for s in plain),
        "samples": samples,
        "versions": {
            "maturin_import_hook": version("maturin-import-hook"),
            "maturin": version("maturin"),
            "pyo3": pyo3["pinned"],
            "pyo3_template": pyo3["template"],
            "pyo3_built": pyo3["built"],
            "python": f"{platform.python_implementation()} {platform.python_version()}",
        },
        "settings": {"release": hook.SETTINGS.release, "build_dir": str(build_dir), "kept": keep},
        "modules": {"import_hook": first["file"], "maturin": plain[0]["file"]},
    }


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m py_impls.glue.import_hook", description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--samples", type=int, default=10, help="imports per cached measurement (default 10)")
    parser.add_argument("--build-dir", help="a new directory for the first build (default: one under target/)")
    parser.add_argument("--keep", action="store_true", help="keep the build dir")
    args = parser.parse_args(argv)
    if args.samples < 1:
        parser.error("--samples must be at least 1")
    result = measure(args.samples, args.build_dir, args.keep)
    if args.json:
        print(json.dumps(result, indent=1))
        return
    v = result["versions"]
    print(f"maturin_import_hook {v['maturin_import_hook']}, maturin {v['maturin']}, pyo3 {v['pyo3']} "
          f"(maturin new wrote {v['pyo3_template']}), {v['python']}")
    print(f"first import (clean release build):  {result['first_import_s']:8.3f} s")
    print(f"cached import through the hook:      {result['cached_import_median_s'] * 1e3:8.1f} ms "
          f"(median of {args.samples}; importing the hook package "
          f"{statistics.median(result['cached_hook_package_s']) * 1e3:.1f} ms of it)")
    print(f"import gluebench_rs (maturin-built): {result['maturin_import_median_s'] * 1e3:8.1f} ms "
          f"(median of {args.samples})")


if __name__ == "__main__":
    main()
