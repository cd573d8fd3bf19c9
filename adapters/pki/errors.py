"""The root of every exception :mod:`adapters.pki` raises, and the credential errors (tree in the package docstring)."""

from __future__ import annotations


class PkiError(Exception):
    """A certificate or a credential cannot be used; the subclass says why."""


class CredentialMissing(PkiError, FileNotFoundError):
    """A key/certificate pair or the test PKI is not on disk (run ``egov-sim pki init``)."""


class CredentialUnusable(PkiError, ValueError):
    """A key file holds a key this project cannot sign with."""


class RevocationSourceUnusable(PkiError):
    """An OCSP responder or a CRL could not give a usable answer (the message says why); the revocation check
    then tries the next source, and fails closed (or soft) when none answers."""
