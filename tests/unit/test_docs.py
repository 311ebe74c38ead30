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


def _commands():  # type: ignore[no-untyped-def]
    from typer.main import get_command

    from allo.entrypoints.cli.main import app

    def walk(cmd, path):  # type: ignore[no-untyped-def]
        if hasattr(cmd, "commands"):
            for name, sub in cmd.commands.items():
                yield from walk(sub, [*path, name])
        else:
            yield " ".join(path), cmd

    return list(walk(get_command(app), ["allo"]))


def test_every_cli_command_and_option_is_documented() -> None:
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    commands = _commands()
    assert len(commands) >= 9
    for name, cmd in commands:
        assert f"`{name}" in text, f"{name} is missing from docs/cli.md"
        section = text.split(f"`{name}", 1)[1].split("\n## ", 1)[0]
        for p in cmd.params:
            for opt in (o for o in getattr(p, "opts", []) if o.startswith("--")):
                assert f"`{opt}`" in section, f"{name} {opt} is missing from docs/cli.md"
