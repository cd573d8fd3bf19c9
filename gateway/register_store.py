"""The gateway's register in its database: participants, services and who may call them, with a version.

The register lives in the journal's database (SQLite by default, PostgreSQL by URL), so several gateways on
one database share it. Every change (:meth:`RegisterStore.change`) runs in the journal's chain transaction:
the register is read under the chain's lock, changed by a pure function (:mod:`gateway.register_changes`),
written, its ``version`` raised by one, and the change journalled as a ``register-changed`` entry of the
hash chain (who, when, what, each participant or service before and after) — all committed together or
not at all. A change that changes nothing writes and journals nothing.

Seeding: when a gateway starts on a database whose register was never written, the register is seeded from
``gateway/services.yaml`` (:meth:`RegisterStore.seed_if_empty`, journalled as ``register-seeded``). It is
seeded once: later edits of the file do not overwrite what the admin API changed. A gateway that starts
with a file that differs from the one seeded says so in its log; ``POST /admin/register/seed`` applies the
file again (its participants and services as written, the others kept).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    delete,
    false,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from gateway.journal import Journal, JournalRecord
from gateway.register_changes import differences
from gateway.registry import Participant, Service, ServiceRegistry

__all__ = ["CHANGED", "SEEDED", "RegisterStore", "Snapshot", "read_seed"]

CHANGED = "register-changed"
SEEDED = "register-seeded"
_LOAD_ATTEMPTS = 5


@dataclass(frozen=True)
class Snapshot:
    register: ServiceRegistry
    version: int


def read_seed(path: Path) -> tuple[ServiceRegistry, str]:
    """The register the seed file writes, and the file's digest (to tell whether it changed since seeded)."""
    text = path.read_text(encoding="utf-8")
    return ServiceRegistry.from_mapping(yaml.safe_load(text)), hashlib.sha256(text.encode("utf-8")).hexdigest()


def _tables() -> tuple[MetaData, Table, Table, Table, Table]:
    metadata = MetaData()
    participants = Table(
        "register_participants",
        metadata,
        Column("sender_id", String(64), primary_key=True),
        Column("system", String(64), nullable=False),
        Column("bin", String(12), nullable=False),
        Column("async_client", String(256)),
        Column("base_url", String(512)),
        Column("allow_sha1_signatures", Boolean, nullable=False, server_default=false()),
    )
    services = Table(
        "register_services",
        metadata,
        Column("service_id", String(128), primary_key=True),
        Column("description", Text, nullable=False),
        Column("channel", String(8), nullable=False),
        Column("provider", String(64), nullable=False),
        Column("path", String(256), nullable=False),
        Column("payload_schema", String(128)),
    )
    rights = Table(
        "register_rights",
        metadata,
        Column("service_id", String(128), primary_key=True),
        Column("sender_id", String(64), primary_key=True),
    )
    # One row: the register's version (raised by every change), and the digest of the seed file applied last.
    state = Table(
        "register_state",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=False),
        Column("version", Integer, nullable=False),
        Column("seed_digest", String(64), nullable=False),
    )
    return metadata, participants, services, rights, state


