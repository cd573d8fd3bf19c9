"""UN-4 (Rules No. 259 §34), case by case from unemployed_registration.yaml: the EXACT set of reasons."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from employment.domain.models import EmploymentPeriod
from employment.domain.rules.unemployed_registration import (
    Sex,
    UnemployedApplicant,
    decide_unemployed,
    pension_age_reached,
)
from kernel.parameters import ParameterNotInForce

CASES = yaml.safe_load((Path(__file__).parent / "unemployed_registration.yaml").read_text(encoding="utf-8"))
FACTS = {
    "other_paid_work",
    "knowingly_false_documents",
    "student_seeking_active_measures",
    "sentenced_to_works_or_imprisonment",
}


def _applicant(case: dict[str, Any]) -> UnemployedApplicant:
    facts = case.get("facts", {})
    assert set(facts) <= FACTS, f"unknown facts {set(facts) - FACTS} in case {case['name']!r}"
    return UnemployedApplicant(
        birth_date=case["person"]["birth_date"],
        sex=Sex(case["person"]["sex"]),
        employment=tuple(
            EmploymentPeriod("040540010001", "ТОО Пример", period["start"], period.get("end"))
            for period in case.get("employment", [])
        ),
        **facts,
    )


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case: dict[str, Any]) -> None:
    assert case["rule"].startswith("UN-4"), case["rule"]
    decision = decide_unemployed(_applicant(case), case["decided_on"])
    assert [reason.rule_id for reason in decision.reasons] == case["reasons"], [r.text for r in decision.reasons]
    assert decision.registered is (not case["reasons"])
    if case["rule"] != "UN-4":  # a case of one ground exercises that ground
        assert case["rule"] in {f"UN-4 ({n})" for n in range(1, 7)}


def test_every_ground_has_a_case_that_refuses_on_it_alone() -> None:
    alone = {tuple(case["reasons"]) for case in CASES if len(case["reasons"]) == 1}
    assert alone == {(f"UN-4 ({n})",) for n in range(1, 7)}  # (6): Social Code Art. 99 p.3 sub.6


def test_a_pension_age_refusal_names_the_day_and_the_law() -> None:
    reason = pension_age_reached(Sex.FEMALE, dt.date(1965, 6, 15), dt.date(2026, 11, 23))
    assert reason is not None
    assert "2026-06-15" in reason.text and "Social Code Art. 207 p.1" in reason.text and "§34 sub.3" in reason.text


def test_an_employment_refusal_names_the_contract() -> None:
    case = next(c for c in CASES if c["name"] == "labour contract in force on the decision day")
    (reason,) = decide_unemployed(_applicant(case), case["decided_on"]).reasons
    assert "040540010001" in reason.text and "§34 sub.2" in reason.text


def test_a_day_the_pension_table_does_not_cover_is_an_error_naming_the_parameter() -> None:
    with pytest.raises(ParameterNotInForce, match=r"pension_age\.men"):
        pension_age_reached(Sex.MALE, dt.date(1950, 1, 1), dt.date(2020, 1, 1))
