"""The pure core (domain, ordering, dispatch) imports no web, database or network library."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "allo"
PURE_PACKAGES = ("domain", "ordering", "dispatch")
ALLOWED_THIRD_PARTY = {"numpy", "scipy", "rapidfuzz", "text_to_num"}
STDLIB_NETWORK = {"socket", "http", "urllib", "ssl", "asyncio", "sqlite3", "smtplib", "ftplib", "subprocess"}


def _imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def _pure_files() -> list[Path]:
    return sorted(p for pkg in PURE_PACKAGES for p in (SRC / pkg).rglob("*.py"))


def test_there_are_pure_modules_to_check() -> None:
    assert len(_pure_files()) >= 5


@pytest.mark.parametrize("path", _pure_files(), ids=lambda p: str(p.relative_to(SRC)))
def test_pure_module_imports_only_stdlib_and_numeric(path: Path) -> None:
    import sys

    bad = set()
    for root in _imported_roots(path):
        if root in ("allo", "__future__") or root in ALLOWED_THIRD_PARTY:
            continue
        if root in STDLIB_NETWORK or root not in sys.stdlib_module_names:
            bad.add(root)
    assert not bad, f"{path.name} imports {sorted(bad)}"


def test_pure_core_does_not_import_outer_layers() -> None:
    outer = ("allo.adapters", "allo.entrypoints", "allo.services", "allo.bootstrap")
    for path in _pure_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith(outer), f"{path.name} imports {node.module}"
