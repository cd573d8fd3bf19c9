"""One typed settings object for every system (pydantic-settings, environment prefix ``EGOV_SIM_``).

``EGOV_SIM_DATA_DIR`` is where the test PKI, the SQLite files, the clock and the logs live (default ``./var``);
``EGOV_SIM_PORTS__GATEWAY=9080`` moves one system; ``EGOV_SIM_HOSTS__GATEWAY=127.0.0.2`` binds one system to
its own loopback address (default ``EGOV_SIM_HOST``); ``EGOV_SIM_PEERS__GATEWAY=http://gateway:8080`` tells
the others where to reach it (default: its bind address and port, which is right when every system runs on
one machine, and wrong in docker-compose, where each container reaches the others by service name);
``EGOV_SIM_DATABASE_URL`` points the systems at a database server instead of SQLite, one database each
through the ``{system}`` placeholder. ``EGOV_SIM_ADMIN_TOKEN`` guards every ``/admin/*`` route of every
system (sent as ``Authorization: Bearer <token>`` or ``X-Admin-Token``): optional on loopback, required
when a system binds to 0.0.0.0. ``EGOV_SIM_LOCAL_AUTHORITY__MODE`` and ``EGOV_SIM_LOCAL_AUTHORITY__DECISION_DELAY``
set how the local employment authority decides (:class:`LocalAuthoritySettings`).
"""

from __future__ import annotations

import ipaddress
from datetime import timedelta
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from ecosystem.catalogue import SYSTEMS, system


def _default_ports() -> dict[str, int]:
    return {s.name: s.default_port for s in SYSTEMS}


class LocalAuthoritySettings(BaseModel):
    """How the local employment authority decides (docs/local-authority.md).

    ``mode``: ``auto`` (a configured official decides by himself) or ``manual`` (a tester approves or rejects
    through the admin API); the mode the authority starts in the first time; ``POST /admin/mode`` changes it
    and the authority keeps the change in its store. ``decision_delay``: in ``auto``, how long after the
    moment the documents count as received (working hours, T-2) the official decides, on the ecosystem's
    clock (ISO 8601, e.g. ``PT2H``). The default of 2 hours keeps every decision within the term of 1
    working day (Rules No. 259 §32: the term ends at closing on the next working day); a delay longer than
    that makes the authority late, which the monitoring IS then reports as overdue.
    """

    mode: Literal["auto", "manual"] = "auto"
    decision_delay: timedelta = Field(default=timedelta(hours=2), ge=timedelta(0))
    poll_seconds: float = Field(default=0.5, gt=0, le=60)


class SocialFundSettings(BaseModel):
    """How the fund's district department acts on job-loss payment applications (docs/social-fund.md).

    ``mode``: ``auto`` (each role of SP-1 acts when its step's term ends) or ``manual`` (a tester acts as each role
    through ``/admin/department``); ``POST /admin/mode`` changes it and the fund keeps the change.
    ``examination_delay``: in ``auto``, how long after the executor receives the documents they draft (ISO 8601,
    e.g. ``PT1H``); unset, they take the whole term of 8 working days (regulation 004 §5 (3)).
    """

    mode: Literal["auto", "manual"] = "auto"
    examination_delay: timedelta | None = Field(default=None, ge=timedelta(0))
    poll_seconds: float = Field(default=0.5, gt=0, le=60)


class RevocationSettings(BaseModel):
    """How every system checks that a certificate is not revoked (docs/pki.md).

    ``source``: ``online`` (the real way: the OCSP responder and the CRL distribution point each certificate
    names, over HTTP, answers cached until their ``nextUpdate``) or ``data_folder`` (the issuing CA's CRL file
    the test NCA publishes into the shared data folder, re-read when it changes: for tests that run systems
    without the NCA's server). ``soft_fail``: when the NCA cannot be reached or its answer is stale, accept the
    certificate and log a warning instead of refusing it (fail closed, the default). ``timeout_seconds``: one
    OCSP or CRL request.
    """

    source: Literal["online", "data_folder"] = "online"
    soft_fail: bool = False
    timeout_seconds: float = Field(default=3.0, gt=0, le=60)


