"""contracts.gfss: the fund's contributions query and answer, with employment periods."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from contracts import gfss
from contracts.schemas import schema_errors
from tests.contracts.conftest import on_the_wire

ANSWER = gfss.ContributionsResponse(
    iin="900515400123",
    person_found=True,
    contributions=(
        gfss.Contribution(
            date(2025, 9, 1), "123456789012", "ТОО Пример", Decimal("85000.00"), Decimal("4250.00"), date(2025, 10, 25)
        ),
        gfss.Contribution(
            date(2025, 10, 1),
            "123456789012",
            "ТОО Пример",
            Decimal("595000.00"),
            Decimal("29750.00"),
            date(2025, 11, 25),
        ),
    ),
    periods=(
        gfss.EmploymentPeriod("123456789012", "ТОО Пример", date(2020, 3, 2), date(2025, 10, 31)),
        gfss.EmploymentPeriod("210987654321", "АО Будущее", date(2025, 12, 1), None),
    ),
)


def test_the_request_round_trips() -> None:
    request = gfss.ContributionsRequest("900515400123", date(2024, 11, 1), date(2025, 1, 1))
    element = on_the_wire(gfss.build_request(request))
    assert schema_errors(element, gfss.SCHEMA) == []
    assert gfss.read_request(element) == request


@pytest.mark.parametrize("answer", [ANSWER, gfss.ContributionsResponse("900515400123", False)])
def test_the_response_round_trips(answer: gfss.ContributionsResponse) -> None:
    element = on_the_wire(gfss.build_response(answer))
    assert schema_errors(element, gfss.SCHEMA) == []
    assert gfss.read_response(element) == answer


def test_a_month_with_its_time_zone_is_read() -> None:
    element = gfss.build_request(gfss.ContributionsRequest("900515400123", date(2024, 11, 1), date(2025, 1, 1)))
    period_to = element.find("periodTo")
    assert period_to is not None
    period_to.text = "2025-01+05:00"
    assert schema_errors(element, gfss.SCHEMA) == []
    assert gfss.read_request(element).period_to == date(2025, 1, 1)


@pytest.mark.parametrize("text", ["2025-13", "2025-1", "January"])
def test_a_month_that_is_not_yyyy_mm_is_refused(text: str) -> None:
    element = gfss.build_request(gfss.ContributionsRequest("900515400123", date(2024, 11, 1), date(2025, 1, 1)))
    period_from = element.find("periodFrom")
    assert period_from is not None
    period_from.text = text
    with pytest.raises(gfss.ContributionsRequestError, match="periodFrom"):
        gfss.read_request(element)


def test_a_period_that_ends_before_it_starts_is_refused() -> None:
    wrong = gfss.ContributionsResponse(
        "900515400123", True, (), (gfss.EmploymentPeriod("123456789012", "ТОО", date(2025, 5, 1), date(2025, 4, 30)),)
    )
    with pytest.raises(gfss.ContributionsResponseError, match="before it starts"):
        gfss.read_response(gfss.build_response(wrong))


def test_the_answer_is_not_a_request() -> None:
    with pytest.raises(gfss.ContributionsRequestError, match="expected"):
        gfss.read_request(gfss.build_response(ANSWER))
