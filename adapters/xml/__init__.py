"""Hardened XML parsing."""

from adapters.xml.parser import XmlRejected, parse_xml, to_bytes

__all__ = ["XmlRejected", "parse_xml", "to_bytes"]
