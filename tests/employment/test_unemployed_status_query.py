"""``ENBEK_UnemployedStatusQuery`` (SP-7, 004 §1 (1)): the fund asks whether a person is registered as
unemployed on a day; the centre answers from its register, through the same dispatcher as its other services."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import replace
from typing import Any

import pytest

from adapters.shep.envelope import Payload, RequestInfo
from adapters.shep.faults import ErrorCode
from adapters.shep.spyne_provider import InboundMessage, ProviderError
from contracts import unemployment_status as un
from employment.entrypoints.dispatch import InboundContext, ServiceDispatcher
from employment.entrypoints.services import ROUTES
from kernel.clock import FixedClock
from tests.contracts.conftest import on_the_wire
from tests.register_world import IIN, World, instant, run_steps

REGISTERED = [
    {"apply": {"id": "APP-1", "at": "2026-11-23T10:00"}},
    {"advance": "2026-11-24T18:30"},
    {
        "decide": {
            "kind": "registered",
            "at": "2026-11-25T11:00",
            "decided_on": dt.date(2026, 11, 25),
            "registered_on": dt.date(2026, 11, 25),
        }
    },
    {"advance": "2026-11-25T11:05"},
]
DEREGISTERED = [
    {
        "ground": {
            "id": "GFSS-1",
            "ground": 1,
            "at": "2026-12-15T10:00",
            "facts": {"months": "2026-11,2026-12", "employerBin": "040540010001"},
        }
    },
    {"decide": {"kind": "deregistered", "at": "2026-12-17T10:00", "decided_on": dt.date(2026, 12, 17)}},
]


def _world(steps: list[dict[str, Any]]) -> World:
    world = World(FixedClock(instant("2026-11-23T09:00")))
    world.set_person({"sex": "female"})
    return run_steps(world, steps)


def _ask(world: World, iin: str, on: dt.date, sender: str = "GFSS", query: Any = None) -> un.UnemployedStatusAnswer:
    dispatcher = ServiceDispatcher(
        ROUTES,
        replace(world.employment, register=world.services),
        InboundContext(trust=None, now=world.clock.now, max_bytes=1_048_576),  # type: ignore[arg-type]
    )
    element = query if query is not None else un.write_query(un.UnemployedStatusQuery("GFSS-Q-1", iin, on))
    info = RequestInfo(str(uuid.uuid4()), un.QUERY_SERVICE_ID, sender, world.clock.now(), correlation_id="c-1")
    answer = dispatcher(InboundMessage(info=info, payload=Payload(element=element), transport=None))  # type: ignore[arg-type]
    assert answer.element is not None
    return un.read_answer(on_the_wire(answer.element))


def test_a_registered_person_is_answered_with_the_registration_and_the_certificate() -> None:
    world = _world([*REGISTERED, {"certificate": {"id": "CERT-1", "at": "2026-11-26T10:00"}}])
    answer = _ask(world, IIN, dt.date(2026, 12, 1))
    assert answer.registered is True
    assert answer.registered_on == dt.date(2026, 11, 25)
    assert answer.deregistered_on is None
    assert answer.case_id == world.entry.case_id == "UN-APP-1"
    certificate = world.certificates[0]
    assert answer.certificate == un.CertificateOfRegistration(
        "CE-CERT-1", certificate.issued_on, certificate.valid_until
    )
    # the day before the registration the person was not registered yet
    before = _ask(world, IIN, dt.date(2026, 11, 24))
    assert before.registered is False and before.registered_on == dt.date(2026, 11, 25)


def test_a_registered_person_without_a_certificate_has_none_in_the_answer() -> None:
    answer = _ask(_world(REGISTERED), IIN, dt.date(2026, 11, 25))
    assert answer.registered is True and answer.certificate is None


def test_a_deregistered_person_is_registered_only_before_the_removal() -> None:
    world = _world([*REGISTERED, *DEREGISTERED])
    after = _ask(world, IIN, dt.date(2026, 12, 17))
    assert after.registered is False
    assert (after.registered_on, after.deregistered_on) == (dt.date(2026, 11, 25), dt.date(2026, 12, 17))
    assert after.deregistration_ground == "DR-1 (1)"
    assert _ask(world, IIN, dt.date(2026, 12, 16)).registered is True


def test_a_job_seeker_not_yet_registered_as_unemployed_is_not_registered() -> None:
    world = _world(REGISTERED[:2])
    answer = _ask(world, IIN, dt.date(2026, 11, 25))
    assert (answer.registered, answer.registered_on, answer.case_id) == (False, None, "UN-APP-1")


def test_an_unknown_person_is_not_registered_and_has_no_case() -> None:
    answer = _ask(_world(REGISTERED), "880115300126", dt.date(2026, 12, 1))
    assert answer == un.UnemployedStatusAnswer("GFSS-Q-1", "880115300126", dt.date(2026, 12, 1), False)


def test_only_the_fund_asks() -> None:
    with pytest.raises(ProviderError) as refused:
        _ask(_world(REGISTERED), IIN, dt.date(2026, 12, 1), sender="EGOV_PORTAL")
    assert refused.value.code is ErrorCode.ACCESS_DENIED


def test_a_query_against_the_schema_is_refused() -> None:
    query = un.write_query(un.UnemployedStatusQuery("GFSS-Q-1", IIN, dt.date(2026, 12, 1)))
    iin = query.find("iin")
    assert iin is not None
    iin.text = "12345"
    with pytest.raises(ProviderError) as refused:
        _ask(_world(REGISTERED), IIN, dt.date(2026, 12, 1), query=query)
    assert refused.value.code is ErrorCode.MALFORMED
