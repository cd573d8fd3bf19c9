"""The job-seeker registration form (standard Annex 2): ``jobSeekerRegistrationForm``.

Request data of service ``ENBEK_JobSeekerRegistration``; schema ``wsdl/xsd/job-seeker-registration.xsd``;
namespace ``urn:kz:egov-sim:labour-market:job-seeker:v1`` on the root element, children unqualified. The
portal writes it from the citizen's JSON (every section of standard Annex 2, the consent of standard Annex 1
and the legal representative's statement of JS-1); the employment centre reads it.

The form's shape is the table :data:`APPLICANT` + :data:`FORM_SECTIONS`, element by element in the order of
the XSD: a leaf is text, a :class:`Group` one element with children, a :class:`Wrapped` list one element
holding an element per item, a :class:`Repeated` list one element per item. The JSON keys are the element
names but for ``language`` (key ``languages``). :func:`write_form` writes a :class:`JobSeekerForm`;
:func:`read_form` reads it back: the fields as text (a JSON value written as text is read as that text) and
the values the centre decides on typed (:class:`FormApplicant`, the consent, :class:`FormRepresentative`,
``submittedAt`` with its offset, which the term of the service runs from: regulation 000 §10).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from lxml import etree

from contracts.errors import PayloadError
from contracts.xml_text import child_text

SERVICE_ID = "ENBEK_JobSeekerRegistration"
# The same form over the AsyncChannel: "accepted" at once, the result later as a RESPONSE (docs/gateway.md).
ASYNC_SERVICE_ID = "ENBEK_JobSeekerRegistrationAsync"
SCHEMA = "xsd/job-seeker-registration.xsd"
FORM_NS = "urn:kz:egov-sim:labour-market:job-seeker:v1"
FORM_TAG = f"{{{FORM_NS}}}jobSeekerRegistrationForm"


class FormContractError(PayloadError):
    """The payload is not a job-seeker registration form, or lacks a required field."""


# ``intake/channel``: where the person applied (Rules No. 259 §4, §15-21); a form without ``intake`` is PORTAL.
CHANNELS = ("PORTAL", "OFFICE", "STATE_CORPORATION", "RURAL_ASSISTANT")
# ``intake/applicantConsent``: the applicant signed the paper application of standard Annex 1 in person.
SIGNED_APPLICATION = "SIGNED_APPLICATION"


# ---- the shape of the form ----------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    """A JSON object written as one element with these children."""

    fields: tuple[tuple[str, str, Kind], ...]


@dataclass(frozen=True)
class Wrapped:
    """A JSON list written as one element holding an ``item_tag`` element per item."""

    item_tag: str
    fields: tuple[tuple[str, str, Kind], ...]


@dataclass(frozen=True)
class Repeated:
    """A JSON list written as one element per item."""

    fields: tuple[tuple[str, str, Kind], ...]


Kind = Group | Wrapped | Repeated | None
Entry = tuple[str, str, Kind]  # (XML element, JSON key, kind)


def _leaves(*names: str) -> tuple[Entry, ...]:
    return tuple((name, name, None) for name in names)


_ADDRESS = Group(_leaves("country", "region", "city", "district", "settlement", "street", "building", "flat"))
_DOCUMENT = Group(_leaves("type", "series", "number", "issuedBy", "issueDate", "validUntil"))
APPLICANT: tuple[Entry, ...] = (
    *_leaves("iin", "surname", "name", "patronymic", "gender", "nationality", "citizenship", "birthDate"),
    *_leaves("maritalStatus"),
    ("regAddress", "regAddress", _ADDRESS),
    *_leaves("educationLevel", "targetGroup"),
    ("identityDocument", "identityDocument", _DOCUMENT),
    *_leaves("mobilePhone", "contactPhone", "email"),
)
FORM_SECTIONS: tuple[Entry, ...] = (
    (
        "registration",
        "registration",
        Group(_leaves("unemploymentReason", "statusCategory", "purpose", "unemployedSince")),
    ),
    (
        "wantedWork",
        "wantedWork",
        Group(_leaves("profession", "specialisation", "salaryMin", "salaryMax", "workSchedule", "agreesToRelocate")),
    ),
    (
        "education",
        "education",
        Wrapped(
            "institution",
            _leaves(
                "name",
                "speciality",
                "institutionType",
                "extraInfo",
                "enrolledOn",
                "graduatedOn",
                "agreesToWorkInSpeciality",
            ),
        ),
    ),
    (
        "workHistory",
        "workHistory",
        Wrapped(
            "job",
            _leaves(
                "profession",
                "specialisation",
                "organisation",
                "industry",
                "duties",
                "yearsInProfession",
                "hiredOn",
                "dismissedOn",
                "agreesToWorkInProfession",
            ),
        ),
    ),
    (
        "skills",
        "skills",
        Group(
            (
                *_leaves("hobby", "courses", "specialSkills", "generalSkills"),
                ("language", "languages", Repeated(_leaves("name", "level"))),
            )
        ),
    ),
    ("drivingLicence", "drivingLicence", Group(_leaves("categories"))),
    ("extraContact", "extraContact", Group(_leaves("fullName", "phone", "email"))),
    (
        "extraFacts",
        "extraFacts",
        Group(
            _leaves(
                "childrenUnder18",
                "hasConviction",
                "professionInDemand",
                "professionsCount",
                "experienceInMainProfession",
                "totalExperience",
                "experienceAtLastJob",
                "currentUnemploymentLength",
                "previousUnemploymentPeriod",
                "vocationalTrainingPeriod",
                "hasJobSearchSkills",
                "hasComputerSkills",
                "motivationLevel",
            )
        ),
    ),
    ("legalRepresentative", "legalRepresentative", Group(_leaves("iin", "fullName", "statement"))),
    ("consentToPersonalData", "consentToPersonalData", None),
)


# ---- the values -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FormApplicant:
    """Section 1 of the form, as far as the centre decides on it."""

    iin: str
    surname: str
    name: str
    patronymic: str | None
    birth_date: date


@dataclass(frozen=True)
class FormRepresentative:
    """The legal representative's statement (JS-1, Rules No. 259 §6)."""

    iin: str
    full_name: str
    statement: str


