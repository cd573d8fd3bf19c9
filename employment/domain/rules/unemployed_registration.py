"""UN-4: who is not registered as unemployed (Rules No. 259 §34, in the edition of order No. 95 of 30.03.2021).

Each ground is its own function returning ``None`` when it does not apply, or a :class:`Reason` whose rule id
is the ground (``UN-4 (1)`` .. ``UN-4 (5)``, docs/rules.md). :func:`decide_unemployed` applies them all and
returns every ground that applies, in the order of §34, so a refusal (Rules Annex 5) states each of them.

What each ground reads:

1. under 16 — the birth date (person registry); the 16th birthday itself is no longer "under 16";
2. employed — a labour contract in force on the decision day (the social insurance fund's employment
   periods, the same check as for a job seeker: regulation 000 §5 action 3), or other paid work bringing
   income (a fact the verification establishes);
3. pension age — sex and birth date against the general pension age in force in the year it is reached
   (``pension_age.men`` / ``pension_age.women`` in kernel/parameter_values.py: Law on pension provision
   Art. 11 p.1, from 01.07.2023 Social Code Art. 207 p.1);
4. knowingly false documents about having no work and income, or other unreliable data — a flag the
   verification sets;
5. students and senior pupils of general schools applying for active employment measures — a flag from
   the application and the person's education status.

The later version (Social Code of 20.04.2023, in force from 01.07.2023) adds a sixth ground, applied to
decisions from that day (the dated parameter ``unemployed.court_sentence_ground``):

6. a court sentence to correctional or public works, or to imprisonment that is not suspended (Social Code
   Art. 99 p.3 sub.6) — from the person registry's status (serving imprisonment) or a court's notice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from employment.domain.models import EmploymentPeriod, Reason, Sex
from employment.domain.rules.eligibility import age_on, no_labour_contract_in_force
from kernel.parameters import ParameterNotInForce, bool_on, int_on
from kernel.pension_age import pension_age_reached_on

__all__ = [
    "Sex",
    "UnemployedApplicant",
    "UnemployedDecision",
    "decide_unemployed",
    "employed",
    "false_documents",
    "pension_age_reached",
    "sentenced_to_works_or_imprisonment",
    "student_seeking_active_measures",
    "under_minimum_age",
]


@dataclass(frozen=True)
class UnemployedApplicant:
    """What the local authority decides on: registry data, the fund's periods and the verification's facts."""

    birth_date: date
    sex: Sex
    employment: tuple[EmploymentPeriod, ...] = ()
    other_paid_work: bool = False
    knowingly_false_documents: bool = False
    student_seeking_active_measures: bool = False
    sentenced_to_works_or_imprisonment: bool = False  # from 01.07.2023 only (Social Code Art. 99 p.3 sub.6)


@dataclass(frozen=True)
class UnemployedDecision:
    """The local authority's decision (UN-2): registered when no ground of UN-4 applies."""

    reasons: tuple[Reason, ...]
    decided_on: date

    @property
    def registered(self) -> bool:
        return not self.reasons


def under_minimum_age(birth_date: date, on: date) -> Reason | None:
    """UN-4 (1), Rules No. 259 §34 sub.1: a person under 16 is not registered as unemployed."""
    minimum = int_on("unemployed.minimum_age", on)
    age = age_on(birth_date, on)
    if age < minimum:
        return Reason("UN-4 (1)", f"The person is {age}, under {minimum} (Rules No. 259 §34 sub.1).")
    return None


def employed(periods: Iterable[EmploymentPeriod], other_paid_work: bool, on: date) -> Reason | None:
    """UN-4 (2), Rules No. 259 §34 sub.2: working under a labour contract (full or part time) or in other
    paid work that brings income. The contract is the one the fund knows to be in force on the decision day."""
    contract = no_labour_contract_in_force(periods, on)
    if contract is not None:
        return Reason("UN-4 (2)", f"{contract.text} (Rules No. 259 §34 sub.2)")
    if other_paid_work:
        return Reason(
            "UN-4 (2)",
            f"The person has other paid work that brings income on {on.isoformat()} (Rules No. 259 §34 sub.2).",
        )
    return None


def pension_age_reached(sex: Sex, birth_date: date, on: date) -> Reason | None:
    """UN-4 (3), Rules No. 259 §34 sub.3: a person who has reached the general pension age (Law on
    pension provision Art. 11 p.1; from 01.07.2023 Social Code Art. 207 p.1) is not registered."""
    try:
        reached = pension_age_reached_on(sex is Sex.MALE, birth_date, on)
    except ParameterNotInForce as exc:
        raise ParameterNotInForce(f"UN-4 (3) cannot be decided on {on.isoformat()}: {exc}") from exc
    if reached is None:
        return None
    return Reason(
        "UN-4 (3)",
        f"The person reached the pension age of {reached.age:g} years for {'men' if sex is Sex.MALE else 'women'} "
        f"on {reached.day.isoformat()} ({reached.source}; Rules No. 259 §34 sub.3).",
    )


def false_documents(knowingly_false: bool) -> Reason | None:
    """UN-4 (4), Rules No. 259 §34 sub.4: knowingly false documents about having no work and income, or
    other unreliable data, as the verification found."""
    if knowingly_false:
        return Reason(
            "UN-4 (4)",
            "The documents presented about having no work and income are knowingly false, or the data are "
            "unreliable (Rules No. 259 §34 sub.4).",
        )
    return None


def student_seeking_active_measures(applies: bool) -> Reason | None:
    """UN-4 (5), Rules No. 259 §34 sub.5: students and senior pupils of general schools who apply to take
    part in active employment measures are not registered as unemployed."""
    if applies:
        return Reason(
            "UN-4 (5)",
            "Students and senior pupils of general schools applying for active employment measures are not "
            "registered as unemployed (Rules No. 259 §34 sub.5).",
        )
    return None


def sentenced_to_works_or_imprisonment(sentenced: bool, on: date) -> Reason | None:
    """UN-4 (6), Social Code Art. 99 p.3 sub.6, from 01.07.2023: a person sentenced by a court to
    correctional or public works, or to imprisonment not suspended, is not registered as unemployed.
    Rules No. 259 §34 has no such ground: before that day the sentence refuses nothing."""
    if sentenced and bool_on("unemployed.court_sentence_ground", on):
        return Reason(
            "UN-4 (6)",
            "A court sentenced the person to correctional or public works, or to imprisonment that is not "
            "suspended (Social Code Art. 99 p.3 sub.6).",
        )
    return None


def decide_unemployed(applicant: UnemployedApplicant, on: date) -> UnemployedDecision:
    """UN-2 with UN-4: every ground that applies on ``on``, in the order of the law: Rules No. 259 §34
    sub.1-5, then, from 01.07.2023, Social Code Art. 99 p.3 sub.6."""
    checks: list[Reason | None] = [
        under_minimum_age(applicant.birth_date, on),
        employed(applicant.employment, applicant.other_paid_work, on),
        pension_age_reached(applicant.sex, applicant.birth_date, on),
        false_documents(applicant.knowingly_false_documents),
        student_seeking_active_measures(applicant.student_seeking_active_measures),
        sentenced_to_works_or_imprisonment(applicant.sentenced_to_works_or_imprisonment, on),
    ]
    return UnemployedDecision(reasons=tuple(reason for reason in checks if reason is not None), decided_on=on)
