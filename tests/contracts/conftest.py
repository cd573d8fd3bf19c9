"""Helpers of the contract tests: what travels on the wire is the serialised element, so every round trip
serialises and parses again before it validates and reads."""

from __future__ import annotations

from lxml import etree


def on_the_wire(element: etree._Element) -> etree._Element:
    """``element`` as the other end parses it."""
    return etree.fromstring(etree.tostring(element, xml_declaration=True, encoding="UTF-8"))
