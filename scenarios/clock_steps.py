"""The shared clock, moved over HTTP like ``egov-sim clock``: ``POST /admin/clock`` on one system, then wait
until every system reads the new anchor (each re-reads the clock file every 0.25 s)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ecosystem.catalogue import SYSTEMS
from scenarios.http_steps import HttpSteps, StepTimeout


class ClockSteps(HttpSteps):
    def clock(self, system: str = "gateway") -> dict[str, Any]:
        """``GET /admin/clock`` of one system: ``now``, ``kind``, ``anchor``…"""
        return dict(self.get_json(system, "/admin/clock"))

    def now(self, system: str = "gateway") -> datetime:
        return datetime.fromisoformat(str(self.clock(system)["now"]))

    def advance_clock(self, duration: str) -> datetime:
        """Move the ecosystem's time forward (``3d``, ``2h``, ``P1D``…); the time once every system reads it."""
        return self._change_clock({"advance": duration})

    def set_clock(self, at: datetime) -> datetime:
        """Jump the ecosystem to ``at`` (an aware instant); the time once every system reads it."""
        if at.tzinfo is None:
            raise ValueError("the clock is set to an instant with its offset")
        return self._change_clock({"set": at.isoformat()})

    def advance_clock_to(self, at: datetime) -> datetime:
        """Move forward to ``at`` (nothing happens when the clock is already past it)."""
        return self.set_clock(at) if self.now() < at else self.now()

    def _change_clock(self, body: dict[str, str], wait: float = 10.0) -> datetime:
        answer = self.http.post(self.url("gateway", "/admin/clock"), json=body).raise_for_status().json()
        anchor = answer.get("anchor")

        def followed() -> bool:
            return all(self.clock(system.name).get("anchor") == anchor for system in SYSTEMS)

        try:
            self.wait_for(f"every system on the clock after {body}", followed, timeout=wait, interval=0.05)
        except StepTimeout as exc:
            raise StepTimeout(f"{exc} (does every system share the data folder?)") from exc
        return self.now()
