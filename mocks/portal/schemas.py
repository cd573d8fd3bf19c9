"""JSON contract of the portal: login (SP-4), the job-seeker registration form (standard Annex 2, JS-1,
JS-10) and the personal cabinet (seed 003 statuses "In progress" / "Done", plus "Rejected")."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

IIN_PATTERN = r"^\d{12}$"
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+$"


class LoginRequest(BaseModel):
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
    country: str | None = None
    region: str | None = None
    city: str | None = None
    district: str | None = None
    settlement: str | None = None
    street: str | None = None
    building: str | None = None
    flat: str | None = None


class IdentityDocumentIn(_Section):
    type: str = Field(min_length=1)
    series: str | None = None
    number: str = Field(min_length=1)
    issuedBy: str | None = None
    issueDate: date | None = None
    validUntil: date | None = None


class RegistrationIn(_Section):
    unemploymentReason: str | None = None
    statusCategory: str | None = None
    purpose: str | None = None
    unemployedSince: date | None = None


class WantedWorkIn(_Section):
    profession: str | None = None
    specialisation: str | None = None
    salaryMin: Decimal | None = Field(default=None, ge=0)
    salaryMax: Decimal | None = Field(default=None, ge=0)
    workSchedule: str | None = None
    agreesToRelocate: bool | None = None


class InstitutionIn(_Section):
    name: str = Field(min_length=1)
    speciality: str | None = None
    institutionType: str | None = None
    extraInfo: str | None = None
    enrolledOn: date | None = None
    graduatedOn: date | None = None
    agreesToWorkInSpeciality: bool | None = None


class JobIn(_Section):
    profession: str = Field(min_length=1)
    specialisation: str | None = None
    organisation: str | None = None
    industry: str | None = None
    duties: str | None = None
    yearsInProfession: Decimal | None = Field(default=None, ge=0)
    hiredOn: date | None = None
    dismissedOn: date | None = None
    agreesToWorkInProfession: bool | None = None


class LanguageIn(_Section):
    name: str = Field(min_length=1)
    level: str | None = None


class SkillsIn(_Section):
    hobby: str | None = None
    courses: str | None = None
    specialSkills: str | None = None
    generalSkills: str | None = None
    languages: list[LanguageIn] = Field(default_factory=list)


class ExtraContactIn(_Section):
    fullName: str = Field(min_length=1)
    phone: str | None = None
    email: str | None = Field(default=None, pattern=EMAIL_PATTERN)


class ExtraFactsIn(_Section):
    childrenUnder18: int | None = Field(default=None, ge=0)
    hasConviction: bool | None = None
    professionInDemand: bool | None = None
    professionsCount: int | None = Field(default=None, ge=0)
    experienceInMainProfession: Decimal | None = Field(default=None, ge=0)
    totalExperience: Decimal | None = Field(default=None, ge=0)
    experienceAtLastJob: Decimal | None = Field(default=None, ge=0)
    currentUnemploymentLength: str | None = None
    previousUnemploymentPeriod: str | None = None
    vocationalTrainingPeriod: str | None = None
    hasJobSearchSkills: bool | None = None
    hasComputerSkills: bool | None = None
    motivationLevel: str | None = None


class LegalRepresentativeIn(_Section):
    """JS-1: the free-form application of one legal representative of an applicant under 16."""

    iin: str = Field(pattern=IIN_PATTERN)
    fullName: str = Field(min_length=1)
    statement: str = Field(min_length=1)


class JobSeekerRegistrationRequest(_Section):
    """The registration data form (standard Annex 2). The applicant's IIN comes from the login session."""

    surname: str = Field(min_length=1)
    name: str = Field(min_length=1)
    patronymic: str | None = None
    gender: str | None = None
    nationality: str | None = None
    citizenship: str | None = None
    birthDate: date
    maritalStatus: str | None = None
    regAddress: AddressIn | None = None
    educationLevel: str | None = None
    targetGroup: str | None = None
    identityDocument: IdentityDocumentIn | None = None
    mobilePhone: str | None = None
    contactPhone: str | None = None
    email: str | None = Field(default=None, pattern=EMAIL_PATTERN)
    registration: RegistrationIn | None = None
    wantedProfession: str | None = Field(default=None, description="shortcut for wantedWork.profession")
    wantedWork: WantedWorkIn | None = None
    education: list[InstitutionIn] = Field(default_factory=list)
    workHistory: list[JobIn] = Field(default_factory=list)
    skills: SkillsIn | None = None
    drivingLicence: str | None = Field(default=None, description="licence categories, e.g. 'B, C'")
    extraContact: ExtraContactIn | None = None
    extraFacts: ExtraFactsIn | None = None
    legalRepresentative: LegalRepresentativeIn | None = None
    consentToPersonalData: bool = Field(description="must be true (standard Annex 1)")


class SubmissionAccepted(BaseModel):
    applicationId: str
    status: str


class SignedByOut(BaseModel):
    commonName: str
    iin: str | None
    bin: str | None


class ResultOut(BaseModel):
    kind: str = Field(description="registered | refused")
    documentXml: str
    signedBy: SignedByOut
    signatureVerified: bool


class ApplicationErrorOut(BaseModel):
    code: str
    message: str


class CabinetApplication(BaseModel):
    applicationId: str
    service: str
    serviceTitle: str
    status: Literal["In progress", "Done", "Rejected"]
    submittedAt: str
    result: ResultOut | None
    error: ApplicationErrorOut | None


class OutboxRunOut(BaseModel):
    done: list[str]
    rejected: list[str]
    retrying: list[str]


class PendingApplicationOut(BaseModel):
    applicationId: str
    iin: str
    submittedAt: str
    attempts: int
    lastError: str | None
    nextAttemptAt: str | None
