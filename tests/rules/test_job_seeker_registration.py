"""Job-seeker registration rules, case by case from job_seeker_registration.yaml (each case names its rule).

Each case runs as the centre does: acceptance first (JS-2, JS-1), then, only for an accepted
application, the decision to register (JS-3, Rules §4 / regulation 000 §5 action 3, JS-6).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from employment.domain.errors import SignerIsNotApplicant
from employment.domain.models import Applicant, EmploymentPeriod, LegalRepresentative, RegistryRecord
from employment.domain.rules.job_seeker_registration import accept, decide, require_signer_is_applicant

CASES = yaml.safe_load((Path(__file__).parent / "job_seeker_registration.yaml").read_text(encoding="utf-8"))
IIN = "920314403019"
OUTCOMES = {"not_accepted", "refused", "registered"}


def _case(case: dict[str, Any]) -> tuple[Applicant, RegistryRecord | None, list[EmploymentPeriod]]:
    given = case["applicant"]
    applicant = Applicant(
        iin=IIN,
        surname="Сейткали",
        name="Айгерим",
        patronymic=None,
        birth_date=given["birth_date"],
        consent_to_personal_data=given.get("consent", True),
        legal_representative=LegalRepresentative("880115300126", "Parent", "I agree")
        if given.get("representative")
        else None,
    )
    record = (
        None
        if case.get("registry") == "none"
        else RegistryRecord(
            iin=IIN,
            surname="Сейткали",
            name="Айгерим",
            patronymic=None,
            birth_date=case.get("registry_birth_date", given["birth_date"]),
            address="Astana",
            document_valid_until=case.get("document_valid_until", dt.date(2030, 1, 1)),
        )
    )
    employment = [
        EmploymentPeriod("040540010001", "ТОО Пример", period["start"], period.get("end"))
        for period in case.get("employment", [])
    ]
    return applicant, record, employment


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case: dict[str, Any]) -> None:
    assert case["outcome"] in OUTCOMES, case["outcome"]
    applicant, record, employment = _case(case)
    acceptance = accept(applicant, record, case["decided_on"])
    if case["outcome"] == "not_accepted":
        assert not acceptance.accepted
        assert case["rule"] in [reason.rule_id for reason in acceptance.reasons]
        return
    assert acceptance.accepted, acceptance.reasons
    decision = decide(applicant, record, employment, case["decided_on"])
    assert decision.registered is (case["outcome"] == "registered"), decision.reasons
    if not decision.registered:
        assert case["rule"] in [reason.rule_id for reason in decision.reasons]


def test_a_refusal_for_a_contract_in_force_names_the_contract_and_rules_section_4() -> None:
    case = next(c for c in CASES if c["name"] == "contract in force today is refused")
    applicant, record, employment = _case(case)
    (reason,) = decide(applicant, record, employment, case["decided_on"]).reasons
    assert "040540010001" in reason.text and "Rules No. 259 §4" in reason.text


def test_signer_must_be_the_applicant() -> None:
    applicant, _, _ = _case(CASES[0])
    require_signer_is_applicant(IIN, applicant)
    with pytest.raises(SignerIsNotApplicant):
        require_signer_is_applicant("850902305172", applicant)
