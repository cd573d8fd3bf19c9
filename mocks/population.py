"""The synthetic population shared by the person registry mock and the social fund mock.

Both mocks read the same people (the population file, :mod:`mocks.population_store`) so that what the person
registry says about someone (``wsdl/xsd/gbdfl-person.xsd``: names, birth date, gender, nationality,
citizenship, registered address, identity documents, statuses) agrees with what the social fund knows (their
employment spells and income, from which contributions follow: Social Code Art. 244 p.1 and Art. 245 p.1).

The population is deterministic (``random.Random(seed)``) and built in one pass, so a smaller population is
exactly the beginning of a larger one with the same seed. In order:

1. the seven named personas (:mod:`mocks.personas`), whose facts do not depend on the seed;
2. one generated person whose identity document has expired (persona ``"expired-document"``);
3. the fixed people of the edge-case catalogue (:mod:`mocks.edge_case_people`, :mod:`mocks.edge_cases`);
4. generated people of every age (0-90 on :data:`POPULATION_AS_OF`), some deceased, imprisoned, missing,
   incapable, at school or studying, without a registered address or with an expired document, at rates
   close to a real population's (the rates are :data:`RATES`).

The first :data:`KEYED_PEOPLE` people (the default size of :func:`build_population`) are those who can log
into the portal and hold a test EDS key (the portal and the test NCA use them); the registry and the fund
hold the whole population, ``settings.population_size`` people (default 10 000).

Every IIN follows the classic layout (kernel/iin.py: birth date, century/sex digit, serial, check digit) and
is unique; so is every document number. Codes for nationality are synthetic; the rest of the dictionaries
use the registry's codes (docs/contracts.md).
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import date
from functools import cache

from kernel.iin import make_iin
from mocks.edge_case_people import edge_case_people
from mocks.personas import (
    PERSONA_CONTRACT_NEXT_MONTH,
    PERSONA_DISMISSED,
    PERSONA_EMPLOYED,
    PERSONA_EXPIRED_DOCUMENT,
    PERSONA_JOB_SEEKER,
    PERSONA_MINOR,
    PERSONA_PENSIONER,
    PERSONA_STUDENT,
    named_personas,
)
from mocks.population_draws import RATES, expired_document_person, generated_person
from mocks.population_model import (
    POPULATION_AS_OF,
    Employer,
    EmploymentSpell,
    IdentityDocument,
    RegisteredAddress,
    SyntheticPerson,
    all_employers,
)

__all__ = [
    "DEFAULT_SEED",
    "KEYED_PEOPLE",
    "PERSONA_CONTRACT_NEXT_MONTH",
    "PERSONA_DISMISSED",
    "PERSONA_EMPLOYED",
    "PERSONA_EXPIRED_DOCUMENT",
    "PERSONA_JOB_SEEKER",
    "PERSONA_MINOR",
    "PERSONA_PENSIONER",
    "PERSONA_STUDENT",
    "POPULATION_AS_OF",
    "RATES",
    "Employer",
    "EmploymentSpell",
    "IdentityDocument",
    "RegisteredAddress",
    "SyntheticPerson",
    "build_population",
    "find_by_persona",
    "find_person",
    "unknown_iin",
]

DEFAULT_SEED = 2026
KEYED_PEOPLE = 40  # the people with a portal password and a test EDS key: the population's first 40


# ---- the population -----------------------------------------------------------------------------


def fixed_people() -> tuple[SyntheticPerson, ...]:
    """The people whose facts do not depend on the seed: the named personas, then the catalogue's people."""
    employers = all_employers()
    return (*named_personas(employers), *edge_case_people(employers))


@cache
def build_population(seed: int = DEFAULT_SEED, size: int = KEYED_PEOPLE) -> tuple[SyntheticPerson, ...]:
    """The named personas, one person with an expired document, the catalogue's people, then generated people.

    Deterministic for a given ``seed``; ``size`` is the total number of people, and a smaller ``size`` gives
    the beginning of a larger one. The default is the :data:`KEYED_PEOPLE` who can log in and sign; the
    registry and the fund hold ``settings.population_size``. The result is cached (the people are frozen).
    """
    employers = all_employers()
    personas = named_personas(employers)
    catalogue = edge_case_people(employers)
    fixed = len(personas) + 1 + len(catalogue)
    if size < fixed:
        raise ValueError(f"size must be at least {fixed} (the personas and the catalogue's people), got {size}")
    rng = random.Random(seed)
    used_iins = {person.iin for person in (*personas, *catalogue)}
    used_numbers = {document.number for person in (*personas, *catalogue) for document in person.documents}
    expired = expired_document_person(rng, used_iins, used_numbers, employers)
    generated = [generated_person(rng, used_iins, used_numbers, employers) for _ in range(size - fixed)]
    return (*personas, expired, *catalogue, *generated)


def find_person(population: Iterable[SyntheticPerson], iin: str) -> SyntheticPerson | None:
    """The person with this IIN, or None (a linear scan: for many look-ups use a ``PopulationIndex``)."""
    return next((person for person in population if person.iin == iin), None)


def find_by_persona(population: Iterable[SyntheticPerson], persona: str) -> SyntheticPerson | None:
    """The first person labelled with ``persona`` (e.g. ``"expired-document"``), or None."""
    return next((person for person in population if person.persona == persona), None)


def unknown_iin(population: Iterable[SyntheticPerson]) -> str:
    """A valid IIN (check digit correct) that nobody in ``population`` has; deterministic."""
    taken = {person.iin for person in population}
    for serial in range(10_000):
        candidate = make_iin(date(1990, 1, 1), "M", serial)
        if candidate not in taken:
            return candidate
    raise ValueError("every IIN of 1990-01-01 is taken; cannot find an unknown IIN")  # pragma: no cover
