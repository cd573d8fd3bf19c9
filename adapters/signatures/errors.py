"""Errors of signature verification (see the tree in :mod:`adapters.signatures`)."""

from __future__ import annotations


class SignatureError(Exception):
    """A signature could not be accepted."""


class NotSigned(SignatureError):
    """The message or document carries no signature."""


class SignatureInvalid(SignatureError):
    """The signature is malformed, does not match the content, or its certificate is untrusted."""


class SignatureNotCurrent(SignatureError):
    """The signing certificate is expired, not yet valid, or revoked."""
