"""Import benchmark: ``import backrx_analysis`` and ``backrx --help`` against a bare
``import pandas``, each in a fresh interpreter, measured in the same run.

The kit needs pandas (and, through it, numpy and pyarrow), so a bare ``import pandas``
is the floor. Target: at most 0.15 s over it (difference of medians), for the import
and for the import with the loaders and the analysis resolved (``bx.load_sessions``,
``bx.analyze``: what a notebook's first cell uses). Every public name is imported on
first use (PEP 562), so the bare import costs less than pandas; charts, reports and
widgets (matplotlib, ipywidgets) and scipy load only when used.

Each sample is one new ``python -c`` process timing its own import with
``time.perf_counter`` (the interpreter's start-up is the same for both and left out);
``backrx --help`` is timed whole, as a person waits for it, against a whole
``python -c pass`` process (the interpreter's own start-up). The runs alternate, so noise hits both alike.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

_TIMED = "import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
_FIRST_USE = ("import time; t = time.perf_counter(); import backrx_analysis as bx; "
              "bx.load_sessions, bx.load_pain, bx.analyze, bx.daily_adherence; "
              "print(time.perf_counter() - t)")


def _import_seconds(module: str, code: str | None = None) -> float:
    code = code or _TIMED.format(module=module)
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True)
    return float(out.stdout.strip().splitlines()[-1])


def _process_seconds(args: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True)
    return time.perf_counter() - t


def _row(name: str, ours: list[float], base_name: str, base: list[float], target: str,
         limit: float | None) -> dict:
    b, o = statistics.median(base), statistics.median(ours)
    diff = o - b
    verdict = "" if limit is None else f" ({'meets' if diff <= limit else 'misses'} the target)"
    return {
        "name": name, "seconds": o, "baseline_name": base_name, "baseline_seconds": b,
        "target": target,
        "notes": (f"difference of medians {diff:+.3f} s{verdict}; median of {len(ours)} "
                  f"alternating runs; {min(ours):.3f}-{max(ours):.3f} s against "
                  f"{min(base):.3f}-{max(base):.3f} s"),
    }


def run(quick: bool = False) -> list[dict]:
    repeats = 5 if quick else 15
    base, ours, used, cli, start = [], [], [], [], []
    _import_seconds("backrx_analysis", _FIRST_USE)  # warm the file cache
    for _ in range(repeats):
        base.append(_import_seconds("pandas"))
        ours.append(_import_seconds("backrx_analysis"))
        used.append(_import_seconds("backrx_analysis", _FIRST_USE))
        start.append(_process_seconds([sys.executable, "-c", "pass"]))
        cli.append(_process_seconds([sys.executable, "-m", "backrx_analysis", "--help"]))
    return [
        _row("import backrx_analysis (fresh interpreter)", ours,
             "import pandas (fresh interpreter)", base, "<= +0.15 s over import pandas", 0.15),
        _row("import backrx_analysis, then bx.load_sessions / load_pain / analyze / "
             "daily_adherence resolved", used, "import pandas (fresh interpreter)", base,
             "<= +0.15 s over import pandas", 0.15),
        _row("backrx --help (whole process)", cli, "python -c pass (whole process)", start,
             "feels instant (< 0.2 s over the interpreter's start)", 0.2),
    ]


if __name__ == "__main__":
    for row in run(quick="--quick" in sys.argv):
        print(row)
