"""The fund's side of ``GFSS_UnemployedStatus``: the employment centre tells the fund that a person was
registered as unemployed or removed from the register (payloads: :mod:`contracts.unemployment_status`).

The fund records it (``register_store``): a registration starts the DR-1 (1) watch of ``register_watch``;
a removal ends it and, recorded, wakes the fund's outbox worker, whose duty terminates a job-loss payment that
runs (DR-2; PE-7, Art. 119 p.2: :meth:`mocks.social_fund.service_layer.stops.PaymentStops.terminate_deregistered`).
The handler does not stop the payment itself: the record is the only thing the notice commits, so a crash after
it loses nothing (the next pass of the worker terminates). Answers ``noticeReceipt``, ``already-recorded`` for a
notice id seen before. A payload it cannot read raises
:class:`StatusNoticeError`, which the application turns into an ``SCE001`` fault; nothing is stored then.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from adapters.shep.envelope import Payload
from adapters.xml import XmlRejected
from contracts.unemployment_status import (
    NoticeReceipt,
    ReceiptOutcome,
    UnemployedStatus,
    UnemploymentPayloadError,
    read_notice,
    write_receipt,
)
from kernel.iin import is_valid_iin
from mocks.social_fund.adapters.register_store import FundRegisterStore


class StatusNoticeError(ValueError):
    """The payload is not an ``unemployedStatusNotice`` the fund can record."""


class StatusNotices:
    def __init__(
        self,
        store: FundRegisterStore,
        *,
        now: Callable[[], datetime],
        max_bytes: int,
        on_deregistered: Callable[[], None] = lambda: None,
    ) -> None:
        self._store = store
        self._on_deregistered = on_deregistered
        self._now = now
        self._max_bytes = max_bytes

    def handle(self, payload: Payload) -> Payload:
        try:
            notice = read_notice(payload.document(self._max_bytes))
        except XmlRejected as exc:
            raise StatusNoticeError(f"the payload is not acceptable XML: {exc}") from exc
        except UnemploymentPayloadError as exc:
            raise StatusNoticeError(str(exc)) from exc
        if not is_valid_iin(notice.iin):
            raise StatusNoticeError(f"unemployedStatusNotice/iin {notice.iin!r} is not a valid IIN (check digit)")
        if notice.effective_on < notice.registered_on:
            raise StatusNoticeError("unemployedStatusNotice/effectiveOn is before registeredOn")
        outcome = self._store.record_notice(notice)
        if outcome is ReceiptOutcome.RECORDED and notice.status is UnemployedStatus.DEREGISTERED:
            # PE-7 (Social Code Art. 119 p.2): the worker's duty ends the payment from the 1st of the next month.
            self._on_deregistered()
        return Payload(element=write_receipt(NoticeReceipt(notice.notice_id, self._now(), outcome)))
