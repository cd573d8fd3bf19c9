"""The root of every exception :mod:`adapters.shep` raises (its tree is drawn in the package docstring)."""

from __future__ import annotations


class ShepError(Exception):
    """Something went wrong speaking the gateway protocol; the subclass says what."""
