"""The reference transforms each signature layer accepts; any other is refused, not skipped.

signxml applies the enveloped-signature, base64 and canonicalisation transforms it knows and silently skips
every other (``XMLVerifier._apply_transforms``): a signature naming an XSLT, XPath or XPath Filter 2.0
transform would be checked as if the transform were not there, while another verifier would run it (XSLT is
a program: CVE-class risks, denial of service). So each ``ds:Transform`` is checked against the layer's list
before verification (docs/protocol.md §4, docs/pki.md: the transport signature uses exclusive c14n; the business
signature enveloped-signature with c14n) and anything else makes the signature invalid (SCE006 / SCE016).
"""

from __future__ import annotations

from lxml import etree

from adapters.signatures.algorithms import EXCLUSIVE_C14N, INCLUSIVE_C14N
from adapters.signatures.errors import SignatureInvalid

DS_NS = "http://www.w3.org/2000/09/xmldsig#"
ENVELOPED_SIGNATURE = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"

TRANSPORT_TRANSFORMS = frozenset({EXCLUSIVE_C14N})
BUSINESS_TRANSFORMS = frozenset({ENVELOPED_SIGNATURE, INCLUSIVE_C14N, EXCLUSIVE_C14N})


def refuse_unknown_transforms(signature: etree._Element, allowed: frozenset[str], layer: str) -> None:
    """Raise :class:`SignatureInvalid` when a reference of ``signature`` names a transform not in ``allowed``."""
    for transform in signature.iterfind(f"{{{DS_NS}}}SignedInfo/{{{DS_NS}}}Reference/{{{DS_NS}}}Transforms/*"):
        algorithm = transform.get("Algorithm")
        if transform.tag != f"{{{DS_NS}}}Transform" or algorithm not in allowed:
            named = algorithm or etree.QName(transform).localname
            raise SignatureInvalid(
                f"the {layer} signature uses the transform {named}, which is refused (XSLT, XPath and any transform "
                f"not listed are never run nor skipped); allowed: {', '.join(sorted(allowed))}"
            )
