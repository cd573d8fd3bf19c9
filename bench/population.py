"""Benchmark: the synthetic population at the registry's default size, and its look-ups.

Prints figures beside their goals; asserts nothing. Run: ``.venv/bin/python bench/population.py [SIZE]``.
Build: ``build_population(seed, size)``; write and read: the population file (mocks/population_file.py);
open: what the person registry and the fund do on first start (build, write, index) and on a later start
(read, index); look-ups: by IIN, by document number, by name and birth date, through the index.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from mocks.population import DEFAULT_SEED, build_population
from mocks.population_file import read_population_file, write_population
from mocks.population_store import PersonQuery, PopulationStore

T = TypeVar("T")


def timed(action: Callable[[], T]) -> tuple[T, float]:
    started = time.perf_counter()
    result = action()
    return result, time.perf_counter() - started


def main(size: int) -> None:
    people, built = timed(lambda: build_population.__wrapped__(DEFAULT_SEED, size))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "population.json"
        _, written = timed(lambda: write_population(path, people, seed=DEFAULT_SEED, size=size))
        _, read = timed(lambda: read_population_file(path))
        megabytes = path.stat().st_size / 1e6
        first, first_open = timed(lambda: PopulationStore.open(Path(folder) / "a", size=size))
        _, later_open = timed(lambda: PopulationStore.open(Path(folder) / "a", size=size))
        index = first.index()
        sample = random.Random(1).sample(people, 1000)
        _, by_iin = timed(lambda: [index.find(p.iin) for p in sample])
        _, by_document = timed(lambda: [index.find_by_document(p.document.number) for p in sample])
        _, by_name = timed(
            lambda: [index.search(PersonQuery(surname=p.surname, name=p.name, birth_date=p.birth_date)) for p in sample]
        )
    print(f"synthetic population of {size} people (seed {DEFAULT_SEED})")
    print(f"  build:            {built:6.2f} s   (goal: under 2 s)")
    print(f"  write the file:   {written:6.2f} s   ({megabytes:.1f} MB)")
    print(f"  read the file:    {read:6.2f} s")
    print(f"  first start:      {first_open:6.2f} s   (build, write, index; goal: under 5 s)")
    print(f"  later start:      {later_open:6.2f} s   (read, index)")
    for name, seconds in (("IIN", by_iin), ("document number", by_document), ("name and birth date", by_name)):
        print(f"  look-up by {name + ':':20s}{seconds * 1000:7.3f} ms per 1000 (goal: under 50 ms)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
