"""Reading values out of parsed XML (the one helper lives with the payload contracts)."""

from __future__ import annotations

from contracts.xml_text import child_text

__all__ = ["child_text"]
