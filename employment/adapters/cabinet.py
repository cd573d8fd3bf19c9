"""The portal's personal cabinet through the gateway (``employment.service_layer.ports.Cabinet``): the centre's
director-signed notifications (UN-3: Annex 4 / Annex 5; DR-2) in the envelope ``cabinetDocumentDelivery`` of
``EGOV_CabinetDocument`` (``contracts.cabinet_delivery``), the centre as the issuer.

The kind and number the envelope announces are read from the signed document itself, so they cannot differ
from it. The portal keeps a document once per issuer and number: delivering it again changes nothing.
Failures: :mod:`employment.adapters.gateway_calls`.
"""

from __future__ import annotations

from adapters.shep.envelope import Payload
from adapters.shep.service_call import SyncSender
from adapters.xml import XmlRejected, parse_xml
from contracts.cabinet_delivery import (
    CABINET_SERVICE_ID,
    Issuer,
    delivery_of,
    read_cabinet_receipt,
    write_cabinet_delivery,
)
from contracts.register_documents import RegisterDocumentError, read_register_document
from employment.adapters.gateway_calls import call
from employment.service_layer.ports import CabinetDelivery, ExternalSystemUnavailable, PortRefused

__all__ = ["GatewayCabinet"]

SYSTEM = "the portal's personal cabinet"


class GatewayCabinet:
    def __init__(self, sender: SyncSender, issuer: Issuer) -> None:
        self._sender = sender
        self._issuer = issuer

    def deliver(self, delivery: CabinetDelivery) -> None:
        try:
            document = read_register_document(parse_xml(delivery.document))
        except (XmlRejected, RegisterDocumentError) as exc:  # the centre's own document: a bug, not a retry
            raise PortRefused(f"delivery {delivery.delivery_id}: the document cannot be read: {exc}") from exc
        if document.person.iin != delivery.iin:
            raise PortRefused(f"delivery {delivery.delivery_id}: the document is addressed to another person")
        envelope = write_cabinet_delivery(delivery_of(document, delivery.document, self._issuer))
        answer = call(self._sender, CABINET_SERVICE_ID, Payload(element=envelope), delivery.application_id, SYSTEM)
        try:
            receipt = read_cabinet_receipt(answer)
        except RegisterDocumentError as exc:
            raise ExternalSystemUnavailable(SYSTEM, f"the receipt cannot be read: {exc}") from exc
        if receipt.document_number != document.document_number:
            raise ExternalSystemUnavailable(SYSTEM, f"the receipt names {receipt.document_number}")