@dataclass(frozen=True)
class PaperCard:
    """``intake/paperCard``: a card filled on paper (Rules No. 259 §17), entered later."""

    filled_on: date
    number: str | None = None


@dataclass(frozen=True)
class Intake:
    """``intake``: how the application was taken when it is not the applicant's own form on the portal."""

    channel: str  # one of CHANNELS
    office: str | None = None
    applicant_consent: str | None = None  # SIGNED_APPLICATION, or None when not recorded
    paper_card: PaperCard | None = None

    def __post_init__(self) -> None:
        if self.channel not in CHANNELS:
            raise FormContractError(f"intake/channel {self.channel!r} is not one of {', '.join(CHANNELS)}")


@dataclass(frozen=True)
class JobSeekerForm:
    """One filled form: its id, the instant it was submitted, and its fields as JSON (applicant fields at the
    top level, the other sections by name, see :data:`APPLICANT` and :data:`FORM_SECTIONS`), and how it was
    taken (``intake``; None on the portal)."""

    application_id: str
    submitted_at: datetime
    fields: Mapping[str, Any] = field(default_factory=dict)
    intake: Intake | None = None


@dataclass(frozen=True)
class ReadForm:
    """What :func:`read_form` finds: the form, and its typed values."""

    form: JobSeekerForm
    applicant: FormApplicant
    consent_to_personal_data: bool
    legal_representative: FormRepresentative | None

    @property
    def channel(self) -> str:
        return self.form.intake.channel if self.form.intake is not None else "PORTAL"


# ---- writing --------------------------------------------------------------------------------------


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _write(parent: etree._Element, entries: tuple[Entry, ...], data: Mapping[str, Any]) -> None:
    for tag, key, kind in entries:
        value = data.get(key)
        if value is None or value == [] or value == {}:
            continue
        if kind is None:
            etree.SubElement(parent, tag).text = _text(value)
        elif isinstance(kind, Group):
            _write(etree.SubElement(parent, tag), kind.fields, value)
        elif isinstance(kind, Wrapped):
            holder = etree.SubElement(parent, tag)
            for item in value:
                _write(etree.SubElement(holder, kind.item_tag), kind.fields, item)
        else:
            for item in value:
                _write(etree.SubElement(parent, tag), kind.fields, item)


def write_form(form: JobSeekerForm) -> etree._Element:
    """The unsigned ``jobSeekerRegistrationForm``; a field that is None, ``[]`` or ``{}`` is left out."""
    root = etree.Element(FORM_TAG, nsmap={"js": FORM_NS})
    etree.SubElement(root, "applicationId").text = form.application_id
    etree.SubElement(root, "submittedAt").text = form.submitted_at.isoformat(timespec="seconds")
    _write(etree.SubElement(root, "applicant"), APPLICANT, form.fields)
    _write(root, FORM_SECTIONS, form.fields)
    if form.intake is not None:
        _write_intake(etree.SubElement(root, "intake"), form.intake)
    return root


