"""Import benchmark: ``import backrx_analysis`` and ``backrx --help`` against a bare
``import pandas``, each in a fresh interpreter, measured in the same run.

The kit needs pandas (and, through it, numpy and pyarrow), so a bare ``import pandas``
is the floor. Target: ``import backrx_analysis`` at most 0.15 s over it (difference of
medians). Charts, reports and widgets (matplotlib, ipywidgets) and scipy load on first
use, not on import.

Each sample is one new ``python -c`` process timing its own import with
``time.perf_counter`` (the interpreter's start-up is the same for both and left out);
``backrx --help`` is timed whole, as a person waits for it, against a whole
``python -c "import pandas"`` process. The runs alternate, so noise hits both alike.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

_TIMED = "import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"


def _import_seconds(module: str) -> float:
    out = subprocess.run([sys.executable, "-c", _TIMED.format(module=module)], check=True,
                         capture_output=True, text=True)
    return float(out.stdout.strip().splitlines()[-1])


def _process_seconds(args: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True)
    return time.perf_counter() - t


def run(quick: bool = False) -> list[dict]:
    repeats = 5 if quick else 15
    base, ours, cli, cli_base = [], [], [], []
    _import_seconds("backrx_analysis")  # warm the file cache
    for _ in range(repeats):
        base.append(_import_seconds("pandas"))
        ours.append(_import_seconds("backrx_analysis"))
        cli_base.append(_process_seconds([sys.executable, "-c", "import pandas"]))
        cli.append(_process_seconds([sys.executable, "-m", "backrx_analysis", "--help"]))
    b, o = statistics.median(base), statistics.median(ours)
    cb, c = statistics.median(cli_base), statistics.median(cli)
    diff, cdiff = o - b, c - cb
    return [
        {
            "name": "import backrx_analysis (fresh interpreter)",
            "seconds": o,
            "baseline_name": "import pandas (fresh interpreter)",
            "baseline_seconds": b,
            "target": "<= +0.15 s over import pandas",
            "notes": (f"difference of medians {diff:+.3f} s ({'meets' if diff <= 0.15 else 'misses'}"
                      f" the target); median of {repeats} alternating runs; backrx_analysis "
                      f"{min(ours):.3f}-{max(ours):.3f} s, pandas {min(base):.3f}-{max(base):.3f} s"),
        },
        {
            "name": "backrx --help (whole process)",
            "seconds": c,
            "baseline_name": 'python -c "import pandas" (whole process)',
            "baseline_seconds": cb,
            "target": "feels instant",
            "notes": f"difference of medians {cdiff:+.3f} s; median of {repeats} alternating runs",
        },
    ]


if __name__ == "__main__":
    for row in run(quick="--quick" in sys.argv):
        print(row)
