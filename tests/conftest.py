"""Shared fixtures.

``pki_settings``: a throwaway test PKI (root and issuing CA, every system, official and person of the
synthetic population) in a temporary data folder, made once per test session (~3 s). Revocation is checked from
the data folder unless a test asks for the online check (see below). Tests that sign or
verify take their credentials and trust store from ``PkiLayout(pki_settings.data_dir)`` or from
``ecosystem.context.system_context(pki_settings, NAME)``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from ecosystem.settings import Settings
from egov_sim.launcher import prepare_data_folder
from tests.databases import reset_postgres, throwaway_postgres

# Most tests run systems without the NCA's server: their verifiers read the CRL the NCA publishes into the data
# folder. The online check (OCSP, CRL over HTTP) has its own tests (tests/unit/test_online_revocation.py,
# tests/integration/test_nca_revocation.py), which ask for it explicitly.
os.environ.setdefault("EGOV_SIM_REVOCATION__SOURCE", "data_folder")
# One gateway process per test ecosystem (two cores shared by the suite); tests/e2e/test_gateway_workers.py
# runs the default of two workers.
os.environ.setdefault("EGOV_SIM_GATEWAY_WORKERS", "1")


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


@pytest.fixture(scope="session")
def xmlsec1() -> str:
    """The path of Debian's ``xmlsec1`` (package xmlsec1; ``make xmlsec`` installs it). Where it is missing the
    tests that run it are skipped with the reason shown, unless ``EGOV_SIM_REQUIRE_XMLSEC=1`` (set by
    ``.ci/run``), which turns the missing binary into a failure."""
    found = shutil.which("xmlsec1")
    if found is None:
        message = "xmlsec1 is not installed (apt-get install xmlsec1, or make xmlsec as root)"
        if os.environ.get("EGOV_SIM_REQUIRE_XMLSEC", "") not in ("", "0", "false", "no"):
            pytest.fail(f"{message}, but EGOV_SIM_REQUIRE_XMLSEC is set: CI must run it", pytrace=False)
        pytest.skip(message)
    return found
