"""Job-seeker registration rules, case by case from job_seeker_registration.yaml (each case names its rule)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from employment.domain.errors import SignerIsNotApplicant
from employment.domain.models import Applicant, Contribution, LegalRepresentative, RegistryRecord
from employment.domain.rules.job_seeker_registration import decide, require_signer_is_applicant

CASES = yaml.safe_load((Path(__file__).parent / "job_seeker_registration.yaml").read_text(encoding="utf-8"))
IIN = "920314403019"


def _case(case: dict[str, Any]) -> tuple[Applicant, RegistryRecord | None, list[Contribution]]:
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
    contributions = [
        Contribution(month=dt.date(int(m[:4]), int(m[5:]), 1), employer_bin="040540010001", employer_name="ТОО Пример")
        for m in case.get("contributions", [])
    ]
    return applicant, record, contributions


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case: dict[str, Any]) -> None:
    applicant, record, contributions = _case(case)
    decision = decide(applicant, record, contributions, case["decided_on"])
    assert decision.registered is case["registered"], decision.reasons
    if not case["registered"]:
        assert case["rule"] in [reason.rule_id for reason in decision.reasons]


def test_signer_must_be_the_applicant() -> None:
    applicant, _, _ = _case(CASES[0])
    require_signer_is_applicant(IIN, applicant)
    with pytest.raises(SignerIsNotApplicant):
        require_signer_is_applicant("850902305172", applicant)
