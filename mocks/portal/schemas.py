"""JSON contract of the portal: login (SP-4), the job-seeker registration form (standard Annex 2, JS-1,
JS-10) with the registered-address confirmation (JS-11), the certificate application (Rules Annex 7, CE-1),
and the personal cabinet (the portal user guide's statuses "In progress" / "Done", plus "Rejected", "Awaiting
your confirmation", "Cancelled"; the documents kept there, CE-4).

The door is strict: unknown fields are refused, booleans must be JSON ``true``/``false`` (the string
"yes" is not consent), whole numbers must be JSON numbers, every text and list has an upper bound.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StringConstraints

IIN_PATTERN = r"^\d{12}$"
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+$"

# Bounds of the texts (characters) and lists (entries) of the form.
Short = Annotated[str, StringConstraints(max_length=200)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Long = Annotated[str, StringConstraints(max_length=2000)]
Email = Annotated[str, StringConstraints(max_length=254, pattern=EMAIL_PATTERN)]
Amount = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
Years = Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)]
Count = Annotated[StrictInt, Field(ge=0, le=1000)]
MAX_ENTRIES = 30


class LoginRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    iin: str = Field(min_length=1, max_length=32)
    password: str = Field(min_length=1, max_length=256)


class LoginResponse(BaseModel):
    token: str
    tokenType: Literal["Bearer"] = "Bearer"


class CitizenOut(BaseModel):
    iin: str
    fullName: str


class ErrorOut(BaseModel):
    detail: str


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AddressIn(_Section):
    country: Short | None = None
    region: Short | None = None
    city: Short | None = None
    district: Short | None = None
    settlement: Short | None = None
    street: Short | None = None
    building: Short | None = None
    flat: Short | None = None


class IdentityDocumentIn(_Section):
    type: Name
    series: Short | None = None
    number: Name
    issuedBy: Short | None = None
    issueDate: date | None = None
    validUntil: date | None = None


class RegistrationIn(_Section):
    unemploymentReason: Short | None = None
    statusCategory: Short | None = None
    purpose: Short | None = None
    unemployedSince: date | None = None


class WantedWorkIn(_Section):
    profession: Short | None = None
    specialisation: Short | None = None
    salaryMin: Amount | None = None
    salaryMax: Amount | None = None
    workSchedule: Short | None = None
    agreesToRelocate: StrictBool | None = None


class InstitutionIn(_Section):
    name: Name
    speciality: Short | None = None
    institutionType: Short | None = None
    extraInfo: Long | None = None
    enrolledOn: date | None = None
    graduatedOn: date | None = None
    agreesToWorkInSpeciality: StrictBool | None = None


class JobIn(_Section):
    profession: Name
    specialisation: Short | None = None
    organisation: Short | None = None
    industry: Short | None = None
    duties: Long | None = None
    yearsInProfession: Years | None = None
    hiredOn: date | None = None
    dismissedOn: date | None = None
    agreesToWorkInProfession: StrictBool | None = None


class LanguageIn(_Section):
    name: Name
    level: Short | None = None


class SkillsIn(_Section):
    hobby: Long | None = None
    courses: Long | None = None
    specialSkills: Long | None = None
    generalSkills: Long | None = None
    languages: list[LanguageIn] = Field(default_factory=list, max_length=MAX_ENTRIES)


class ExtraContactIn(_Section):
    fullName: Name
    phone: Short | None = None
    email: Email | None = None


class ExtraFactsIn(_Section):
    childrenUnder18: Count | None = None
    hasConviction: StrictBool | None = None
    professionInDemand: StrictBool | None = None
    professionsCount: Count | None = None
    experienceInMainProfession: Amount | None = None
    totalExperience: Amount | None = None
    experienceAtLastJob: Amount | None = None
    currentUnemploymentLength: Short | None = None
    previousUnemploymentPeriod: Short | None = None
    vocationalTrainingPeriod: Short | None = None
    hasJobSearchSkills: StrictBool | None = None
    hasComputerSkills: StrictBool | None = None
    motivationLevel: Short | None = None


class LegalRepresentativeIn(_Section):
    """JS-1: the free-form application of one legal representative of an applicant under 16."""

    iin: str = Field(pattern=IIN_PATTERN)
    fullName: Name
    statement: Annotated[str, StringConstraints(min_length=1, max_length=2000)]


class JobSeekerRegistrationRequest(_Section):
    """The registration data form (standard Annex 2). The applicant's IIN comes from the login session."""

    surname: Name
    name: Name
    patronymic: Short | None = None
    gender: Short | None = None
    nationality: Short | None = None
    citizenship: Short | None = None
    birthDate: date
    maritalStatus: Short | None = None
    regAddress: AddressIn | None = None
    educationLevel: Short | None = None
    targetGroup: Short | None = None
    identityDocument: IdentityDocumentIn | None = None
    mobilePhone: Short | None = None
    contactPhone: Short | None = None
    email: Email | None = None
    registration: RegistrationIn | None = None
    wantedProfession: Short | None = Field(default=None, description="shortcut for wantedWork.profession")
    wantedWork: WantedWorkIn | None = None
    education: list[InstitutionIn] = Field(default_factory=list, max_length=MAX_ENTRIES)
    workHistory: list[JobIn] = Field(default_factory=list, max_length=MAX_ENTRIES)
    skills: SkillsIn | None = None
    drivingLicence: Short | None = Field(default=None, description="licence categories, e.g. 'B, C'")
    extraContact: ExtraContactIn | None = None
    extraFacts: ExtraFactsIn | None = None
    legalRepresentative: LegalRepresentativeIn | None = None
    consentToPersonalData: StrictBool = Field(description="must be JSON true (standard Annex 1)")


