"""JSON contract of the State Corporation operator workstation (SP-2, JS-12; regulation 004 §7-8)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


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
