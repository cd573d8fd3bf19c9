"""Reading values out of parsed XML."""

from __future__ import annotations

from lxml import etree


def child_text(parent: etree._Element, path: str) -> str | None:
    """The stripped text at ``path`` under ``parent``; None when the element or its text is absent."""
    node = parent.find(path)
    if node is None or node.text is None:
        return None
    return node.text.strip()
