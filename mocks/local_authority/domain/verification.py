"""What the authority verifies in the state systems before its head signs (Rules No. 259 §32: "the local
authority verifies the reliability of the information received in the information systems of state bodies").

Registration as unemployed (UN-2 with UN-4, §34): from the person registry and the State Social Insurance
Fund the authority finds every ground of §34 the state systems can show, each its own function returning a
:class:`Reason` with the ground's rule id, or None:

- ``UN-4 (1)`` under 16, from the registry's birth date (§34 sub.1);
- ``UN-4 (2)`` employed: a labour contract in force on the decision day, from the fund (§34 sub.2);
- ``UN-4 (3)`` the general pension age reached, from the registry's sex and birth date (§34 sub.3; Law on
  pension provision Art. 11 p.1, from 01.07.2023 Social Code Art. 207 p.1);
- ``UN-4 (4)`` unreliable data (§34 sub.4): the registry holds no such person, holds them as deceased, or its
  surname, name, patronymic, birth date or sex differ from the documents;
- ``UN-4 (6)`` serving a sentence of imprisonment, from the registry's status, a ground from 01.07.2023
  (Social Code Art. 99 p.3 sub.6; dated parameter ``unemployed.court_sentence_ground``).

``UN-4 (5)`` (students and senior pupils applying for active measures) is a fact of the application, which the
centre's draft states. :func:`registration_grounds` joins the draft's grounds and the authority's own, each
ground once, in the order of §34.

Deregistration (DR-1, §44): :func:`deregistration_not_confirmed` says why the information cannot be
confirmed, or None: the registry must know the person, and ground (1) (contributions arriving) must be
shown by the fund.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from kernel.parameters import int_on, parameter
from kernel.pension_age import pension_age_reached_on
from mocks.local_authority.domain.models import (
    DeregistrationInfo,
    InsuranceFacts,
    PersonData,
    Reason,
    RegistryFacts,
    Sex,
)

__all__ = [
    "DEREGISTRATION_GROUNDS",
    "age_on",
    "deregistration_not_confirmed",
    "deregistration_reason",
    "employed",
    "pension_age_reached",
    "registration_grounds",
    "sentenced",
    "under_minimum_age",
    "unreliable_data",
]

# Rules No. 259 §44 sub.1-7, in the words of the decision.
DEREGISTRATION_GROUNDS: dict[int, str] = {
    1: "social medical insurance deductions, pension contributions or social contributions arrive for the person",
    2: "the person refused three offers of suitable work, or did not tell the centre in time whether they accept",
    3: "without valid reason the person did not come to the employer or place of study, did not come for active "
    "employment measures, or stopped taking part in them",
    4: "without valid reason the person broke the schedule of visits to the employment centre (§37)",
    5: "the person was sentenced to imprisonment or sent to compulsory treatment by a court",
    6: "the person did not report within 5 working days a change of residence, work, a business, becoming a "
    "founder, a disability group or a pension",
    7: "the person presented knowingly false or forged documents",
}

_SUB_ITEM = re.compile(r"\((\d+)\)$")


def age_on(birth_date: date, day: date) -> int:
    """Full years on ``day``; the birthday itself counts as the new year."""
    years = day.year - birth_date.year
    return years - 1 if (day.month, day.day) < (birth_date.month, birth_date.day) else years


def under_minimum_age(registry: RegistryFacts, on: date) -> Reason | None:
    """UN-4 (1), Rules No. 259 §34 sub.1: under 16 on the decision day, by the registry's birth date."""
    minimum = int_on("unemployed.minimum_age", on)
    age = age_on(registry.birth_date, on)
    if age < minimum:
        return Reason(
            "UN-4 (1)",
            f"The person registry gives age {age} on {on.isoformat()}, under {minimum} (Rules No. 259 §34 sub.1).",
        )
    return None


def employed(insurance: InsuranceFacts, on: date) -> Reason | None:
    """UN-4 (2), Rules No. 259 §34 sub.2: a labour contract in force on the decision day, as the fund knows it.
    A contract that ended before that day, or starts after it, is no work on that day."""
    current = sorted((c for c in insurance.contracts if c.in_force_on(on)), key=lambda c: c.start)
    if not current:
        return None
    contract = current[0]
    return Reason(
        "UN-4 (2)",
        f"The State Social Insurance Fund shows a labour contract with {contract.employer_name} (BIN "
        f"{contract.employer_bin}) in force on {on.isoformat()}, since {contract.start.isoformat()} "
        "(Rules No. 259 §34 sub.2).",
    )


