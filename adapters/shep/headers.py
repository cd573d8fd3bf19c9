"""SOAP 1.1 headers the receiver must understand (SOAP 1.1 §4.2.3, ``docs/signing.md``).

A header entry with ``soap:mustUnderstand="1"`` (or ``true``) addressed to the receiver (no ``soap:actor``, or
the actor ``.../soap/actor/next``) must be understood, or the message is refused with a ``soap:MustUnderstand``
fault. Every receiver of this project — the gateway, a system's SyncChannel provider
(:mod:`adapters.shep.provider`) and a PUSH participant's IAsyncChannelClient endpoint
(:mod:`adapters.shep.async_provider`) — understands ``wsse:Security`` only: a WS-Addressing ``wsa:Action``
marked so, for instance, is refused, and the same entry without the mark is ignored.
"""

from __future__ import annotations

from lxml import etree

from adapters.shep.envelope import SOAP_NS
from adapters.shep.errors import ShepError

WSSE_NS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
UNDERSTOOD = frozenset({f"{{{WSSE_NS}}}Security"})
NEXT_ACTOR = "http://schemas.xmlsoap.org/soap/actor/next"
MUST_UNDERSTAND_FAULT = "soap:MustUnderstand"
_TRUE, _FALSE = frozenset({"1", "true"}), frozenset({"0", "false"})


class HeaderError(ShepError, ValueError):
    """A header entry the receiver must understand and does not, or a mustUnderstand that is no boolean."""

    def __init__(self, message: str, *, not_understood: bool) -> None:
        super().__init__(message)
        self.not_understood = not_understood


def must_understand_fault_code(error: HeaderError) -> str | None:
    """The faultcode of the fault answering ``error``: ``soap:MustUnderstand`` for a header not understood, the
    usual ``soap:Client`` (None) for a mustUnderstand that is no boolean (SOAP 1.1 §4.4.1)."""
    return MUST_UNDERSTAND_FAULT if error.not_understood else None


def require_understood(envelope: etree._Element, understood: frozenset[str] = UNDERSTOOD) -> None:
    """Raise :class:`HeaderError` for the first header entry addressed to the receiver, marked mustUnderstand,
    that is not in ``understood`` (Clark names)."""
    header = envelope.find(f"{{{SOAP_NS}}}Header")
    if header is None:
        return
    for entry in header:
        if not isinstance(entry.tag, str):
            continue
        mark = entry.get(f"{{{SOAP_NS}}}mustUnderstand")
        if mark is None or entry.get(f"{{{SOAP_NS}}}actor", NEXT_ACTOR) != NEXT_ACTOR:
            continue
        value = mark.strip()
        if value in _FALSE:
            continue
        name = etree.QName(entry)
        if value not in _TRUE:
            raise HeaderError(f"soap:mustUnderstand of {name.localname} is {mark!r}, not 0 or 1", not_understood=False)
        if entry.tag not in understood:
            raise HeaderError(
                f'the header {{{name.namespace}}}{name.localname} is marked soap:mustUnderstand="1" and the '
                "receiver does not understand it (it understands wsse:Security only)",
                not_understood=True,
            )
