"""Named crash points for durability tests: the process kills itself (SIGKILL) at a named step.

Enabled only through the ALLO_FAILPOINTS environment variable (comma-separated names); empty in
normal operation, where `hit` does nothing.
"""

from __future__ import annotations

import os
import signal
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Failpoints:
    armed: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def parse(cls, spec: str | None) -> "Failpoints":
        return cls(frozenset(p.strip() for p in (spec or "").split(",") if p.strip()))

    def hit(self, name: str) -> None:
        if name in self.armed:
            os.kill(os.getpid(), signal.SIGKILL)
