"""scripts/check_import_cycles.py: it finds cycles (deferred imports too) and private
cross-imports in a small package, ignores TYPE_CHECKING imports, and srmt/ has none."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "check_import_cycles.py"


@pytest.fixture(scope="module")
def checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_import_cycles", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses and annotations resolve through it
    spec.loader.exec_module(module)
    return module


def _package(root: Path, files: dict[str, str]) -> Path:
    package = root / "pkg"
    for name, text in {"__init__.py": "", **files}.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return package


def _cycles(checker: ModuleType, package: Path) -> list[list[str]]:
    return checker.find_cycles(checker.graph(package))


def test_a_cycle_through_a_deferred_import_is_found(checker: ModuleType, tmp_path: Path) -> None:
    package = _package(
        tmp_path,
        {
            "a.py": "from pkg import b\n",
            "b.py": "def f():\n    from pkg.c import g\n    return g\n",
            "c.py": "import pkg.a\n\ndef g():\n    return 1\n",
            "d.py": "from pkg import a\n",  # imports into the cycle, is not part of it
        },
    )
    assert _cycles(checker, package) == [["pkg.a", "pkg.b", "pkg.c"]]
    assert checker.main([str(package)]) == 1


def test_relative_imports_and_package_inits_count(checker: ModuleType, tmp_path: Path) -> None:
    package = _package(
        tmp_path,
        {
            # Importing pkg.sub.x from outside pkg.sub runs pkg/sub/__init__.py first.
            "sub/__init__.py": "from .x import X\nfrom pkg.y import Y\n",
            "sub/x.py": "X = 1\n",
            "y.py": "from pkg.sub.x import X\nY = X\n",
        },
    )
    assert _cycles(checker, package) == [["pkg.sub", "pkg.y"]]


def test_type_checking_imports_are_not_runtime_cycles(checker: ModuleType, tmp_path: Path) -> None:
    package = _package(
        tmp_path,
        {
            "a.py": "from pkg import b\n",
            "b.py": (
                "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from pkg.a import A\n"
            ),
        },
    )
    assert _cycles(checker, package) == []
    both = checker.find_cycles(checker.graph(package, type_checking=True))
    assert both == [["pkg.a", "pkg.b"]]
    assert checker.main([str(package)]) == 0


def test_private_names_of_another_module_are_found(checker: ModuleType, tmp_path: Path) -> None:
    package = _package(
        tmp_path,
        {
            "a.py": "def _helper():\n    return 1\n\ndef public():\n    return _helper()\n",
            "b.py": "from pkg import a\n\ndef f():\n    return a._helper()\n",
            "c.py": "from pkg.a import _helper\n",
            "d.py": "from pkg import a as alias\n\nx = alias.public() + len(alias.__name__)\n",
        },
    )
    assert checker.private_uses(package) == [
        "pkg.b:4 uses pkg.a._helper",
        "pkg.c:1 imports pkg.a._helper",
    ]
    assert checker.main([str(package)]) == 1


def test_srmt_has_no_import_cycle_and_no_private_cross_import(checker: ModuleType) -> None:
    package = ROOT / "srmt"
    assert _cycles(checker, package) == []
    assert checker.private_uses(package) == []
    assert checker.main([str(package)]) == 0
