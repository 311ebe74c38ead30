"""The pure parts of the demo simulation import no database, web or network code at module level."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

LIVE = Path(__file__).resolve().parents[3] / "src" / "allo" / "simulation" / "live"
PURE = ("clock", "schedule", "movement", "phrases", "messages", "replies", "addresses")
ALLOWED = ("allo.domain", "allo.ordering", "allo.simulation.live")


@pytest.mark.parametrize("name", PURE)
def test_pure_module_imports_only_the_standard_library_and_the_pure_core(name: str) -> None:
    tree = ast.parse((LIVE / f"{name}.py").read_text(encoding="utf-8"))
    for node in tree.body:  # module level only: loaders may import adapters inside a function
        if isinstance(node, ast.Import):
            modules = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules = [node.module]
        else:
            continue
        for module in modules:
            root = module.split(".")[0]
            assert root in sys.stdlib_module_names or root == "__future__" or module.startswith(ALLOWED), \
                f"{name}.py imports {module}"