class SubmissionAccepted(BaseModel):
    applicationId: str
    status: str
    submittedAt: str = Field(description="ISO 8601 with the offset, e.g. 2026-11-23T10:15:00+05:00")


class SignedByOut(BaseModel):
    commonName: str
    iin: str | None
    bin: str | None


class ResultOut(BaseModel):
    kind: str = Field(description="registered | refused | not-accepted | certificate | certificate-refused")
    documentXml: str
    signedBy: SignedByOut
    signatureVerified: bool


class ApplicationErrorOut(BaseModel):
    code: str = Field(description="the gateway's error code (SCE…), for a support request")
    message: str = Field(description="what went wrong and what to do, in plain words")


Status = Literal["Awaiting your confirmation", "Cancelled", "In progress", "Done", "Rejected"]


class CabinetApplication(BaseModel):
    applicationId: str
    service: str
    serviceTitle: str
    status: Status
    submittedAt: str
    finishedAt: str | None
    result: ResultOut | None
    error: ApplicationErrorOut | None
    notice: str | None = Field(
        default=None,
        description="awaiting confirmation: the registered address and the question (JS-11); cancelled: that it "
        "was not sent; in progress: request accepted, or delivery delayed or looked into",
    )
    registeredAddress: str | None = Field(
        default=None, description="JS-11: the registered address the person registry holds, shown before sending"
    )
    resultDocumentId: str | None = Field(
        default=None, description="the result's id among the cabinet's documents (GET /api/cabinet/documents/{id})"
    )


class AddressCheckOut(BaseModel):
    """JS-11: the registered address to agree to before the application is signed and sent."""

    applicationId: str
    status: Status
    registeredAddress: str
    centre: str = Field(description="the employment centre chosen by the registered address")
    question: str
    confirmUrl: str
    cancelUrl: str


class CertificateRequest(_Section):
    """Rules Annex 7: the applicant's name and IIN come from the login session; the rest from the form."""

    phone: Short | None = None
    email: Email | None = None
    consentToPersonalData: StrictBool = Field(description="must be JSON true (Annex 7)")
    warnedOfLiability: StrictBool = Field(
        description="must be JSON true: warned of the liability for unreliable data and false documents (Annex 7)"
    )


class IssuerOut(BaseModel):
    id: str = Field(description="the issuing organisation's BIN, or the applicant's IIN for their own application")
    name: str


class CabinetDocumentOut(BaseModel):
    documentId: str
    kind: str
    titleKk: str
    titleRu: str
    title: str
    documentNumber: str
    issuer: IssuerOut
    issuedOn: str | None
    receivedAt: str
    applicationId: str | None
    source: Literal["application", "delivery"]
    signedBy: SignedByOut
    signatureVerified: bool = Field(description="verified when the cabinet kept it (the HTML page checks it again)")
    htmlUrl: str


class CabinetDocumentDetailOut(CabinetDocumentOut):
    documentXml: str = Field(description="the signed document exactly as received")


class AdminApplicationOut(BaseModel):
    """An application as the operators see it: the technical wording of a fault and its outbox message."""

    applicationId: str
    iin: str
    status: str
    submittedAt: str
    finishedAt: str | None
    errorCode: str | None
    errorMessage: str | None
    errorDetail: str | None
    resultKind: str | None
    delivery: dict[str, object] | None = Field(description="the outbox message (GET /admin/outbox shows them all)")
    correlationId: str | None = Field(
        default=None, description="the AsyncChannel chain the gateway gave the REQUEST (its journal's correlationId)"
    )
    requestMessageId: str | None = Field(default=None, description="the gateway's messageId of the REQUEST")
    events: list[dict[str, object]] = Field(
        default_factory=list,
        description="what the AsyncChannel said: accepted (REQUEST taken), notice (the centre's NOTIFICATION), status",
    )
