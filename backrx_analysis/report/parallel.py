"""A report per patient in worker processes: a caseload's PDFs rendered in parallel.

:func:`per_patient` calls one function (:func:`~backrx_analysis.report.export.export_report`)
once per patient, in ``jobs`` worker processes (``jobs=1``: in this process), and
hands back what each call returned or why it failed. A patient whose report fails is
named with its error; the other patients' reports are written all the same. Workers
start from a fork server that has imported the report module once (so a worker does
not pay pandas' and matplotlib's import again, and no fork happens from a process
with threads, such as a Jupyter kernel), without re-running the main script (a
physio's script needs no ``if __name__ == "__main__":`` guard); each gets one
patient's analysis.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from typing import Any

__all__ = ["CaseloadReportError", "per_patient", "default_jobs"]

#: A task: the patient, then the function's positional and keyword arguments.
Task = tuple[str, tuple, dict]


class CaseloadReportError(RuntimeError):
    """Some patients' reports could not be written; the others were.

    ``failed`` maps each such patient to the error in a line; ``written`` lists the
    files that were written.
    """

    def __init__(self, failed: dict[str, str], written: list):
        self.failed = dict(failed)
        self.written = list(written)
        lines = "; ".join(f"patient {p!r}: {why}" for p, why in self.failed.items())
        super().__init__(f"{len(self.failed)} of the caseload's reports could not be written "
                         f"({lines}); the other {len(self.written)} files were written")


def default_jobs() -> int:
    """The machine's cores (those this process may use)."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class _Finished:
    """The patients, in the order their reports finish; sized, so that a progress bar
    (``tqdm``) knows the total."""

    def __init__(self, ids: list[str], finished: Iterator[str]):
        self._ids, self._finished = ids, finished

    def __len__(self) -> int:
        return len(self._ids)

    def __iter__(self) -> Iterator[str]:
        return self._finished


@contextlib.contextmanager
def _main_left_alone() -> Iterator[None]:
    """While the workers start, the main script is not named to them. A worker of the
    ``forkserver`` (or ``spawn``) method re-imports the main script first, which would
    run a script without an ``if __name__ == "__main__":`` guard again (and cannot be
    done at all for a program read from standard input); the workers here run
    functions of this package only and never need it."""
    main = sys.modules.get("__main__")
    saved = {k: main.__dict__[k] for k in ("__file__", "__spec__") if main and k in main.__dict__}
    for k in saved:
        setattr(main, k, None) if k == "__spec__" else delattr(main, k)
    try:
        yield
    finally:
        for k, v in saved.items():
            setattr(main, k, v)


def _why(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}".splitlines()[0]


def per_patient(fn: Callable[..., Any], tasks: list[Task], *, jobs: int | None = None,
                progress: Callable[[Iterable[str]], Iterable[str]] | None = None
                ) -> tuple[dict[str, Any], dict[str, str]]:
    """``fn(*args, **kwargs)`` for each task; ``(results, failed)`` keyed by patient.

    ``fn`` and its arguments must pickle (a module-level function, frames, a
    :class:`~backrx_analysis.analysis.patient.Analysis`). ``jobs``: worker processes
    (default :func:`default_jobs`; at most one per task; 1 runs here, in order).
    ``progress`` wraps the patients as they finish (e.g. ``tqdm.tqdm``).
    """
    ids = [t[0] for t in tasks]
    if len(set(ids)) != len(ids):
        raise ValueError("per_patient needs one task per patient")
    jobs = min(int(jobs or default_jobs()), len(tasks))
    if jobs < 1 and tasks:
        raise ValueError(f"jobs must be at least 1, got {jobs}")
    results: dict[str, Any] = {}
    failed: dict[str, str] = {}
    if jobs <= 1:
        def serial() -> Iterator[str]:
            for pid, args, kwargs in tasks:
                try:
                    results[pid] = fn(*args, **kwargs)
                except Exception as exc:  # one patient's failure does not stop the others
                    failed[pid] = _why(exc)
                yield pid

        _drain(serial(), ids, progress)
        return results, failed
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["backrx_analysis.report.export"])
    with _main_left_alone(), ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
        futures: dict[Future, str] = {pool.submit(fn, *args, **kwargs): pid
                                      for pid, args, kwargs in tasks}

        def finished() -> Iterator[str]:
            for fut in as_completed(futures):
                pid = futures[fut]
                exc = fut.exception()
                if exc is None:
                    results[pid] = fut.result()
                else:
                    failed[pid] = _why(exc)
                yield pid

        _drain(finished(), ids, progress)
    return results, failed


def _drain(finished: Iterator[str], ids: list[str],
           progress: Callable[[Iterable[str]], Iterable[str]] | None) -> None:
    for _ in (progress(_Finished(ids, finished)) if progress is not None else finished):
        pass
