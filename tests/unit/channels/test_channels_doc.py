"""Every channel setting and webhook path is documented in docs/channels.md."""

from __future__ import annotations

from pathlib import Path

import pytest

from allo.adapters.channels import OPTIONAL, REQUIRED, WEBHOOK_PATHS

DOC = Path(__file__).resolve().parents[3] / "docs" / "channels.md"
SETTINGS = sorted({key for keys in REQUIRED.values() for key in keys} | set(OPTIONAL))


@pytest.mark.parametrize("setting", SETTINGS)
def test_setting_is_documented(setting: str) -> None:
    assert f"`{setting}`" in DOC.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", sorted(WEBHOOK_PATHS.values()))
def test_webhook_path_is_documented(path: str) -> None:
    assert f"`{path}`" in DOC.read_text(encoding="utf-8")
