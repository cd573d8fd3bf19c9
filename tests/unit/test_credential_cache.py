"""Loaded credentials are kept (the portal signs each submission with the citizen's key: parsing the PEM key
cost tens of milliseconds each time); a credential issued again is loaded again; the cache is bounded."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from adapters.pki import CredentialCache, CredentialMissing, CredentialUnusable, PkiLayout
from adapters.pki import credentials as credentials_module
from mocks.nca.authority import PersonName, create_root

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    seen: list[Path] = []
    real = PkiLayout.load_credential

    def counting(base: Path) -> credentials_module.Credential:
        seen.append(base)
        return real(base)

    monkeypatch.setattr(PkiLayout, "load_credential", staticmethod(counting))
    return seen


def _person(folder: Path, iin: str) -> Path:
    base = folder / iin
    PkiLayout.save_credential(base, create_root(START).issue_person(iin, PersonName("Тестов", "Тест"), START))
    return base


def test_a_credential_is_loaded_once_and_again_when_its_files_change(tmp_path: Path, loads: list[Path]) -> None:
    cache = CredentialCache()
    base = _person(tmp_path, "900101300123")
    first = cache.load(base)
    assert cache.load(base) is first and loads == [base]
    reissued = create_root(START).issue_person("900101300123", PersonName("Тестов", "Тест"), START)
    PkiLayout.save_credential(base, reissued)
    later = os.stat(base.with_suffix(".pem")).st_mtime_ns + 1_000_000
    os.utime(base.with_suffix(".pem"), ns=(later, later))
    assert cache.load(base).certificate == reissued.certificate and len(loads) == 2


def test_the_cache_keeps_the_most_recently_used(tmp_path: Path, loads: list[Path]) -> None:
    cache = CredentialCache(size=2)
    a, b, c = (_person(tmp_path, iin) for iin in ("900101300123", "900101300124", "900101300125"))
    cache.load(a), cache.load(b), cache.load(a), cache.load(c)  # b is the least recently used: out
    loads.clear()
    cache.load(a), cache.load(c)
    assert loads == []
    cache.load(b)
    assert loads == [b]


def test_a_missing_credential_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(CredentialMissing, match="pki init"):
        CredentialCache().load(tmp_path / "nobody")


def test_a_key_file_that_is_not_the_certificates_key_is_refused(tmp_path: Path) -> None:
    """The RSA consistency check is skipped (the NCA wrote the keys); the key must still match its certificate."""
    base, other = _person(tmp_path, "900101300123"), _person(tmp_path, "900101300124")
    assert PkiLayout.load_credential(base).certificate.public_key() == PkiLayout.load_credential(base).key.public_key()
    base.with_suffix(".key").write_bytes(other.with_suffix(".key").read_bytes())
    with pytest.raises(CredentialUnusable, match="not the key"):
        PkiLayout.load_credential(base)
