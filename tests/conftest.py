"""Shared fixtures.

``pki_settings``: a throwaway test PKI (root and issuing CA, every system, official and person of the
synthetic population) in a temporary data folder, made once per test session (~3 s). Tests that sign or
verify take their credentials and trust store from ``PkiLayout(pki_settings.data_dir)`` or from
``ecosystem.context.system_context(pki_settings, NAME)``.
"""

from __future__ import annotations

import pytest

from ecosystem.settings import Settings
from egov_sim.launcher import prepare_data_folder


@pytest.fixture(scope="session")
def pki_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = Settings(data_dir=tmp_path_factory.mktemp("egov-sim-data"))
    prepare_data_folder(settings)
    return settings
