"""Operators of the State Corporation and their login to the operator workstation (regulation 004 §7 process 1:
"the operator enters the login and password").

The accounts (:data:`OPERATOR_ACCOUNTS`) are seeded on the first start; the demo password is the same for all
(:data:`DEMO_PASSWORD`) but is stored only as a salted scrypt hash. A login gives a random bearer token, of which
only the SHA-256 is stored. Each account says what its operator may do (``services``): a trainee may look people
up (SP-2) but not send registrations; and which official's EDS key the workstation holds for them
(``official_role`` of ``ecosystem/catalogue.py``), with which they sign what they send.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from adapters.passwords import hash_password, password_matches, token_hash
from ecosystem.catalogue import official
from mocks.state_corp.storage import OperatorRow, OperatorSessionRow, StateCorpStore

DEMO_PASSWORD = "gk-operator-2026"
SESSION_LIFETIME = timedelta(hours=12)  # a working day of the State Corporation, 9:00-20:00 (standard item 7)
PERSON_LOOKUP = "person-lookup"
JOB_SEEKER_REGISTRATION = "job-seeker-registration"
JOB_LOSS_PAYMENT = "job-loss-payment"  # the application for the social payment for loss of job (SP-2, SP-3)
_REFUSAL = "login refused: the operator's IIN or the password is wrong (regulation 004 §7 process 1)"


@dataclass(frozen=True)
class OperatorAccount:
    iin: str
    full_name: str
    branch: str
    official_role: str | None
    services: tuple[str, ...]


def _catalogue_operator() -> OperatorAccount:
    person = official("state-corp-operator")
    return OperatorAccount(
        person.iin,
        f"{person.surname} {person.given_name} {person.patronymic}",
        "ЦОН района Есиль города Астаны",
        person.role,
        (PERSON_LOOKUP, JOB_SEEKER_REGISTRATION, JOB_LOSS_PAYMENT),
    )


def operator_accounts() -> tuple[OperatorAccount, ...]:
    """The State Corporation's operators: the catalogue's operator, who registers job seekers and takes job-loss
    payment applications, and a trainee, who only looks people up and holds no EDS key."""
    return (
        _catalogue_operator(),
        OperatorAccount(
            "980730353012", "Ержанов Нуржан Серикович", "ЦОН района Есиль города Астаны", None, (PERSON_LOOKUP,)
        ),
    )


class LoginRefusedError(Exception):
    """The IIN and password do not match an operator."""


class NotAuthenticatedError(Exception):
    """No valid bearer token: missing, unknown, or expired."""


class OperationNotAllowedError(Exception):
    """The operator is logged in but may not do this."""


@dataclass(frozen=True)
class Operator:
    iin: str
    full_name: str
    branch: str
    official_role: str | None
    services: tuple[str, ...]

    def require(self, service: str) -> None:
        if service not in self.services:
            raise OperationNotAllowedError(
                f"operator {self.iin} ({self.full_name}) is not allowed to perform {service}; "
                f"their account allows {', '.join(self.services)}"
            )


class OperatorDesk:
    """Seeds the operators, checks passwords, issues and resolves bearer tokens."""

    def __init__(self, store: StateCorpStore, now: Callable[[], datetime]) -> None:
        self._store = store
        self._now = now

    def seed(self) -> None:
        for account in operator_accounts():
            self._store.add_operator_if_missing(
                OperatorRow(
                    iin=account.iin,
                    full_name=account.full_name,
                    branch=account.branch,
                    official_role=account.official_role,
                    services=list(account.services),
                    password_hash=hash_password(DEMO_PASSWORD),
                )
            )

    def login(self, iin: str, password: str) -> tuple[str, Operator, datetime]:
        """(token, operator, expires at); :class:`LoginRefusedError` on a mismatch, with the same words for an
        unknown operator and a wrong password."""
        row = self._store.operator(iin)
        if row is None or not password_matches(password, row.password_hash):
            raise LoginRefusedError(_REFUSAL)
        token = secrets.token_urlsafe(32)
        now = self._now()
        expires = now + SESSION_LIFETIME
        self._store.add_session(
            OperatorSessionRow(token_hash=token_hash(token), operator_iin=iin, created_at=now, expires_at=expires)
        )
        return token, _operator(row), expires

    def operator_for(self, authorization: str | None) -> Operator:
        """The operator of ``Authorization: Bearer <token>``."""
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise NotAuthenticatedError(
                "log in first (POST /api/operator/login) and send Authorization: Bearer <token>"
            )
        found = self._store.operator_session(token_hash(token.strip()))
        if found is None or found.expires_at <= self._now():
            raise NotAuthenticatedError("the session is unknown or has expired; log in again")
        row = self._store.operator(found.operator_iin)
        if row is None:
            raise NotAuthenticatedError("the session's operator no longer exists; log in again")
        return _operator(row)


def _operator(row: OperatorRow) -> Operator:
    return Operator(row.iin, row.full_name, row.branch, row.official_role, tuple(row.services))
