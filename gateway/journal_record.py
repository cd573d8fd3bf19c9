"""What the gateway's journal records of one message at one hop (:class:`JournalRecord`), the form the chain
stores it in (:func:`storage_form`: instants in ISO 8601, the body masked and readable), and the journal's errors.
The journal itself is :mod:`gateway.journal`, which re-exports these names."""

from __future__ import annotations

import dataclasses
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from gateway.journal_bodies import mask_headers, stored_body


@dataclass(frozen=True)
class JournalRecord:
    """What happened to one message at one hop.

    ``body`` is given as received or sent (bytes or text); the journal stores it masked and readable, with
    ``body_encoding`` and ``body_size``. ``times`` holds the instants of the exchange, ISO 8601:
    ``requestIn`` (the gateway received the request), ``requestOut`` (forwarded it to the provider),
    ``responseIn`` (got the provider's answer), ``responseOut`` (answered the sender).
    """

    at: datetime
    channel: str
    event: str  # received | rejected | delivered | provider-fault | interrupted; AsyncChannel: stored, pushed, ...
    message_id: str | None = None
    correlation_id: str | None = None
    session_id: str | None = None
    service_id: str | None = None
    sender_id: str | None = None
    receiver_id: str | None = None
    code: str | None = None
    detail: str = ""
    verified: list[str] = field(default_factory=list)
    body_sha256: str | None = None
    body: bytes | str | None = None
    headers: dict[str, str] | None = None
    times: dict[str, str] | None = None


# The instants of an exchange, as a channel traces them -> as the journal keeps them.
EXCHANGE_TIMES = {
    "request_in": "requestIn",
    "request_out": "requestOut",
    "response_in": "responseIn",
    "response_out": "responseOut",
}


def exchange_times(trace: dict[str, str | None]) -> dict[str, str]:
    """The instants of an exchange known so far, as the journal keeps them (requestIn, requestOut,
    responseIn, responseOut)."""
    return {EXCHANGE_TIMES[key]: value for key, value in trace.items() if key in EXCHANGE_TIMES and value}


class DuplicateMessage(Exception):
    """A sender's messageId was accepted before: the message is a replay."""


class NoJournal(Exception):
    """The database holds no journal (a wrong URL, or a gateway that never started on it)."""


def storage_form(record: JournalRecord) -> dict[str, Any]:
    """The record as the chain stores it: ISO instants, the body masked and readable, headers masked."""
    payload = asdict(dataclasses.replace(record, body=None)) | {"at": record.at.isoformat()}
    body: dict[str, Any] = {"body": None, "body_encoding": None, "body_size": None}
    if record.body is not None:
        body = dict(stored_body(record.body))
    payload["headers"] = mask_headers(record.headers) if record.headers is not None else None
    return payload | body
