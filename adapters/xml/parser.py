"""Parse XML from the network with secure defaults.

Every byte that arrives from another system goes through :func:`parse_xml`: a size limit first,
then an lxml parser that never resolves entities, never loads a DTD, never touches the network and keeps
libxml2's own limits (``huge_tree=False``); while it parses, a walk over its start/end events refuses a
document beyond :class:`XmlLimits` (attributes on one element, elements in all, nesting depth) as soon as
the limit is crossed, so what comes after is never read; finally a document that declares a DOCTYPE at
all is refused (entity-expansion and external-entity attacks both need one).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from lxml import etree

DEFAULT_MAX_BYTES = 1_048_576


class XmlError(ValueError):
    """Root of this package's exceptions."""


class XmlRejected(XmlError):
    """The input is not XML we are willing to read; ``reason`` is a short machine-readable word."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class XmlLimits:
    """The shape a document may have: checked while parsing, before any schema sees it."""

    max_attributes: int = 256  # on one element
    max_elements: int = 20_000  # in the whole document
    max_depth: int = 64  # the root element is at depth 1

    def __post_init__(self) -> None:
        for name in ("max_attributes", "max_elements", "max_depth"):
            if getattr(self, name) < 1:
                raise ValueError(f"XmlLimits.{name} must be at least 1, got {getattr(self, name)}")


_PARSER_OPTIONS: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": False,
    "remove_comments": False,
}


def parse_xml(
    data: bytes | str, *, max_bytes: int = DEFAULT_MAX_BYTES, limits: XmlLimits | None = None
) -> etree._Element:
    """Parse ``data`` into an element tree, or raise :class:`XmlRejected`.

    Reasons: ``too-large`` (bytes), ``empty``, ``malformed``, ``dtd``, ``too-many-attributes``,
    ``too-many-elements``, ``too-deep``.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if len(raw) > max_bytes:
        raise XmlRejected("too-large", f"message of {len(raw)} bytes exceeds the limit of {max_bytes} bytes")
    if not raw.strip():
        raise XmlRejected("empty", "the message is empty")
    root = _parse_within(raw, limits or XmlLimits())
    docinfo: Any = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise XmlRejected("dtd", "documents with a DOCTYPE (DTD, entities) are not accepted")
    return root


def _parse_within(raw: bytes, limits: XmlLimits) -> etree._Element:
    events = etree.iterparse(io.BytesIO(raw), events=("start", "end"), **_PARSER_OPTIONS)
    elements = depth = 0
    try:
        for event, element in events:
            if event == "end":
                depth -= 1
                continue
            elements += 1
            depth += 1
            if elements > limits.max_elements:
                raise XmlRejected(
                    "too-many-elements",
                    f"the document has more than {limits.max_elements} elements; send less data per message",
                )
            if depth > limits.max_depth:
                raise XmlRejected(
                    "too-deep", f"elements are nested more than {limits.max_depth} deep (at <{element.tag}>)"
                )
            if len(element.attrib) > limits.max_attributes:
                raise XmlRejected(
                    "too-many-attributes",
                    f"<{element.tag}> has {len(element.attrib)} attributes; at most {limits.max_attributes} "
                    "are accepted on one element",
                )
    except etree.XMLSyntaxError as exc:
        raise XmlRejected("malformed", f"not well-formed XML: {exc}") from exc
    root = events.root
    if root is None:
        raise XmlRejected("malformed", "not well-formed XML: no root element")
    return root


def to_bytes(element: etree._Element) -> bytes:
    """Serialise an element as UTF-8 with an XML declaration."""
    return bytes(etree.tostring(element, xml_declaration=True, encoding="UTF-8"))
