"""Social contributions the fund derives from employment spells (Social Code Art. 244 p.1, Art. 245 p.1),
and the fund's answer to GFSS_ContributionsQuery."""

from __future__ import annotations

import datetime as dt
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import xmlschema
from lxml import etree

from adapters.shep.envelope import Payload
from adapters.social_fund import SocialFundAnswerError, build_request, parse_response
from mocks.population import (
    PERSONA_CONTRACT_NEXT_MONTH,
    PERSONA_DISMISSED,
    PERSONA_EMPLOYED,
    PERSONA_JOB_SEEKER,
    PERSONA_PENSIONER,
    PERSONA_STUDENT,
    Employer,
    EmploymentSpell,
    SyntheticPerson,
    build_population,
    find_person,
    unknown_iin,
)
from mocks.social_fund.adapters.contributions import Contribution, contributions_received, payment_date
from mocks.social_fund.adapters.contributions_query import ContributionsQueryError, SocialFundService, read_query

AS_OF = date(2026, 11, 21)
SCHEMA = Path(__file__).resolve().parents[2] / "wsdl" / "xsd" / "gfss-contributions.xsd"
EMPLOYER = Employer("120440012347", "ТОО «Проверка»")


def person(iin: str) -> SyntheticPerson:
    found = find_person(build_population(), iin)
    assert found is not None
    return found


def received(iin: str, as_of: date = AS_OF) -> list[Contribution]:
    return contributions_received(person(iin).employment, as_of)


def months_between(first: date, last: date) -> list[date]:
    months, month = [], first
    while month <= last:
        months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


def one_month(monthly_income: int, month: date) -> Contribution:
    spell = EmploymentSpell(EMPLOYER, month, None, monthly_income)
    (only,) = [item for item in contributions_received([spell], date(2030, 1, 1)) if item.month == month]
    return only


def test_employed_persona_has_a_contribution_for_every_month_up_to_the_as_of() -> None:
    contributions = received(PERSONA_EMPLOYED)
    # Paid on the 25th of the next month: on 2026-11-21 September (paid 2026-10-25) is the last one in.
    assert [item.month for item in contributions] == months_between(date(2021, 4, 1), date(2026, 9, 1))
    assert {item.employer.name for item in contributions} == {"АО «Алатау Энерго Сервис»"}


def test_a_month_appears_on_its_payment_day() -> None:
    assert received(PERSONA_EMPLOYED, date(2026, 11, 24))[-1].month == date(2026, 9, 1)
    assert received(PERSONA_EMPLOYED, date(2026, 11, 25))[-1].month == date(2026, 10, 1)
    # The as-of month itself is never paid, however late in the month.
    assert received(PERSONA_EMPLOYED, date(2026, 12, 31))[-1].month == date(2026, 11, 1)


def test_job_seeker_last_contribution_month_is_july_2026() -> None:
    contributions = received(PERSONA_JOB_SEEKER)
    assert contributions[0].month == date(2019, 2, 1)
    assert contributions[-1].month == date(2026, 7, 1)
    assert contributions[-1].paid_on == date(2026, 8, 25)


def test_people_without_work_since_have_no_new_contributions() -> None:
    assert received(PERSONA_STUDENT) == []
    assert received(PERSONA_PENSIONER)[-1].month == date(2023, 1, 1)


def test_contribution_is_paid_on_the_25th_of_the_next_month() -> None:
    assert payment_date(date(2024, 12, 1)) == date(2025, 1, 25)
    assert payment_date(date(2025, 3, 1)) == date(2025, 4, 25)


# Legal cases as data (Social Code): rule, monthly income, month, expected income, expected amount.
CASES = [
    ("Art. 244 p.1: 3.5 % until 2024-12-31", 420_000, date(2024, 6, 1), "420000.00", "14700.00"),
    ("Art. 244 p.1: 5 % from 2025-01-01", 420_000, date(2025, 1, 1), "420000.00", "21000.00"),
    ("Art. 245 p.1: cap 7 min. wages (85 000, 2024)", 650_000, date(2024, 12, 1), "595000.00", "20825.00"),
    ("Art. 245 p.1: cap 7 min. wages (85 000, 2025)", 650_000, date(2025, 2, 1), "595000.00", "29750.00"),
    ("Art. 245 p.1: cap 7 min. wages (70 000, 2023)", 650_000, date(2023, 5, 1), "490000.00", "17150.00"),
    ("Art. 245 p.1: floor at 1 minimum wage", 50_000, date(2024, 3, 1), "85000.00", "2975.00"),
]


@pytest.mark.parametrize(
    ("rule", "monthly_income", "month", "income", "amount"), CASES, ids=[case[0] for case in CASES]
)
def test_contribution_rules(rule: str, monthly_income: int, month: date, income: str, amount: str) -> None:
    contribution = one_month(monthly_income, month)
    assert (contribution.income, contribution.amount) == (Decimal(income), Decimal(amount)), rule


