"""Liveness and readiness of a system, served by :func:`ecosystem.app.create_system_app`:

- ``GET /health/live``: the process answers (200, always, while the event loop runs);
- ``GET /health/ready``: the system can do its work: each of its databases answers ``SELECT 1``; its own
  certificate is loaded, within its validity, chains to the trusted root and is not revoked; the revocation
  source the system uses can be relied on (``pki:crl``, on the ecosystem's clock): online, the NCA answers
  about each link of the system's own chain (its OCSP responder and CRL distribution point, each answer signed
  and fresh, cached while it is); from the data folder, the CRL file is published, signed by the issuing CA and
  its ``nextUpdate`` is after now — plus any check the system adds. 200 ``{"status": "ready", "checks":
  {name: "ok"}}``, or 503 ``{"status": "not ready", "problems": [...], "checks": {name: problem | "ok"}}``
  naming each failed check in plain words.

A check is a name and a function returning ``None`` when all is well, else the problem in plain words; a
check that raises is reported with its exception, never as a 500.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise

from cryptography import x509
from sqlalchemy import text
from sqlalchemy.engine import Engine

from adapters.pki import CertificateRejected, OnlineRevocationCheck, PkiLayout, TrustStore, subject_of
from ecosystem.context import SystemContext

__all__ = [
    "Readiness",
    "ReadinessCheck",
    "assess",
    "crl_problem",
    "database_check",
    "pki_checks",
    "revocation_problem",
    "system_checks",
]


@dataclass(frozen=True)
class ReadinessCheck:
    name: str
    problem: Callable[[], str | None]


@dataclass(frozen=True)
class Readiness:
    problems: dict[str, str]
    checked: tuple[str, ...]

    @property
    def ready(self) -> bool:
        return not self.problems

    def as_json(self) -> dict[str, object]:
        checks = {name: self.problems.get(name, "ok") for name in self.checked}
        if self.ready:
            return {"status": "ready", "checks": checks}
        return {"status": "not ready", "problems": list(self.problems.values()), "checks": checks}


def assess(checks: Sequence[ReadinessCheck]) -> Readiness:
    problems: dict[str, str] = {}
    for check in checks:
        try:
            problem = check.problem()
        except Exception as exc:  # a check that cannot run is a reason not to be ready, in words
            problem = f"{check.name}: the check failed: {type(exc).__name__}: {exc}"
        if problem:
            problems[check.name] = problem
    return Readiness(problems, tuple(check.name for check in checks))


def system_checks(
    context: SystemContext, databases: Mapping[str, Engine] | None = None, checks: Sequence[ReadinessCheck] = ()
) -> list[ReadinessCheck]:
    """What ``/health/ready`` checks: each database, the PKI, then the system's own checks."""
    return [
        *(database_check(name, engine) for name, engine in (databases or {}).items()),
        *pki_checks(context),
        *checks,
    ]


def database_check(name: str, engine: Engine) -> ReadinessCheck:
    def problem() -> str | None:
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception as exc:
            return f"the database {name} does not answer: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
        return None

    return ReadinessCheck(f"database:{name}", problem)


def pki_checks(context: SystemContext) -> list[ReadinessCheck]:
    """The system's own certificate, and the freshness of the revocation source it uses, on the ecosystem's clock."""

    def own_certificate() -> str | None:
        certificate = context.credential.certificate
        try:
            context.trust.verify(certificate, context.now())
        except CertificateRejected as exc:
            return f"the certificate of {context.identity.name} cannot be used: {exc}"
        return None

    def crl_fresh() -> str | None:
        return revocation_problem(context.trust, context.credential.certificate, context.layout, context.now())

    return [ReadinessCheck("pki:certificate", own_certificate), ReadinessCheck("pki:crl", crl_fresh)]


def revocation_problem(
    trust: TrustStore, certificate: x509.Certificate, layout: PkiLayout, now: datetime
) -> str | None:
    """Why the revocation source ``trust`` uses cannot be relied on at ``now``, or None: the NCA's online answers
    about each link of ``certificate``'s chain, or the data folder's CRL file (:func:`crl_problem`)."""
    check = trust.revocation_check
    if not isinstance(check, OnlineRevocationCheck):
        return crl_problem(layout, now)
    chain = trust.chain_of(certificate, now)
    problems = [check.freshness_problem(link, issuer, now) for link, issuer in pairwise(chain)]
    return "; ".join(problem for problem in problems if problem) or None


def crl_problem(layout: PkiLayout, now: datetime) -> str | None:
    """Why the issuing CA's CRL cannot be relied on at ``now`` (missing, not signed by the CA, stale), or None."""
    if not layout.crl.is_file():
        return f"the NCA has published no CRL at {layout.crl}"
    crl = x509.load_pem_x509_crl(layout.crl.read_bytes())
    issuing = x509.load_pem_x509_certificate(layout.issuing_ca.with_suffix(".pem").read_bytes())
    if crl.issuer != issuing.subject or not crl.is_signature_valid(issuing.public_key()):  # type: ignore[arg-type]
        return f"the CRL at {layout.crl} is not signed by the issuing CA {subject_of(issuing).describe()}"
    next_update = crl.next_update_utc
    if next_update is None:
        return f"the CRL at {layout.crl} names no nextUpdate"
    if now >= next_update:
        return f"the NCA's CRL is stale: its nextUpdate {next_update.isoformat()} has passed (now {now.isoformat()})"
    return None
