"""The two XML-DSig layers of ``docs/protocol.md`` (§4 transport, §5 business data).

- :mod:`adapters.signatures.transport`: WS-Security over the SOAP Body, exclusive c14n, the sender's
  certificate in ``wsse:KeyIdentifier``; made by the sending system, checked by the gateway and receiver.
- :mod:`adapters.signatures.business`: enveloped signature of a citizen, operator or official on a form
  or result document, inclusive c14n, ``KeyInfo/X509Data/X509Certificate``.

Errors::

    SignatureError
    ├── NotSigned            (SCE007 / SCE017)
    ├── SignatureInvalid     (SCE006 / SCE016)
    ├── SignatureNotCurrent  (SCE005 / SCE015: expired, not yet valid, revoked)
    ├── MessageExpired       (SCE008: the signed wsu:Timestamp expired or is from the future)
    └── OutsideProfile       (internal: a signature the direct engine leaves to signxml; never raised out)
"""

from adapters.signatures.business import BusinessSignature, sign_document, verify_document
from adapters.signatures.errors import NotSigned, SignatureError, SignatureInvalid, SignatureNotCurrent
from adapters.signatures.transport import TransportSignature, sign_envelope, verify_envelope

__all__ = [
    "BusinessSignature",
    "NotSigned",
    "SignatureError",
    "SignatureInvalid",
    "SignatureNotCurrent",
    "TransportSignature",
    "sign_document",
    "sign_envelope",
    "verify_document",
    "verify_envelope",
]
