"""What the State Corporation's operator enters for a job-loss payment application (SP-2; regulation 004 §7
process 2; the documents of the standard, 004 §4 item 9), and the ``paymentApplication`` made of it.

The applicant's identity (names, birth date, sex) is not the operator's to type: it comes from the person registry
(SP-2). The operator enters the documents (the identity document, the certificate of registration as unemployed
(SP-7, Rules No. 259 Annex 8), the document of the bank account), the IBAN the payment goes to, whether the
applicant consents to the processing of their personal data, and, when a representative applies, the
representative and the number of the power of attorney.

What the State Corporation checks here is only that the entry is well formed (dates that exist and are not in the
future, a document that does not lapse before it is issued, the IBAN's form, the sizes of the contract); whether
the documents are complete, valid on the day and the applicant's, and whether the applicant consented, is the
department's check (SP-3 condition 2: PE-4 (2), (3), (5), Social Code Art. 115 p.1), whose refusal comes back as
the signed decision.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from adapters.person_registry import RegistryPerson
from contracts import job_loss_payment as jl
from kernel.iin import is_valid_iin
from mocks.state_corp.service import InvalidIinError

IBAN = re.compile(r"KZ\d{2}[0-9A-Z]{16}")
NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:\-]{0,63}")  # jl:Identifier of job-loss-payment.xsd
SEX_OF_GENDER_CODE = {"1": jl.Sex.MALE, "2": jl.Sex.FEMALE}  # the person registry's gender codes


class PaymentEntryRefused(ValueError):
    """The State Corporation does not accept the entry as typed (nothing is stored, asked or sent)."""


@dataclass(frozen=True)
class EnteredDocument:
    number: str
    issued_on: date
    valid_until: date | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "issuedOn": self.issued_on.isoformat(),
            "validUntil": self.valid_until.isoformat() if self.valid_until else None,
        }

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> EnteredDocument:
        until = value.get("validUntil")
        return cls(value["number"], date.fromisoformat(value["issuedOn"]), date.fromisoformat(until) if until else None)


@dataclass(frozen=True)
class EnteredRepresentative:
    """Who applies for the applicant under a power of attorney (004 §7 process 2)."""

    iin: str
    full_name: str
    power_of_attorney: EnteredDocument

    def to_json(self) -> dict[str, Any]:
        return {"iin": self.iin, "fullName": self.full_name, "powerOfAttorney": self.power_of_attorney.to_json()}

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> EnteredRepresentative:
        return cls(value["iin"], value["fullName"], EnteredDocument.from_json(value["powerOfAttorney"]))


@dataclass(frozen=True)
class PaymentEntry:
    applicant_iin: str
    identity_document: EnteredDocument
    unemployed_certificate: EnteredDocument
    bank_account_document: EnteredDocument
    iban: str
    consent: bool
    representative: EnteredRepresentative | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "applicantIin": self.applicant_iin,
            "identityDocument": self.identity_document.to_json(),
            "unemployedCertificate": self.unemployed_certificate.to_json(),
            "bankAccountDocument": self.bank_account_document.to_json(),
            "iban": self.iban,
            "applicantConsent": self.consent,
            "representative": self.representative.to_json() if self.representative else None,
        }

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> PaymentEntry:
        representative = value.get("representative")
        return cls(
            applicant_iin=value["applicantIin"],
            identity_document=EnteredDocument.from_json(value["identityDocument"]),
            unemployed_certificate=EnteredDocument.from_json(value["unemployedCertificate"]),
            bank_account_document=EnteredDocument.from_json(value["bankAccountDocument"]),
            iban=value["iban"],
            consent=bool(value["applicantConsent"]),
            representative=EnteredRepresentative.from_json(representative) if representative else None,
        )

    def documents(self) -> tuple[tuple[str, jl.DocumentKind, EnteredDocument, str], ...]:
        """(label, kind, document, IIN it is made out to) of every document entered."""
        iin = self.applicant_iin
        found = [
            ("identityDocument", jl.DocumentKind.IDENTITY_DOCUMENT, self.identity_document, iin),
            ("unemployedCertificate", jl.DocumentKind.UNEMPLOYED_CERTIFICATE, self.unemployed_certificate, iin),
            ("bankAccountDocument", jl.DocumentKind.BANK_ACCOUNT, self.bank_account_document, iin),
        ]
        if self.representative is not None:
            # made out to the representative, whom it authorises (the fund checks it is there: PE-4 (2))
            found.append(
                (
                    "representative.powerOfAttorney",
                    jl.DocumentKind.POWER_OF_ATTORNEY,
                    self.representative.power_of_attorney,
                    self.representative.iin,
                )
            )
        return tuple(found)


def check_entry(entry: PaymentEntry, today: date) -> None:
    """Raise :class:`PaymentEntryRefused` (or :class:`InvalidIinError`) for an entry that is not well formed."""
    if not is_valid_iin(entry.applicant_iin):
        raise InvalidIinError(
            f"applicantIin {entry.applicant_iin!r} is not a valid IIN (12 digits, correct check digit)"
        )
    if not IBAN.fullmatch(entry.iban):
        raise PaymentEntryRefused(
            f"iban {entry.iban!r} is not a Kazakh IBAN (KZ, 2 check digits, 16 letters or digits)"
        )
    for label, _, document, _ in entry.documents():
        if not NUMBER.fullmatch(document.number):
            raise PaymentEntryRefused(
                f"{label}.number {document.number!r} is not a document number (1-64 letters, digits, '.', '_', ':', "
                "'-', starting with a letter or digit)"
            )
        if document.issued_on > today:
            raise PaymentEntryRefused(f"{label}.issuedOn {document.issued_on} is after today, {today}")
        if document.valid_until is not None and document.valid_until < document.issued_on:
            raise PaymentEntryRefused(
                f"{label}.validUntil {document.valid_until} is before its issuedOn {document.issued_on}"
            )
    if entry.unemployed_certificate.valid_until is None:
        raise PaymentEntryRefused("unemployedCertificate.validUntil is required: the certificate says until when")
    representative = entry.representative
    if representative is not None:
        if not is_valid_iin(representative.iin):
            raise InvalidIinError(
                f"representative.iin {representative.iin!r} is not a valid IIN (12 digits, correct check digit)"
            )
        if representative.iin == entry.applicant_iin:
            raise PaymentEntryRefused("the representative is the applicant: leave representative out")
        if not 1 <= len(representative.full_name.strip()) <= 500:
            raise PaymentEntryRefused("representative.fullName must have 1-500 characters")


def applicant_of(person: RegistryPerson) -> jl.Applicant:
    """The applicant as the person registry holds them (SP-2)."""
    sex = SEX_OF_GENDER_CODE.get(person.gender_code)
    if sex is None:
        raise PaymentEntryRefused(f"the person registry's gender code {person.gender_code!r} is not 1 or 2")
    return jl.Applicant(person.iin, person.surname, person.name, person.patronymic, person.birth_date, sex)


def application_of(
    case_id: str, submitted_at: datetime, applicant: jl.Applicant, entry: PaymentEntry
) -> jl.PaymentApplication:
    """The ``paymentApplication`` of the State Corporation channel (SP-2): the registry's applicant, the entry."""
    representative = entry.representative
    return jl.PaymentApplication(
        application_id=case_id,
        submitted_at=submitted_at,
        channel=jl.Channel.STATE_CORPORATION,
        applicant=applicant,
        documents=tuple(
            jl.AttachedDocument(kind, document.number, document.issued_on, document.valid_until, holder)
            for _, kind, document, holder in entry.documents()
        ),
        bank_account=entry.iban,
        consent=entry.consent,
        representative=None
        if representative is None
        else jl.Representative(
            representative.iin, representative.full_name.strip(), representative.power_of_attorney.number
        ),
    )
