"""The State Social Insurance Fund told of unemployed status through the gateway
(``employment.service_layer.ports.FundNotifier``): ``unemployedStatusNotice`` on ``GFSS_UnemployedStatus``
(``contracts.unemployment_status``) — registered (the job-loss payment needs it, SP-7) or removed (DR-2: the
payment stops). The fund records a notice once per notice id (``already-recorded`` for a repeat).
Failures: :mod:`employment.adapters.gateway_calls`.
"""

from __future__ import annotations

from adapters.shep.envelope import Payload
from adapters.shep.service_call import SyncSender
from contracts.unemployment_status import (
    STATUS_SERVICE_ID,
    UnemployedStatus,
    UnemployedStatusNotice,
    UnemploymentPayloadError,
    read_receipt,
    write_notice,
)
from employment.adapters.gateway_calls import call
from employment.service_layer.ports import ExternalSystemUnavailable, UnemployedStatusChange

__all__ = ["GatewayFundNotifier", "wire_id"]

SYSTEM = "the State Social Insurance Fund"


def wire_id(notice_id: str) -> str:
    """The notice id as the contract allows it (``[A-Za-z0-9._:-]{1,64}``): the dispatch id's ``/`` as ``:``."""
    return notice_id.replace("/", ":")


class GatewayFundNotifier:
    def __init__(self, sender: SyncSender) -> None:
        self._sender = sender

    def notify(self, change: UnemployedStatusChange) -> None:
        notice_id = wire_id(change.notice_id)
        notice = UnemployedStatusNotice(
            notice_id=notice_id,
            iin=change.iin,
            status=UnemployedStatus(change.status),
            effective_on=change.effective_on,
            registered_on=change.registered_on,
            decision_id=change.decision_id,
            ground_rule_id=change.ground_rule_id,
        )
        answer = call(self._sender, STATUS_SERVICE_ID, Payload(element=write_notice(notice)), None, SYSTEM)
        try:
            receipt = read_receipt(answer)
        except UnemploymentPayloadError as exc:
            raise ExternalSystemUnavailable(SYSTEM, f"the receipt cannot be read: {exc}") from exc
        if receipt.notice_id != notice_id:
            raise ExternalSystemUnavailable(SYSTEM, f"the receipt names notice {receipt.notice_id}")
