"""Hardened XML parsing."""

from adapters.xml.parser import XmlRejected, parse_xml, to_bytes
from adapters.xml.reading import child_text

__all__ = ["XmlRejected", "child_text", "parse_xml", "to_bytes"]
