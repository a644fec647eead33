"""What a run can tell someone measuring it, without measurements in the run's own types.

A run calls :func:`record` with a figure only it can know (the peak memory of a process it
started and that is gone by the end); nothing keeps it unless an observer is installed from
outside, as the benchmark does::

    with probes.observing() as figures:
        generate(settings)
    figures["renderer_peak_rss_mb"]
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

_observers: list[dict[str, float]] = []


def record(name: str, value: float) -> None:
    """Keep the largest ``value`` of ``name`` for every observer installed."""
    for figures in _observers:
        figures[name] = max(figures.get(name, value), value)


@contextmanager
def observing() -> Iterator[dict[str, float]]:
    """The figures the runs inside this block record, each its largest value."""
    figures: dict[str, float] = {}
    _observers.append(figures)
    try:
        yield figures
    finally:
        _observers.remove(figures)
