"""The journal's tables: the hash-chained entries, the accepted (sender, messageId) pairs, the chain's head
and how far the last start's sweep for interrupted exchanges read (:mod:`gateway.journal`).

Every append reads and writes only the head's one row and inserts into indexed tables: its cost does not
grow with the journal (``bench/journal_append.py``).
"""

from __future__ import annotations

from sqlalchemy import Column, Integer, MetaData, String, Table, Text

from adapters.storage import AwareDateTime


def journal_tables() -> tuple[MetaData, Table, Table, Table, Table]:
    metadata = MetaData()
    table = Table(
        "journal",
        metadata,
        Column("seq", Integer, primary_key=True, autoincrement=True),
        Column("at", AwareDateTime(), nullable=False),
        Column("record", Text, nullable=False),
        Column("correlation_id", String(128), index=True),
        Column("message_id", String(128), index=True),
        Column("prev_hash", String(64), nullable=False),
        Column("hash", String(64), nullable=False, unique=True),
    )
    accepted = Table(
        "accepted_messages",
        metadata,
        Column("sender_id", String(128), primary_key=True),
        Column("message_id", String(128), primary_key=True),
        Column("journal_hash", String(64), nullable=False),
    )
    # The newest entry, rewritten in each append's transaction: removing the last entries shows.
    head = Table(
        "journal_head",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=False),
        Column("seq", Integer, nullable=False),
        Column("hash", String(64), nullable=False),
    )
    # How far the last start's sweep for interrupted exchanges read: the next start reads only what follows.
    sweep = Table(
        "journal_sweep",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=False),
        Column("seq", Integer, nullable=False),
    )
    return metadata, table, accepted, head, sweep
