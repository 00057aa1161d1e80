"""Start work in several threads at the same instant (real row locks on PostgreSQL)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection


def race(workers: int, work: Callable[[int], object]) -> tuple[list, list[Exception]]:
    """Run ``work(i)`` in ``workers`` threads released together; results and errors."""
    barrier = threading.Barrier(workers)
    results: list = []
    errors: list[Exception] = []
    lock = threading.Lock()

    def run(index: int) -> None:
        try:
            barrier.wait()
            outcome = work(index)
            with lock:
                results.append(outcome)
        except Exception as exc:  # collected for the test to assert on
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results, errors
