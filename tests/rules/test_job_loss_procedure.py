"""The job-loss payment's procedure: the department's steps (SP-1), the document check (PE-4 (2), (3), (5)) and
suspension and termination (PE-7, Art. 119), case by case from job_loss_steps.yaml, job_loss_documents.yaml and
job_loss_stop.yaml."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from kernel.clock import almaty
from kernel.months import add_months
from kernel.working_calendar import WorkingCalendar
from mocks.social_fund.domain.documents import (
    BANK_ACCOUNT,
    IDENTITY_DOCUMENT,
    UNEMPLOYED_CERTIFICATE,
    Document,
    Person,
    UnknownGround,
    document_grounds,
    executor_ground,
)
from mocks.social_fund.domain.models import PaymentMonth
from mocks.social_fund.domain.steps import Step, registered_at, service_deadline, step_deadline
from mocks.social_fund.domain.termination import Event, apply

HERE = Path(__file__).parent
STEPS = yaml.safe_load((HERE / "job_loss_steps.yaml").read_text(encoding="utf-8"))
DOCUMENTS = yaml.safe_load((HERE / "job_loss_documents.yaml").read_text(encoding="utf-8"))
STOPS = yaml.safe_load((HERE / "job_loss_stop.yaml").read_text(encoding="utf-8"))


def _local(value: str | dt.datetime) -> dt.datetime:
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)
    return moment.replace(tzinfo=almaty())


@pytest.fixture(scope="module")
def calendar() -> WorkingCalendar:
    return WorkingCalendar()


@pytest.mark.parametrize("case", STEPS, ids=[c["name"] for c in STEPS])
def test_steps(case: dict[str, Any], calendar: WorkingCalendar) -> None:
    assert case["rule"] == "SP-1"
    received = _local(case["received_at"])
    assert registered_at(received, calendar) == _local(case["registered_at"])
    moment, ends = received, []
    for step in Step:
        moment = step_deadline(step, moment, calendar)
        ends.append(moment)
    assert ends == [_local(value) for value in case["steps"]]
    assert service_deadline(received, calendar) == ends[-1]


HOLDER = Person("900512450123", "Ахметова", "Айгерим", "Серикқызы", dt.date(1990, 5, 12), male=False)


@pytest.mark.parametrize("case", DOCUMENTS, ids=[c["name"] for c in DOCUMENTS])
def test_documents(case: dict[str, Any]) -> None:
    assert case["rule"].startswith("PE-4 (") and case["article"].startswith("Social Code Art. 115 p.1")
    applicant = replace(HOLDER, **case.get("applicant", {}))
    until = case.get("valid_until", {})
    holders = case.get("holder", {})
    documents = [
        Document(kind, f"N-{kind}", dt.date(2026, 1, 5), until.get(kind, default), holders.get(kind, applicant.iin))
        for kind, default in (
            (IDENTITY_DOCUMENT, dt.date(2030, 1, 1)),
            (UNEMPLOYED_CERTIFICATE, None),
            (BANK_ACCOUNT, dt.date(2030, 1, 1)),
        )
        if kind not in case.get("drop", [])
    ]
    grounds = document_grounds(
        applicant,
        documents,
        case.get("consent", True),
        None if case.get("unknown") else HOLDER,
        dt.date(2026, 4, 1),
        represented=case.get("represented", False),
    )
    assert [ground.rule_id for ground in grounds] == case["expect"]
    assert all(ground.article.startswith("Social Code Art. 115 p.1 sub.") for ground in grounds)


def test_the_executor_refuses_to_assign_on_pe5_only() -> None:
    ground = executor_ground("PE-5 (1)", " the certificate  is forged ")
    assert (ground.rule_id, ground.article) == ("PE-5 (1)", "Social Code Art. 115 p.2 sub.1")
    assert ground.text.endswith("the certificate is forged")
    with pytest.raises(UnknownGround):
        executor_ground("PE-4 (2)", "late")
    with pytest.raises(UnknownGround):
        executor_ground("PE-5 (2)", "   ")


def _schedule() -> tuple[PaymentMonth, ...]:
    start = dt.date(2026, 3, 10)
    return tuple(
        PaymentMonth(
            add_months(start, i),
            add_months(start, i + 1) - dt.timedelta(days=1),
            Decimal("121500.00"),
            Decimal("109350.00"),
        )
        for i in range(4)
    )


@pytest.mark.parametrize("case", STOPS, ids=[c["name"] for c in STOPS])
def test_stops(case: dict[str, Any]) -> None:
    assert case["rule"] == "PE-7" and case["article"].startswith("Social Code Art. 119")
    event = Event(case["event"])
    stop = apply(event, case["event_on"], _schedule())
    assert stop.effective_from == case["effective_from"]
    assert [month.end for month in stop.schedule] == case["kept"]
    assert stop.suspended is case.get("suspended", False)
    assert event.article == case["article"]
    assert all(month.gross == Decimal("121500.00") for month in stop.schedule)


def test_every_event_of_art_119_has_a_case() -> None:
    covered = {Event(case["event"]) for case in STOPS}
    assert covered == set(Event)
