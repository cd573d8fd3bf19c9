"""Key purposes of the national certifying centre, and who may make a system's transport signature.

docs/protocol.md §4, docs/pki.md: the key-purpose OIDs (``1.2.398.3.3.4.1.1`` individual, ``.1.2`` organisation,
``.2.1`` first head, ``.2.2`` may sign, ``.2.5`` employee) are carried in the extended key usage; information
systems hold their own transport certificates. A system's transport signature (WS-Security on the
SyncChannel and the AsyncChannel, the REST channel's ``X-Signature``) must therefore be made with an
organisation certificate (purpose ``1.2.398.3.3.4.1.2``) naming the system's BIN in ``OU``: an official's
personal certificate of the same organisation (same BIN, individual purpose) does not speak for the system.
"""

from __future__ import annotations

from enum import Enum

from adapters.pki.certificates import CertificateSubject


class KeyPurpose(str, Enum):
    """Key-purpose OIDs of the national certifying centre (docs/protocol.md §4, docs/pki.md)."""

    INDIVIDUAL = "1.2.398.3.3.4.1.1"
    ORGANISATION = "1.2.398.3.3.4.1.2"
    FIRST_HEAD = "1.2.398.3.3.4.2.1"
    MAY_SIGN = "1.2.398.3.3.4.2.2"
    EMPLOYEE = "1.2.398.3.3.4.2.5"


_NAMES = {
    KeyPurpose.INDIVIDUAL.value: "individual",
    KeyPurpose.ORGANISATION.value: "organisation",
    KeyPurpose.FIRST_HEAD.value: "first head",
    KeyPurpose.MAY_SIGN.value: "may sign",
    KeyPurpose.EMPLOYEE.value: "employee",
}


def describe_purposes(signer: CertificateSubject) -> str:
    """The certificate's key purposes of the NCA, named (``none`` when it carries none of them)."""
    named = [f"{_NAMES[oid]} {oid}" for oid in sorted(signer.purposes) if oid in _NAMES]
    return ", ".join(named) if named else "none"


def system_signer_problem(signer: CertificateSubject, bin_: str) -> str | None:
    """Why ``signer`` cannot have made the transport signature of the system of BIN ``bin_``; None if it can.

    docs/protocol.md §4, docs/pki.md: the certificate must be an organisation certificate (key purpose
    ``1.2.398.3.3.4.1.2``) whose ``OU`` names ``BIN`` + ``bin_``.
    """
    if signer.bin != bin_:
        return f"the signature is made by {signer.describe()}, not with a certificate of BIN {bin_}"
    if KeyPurpose.ORGANISATION.value not in signer.purposes:
        return (
            f"the certificate of {signer.describe()} is not an organisation certificate (its key purposes: "
            f"{describe_purposes(signer)}; needed: organisation {KeyPurpose.ORGANISATION.value}): a system signs "
            "with its own transport certificate, not with an official's personal one"
        )
    return None
