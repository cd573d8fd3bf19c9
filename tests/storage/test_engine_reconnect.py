"""The stores' PostgreSQL engine survives the server closing its connections (a restart, an administrator's
``pg_terminate_backend``) without a round trip before every use: a pooled connection is pinged only when it
may be dead (docs/gateway.md, "Performance")."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from adapters.storage import create_store_engine
from adapters.storage import engine as engine_module

POOLED = 3


@pytest.fixture
def engine(postgres_database: str) -> Iterator[Engine]:
    made = create_store_engine(postgres_database)
    yield made
    made.dispose()


@pytest.fixture
def pings(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    counted: list[int] = []
    ping = engine.dialect.do_ping

    def counting(connection: Any) -> bool:
        counted.append(1)
        return ping(connection)

    monkeypatch.setattr(engine.dialect, "do_ping", counting)
    return counted


def _pooled_pids(engine: Engine) -> list[int]:
    """Open POOLED connections at once (so the pool keeps that many) and return their server pids."""
    connections = [engine.connect() for _ in range(POOLED)]
    try:
        return [int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one()) for connection in connections]
    finally:
        for connection in connections:
            connection.close()


def _terminate(url: str, pids: list[int]) -> None:
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            for pid in pids:
                connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            for _ in range(200):
                alive = connection.execute(
                    text("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(:pids)"), {"pids": pids}
                ).scalar_one()
                if alive == 0:
                    return
                time.sleep(0.01)
    finally:
        admin.dispose()
    pytest.fail("the server did not end the pool's connections")


def test_a_recently_used_connection_is_not_pinged(engine: Engine, pings: list[int]) -> None:
    _pooled_pids(engine)
    for _ in range(10):
        with engine.connect() as connection:
            assert connection.execute(text("SELECT 1")).scalar_one() == 1
    assert pings == []


def test_every_use_after_the_server_ended_the_pools_connections_works(
    engine: Engine, pings: list[int], postgres_database: str
) -> None:
    pids = _pooled_pids(engine)
    _terminate(postgres_database, pids)
    connections = [engine.connect() for _ in range(POOLED)]  # each pooled one was dead: replaced on checkout
    try:
        fresh = {int(c.execute(text("SELECT pg_backend_pid()")).scalar_one()) for c in connections}
    finally:
        for connection in connections:
            connection.close()
    assert len(fresh) == POOLED and not fresh & set(pids)
    assert len(pings) >= POOLED  # the dead ones were found by a ping, not by a failed statement


def test_a_connection_idle_longer_than_the_limit_is_pinged(
    engine: Engine, pings: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    _pooled_pids(engine)
    monkeypatch.setattr(engine_module, "IDLE_PING_SECONDS", 0.0)
    time.sleep(0.01)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT 1")).scalar_one() == 1
    assert len(pings) == 1
