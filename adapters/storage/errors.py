"""The storage package's exceptions (tree in the package docstring)."""

from __future__ import annotations


class StorageError(Exception):
    """Root of the storage package's errors."""


class OutboxError(StorageError):
    """An outbox operation was refused: the message does not exist or is not in a state that allows it."""


class DeliveryRefused(StorageError):
    """Raised by a delivery function when the receiver refused the message for good: a retry cannot cure it,
    so the message goes straight to the dead-letter state."""
