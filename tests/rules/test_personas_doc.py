"""docs/personas.md states, for every person of the synthetic population, what each service answers on the
demo day; these tests hold each statement against the population and the registration rule.

Regenerate the population table after a change of the population or of the rule:
``.venv/bin/python -m tests.rules.test_personas_doc`` prints it; paste it over the table in docs/personas.md
(then read the rows that changed: each is a change of what a tester sees).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest

from ecosystem.catalogue import OFFICIALS
from employment.domain.models import Applicant, Contribution, EmploymentPeriod, LegalRepresentative, RegistryRecord
from employment.domain.rules.job_seeker_registration import accept, decide
from kernel.clock import almaty
from mocks.population import (
    PERSONA_EMPLOYED,
    PERSONA_JOB_SEEKER,
    PERSONA_MINOR,
    SyntheticPerson,
    build_population,
    find_person,
    unknown_iin,
)
from mocks.social_fund.adapters.contributions_query import SocialFundService

PERSONAS_DOC = Path(__file__).resolve().parents[2] / "docs" / "personas.md"
DEMO_DAY = dt.date(2026, 11, 23)  # the demo's virtual clock: Monday 23 November 2026, 10:00 in Astana
CURRENT_WORK = "000 §5 action 3"
HEADER = (
    "| IIN | name | persona | born (age) | work | identity document valid until "
    "| portal registration | contributions received |"
)
IIN_ROW = re.compile(r"^\| (\d{12}) \|")


# ---- what each service answers, from the population and the rules --------------------------------


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def work(person: SyntheticPerson, day: dt.date) -> str:
    """The person's work on ``day``, in words: the latest spell decides."""
    spells = [spell for spell in person.employment if spell.start <= day]
    coming = sorted((spell for spell in person.employment if spell.start > day), key=lambda spell: spell.start)
    later = f"; a contract at {coming[0].employer.name} starts {coming[0].start.isoformat()}" if coming else ""
    if not spells:
        return "never employed" + later
    latest = max(spells, key=lambda spell: spell.start)
    if latest.end is None or latest.end >= day:
        return f"works at {latest.employer.name} since {latest.start.isoformat()} (labour contract in force)"
    return f"last job at {latest.employer.name} ended {latest.end.isoformat()}" + later


def fund_on(day: dt.date) -> SocialFundService:
    return SocialFundService(
        build_population(), now=lambda: dt.datetime.combine(day, dt.time(10), tzinfo=almaty()), max_bytes=1_000_000
    )


def fund_answer(person: SyntheticPerson, day: dt.date) -> list[Contribution]:
    """The contributions the fund has received by ``day`` for the person (what the centre is told)."""
    found, received = fund_on(day).contributions(person.iin)
    assert found, person.iin
    return [Contribution(c.month, c.employer.bin, c.employer.name) for c in received]


def fund_periods(person: SyntheticPerson, day: dt.date) -> list[EmploymentPeriod]:
    """The labour contracts the fund knows of for the person (what the centre decides current work on)."""
    return [
        EmploymentPeriod(spell.employer.bin, spell.employer.name, spell.start, spell.end)
        for spell in fund_on(day).employment_periods(person.iin)
    ]


def contributions_summary(person: SyntheticPerson, day: dt.date) -> str:
    received = fund_answer(person, day)
    if not received:
        return "none"
    last = max(received, key=lambda c: c.month)
    return f"{len(received)} months, last {last.month:%Y-%m} ({last.employer_name})"


def applicant_as_registered(person: SyntheticPerson, representative: LegalRepresentative | None = None) -> Applicant:
    """The form a tester fills from the person registry's data, consent given."""
    return Applicant(
        iin=person.iin,
        surname=person.surname,
        name=person.name,
        patronymic=person.patronymic,
        birth_date=person.birth_date,
        consent_to_personal_data=True,
        legal_representative=representative,
    )


def registry_record(person: SyntheticPerson) -> RegistryRecord:
    return RegistryRecord(
        iin=person.iin,
        surname=person.surname,
        name=person.name,
        patronymic=person.patronymic,
        birth_date=person.birth_date,
        address=f"{person.address.city}, {person.address.street} {person.address.building}" if person.address else "",
        document_valid_until=person.document.valid_until,
    )


def registration(person: SyntheticPerson, day: dt.date, applicant: Applicant | None = None) -> str:
    """'registered', 'not accepted: <rule ids>' (refusal to accept, JS-2) or 'refused: <rule ids>' (refusal to
    register) — the employment centre's answer to the person's application on ``day``.

    The one place that knows how the decision is called: adapt it when the rule's inputs change.
    """
    form = applicant or applicant_as_registered(person)
    record = registry_record(person)
    acceptance = accept(form, record, day)
    if not acceptance.accepted:
        return "not accepted: " + ", ".join(reason.rule_id for reason in acceptance.reasons)
    decision = decide(form, record, fund_periods(person, day), day)
    if decision.registered:
        return "registered"
    return "refused: " + ", ".join(reason.rule_id for reason in decision.reasons)


