"""Hardened XML parsing.

Exceptions::

    XmlRejected     (this package's root; also a ValueError) not XML we are willing to read;
                    ``reason`` is one of too-large, empty, malformed, dtd, too-many-attributes,
                    too-many-elements, too-deep (the :class:`XmlLimits`)
"""

from adapters.xml.parser import XmlLimits, XmlRejected, parse_xml, to_bytes
from adapters.xml.reading import child_text
from adapters.xml.schema import CompiledSchema, SchemaCheck

__all__ = ["CompiledSchema", "SchemaCheck", "XmlLimits", "XmlRejected", "child_text", "parse_xml", "to_bytes"]
