"""Import ``standalone.rs`` (the emoji task's Rust core in one file) through maturin_import_hook.

This is the glue path with no packaging at all: a lone ``.rs`` file next to the Python code,
imported as ``py_impls.emoji.standalone``. The hook's *rust file importer* finds
``standalone.rs`` on the package's ``__path__``, generates a Cargo project around it with
``maturin new --bindings pyo3`` in its build directory, builds it with ``maturin build`` (here
``--release``), unpacks the wheel there and loads the extension module from it. Nothing is
installed into the venv.

What this module sets, and why:

* **build directory** ``target/maturin_import_hook/`` (``BUILD_DIR``) instead of the hook's
  default (``$MATURIN_BUILD_DIR``, else ``<sys.exec_prefix>/maturin_build_cache``), so
  ``cargo clean`` removes it like every other build. The project lives in
  ``<build dir>/project/standalone_<sha1 of the .rs path>/standalone/`` with its own
  ``target/``; ``build_status/`` holds what the last build was.
* **pyo3 version**: ``maturin new`` writes its template's pyo3 (``pyo3 = "0.29.0"`` for
  maturin 1.16.0, a caret requirement, so whatever 0.29.x is newest at build time). The
  generated manifest is rewritten to ``pyo3 = "=<version>"``, the pyo3 of the workspace's
  ``Cargo.lock`` that ``gluebench_rs`` is built with, and that ``Cargo.lock`` is copied in, so
  both modules use the same binding layer and the same locked dependencies (cargo drops the
  entries the project does not use). The original line is kept as a comment in the manifest.
  An empty ``[workspace]`` makes the project its own workspace: it lies inside gluebench's.
* **staleness**: the hook rebuilds when the built module is older than a source file (mtimes),
  when its mtime is not the one recorded in ``build_status/`` or when the maturin arguments
  differ; it never compares contents. The sources are the ``.rs`` file and, added here, this
  file (it decides the manifest) and ``Cargo.lock`` (it decides the pyo3 version). A rebuild
  regenerates the project from scratch, so it is always a full build, pyo3 included.
* **maturin**: the venv's own (``.venv/bin/maturin``, pinned in the lock), not the first one on
  ``PATH``: the worker runs ``.venv/bin/python`` without activating the venv.
* **environment**: the variables cargo sets for a test or bench binary, RUSTFLAGS and a target
  dir override are taken out while the hook runs maturin, as the bootstrap does for
  ``gluebench_rs``.
* the import **waits for the build lock** as long as it takes (the hook's default gives up
  after 120 s): concurrent test workers wait for one build instead of failing.

The hook is put on ``sys.meta_path`` for this one import and taken off after it, so it never
looks at another import.
"""
import contextlib
import importlib
import os
import re
import shutil
import sys
from pathlib import Path

from maturin_import_hook.error import ImportHookError
from maturin_import_hook.rust_file_importer import MaturinRustFileImporter
from maturin_import_hook.settings import MaturinSettings

ROOT = Path(__file__).resolve().parents[2]
SOURCE = Path(__file__).with_name("standalone.rs")
MODULE = "py_impls.emoji.standalone"
BUILD_DIR = ROOT / "target" / "maturin_import_hook"
LOCKFILE = ROOT / "Cargo.lock"
SETTINGS = MaturinSettings(release=True)


def pyo3_version(lockfile=LOCKFILE):
    """The version of pyo3 in a Cargo.lock."""
    found = re.search(r'\[\[package\]\]\nname = "pyo3"\nversion = "([^"]+)"', Path(lockfile).read_text())
    if not found:
        raise ImportHookError(f"no pyo3 in {lockfile}")
    return found.group(1)


class Importer(MaturinRustFileImporter):
    """The hook's rust file importer with the settings above (its documented override points)."""

    def find_maturin(self):
        venv_maturin = Path(sys.executable).with_name("maturin")
        return venv_maturin if venv_maturin.exists() else super().find_maturin()

    def get_source_files(self, source_path):
        yield source_path
        yield Path(__file__)
        yield LOCKFILE

    def generate_project_for_single_rust_file(self, module_path, project_dir, rust_file, settings):
        project_dir = super().generate_project_for_single_rust_file(module_path, project_dir, rust_file, settings)
        manifest = project_dir / "Cargo.toml"
        text = manifest.read_text()
        template = re.search(r"(?m)^pyo3 = .*$", text)
        if not template:
            raise ImportHookError(f"maturin new wrote no pyo3 dependency into {manifest}")
        pinned = f'pyo3 = "={pyo3_version()}"'
        text = text.replace(template.group(0), f"# maturin new wrote: {template.group(0)}\n{pinned}")
        manifest.write_text(text + "\n# A workspace of its own: the project lies inside gluebench's.\n[workspace]\n")
        shutil.copy(LOCKFILE, project_dir / "Cargo.lock")
        return project_dir


def _leaks(key):
    return (key.startswith(("CARGO_PKG_", "CARGO_CFG_"))
            or key in ("CARGO_PRIMARY_PACKAGE", "CARGO_TARGET_DIR", "CARGO_BUILD_TARGET_DIR",
                       "RUSTFLAGS", "CARGO_ENCODED_RUSTFLAGS"))


@contextlib.contextmanager
def _build_env():
    saved = {key: value for key, value in os.environ.items() if _leaks(key)}
    for key in saved:
        del os.environ[key]
    try:
        yield
    finally:
        os.environ.update(saved)


def load(build_dir=BUILD_DIR):
    """The module built from ``standalone.rs``, built first if ``build_dir`` has no fresh build."""
    if MODULE in sys.modules:
        return sys.modules[MODULE]
    build_dir = Path(build_dir)
    build_dir.mkdir(parents=True, exist_ok=True)
    importer = Importer(settings=SETTINGS, build_dir=build_dir, lock_timeout_seconds=None,
                        enable_reloading=False)
    sys.meta_path.insert(0, importer)
    try:
        with _build_env():
            module = importlib.import_module(MODULE)
    finally:
        sys.meta_path.remove(importer)
    if module.DEBUG_ASSERTIONS:
        raise ImportHookError(f"{module.__file__} was built with debug assertions: not a release build")
    return module


def manifest(build_dir=BUILD_DIR):
    """The Cargo.toml the hook generated for ``standalone.rs`` in ``build_dir`` (None if none)."""
    found = sorted(Path(build_dir).glob("project/standalone_*/standalone/Cargo.toml"))
    return found[0] if found else None


def pyo3_versions(build_dir=BUILD_DIR):
    """The pyo3 of the generated project: ``template`` (what ``maturin new`` wrote), ``pinned``
    (the requirement it was rewritten to) and ``built`` (the version in the project's lock)."""
    path = manifest(build_dir)
    if path is None:
        return {"template": None, "pinned": None, "built": None}
    text = path.read_text()
    template = re.search(r'(?m)^# maturin new wrote: pyo3 = "([^"]+)"', text)
    pinned = re.search(r'(?m)^pyo3 = "([^"]+)"', text)
    lock = path.with_name("Cargo.lock")
    return {"template": template and template.group(1), "pinned": pinned and pinned.group(1),
            "built": pyo3_version(lock) if lock.exists() else None}
