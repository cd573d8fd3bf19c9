"""The signed ``wsu:Timestamp`` of a WS-Security header (WS-Security 1.0 §10, ``docs/signing.md``).

A sender may put a ``wsu:Timestamp`` (``wsu:Created``, ``wsu:Expires``) into ``wsse:Security`` and sign it
beside the Body, as most SOAP stacks do. The receiver reads it from the signed content and refuses, on its
own clock: a message whose ``Expires`` has passed, or created more than :data:`FUTURE_SKEW` ahead of its time
(a clock too far ahead, or a made-up date). A Timestamp the signature does not cover is refused: unsigned, it
proves nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from lxml import etree

from adapters.signatures.errors import MessageExpired, SignatureInvalid
from adapters.signatures.tokens import WSU_NS

FUTURE_SKEW = timedelta(seconds=60)
TIMESTAMP = f"{{{WSU_NS}}}Timestamp"


def _instant(timestamp: etree._Element, name: str) -> datetime | None:
    elements = timestamp.findall(f"{{{WSU_NS}}}{name}")
    if len(elements) > 1:
        raise SignatureInvalid(f"wsu:Timestamp has more than one wsu:{name}")
    if not elements:
        return None
    text = (elements[0].text or "").strip()
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise SignatureInvalid(f"wsu:{name} {text[:40]!r} is not an xs:dateTime") from exc
    if value.tzinfo is None:
        raise SignatureInvalid(f"wsu:{name} {text!r} has no time zone (write it in UTC, ending in Z)")
    return value


def check_timestamp(timestamp: etree._Element, at: datetime) -> None:
    """Refuse the signed ``timestamp`` at time ``at`` if it has expired or was created in the future."""
    created = _instant(timestamp, "Created")
    expires = _instant(timestamp, "Expires")
    if created is not None and expires is not None and expires <= created:
        raise SignatureInvalid(f"wsu:Timestamp expires ({expires.isoformat()}) before it is created")
    if created is not None and created > at + FUTURE_SKEW:
        raise MessageExpired(
            f"wsu:Timestamp was created at {created.isoformat()}, ahead of the receiver's time {at.isoformat()} "
            f"by more than {int(FUTURE_SKEW.total_seconds())} s"
        )
    if expires is not None and expires <= at:
        raise MessageExpired(
            f"wsu:Timestamp expired at {expires.isoformat()}; the receiver's time is {at.isoformat()}: "
            "send the message again with a new Timestamp"
        )