class NcaSettings(BaseModel):
    """How fresh the test NCA's answers say they are (docs/pki.md): a CRL is valid ``crl_validity`` after it is
    made (its ``nextUpdate``), an OCSP answer ``ocsp_validity``; a verifier caches each until then, so a
    revocation takes effect within that time (on the ecosystem's clock)."""

    crl_validity: timedelta = Field(default=timedelta(hours=1), gt=timedelta(0))
    ocsp_validity: timedelta = Field(default=timedelta(minutes=5), gt=timedelta(0))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="EGOV_SIM_", env_nested_delimiter="__", extra="ignore")

    data_dir: Path = Path("var")
    host: str = "127.0.0.1"
    hosts: dict[str, str] = Field(default_factory=dict)
    ports: dict[str, int] = Field(default_factory=_default_ports)
    peers: dict[str, str] = Field(default_factory=dict)
    database_url: str | None = None
    clock: str | None = None
    max_message_bytes: int = 1_048_576
    max_request_body_bytes: int = Field(default=262_144, ge=1024)  # the portal's JSON API (413 above)
    max_clock_skew_seconds: int = 300
    # The shape of an XML message the gateway reads at all (refused as SCE001 before any schema sees it)
    max_xml_attributes: int = Field(default=256, ge=1)  # on one element
    max_xml_elements: int = Field(default=20_000, ge=1)  # in one message
    max_xml_depth: int = Field(default=64, ge=16)  # elements nested in one another
    http_timeout_seconds: float = 15.0
    # Deliveries each system's outbox worker has in flight at once (docs/gateway.md, "Performance"): a receiver
    # that answers slowly does not hold up the rest; the order per ordering key is kept whatever the number.
    outbox_concurrency: int = Field(default=16, ge=1, le=64)
    gateway_password: str = "egov-sim-local"
    # Processes (uvicorn workers) of one gateway, sharing its address and its database (docs/gateway.md,
    # "Performance"): each message's CPU work is done in one of them, so two use both cores of a small machine.
    gateway_workers: int = Field(default=2, ge=1, le=32)
    admin_token: str | None = Field(default=None, repr=False)

    @field_validator("admin_token")
    @classmethod
    def _usable_token(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            return None  # EGOV_SIM_ADMIN_TOKEN= (empty) means no token
        if value is not None and len(value) < 16:
            raise ValueError("EGOV_SIM_ADMIN_TOKEN must be at least 16 characters (e.g. `openssl rand -hex 24`)")
        return value

    @model_validator(mode="after")
    def _token_when_reachable(self) -> Settings:
        exposed = sorted({name for name in _default_ports() if self.bind_host(name) == "0.0.0.0"})
        if exposed and not self.admin_token:
            raise ValueError(
                f"{', '.join(exposed)} would bind to 0.0.0.0, where anyone who reaches the port could use the "
                "admin APIs (move the clock, revoke certificates, re-drive messages): set EGOV_SIM_ADMIN_TOKEN "
                "(at least 16 characters, e.g. `openssl rand -hex 24`), or bind to a loopback address"
            )
        return self

    @property
    def outbox_lease(self) -> timedelta:
        """How long a message an outbox worker claimed stays its own (on the ecosystem's clock): a delivery makes
        at most a few HTTP calls, each within ``http_timeout_seconds``; at least 2 minutes."""
        return max(timedelta(minutes=2), timedelta(seconds=4 * self.http_timeout_seconds))

    def admin_headers(self) -> dict[str, str]:
        """The headers a client of the ``/admin/*`` routes sends: the admin token when one is set."""
        return {"X-Admin-Token": self.admin_token} if self.admin_token else {}

    # The AsyncChannel's store-and-forward: PUSH retries back off exponentially (with jitter) from the base to
    # the cap, on the ecosystem's clock; after the attempts or the age a message is DELIVERY_STOPPED.
    async_max_attempts: int = Field(default=10, ge=1)
    async_max_age_seconds: int = Field(default=3 * 24 * 3600, ge=1)
    async_retry_base_seconds: float = Field(default=2.0, gt=0)
    async_retry_cap_seconds: float = Field(default=600.0, gt=0)
    # The gateway's live register (docs/gateway.md, "The register"): a gateway checks the register's version in
    # the database at most this often, so a change made through another gateway on the same database takes
    # effect here within this time (one made through this gateway's admin API: at once). 0: on every request.
    register_refresh_seconds: float = Field(default=1.0, ge=0, le=300)
    # How the portal sends a job-seeker registration to the employment centre: "async" (AsyncChannel
    # ENBEK_JobSeekerRegistrationAsync: accepted at once, the result later as a RESPONSE) or "sync" (the
    # SyncChannel ENBEK_JobSeekerRegistration: the result in the answer). docs/gateway.md, "which flows are async".
    portal_registration_channel: Literal["async", "sync"] = "async"
    # The synthetic population the person registry and the social fund share (mocks/population.py,
    # docs/personas.md): generated once into <data>/person_registry/population.json with this seed and size
    # (at least the 20 fixed people); a change of either generates the file again.
    population_seed: int = 2026
    population_size: int = Field(default=10_000, ge=20, le=1_000_000)
    local_authority: LocalAuthoritySettings = Field(default_factory=LocalAuthoritySettings)
    social_fund: SocialFundSettings = Field(default_factory=SocialFundSettings)
    revocation: RevocationSettings = Field(default_factory=RevocationSettings)
    nca: NcaSettings = Field(default_factory=NcaSettings)

    @field_validator("ports")
    @classmethod
    def _complete_ports(cls, value: dict[str, int]) -> dict[str, int]:
        # Two systems may share a port when they bind different addresses (EGOV_SIM_HOSTS__*, or one
        # container each); the launcher refuses two systems on one address (see Settings.bind_address).
        return _default_ports() | value

    @field_validator("database_url")
    @classmethod
    def _one_database_per_system(cls, value: str | None) -> str | None:
        if value and "{system}" not in value:
            raise ValueError(
                "EGOV_SIM_DATABASE_URL must name each system's own database with {system} "
                "(e.g. postgresql+psycopg://egov:egov@postgres/egov_{system}): systems share table names"
            )
        return value

    @field_validator("peers")
    @classmethod
    def _known_peers(cls, value: dict[str, str]) -> dict[str, str]:
        for name, url in value.items():
            try:
                system(name)
            except KeyError as exc:
                raise ValueError(str(exc)) from exc
            if not url.startswith(("http://", "https://")):
                raise ValueError(f"peer URL of {name} must start with http:// or https://, got {url!r}")
        return {name: url.rstrip("/") for name, url in value.items()}

    @field_validator("host")
    @classmethod
    def _loopback_only(cls, value: str) -> str:
        return _loopback(value)

    @field_validator("hosts")
    @classmethod
    def _loopback_hosts(cls, value: dict[str, str]) -> dict[str, str]:
        for name in value:
            try:
                system(name)
            except KeyError as exc:
                raise ValueError(str(exc)) from exc
        return {name: _loopback(host) for name, host in value.items()}

    def bind_host(self, system_name: str) -> str:
        """The address ``system_name`` listens on: its own (``EGOV_SIM_HOSTS__NAME``) or the common one."""
        return self.hosts.get(system_name, self.host)

    def bind_address(self, system_name: str) -> tuple[str, int]:
        return self.bind_host(system_name), self.ports[system_name]

    def base_url(self, system_name: str) -> str:
        """Where the other systems reach ``system_name``: its peer URL if set, else its bind address and port."""
        if system_name in self.peers:
            return self.peers[system_name]
        host = self.bind_host(system_name)
        host = "127.0.0.1" if host == "0.0.0.0" else host
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.ports[system_name]}"

    @property
    def gateway_sync_url(self) -> str:
        return f"{self.base_url('gateway')}/bip-sync/"

    @property
    def gateway_async_url(self) -> str:
        return f"{self.base_url('gateway')}/bip-async/"

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
        env: dict[str, str] = {}
        for name in type(self).model_fields:  # every scalar setting, so a new one cannot be forgotten here
            value = getattr(self, name)
            if isinstance(value, BaseModel):  # a group of settings: EGOV_SIM_GROUP__FIELD
                for field, member in value.model_dump(mode="json").items():
                    if member is not None:  # unset stays unset (the child takes the default)
                        env[f"EGOV_SIM_{name.upper()}__{field.upper()}"] = str(member)
                continue
            if value is None or isinstance(value, dict):
                continue
            env[f"EGOV_SIM_{name.upper()}"] = str(value.resolve() if isinstance(value, Path) else value)
        env |= {f"EGOV_SIM_PORTS__{name.upper()}": str(port) for name, port in self.ports.items()}
        env |= {f"EGOV_SIM_HOSTS__{name.upper()}": host for name, host in self.hosts.items()}
        env |= {f"EGOV_SIM_PEERS__{name.upper()}": url for name, url in self.peers.items()}
        return env

    def environment_for(self, system_name: str) -> dict[str, str]:
        """The environment of one system's process, as a container of docker-compose.yml gets it: its own
        bind address, and every peer by URL (so the process needs no one else's bind address)."""
        env = {k: v for k, v in self.to_environment().items() if not k.startswith("EGOV_SIM_HOSTS__")}
        env["EGOV_SIM_HOST"] = self.bind_host(system_name)
        env |= {f"EGOV_SIM_PEERS__{s.name.upper()}": self.base_url(s.name) for s in SYSTEMS}
        return env


def _loopback(value: str) -> str:
    if value in ("localhost", "0.0.0.0"):
        return value
    try:
        loopback = ipaddress.ip_address(value).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise ValueError(
            f"egov-sim binds to a loopback address (127.0.0.0/8, ::1) or to 0.0.0.0 inside a container, not {value!r}"
        )
    return value
