"""JSON contract of the State Corporation operator workstation (SP-2, SP-3, JS-12; regulation 004 §7-8)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import Header
from pydantic import BaseModel, ConfigDict, Field

Authorization = Annotated[str | None, Header(description="Bearer <token> of POST /api/operator/login")]


class LoginRequest(BaseModel):
    iin: str = Field(min_length=1, max_length=32, description="the operator's IIN, their login")
    password: str = Field(min_length=1, max_length=256)


class OperatorOut(BaseModel):
    iin: str
    fullName: str
    branch: str
    services: list[str]
    canSign: bool = Field(description="the workstation holds the operator's EDS key")


class LoginAnswer(BaseModel):
    token: str
    expiresAt: str
    operator: OperatorOut


class PersonLookupRequest(BaseModel):
    applicantIin: str = Field(min_length=1, max_length=32, description="the applicant's IIN")
    operatorIin: str | None = Field(
        default=None, max_length=32, description="optional: must be the logged-in operator's IIN when given"
    )


class PersonFound(BaseModel):
    found: Literal[True] = True
    person: dict[str, Any] = Field(description="the person as the registry answered (camelCase keys)")
    correlationId: str


class PersonNotFound(BaseModel):
    found: Literal[False] = False
    message: str
    correlationId: str


class LookupFailed(BaseModel):
    detail: str
    correlationId: str | None = None


class RegistrationRequest(BaseModel):
    """What the operator enters for a job-seeker registration (JS-12); the applicant's identity comes from the
    person registry."""

    applicantIin: str = Field(min_length=1, max_length=32)
    applicantConsent: bool = Field(
        description="the applicant signed the application of standard Annex 1, with its consent to process their "
        "personal data (without it the request is not accepted: standard item 9)"
    )
    form: dict[str, Any] = Field(
        default_factory=dict,
        description="standard Annex 2 beside the identity, with the portal form's JSON keys: mobilePhone, "
        "contactPhone, email, maritalStatus, educationLevel, targetGroup, nationality, regAddress, registration, "
        "wantedWork, education, workHistory, skills, drivingLicence, extraContact, extraFacts, legalRepresentative",
    )


class CaseStep(BaseModel):
    at: str
    step: str
    detail: str


class CaseOut(BaseModel):
    caseId: str = Field(description="also the applicationId and the correlationId in the gateway's journal")
    service: str
    channel: str = "STATE_CORPORATION"
    status: str = Field(description="STOPPED, SENT, DONE, FAILED (may be sent again) or REJECTED")
    operatorIin: str
    applicantIin: str
    createdAt: str
    updatedAt: str
    person: dict[str, Any] | None
    resultKind: str | None = Field(description="registered, refused or not-accepted")
    registeredOn: str | None
    reasons: list[dict[str, str]]
    signedBy: dict[str, Any] | None = Field(description="who signed the result: the centre's director")
    resultDocument: str | None = Field(description="the result document, signed by the centre's director, as received")
    signedRequest: str | None = Field(description="the operator-signed request as sent")
    errorCode: str | None
    errorMessage: str | None
    steps: list[CaseStep]


class Refused(BaseModel):
    detail: str


# ---- the job-loss payment application (SP-2, SP-3; regulation 004 §7-8) -----------------------------------------

_NUMBER = r"^[A-Za-z0-9][A-Za-z0-9._:\-]{0,63}$"


class DocumentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    number: str = Field(pattern=_NUMBER, description="the document's number as written on it")
    issuedOn: date
    validUntil: date | None = Field(default=None, description="the last day it is valid, when it says one")


class RepresentativeIn(BaseModel):
    """Who applies for the applicant under a power of attorney (004 §7 process 2)."""

    model_config = ConfigDict(extra="forbid")

    iin: str = Field(min_length=12, max_length=12, pattern=r"^\d{12}$")
    fullName: str = Field(min_length=1, max_length=500)
    powerOfAttorney: DocumentIn = Field(description="the power of attorney: its number, issue date, validity")


class PaymentApplicationRequest(BaseModel):
    """What the operator enters for a job-loss payment application; the applicant's names, birth date and sex come
    from the person registry (SP-2)."""

    model_config = ConfigDict(extra="forbid")

    applicantIin: str = Field(min_length=12, max_length=12, pattern=r"^\d{12}$")
    identityDocument: DocumentIn
    unemployedCertificate: DocumentIn = Field(
        description="the certificate of registration as unemployed (SP-7; Rules No. 259 Annex 8): number, issue "
        "date, valid until"
    )
    bankAccountDocument: DocumentIn = Field(description="the document of the bank account the payment goes to")
    iban: str = Field(pattern=r"^KZ\d{2}[0-9A-Z]{16}$", description="the account's IBAN: KZ, 2 digits, 16 more")
    applicantConsent: bool = Field(
        description="the applicant consents to the collection and processing of personal data (without it the fund "
        "refuses to accept: PE-4 (5), Social Code Art. 115 p.1 sub.5)"
    )
    representative: RepresentativeIn | None = None


class PaymentCaseOut(BaseModel):
    caseId: str = Field(description="also the applicationId and the correlationId in the gateway's journal")
    service: Literal["job-loss-payment"] = "job-loss-payment"
    channel: Literal["STATE_CORPORATION"] = "STATE_CORPORATION"
    status: str = Field(
        description="STOPPED (SP-2), REGISTERED (ask for the result), DECIDED, FAILED (may be sent again), REJECTED"
    )
    operatorIin: str
    applicantIin: str
    createdAt: str
    updatedAt: str
    entry: dict[str, Any] = Field(description="what the operator entered")
    person: dict[str, Any] | None = Field(description="the applicant as the person registry answered")
    registrationNumber: str | None = Field(description="the fund's registration number (SP-3 process 6)")
    registeredAt: str | None
    deadline: str | None = Field(description="the deadline of the service (SP-1), as the fund states it")
    stage: str | None = Field(description="REGISTERED, EXECUTOR_ASSIGNED, DRAFTED, SIGNED, RESULT_ISSUED, REFUSED")
    stageAt: str | None
    checkedAt: str | None = Field(description="when the fund was last asked for the result")
    decision: dict[str, Any] | None = Field(
        description="the verified decision: outcome, grounds (ruleId, article, text) or payment (grossMonthly, "
        "netMonthly, pensionContribution, schedule of months with gross and net), signedBy"
    )
    decisionDocument: str | None = Field(description="the decision signed by the fund's department, as received")
    notices: list[dict[str, Any]] = Field(description="verified notices of suspension or termination (Art. 119)")
    signedRequest: str | None = Field(description="the operator-signed paymentApplication as sent")
    errorCode: str | None
    errorMessage: str | None
    steps: list[CaseStep]
