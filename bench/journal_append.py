"""Benchmark: the gateway journal's append cost, on an empty journal and on one already holding 100 000 and
1 000 000 entries, on SQLite (a WAL file, as the gateway runs by default) and on PostgreSQL.

Prints figures; asserts nothing. Run: ``.venv/bin/python bench/journal_append.py [--sizes 0,100000,1000000]
[--appends 2000] [--threads 4] [--backends sqlite,postgresql]``. PostgreSQL is the server of
``EGOV_SIM_BENCH_POSTGRES_URL`` (default ``postgresql+psycopg://postgres@127.0.0.1:5432/test``): a database of
its own is created for each size and dropped afterwards; without a server only SQLite is measured.

The large journals are filled with a bulk insert of a valid chain (one hash per entry, no append path), then
the timed part is what a gateway does per message: ``accept`` a received message (its (sender, messageId) once)
and ``append`` its answer, each durable on return, from ``--threads`` threads at once. The goal (issue 9):
the cost per append stays flat up to 1 M entries.
"""

from __future__ import annotations

import argparse
import json
import secrets
import statistics
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from adapters.storage import create_store_engine
from gateway.journal import Journal, JournalRecord
from gateway.journal_chain import GENESIS, digest

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
CHUNK = 20_000
BODY = (
    "<soap:Envelope><soap:Body><SendMessage><request><requestInfo><messageId>{id}</messageId>"
    "<serviceId>GBDFL_UniversalServiceSync</serviceId></requestInfo><requestData><data>"
    + "x" * 3000
    + "</data></requestData></request></SendMessage></soap:Body></soap:Envelope>"
)


def _filler(seq: int, at: datetime) -> dict[str, object]:
    record = {"at": at.isoformat(), "channel": "sync", "event": "delivered", "message_id": f"fill-{seq}"}
    return {"seq": seq, "at": at, "record": json.dumps(record, sort_keys=True), "message_id": f"fill-{seq}"}


def fill(engine: Engine, size: int) -> None:
    """``size`` chained entries, written in bulk, and the head pointing at the last."""
    at = datetime(2026, 1, 1, tzinfo=UTC)
    prev = GENESIS
    insert = text(
        "INSERT INTO journal (seq, at, record, correlation_id, message_id, prev_hash, hash) "
        "VALUES (:seq, :at, :record, NULL, :message_id, :prev_hash, :hash)"
    )
    for start in range(1, size + 1, CHUNK):
        rows = []
        for seq in range(start, min(start + CHUNK, size + 1)):
            row = _filler(seq, at)
            row["prev_hash"], row["hash"] = prev, digest(prev, str(row["record"]))
            prev = str(row["hash"])
            rows.append(row)
        with engine.begin() as connection:
            connection.execute(insert, rows)
    with engine.begin() as connection:
        connection.execute(text("UPDATE journal_head SET seq = :seq, hash = :hash"), {"seq": size, "hash": prev})
        if engine.dialect.name == "postgresql" and size:
            connection.execute(text("SELECT setval(pg_get_serial_sequence('journal', 'seq'), :seq)"), {"seq": size})
            connection.execute(text("ANALYZE journal"))


def measure(journal: Journal, appends: int, threads: int) -> tuple[float, list[float]]:
    """Entries per second and each append's latency (s): half accepts, half answers, from ``threads``."""
    per_thread = appends // (2 * threads)
    latencies: list[float] = []
    failures: list[BaseException] = []
    lock = threading.Lock()
    barrier = threading.Barrier(threads + 1)

    def run(thread: int) -> None:
        mine: list[float] = []
        barrier.wait()
        try:
            journal_messages(thread, mine)
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)
        with lock:
            latencies.extend(mine)

    def journal_messages(thread: int, mine: list[float]) -> None:
        for number in range(per_thread):
            message_id = f"bench-{thread}-{number}-{secrets.token_hex(4)}"
            base = JournalRecord(
                at=datetime.now(UTC),
                channel="sync",
                event="received",
                message_id=message_id,
                sender_id="bench",
                body=BODY.format(id=message_id),
            )
            began = time.perf_counter()
            journal.accept(base)
            mine.append(time.perf_counter() - began)
            began = time.perf_counter()
            journal.append(JournalRecord(**{**base.__dict__, "event": "delivered"}))
            mine.append(time.perf_counter() - began)

    workers = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    barrier.wait()
    started = time.perf_counter()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    if failures:
        raise failures[0]
    return len(latencies) / elapsed, sorted(latencies)


@contextmanager
def sqlite_url(_size: int) -> Iterator[str]:
    with tempfile.TemporaryDirectory() as folder:
        yield f"sqlite:///{Path(folder) / 'gateway.sqlite'}"


@contextmanager
def postgres_url(_size: int, admin_url: str) -> Iterator[str]:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"egov_sim_bench_{secrets.token_hex(4)}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def postgres_available(admin_url: str) -> bool:
    try:
        engine = create_engine(admin_url, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:  # no server here: SQLite only
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="0,100000,1000000")
    parser.add_argument("--appends", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--postgres", default=None, help="admin URL of the PostgreSQL server")
    args = parser.parse_args()
    import os

    admin_url = args.postgres or os.environ.get("EGOV_SIM_BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
    sizes = [int(size) for size in args.sizes.split(",")]
    print(f"journal append: {args.appends} appends (accept + answer) from {args.threads} threads per run")
    print("goal: cost per append flat to 1 M entries (issue 9)")
    for backend in args.backends.split(","):
        if backend == "postgresql" and not postgres_available(admin_url):
            print(f"  {backend}: no server at {make_url(admin_url).render_as_string(hide_password=True)}, skipped")
            continue
        baseline: float | None = None
        for size in sizes:
            place = sqlite_url(size) if backend == "sqlite" else postgres_url(size, admin_url)
            with place as url:
                journal = Journal(create_store_engine(url))
                began = time.perf_counter()
                fill(journal.engine, size)
                filled = time.perf_counter() - began
                rate, latencies = measure(journal, args.appends, args.threads)
                journal.dispose()
            mean = statistics.fmean(latencies) * 1000
            p50 = latencies[len(latencies) // 2] * 1000
            p95 = latencies[int(0.95 * (len(latencies) - 1))] * 1000
            cost = 1000 / rate
            baseline = baseline if baseline is not None else cost
            print(
                f"  {backend:<10} {size:>9,} entries (filled in {filled:5.1f} s): {rate:7.0f} entries/s, "
                f"{cost:5.2f} ms per append (x{cost / baseline:4.2f} of empty; goal: flat), "
                f"latency mean {mean:5.2f} ms, p50 {p50:5.2f} ms, p95 {p95:5.2f} ms"
            )


if __name__ == "__main__":
    main()
