"""The department's check of an application's documents (SP-3 cond. 2, SP-6 cond. 3), and the grounds the fund
names in a refusal: PE-4 (refusal to accept, Social Code Art. 115 p.1) and PE-5 (refusal to assign, Art. 115 p.2).

Decided here from the application and the population data the fund holds of the applicant:

- PE-4 (2), Art. 115 p.1 sub.2: a document of the standard (004 §4 item 9: the identity document, the certificate
  of registration as unemployed, the bank account; the power of attorney when a representative applies) is
  missing, expired, or expires on the day of the check (the day the fund decides to accept);
- PE-4 (3), Art. 115 p.1 sub.3: the identity data do not match: the applicant is not in the population data, or
  the name, birth date or sex differ from it, or a document is made out to another person;
- PE-4 (5), Art. 115 p.1 sub.5: no consent to the collection and processing of personal data.

PE-5 (1)-(3) (Art. 115 p.2) are found by the executor while examining the documents; :func:`executor_ground`
checks the one given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from mocks.social_fund.domain.models import RefusalGround

IDENTITY_DOCUMENT = "identity-document"
UNEMPLOYED_CERTIFICATE = "unemployed-certificate"
BANK_ACCOUNT = "bank-account"
POWER_OF_ATTORNEY = "power-of-attorney"
REQUIRED_KINDS = (IDENTITY_DOCUMENT, UNEMPLOYED_CERTIFICATE, BANK_ACCOUNT)


@dataclass(frozen=True)
class Person:
    """A person's identity data: as the application states them, or as the population data holds them."""

    iin: str
    surname: str
    name: str
    patronymic: str | None
    birth_date: date
    male: bool


@dataclass(frozen=True)
class Document:
    kind: str
    number: str
    issued_on: date
    valid_until: date | None
    holder_iin: str


@dataclass(frozen=True)
class Ground:
    """A ground of refusal: its rule id, the article it applies, and the words."""

    rule_id: str
    article: str
    text: str


