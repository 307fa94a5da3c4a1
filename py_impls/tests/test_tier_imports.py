"""Tiers stay independent: no module of a task package imports a tier module.

A tier module (``pure``, ``naive``, ``hotpath``, ``ecosystem``, ``pyo3``, or a variant of one
such as ``pyo3_hook``) may import its task package's shared helpers (the package's
``__init__.py``, and helper modules such as ``emoji/rgi.py`` or ``emoji/hook.py``), never
another tier: the pipeline composes each tier's own stages, and a hidden chain (a fast tier
falling back to the naive one, say) would blur its numbers. A helper importing a tier would
be the same chain one step removed, so helpers are held to it too.

The one exception is that composition itself: a tier module of a task that chains the others
(``COMPOSERS``: the pipeline) imports *the same tier* of the other tasks, and nothing else.

The imports are read from the source with ``ast`` (nothing is imported), every statement
anywhere in the module: top level, inside functions, under ``if`` or ``try``.
"""
import ast
from pathlib import Path

import pytest

PY_IMPLS = Path(__file__).resolve().parents[1]
TIERS = ("pure", "naive", "hotpath", "ecosystem", "pyo3")
COMPOSERS = ("pipeline",)


def is_tier(module):
    """Whether a module's last name is a tier's: ``pyo3``, or a variant like ``pyo3_hook``."""
    return any(module == t or module.startswith(t + "_") for t in TIERS)


def task_packages():
    return sorted(p.parent for p in PY_IMPLS.glob("*/__init__.py") if p.parent.name != "tests")


def imported_modules(path, package):
    """(line, dotted module) for every module that ``path`` (a module of ``package``, e.g.
    ``py_impls.emoji``) imports, relative imports resolved; ``from X import a`` counts both
    ``X`` and ``X.a`` (``a`` may be a submodule)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    here = package.split(".")  # level 1: this package, for __init__.py and its modules alike
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[:len(here) - (node.level - 1)]
                if node.module:
                    base = base + node.module.split(".")
                module = ".".join(base)
            else:
                module = node.module
            yield node.lineno, module
            for alias in node.names:
                yield node.lineno, f"{module}.{alias.name}"


def tier_imports(path, package):
    """The imports of ``path`` that name a tier module of any task package (itself excepted,
    and for a composer's tier module, the same tier of another task)."""
    own = f"{package}.{path.stem}"
    composer = package.split(".")[-1] in COMPOSERS and is_tier(path.stem)
    found = []
    for line, module in imported_modules(path, package):
        parts = module.split(".")
        # py_impls.<task>.<tier>[.<name>]: a tier module, or a name taken from one
        if len(parts) >= 3 and parts[0] == "py_impls" and is_tier(parts[2]):
            tier_module = ".".join(parts[:3])
            same_tier_elsewhere = parts[2] == path.stem and f"py_impls.{parts[1]}" != package
            if tier_module != own and not (composer and same_tier_elsewhere):
                found.append(f"{package}.{path.stem}:{line} imports {module}")
    return found


MODULES = [pytest.param(path, f"py_impls.{pkg.name}", id=f"{pkg.name}/{path.name}")
           for pkg in task_packages() for path in sorted(pkg.glob("*.py"))]


@pytest.mark.parametrize("path, package", MODULES)
def test_no_module_imports_a_tier(path, package):
    assert tier_imports(path, package) == []


def test_every_task_has_tier_modules():
    """The scan sees the tiers it is meant to guard (a renamed folder would make it vacuous)."""
    seen = {(p.parent.name, p.stem) for p in PY_IMPLS.glob("*/*.py") if is_tier(p.stem)}
    for task in ("decompress", "json", "emoji", "glue"):
        assert any(t == task for t, _ in seen), task
    assert ("emoji", "pyo3_hook") in seen


def test_the_check_catches_each_form(tmp_path):
    """Each way of importing a tier is caught; helpers and the package itself are not."""
    pkg = tmp_path / "emoji"
    pkg.mkdir()
    bad = {
        "from .pure import longest": "py_impls.emoji.pure.longest",
        "from . import naive": "py_impls.emoji.naive",
        "from . import decode, hotpath": "py_impls.emoji.hotpath",
        "import py_impls.emoji.pure": "py_impls.emoji.pure",
        "from py_impls.emoji import ecosystem": "py_impls.emoji.ecosystem",
        "from ..json import naive": "py_impls.json.naive",
        "from ..json.hotpath import cdxj": "py_impls.json.hotpath.cdxj",
        "def f():\n    from . import pyo3_hook": "py_impls.emoji.pyo3_hook",
    }
    for source, module in bad.items():
        path = pkg / "helper.py"  # a helper module is held to it as well as a tier
        path.write_text(source + "\n")
        found = tier_imports(path, "py_impls.emoji")
        assert found and module in found[-1], (source, found)
    for source in ("from . import decode, sequences", "from .rgi import parse", "from . import hook",
                   "import json", "from .. import worker", "from py_impls.emoji import rgi"):
        path = pkg / "hotpath.py"
        path.write_text(source + "\n")
        assert tier_imports(path, "py_impls.emoji") == [], source
    # A composer's tier takes the same tier of the other tasks, not another tier, nor its own.
    pipe = tmp_path / "pipeline"
    pipe.mkdir()
    (pipe / "hotpath.py").write_text("from py_impls.emoji.hotpath import count\n")
    assert tier_imports(pipe / "hotpath.py", "py_impls.pipeline") == []
    for source in ("from py_impls.emoji.pure import count", "from . import naive",
                   "from py_impls.pipeline.pure import select"):
        (pipe / "hotpath.py").write_text(source + "\n")
        assert tier_imports(pipe / "hotpath.py", "py_impls.pipeline"), source
    (pipe / "__init__.py").write_text("from py_impls.emoji import hotpath\n")
    assert tier_imports(pipe / "__init__.py", "py_impls.pipeline")
    # __init__.py: level 1 is the package itself
    init = pkg / "__init__.py"
    init.write_text("def f():\n    from . import naive\n")
    assert tier_imports(init, "py_impls.emoji")
