"""The journal's hash chain: how an entry's hash is made, and the check that finds the first broken entry.

Each entry's hash is ``sha256(prev_hash + "\\n" + record)``, the first entry's ``prev_hash`` being
:data:`GENESIS`. The check walks the entries in ``seq`` order and stops at the first that does not belong:

- an **edited** entry: its recomputed hash differs from the stored one;
- a **removed** entry: the next one's ``seq`` skips a number and its ``prev_hash`` names a hash that is not
  its predecessor's; the **last** entries removed: the journal's head (the ``seq`` and hash of the newest
  entry, written in the same transaction as each append) names an entry that is no longer there;
- **reordered** entries (rows swapped, or their ``seq`` renumbered): an entry's ``prev_hash`` is not the
  hash of the entry before it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


def digest(prev_hash: str, record_json: str) -> str:
    return hashlib.sha256(f"{prev_hash}\n{record_json}".encode()).hexdigest()


@dataclass(frozen=True)
class ChainCheck:
    """The verdict on the whole chain; when broken, ``problem`` says how and ``broken`` is the first entry
    that does not belong (as stored: ``seq``, ``prev_hash``, ``hash`` and its record, if readable)."""

    intact: bool
    entries: int
    problem: str = ""
    broken: dict[str, Any] | None = None

    def as_json(self) -> dict[str, Any]:
        return {"intact": self.intact, "entries": self.entries, "problem": self.problem, "broken": self.broken}


def stored_entry(row: Mapping[str, Any]) -> dict[str, Any]:
    try:
        record: Any = json.loads(row["record"])
    except ValueError:
        record = row["record"]
    return {"seq": row["seq"], "prev_hash": row["prev_hash"], "hash": row["hash"], "record": record}


def check_chain(rows: Iterable[Mapping[Any, Any]], head: tuple[int, str] | None) -> ChainCheck:
    """Walk ``rows`` (seq, record, prev_hash, hash) oldest first; ``head`` is (seq, hash) of the newest entry
    as recorded at its append, read BEFORE the rows (entries appended since then follow it, and are checked
    by their links), or None for a journal that has none yet."""
    prev_hash, prev_seq, count = GENESIS, 0, 0
    last: Mapping[str, Any] | None = None
    for row in rows:
        count += 1
        seq = row["seq"]
        if row["prev_hash"] != prev_hash:
            if seq != prev_seq + 1:
                why = f"entry {seq} follows entry {prev_seq}: entries {prev_seq + 1}..{seq - 1} were removed"
            elif row["prev_hash"] == GENESIS or prev_seq == 0:
                why = f"entry {seq} does not follow the start of the chain: earlier entries were removed or moved"
            else:
                why = f"entry {seq} does not follow entry {prev_seq} (its prev_hash differs): entries were reordered"
            return ChainCheck(False, count, why + " (entry does not match the chain)", stored_entry(row))
        if digest(prev_hash, row["record"]) != row["hash"]:
            why = f"entry {seq} does not match the chain: its content was edited after it was written"
            return ChainCheck(False, count, why, stored_entry(row))
        if seq != prev_seq + 1:
            why = f"entry {seq} follows entry {prev_seq}: its seq was changed (entry does not match the chain)"
            return ChainCheck(False, count, why, stored_entry(row))
        if head is not None and seq == head[0] and row["hash"] != head[1]:
            why = f"entry {seq} is not the entry the journal's head records ({head[1][:12]}): the newest were replaced"
            return ChainCheck(False, count, why, stored_entry(row))
        prev_hash, prev_seq, last = row["hash"], seq, row
    if head is not None and head[0] > prev_seq:
        why = (
            f"the journal ends at entry {prev_seq} but its head records entry {head[0]} ({head[1][:12]}): "
            "the newest entries were removed"
        )
        return ChainCheck(False, count, why, stored_entry(last) if last is not None else None)
    return ChainCheck(True, count)