def pension_age_reached(registry: RegistryFacts, on: date) -> Reason | None:
    """UN-4 (3), Rules No. 259 §34 sub.3: the general pension age by the registry's sex and birth date."""
    if registry.sex is None:
        return None  # the sex is unknown: UN-4 (4) names the unreliable data
    reached = pension_age_reached_on(registry.sex is Sex.MALE, registry.birth_date, on)
    if reached is None:
        return None
    who = "men" if registry.sex is Sex.MALE else "women"
    return Reason(
        "UN-4 (3)",
        f"The person reached the pension age of {reached.age} years for {who} on {reached.day.isoformat()} "
        f"({reached.source}; Rules No. 259 §34 sub.3).",
    )


def unreliable_data(person: PersonData, registry: RegistryFacts | None) -> Reason | None:
    """UN-4 (4), Rules No. 259 §34 sub.4: the data presented are unreliable when the person registry does not
    confirm them: no such person, a deceased person, or other identity data."""
    if registry is None:
        return Reason(
            "UN-4 (4)",
            f"The person registry holds no person with IIN {person.iin}: the data are unreliable "
            "(Rules No. 259 §34 sub.4).",
        )
    if registry.deceased:
        return Reason(
            "UN-4 (4)",
            f"The person registry holds the person with IIN {person.iin} as deceased: the data are unreliable "
            "(Rules No. 259 §34 sub.4).",
        )
    differing = [
        label
        for label, presented, held in (
            ("surname", person.surname, registry.surname),
            ("name", person.name, registry.name),
            ("patronymic", person.patronymic or "", registry.patronymic or ""),
            ("birth date", person.birth_date.isoformat(), registry.birth_date.isoformat()),
            ("sex", person.sex.value, registry.sex.value if registry.sex else "unknown"),
        )
        if presented.strip().casefold() != held.strip().casefold()
    ]
    if differing:
        return Reason(
            "UN-4 (4)",
            f"The {', '.join(differing)} in the documents differ from the person registry: the data are "
            "unreliable (Rules No. 259 §34 sub.4).",
        )
    return None


def sentenced(registry: RegistryFacts, on: date) -> Reason | None:
    """UN-4 (6), Social Code Art. 99 p.3 sub.6 (from 01.07.2023): a person serving a sentence of imprisonment
    that is not suspended is not registered as unemployed; the registry's status shows it."""
    if not registry.imprisoned:
        return None
    in_force = parameter("unemployed.court_sentence_ground")
    if on < in_force.start or not in_force.on(on):
        return None
    return Reason(
        "UN-4 (6)",
        "The person registry shows the person serving a sentence of imprisonment (Social Code Art. 99 p.3 sub.6).",
    )


def _sub_item(reason: Reason) -> int:
    found = _SUB_ITEM.search(reason.rule_id)
    return int(found.group(1)) if found else 99


def registration_grounds(
    person: PersonData,
    registry: RegistryFacts | None,
    insurance: InsuranceFacts,
    on: date,
    draft_reasons: Iterable[Reason] = (),
) -> tuple[Reason, ...]:
    """Every ground of UN-4 that applies on ``on``: the draft's and those the state systems show, each once
    (the draft's words kept), in the order of §34. Empty: the person is registered as unemployed."""
    found: list[Reason | None] = [unreliable_data(person, registry), employed(insurance, on)]
    if registry is not None:
        found += [under_minimum_age(registry, on), pension_age_reached(registry, on), sentenced(registry, on)]
    by_rule: dict[str, Reason] = {}
    for reason in (*draft_reasons, *(reason for reason in found if reason is not None)):
        by_rule.setdefault(reason.rule_id, reason)
    return tuple(sorted(by_rule.values(), key=_sub_item))


def deregistration_reason(info: DeregistrationInfo) -> Reason:
    """DR-1 (n), Rules No. 259 §44 sub.n: the ground of the removal with the facts the centre gave."""
    ground = DEREGISTRATION_GROUNDS[info.ground]
    return Reason(info.rule_id, f"{ground} (Rules No. 259 §44 sub.{info.ground}): {info.facts}")


def deregistration_not_confirmed(
    info: DeregistrationInfo, registry: RegistryFacts | None, insurance: InsuranceFacts, on: date
) -> Reason | None:
    """Why the state systems do not confirm the information of DR-1, or None when they do (or cannot say:
    grounds (2)-(7) are the centre's own facts)."""
    if registry is None:
        return Reason(
            info.rule_id,
            f"The person registry holds no person with IIN {info.person.iin}: the information cannot be confirmed "
            "(Rules No. 259 §32, §44).",
        )
    if info.ground == 1:
        since_month = info.unemployed_since.replace(day=1)
        contributed = any(month >= since_month for month in insurance.contribution_months)
        working = any(
            contract.start <= on and (contract.end is None or contract.end >= info.unemployed_since)
            for contract in insurance.contracts
        )
        if not (contributed or working):
            return Reason(
                info.rule_id,
                "The State Social Insurance Fund shows no contributions and no labour contract since the person "
                f"was registered as unemployed on {info.unemployed_since.isoformat()} (Rules No. 259 §44 sub.1).",
            )
    return None
