"""The local employment authority's terms (UN-2, DR-1, AP-1), case by case from local_authority_terms.yaml."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from kernel.clock import almaty
from kernel.working_calendar import WorkingCalendar
from mocks.local_authority.domain.models import Addressee, CaseKind
from mocks.local_authority.domain.terms import (
    auto_decision_due,
    complaint_deadline,
    decision_deadline,
    decision_term_rule,
)

CASES = yaml.safe_load((Path(__file__).parent / "local_authority_terms.yaml").read_text(encoding="utf-8"))
KINDS = {"registration": CaseKind.UNEMPLOYED_REGISTRATION, "deregistration": CaseKind.DEREGISTRATION}
ADDRESSEES = {"complaint-local": Addressee.LOCAL_AUTHORITY, "complaint-quality": Addressee.QUALITY_ASSESSMENT}


@pytest.fixture(scope="module")
def calendar() -> WorkingCalendar:
    return WorkingCalendar()


def _local(value: str | dt.datetime) -> dt.datetime:
    """A wall-clock time in Asia/Almaty (YAML reads 2026-03-20T19:00 as text or as a naive datetime)."""
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)
    return moment.replace(tzinfo=almaty())


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case: dict[str, Any], calendar: WorkingCalendar) -> None:
    received, expected = _local(case["received_at"]), _local(case["deadline"])
    if case["kind"] in KINDS:
        kind = KINDS[case["kind"]]
        assert decision_term_rule(kind) == case["rule"]
        assert decision_deadline(kind, received, calendar) == expected
    else:
        assert case["rule"] == "AP-1"
        assert complaint_deadline(ADDRESSEES[case["kind"]], received, calendar) == expected


def test_every_term_has_a_case() -> None:
    assert {case["kind"] for case in CASES} == set(KINDS) | set(ADDRESSEES)


@pytest.mark.parametrize("case", [c for c in CASES if c["kind"] == "registration"], ids=lambda c: c["name"])
def test_the_default_delay_of_the_automatic_official_keeps_the_term(
    case: dict[str, Any], calendar: WorkingCalendar
) -> None:
    """Mode auto decides 2 hours (the default) after the documents count as received: always before the
    deadline of UN-2, even for documents received just before closing."""
    received = _local(case["received_at"])
    due = auto_decision_due(received, dt.timedelta(hours=2), calendar)
    deadline = decision_deadline(CaseKind.UNEMPLOYED_REGISTRATION, received, calendar)
    assert calendar.effective_receipt(received) < due <= deadline
    last_minute = received.replace(hour=18, minute=29)
    assert auto_decision_due(last_minute, dt.timedelta(hours=2), calendar) < decision_deadline(
        CaseKind.UNEMPLOYED_REGISTRATION, last_minute, calendar
    )


def test_documents_received_after_hours_on_the_friday_before_nauryz_are_decided_after_it(
    calendar: WorkingCalendar,
) -> None:
    friday_evening = dt.datetime(2026, 3, 20, 19, 0, tzinfo=almaty())
    due = auto_decision_due(friday_evening, dt.timedelta(hours=2), calendar)
    assert due == dt.datetime(2026, 3, 26, 11, 0, tzinfo=almaty())
