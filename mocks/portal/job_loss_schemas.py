"""JSON contract of the job-loss payment service on the portal (SP-4..SP-6, regulation 004 §9).

As the rest of the portal's door (:mod:`mocks.portal.schemas`): unknown fields refused, JSON ``true`` for the
consent, bounded texts and lists. The electronic copies travel as base64 in the JSON body (the body itself
is capped by ``max_request_body_bytes``); the portal keeps only their SHA-256 in the signed application.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StringConstraints

from mocks.portal.schemas import IIN_PATTERN

Iin = Annotated[str, StringConstraints(pattern=IIN_PATTERN)]
Number = Annotated[str, StringConstraints(min_length=1, max_length=64)]
MAX_COPIES = 8


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DocumentIn(_Section):
    """One document of the application: its number and dates (``validUntil`` when it has a term)."""

    number: Number
    issuedOn: date
    validUntil: date | None = None


class CopyIn(_Section):
    """The electronic copy of one document (a scan): which document, a file name, the bytes in base64."""

    document: Literal["identity-document", "unemployed-certificate", "bank-account"]
    fileName: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    contentBase64: Annotated[str, StringConstraints(min_length=1, max_length=400_000)]


class JobLossApplicationRequest(_Section):
    """SP-4: the form. The applicant's names, birth date and sex come from what the portal knows of the person;
    the identity document and the certificate of registration as unemployed are filled in by the portal when
    not given (the person's identity document; the cabinet's Annex 8 certificate)."""

    applicantIin: Iin | None = Field(default=None, description="the applicant; the logged-in citizen when omitted")
    bankAccount: Annotated[str, StringConstraints(min_length=1, max_length=40)] = Field(
        description="the IBAN the payment goes to (KZ, 20 characters)"
    )
    identityDocument: DocumentIn | None = None
    unemployedCertificate: DocumentIn | None = None
    bankAccountDocument: DocumentIn = Field(description="the agreement opening the bank account")
    copies: list[CopyIn] = Field(default_factory=list, max_length=MAX_COPIES)
    consentToPersonalData: StrictBool = Field(description="must be JSON true (Art. 115 p.1 sub.5)")
    certificateIin: Iin | None = Field(
        default=None,
        description="whose test EDS certificate to sign with (the key chosen in the signing tool); own by default",
    )


class DocumentOut(BaseModel):
    kind: str
    number: str
    issuedOn: str
    validUntil: str | None
    copySha256: str | None


class PrefillOut(BaseModel):
    """What the portal fills in: the applicant as the portal knows them, and their documents."""

    iin: str
    surname: str
    name: str
    patronymic: str | None
    birthDate: str
    sex: str
    identityDocument: DocumentOut | None
    unemployedCertificate: DocumentOut | None


class GroundOut(BaseModel):
    ruleId: str
    article: str
    text: str


class MonthOut(BaseModel):
    start: str
    end: str
    gross: str
    net: str


class PaymentOut(BaseModel):
    rightArose: str
    participationMonths: int
    countedParticipationMonths: int
    averageMonthlyIncome: str
    replacementCoefficient: str
    participationCoefficient: str
    gross: str
    pensionContribution: str
    net: str
    schedule: list[MonthOut]
    pensionAgeDay: str | None


class DecisionOut(BaseModel):
    decisionId: str
    decidedOn: str
    outcome: str
    grounds: list[GroundOut]
    payment: PaymentOut | None
    signedBy: str
    documentId: str | None
    htmlUrl: str | None


class NoticeOut(BaseModel):
    noticeId: str
    kind: str
    ground: GroundOut
    effectiveFrom: str
    issuedOn: str
    schedule: list[MonthOut]
    documentId: str
    htmlUrl: str


class JobLossApplicationOut(BaseModel):
    """The application and its result (SP-6)."""

    applicationId: str
    status: str
    submittedAt: str
    finishedAt: str | None
    channel: Literal["PORTAL"] = "PORTAL"
    bankAccount: str | None
    documents: list[DocumentOut]
    registrationNumber: str | None
    registeredAt: str | None
    deadline: str | None
    notice: str | None
    errorCode: str | None
    errorMessage: str | None
    decision: DecisionOut | None
    notices: list[NoticeOut]
