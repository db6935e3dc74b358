"""Run the same work in several threads at the same moment, for race tests (PostgreSQL).

Each thread gets its own database connection (closed at the end); a barrier releases them
together; an exception in any thread is raised again in the test's thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from django.db import connections

Prepared = TypeVar("Prepared")
Result = TypeVar("Result")


def run_at_once(
    work: Callable[[Prepared], Result],
    *,
    times: int = 2,
    prepare: Callable[[], Prepared] = lambda: None,  # type: ignore[assignment,return-value]
) -> list[Result]:
    """Call `prepare()` then, all threads together, `work(prepared)`, in `times` threads;
    returns the results in the order they finished."""
    barrier = threading.Barrier(times)
    results: list[Result] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            prepared = prepare()
            barrier.wait(timeout=10)
            results.append(work(prepared))
        except BaseException as exc:  # reported in the test's thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _n in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    if errors:
        raise errors[0]
    assert len(results) == times, f"{times - len(results)} thread(s) did not finish in 60 s"
    return results
