"""The base of every contract error."""

from __future__ import annotations


class PayloadError(ValueError):
    """A payload does not follow its contract; the message names the element and what is wrong with it."""
