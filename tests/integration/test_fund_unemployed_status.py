"""GFSS_UnemployedStatus through the real gateway, and the fund's DR-1 (1) watch (docs/social-fund.md).

The employment centre (its identity, as the tests build it) tells the fund that a person was registered
as unemployed; a labour contract reported to the fund afterwards brings contributions for months after the
registration; the watch queues the ``deregistrationGroundReport`` for the centre (ENBEK_RegisterEvent).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

import httpx
import pytest

from adapters.shep import ErrorCode, GatewayFault, Payload
from adapters.shep.service_call import call_service
from contracts import unemployment_status as un
from ecosystem.context import SystemContext, system_context
from ecosystem.settings import Settings
from mocks.population import build_population

if TYPE_CHECKING:
    from tests.integration.conftest import ServedSystems


@pytest.fixture(scope="module")
def settings(served: ServedSystems) -> Settings:
    served.start("gateway", "social_fund", "nca")
    return served.settings


@pytest.fixture(scope="module")
def centre(settings: Settings) -> Iterator[SystemContext]:
    with system_context(settings, "employment") as context:
        yield context


@pytest.fixture(scope="module")
def person() -> str:
    """A generated person no other test uses (the 200th of the population, beyond the keyed people)."""
    return build_population(size=200)[-1].iin


def registered(iin: str, registered_on: date) -> un.UnemployedStatusNotice:
    return un.UnemployedStatusNotice(
        f"ENBEK-UN-{uuid.uuid4().hex[:12]}",
        iin,
        un.UnemployedStatus.REGISTERED,
        registered_on,
        registered_on,
        "MIO-DEC-1",
    )


def send(context: SystemContext, notice: un.UnemployedStatusNotice) -> un.NoticeReceipt:
    answer = call_service(context.sync_client(), un.STATUS_SERVICE_ID, un.write_notice(notice), None)
    return un.read_receipt(answer)


def test_the_centre_tells_the_fund_and_a_repeat_changes_nothing(
    centre: SystemContext, settings: Settings, person: str
) -> None:
    notice = registered(person, date(2026, 8, 3))
    assert send(centre, notice).outcome is un.ReceiptOutcome.RECORDED
    assert send(centre, notice).outcome is un.ReceiptOutcome.ALREADY_RECORDED
    held = httpx.get(f"{settings.base_url('social_fund')}/admin/unemployed/{person}").json()
    assert (held["status"], held["registeredOn"]) == ("registered", "2026-08-03")


def test_contributions_after_the_registration_are_reported_to_the_centre(settings: Settings, person: str) -> None:
    fund = settings.base_url("social_fund")
    recorded = httpx.post(
        f"{fund}/admin/employment",
        json={
            "iin": person,
            "employerBin": "123456789012",
            "employerName": "ТОО «Пример»",
            "start": "2026-09-01",
            "monthlyIncome": 350000,
        },
    )
    assert recorded.status_code == 201
    queued = httpx.post(f"{fund}/admin/register-watch").json()["queued"]
    report_id = f"GFSS-DR1-{person}-20260803"
    # the worker's own duty may have run the watch first; either way the report is queued exactly once
    assert queued in ([report_id], [])
    messages = httpx.get(f"{fund}/admin/outbox", params={"topic": "social-fund.deregistration-ground"}).json()
    assert [m["key"] for m in messages["messages"]] == [report_id]
    assert httpx.get(f"{fund}/admin/unemployed/{person}").json()["groundReportId"] == report_id


def test_only_the_centre_may_send_status_notices(settings: Settings, person: str) -> None:
    with system_context(settings, "state_corp") as other, pytest.raises(GatewayFault) as refused:
        other.sync_client().send(
            un.STATUS_SERVICE_ID, Payload(element=un.write_notice(registered(person, date(2026, 8, 3))))
        )
    assert refused.value.code == ErrorCode.ACCESS_DENIED.value


def test_a_notice_against_the_schema_is_refused_and_changes_nothing(centre: SystemContext, settings: Settings) -> None:
    iin = build_population(size=200)[-2].iin
    element = un.write_notice(registered(iin, date(2026, 8, 3)))
    status = element.find("status")
    assert status is not None
    status.text = "paused"
    with pytest.raises(GatewayFault) as refused:
        centre.sync_client().send(un.STATUS_SERVICE_ID, Payload(element=element))
    assert refused.value.code == ErrorCode.MALFORMED.value
    assert httpx.get(f"{settings.base_url('social_fund')}/admin/unemployed/{iin}").status_code == 404


def test_an_unknown_person_cannot_be_given_employment(settings: Settings) -> None:
    answer = httpx.post(
        f"{settings.base_url('social_fund')}/admin/employment",
        json={
            "iin": "000000000000",
            "employerBin": "123456789012",
            "employerName": "X",
            "start": "2026-09-01",
            "monthlyIncome": 1,
        },
    )
    assert answer.status_code == 404
