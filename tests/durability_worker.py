"""A log writer for the durability tests, run in processes that get killed.

Kept in its own small module so a multiprocessing "forkserver" can import it (with
backrx_analysis preloaded) and start a fresh writer in milliseconds.
"""

from __future__ import annotations


def append_forever(log: str, who: str, n: int, conn) -> None:
    import backrx_analysis as bx

    for i in range(n):
        bx.append_sessions(log, [{"date": "2026-03-02", "exercise": "crunch", "reps": 10,
                                  "notes": f"{who}-{i}"}])
        conn.send(i)  # sent only after the entry is on disk


def warm_up(log: str) -> None:
    """Pay the first-call costs once (imports done lazily inside the writer)."""
    import backrx_analysis as bx

    bx.append_sessions(log, [{"date": "2026-03-01", "exercise": "walk", "minutes": 10}])
