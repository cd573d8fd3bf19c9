"""One typed settings object for every system (pydantic-settings, environment prefix ``EGOV_SIM_``).

``EGOV_SIM_DATA_DIR`` is where the test PKI, the SQLite files and the journals live (default ``./var``);
``EGOV_SIM_PORTS__GATEWAY=9080`` moves one system; ``EGOV_SIM_DATABASE_URL`` points the systems at a
database server instead of SQLite, one database each through the ``{system}`` placeholder.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from egov_sim.systems import SYSTEMS


def _default_ports() -> dict[str, int]:
    return {s.name: s.default_port for s in SYSTEMS}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="EGOV_SIM_", env_nested_delimiter="__", extra="ignore")

    data_dir: Path = Path("var")
    host: str = "127.0.0.1"
    ports: dict[str, int] = Field(default_factory=_default_ports)
    database_url: str | None = None
    clock: str | None = None
    max_message_bytes: int = 1_048_576
    max_clock_skew_seconds: int = 300
    http_timeout_seconds: float = 15.0
    gateway_password: str = "egov-sim-local"

    @field_validator("ports")
    @classmethod
    def _complete_ports(cls, value: dict[str, int]) -> dict[str, int]:
        merged = _default_ports() | value
        if len(set(merged.values())) != len(merged):
            raise ValueError(f"two systems share a port: {merged}")
        return merged

    @field_validator("database_url")
    @classmethod
    def _one_database_per_system(cls, value: str | None) -> str | None:
        if value and "{system}" not in value:
            raise ValueError(
                "EGOV_SIM_DATABASE_URL must name each system's own database with {system} "
                "(e.g. postgresql+psycopg://egov:egov@postgres/egov_{system}): systems share table names"
            )
        return value

    @field_validator("host")
    @classmethod
    def _loopback_only(cls, value: str) -> str:
        if value not in ("127.0.0.1", "localhost", "::1", "0.0.0.0"):
            raise ValueError("egov-sim binds to loopback (or 0.0.0.0 inside a container), never to another address")
        return value

    def base_url(self, system_name: str) -> str:
        host = "127.0.0.1" if self.host == "0.0.0.0" else self.host
        return f"http://{host}:{self.ports[system_name]}"

    @property
    def gateway_sync_url(self) -> str:
        return f"{self.base_url('gateway')}/bip-sync/"

    @property
    def gateway_rest_url(self) -> str:
        return f"{self.base_url('gateway')}/bip-rest"

    def database_for(self, system_name: str) -> str:
        """SQLAlchemy URL of one system's store: a SQLite file per system by default; with a server, the
        ``{system}`` placeholder of ``EGOV_SIM_DATABASE_URL`` gives each system its own database."""
        if self.database_url:
            return self.database_url.replace("{system}", system_name)
        path = (self.data_dir / "db" / f"{system_name}.sqlite").resolve()
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{path}"

    def to_environment(self) -> dict[str, str]:
        """These settings as environment variables, to hand to a child process."""
        env = {
            "EGOV_SIM_DATA_DIR": str(self.data_dir.resolve()),
            "EGOV_SIM_HOST": self.host,
            "EGOV_SIM_MAX_MESSAGE_BYTES": str(self.max_message_bytes),
            "EGOV_SIM_MAX_CLOCK_SKEW_SECONDS": str(self.max_clock_skew_seconds),
            "EGOV_SIM_HTTP_TIMEOUT_SECONDS": str(self.http_timeout_seconds),
            "EGOV_SIM_GATEWAY_PASSWORD": self.gateway_password,
        }
        env |= {f"EGOV_SIM_PORTS__{name.upper()}": str(port) for name, port in self.ports.items()}
        if self.database_url:
            env["EGOV_SIM_DATABASE_URL"] = self.database_url
        if self.clock:
            env["EGOV_SIM_CLOCK"] = self.clock
        return env
