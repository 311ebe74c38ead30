"""Run `allo` as a real process in tests: a free port, wait until ready, stop what we start."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ALLO = [sys.executable, "-m", "allo.entrypoints.cli.main"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def allo_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALLO_")}
    env.update({"ALLO_DATA_DIR": str(data_dir), "ALLO_LOG_LEVEL": "warning", **extra})
    return env


def run_allo(*args: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*ALLO, *args], env=env, capture_output=True, text=True, timeout=timeout)


class ServerProcess:
    def __init__(self, args: list[str], env: dict[str, str], port: int) -> None:
        self.args, self.env, self.port = args, env, port
        self.proc: subprocess.Popen[str] | None = None
        self.base_url = f"http://127.0.0.1:{port}"

    def start(self, ready_path: str = "/readyz", timeout: float = 60) -> "ServerProcess":
        self.proc = subprocess.Popen([*ALLO, *self.args, "--host", "127.0.0.1", "--port", str(self.port)],
                                     env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                     start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited early:\n{self.proc.stdout.read() if self.proc.stdout else ''}")
            try:
                if httpx.get(self.base_url + ready_path, timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.stop()
        raise TimeoutError("server did not become ready")

    def kill(self) -> None:
        """SIGKILL: no shutdown hooks, no flush; what was committed must survive."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> str:
        out = ""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        if self.proc and self.proc.stdout and not self.proc.stdout.closed:  # stopped once already: ""
            out = self.proc.stdout.read()
            self.proc.stdout.close()
        return out


MONACO_ZONE = [{"lat": 43.72, "lon": 7.40}, {"lat": 43.76, "lon": 7.40}, {"lat": 43.76, "lon": 7.45},
               {"lat": 43.72, "lon": 7.45}]
PIZZERIA_ITEMS = [{"sku": "MARGHERITA", "name": "Pizza Margherita", "aliases": ["margherita"], "price_cents": 1100}]


def admin_api(server: ServerProcess, username: str, password: str) -> tuple[httpx.Client, dict[str, str]]:
    """An HTTP client on the server and the bearer header of a login."""
    api = httpx.Client(base_url=server.base_url, timeout=10)
    r = api.post("/api/auth/token", json={"username": username, "password": password})
    r.raise_for_status()
    return api, {"Authorization": f"Bearer {r.json()['access_token']}"}


def create_shop(api: httpx.Client, auth: dict[str, str], *, name: str = "Pizzeria",
                items: list[dict[str, object]] | None = None, prep_minutes: int = 10) -> dict[str, object]:
    """A shop in Monaco with its catalog, created through the API."""
    r = api.post("/api/merchants", headers=auth, json={
        "name": name, "address": "4 quai Antoine Ier", "pickup": {"lat": 43.734, "lon": 7.422},
        "delivery_zone": MONACO_ZONE, "prep_minutes": prep_minutes})
    r.raise_for_status()
    shop = r.json()
    api.put(f"/api/merchants/{shop['id']}/catalog", headers=auth,
            json={"items": items or PIZZERIA_ITEMS}).raise_for_status()
    return shop
