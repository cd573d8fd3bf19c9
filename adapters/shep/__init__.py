"""The gateway protocol (SyncChannel, AsyncChannel, ``docs/protocol.md``) as every participant speaks it.

Exceptions (the module that defines each in brackets)::

    ShepError                [errors]          this package's root
    ├── EnvelopeError        [envelope]        not the SyncChannel shape (SCE001); also a ValueError
    ├── HeaderError          [headers]         a mustUnderstand header not understood (soap:MustUnderstand)
    ├── GatewayFault         [faults]          a signed SOAP fault came back; ``code`` is its SCE code
    ├── GatewayUnreachable   [sync_client]     no answer, or an answer that is not SOAP
    ├── InboxBusy            [inbox]           an AsyncChannel message is being processed by another delivery
    ├── RestChannelError     [rest_client]     the REST channel answered with an error status
    ├── ReplayRefused        [replay_guard]    a provider refuses a stale or repeated message (SCE008)
    ├── ServiceCallError     [service_call]    no usable answer to one exchange (``code`` if a fault)
    │   └── ServiceAnswerError                 the provider answered, but not with an XML document
    └── ProviderError        [spyne_provider]  a provider's handler refuses a message with a code

Clients translate what lies beneath (``httpx.HTTPError``, :class:`adapters.xml.XmlRejected`,
:class:`adapters.signatures.SignatureError`) into these with ``raise ... from``; providers answer every
other exception as a signed SCE909 fault naming only an incident number (:mod:`adapters.shep.provider`).
"""

from adapters.shep.envelope import (
    EnvelopeError,
    ErrorInfo,
    Payload,
    RequestInfo,
    ResponseInfo,
    build_fault,
    build_request,
    build_response,
    build_response_element,
    parse_fault,
    parse_request,
    parse_request_element,
    parse_response,
)
from adapters.shep.errors import ShepError
from adapters.shep.faults import ErrorCode, GatewayFault

__all__ = [
    "EnvelopeError",
    "ErrorCode",
    "ErrorInfo",
    "GatewayFault",
    "Payload",
    "RequestInfo",
    "ResponseInfo",
    "ShepError",
    "build_fault",
    "build_request",
    "build_response",
    "build_response_element",
    "parse_fault",
    "parse_request",
    "parse_request_element",
    "parse_response",
]
