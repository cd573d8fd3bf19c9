"""One engine factory for every system's store: SQLite by default, PostgreSQL by URL."""

from __future__ import annotations

import select
import time
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.pool import StaticPool

SQLITE_BUSY_TIMEOUT_SECONDS = 30
# A pooled server connection idle longer than this is pinged before it is used again (a server restarted or a
# network cut while it slept); one used more recently is pinged only if the server has written to it meanwhile.
IDLE_PING_SECONDS = 10.0
# Every pooled server connection is replaced after this age, whatever its use.
RECYCLE_SECONDS = 1800
_IDLE_SINCE = "egov_idle_since"


def is_postgres(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


def create_store_engine(url: str) -> Engine:
    """An engine usable from request threads and background workers alike.

    - ``sqlite://`` (in memory): one shared connection, so every thread sees the same database;
    - ``sqlite:///path``: WAL journal (readers never wait for the writer) and a busy timeout, so concurrent
      writers queue instead of failing;
    - anything else (``postgresql+psycopg://…``): a pool whose connections are checked before use without a
      round trip to the server in the common case (:func:`_check_on_checkout`), and recycled after
      ``RECYCLE_SECONDS``.
    """
    if url in ("sqlite://", "sqlite:///:memory:"):
        return create_engine(url, connect_args={"check_same_thread": False}, poolclass=StaticPool)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_SECONDS})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    engine = create_engine(url, pool_recycle=RECYCLE_SECONDS)
    event.listen(engine, "checkin", _idle_from_now)
    event.listen(engine, "connect", lambda _connection, record: _idle_from_now(None, record))
    event.listen(engine, "checkout", lambda connection, record, _proxy: _check_on_checkout(engine, connection, record))
    return engine


def _idle_from_now(_connection: Any, record: Any) -> None:
    record.info[_IDLE_SINCE] = time.monotonic()


def _check_on_checkout(engine: Engine, connection: Any, record: Any) -> None:
    """Ping a pooled connection before it is handed out only when it may be dead: idle longer than
    ``IDLE_PING_SECONDS``, or with bytes waiting from the server although no statement is running (an idle
    connection is sent nothing unless the server ends it: ``pg_terminate_backend``, a shutdown or a restart
    write their notice and close). A dead one is replaced by the pool (``DisconnectionError``), so the caller
    gets a live connection. Pinging at every checkout (``pool_pre_ping``) cost a round trip per transaction.
    A connection that dies silently while in use (a cut without the server's notice) fails its statement; the
    engine then invalidates the whole pool (SQLAlchemy's disconnect handling) and the next use reconnects."""
    idle = time.monotonic() - record.info.get(_IDLE_SINCE, time.monotonic())
    if idle <= IDLE_PING_SECONDS and not _server_wrote(connection):
        return
    try:
        engine.dialect.do_ping(connection)
    except Exception as exc:
        raise DisconnectionError(f"a pooled database connection was closed by the server: {exc}") from exc


def _server_wrote(connection: Any) -> bool:
    """Whether the server has sent anything on an idle connection (checked without blocking)."""
    try:
        readable, _, _ = select.select([connection.fileno()], [], [], 0)
    except Exception:  # closed already (the driver, or the socket)
        return True
    return bool(readable)


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
