"""What the portal receives on the AsyncChannel (its IAsyncChannelClient at ``/bip-async-client/``, whose
inbox processes each messageId once) for ``ENBEK_JobSeekerRegistrationAsync``:

- RESPONSE: the centre's signed result document, verified and kept by :class:`ResultKeeper` exactly as a
  SyncChannel answer (enveloped XML-DSig, trusted chain, the centre's BIN; JS-10) -> "Done";
- NOTIFICATION: a status notice of the centre (:mod:`contracts.application_notice`, e.g. "accepted by the
  employment centre"), shown in the cabinet while the application is "In progress";
- the gateway's status change of the portal's REQUEST (``changeMassageStatusNotification``): a REQUEST the
  centre refused (NOT_DELIVERED with its code) is treated as the same fault over the SyncChannel would be
  (:mod:`mocks.portal.outcomes`: the citizen's own EDS -> "Rejected"; anything else -> the cabinet says the
  service could not be reached); DELIVERY_STOPPED likewise says so.

A message that is not from the employment centre, or whose result cannot be trusted, is refused for good
(the gateway records it NOT_DELIVERED); a repeated message changes nothing.
"""

from __future__ import annotations

import logging

from adapters.shep import ErrorCode, GatewayFault
from adapters.shep.async_envelope import payload_of
from adapters.shep.async_provider import AsyncHandler, StatusHandler
from adapters.shep.envelope import ErrorInfo
from adapters.shep.spyne_provider import ProviderError
from adapters.signatures import TransportSignature
from contracts.application_notice import NoticeError, read_notice
from contracts.async_channel import AsyncMessage, MessageState, MessageType, StatusChange
from contracts.job_seeker_form import ASYNC_SERVICE_ID
from mocks.portal.outcomes import NOTICE_UNREACHABLE, UntrustedResultError
from mocks.portal.storage import ApplicationEventRow, ApplicationStatus, PortalStore
from mocks.portal.submission import ResultKeeper

LOG = logging.getLogger(__name__)
EMPLOYMENT_SENDER = "ENBEK_LABOUR_MARKET"


def registration_answers(store: PortalStore, keeper: ResultKeeper) -> AsyncHandler:
    def handle(message: AsyncMessage, transport: TransportSignature) -> None:
        info = message.info
        if info.service_id != ASYNC_SERVICE_ID or info.sender_id != EMPLOYMENT_SENDER:
            raise ProviderError(
                ErrorCode.ACCESS_DENIED,
                f"the portal takes {ASYNC_SERVICE_ID} answers of {EMPLOYMENT_SENDER}, "
                f"not {info.service_id} from {info.sender_id}",
            )
        if info.message_type is MessageType.RESPONSE:
            try:
                keeper.keep(payload_of(message.data))
            except UntrustedResultError as exc:
                LOG.error("result on chain %s refused: %s", info.correlation_id, exc)
                raise ProviderError(exc.code, str(exc)) from exc
            return
        if info.message_type is not MessageType.NOTIFICATION:
            raise ProviderError(ErrorCode.MALFORMED, f"the portal takes no {info.message_type.value} here")
        try:
            notice = read_notice(message.data.text or "")
        except NoticeError as exc:
            raise ProviderError(ErrorCode.MALFORMED, str(exc)) from exc
        if store.application(notice.application_id) is None:
            raise ProviderError(ErrorCode.MALFORMED, f"the notice names no application {notice.application_id!r}")
        assert info.message_id is not None  # the endpoint checked
        store.add_event(
            ApplicationEventRow(
                message_id=info.message_id,
                application_id=notice.application_id,
                kind="notice",
                correlation_id=info.correlation_id,
                text=notice.text,
                at=notice.at,
            )
        )

    return handle


def request_status(store: PortalStore, keeper: ResultKeeper) -> StatusHandler:
    def on_status(change: StatusChange) -> None:
        accepted = store.event(change.message_id)
        if accepted is None and change.state in (MessageState.NOT_DELIVERED, MessageState.DELIVERY_STOPPED):
            # The gateway's receipt of the REQUEST and this final status can race (the gateway may push, be
            # refused and notify before the portal has recorded the receipt): never drop a final outcome,
            # ask the gateway to send the notification again (it retries an SCE909).
            raise ProviderError(
                ErrorCode.INTERNAL, f"message {change.message_id} is not recorded here yet; send the status again"
            )
        if accepted is None or accepted.kind != "accepted":
            return  # not a registration REQUEST of the portal: nothing to show
        row = store.application(accepted.application_id)
        if row is None or row.status != ApplicationStatus.IN_PROGRESS.value:
            return
        if change.state is MessageState.NOT_DELIVERED:
            error = GatewayFault(ErrorInfo(change.status_code, change.status_message or "", change.status_date))
            try:
                keeper.failed(row, error)
            except Exception:  # a retry or a hold: the request will not be answered; the cabinet says so
                _note(store, change, accepted.application_id, NOTICE_UNREACHABLE)
        elif change.state is MessageState.DELIVERY_STOPPED:
            _note(store, change, accepted.application_id, NOTICE_UNREACHABLE)

    return on_status


def _note(store: PortalStore, change: StatusChange, application_id: str, text: str) -> None:
    store.add_event(
        ApplicationEventRow(
            message_id=f"status:{change.notification_id}",
            application_id=application_id,
            kind="status",
            correlation_id=None,
            text=text,
            at=change.status_date,
        )
    )
