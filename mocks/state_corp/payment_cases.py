"""The job-loss payment application at the State Corporation (SP-2, SP-3; regulation 004 §7-8; Social Code Arts.
113-119). One case per application, its id also the ``applicationId`` and the ``correlationId`` of every hop.

Stored first, then sent (the durable pattern of :mod:`mocks.state_corp.registration`); each step is journalled:

1. ``REQUEST_ENTERED`` (004 §7 process 2): the logged-in operator enters the applicant's IIN (and the
   representative's with the power of attorney), the documents, the IBAN and the consent
   (:mod:`mocks.state_corp.payment_entry`); an entry not well formed is refused before any case is opened.
2. ``REGISTRY_ANSWERED`` or ``STOPPED`` (process 3, condition 1, process 4; SP-2): the applicant's data are asked of
   the person registry through the gateway; with none, "data cannot be obtained" and the case stops.
3. ``SIGNED`` (process 5): the ``paymentApplication`` (channel ``STATE_CORPORATION``, the applicant as the registry
   holds them) signed with the operator's EDS.
4. ``SENT``, then ``REGISTERED`` (004 §8 process 6, SP-3) or ``SEND_FAILED``: ``GFSS_JobLossPayment`` through the
   gateway; the fund's regional workstation registers the application and answers its registration number and
   the deadline of the service. When the gateway or the fund did not answer the case is ``FAILED`` and may be
   sent again (the fund answers a repeated application id with the same receipt); any other fault ``REJECTED``.
5. ``STAGE``, ``RESULT_RECEIVED`` (004 §8 process 8), ``NOTICE_RECEIVED`` (Art. 119): on the operator's refresh
   the fund is asked (``GFSS_JobLossPaymentResult``) where the application stands; the signed decision and
   notices are verified (:mod:`mocks.state_corp.payment_results`) before they are kept and shown.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from typing import Any, NoReturn

from adapters.person_registry import RegistryPerson
from adapters.pki import Credential
from adapters.shep import GatewayFault
from adapters.shep.envelope import Payload
from adapters.shep.faults import ErrorCode
from adapters.shep.service_call import SyncSender
from adapters.shep.sync_client import GatewayUnreachable, SyncReply
from adapters.signed_documents import sign_to_text
from contracts import job_loss_payment as jl
from mocks.state_corp.operators import JOB_LOSS_PAYMENT, Operator
from mocks.state_corp.payment_entry import (
    PaymentEntry,
    PaymentEntryRefused,
    applicant_of,
    application_of,
    check_entry,
)
from mocks.state_corp.payment_results import FundVerifier, UntrustedAnswer, read_receipt, read_status
from mocks.state_corp.registration import (
    RESENDABLE,
    CaseNotFound,
    CaseNotResendable,
    RegistryFinder,
    look_up_applicant,
)
from mocks.state_corp.storage import PaymentCaseRow, StateCorpStore

LOG = logging.getLogger(__name__)

UNREACHABLE = frozenset({ErrorCode.PROVIDER_UNAVAILABLE.value})  # with no answer at all: HTTP 503, else 502


class PaymentStatus(StrEnum):
    ENTERED = "ENTERED"
    STOPPED = "STOPPED"  # SP-2: the registry has no data; nothing was sent
    SENT = "SENT"
    REGISTERED = "REGISTERED"  # the fund's regional workstation registered it (SP-3 process 6): ask for the result
    DECIDED = "DECIDED"  # the fund's signed decision is here (004 §8 process 8)
    FAILED = "FAILED"  # the registry, the gateway or the fund did not answer: may be sent again
    REJECTED = "REJECTED"  # the gateway or the fund refused the application for good


REFRESHABLE = frozenset({PaymentStatus.REGISTERED.value, PaymentStatus.DECIDED.value})


class CaseNotRefreshable(ValueError):
    pass


class RefreshFailed(Exception):
    """The fund could not be asked, or its answer cannot be shown; the case keeps what it had."""

    def __init__(self, message: str, *, unreachable: bool) -> None:
        super().__init__(message)
        self.unreachable = unreachable


class OperatorPaymentApplications:
    def __init__(
        self,
        store: StateCorpStore,
        *,
        registry: Callable[[], RegistryFinder],
        sender: Callable[[], SyncSender],
        credential_of: Callable[[str], Credential],
        verifier: FundVerifier,
        now: Callable[[], datetime],
        new_case_id: Callable[[], str] = lambda: f"GK-JLP-{uuid.uuid4()}",
    ) -> None:
        self._store = store
        self._registry = registry
        self._sender = sender
        self._credential_of = credential_of
        self._verifier = verifier
        self._now = now
        self._new_case_id = new_case_id

    # ---- SP-2: enter, look up, sign, send -----------------------------------------------------------------

    def apply(self, operator: Operator, entry: PaymentEntry) -> PaymentCaseRow:
        """Steps 1-4 of the module's docstring; the case as it ends (``STOPPED``, ``REGISTERED``, ``FAILED`` or
        ``REJECTED``). An entry the State Corporation does not accept raises before any case is opened."""
        operator.require(JOB_LOSS_PAYMENT)
        if operator.official_role is None:
            raise PaymentEntryRefused(f"the workstation holds no EDS key of operator {operator.iin}")
        now = self._now()
        check_entry(entry, now.date())
        self._check_schema(entry, now)
        case_id = self._new_case_id()
        represented = (
            f"; represented by {entry.representative.full_name} (IIN {entry.representative.iin}) under power of "
            f"attorney {entry.representative.power_of_attorney.number}"
            if entry.representative
            else ""
        )
        self._store.add_payment_case(
            PaymentCaseRow(
                case_id=case_id,
                operator_iin=operator.iin,
                applicant_iin=entry.applicant_iin,
                status=PaymentStatus.ENTERED.value,
                created_at=now,
                updated_at=now,
                entry=entry.to_json(),
            ),
            "REQUEST_ENTERED",
            f"operator {operator.full_name} (IIN {operator.iin}, {operator.branch}) entered a job-loss payment "
            f"application for IIN {entry.applicant_iin}{represented} (004 §7 process 2)",
        )
        return self._carry_on(case_id, operator)

    def _check_schema(self, entry: PaymentEntry, now: datetime) -> None:
        """The entry written with a stand-in applicant must follow ``job-loss-payment.xsd`` (sizes, forms)."""
        stand_in = jl.Applicant(entry.applicant_iin, "-", "-", None, now.date(), jl.Sex.MALE)
        try:
            jl.check_against_schema(jl.write_application(application_of("check", now, stand_in, entry)))
        except jl.JobLossPaymentPayloadError as exc:
            raise PaymentEntryRefused(f"the entry does not fit the application: {exc}") from exc

    def _carry_on(self, case_id: str, operator: Operator) -> PaymentCaseRow:
        """Steps 2-4 for a stored case with no signed application yet."""
        case = self._case(case_id)
        entry = PaymentEntry.from_json(case.entry)
        person = self._look_up(case_id, entry.applicant_iin)
        if person is None:
            return self._case(case_id)
        try:
            applicant = applicant_of(person)
        except PaymentEntryRefused as exc:
            self._failed(case_id, PaymentStatus.REJECTED, None, str(exc))
            return self._case(case_id)
        assert operator.official_role is not None  # apply checked it
        application = application_of(case_id, self._now(), applicant, entry)
        signed = sign_to_text(jl.write_application(application), self._credential_of(operator.official_role))
        self._store.update_payment_case(
            case_id,
            self._now(),
            "SIGNED",
            f"the operator signed the application of {applicant.full_name} with their EDS (004 §7 process 5)",
            signed_application=signed,
        )
        return self._send(case_id, signed)

    def _look_up(self, case_id: str, applicant_iin: str) -> RegistryPerson | None:
        """SP-2: see :func:`mocks.state_corp.registration.look_up_applicant`."""
        return look_up_applicant(
            self._registry,
            case_id,
            applicant_iin,
            self._store.update_payment_case,
            self._now,
            failed=PaymentStatus.FAILED,
            stopped=PaymentStatus.STOPPED,
        )

    def _send(self, case_id: str, signed: str) -> PaymentCaseRow:
        self._store.update_payment_case(
            case_id,
            self._now(),
            "SENT",
            f"{jl.APPLICATION_SERVICE} sent through the gateway",
            status=PaymentStatus.SENT.value,
        )
        try:
            reply = self._sender().send(jl.APPLICATION_SERVICE, Payload(text=signed), correlation_id=case_id)
            receipt = read_receipt(reply.payload, case_id)
        except GatewayFault as exc:
            code = exc.innermost_code
            status = PaymentStatus.FAILED if code in RESENDABLE else PaymentStatus.REJECTED
            self._failed(case_id, status, code, exc.error.message)
            return self._case(case_id)
        except GatewayUnreachable as exc:
            LOG.warning("payment case %s: the gateway could not be reached: %s", case_id, exc)
            self._failed(case_id, PaymentStatus.FAILED, None, "the gateway could not be reached; send the case again")
            return self._case(case_id)
        except UntrustedAnswer as exc:
            self._failed(case_id, PaymentStatus.REJECTED, exc.code, f"the fund's answer cannot be kept: {exc}")
            return self._case(case_id)
        again = " (it had registered this application before)" if receipt.already_registered else ""
        self._store.update_payment_case(
            case_id,
            self._now(),
            "REGISTERED",
            f"the fund's regional workstation registered the application as {receipt.registration_number} at "
            f"{receipt.registered_at.isoformat()}{again}; the service is due by {receipt.deadline.isoformat()} "
            "(004 §8 process 6)",
            status=PaymentStatus.REGISTERED.value,
            registration_number=receipt.registration_number,
            registered_at=receipt.registered_at,
            deadline=receipt.deadline,
            stage=jl.Stage.REGISTERED.value,
            stage_at=receipt.registered_at,
            error_code=None,
            error_message=None,
        )
        return self._case(case_id)

    def _failed(self, case_id: str, status: PaymentStatus, code: str | None, message: str) -> None:
        self._store.update_payment_case(
            case_id,
            self._now(),
            "SEND_FAILED",
            f"{code or 'no answer'}: {message}",
            status=status.value,
            error_code=code,
            error_message=message,
        )

    def resend(self, operator: Operator, case_id: str) -> PaymentCaseRow:
        """Carry a ``FAILED`` case on: the same signed application again, or, when the registry could not be asked,
        the lookup and what follows (the fund answers a repeated application id with the same receipt)."""
        operator.require(JOB_LOSS_PAYMENT)
        case = self.case_of(operator, case_id)
        if case.status != PaymentStatus.FAILED.value:
            raise CaseNotResendable(f"case {case_id} is {case.status}; only a FAILED case is sent again")
        if case.signed_application:
            return self._send(case_id, case.signed_application)
        if operator.official_role is None:
            raise PaymentEntryRefused(f"the workstation holds no EDS key of operator {operator.iin}")
        return self._carry_on(case_id, operator)

    # ---- SP-3: the result back through the operator ----------------------------------------------------

    def refresh(self, operator: Operator, case_id: str) -> PaymentCaseRow:
        """Ask the fund where the application stands (``GFSS_JobLossPaymentResult``) and keep what changed: the
        stage, and the signed decision and notices once verified. :class:`RefreshFailed` when the fund cannot be
        asked or its answer cannot be trusted (the case keeps what it had; the operator may ask again)."""
        operator.require(JOB_LOSS_PAYMENT)
        case = self.case_of(operator, case_id)
        if case.status not in REFRESHABLE:
            raise CaseNotRefreshable(
                f"case {case_id} is {case.status}; the fund is asked for the result of a REGISTERED or DECIDED case"
            )
        query = Payload(element=jl.write_status_query(jl.StatusQuery(case_id)))
        try:
            reply: SyncReply = self._sender().send(jl.RESULT_SERVICE, query, correlation_id=case_id)
            status = read_status(reply.payload, case_id)
            if not status.found:
                raise UntrustedAnswer(ErrorCode.MALFORMED.value, f"the fund has no application {case_id}")
            values, steps = self._news(case, status)
        except GatewayFault as exc:
            code = exc.innermost_code
            self._refresh_failed(case_id, code, exc.error.message, unreachable=code in UNREACHABLE)
        except GatewayUnreachable as exc:
            LOG.warning("payment case %s: the gateway could not be reached: %s", case_id, exc)
            self._refresh_failed(case_id, None, "the gateway could not be reached; ask again", unreachable=True)
        except UntrustedAnswer as exc:
            self._refresh_failed(case_id, exc.code, str(exc), unreachable=False)
        now = self._now()
        self._store.update_payment_case_steps(
            case_id, now, steps, checked_at=now, error_code=None, error_message=None, **values
        )
        return self._case(case_id)

    def _refresh_failed(self, case_id: str, code: str | None, message: str, *, unreachable: bool) -> NoReturn:
        self._store.update_payment_case(
            case_id,
            self._now(),
            "RESULT_UNAVAILABLE",
            f"{code or 'no answer'}: {message}",
            error_code=code,
            error_message=message,
        )
        raise RefreshFailed(message, unreachable=unreachable)

    def _news(self, case: PaymentCaseRow, status: jl.ApplicationStatus) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        """What the status adds to the case (its values, the steps to journal); every signed text verified first,
        so an untrusted one changes nothing."""
        now = self._now()
        values: dict[str, Any] = {}
        if status.stage is not None:
            values |= {"stage": status.stage.value, "stage_at": status.stage_at}
        if status.deadline is not None:
            values["deadline"] = status.deadline
        steps: list[tuple[str, str]] = []
        if status.stage is not None and (status.stage.value, status.stage_at) != (case.stage, case.stage_at):
            due = f"; the service is due by {status.deadline.isoformat()}" if status.deadline else ""
            at = f" at {status.stage_at.isoformat()}" if status.stage_at else ""
            steps.append(("STAGE", f"the fund reports {status.stage.value}{at}{due}"))
        decision = case.decision
        if status.signed_decision is not None and status.signed_decision != case.decision_document:
            decision = self._verifier.decision(status.signed_decision, now, case.case_id, case.applicant_iin)
            values |= {
                "decision": decision,
                "decision_document": status.signed_decision,
                "status": PaymentStatus.DECIDED.value,
            }
            steps.append(
                (
                    "RESULT_RECEIVED",
                    f"{decision['outcome']} ({decision['decisionId']}), signed by "
                    f"{decision['signedBy']['commonName']} (BIN {decision['signedBy']['bin']}); 004 §8 process 8",
                )
            )
        kept = {notice["document"] for notice in case.notices or []}
        notices = list(case.notices or [])
        for text in status.signed_notices:
            if text in kept:
                continue
            if decision is None:
                raise UntrustedAnswer(ErrorCode.MALFORMED.value, "the fund answers a notice without a decision")
            notice = self._verifier.notice(text, now, decision["decisionId"], case.applicant_iin)
            notices.append(notice)
            steps.append(
                (
                    "NOTICE_RECEIVED",
                    f"the payment is {notice['kind']} from {notice['effectiveFrom']} "
                    f"({notice['ground']['ruleId']}, {notice['ground']['article']})",
                )
            )
        if len(notices) != len(case.notices or []):
            values["notices"] = notices
        return values, steps

    def case_of(self, operator: Operator, case_id: str) -> PaymentCaseRow:
        """A payment case of ``operator``'s branch (another branch's cases are not theirs to see)."""
        case = self._store.payment_case(case_id)
        owner = self._store.operator(case.operator_iin) if case is not None else None
        if case is None or owner is None or owner.branch != operator.branch:
            raise CaseNotFound(f"no job-loss payment case {case_id} at {operator.branch}")
        return case

    def cases_of(self, operator: Operator) -> list[PaymentCaseRow]:
        """The payment cases of the operator's branch, newest first."""
        return self._store.payment_cases_of(self._store.operators_of_branch(operator.branch))

    def _case(self, case_id: str) -> PaymentCaseRow:
        case = self._store.payment_case(case_id)
        assert case is not None
        return case
