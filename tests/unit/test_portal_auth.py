"""Citizens' login to the portal with IIN and password (SP-4, regulation 004 §9)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from adapters.storage import create_store_engine
from kernel.clock import FixedClock
from mocks.population import PERSONA_JOB_SEEKER, PERSONA_MINOR, build_population
from mocks.portal.auth import (
    DEMO_PASSWORD,
    Authenticator,
    LoginRefusedError,
    NotAuthenticatedError,
    ScryptCost,
    password_matches,
)
from mocks.portal.storage import PortalStore

CHEAP = ScryptCost(n=2**10)  # the same algorithm with a lower cost, to keep the test fast
PEOPLE = build_population()[:6]


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))


@pytest.fixture
def engine() -> Engine:
    return create_store_engine("sqlite://")


@pytest.fixture
def auth(engine: Engine, clock: FixedClock) -> Authenticator:
    store = PortalStore(engine)
    authenticator = Authenticator(store, clock.now, cost=CHEAP, session_lifetime=timedelta(hours=1))
    assert authenticator.seed(PEOPLE) == len(PEOPLE)
    return authenticator


def test_the_right_password_gives_a_token_that_names_the_citizen(auth: Authenticator) -> None:
    token = auth.login(PERSONA_JOB_SEEKER, DEMO_PASSWORD)

    assert len(token) >= 32
    citizen = auth.citizen_for(token)
    assert citizen.iin == PERSONA_JOB_SEEKER
    assert citizen.full_name == PEOPLE[0].full_name


def test_each_login_gets_its_own_token(auth: Authenticator) -> None:
    assert auth.login(PERSONA_JOB_SEEKER, DEMO_PASSWORD) != auth.login(PERSONA_JOB_SEEKER, DEMO_PASSWORD)


@pytest.mark.parametrize(
    ("iin", "password"),
    [
        (PERSONA_JOB_SEEKER, "egov-demo-2025"),
        (PERSONA_JOB_SEEKER, ""),
        (PERSONA_JOB_SEEKER, DEMO_PASSWORD.upper()),
        ("031231500126", DEMO_PASSWORD),  # a valid IIN of nobody in the population
    ],
)
def test_a_mismatch_is_refused_without_saying_which_part_was_wrong(
    auth: Authenticator, iin: str, password: str
) -> None:
    with pytest.raises(LoginRefusedError, match="the IIN or the password is wrong"):
        auth.login(iin, password)


def test_the_password_is_stored_only_as_a_salted_hash(auth: Authenticator, engine: Engine) -> None:
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT iin, password_hash FROM citizens")).all()
    stored: dict[str, str] = {row[0]: row[1] for row in rows}

    assert set(stored) == {person.iin for person in PEOPLE}
    assert all(DEMO_PASSWORD not in value for value in stored.values())
    assert all(value.startswith("scrypt$") for value in stored.values())
    assert len(set(stored.values())) == len(stored)  # one salt per citizen: equal passwords, different hashes
    assert password_matches(DEMO_PASSWORD, stored[PERSONA_MINOR])
    assert not password_matches("wrong", stored[PERSONA_MINOR])


def test_tokens_are_stored_hashed(auth: Authenticator, engine: Engine) -> None:
    token = auth.login(PERSONA_JOB_SEEKER, DEMO_PASSWORD)
    with engine.connect() as connection:
        stored = [row[0] for row in connection.execute(text("SELECT token_hash FROM sessions"))]

    assert stored and token not in stored


def test_seeding_happens_only_on_the_first_start(auth: Authenticator) -> None:
    assert auth.seed(PEOPLE, password="another") == 0
    auth.login(PERSONA_JOB_SEEKER, DEMO_PASSWORD)


def test_unknown_expired_and_logged_out_tokens_are_refused(auth: Authenticator, clock: FixedClock) -> None:
    with pytest.raises(NotAuthenticatedError):
        auth.citizen_for(None)
    with pytest.raises(NotAuthenticatedError):
        auth.citizen_for("made-up")

    token = auth.login(PERSONA_JOB_SEEKER, DEMO_PASSWORD)
    auth.logout(token)
    with pytest.raises(NotAuthenticatedError):
        auth.citizen_for(token)

    token = auth.login(PERSONA_JOB_SEEKER, DEMO_PASSWORD)
    clock.advance(timedelta(hours=1, seconds=1))
    with pytest.raises(NotAuthenticatedError, match="expired"):
        auth.citizen_for(token)
