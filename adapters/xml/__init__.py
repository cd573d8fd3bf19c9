"""Hardened XML parsing.

Exceptions::

    XmlRejected     (this package's root; also a ValueError) not XML we are willing to read;
                    ``reason`` is one of too-large, empty, malformed, dtd
"""

from adapters.xml.parser import XmlRejected, parse_xml, to_bytes
from adapters.xml.reading import child_text

__all__ = ["XmlRejected", "child_text", "parse_xml", "to_bytes"]
