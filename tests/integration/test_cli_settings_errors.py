"""A setting that cannot be used stops `allo` with one clear line and exit status 2, before anything
is created (no traceback, no data folder)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from allo.settings import Settings, SettingsError


@pytest.mark.parametrize(("name", "value", "words"), [
    ("ALLO_CITY_TIMEZONE", "Mars/Olympus", "ALLO_CITY_TIMEZONE: unknown time zone 'Mars/Olympus'"),
    ("ALLO_PORT", "eighty", "ALLO_PORT: 'eighty' is not a whole number"),
    ("ALLO_CITY_CENTRE", "Paris", "ALLO_CITY_CENTRE: 'Paris' is not \"lat,lon\""),
    ("ALLO_PICKUP_SERVICE_MINUTES", "45", "ALLO_PICKUP_SERVICE_MINUTES: 45 minutes is out of range (0 to 30)"),
    ("ALLO_DROPOFF_SERVICE_MINUTES", "-1", "ALLO_DROPOFF_SERVICE_MINUTES: -1 minutes is out of range (0 to 30)"),
])
def test_allo_serve_with_a_bad_setting_says_which_and_exits_2(tmp_path: Path, name: str, value: str,
                                                               words: str) -> None:
    env = {**os.environ, "ALLO_DATA_DIR": str(tmp_path / "data"), name: value}
    done = subprocess.run([sys.executable, "-m", "allo.entrypoints.cli.main", "serve", "--port", "8791"],
                          env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip() == f"error: {words}" or done.stderr.strip().startswith(f"error: {words}")
    assert "Traceback" not in done.stderr and not (tmp_path / "data").exists()


def test_a_number_setting_that_is_not_a_number_names_the_variable() -> None:
    with pytest.raises(SettingsError, match="ALLO_WORKER_POLL_SECONDS: 'soon' is not a number"):
        Settings.from_env({"ALLO_WORKER_POLL_SECONDS": "soon"})
    assert Settings.from_env({"ALLO_WORKER_POLL_SECONDS": "0.25"}).worker_poll_seconds == 0.25
