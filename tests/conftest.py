"""Shared fixtures.

``pki_settings``: a throwaway test PKI (root and issuing CA, every system, official and person of the
synthetic population) in a temporary data folder, made once per test session (~3 s). Tests that sign or
verify take their credentials and trust store from ``PkiLayout(pki_settings.data_dir)`` or from
``ecosystem.context.system_context(pki_settings, NAME)``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ecosystem.settings import Settings
from egov_sim.launcher import prepare_data_folder
from tests.databases import reset_postgres, throwaway_postgres


@pytest.fixture(scope="session")
def pki_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = Settings(data_dir=tmp_path_factory.mktemp("egov-sim-data"))
    prepare_data_folder(settings)
    return settings


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """The URL of this run's throwaway PostgreSQL database (skipped, or failed in CI, where none answers)."""
    with throwaway_postgres() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database on each backend: a SQLite file, and the run's PostgreSQL database emptied."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite'}"
    url: str = request.getfixturevalue("postgres_database")
    reset_postgres(url)
    return url
