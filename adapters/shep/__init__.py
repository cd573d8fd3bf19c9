"""The gateway protocol (SyncChannel, ``docs/protocol.md``) as every participant speaks it."""

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
from adapters.shep.faults import ErrorCode, GatewayFault

__all__ = [
    "EnvelopeError",
    "ErrorCode",
    "ErrorInfo",
    "GatewayFault",
    "Payload",
    "RequestInfo",
    "ResponseInfo",
    "build_fault",
    "build_request",
    "build_response",
    "build_response_element",
    "parse_fault",
    "parse_request",
    "parse_request_element",
    "parse_response",
]
