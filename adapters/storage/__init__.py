"""Storage every system shares: one engine factory, one aware datetime column type, one durable outbox, and
the row helpers of the stores (an insert that leaves a taken key alone, the leased claim of due rows).

SQLite (a file per system under the data folder) is the embedded default; PostgreSQL by URL.

Exceptions::

    StorageError                     (this package's root)
    ├── OutboxError                  an outbox operation was refused (unknown message, wrong state)
    └── DeliveryRefused              raised by a delivery function: the receiver refused for good (dead letter)
"""

from adapters.storage.engine import create_store_engine, is_postgres
from adapters.storage.errors import DeliveryRefused, OutboxError, StorageError
from adapters.storage.outbox import (
    Outbox,
    OutboxMessage,
    OutboxState,
    OutboxStats,
    RetryPolicy,
)
from adapters.storage.rows import LeasedRows, insert_new
from adapters.storage.types import AwareDateTime
from adapters.storage.worker import OutboxWorker

__all__ = [
    "AwareDateTime",
    "DeliveryRefused",
    "LeasedRows",
    "Outbox",
    "OutboxError",
    "OutboxMessage",
    "OutboxState",
    "OutboxStats",
    "OutboxWorker",
    "RetryPolicy",
    "StorageError",
    "create_store_engine",
    "insert_new",
    "is_postgres",
]
