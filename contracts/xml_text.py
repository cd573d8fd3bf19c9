"""Reading and writing the text of unqualified child elements, as every payload here does."""

from __future__ import annotations

from lxml import etree


def child_text(parent: etree._Element, path: str) -> str | None:
    """The stripped text at ``path`` under ``parent``; None when the element or its text is absent."""
    node = parent.find(path)
    if node is None or node.text is None:
        return None
    return node.text.strip()


def add_text(parent: etree._Element, tag: str, value: str | None) -> None:
    """Append ``<tag>value</tag>`` to ``parent``; nothing when ``value`` is None."""
    if value is not None:
        etree.SubElement(parent, tag).text = value