def _write_intake(node: etree._Element, intake: Intake) -> None:
    etree.SubElement(node, "channel").text = intake.channel
    if intake.office:
        etree.SubElement(node, "office").text = intake.office
    if intake.applicant_consent:
        etree.SubElement(node, "applicantConsent").text = intake.applicant_consent
    if intake.paper_card is not None:
        card = etree.SubElement(node, "paperCard")
        etree.SubElement(card, "filledOn").text = intake.paper_card.filled_on.isoformat()
        if intake.paper_card.number:
            etree.SubElement(card, "number").text = intake.paper_card.number


# ---- reading --------------------------------------------------------------------------------------


def _read(parent: etree._Element, entries: tuple[Entry, ...]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for tag, key, kind in entries:
        if kind is None:
            value = child_text(parent, tag)
            if value is not None:
                data[key] = value
        elif isinstance(kind, Group):
            node = parent.find(tag)
            if node is not None:
                data[key] = _read(node, kind.fields)
        elif isinstance(kind, Wrapped):
            holder = parent.find(tag)
            if holder is not None:
                data[key] = [_read(item, kind.fields) for item in holder.findall(kind.item_tag)]
        else:
            items = parent.findall(tag)
            if items:
                data[key] = [_read(item, kind.fields) for item in items]
    return data


def _required(parent: etree._Element, path: str) -> str:
    value = child_text(parent, path)
    if not value:
        raise FormContractError(f"the form has no {path}")
    return value


def read_submitted_at(form: etree._Element) -> datetime:
    """``submittedAt``, which must carry its time zone."""
    text = _required(form, "submittedAt")
    try:
        instant = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise FormContractError(f"submittedAt is not a date and time: {text!r}") from exc
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise FormContractError(f"submittedAt {text!r} has no time zone; give it with its offset, e.g. +05:00")
    return instant


def _applicant(applicant: etree._Element) -> FormApplicant:
    try:
        birth_date = date.fromisoformat(child_text(applicant, "birthDate") or "")
    except ValueError as exc:
        raise FormContractError(f"applicant/birthDate is not a date: {exc}") from exc
    return FormApplicant(
        iin=_required(applicant, "iin"),
        surname=_required(applicant, "surname"),
        name=_required(applicant, "name"),
        patronymic=child_text(applicant, "patronymic"),
        birth_date=birth_date,
    )


def _representative(form: etree._Element) -> FormRepresentative | None:
    representative = form.find("legalRepresentative")
    if representative is None:
        return None
    return FormRepresentative(
        iin=_required(representative, "iin"),
        full_name=_required(representative, "fullName"),
        statement=_required(representative, "statement"),
    )


def _intake(form: etree._Element) -> Intake | None:
    node = form.find("intake")
    if node is None:
        return None
    consent = child_text(node, "applicantConsent")
    if consent is not None and consent != SIGNED_APPLICATION:
        raise FormContractError(f"intake/applicantConsent {consent!r} is not {SIGNED_APPLICATION}")
    card = node.find("paperCard")
    paper_card = None
    if card is not None:
        text = _required(card, "filledOn")
        try:
            filled_on = date.fromisoformat(text)
        except ValueError as exc:
            raise FormContractError(f"intake/paperCard/filledOn is not a date: {text!r}") from exc
        paper_card = PaperCard(filled_on, child_text(card, "number"))
    return Intake(_required(node, "channel"), child_text(node, "office"), consent, paper_card)


def read_form(form: etree._Element) -> ReadForm:
    """Read ``jobSeekerRegistrationForm``; raise :class:`FormContractError` if it is not one or lacks a
    required field. The consent counts only when it is ``true`` (or ``1``)."""
    if form.tag != FORM_TAG:
        raise FormContractError(f"expected {FORM_TAG}, found {form.tag}")
    applicant = form.find("applicant")
    if applicant is None:
        raise FormContractError("the form has no applicant")
    typed = _applicant(applicant)
    application_id = _required(form, "applicationId")
    fields = _read(applicant, APPLICANT) | _read(form, FORM_SECTIONS)
    return ReadForm(
        form=JobSeekerForm(application_id, read_submitted_at(form), fields, _intake(form)),
        applicant=typed,
        consent_to_personal_data=(child_text(form, "consentToPersonalData") or "").lower() in ("true", "1"),
        legal_representative=_representative(form),
    )