class RegisterStore:
    def __init__(self, journal: Journal) -> None:
        self._journal = journal
        self._engine: Engine = journal.engine
        metadata, self._participants, self._services, self._rights, self._state = _tables()
        metadata.create_all(self._engine)
        self._add_missing_columns()

    def _add_missing_columns(self) -> None:
        """A register written before ``allow_sha1_signatures`` existed gets the column (false for everyone)."""
        columns = {column["name"] for column in inspect(self._engine).get_columns("register_participants")}
        if "allow_sha1_signatures" in columns:
            return
        guard = "IF NOT EXISTS " if self._engine.dialect.name == "postgresql" else ""
        try:
            with self._engine.begin() as connection:
                connection.execute(
                    text(
                        f"ALTER TABLE register_participants ADD COLUMN {guard}allow_sha1_signatures "
                        "BOOLEAN NOT NULL DEFAULT FALSE"
                    )
                )
        except DBAPIError:  # another gateway added it meanwhile
            if "allow_sha1_signatures" not in {
                c["name"] for c in inspect(self._engine).get_columns("register_participants")
            }:
                raise

    # -- reading -------------------------------------------------------------------------------------------

    def version(self) -> int:
        """The register's version: one indexed row, read on a request when the cache's time is up."""
        with self._engine.connect() as connection:
            return self._version(connection)

    def _version(self, connection: Connection) -> int:
        value = connection.execute(select(self._state.c.version).where(self._state.c.id == 1)).scalar()
        return int(value) if value is not None else 0

    def load(self) -> Snapshot:
        """The register and its version, consistent: read again if a change committed meanwhile."""
        for _ in range(_LOAD_ATTEMPTS):
            with self._engine.connect() as connection:
                version = self._version(connection)
                register = self._read(connection)
                if self._version(connection) == version:
                    return Snapshot(register, version)
        with self._engine.begin() as connection:  # changes keep coming: read in one write transaction
            return Snapshot(self._read(connection), self._version(connection))

    def _read(self, connection: Connection) -> ServiceRegistry:
        allowed: dict[str, set[str]] = {}
        for service_id, sender_id in connection.execute(select(self._rights.c.service_id, self._rights.c.sender_id)):
            allowed.setdefault(service_id, set()).add(sender_id)
        participants = {
            row.sender_id: Participant(
                row.sender_id,
                row.system,
                row.bin,
                async_delivery="push" if row.async_client else "pull",
                async_path=row.async_client,
                base_url=row.base_url,
                allow_sha1_signatures=bool(row.allow_sha1_signatures),
            )
            for row in connection.execute(select(self._participants))
        }
        services = {
            row.service_id: Service(
                service_id=row.service_id,
                description=row.description,
                channel=row.channel,
                provider=row.provider,
                path=row.path,
                allowed=frozenset(allowed.get(row.service_id, ())),
                payload_schema=row.payload_schema,
            )
            for row in connection.execute(select(self._services))
        }
        return ServiceRegistry(participants, services)

    def seed_digest(self) -> str | None:
        with self._engine.connect() as connection:
            return connection.execute(select(self._state.c.seed_digest).where(self._state.c.id == 1)).scalar()

    # -- changing ------------------------------------------------------------------------------------------

    def seed_if_empty(self, seed: ServiceRegistry, digest: str, at: datetime) -> bool:
        """Seed a register never written from ``seed`` (the file with ``digest``); True when it did. Under the
        chain's lock, so two gateways starting together seed once."""

        def change(connection: Connection) -> JournalRecord | None:
            if connection.execute(select(self._state.c.id)).first() is not None:
                return None
            empty = ServiceRegistry({}, {})
            self._write(connection, empty, seed)
            connection.execute(self._state.insert().values(id=1, version=1, seed_digest=digest))
            return self._record(at, SEEDED, "gateway start", "seeded from gateway/services.yaml", empty, seed, 1)

        return self._journal.append_change(change) is not None

    def change(
        self,
        actor: str,
        action: str,
        at: datetime,
        transform: Callable[[ServiceRegistry], ServiceRegistry],
        *,
        seed_digest: str | None = None,
    ) -> tuple[Snapshot, dict[str, Any] | None]:
        """Apply ``transform`` to the register as it is now, write and journal the difference; the register
        after the change and the journal entry (None when nothing changed). ``transform`` raises
        :class:`gateway.register_changes.RegisterRefusal` to refuse: nothing is written."""
        outcome: list[Snapshot] = []

        def apply(connection: Connection) -> JournalRecord | None:
            before = self._read(connection)
            version = self._version(connection)
            after = transform(before)
            if not differences(before, after):
                outcome.append(Snapshot(before, version))
                return None
            self._write(connection, before, after)
            values: dict[str, Any] = {"version": version + 1}
            if seed_digest is not None:
                values["seed_digest"] = seed_digest
            connection.execute(self._state.update().where(self._state.c.id == 1).values(**values))
            outcome.append(Snapshot(after, version + 1))
            return self._record(at, CHANGED, actor, action, before, after, version + 1)

        entry = self._journal.append_change(apply)
        return outcome[0], entry

    def _write(self, connection: Connection, before: ServiceRegistry, after: ServiceRegistry) -> None:
        for change in differences(before, after):
            key = change["id"]
            if change["kind"] == "participant":
                connection.execute(delete(self._participants).where(self._participants.c.sender_id == key))
                new_participant = after.participant(key)
                if new_participant is not None:
                    connection.execute(
                        self._participants.insert().values(
                            sender_id=key,
                            system=new_participant.system,
                            bin=new_participant.bin,
                            async_client=new_participant.async_path,
                            base_url=new_participant.base_url,
                            allow_sha1_signatures=new_participant.allow_sha1_signatures,
                        )
                    )
                continue
            connection.execute(delete(self._rights).where(self._rights.c.service_id == key))
            connection.execute(delete(self._services).where(self._services.c.service_id == key))
            service = after.service(key)
            if service is None:
                continue
            connection.execute(
                self._services.insert().values(
                    service_id=key,
                    description=service.description,
                    channel=service.channel,
                    provider=service.provider,
                    path=service.path,
                    payload_schema=service.payload_schema,
                )
            )
            if service.allowed:
                connection.execute(
                    self._rights.insert(), [{"service_id": key, "sender_id": s} for s in sorted(service.allowed)]
                )

    @staticmethod
    def _record(
        at: datetime, event: str, actor: str, action: str, before: ServiceRegistry, after: ServiceRegistry, version: int
    ) -> JournalRecord:
        changes = differences(before, after)
        services = {c["id"] for c in changes if c["kind"] == "service"}
        participants = {c["id"] for c in changes if c["kind"] == "participant"}
        return JournalRecord(
            at=at,
            channel="admin",
            event=event,
            service_id=next(iter(services)) if len(services) == 1 else None,
            sender_id=next(iter(participants)) if len(participants) == 1 else None,
            detail=f"{action} (by {actor}; register version {version})"[:1000],
            body=json.dumps(
                {"actor": actor, "action": action, "version": version, "changes": changes},
                ensure_ascii=False,
                sort_keys=True,
            ),
        )