def _normal(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def document_grounds(
    applicant: Person,
    documents: Sequence[Document],
    consent: bool,
    registry: Person | None,
    checked_on: date,
    *,
    represented: bool = False,
) -> tuple[Ground, ...]:
    """PE-4 (2), (3), (5): every ground found, in the order of Art. 115 p.1; empty when the documents are in order."""
    grounds: list[Ground] = []
    required = (*REQUIRED_KINDS, POWER_OF_ATTORNEY) if represented else REQUIRED_KINDS
    present = {document.kind for document in documents}
    # PE-4 (2), Art. 115 p.1 sub.2: incomplete, expired, or expiring on the day of the decision.
    missing = [kind for kind in required if kind not in present]
    if missing:
        grounds.append(Ground("PE-4 (2)", ARTICLES["PE-4 (2)"], f"documents missing: {', '.join(missing)}"))
    lapsed = [d for d in documents if d.valid_until is not None and d.valid_until <= checked_on]
    if lapsed:
        listed = ", ".join(f"{d.kind} {d.number} (valid until {d.valid_until:%Y-%m-%d})" for d in lapsed)
        grounds.append(
            Ground("PE-4 (2)", ARTICLES["PE-4 (2)"], f"expired or expiring on {checked_on:%Y-%m-%d}: {listed}")
        )
    # PE-4 (3), Art. 115 p.1 sub.3: the identity data do not match the population data or the other documents.
    mismatches = identity_mismatches(applicant, registry)
    foreign = [d for d in documents if d.kind != POWER_OF_ATTORNEY and d.holder_iin != applicant.iin]
    if foreign:
        mismatches.append("made out to another person: " + ", ".join(f"{d.kind} {d.number}" for d in foreign))
    if mismatches:
        grounds.append(Ground("PE-4 (3)", ARTICLES["PE-4 (3)"], "identity data do not match: " + "; ".join(mismatches)))
    # PE-4 (5), Art. 115 p.1 sub.5: no consent to the collection and processing of personal data.
    if not consent:
        grounds.append(Ground("PE-4 (5)", ARTICLES["PE-4 (5)"], "no consent to the processing of personal data"))
    return tuple(grounds)


def identity_mismatches(applicant: Person, registry: Person | None) -> list[str]:
    """What differs between the application's identity data and the population data (PE-4 (3))."""
    if registry is None:
        return [f"the population data hold no person with IIN {applicant.iin}"]
    found: list[str] = []
    for label, stated, held in (
        ("surname", applicant.surname, registry.surname),
        ("name", applicant.name, registry.name),
        ("patronymic", applicant.patronymic, registry.patronymic),
    ):
        if _normal(stated) != _normal(held):
            found.append(f"{label} {stated!r} is {held!r} in the population data")
    if applicant.birth_date != registry.birth_date:
        found.append(f"birth date {applicant.birth_date:%Y-%m-%d} is {registry.birth_date:%Y-%m-%d} there")
    if applicant.male != registry.male:
        found.append("sex differs from the population data")
    return found


# The grounds of refusal the executor may give while examining (PE-5, Social Code Art. 115 p.2).
EXECUTOR_GROUNDS = {
    "PE-5 (1)": "documents or data found false",
    "PE-5 (2)": "the applicant, the documents or the data do not meet the law",
    "PE-5 (3)": "a document or datum asked for while checking was not provided",
}

ARTICLES = {
    "PE-2": "Social Code Art. 113 p.3; Art. 115 p.2 sub.2",
    "PE-4 (1)": "Social Code Art. 115 p.1 sub.1",
    "PE-4 (2)": "Social Code Art. 115 p.1 sub.2",
    "PE-4 (3)": "Social Code Art. 115 p.1 sub.3",
    "PE-4 (4)": "Social Code Art. 115 p.1 sub.4; Art. 113 p.1",
    "PE-4 (5)": "Social Code Art. 115 p.1 sub.5",
    "PE-4 (6)": "Social Code Art. 115 p.1 sub.6",
    "PE-4 (7)": "Social Code Art. 115 p.1 sub.7; Art. 118 p.5",
    "PE-5 (1)": "Social Code Art. 115 p.2 sub.1",
    "PE-5 (2)": "Social Code Art. 115 p.2 sub.2",
    "PE-5 (3)": "Social Code Art. 115 p.2 sub.3",
    "PE-6": "Social Code Art. 99 p.3; Art. 118 p.1; Art. 207",
}

_DECIDED = {
    RefusalGround.ALREADY_ASSIGNED_OR_PENDING: ("PE-4 (1)", "a payment is already assigned, being paid or applied for"),
    RefusalGround.NOT_REGISTERED_UNEMPLOYED: ("PE-4 (4)", "no right to the payment: not registered as unemployed"),
    RefusalGround.PENSION_AGE_REACHED: ("PE-6", "the general pension age is reached"),
    RefusalGround.APPLICATION_LATE: ("PE-2", "applied more than 12 months after the right arose"),
    RefusalGround.NO_CONTRIBUTIONS_IN_WINDOW: (
        "PE-4 (6)",
        "no social contributions in the 24 months before the month of the risk",
    ),
    RefusalGround.PARTICIPATION_TOO_SHORT: ("PE-4 (7)", "participation in the system under 6 months"),
}


def decided_ground(ground: RefusalGround) -> Ground:
    """A ground of :func:`mocks.social_fund.domain.decision.decide` with its rule id (PE-2, PE-4, PE-6)."""
    rule_id, text = _DECIDED[ground]
    return Ground(rule_id, ARTICLES[rule_id], text)


class UnknownGround(ValueError):
    """The executor named a ground the refusal to assign cannot carry."""


def executor_ground(rule_id: str, text: str) -> Ground:
    """PE-5 (Social Code Art. 115 p.2): the executor's ground of refusal to assign, with the executor's words."""
    if rule_id not in EXECUTOR_GROUNDS:
        raise UnknownGround(f"a refusal to assign names one of {', '.join(EXECUTOR_GROUNDS)} (Art. 115 p.2)")
    words = " ".join(text.split())
    if not words:
        raise UnknownGround("say why: the refusal states its ground in words")
    return Ground(rule_id, ARTICLES[rule_id], f"{EXECUTOR_GROUNDS[rule_id]}: {words}")
