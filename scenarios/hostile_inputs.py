"""Hostile SyncChannel payloads: the inputs that once cost the gateway minutes of CPU.

Each :class:`HostileCase` builds a GBD FL lookup payload (``GBDFL_UniversalServiceSync``) shaped to make
schema validation expensive, and says where the gateway now stops it: the hardened parser's limits
(``parser``: refused as SCE001 before any signature or schema is looked at), or the payload schema
(``schema``: refused as SCE001 at the first violation, and only for a sender allowed to call the service).
Used by the gateway's tests and by ``bench/hostile_inputs.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from lxml import etree

from contracts import gbdfl

ONE_MIB = 1_048_576


@dataclass(frozen=True)
class HostileCase:
    name: str
    description: str
    stopped_by: Literal["parser", "schema"]
    build: Callable[[], etree._Element]


def _lookup() -> etree._Element:
    """A valid lookup by IIN: the frame every hostile payload is built in."""
    root = etree.Element(gbdfl.REQUEST_TAG, nsmap={"m": gbdfl.MSG_NS})
    for tag, text in (
        ("messageId", "hostile-1"),
        ("messageDate", "2026-11-23T10:00:00+05:00"),
        ("senderCode", "ENBEK"),
        ("iin", "920314403019"),
    ):
        etree.SubElement(root, tag).text = text
    return root


def attributes_on_one_element(count: int = 4_000) -> etree._Element:
    root = _lookup()
    for number in range(count):
        root.set(f"a{number}", "x")
    return root


def attributes_spread(total_bytes: int = 25_000, per_element: int = 20) -> etree._Element:
    """About ``total_bytes`` of unexpected attributes, ``per_element`` on the lookup's own elements and
    on as many unexpected children as it takes."""
    root = _lookup()
    elements = [root, *root]
    written = 0
    number = 0
    while written < total_bytes:
        if number // per_element >= len(elements):
            elements.append(etree.SubElement(root, "extra"))
        name, value = f"u{number}", "v" * 8
        elements[number // per_element].set(name, value)
        written += len(name) + len(value) + 4
        number += 1
    return root


def nested_unexpected_elements(total_bytes: int = ONE_MIB - 16_384, depth: int = 20) -> etree._Element:
    """Unexpected elements nested ``depth`` deep, repeated until the payload is about ``total_bytes``
    (leaving room for the envelope and its signature within a 1 MiB message)."""
    root = _lookup()
    filler = "z" * 80
    written = len(etree.tostring(root))
    while True:
        group = etree.Element("nested", level="0")
        parent = group
        parent.text = filler
        for level in range(1, depth):
            parent = etree.SubElement(parent, "nested", level=str(level))
            parent.text = filler
        size = len(etree.tostring(group))
        if written + size > total_bytes:
            return root
        root.append(group)
        written += size


def tiny_elements(count: int = 100_000) -> etree._Element:
    root = _lookup()
    for _ in range(count):
        etree.SubElement(root, "t")
    return root


def deep_nesting(depth: int = 200) -> etree._Element:
    root = _lookup()
    parent = root
    for _ in range(depth):
        parent = etree.SubElement(parent, "d")
    return root


CASES: tuple[HostileCase, ...] = (
    HostileCase("attributes-4000", "4 000 attributes on one element", "parser", attributes_on_one_element),
    HostileCase("attributes-25kb", "25 KB of unexpected attributes over many elements", "schema", attributes_spread),
    HostileCase("nested-1mib", "a 1 MiB message of nested unexpected elements", "schema", nested_unexpected_elements),
    HostileCase("tiny-100000", "100 000 tiny elements", "parser", tiny_elements),
    HostileCase("deep-200", "elements nested 200 deep", "parser", deep_nesting),
)
