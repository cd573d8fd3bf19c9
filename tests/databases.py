"""Throwaway databases for storage tests: SQLite files and, where a server answers, PostgreSQL.

The PostgreSQL server is the one every machine of the project runs (127.0.0.1:5432, user ``postgres``,
trust authentication; ``EGOV_SIM_TEST_POSTGRES_URL`` changes it). A run creates one database of its own,
``egov_sim_test_<random>``, and drops it at the end; each test starts from an empty schema.

Where no server answers, PostgreSQL tests are skipped with the reason shown, unless
``EGOV_SIM_REQUIRE_POSTGRES=1`` (set by ``.ci/run``), which turns the missing server into a failure.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

DEFAULT_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def admin_url() -> str:
    return os.environ.get("EGOV_SIM_TEST_POSTGRES_URL", DEFAULT_ADMIN_URL)


def postgres_required() -> bool:
    return os.environ.get("EGOV_SIM_REQUIRE_POSTGRES", "") not in ("", "0", "false", "no")


def unavailable(reason: str) -> None:
    message = f"PostgreSQL not available ({reason}); storage tests ran on SQLite only"
    if postgres_required():
        pytest.fail(f"{message}, but EGOV_SIM_REQUIRE_POSTGRES is set: CI must test on PostgreSQL", pytrace=False)
    pytest.skip(message)


@contextmanager
def throwaway_postgres() -> Iterator[str]:
    """Create a database for this run and yield its URL; drop it afterwards."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        unavailable("the psycopg driver is not installed")
    admin = create_engine(admin_url(), isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    name = f"egov_sim_test_{secrets.token_hex(4)}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # no server, refused, wrong credentials: all mean "not available here"
        admin.dispose()
        unavailable(f"{make_url(admin_url()).render_as_string(hide_password=True)}: {type(exc).__name__}")
    try:
        yield make_url(admin_url()).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :n AND pid <> pg_backend_pid()"
                ),
                {"n": name},
            )
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def reset_postgres(url: str) -> None:
    """Empty the run's database: drop and recreate the public schema."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()