def row(person: SyntheticPerson, day: dt.date = DEMO_DAY) -> str:
    cells = (
        person.iin,
        person.full_name,
        person.persona or "",
        f"{person.birth_date.isoformat()} ({age_on(person.birth_date, day)})",
        work(person, day),
        person.document.valid_until.isoformat(),
        registration(person, day),
        contributions_summary(person, day),
    )
    return "| " + " | ".join(cells) + " |"


def population_table(day: dt.date = DEMO_DAY) -> str:
    separator = "|" + "---|" * HEADER.count(" | ") + "---|"
    return "\n".join([HEADER, separator, *(row(person, day) for person in build_population())])


# ---- the document ------------------------------------------------------------------------------


def documented_rows() -> dict[str, str]:
    rows: dict[str, str] = {}
    for line in PERSONAS_DOC.read_text(encoding="utf-8").splitlines():
        match = IIN_ROW.match(line)
        if match and line.count("|") == HEADER.count("|"):
            assert match.group(1) not in rows, f"docs/personas.md lists {match.group(1)} twice"
            rows[match.group(1)] = line.strip()
    return rows


def cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def test_the_table_lists_everyone_in_the_population() -> None:
    documented = documented_rows()
    population = {person.iin for person in build_population()}
    missing, strangers = sorted(population - set(documented)), sorted(set(documented) - population)
    assert not missing and not strangers, f"missing: {missing}; not in the population: {strangers}"


@pytest.mark.parametrize("person", build_population(), ids=lambda person: person.iin)
def test_each_row_states_what_the_services_answer(person: SyntheticPerson) -> None:
    documented = documented_rows().get(person.iin)
    assert documented is not None, f"{person.iin} is not in docs/personas.md"
    names = HEADER.strip("| ").split(" | ")
    for name, stated, expected in zip(names, cells(documented), cells(row(person)), strict=True):
        assert stated == expected, f"{person.iin} {name}: docs/personas.md says {stated!r}, the rules give {expected!r}"


def test_current_work_refuses_exactly_those_whose_contract_is_in_force() -> None:
    """Described by situation: on the demo day a person is refused for current work exactly when a labour
    contract is in force (Rules §4; regulation 000 §5 action 3)."""
    for line in documented_rows().values():
        _, _, _, _, situation, _, outcome, _ = cells(line)
        if outcome.startswith("not accepted"):
            continue  # refused at the door (JS-2): current work is never looked at
        assert (CURRENT_WORK in outcome) == ("labour contract in force" in situation), line


def test_the_variants_told_for_the_named_personas() -> None:
    population = build_population()
    minor, job_seeker, employed = (
        find_person(population, iin) for iin in (PERSONA_MINOR, PERSONA_JOB_SEEKER, PERSONA_EMPLOYED)
    )
    assert minor is not None and job_seeker is not None and employed is not None
    parent = LegalRepresentative("880115300126", "Ахметов Нурлан", "I agree to my son's registration")
    assert registration(minor, DEMO_DAY, applicant_as_registered(minor, parent)) == "registered"
    wrong_birth = dataclasses.replace(applicant_as_registered(job_seeker), birth_date=dt.date(1992, 3, 15))
    assert registration(job_seeker, DEMO_DAY, wrong_birth) == "refused: JS-3"
    no_consent = dataclasses.replace(applicant_as_registered(job_seeker), consent_to_personal_data=False)
    assert registration(job_seeker, DEMO_DAY, no_consent) == "not accepted: JS-2"
    text = PERSONAS_DOC.read_text(encoding="utf-8")
    for claim in ("with a legal representative", "registered", "JS-3", "JS-2"):
        assert claim in text


def test_the_unknown_iin_is_nobody() -> None:
    nobody = unknown_iin(build_population())
    assert find_person(build_population(), nobody) is None
    assert f"`{nobody}`" in PERSONAS_DOC.read_text(encoding="utf-8")


def test_the_officials_are_those_of_the_catalogue() -> None:
    text = PERSONAS_DOC.read_text(encoding="utf-8")
    for official in OFFICIALS:
        expected = (
            f"| {official.role} | {official.iin} | {official.surname} {official.given_name} {official.patronymic} |"
        )
        assert expected in text, f"docs/personas.md does not list the official {expected}"


if __name__ == "__main__":
    print(population_table())
