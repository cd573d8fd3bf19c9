"""Group commit for the journal: the appends that arrive while one is being written go, together, into the
next transaction — one chain lock, one commit (one fsync) for all of them — and each caller returns only when
its own entry is committed, so nothing is acknowledged before it is durable.

No thread of its own: the first caller that finds no write under way becomes the writer, takes every append
waiting (at most ``max_batch``), writes them and wakes the others; one of those still waiting then writes the
next batch (leader/follower). An append that fails on its own (a replayed message) fails alone; an error of
the whole transaction (the database gone) fails every append of its batch, and none of them is recorded.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

__all__ = ["GroupCommit", "Pending"]

Item = TypeVar("Item")


@dataclass(eq=False)
class Pending(Generic[Item]):
    """One append waiting for its batch: the writer sets ``result`` or ``error``."""

    item: Item
    result: dict[str, Any] | None = None
    error: BaseException | None = None
    done: bool = field(default=False)

    def outcome(self) -> dict[str, Any]:
        if self.error is not None:
            raise self.error
        assert self.result is not None, "a written append has a result"
        return self.result


class GroupCommit(Generic[Item]):
    """Writes pending appends in batches with ``write``, which sets each one's result or error."""

    def __init__(self, write: Callable[[list[Pending[Item]]], None], *, max_batch: int = 256) -> None:
        self._write = write
        self._max_batch = max_batch
        self._changed = threading.Condition()
        self._queue: list[Pending[Item]] = []
        self._writing = False

    def submit(self, item: Item) -> dict[str, Any]:
        """Append ``item`` in the next batch; returns once it is committed (or raises its error)."""
        pending = Pending(item)
        with self._changed:
            self._queue.append(pending)
        while True:
            with self._changed:
                while not pending.done and self._writing:
                    self._changed.wait()
                if pending.done:
                    return pending.outcome()
                self._writing = True
                batch, self._queue = self._queue[: self._max_batch], self._queue[self._max_batch :]
            self._write_batch(batch)

    def _write_batch(self, batch: list[Pending[Item]]) -> None:
        try:
            self._write(batch)
        except BaseException as exc:  # the whole transaction failed: every append of the batch with it
            for waiting in batch:
                waiting.result, waiting.error = None, exc
        finally:
            with self._changed:
                for waiting in batch:
                    waiting.done = True
                self._writing = False
                self._changed.notify_all()
