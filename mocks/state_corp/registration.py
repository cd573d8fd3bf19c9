"""Registration of a job seeker at the State Corporation (JS-12, Rules No. 259 §30; the steps of regulation 004
§7-8, which the State Corporation follows for every service it passes on through the gateway).

One case per applicant served, its id also the application id and the ``correlationId`` of every hop, so the
gateway's journal shows the case whole. Each step goes to the case's journal:

1. ``REQUEST_ENTERED`` (004 §7 process 2): the logged-in operator enters the applicant's IIN, the Annex 2 data
   and that the applicant signed the paper application (standard Annex 1) with its consent; without that
   application the State Corporation refuses to accept (standard item 9), before anything is sent.
2. ``REGISTRY_ANSWERED`` or ``STOPPED`` (process 3, condition 1, process 4; SP-2): the applicant's data are asked
   of the person registry through the gateway; with none, "data cannot be obtained" and the case stops.
3. ``SIGNED`` (process 5): the registration form, the applicant's data as the registry holds them and the
   operator's, is signed with the operator's EDS.
4. ``SENT``, then ``RESULT_RECEIVED`` (004 §8 process 8) or ``SEND_FAILED``: ``ENBEK_JobSeekerRegistration``
   through the gateway; the employment centre's answer, the result signed by its director, is verified and kept
   for the operator, who hands it to the applicant. A failure a resend may cure (the gateway or the centre did
   not answer) leaves the case ``FAILED`` for :meth:`OperatorRegistrations.resend`; any other is ``REJECTED``.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from lxml import etree

from adapters.person_registry import PersonRegistryError, RegistryPerson
from adapters.pki import Credential, TrustStore
from adapters.shep import GatewayFault
from adapters.shep.envelope import Payload
from adapters.shep.faults import ErrorCode
from adapters.shep.service_call import SyncSender
from adapters.shep.sync_client import GatewayUnreachable
from adapters.signatures import SignatureError, sign_document, verify_document
from adapters.xml import XmlRejected, parse_xml
from contracts.job_seeker_form import (
    APPLICANT,
    FORM_SECTIONS,
    SCHEMA,
    SERVICE_ID,
    SIGNED_APPLICATION,
    Intake,
    JobSeekerForm,
    write_form,
)
from contracts.result_documents import ResultDocumentError, read_result_document
from contracts.schemas import schema_errors
from kernel.iin import is_valid_iin
from mocks.state_corp.operators import JOB_SEEKER_REGISTRATION, Operator
from mocks.state_corp.service import InvalidIinError, as_json, no_data_message, unavailable_message
from mocks.state_corp.storage import CaseRow, StateCorpStore

LOG = logging.getLogger(__name__)

CHANNEL = "STATE_CORPORATION"
# Faults after which nothing was decided and the same signed request may be sent again.
RESENDABLE = frozenset(
    {ErrorCode.PROVIDER_UNAVAILABLE.value, ErrorCode.INTERNAL.value, ErrorCode.REPLAY_OR_STALE.value}
)
# What the operator may fill beside the applicant's identity (standard Annex 2): the applicant's own extra fields
# and the sections of the form; the identity itself comes from the person registry.
REGISTRY_FIELDS = frozenset({"iin", "surname", "name", "patronymic", "birthDate", "gender", "citizenship"})
OPERATOR_FIELDS = frozenset(
    {key for _, key, _ in APPLICANT if key not in REGISTRY_FIELDS and key != "identityDocument"}
    | {key for _, key, _ in FORM_SECTIONS if key != "consentToPersonalData"}
)


class CaseStatus(StrEnum):
    ENTERED = "ENTERED"
    STOPPED = "STOPPED"  # SP-2: the registry has no data; nothing was sent
    SENT = "SENT"
    DONE = "DONE"  # the centre's signed result is here
    FAILED = "FAILED"  # nothing decided (the gateway or the centre did not answer): may be sent again
    REJECTED = "REJECTED"  # the centre or the gateway refused the request for good


class RegistrationRefused(ValueError):
    """The State Corporation does not accept the request as entered (nothing was sent)."""


class CaseNotFound(LookupError):
    pass


class CaseNotResendable(ValueError):
    pass


class RegistryFinder(Protocol):
    def find_by_iin(self, iin: str, correlation_id: str | None = None) -> RegistryPerson | None: ...


def look_up_applicant(
    registry: Callable[[], RegistryFinder],
    case_id: str,
    applicant_iin: str,
    update: Callable[..., None],
    now: Callable[[], datetime],
    *,
    failed: StrEnum,
    stopped: StrEnum,
) -> RegistryPerson | None:
    """SP-2 (004 §7 process 3, condition 1, process 4), the same step of every case the operator enters: the
    applicant as the person registry holds them (``REGISTRY_ANSWERED``, the person kept on the case); None when
    the case ends here: the registry has no data, "data cannot be obtained" (``STOPPED``, status ``stopped``), or
    it could not be asked (``REGISTRY_UNAVAILABLE``, status ``failed``: to be carried on again). ``update`` is
    the store's change of this kind of case with its journal step (``StateCorpStore.update_case``,
    ``update_payment_case``: case id, time, step, detail, values)."""
    try:
        person = registry().find_by_iin(applicant_iin, case_id)
    except (PersonRegistryError, GatewayUnreachable, GatewayFault) as exc:
        message = unavailable_message(exc, case_id)
        update(
            case_id,
            now(),
            "REGISTRY_UNAVAILABLE",
            message,
            status=failed.value,
            error_code=None,
            error_message=message,
        )
        return None
    if person is None:
        message = no_data_message(applicant_iin)
        update(case_id, now(), "STOPPED", message, status=stopped.value, error_message=message)
        return None
    update(
        case_id,
        now(),
        "REGISTRY_ANSWERED",
        f"the person registry holds {person.surname} {person.name}, born {person.birth_date.isoformat()}",
        person=as_json(person),
    )
    return person


def _applicant_fields(person: RegistryPerson) -> dict[str, Any]:
    """Section 1 of the form as the person registry holds the applicant (JS-4: the centre checks it again)."""
    fields: dict[str, Any] = {
        "iin": person.iin,
        "surname": person.surname,
        "name": person.name,
        "patronymic": person.patronymic,
        "gender": person.gender_code,
        "citizenship": person.citizenship_code,
        "birthDate": person.birth_date.isoformat(),
    }
    if person.document_type and person.document_number:
        fields["identityDocument"] = {
            "type": person.document_type,
            "number": person.document_number,
            "validUntil": person.document_valid_until.isoformat() if person.document_valid_until else None,
        }
    return fields


class OperatorRegistrations:
    def __init__(
        self,
        store: StateCorpStore,
        *,
        registry: Callable[[], RegistryFinder],
        sender: Callable[[], SyncSender],
        credential_of: Callable[[str], Credential],
        trust: TrustStore,
        centre_bin: str,
        now: Callable[[], datetime],
        new_case_id: Callable[[], str] = lambda: f"GK-{uuid.uuid4()}",
    ) -> None:
        self._store = store
        self._registry = registry
        self._sender = sender
        self._credential_of = credential_of
        self._trust = trust
        self._centre_bin = centre_bin
        self._now = now
        self._new_case_id = new_case_id

    def register(
        self, operator: Operator, applicant_iin: str, applicant_consent: bool, fields: Mapping[str, Any]
    ) -> CaseRow:
        """Steps 1-4 of the module's docstring; the case as it ends (``STOPPED``, ``DONE``, ``FAILED`` or
        ``REJECTED``). A request the State Corporation does not accept raises before any case is opened."""
        self._accept(operator, applicant_iin, applicant_consent, fields)
        now = self._now()
        case_id = self._new_case_id()
        self._store.add_case(
            CaseRow(
                case_id=case_id,
                service=JOB_SEEKER_REGISTRATION,
                operator_iin=operator.iin,
                applicant_iin=applicant_iin,
                status=CaseStatus.ENTERED.value,
                created_at=now,
                updated_at=now,
            ),
            "REQUEST_ENTERED",
            f"operator {operator.full_name} (IIN {operator.iin}, {operator.branch}) entered a job-seeker registration "
            f"for IIN {applicant_iin}; the applicant signed the application with their consent (standard Annex 1)",
        )
        person = self._look_up(case_id, applicant_iin)
        if person is None:
            return self._case(case_id)
        assert operator.official_role is not None  # _accept checked it
        form = self._form(case_id, now, _applicant_fields(person), operator, fields)
        signed = etree.tostring(sign_document(form, self._credential_of(operator.official_role)), encoding="unicode")
        self._store.update_case(
            case_id,
            self._now(),
            "SIGNED",
            "the operator signed the request with their EDS (004 §7 process 5)",
            signed_form=signed,
        )
        return self._send(case_id, signed)

    def _accept(
        self, operator: Operator, applicant_iin: str, applicant_consent: bool, fields: Mapping[str, Any]
    ) -> None:
        """Step 1: what the State Corporation refuses before opening a case (nothing is asked or sent)."""
        operator.require(JOB_SEEKER_REGISTRATION)
        if operator.official_role is None:
            raise RegistrationRefused(f"the workstation holds no EDS key of operator {operator.iin}")
        if not is_valid_iin(applicant_iin):
            raise InvalidIinError(f"applicantIin {applicant_iin!r} is not a valid IIN (12 digits, correct check digit)")
        if not applicant_consent:
            raise RegistrationRefused(
                "the applicant has not signed the application of standard Annex 1 with the consent to process "
                "their personal data: the set of documents is incomplete and the request is not accepted "
                "(standard item 9)"
            )
        unknown = sorted(set(fields) - OPERATOR_FIELDS)
        if unknown:
            raise RegistrationRefused(
                f"unknown fields {unknown}: the operator fills {sorted(OPERATOR_FIELDS)}; the applicant's identity "
                "comes from the person registry"
            )
        stand_in = {"iin": applicant_iin, "surname": "-", "name": "-", "birthDate": "2000-01-01"}
        errors = schema_errors(self._form("check", self._now(), stand_in, operator, fields), SCHEMA)
        if errors:
            raise RegistrationRefused(f"the form data do not match the registration form: {errors[0]}")

    def _look_up(self, case_id: str, applicant_iin: str) -> RegistryPerson | None:
        """Step 2, SP-2: see :func:`look_up_applicant`."""
        return look_up_applicant(
            self._registry,
            case_id,
            applicant_iin,
            self._store.update_case,
            self._now,
            failed=CaseStatus.FAILED,
            stopped=CaseStatus.STOPPED,
        )

    def resend(self, operator: Operator, case_id: str) -> CaseRow:
        """Send a ``FAILED`` case's signed request again (the centre answers a repeated application id with its
        first decision, so a resend never registers twice)."""
        operator.require(JOB_SEEKER_REGISTRATION)
        case = self.case_of(operator, case_id)
        if case.status != CaseStatus.FAILED.value or not case.signed_form:
            raise CaseNotResendable(
                f"case {case_id} is {case.status}; only a FAILED case with a signed request is sent again"
            )
        return self._send(case_id, case.signed_form)

    def case_of(self, operator: Operator, case_id: str) -> CaseRow:
        """A case of ``operator``'s branch (another branch's cases are not theirs to see)."""
        case = self._store.case(case_id)
        owner = self._store.operator(case.operator_iin) if case is not None else None
        if case is None or owner is None or owner.branch != operator.branch:
            raise CaseNotFound(f"no case {case_id} at {operator.branch}")
        return case

    def _form(
        self, case_id: str, now: datetime, applicant: dict[str, Any], operator: Operator, fields: Mapping[str, Any]
    ) -> etree._Element:
        return write_form(
            JobSeekerForm(
                application_id=case_id,
                submitted_at=now,
                fields={**fields, **applicant, "consentToPersonalData": True},
                intake=Intake(CHANNEL, office=operator.branch, applicant_consent=SIGNED_APPLICATION),
            )
        )

    def _send(self, case_id: str, signed_form: str) -> CaseRow:
        self._store.update_case(
            case_id, self._now(), "SENT", f"{SERVICE_ID} sent through the gateway", status=CaseStatus.SENT.value
        )
        try:
            reply = self._sender().send(SERVICE_ID, Payload(text=signed_form), correlation_id=case_id)
        except GatewayFault as exc:
            code = exc.innermost_code
            status = CaseStatus.FAILED if code in RESENDABLE else CaseStatus.REJECTED
            self._failed(case_id, status, code, exc.error.message)
            return self._case(case_id)
        except GatewayUnreachable as exc:
            LOG.warning("case %s: the gateway could not be reached: %s", case_id, exc)
            message = "the gateway could not be reached; send the case again later"
            self._failed(case_id, CaseStatus.FAILED, None, message)
            return self._case(case_id)
        self._keep(case_id, reply.payload)
        return self._case(case_id)

    def _failed(self, case_id: str, status: CaseStatus, code: str | None, message: str) -> None:
        self._store.update_case(
            case_id,
            self._now(),
            "SEND_FAILED",
            f"{code or 'no answer'}: {message}",
            status=status.value,
            error_code=code,
            error_message=message,
        )

    def _keep(self, case_id: str, payload: Payload) -> None:
        """004 §8 process 8: the result, signed by the centre's director, back to the operator."""
        text = payload.text or ""
        if not text and payload.element is not None:
            text = etree.tostring(payload.element, encoding="unicode")
        try:
            verified = verify_document(parse_xml(text), self._trust, self._now())
            if verified.signer.bin != self._centre_bin:
                raise SignatureError(
                    f"the result is signed by {verified.signer.describe()}, not by the employment centre"
                )
            result = read_result_document(verified.document)
        except (XmlRejected, SignatureError, ResultDocumentError) as exc:
            self._failed(
                case_id,
                CaseStatus.REJECTED,
                ErrorCode.BUSINESS_SIGNATURE_INVALID.value,
                f"the centre's answer cannot be trusted: {exc}",
            )
            return
        if result.application_id != case_id:
            self._failed(
                case_id,
                CaseStatus.REJECTED,
                ErrorCode.MALFORMED.value,
                f"the result names application {result.application_id}, not {case_id}",
            )
            return
        signer = verified.signer
        self._store.update_case(
            case_id,
            self._now(),
            "RESULT_RECEIVED",
            f"{result.kind.value}, signed by {signer.describe()}",
            status=CaseStatus.DONE.value,
            result_kind=result.kind.value,
            result_document=text,
            registered_on=result.registered_on.isoformat() if result.registered_on else None,
            reasons=[{"ruleId": reason.rule_id, "text": reason.text} for reason in result.reasons],
            signed_by={"commonName": signer.common_name, "iin": signer.iin, "bin": signer.bin},
            error_code=None,
            error_message=None,
        )

    def _case(self, case_id: str) -> CaseRow:
        case = self._store.case(case_id)
        assert case is not None
        return case
