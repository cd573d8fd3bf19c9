"""Citizens' login to the portal with IIN and password (SP-4, regulation 004 §9: refuse authorisation on a mismatch).

Every person of the synthetic population is a citizen; the demo password is the same for all
(:data:`DEMO_PASSWORD`) but is stored only as a salted scrypt hash, one salt per citizen, seeded on
the first start. A login gives a random bearer token; only its SHA-256 is stored, so a copy of the
database does not let anyone in.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from adapters.passwords import ScryptCost, hash_password, password_matches, token_hash
from mocks.population import SyntheticPerson
from mocks.portal.storage import CitizenRow, PortalStore, SessionRow

DEMO_PASSWORD = "egov-demo-2026"
SESSION_LIFETIME = timedelta(hours=8)
DEFAULT_COST = ScryptCost()
_REFUSAL = "login refused: the IIN or the password is wrong (SP-4)"


class LoginRefusedError(Exception):
    """The IIN and password do not match a citizen (SP-4)."""


class NotAuthenticatedError(Exception):
    """No valid bearer token: missing, unknown, or expired."""


@dataclass(frozen=True)
class Citizen:
    iin: str
    full_name: str


class Authenticator:
    """Seeds citizens, checks passwords, issues and resolves bearer tokens."""

    def __init__(
        self,
        store: PortalStore,
        now: Callable[[], datetime],
        *,
        cost: ScryptCost = DEFAULT_COST,
        session_lifetime: timedelta = SESSION_LIFETIME,
    ) -> None:
        self._store = store
        self._now = now
        self._cost = cost
        self._lifetime = session_lifetime
        self._decoy = hash_password(secrets.token_hex(8), cost)

    def seed(self, people: Iterable[SyntheticPerson], password: str = DEMO_PASSWORD) -> int:
        """On the first start, give every person a login with ``password``; return how many were added."""
        if self._store.citizen_count():
            return 0
        rows = [
            CitizenRow(iin=person.iin, full_name=person.full_name, password_hash=hash_password(password, self._cost))
            for person in people
        ]
        self._store.add_citizens(rows)
        return len(rows)

    def login(self, iin: str, password: str) -> str:
        """Return a new bearer token, or raise :class:`LoginRefusedError` (SP-4)."""
        citizen = self._store.citizen(iin.strip())
        # an unknown IIN costs the same hashing time as a wrong password, so timing does not tell them apart
        stored = citizen.password_hash if citizen is not None else self._decoy
        if not password_matches(password, stored) or citizen is None:
            raise LoginRefusedError(_REFUSAL)
        token = secrets.token_urlsafe(32)
        now = self._now()
        self._store.add_login_session(
            SessionRow(
                token_hash=token_hash(token),
                iin=citizen.iin,
                created_at=now,
                expires_at=now + self._lifetime,
            )
        )
        return token

    def citizen_for(self, token: str | None) -> Citizen:
        """The citizen a bearer token belongs to, or raise :class:`NotAuthenticatedError`."""
        if not token:
            raise NotAuthenticatedError("log in (POST /api/auth/login), then send: Authorization: Bearer …")
        session = self._store.login_session(token_hash(token))
        if session is None:
            raise NotAuthenticatedError("the token is unknown or was logged out; log in again")
        if session.expires_at <= self._now():
            raise NotAuthenticatedError("the session has expired; log in again")
        citizen = self._store.citizen(session.iin)
        if citizen is None:
            raise NotAuthenticatedError("the citizen of this session no longer exists")
        return Citizen(iin=citizen.iin, full_name=citizen.full_name)

    def logout(self, token: str) -> None:
        self._store.delete_login_session(token_hash(token))
