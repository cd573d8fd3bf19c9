"""The authority's own verification (UN-2 with UN-4; DR-1), case by case from local_authority_verification.yaml:
the EXACT rule ids."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from mocks.local_authority.domain.models import (
    DeregistrationInfo,
    InsuranceFacts,
    LabourContract,
    PersonData,
    Reason,
    RegistryFacts,
    Sex,
)
from mocks.local_authority.domain.verification import (
    deregistration_not_confirmed,
    deregistration_reason,
    registration_grounds,
)

CASES = yaml.safe_load((Path(__file__).parent / "local_authority_verification.yaml").read_text(encoding="utf-8"))
IIN = "920314403019"


def _person(case: dict[str, Any]) -> PersonData:
    raw = case["person"]
    surname, name = raw.get("surname", "Иванова"), raw.get("name", "Мария")
    return PersonData(IIN, surname, name, None, raw["birth_date"], Sex(raw["sex"]), "г. Астана")


def _registry(case: dict[str, Any], person: PersonData) -> RegistryFacts | None:
    raw = case.get("registry", {})
    if raw == "none":
        return None
    return RegistryFacts(
        iin=person.iin,
        surname=person.surname,
        name=person.name,
        patronymic=person.patronymic,
        birth_date=raw.get("birth_date", person.birth_date),
        sex=person.sex,
        deceased=raw.get("deceased", False),
        imprisoned=raw.get("imprisoned", False),
    )


def _insurance(case: dict[str, Any]) -> InsuranceFacts:
    return InsuranceFacts(
        contracts=tuple(
            LabourContract("040540010001", "ТОО Пример", item["start"], item.get("end"))
            for item in case.get("contracts", [])
        ),
        contribution_months=tuple(case.get("contributions", [])),
    )


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case: dict[str, Any]) -> None:
    person = _person(case)
    registry, insurance, on = _registry(case, person), _insurance(case), case["decided_on"]
    if case["kind"] == "registration":
        draft = tuple(Reason(rule_id, "as the centre found") for rule_id in case.get("draft", []))
        found = registration_grounds(person, registry, insurance, on, draft)
        assert [reason.rule_id for reason in found] == case["reasons"], [reason.text for reason in found]
        assert case["rule"] in ("UN-2", "UN-4") or case["rule"] in {f"UN-4 ({n})" for n in range(1, 7)}
    else:
        info = DeregistrationInfo(person, case["unemployed_since"], case["ground"], "as the centre learned", on)
        assert case["rule"] == info.rule_id
        refusal = deregistration_not_confirmed(info, registry, insurance, on)
        assert (refusal.rule_id if refusal else None) == case["not_confirmed"], refusal


def test_every_ground_the_state_systems_show_has_a_case_of_its_own() -> None:
    alone = {tuple(case["reasons"]) for case in CASES if case["kind"] == "registration" and len(case["reasons"]) == 1}
    assert alone == {("UN-4 (1)",), ("UN-4 (2)",), ("UN-4 (3)",), ("UN-4 (4)",), ("UN-4 (6)",)}


def test_the_draft_keeps_its_words_and_the_authority_adds_its_own() -> None:
    person = PersonData(IIN, "Касымова", "Дана", None, dt.date(2006, 9, 1), Sex.FEMALE, "г. Алматы")
    registry = _registry({}, person)
    insurance = InsuranceFacts((LabourContract("040540010001", "ТОО Пример", dt.date(2026, 9, 1), None),))
    draft = (Reason("UN-4 (5)", "the centre's words"),)
    found = registration_grounds(person, registry, insurance, dt.date(2026, 11, 23), draft)
    assert found[1] == draft[0]
    assert "040540010001" in found[0].text and "§34 sub.2" in found[0].text


def test_a_removal_states_its_ground_the_paragraph_and_the_facts() -> None:
    person = PersonData(IIN, "Иванова", "Мария", None, dt.date(1992, 3, 14), Sex.FEMALE, "г. Астана")
    info = DeregistrationInfo(person, dt.date(2026, 8, 10), 5, "sentenced on 2026-11-02", dt.date(2026, 11, 20))
    reason = deregistration_reason(info)
    assert reason.rule_id == "DR-1 (5)"
    assert "§44 sub.5" in reason.text and "sentenced on 2026-11-02" in reason.text
