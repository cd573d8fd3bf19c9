"""Create the test PKI on first start, into the data folder, and keep its CRL.

Idempotent and safe to call from several processes at once (a file lock serialises them): what exists
is kept, what is missing is issued. Everyone who signs in the simulation gets a certificate: every
information system (transport), every official in the catalogue, and every person of the synthetic
population (the stand-in for the citizen's own signing tool).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from adapters.pki import Credential, PkiLayout
from ecosystem.catalogue import OFFICIALS, SYSTEMS
from mocks.nca.authority import CertificateAuthority, KeyPurpose, PersonName, create_root
from mocks.population import DEFAULT_SEED, build_population

CRL_VALIDITY = dt.timedelta(days=7)
# Test certificates are valid from VALIDITY_MARGIN before to VALIDITY_MARGIN after the moment they are
# issued, so that a virtual clock set anywhere near the present (a pinned demo date, the real date) works
# with any data folder. Certificates meant to be expired or not yet valid are issued by the tests themselves.
VALIDITY_MARGIN = dt.timedelta(days=2 * 365)
END_ENTITY_DAYS = 4 * 365


@dataclass(frozen=True)
class ProvisioningReport:
    created: list[str]

    @property
    def fresh(self) -> bool:
        return bool(self.created)


@contextmanager
def _locked(layout: PkiLayout) -> Iterator[None]:
    layout.root.mkdir(parents=True, exist_ok=True)
    with open(layout.root / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _exists(base: Path) -> bool:
    return base.with_suffix(".pem").is_file() and base.with_suffix(".key").is_file()


def ensure_test_pki(
    layout: PkiLayout, now: dt.datetime | None = None, population_seed: int = DEFAULT_SEED
) -> ProvisioningReport:
    """Issue whatever of the test PKI is missing under ``layout``; the citizens are the population's first
    ``KEYED_PEOPLE`` of ``population_seed`` (mocks/population.py)."""
    now = now or dt.datetime.now(dt.UTC)
    issued_from = now - VALIDITY_MARGIN
    created: list[str] = []
    with _locked(layout):
        if not _exists(layout.root_ca):
            root = create_root(issued_from, days=20 * 365)
            layout.save_credential(layout.root_ca, root.credential)
            created.append("root CA")
        root = CertificateAuthority(layout.load_credential(layout.root_ca))
        if not _exists(layout.issuing_ca):
            layout.save_credential(
                layout.issuing_ca, root.issue_ca("egov-sim test issuing CA", issued_from, days=15 * 365).credential
            )
            created.append("issuing CA")
        issuing = CertificateAuthority(layout.load_credential(layout.issuing_ca))
        for system in SYSTEMS:
            base = layout.system(system.name)
            if not _exists(base):
                layout.save_credential(
                    base,
                    issuing.issue_system(system.name, system.bin, system.organisation, issued_from, END_ENTITY_DAYS),
                )
                created.append(f"system {system.name}")
        for person in OFFICIALS:
            base = layout.official(person.role)
            if not _exists(base):
                name = PersonName(person.surname, person.given_name, person.patronymic)
                purposes = (KeyPurpose.INDIVIDUAL, KeyPurpose.FIRST_HEAD, KeyPurpose.MAY_SIGN)
                credential = issuing.issue_person(
                    person.iin, name, issued_from, END_ENTITY_DAYS, person.organisation, person.bin, purposes
                )
                layout.save_credential(base, credential)
                created.append(f"official {person.role}")
        for citizen in build_population(population_seed):
            base = layout.person(citizen.iin)
            if not _exists(base):
                name = PersonName(citizen.surname, citizen.name, citizen.patronymic)
                layout.save_credential(base, issuing.issue_person(citizen.iin, name, issued_from, END_ENTITY_DAYS))
                created.append(f"person {citizen.iin}")
        if not layout.crl.is_file():
            _write_crl(layout, issuing, [], now)
    return ProvisioningReport(created)


def _revoked_file(layout: PkiLayout) -> Path:
    return layout.root / "ca" / "revoked.json"


def _write_crl(
    layout: PkiLayout, issuing: CertificateAuthority, revoked: list[tuple[int, dt.datetime]], now: dt.datetime
) -> None:
    crl = issuing.crl(revoked, now, CRL_VALIDITY)
    layout.crl.write_bytes(crl.public_bytes(serialization.Encoding.PEM))
    _revoked_file(layout).write_text(
        json.dumps([{"serial": str(serial), "revokedAt": when.isoformat()} for serial, when in revoked], indent=2)
    )


def revoked_serials(layout: PkiLayout) -> list[tuple[int, dt.datetime]]:
    path = _revoked_file(layout)
    if not path.is_file():
        return []
    return [
        (int(item["serial"]), dt.datetime.fromisoformat(item["revokedAt"])) for item in json.loads(path.read_text())
    ]


def revoke(layout: PkiLayout, certificate: x509.Certificate, now: dt.datetime | None = None) -> None:
    """Revoke ``certificate`` and publish a new CRL."""
    now = now or dt.datetime.now(dt.UTC)
    with _locked(layout):
        issuing = CertificateAuthority(layout.load_credential(layout.issuing_ca))
        revoked = [entry for entry in revoked_serials(layout) if entry[0] != certificate.serial_number]
        revoked.append((certificate.serial_number, now))
        _write_crl(layout, issuing, revoked, now)


def issuing_credential(layout: PkiLayout) -> Credential:
    return layout.load_credential(layout.issuing_ca)
