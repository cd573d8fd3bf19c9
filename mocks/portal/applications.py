"""The portal's job-seeker registration service and the personal cabinet (JS-10, JS-1 of docs/rules.md;
portal user guide).

JS-10: the applicant fills the registration data form (standard Annex 2), signs it with their EDS, the
signed form is sent, and the cabinet shows "In progress" until the result document — signed by the
employment centre's director — arrives and the status becomes "Done". Here:

1. :func:`build_form` writes the form as ``jobSeekerRegistrationForm`` (:mod:`contracts.job_seeker_form`),
   with the applicant's IIN taken from the login session, never from the input;
2. :class:`JobSeekerApplications` checks what the schema cannot (consent of standard Annex 1, salary
   range, the legal representative's IIN of JS-1), validates the form against the contract, signs it
   with the citizen's key (the stand-in for the citizen's signing tool), refuses it at the door if the
   message would exceed the gateway's ``max_message_bytes``, and stores it IN_PROGRESS with its outbox
   message in one transaction before the portal answers; :mod:`mocks.portal.submission` sends it.

The cabinet shows plain words only: a rejection's code with a sentence the citizen can act on, and for an
application whose delivery is delayed or stuck a notice (:func:`mocks.portal.outcomes.delivery_notice`);
the technical wording of faults stays in the admin API and the log.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from lxml import etree

from adapters.pki import Credential
from adapters.signatures import sign_document
from adapters.storage import Outbox, OutboxMessage
from contracts.job_seeker_form import SCHEMA as FORM_SCHEMA
from contracts.job_seeker_form import JobSeekerForm, write_form
from contracts.schemas import schema_errors
from kernel.clock import almaty
from kernel.iin import is_valid_iin
from mocks.portal.outcomes import delivery_notice
from mocks.portal.storage import (
    DELIVERY_EVENTS,
    DELIVERY_TOPIC,
    JOB_SEEKER_SERVICE,
    SERVICE_TOPICS,
    ApplicationEventRow,
    ApplicationRow,
    ApplicationStatus,
    PortalStore,
)

SERVICE_NAME = JOB_SEEKER_SERVICE
SERVICE_TITLE = "Registration as a person seeking work"

# The statuses the applicant sees in the personal cabinet (portal user guide; JS-10, JS-11).
STATUS_LABELS = {
    ApplicationStatus.AWAITING_CONFIRMATION: "Awaiting your confirmation",
    ApplicationStatus.CANCELLED: "Cancelled",
    ApplicationStatus.IN_PROGRESS: "In progress",
    ApplicationStatus.DONE: "Done",
    ApplicationStatus.REJECTED: "Rejected",
}


class FormRejectedError(ValueError):
    """The form cannot be accepted as filled; the message says what to correct."""


class FormTooLargeError(FormRejectedError):
    """The signed form would make a message larger than the gateway accepts."""


class NoSigningKeyError(Exception):
    """JS-10: the applicant must have an EDS; this citizen has no key and certificate."""


class ApplicationNotFoundError(LookupError):
    """No application with this id belongs to the citizen."""


def build_form(iin: str, application_id: str, submitted_at: datetime, form: Mapping[str, Any]) -> etree._Element:
    """The unsigned ``jobSeekerRegistrationForm`` (standard Annex 2 + Annex 1 consent + JS-1 representative).

    ``form`` is the JSON of the portal's request: applicant fields at the top level (``surname``,
    ``birthDate``, ...), the other sections as objects or lists named as in the XSD; ``wantedProfession``
    is a shortcut for ``wantedWork.profession``; ``drivingLicence`` is the categories string.
    """
    data = dict(form)
    wanted = dict(data.get("wantedWork") or {})
    if data.get("wantedProfession") and not wanted.get("profession"):
        wanted["profession"] = data["wantedProfession"]
    data["wantedWork"] = wanted
    if isinstance(data.get("drivingLicence"), str):
        data["drivingLicence"] = {"categories": data["drivingLicence"]}
    return write_form(JobSeekerForm(application_id, submitted_at, data | {"iin": iin}))


# ---- what the cabinet shows ------------------------------------------------------------------------


@dataclass(frozen=True)
class SignedBy:
    common_name: str
    iin: str | None
    bin: str | None


@dataclass(frozen=True)
class ResultView:
    kind: str  # registered | refused | not-accepted | certificate | certificate-refused
    document_xml: str
    signed_by: SignedBy


@dataclass(frozen=True)
class ErrorView:
    code: str
    message: str


@dataclass(frozen=True)
class ApplicationView:
    application_id: str
    service: str
    status: ApplicationStatus
    submitted_at: datetime
    finished_at: datetime | None
    result: ResultView | None
    error: ErrorView | None
    notice: str | None = None
    registered_address: str | None = None  # JS-11: what the applicant was asked to agree to

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def view_of(
    row: ApplicationRow, delivery: OutboxMessage | None = None, events: Sequence[ApplicationEventRow] = ()
) -> ApplicationView:
    """What the cabinet shows of one application; ``delivery`` is its outbox message, ``events`` what the
    AsyncChannel said of it ("request accepted", the centre's status notices), if looked up: while it is "In
    progress", a delayed or failed delivery is shown first, else the latest event."""
    result = None
    if row.result_kind and row.result_document:
        signer = SignedBy(row.signer_common_name or "", row.signer_iin, row.signer_bin)
        result = ResultView(row.result_kind, row.result_document, signer)
    error = ErrorView(row.error_code, row.error_message or "") if row.error_code else None
    status = ApplicationStatus(row.status)
    notice = None
    if status is ApplicationStatus.IN_PROGRESS:
        sent = [event for event in events if event.kind in DELIVERY_EVENTS]
        notice = delivery_notice(delivery) or (sent[-1].text if sent else None)
    elif status in (ApplicationStatus.AWAITING_CONFIRMATION, ApplicationStatus.CANCELLED):
        notice = events[-1].text if events else None
    return ApplicationView(
        row.id, row.service, status, row.submitted_at, row.finished_at, result, error, notice, row.registered_address
    )


# ---- the service -----------------------------------------------------------------------------------


class JobSeekerApplications:
    """Accept, sign and store job-seeker registration forms; show them in the cabinet (JS-10)."""

    def __init__(
        self,
        store: PortalStore,
        outbox: Outbox,
        citizen_credential: Callable[[str], Credential],
        now: Callable[[], datetime],
        *,
        on_submitted: Callable[[], None] = lambda: None,
        message_size: Callable[[str, str], int] | None = None,
        max_message_bytes: int | None = None,
    ) -> None:
        """``message_size(application_id, signed_form)`` is the size of the message the gateway would
        receive; a form whose message exceeds ``max_message_bytes`` is refused at the door."""
        self._store = store
        self._outbox = outbox
        self._message_size = message_size
        self._max_message_bytes = max_message_bytes
        self._credential = citizen_credential
        self._now = now
        self._on_submitted = on_submitted

    @staticmethod
    def _check(iin: str, form: Mapping[str, Any]) -> None:
        """What the schema cannot express (docs/contracts.md)."""
        if form.get("consentToPersonalData") is not True:
            raise FormRejectedError(
                "consentToPersonalData must be true: the form is accepted only with the consent to collect "
                "and process personal data (standard Annex 1)"
            )
        wanted = form.get("wantedWork") or {}
        low, high = wanted.get("salaryMin"), wanted.get("salaryMax")
        if low is not None and high is not None and float(low) > float(high):
            raise FormRejectedError(f"wantedWork.salaryMin ({low}) is above salaryMax ({high})")
        representative = form.get("legalRepresentative")
        if representative:
            rep_iin = str(representative.get("iin", ""))
            if not is_valid_iin(rep_iin):
                raise FormRejectedError(f"legalRepresentative.iin {rep_iin!r} has a wrong check digit")
            if rep_iin == iin:
                raise FormRejectedError("the legal representative (JS-1) cannot be the applicant")

    @staticmethod
    def new_application_id(at: datetime) -> str:
        return f"EGOV-JS-{at:%Y}-{uuid.uuid4().hex[:12].upper()}"

    def check_form(self, iin: str, application_id: str, at: datetime, form: Mapping[str, Any]) -> etree._Element:
        """The unsigned form, checked: what the schema cannot express, then the schema."""
        self._check(iin, form)
        unsigned = build_form(iin, application_id, at, form)
        errors = schema_errors(unsigned, FORM_SCHEMA)
        if errors:
            raise FormRejectedError(f"the form does not match {FORM_SCHEMA}: {'; '.join(errors[:5])}")
        return unsigned

    def sign_form(self, iin: str, application_id: str, at: datetime, form: Mapping[str, Any]) -> str:
        """The form checked, signed with the applicant's key (JS-10) and within the gateway's message size."""
        unsigned = self.check_form(iin, application_id, at, form)
        try:
            credential = self._credential(iin)
        except FileNotFoundError as exc:
            raise NoSigningKeyError(
                f"citizen {iin} has no EDS key and certificate; the service needs the applicant's EDS (JS-10)"
            ) from exc
        signed_form = etree.tostring(sign_document(unsigned, credential), encoding="unicode")
        self._check_size(application_id, signed_form)
        return signed_form

    def submit(self, iin: str, form: Mapping[str, Any]) -> ApplicationView:
        """Build, check, sign and durably store the application at once; then wake the outbox. Through the
        HTTP API an application is sent only after the applicant agreed to their registered address (JS-11,
        :mod:`mocks.portal.address_confirmation`, which signs with :meth:`sign_form`)."""
        now = self._now().astimezone(almaty())
        application_id = self.new_application_id(now)
        signed_form = self.sign_form(iin, application_id, now, form)
        row = ApplicationRow(
            id=application_id,
            iin=iin,
            service=SERVICE_NAME,
            status=ApplicationStatus.IN_PROGRESS.value,
            submitted_at=now.replace(microsecond=0),
            signed_form=signed_form,
        )
        self._store.add_application(row, self._outbox)
        self._on_submitted()
        return view_of(row)

    def _check_size(self, application_id: str, signed_form: str) -> None:
        if self._message_size is None or self._max_message_bytes is None:
            return
        size = self._message_size(application_id, signed_form)
        if size > self._max_message_bytes:
            raise FormTooLargeError(
                f"the signed application would be a message of {size} bytes, more than the "
                f"{self._max_message_bytes} bytes the gateway accepts; shorten the longest texts "
                "(work history, duties, skills) or send fewer entries"
            )

    def _view(self, row: ApplicationRow) -> ApplicationView:
        if row.status in (ApplicationStatus.DONE.value, ApplicationStatus.REJECTED.value):
            return view_of(row)
        if row.status != ApplicationStatus.IN_PROGRESS.value:
            return view_of(row, events=self._store.events_of(row.id))
        topic = SERVICE_TOPICS.get(row.service, DELIVERY_TOPIC)
        return view_of(row, self._outbox.find(topic, row.id), self._store.events_of(row.id))

    def cabinet(self, iin: str) -> list[ApplicationView]:
        return [self._view(row) for row in self._store.applications_of(iin)]

    def cabinet_entry(self, iin: str, application_id: str) -> ApplicationView:
        row = self._store.application(application_id)
        if row is None or row.iin != iin:
            raise ApplicationNotFoundError(f"you have no application {application_id!r}")
        return self._view(row)

    def application(self, application_id: str) -> ApplicationRow:
        """The stored application, for the admin API."""
        row = self._store.application(application_id)
        if row is None:
            raise ApplicationNotFoundError(f"no application {application_id!r}")
        return row

    def signed_form(self, application_id: str) -> str | None:
        return self.application(application_id).signed_form
