"""XLSX benchmark: ``bx.load_sessions`` on a 100k-row sheet against the bare
``pd.read_excel(engine="calamine")`` of the same file, measured in the same run, with
``pd.read_excel(engine="openpyxl")`` beside them for reference.

The sheet holds seeded session rows (backrx_analysis.simulate): the ``date`` column as
real Excel dates in one file and as ISO text in the other, times as text, counts as
numbers with empty cells. The loader reads the sheet with python-calamine (as the
baseline does), then gives every cell as openpyxl would (dates as datetimes, whole
numbers as ints, error cells by their text), keeps the spreadsheet row of every entry
and validates every cell; the bare read does none of that. Both files must load to
the same frame.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import pandas as pd

import backrx_analysis as bx
from backrx_analysis.simulate import simulate_sessions_rows


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def write_sessions_xlsx(path: Path, rows: pd.DataFrame, *, excel_dates: bool) -> Path:
    """Session rows as a sheet (openpyxl write-only), the dates as Excel dates or text."""
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Sessions")
    ws.append(list(rows.columns))
    cols = [rows[c].astype(object).where(rows[c].notna(), None).tolist() for c in rows.columns]
    if excel_dates:
        cols[list(rows.columns).index("date")] = pd.to_datetime(rows["date"]).dt.date.tolist()
    for row in zip(*cols, strict=True):
        ws.append(row)
    wb.save(path)
    return path


def run(quick: bool = False) -> list[dict]:
    n = 10_000 if quick else 100_000
    repeats = 2 if quick else 3
    with tempfile.TemporaryDirectory() as tmp:
        rows = simulate_sessions_rows(n, seed=7)
        dated = write_sessions_xlsx(Path(tmp) / "dates.xlsx", rows, excel_dates=True)
        text = write_sessions_xlsx(Path(tmp) / "text.xlsx", rows, excel_dates=False)
        size_mb = dated.stat().st_size / 1e6

        def bare():
            return pd.read_excel(dated, engine="calamine")

        def ours():
            return bx.load_sessions(dated)

        def ours_text():
            return bx.load_sessions(text)

        def openpyxl():
            return pd.read_excel(dated, engine="openpyxl")

        # warm (imports, page cache), check, then alternate so noise hits all alike
        bare()
        loaded, loaded_text = ours(), ours_text()
        assert len(loaded) == n, f"loader returned {len(loaded)} of {n} rows"
        pd.testing.assert_frame_equal(
            loaded.drop(columns="source"), loaded_text.drop(columns="source")
        )
        times: dict[str, list[float]] = {"bare": [], "ours": [], "text": [], "openpyxl": []}
        for _ in range(repeats):
            times["bare"].append(_timed(bare))
            times["ours"].append(_timed(ours))
            times["text"].append(_timed(ours_text))
            times["openpyxl"].append(_timed(openpyxl))
    med = {k: statistics.median(v) for k, v in times.items()}
    base = 'pd.read_excel(engine="calamine")'
    notes = f"median of {repeats} alternating runs; {n:,} rows, {size_mb:.1f} MB"

    def spread(key: str) -> str:
        r = sorted(x / y for x, y in zip(times[key], times["bare"], strict=True))
        return f"per-run ratios {r[0]:.2f}-{r[-1]:.2f}"

    return [
        {
            "name": f"load_sessions, {n:,} rows XLSX, dates as Excel dates",
            "seconds": med["ours"],
            "baseline_name": base,
            "baseline_seconds": med["bare"],
            "ratio": med["ours"] / med["bare"],
            "target": "<= 1.5x",
            "notes": f"{notes}; {spread('ours')}",
        },
        {
            "name": f"load_sessions, {n:,} rows XLSX, dates as text",
            "seconds": med["text"],
            "baseline_name": base,
            "baseline_seconds": med["bare"],
            "ratio": med["text"] / med["bare"],
            "target": "<= 1.5x",
            "notes": f"{notes}; {spread('text')}",
        },
        {
            "name": f'pd.read_excel(engine="openpyxl"), {n:,} rows (reference)',
            "seconds": med["openpyxl"],
            "baseline_name": base,
            "baseline_seconds": med["bare"],
            "ratio": med["openpyxl"] / med["bare"],
            "notes": f"{notes}; the reader the loader used before python-calamine",
        },
    ]


if __name__ == "__main__":
    for r in run():
        print(r)
