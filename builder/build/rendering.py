"""Rendering the static chart images on every core, in the background, while the run goes on
building pages."""

from __future__ import annotations

import contextlib
import os
import queue
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import IO

from builder.build.forked import own_peak_rss_mb
from builder.output import svg

PER_PROCESS_MINIMUM = 8  # jobs worth starting a process for


class Renderer:
    """Renders chart images into ``folder`` while the caller goes on with other work.

    vl-convert runs every conversion of a process on its one JavaScript runtime, so threads
    take turns on a single core: parallel rendering needs processes. Each worker is a fresh
    ``python -m builder.build.rendering`` (not a multiprocessing child, which would re-import whatever
    script started the build), fed one chart a line by a thread of ours so that the caller
    never waits on a pipe. A worker costs about a second to start, so a run with a handful of
    charts renders them here, in :meth:`close`.
    """

    def __init__(self, folder: Path, workers: int | None = None) -> None:
        self.folder = folder
        self.workers = workers or os.cpu_count() or 1
        self.submitted: set[str] = set()
        self._waiting: list[bytes] = []
        self._queues: list[queue.Queue[bytes | None]] = []
        self._threads: list[threading.Thread] = []
        self._processes: list[tuple[subprocess.Popen[bytes], IO[bytes]]] = []
        self._next = 0
        self.peak_rss_mb = 0.0  # the largest worker's peak memory, as it reported it

    def submit(self, digest: str, spec_json: str) -> None:
        """Render the chart (its spec as JSON) as ``charts/<digest>.svg`` and ``.dark.svg``."""
        if digest in self.submitted:
            return
        self.submitted.add(digest)
        line = f"{digest}\t{spec_json}\n".encode()
        if self._queues:
            self._dispatch(line)
            return
        self._waiting.append(line)
        if self.workers > 1 and len(self._waiting) >= PER_PROCESS_MINIMUM * self.workers:
            self._start()

    def _dispatch(self, line: bytes) -> None:
        """Give the chart to the workers in turn (charts of a run cost about the same)."""
        self._queues[self._next % len(self._queues)].put(line)
        self._next += 1

    def _start(self) -> None:
        for _ in range(self.workers):
            errors = tempfile.TemporaryFile()  # noqa: SIM115 - open as long as its worker runs
            command = [sys.executable, "-m", "builder.build.rendering", str(self.folder), svg.vega_lite_version()]
            process = subprocess.Popen(command,  # noqa: S603
                                       stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors)
            jobs: queue.Queue[bytes | None] = queue.Queue()
            thread = threading.Thread(target=_feed, args=(jobs, process.stdin), daemon=True)
            thread.start()
            self._processes.append((process, errors))
            self._queues.append(jobs)
            self._threads.append(thread)
        waiting, self._waiting = self._waiting, []
        for line in waiting:
            self._dispatch(line)

    def close(self) -> int:
        """Wait until every image is written; the number rendered. Raises if a worker failed."""
        for line in self._waiting:
            _render_line(self.folder, line)
        self._waiting = []
        for jobs in self._queues:
            jobs.put(None)
        for thread in self._threads:
            thread.join()
        failures = []
        for process, errors in self._processes:
            assert process.stdout is not None
            report = process.stdout.read().decode("utf-8", "replace").split()
            if report[:1] == ["peak_rss_mb"]:
                self.peak_rss_mb = max(self.peak_rss_mb, float(report[1]))
            process.stdout.close()
            if process.wait() != 0:
                errors.seek(0)
                failures.append(errors.read().decode("utf-8", "replace")[-4000:])
            errors.close()
        self._queues, self._threads, self._processes = [], [], []
        if failures:
            raise RuntimeError("rendering the static charts failed:\n" + "\n".join(failures))
        return len(self.submitted)

    def abort(self) -> None:
        """Stop the workers without waiting for their images (the run failed)."""
        for process, errors in self._processes:
            process.kill()
            process.wait()
            errors.close()
        self._processes, self._waiting = [], []


def _feed(jobs: queue.Queue[bytes | None], stream: IO[bytes] | None) -> None:
    assert stream is not None
    try:
        while (line := jobs.get()) is not None:
            stream.write(line)
    except BrokenPipeError:
        pass  # the worker died; close() reports its error
    finally:
        with contextlib.suppress(BrokenPipeError):
            stream.close()


def _worker(folder: Path, vl_version: str) -> None:
    """A rendering process of :class:`Renderer`: ``digest<TAB>spec JSON`` lines in, images out;
    at the end, its peak memory on stdout (``ru_maxrss`` of the parent's children would count
    the parent's memory, which a child shares until it starts this program)."""
    for line in sys.stdin.buffer:
        _render_line(folder, line, vl_version)
    print(f"peak_rss_mb {own_peak_rss_mb()}")


def _render_line(folder: Path, line: bytes, vl_version: str | None = None) -> None:
    """Render one job of the renderer's protocol, ``digest<TAB>spec JSON``."""
    digest, spec = line.decode("utf-8").rstrip("\n").split("\t", 1)
    svg.write_images(folder, digest, svg.render_svg(spec, vl_version=vl_version))


if __name__ == "__main__":
    _worker(Path(sys.argv[1]), sys.argv[2])
