"""Work run in a forked process while the caller goes on: the child starts with the parent's
memory (a loaded world-size table is shared, not copied or sent) and sends back a small result.

A process forked while another thread runs may inherit a lock that thread held, and hang on
it; so where other threads run (``mkdocs serve``'s server), or where processes cannot be
forked, the work runs in the caller when its result is asked for.
"""

from __future__ import annotations

import multiprocessing
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, Generic, TypeVar

T = TypeVar("T")


def own_peak_rss_mb() -> float:
    """This process's peak memory since it started (Linux: VmHWM; a forked child's counts the
    pages it shares with its parent)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


class Forked(Generic[T]):
    """``work()`` in a child process; :meth:`result` waits for what it returned or raises."""

    def __init__(self, name: str, work: Callable[[], T]) -> None:
        self.name, self.work = name, work
        self.peak_rss_mb = 0.0
        self.process: Any = None
        if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
            context = multiprocessing.get_context("fork")
            self.connection, sending = context.Pipe(duplex=False)
            self.process = context.Process(target=self._run, args=(sending,), name=name, daemon=True)
            self.process.start()
            sending.close()

    def _run(self, connection: Any) -> None:
        try:
            value = self.work()
        except BaseException:
            connection.send(("failed", traceback.format_exc(), 0.0))
        else:
            connection.send(("done", value, own_peak_rss_mb()))
        finally:
            connection.close()

    def result(self) -> T:
        if self.process is None:
            return self.work()
        try:
            status, value, self.peak_rss_mb = self.connection.recv()
        except EOFError:
            self.process.join()
            status, value = "failed", f"its process stopped (exit code {self.process.exitcode})"
        self.process.join()
        if status != "done":
            raise RuntimeError(f"{self.name} failed:\n{value}")
        return value  # type: ignore[no-any-return]

    def abort(self) -> None:
        if self.process is not None and self.process.is_alive():
            self.process.kill()
            self.process.join()
