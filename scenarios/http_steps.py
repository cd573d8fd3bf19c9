"""The base every group of driver steps shares: the settings, one HTTP client, the URL of a system, and a
patient wait (the ecosystem works in the background: outbox workers, the register's time-driven step, the
authority's official)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

import httpx

from ecosystem.settings import Settings

T = TypeVar("T")


class StepTimeout(AssertionError):
    """What was awaited did not happen in time (an expected outcome of a scenario is not met)."""


class HttpSteps:
    settings: Settings
    http: httpx.Client

    def url(self, system: str, path: str) -> str:
        return self.settings.base_url(system) + path

    def get_json(self, system: str, path: str, **params: Any) -> Any:
        """``GET`` a JSON answer (an HTTP error raises)."""
        query = {key: value for key, value in params.items() if value is not None}
        return self.http.get(self.url(system, path), params=query).raise_for_status().json()

    def wait_for(self, what: str, read: Callable[[], T | None], *, timeout: float = 30.0, interval: float = 0.2) -> T:
        """``read()`` until it gives something (not None, not empty), or :class:`StepTimeout` naming ``what``."""
        deadline = time.monotonic() + timeout
        while True:
            value = read()
            if value:
                return value
            if time.monotonic() > deadline:
                raise StepTimeout(f"{what}: not seen within {timeout:.0f} s")
            time.sleep(interval)
