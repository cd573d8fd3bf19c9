"""The headers of the gateway's REST channel (``docs/protocol.md`` §2) and what their values may be.

A sender signs ``X-Sender-Id``, ``X-Message-Id`` and ``X-Correlation-Id`` (:data:`SENDER_SIGNED`); the gateway
adds ``X-Session-Id`` to what it signs towards the provider (:data:`GATEWAY_SIGNED`). Their values are ids:
1 to 128 visible ASCII characters (an empty ``X-Correlation-Id`` is the same as none). HTTP carries header
values as bytes; anything else is refused before the message is accepted (SCE001), never passed on.
"""

from __future__ import annotations

from collections.abc import Mapping

SENDER_ID = "x-sender-id"
MESSAGE_ID = "x-message-id"
CORRELATION_ID = "x-correlation-id"
SESSION_ID = "x-session-id"
SIGNATURE = "x-signature"

SENDER_SIGNED = (SENDER_ID, MESSAGE_ID, CORRELATION_ID)
GATEWAY_SIGNED = (*SENDER_SIGNED, SESSION_ID)
MAX_ID_LENGTH = 128
REQUIRED = (SENDER_ID, MESSAGE_ID)


def _display(name: str) -> str:
    return "-".join(part.capitalize() for part in name.split("-"))


def _is_visible_ascii(value: str) -> bool:
    return all("\x21" <= char <= "\x7e" for char in value)


def header_problem(headers: Mapping[str, str], names: tuple[str, ...] = GATEWAY_SIGNED) -> str | None:
    """What is wrong with the id headers among ``names`` (``headers`` by lower-case name), or ``None``.

    ``X-Signature`` is checked too: base64url and dots only are ASCII, so anything else is refused here."""
    for name in (*names, SIGNATURE):
        value = headers.get(name)
        if value is None or value == "":
            if name in REQUIRED:
                return f"{_display(name)} is required"
            continue
        if not value.isascii() or not _is_visible_ascii(value):
            shown = value[:40].encode("latin-1", "replace").decode("utf-8", "replace")
            return (
                f"{_display(name)} must be visible ASCII characters (letters, digits, punctuation; no spaces), "
                f"got {shown!r}; send ids in ASCII (for instance a UUID)"
            )
        if name != SIGNATURE and len(value) > MAX_ID_LENGTH:
            return f"{_display(name)} is {len(value)} characters long; at most {MAX_ID_LENGTH} are accepted"
    return None
