"""Hardened XML parsing.

Exceptions::

    XmlError                (this package's root; also a ValueError)
    ├── XmlRejected         not XML we are willing to read; ``reason`` is one of too-large, empty,
    │                       malformed, dtd, too-many-attributes, too-many-elements, too-deep (:class:`XmlLimits`)
    ├── SchemaLoadError     a schema that cannot be compiled from local files
    └── _FirstViolation     (internal) stops a schema check at its first violation
"""

from adapters.xml.parser import XmlError, XmlLimits, XmlRejected, parse_xml, to_bytes
from adapters.xml.reading import child_text
from adapters.xml.schema import CompiledSchema, SchemaCheck, SchemaLoadError

__all__ = [
    "CompiledSchema",
    "SchemaCheck",
    "SchemaLoadError",
    "XmlError",
    "XmlLimits",
    "XmlRejected",
    "child_text",
    "parse_xml",
    "to_bytes",
]
