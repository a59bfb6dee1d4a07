"""Run every ``benchmarks/bench_*.py`` and write ``docs/performance.md``.

Usage::

    python -m benchmarks.run            # full sizes (what docs/performance.md reports)
    python -m benchmarks.run --quick    # small sizes, a smoke run
    python -m benchmarks.run --dir /tmp/mybench --out /tmp/perf.md

Each bench module has ``run(quick: bool = False) -> list[dict]``, one dict per case:

``name``
    what was measured.
``seconds``
    its time (the module chooses: median of repeats, usually).
``baseline_name``, ``baseline_seconds``
    the reference measured in the same run on the same data, or ``None`` for an
    absolute figure.
``ratio``
    ``seconds / baseline_seconds`` (computed here when left out).
``notes``
    anything a reader needs (sizes, repeats, spread).
``target`` (optional)
    the goal as text, e.g. ``"<= 1.5x"``.
``gap`` (optional)
    when the target is missed, why: printed under the table.

A module that cannot be imported, whose ``run()`` raises or returns something else
than a list of such dicts, is reported in the table as failed with its error; the
driver runs the others all the same and exits with status 1 at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import importlib.util
import os
import platform
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))

KEYS = ("name", "seconds", "baseline_name", "baseline_seconds", "ratio", "notes")

__all__ = ["discover", "run_module", "run_all", "machine_info", "render_markdown", "main"]


def discover(directory: Path = HERE) -> list[Path]:
    """The ``bench_*.py`` files of a folder, in name order."""
    return sorted(p for p in Path(directory).glob("bench_*.py") if p.is_file())


def _import(path: Path) -> ModuleType:
    if path.resolve().parent == HERE:
        return importlib.import_module(f"benchmarks.{path.stem}")
    name = f"_backrx_bench_{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _failed(module: str, error: str) -> dict[str, Any]:
    return {
        "module": module,
        "name": "(failed)",
        "seconds": None,
        "baseline_name": None,
        "baseline_seconds": None,
        "ratio": None,
        "target": None,
        "notes": error,
        "failed": True,
    }


def _check(module: str, results: object) -> list[dict[str, Any]]:
    """Validate what ``run()`` returned; complete ``ratio``; tag with the module."""
    if not isinstance(results, list) or not all(isinstance(r, dict) for r in results):
        raise TypeError(f"run() must return a list of dicts, got {type(results).__name__}")
    out = []
    for r in results:
        missing = [k for k in ("name", "seconds") if k not in r]
        if missing:
            raise TypeError(f"a result lacks {', '.join(missing)}: {r!r}")
        row = {k: r.get(k) for k in KEYS}
        row["target"] = r.get("target")
        row["gap"] = r.get("gap")
        if row["ratio"] is None and row["seconds"] is not None and row["baseline_seconds"]:
            row["ratio"] = row["seconds"] / row["baseline_seconds"]
        row["module"] = module
        row["failed"] = False
        out.append(row)
    return out


def run_module(path: Path, *, quick: bool) -> list[dict[str, Any]]:
    """Import one bench module and run it; a failure becomes one failed row."""
    module = path.stem
    try:
        mod = _import(path)
        if not callable(getattr(mod, "run", None)):
            raise AttributeError(f"{path.name} has no run(quick=...) function")
        return _check(module, mod.run(quick=quick))
    except Exception as exc:  # report every failure, run the other modules
        traceback.print_exc(file=sys.stderr)
        return [_failed(module, f"{type(exc).__name__}: {exc}")]


def run_all(paths: Sequence[Path], *, quick: bool, echo: bool = True) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for path in paths:
        if echo:
            print(f"running {path.name} ...", flush=True)
        t0 = time.perf_counter()
        got = run_module(path, quick=quick)
        if echo:
            status = "FAILED" if any(r["failed"] for r in got) else "ok"
            print(f"  {status} in {time.perf_counter() - t0:.1f} s", flush=True)
        rows += got
    return rows


def machine_info() -> dict[str, str]:
    """Versions and machine of this run."""
    info = {"python": platform.python_version()}
    for lib in ("pandas", "numpy", "pyarrow"):
        try:
            info[lib] = importlib.import_module(lib).__version__
        except Exception:  # not installed: say so rather than fail
            info[lib] = "not installed"
    info["cpu_count"] = str(os.cpu_count())
    info["platform"] = platform.platform()
    info["machine"] = platform.machine() or "unknown"
    return info


def _fmt_s(x: float | None) -> str:
    return "-" if x is None else f"{x:.4f}"


def _fmt_ratio(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}x"


def _cell(text: object, markdown: bool = True) -> str:
    if text in (None, ""):
        return "-"
    text = str(text).replace("\n", " ")
    return text.replace("|", "\\|") if markdown else text


def _table_rows(rows: list[dict[str, Any]], markdown: bool = True) -> list[list[str]]:
    return [
        [
            r["module"],
            ("FAILED" if r["failed"] else _cell(r["name"], markdown)),
            _fmt_s(r["seconds"]),
            _cell(r["baseline_name"], markdown),
            _fmt_s(r["baseline_seconds"]),
            _fmt_ratio(r["ratio"]),
            _cell(r["target"], markdown),
            _cell(r["notes"], markdown),
        ]
        for r in rows
    ]


HEADERS = ["module", "benchmark", "seconds", "baseline", "baseline s", "ratio", "target", "notes"]


def render_text(rows: list[dict[str, Any]]) -> str:
    """A plain aligned table for the terminal."""
    table = [HEADERS, *_table_rows(rows, markdown=False)]
    widths = [max(len(line[i]) for line in table) for i in range(len(HEADERS) - 1)]
    lines = []
    for line in table:
        cells = [c.ljust(w) for c, w in zip(line[:-1], widths, strict=True)]
        lines.append("  ".join([*cells, line[-1]]).rstrip())
    lines.insert(1, "  ".join("-" * w for w in widths) + "  -----")
    return "\n".join(lines)


def render_markdown(
    rows: list[dict[str, Any]], *, quick: bool, info: dict[str, str], when: dt.datetime
) -> str:
    """The text of docs/performance.md."""
    failed = [r for r in rows if r["failed"]]
    out = [
        "# Performance",
        "",
        f"Measured on {when:%Y-%m-%d %H:%M} UTC by `python -m benchmarks.run"
        f"{' --quick' if quick else ''}` ({'quick: small sizes' if quick else 'full sizes'}).",
        "",
        "## Machine",
        "",
        f"- Python {info['python']}, pandas {info['pandas']}, numpy {info['numpy']}, "
        f"pyarrow {info['pyarrow']}",
        f"- {info['cpu_count']} CPUs (`os.cpu_count()`), {info['machine']}, {info['platform']}",
        "",
        "## How to read the figures",
        "",
        "Each figure is compared with a baseline measured in the same run, on the same "
        "data, on the same machine. That machine is shared and noisy, so seconds vary "
        "from run to run by more than the differences that matter here: read the "
        "**ratio** (seconds / baseline seconds), not the seconds. A row without a "
        "baseline is an absolute figure, with its target beside it where there is one. "
        "These are measurements, not tests: nothing fails on time.",
        "",
        "## Results",
        "",
        "| " + " | ".join(HEADERS) + " |",
        "|" + "|".join(["---"] * 2 + ["---:"] * 1 + ["---"] + ["---:"] * 2 + ["---"] * 2) + "|",
    ]
    out += ["| " + " | ".join(r) + " |" for r in _table_rows(rows)]
    if not rows:
        out.append("| - | no benchmark modules found | - | - | - | - | - | - |")
    gaps = [r for r in rows if r.get("gap")]
    if gaps:
        out += ["", "## Where a target is not met, and why", ""]
        out += [f"- **{r['module']}, {r['name']}** ("
                + (f"{r['ratio']:.2f}x" if r.get("ratio") is not None else f"{r['seconds']:.2f} s")
                + f", target {r.get('target') or '-'}): {r['gap']}" for r in gaps]
    if failed:
        out += ["", f"**{len(failed)} benchmark module(s) failed**: "
                + ", ".join(f"`{r['module']}`" for r in failed) + "."]  # fmt: skip
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run", description="Run the backrx benchmarks."
    )
    parser.add_argument("--quick", action="store_true", help="small sizes (a smoke run)")
    parser.add_argument("--dir", type=Path, default=HERE, help="folder of bench_*.py modules")
    parser.add_argument(
        "--out", type=Path, default=ROOT / "docs" / "performance.md", help="markdown file to write"
    )
    parser.add_argument(
        "-k", dest="only", default=None, help="run only modules whose name contains this"
    )
    args = parser.parse_args(argv)

    paths = discover(args.dir)
    if args.only:
        paths = [p for p in paths if args.only in p.stem]
    if not paths:
        print(f"no bench_*.py modules in {args.dir}", file=sys.stderr)
    rows = run_all(paths, quick=args.quick)
    when = dt.datetime.now(dt.UTC)
    print()
    print(render_text(rows))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        render_markdown(rows, quick=args.quick, info=machine_info(), when=when), encoding="utf-8"
    )
    print(f"\nwrote {args.out}")
    failed = sorted({r["module"] for r in rows if r["failed"]})
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