def test_employed_persona_rate_changes_between_2024_and_2025() -> None:
    by_month = {item.month: item for item in received(PERSONA_EMPLOYED)}
    assert by_month[date(2024, 12, 1)].amount == Decimal("20825.00")  # 3.5 % of 595 000 (capped 650 000)
    assert by_month[date(2025, 1, 1)].amount == Decimal("29750.00")  # 5 % of 595 000


# ---- the fund's answer on the wire -----------------------------------------------------------------


@pytest.fixture(scope="module")
def schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMA))


def fund() -> SocialFundService:
    return SocialFundService(
        build_population(), now=lambda: dt.datetime(2026, 11, 21, 10, tzinfo=dt.UTC), max_bytes=1_000_000
    )


def test_answer_matches_the_contract_and_round_trips(schema: xmlschema.XMLSchema) -> None:
    request = build_request(PERSONA_JOB_SEEKER, date(2024, 11, 1), date(2025, 1, 1))
    schema.validate(request)
    query = read_query(Payload(element=request), 10**6)
    answer = etree.fromstring(etree.tostring(fund().answer(query)))
    schema.validate(answer)
    parsed = parse_response(answer)
    assert parsed.person_found
    assert [(r.month, r.amount, r.paid_on) for r in parsed.records] == [
        (date(2024, 11, 1), Decimal("14700.00"), date(2024, 12, 25)),
        (date(2024, 12, 1), Decimal("14700.00"), date(2025, 1, 25)),
        (date(2025, 1, 1), Decimal("21000.00"), date(2025, 2, 25)),
    ]


def test_unknown_person_is_not_found_with_no_contributions(schema: xmlschema.XMLSchema) -> None:
    iin = unknown_iin(build_population())
    request = build_request(iin, date(2024, 1, 1), date(2025, 12, 1))
    schema.validate(request)
    answer = fund().answer(read_query(Payload(element=request), 10**6))
    schema.validate(answer)
    parsed = parse_response(answer)
    assert (parsed.person_found, parsed.records) == (False, ())


@pytest.mark.parametrize(
    ("iin", "period_from", "period_to"),
    [
        ("850902305173", "2024-01", "2024-12"),
        (PERSONA_EMPLOYED, "2024-13", "2024-12"),
        (PERSONA_EMPLOYED, "2025-01", "2024-12"),
    ],
)
def test_fund_refuses_a_query_it_cannot_read(iin: str, period_from: str, period_to: str) -> None:
    request = etree.fromstring(
        '<g:contributionsRequest xmlns:g="urn:kz:egov-sim:gfss:contributions:v1">'
        f"<iin>{iin}</iin><periodFrom>{period_from}</periodFrom><periodTo>{period_to}</periodTo>"
        "</g:contributionsRequest>"
    )
    with pytest.raises(ContributionsQueryError):
        read_query(Payload(element=request), 10**6)


def test_answer_carries_employment_periods(schema: xmlschema.XMLSchema) -> None:
    """Rules No. 259 §4, regulation 000 §5 action 3: the centre checks the contracts, not the months."""
    service = SocialFundService(
        build_population(), now=lambda: dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC), max_bytes=1_000_000
    )
    for iin, expected in (
        (PERSONA_EMPLOYED, [(date(2021, 4, 1), None)]),
        (PERSONA_DISMISSED, [(date(2022, 3, 1), date(2026, 11, 22))]),
        (PERSONA_CONTRACT_NEXT_MONTH, [(date(2020, 9, 1), date(2026, 5, 31)), (date(2026, 12, 1), None)]),
        (PERSONA_STUDENT, []),
    ):
        request = build_request(iin, date(2024, 11, 1), date(2026, 11, 1))
        answer = etree.fromstring(etree.tostring(service.answer(read_query(Payload(element=request), 10**6))))
        schema.validate(answer)
        assert [(p.start, p.end) for p in parse_response(answer).periods] == expected, iin
    # A contract that ended before the requested months is not part of the answer.
    request = build_request(PERSONA_CONTRACT_NEXT_MONTH, date(2026, 7, 1), date(2026, 11, 1))
    answer = service.answer(read_query(Payload(element=request), 10**6))
    assert [(p.start, p.end) for p in parse_response(answer).periods] == [(date(2026, 12, 1), None)]


def test_a_period_that_ends_before_it_starts_is_not_read() -> None:
    answer = etree.fromstring(
        '<g:contributionsResponse xmlns:g="urn:kz:egov-sim:gfss:contributions:v1"><iin>850902305172</iin>'
        "<personFound>true</personFound><contributions/><employmentPeriods><employmentPeriod>"
        "<employerBin>081140008710</employerBin><employerName>X</employerName><startDate>2026-05-01</startDate>"
        "<endDate>2026-04-30</endDate></employmentPeriod></employmentPeriods></g:contributionsResponse>"
    )
    with pytest.raises(SocialFundAnswerError, match="before it starts"):
        parse_response(answer)
