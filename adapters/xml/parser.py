"""Parse XML from the network with secure defaults.

Every byte that arrives from another system goes through :func:`parse_xml`: a size limit first,
then an lxml parser that never resolves entities, never loads a DTD and never touches the network,
and finally a refusal of any document that declares a DOCTYPE at all (entity-expansion and
external-entity attacks both need one).
"""

from __future__ import annotations

from typing import Any

from lxml import etree

DEFAULT_MAX_BYTES = 1_048_576


class XmlRejected(ValueError):
    """The input is not XML we are willing to read; ``reason`` is a short machine-readable word."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=False,
    )


def parse_xml(data: bytes | str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> etree._Element:
    """Parse ``data`` into an element tree, or raise :class:`XmlRejected`."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if len(raw) > max_bytes:
        raise XmlRejected("too-large", f"message of {len(raw)} bytes exceeds the limit of {max_bytes} bytes")
    if not raw.strip():
        raise XmlRejected("empty", "the message is empty")
    try:
        root = etree.fromstring(raw, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise XmlRejected("malformed", f"not well-formed XML: {exc}") from exc
    docinfo: Any = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise XmlRejected("dtd", "documents with a DOCTYPE (DTD, entities) are not accepted")
    return root


def to_bytes(element: etree._Element) -> bytes:
    """Serialise an element as UTF-8 with an XML declaration."""
    return bytes(etree.tostring(element, xml_declaration=True, encoding="UTF-8"))
