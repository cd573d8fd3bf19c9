"""The hardened parser's shape limits: attributes on one element, elements in all, nesting depth."""

from __future__ import annotations

import pytest

from adapters.xml import XmlLimits, XmlRejected, parse_xml
from ecosystem.settings import Settings

SMALL = XmlLimits(max_attributes=3, max_elements=10, max_depth=4)


def _attributes(count: int) -> bytes:
    return b"<r " + b" ".join(b'a%d="x"' % n for n in range(count)) + b"/>"


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        (_attributes(4), "too-many-attributes"),
        (b"<r>" + b"<e/>" * 10 + b"</r>", "too-many-elements"),
        (b"<a>" * 5 + b"</a>" * 5, "too-deep"),
        (b'<!DOCTYPE r [<!ENTITY x "y">]><r>&x;</r>', "dtd"),
        (b"<r><e></r>", "malformed"),
    ],
)
def test_a_document_beyond_a_limit_is_refused_with_its_reason(document: bytes, reason: str) -> None:
    with pytest.raises(XmlRejected) as refused:
        parse_xml(document, limits=SMALL)
    assert refused.value.reason == reason


@pytest.mark.parametrize(
    "document",
    [_attributes(3), b"<r>" + b"<e/>" * 9 + b"</r>", b"<a>" * 4 + b"</a>" * 4, b"<r><!-- note --><e a='1'/></r>"],
)
def test_a_document_at_the_limits_is_read(document: bytes) -> None:
    assert parse_xml(document, limits=SMALL).tag in ("r", "a")


def test_the_parser_stops_reading_at_the_limit() -> None:
    """What follows the element that crossed a limit is never read: its broken tail goes unnoticed."""
    with pytest.raises(XmlRejected) as refused:
        parse_xml(b"<r>" + b"<e/>" * 20_001 + b"<broken></r>")
    assert refused.value.reason == "too-many-elements"


def test_the_defaults_are_those_of_the_settings() -> None:
    settings = Settings()
    assert XmlLimits() == XmlLimits(settings.max_xml_attributes, settings.max_xml_elements, settings.max_xml_depth)
    assert XmlLimits() == XmlLimits(max_attributes=256, max_elements=20_000, max_depth=64)


def test_a_limit_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="max_depth must be at least 1"):
        XmlLimits(max_depth=0)
