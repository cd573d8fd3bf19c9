"""The centre's IAsyncChannelClient handler: REQUESTs of ``ENBEK_JobSeekerRegistrationAsync`` PUSHed by the
gateway (``/bip-async-client/``, mounted with :func:`ecosystem.async_client.mount_async_client`, whose inbox
processes each messageId once).

One handler, two transports: the message is read by the same route as over the SyncChannel
(:mod:`employment.entrypoints.services.job_seeker_registration`: the applicant's signature verified, the
command, the handler), through a :class:`ServiceDispatcher` whose units of work also queue the AsyncChannel
answers with the decision (:mod:`employment.adapters.async_answers`). The PUSH is acknowledged once the
decision and its answers are committed; they leave through the centre's outbox.

A refusal of the message (the applicant's signature, a malformed form) is a :class:`ProviderError`: the
gateway records the REQUEST NOT_DELIVERED and tells the portal. A state system that did not answer is SCE010:
nothing was decided, and the gateway delivers the REQUEST again later.
"""

from __future__ import annotations

from collections.abc import Callable

from adapters.shep.async_envelope import payload_of
from adapters.shep.async_provider import AsyncHandler
from adapters.shep.envelope import RequestInfo
from adapters.shep.faults import ErrorCode
from adapters.shep.spyne_provider import InboundMessage, ProviderError
from adapters.signatures import TransportSignature
from adapters.xml import parse_xml
from contracts.async_channel import AsyncMessage, MessageType
from contracts.result_documents import read_application_id
from employment.entrypoints.dispatch import ServiceDispatcher


def async_requests(dispatcher: ServiceDispatcher, answered: Callable[[str, str], None]) -> AsyncHandler:
    """``answered(application_id, correlation_id)`` makes sure the RESPONSE of the chain is queued (an application
    decided before, repeated on a new chain, has its answer queued here rather than with the decision)."""

    def handle(message: AsyncMessage, transport: TransportSignature) -> None:
        info = message.info
        if info.message_type is not MessageType.REQUEST:
            raise ProviderError(
                ErrorCode.MALFORMED,
                f"the employment centre takes REQUESTs of {', '.join(dispatcher.service_ids)}, "
                f"not a {info.message_type.value}",
            )
        assert info.message_id is not None and info.correlation_id is not None  # the endpoint checked
        inbound = InboundMessage(
            info=RequestInfo(
                message_id=info.message_id,
                service_id=info.service_id,
                sender_id=info.sender_id,
                message_date=info.message_date,
                correlation_id=info.correlation_id,
                route_id=info.route_id,
                session_id=info.session_id,
                properties=dict(info.properties),
            ),
            payload=payload_of(message.data),
            transport=transport,
        )
        answer = dispatcher(inbound)
        application_id = read_application_id(parse_xml(answer.text)) if answer.text else None
        if application_id:  # the stored result document, written by this centre
            answered(application_id, info.correlation_id)

    return handle
