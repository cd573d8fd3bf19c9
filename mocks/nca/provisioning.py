"""Create the test PKI on first start, into the data folder, and keep its CRL.

Idempotent and safe to call from several processes at once (a file lock serialises them): what exists
is kept, what is missing is issued. Everyone who signs in the simulation gets a certificate: every
information system (transport), every official in the catalogue, and every person of the synthetic
population (the stand-in for the citizen's own signing tool).

Given the NCA's URL (``settings.base_url("nca")`` at issue time), every certificate names the NCA's OCSP
responder and its issuer's CRL: the root's direct issues ``/crl/root.crl``, the issuing CA's ``/crl/issuing.crl``.
Revocations are kept in ``ca/revoked.json`` with their reason (``certificateHold`` can be released); the CRL
file the data-folder check reads is re-written on each change.
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
from mocks.nca.authority import (
    ISSUING_CRL_PATH,
    ROOT_CRL_PATH,
    CertificateAuthority,
    KeyPurpose,
    PersonName,
    RevocationUrls,
    create_root,
)
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


def root_authority(layout: PkiLayout, nca_url: str | None) -> CertificateAuthority:
    """The root CA, naming the root CRL in what it issues (when the NCA's URL is known)."""
    urls = RevocationUrls.of_nca(nca_url, ROOT_CRL_PATH) if nca_url else None
    return CertificateAuthority(layout.load_credential(layout.root_ca), urls)


def issuing_authority(layout: PkiLayout, nca_url: str | None) -> CertificateAuthority:
    """The issuing CA, naming the issuing CRL in what it issues (when the NCA's URL is known)."""
    urls = RevocationUrls.of_nca(nca_url, ISSUING_CRL_PATH) if nca_url else None
    return CertificateAuthority(layout.load_credential(layout.issuing_ca), urls)


def ensure_test_pki(
    layout: PkiLayout,
    now: dt.datetime | None = None,
    population_seed: int = DEFAULT_SEED,
    nca_url: str | None = None,
) -> ProvisioningReport:
    """Issue whatever of the test PKI is missing under ``layout``; the citizens are the population's first
    ``KEYED_PEOPLE`` of ``population_seed`` (mocks/population.py). With ``nca_url`` every certificate names the
    NCA's OCSP responder and CRL there."""
    now = now or dt.datetime.now(dt.UTC)
    issued_from = now - VALIDITY_MARGIN
    created: list[str] = []
    with _locked(layout):
        if not _exists(layout.root_ca):
            root = create_root(issued_from, days=20 * 365)
            layout.save_credential(layout.root_ca, root.credential)
            created.append("root CA")
        root = root_authority(layout, nca_url)
        if not _exists(layout.issuing_ca):
            layout.save_credential(
                layout.issuing_ca, root.issue_ca("egov-sim test issuing CA", issued_from, days=15 * 365).credential
            )
            created.append("issuing CA")
        issuing = issuing_authority(layout, nca_url)
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
                # an official signs for the organisation: individual, first head (or employee) and may-sign
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


@dataclass(frozen=True)
class Revocation:
    """One revoked certificate of the issuing CA: when, and why (RFC 5280 reason)."""

    serial: int
    at: dt.datetime
    reason: x509.ReasonFlags = x509.ReasonFlags.unspecified


def revocations(layout: PkiLayout) -> dict[int, Revocation]:
    """The issuing CA's revocations, by serial number."""
    path = _revoked_file(layout)
    if not path.is_file():
        return {}
    found = (
        Revocation(
            int(item["serial"]),
            dt.datetime.fromisoformat(item["revokedAt"]),
            x509.ReasonFlags(item.get("reason", x509.ReasonFlags.unspecified.value)),
        )
        for item in json.loads(path.read_text())
    )
    return {entry.serial: entry for entry in found}


def revoked_serials(layout: PkiLayout) -> list[tuple[int, dt.datetime]]:
    return [(entry.serial, entry.at) for entry in revocations(layout).values()]


def _write_crl(layout: PkiLayout, issuing: CertificateAuthority, entries: list[Revocation], now: dt.datetime) -> None:
    crl = issuing_crl(issuing, entries, now, CRL_VALIDITY)
    layout.crl.write_bytes(crl.public_bytes(serialization.Encoding.PEM))
    _revoked_file(layout).write_text(
        json.dumps(
            [
                {"serial": str(entry.serial), "revokedAt": entry.at.isoformat(), "reason": entry.reason.value}
                for entry in entries
            ],
            indent=2,
        )
    )


def issuing_crl(
    issuing: CertificateAuthority, entries: list[Revocation], now: dt.datetime, valid_for: dt.timedelta
) -> x509.CertificateRevocationList:
    """The issuing CA's CRL of ``entries``, made at ``now`` and valid for ``valid_for`` (its nextUpdate)."""
    return issuing.crl(
        [(entry.serial, entry.at) for entry in entries],
        now,
        valid_for,
        {entry.serial: entry.reason for entry in entries},
    )


def revoke(
    layout: PkiLayout,
    certificate: x509.Certificate,
    now: dt.datetime | None = None,
    reason: x509.ReasonFlags = x509.ReasonFlags.unspecified,
) -> Revocation:
    """Revoke ``certificate`` (with ``reason``) and publish a new CRL."""
    now = now or dt.datetime.now(dt.UTC)
    entry = Revocation(certificate.serial_number, now, reason)
    with _locked(layout):
        issuing = CertificateAuthority(layout.load_credential(layout.issuing_ca))
        kept = [old for old in revocations(layout).values() if old.serial != entry.serial]
        _write_crl(layout, issuing, [*kept, entry], now)
    return entry


class NotOnHold(ValueError):
    """Only a certificate on hold (reason ``certificateHold``) can be released."""


def release_hold(layout: PkiLayout, serial: int, now: dt.datetime | None = None) -> None:
    """Take a certificate on hold off the CRL (RFC 5280 §5.3.1: removeFromCRL); any other revocation is final."""
    now = now or dt.datetime.now(dt.UTC)
    with _locked(layout):
        current = revocations(layout)
        entry = current.get(serial)
        if entry is None or entry.reason is not x509.ReasonFlags.certificate_hold:
            raise NotOnHold(
                f"certificate {serial} is not on hold"
                + (f" (revoked for {entry.reason.value}, which is final)" if entry else "")
            )
        issuing = CertificateAuthority(layout.load_credential(layout.issuing_ca))
        _write_crl(layout, issuing, [old for old in current.values() if old.serial != serial], now)


def issuing_credential(layout: PkiLayout) -> Credential:
    return layout.load_credential(layout.issuing_ca)
