"""The README documents every setting and both commands; .ci/run calls the README's test command."""

from __future__ import annotations

import re
from pathlib import Path

from allo.settings import Settings, setting_names

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_in_the_readme_table() -> None:
    for name in setting_names():
        assert re.search(rf"^\| `{name}` \|", README, re.M), f"{name} is not documented in README.md"


def test_readme_starts_with_the_two_commands_and_ci_runs_the_test_one() -> None:
    block = re.search(r"```\w*\n(.*?)```", README, re.S)
    assert block is not None
    commands = [ln.split("#")[0].strip() for ln in block.group(1).splitlines() if ln.strip()]
    assert commands == ["./scripts/demo", "./scripts/test"]
    assert "./scripts/test" in (ROOT / ".ci" / "run").read_text()


def test_settings_read_from_environment() -> None:
    s = Settings.from_env({"ALLO_PORT": "9001", "ALLO_COOKIE_SECURE": "true", "ALLO_DATA_DIR": "/tmp/x"})
    assert s.port == 9001 and s.cookie_secure is True and str(s.data_dir) == "/tmp/x"
    assert s.resolved_database_url == "sqlite:////tmp/x/allo.db"
