"""Write the notebooks in notebooks/ (stored without outputs).

    python scripts/make_notebooks.py          # rewrite them
    python scripts/make_notebooks.py --check  # exit 1 when a notebook differs

Each notebook starts with one cell tagged ``parameters`` (papermill style) holding
the data paths; it defaults to the bundled sample, so a person changes that one
cell to use their own logs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "notebooks"

PARAMS_SAMPLE = '''# Your files: put the paths of your own logs here (CSV, TSV, XLSX, JSON or Parquet).
# None means "use the bundled 12-week sample".
SESSIONS_PATH = None   # e.g. "my_sessions.csv"
PAIN_PATH = None       # e.g. "my_pain.xlsx"
DAYFIRST = None        # True if you write dates day/month/year (02/03/2026 = 2 March)
PATIENT_LABEL = None   # how the patient is named on charts and reports'''

LOAD = '''import backrx_analysis as bx

sessions_path = SESSIONS_PATH or bx.sample_path("sessions")
pain_path = PAIN_PATH or bx.sample_path("pain")
sessions = bx.load_sessions(sessions_path, dayfirst=DAYFIRST)
pain = bx.load_pain(pain_path, dayfirst=DAYFIRST)
print(f"{len(sessions)} exercise entries and {len(pain)} pain ratings loaded")'''


def params(source: str = PARAMS_SAMPLE):
    cell = new_code_cell(source)
    cell.metadata["tags"] = ["parameters"]
    return cell


def nb_getting_started():
    return [
        new_markdown_cell(
            "# Getting started: check your logs\n\n"
            "This notebook reads your exercise log and your pain log, tells you about every "
            "line it cannot read (and what it expected there), and shows a day-by-day "
            "overview and the summary a clinician reads first.\n\n"
            "**To use your own files**, change the first code cell below and run all cells "
            "(menu *Run → Run All Cells*). Your files are only read, never changed."),
        params(),
        new_markdown_cell(
            "## 1. Check the files\n\n"
            "`check_logs` lists every problem at once: the file, the line your editor shows "
            "(the header is line 1), the column, the value and what would be accepted. "
            "An empty table means the file is fine."),
        new_code_cell(
            'import backrx_analysis as bx\n\n'
            'sessions_path = SESSIONS_PATH or bx.sample_path("sessions")\n'
            'pain_path = PAIN_PATH or bx.sample_path("pain")\n'
            'session_problems = bx.check_logs(sessions_path, kind="sessions", dayfirst=DAYFIRST)\n'
            'pain_problems = bx.check_logs(pain_path, kind="pain", dayfirst=DAYFIRST)\n'
            'print(f"{len(session_problems)} problem(s) in the exercise log, "\n'
            '      f"{len(pain_problems)} in the pain log")\n'
            'session_problems'),
        new_code_cell("pain_problems"),
        new_markdown_cell(
            "## 2. Load them\n\nWhen there are no problems the logs load into tables the "
            "rest of the kit uses. (With problems, this cell stops with the same list.)"),
        new_code_cell(
            'sessions = bx.load_sessions(sessions_path, dayfirst=DAYFIRST)\n'
            'pain = bx.load_pain(pain_path, dayfirst=DAYFIRST)\n'
            'sessions.head()'),
        new_markdown_cell(
            "## 3. Day by day\n\n"
            "Every calendar day from the first to the last logged day is a row, including days "
            "with nothing logged (a day not done, never a day left out).\n\n"
            "- **exercises_met**: how many of the five exercises reached their 10 repetitions "
            "(the straight leg raise: 10 on each leg).\n"
            "- **exercise_minutes** and **minutes_status**: minutes of exercise that day, "
            "against the 10–30 minute range (`none`, `under`, `in_range`, `over`).\n"
            "- **walk_minutes**: minutes walked; the walk is met at 10 minutes.\n"
            "- **fully_adherent**: all five exercises met and the minutes in range.\n"
            "- **pain_mean** is the day's mean rating (0–10), **rolling_mean** the mean of the "
            "last 7 days, and **status** compares it with the first week (baseline)."),
        new_code_cell(
            'daily = bx.daily_adherence(sessions)\n'
            'overview = bx.adherence_vs_pain(daily, pain)\n'
            'overview[["date", "exercises_met", "exercise_minutes", "minutes_status", '
            '"walk_minutes",\n'
            '          "fully_adherent", "pain_mean", "rolling_mean", "status", "flare"]]'),
        new_markdown_cell(
            "## 4. The summary\n\n"
            "The numbers a clinician reads first. Percentages are of all days in the period. "
            "Pain *improved* means the 7-day mean is at least 2 points, or 30 %, below the "
            "first week's (the change that matters to patients with low back pain). "
            "`docs/metrics.md` defines every number."),
        new_code_cell("bx.summarize(sessions, pain).T"),
    ]


def nb_dashboard():
    return [
        new_markdown_cell(
            "# Adherence dashboard\n\n"
            "Choose the period (or click *Last 4 weeks*), the exercises, and the number of "
            "days the *Pain* tab averages the pain over; the tabs show each exercise against "
            "its target, the daily minutes against their ranges, a calendar, the pain trend, "
            "and everything together on one date axis (as on the clinician's report, with "
            "the program's pain window). *Export for clinician* writes a PDF report and the "
            "charts into an `exports/` folder next to your data."),
        params(),
        new_code_cell(LOAD),
        new_code_cell(
            'from pathlib import Path\n\n'
            'export_dir = (Path(SESSIONS_PATH).resolve().parent if SESSIONS_PATH else Path.cwd()) '
            '/ "exports"\n'
            'labels = {pid: PATIENT_LABEL for pid in sessions["patient_id"].unique()} '
            'if PATIENT_LABEL else None\n'
            'dashboard = bx.Dashboard(sessions, pain, export_dir=export_dir, patient_labels=labels)\n'
            'dashboard'),
    ]


def nb_pain():
    return [
        new_markdown_cell(
            "# Pain: trend, baseline, flares, and pain next to exercise\n\n"
            "Pain is the 0–10 rating (0 no pain, 10 worst imaginable). The **baseline** is "
            "the mean of the first 7 days of the pain log; the **7-day mean** on a day is the "
            "mean of that day and the 6 before it. A change of **2 points or 30 %** is the "
            "change that matters to patients with low back pain (Ostelo et al., Spine 2008). "
            "A **flare** is a day at least 2 points above the mean of the 7 days before it."),
        params(),
        new_code_cell(LOAD),
        new_code_cell(
            'trend = bx.pain_trend(pain)\n'
            'trend[["patient_id", "date", "pain_mean", "pain_min", "pain_max", "n_ratings",\n'
            '       "rolling_mean", "baseline", "change", "change_pct", "status", "flare"]]'),
        new_code_cell(
            'import matplotlib.pyplot as plt\n\n'
            'fig, ax = plt.subplots(figsize=(10, 4))\n'
            'bx.plot_pain_trend(trend, ax=ax)\n'
            'plt.show()'),
        new_markdown_cell("## Flare days"),
        new_code_cell('trend.loc[trend["flare"], ["patient_id", "date", "pain_mean", "rolling_mean"]]'),
        new_markdown_cell(
            "## Pain next to the exercise done\n\n"
            "Exercise (top) and pain (bottom) on one date axis."),
        new_code_cell(
            'fig = bx.plot_dashboard(sessions, pain, patient_label=PATIENT_LABEL)\n'
            'fig'),
        new_markdown_cell(
            "## Does more exercise go with less pain the next day?\n\n"
            "The Spearman correlation between a day's exercise (minutes, exercises met) and "
            "the pain one day later. **This is an association, not a cause**: a day with "
            "less pain may be why more exercise was done, not the other way round, and "
            "other things (sleep, work, medication) move both. It needs at least 14 days "
            "with both logged."),
        new_code_cell(
            'daily = bx.daily_adherence(sessions)\n'
            'try:\n'
            '    association = bx.lagged_association(daily, pain, lag=1)\n'
            'except bx.InsufficientDataError as exc:\n'
            '    association = None\n'
            '    print(exc)\n'
            'association'),
    ]


def nb_report():
    return [
        new_markdown_cell(
            "# The report for your clinician\n\n"
            "A few pages to print or send before an appointment: the summary and the "
            "dashboard, adherence detail, pain detail, and a page stating the prescription "
            "measured and how every number is defined. Your free-text notes are left out "
            "unless you set `INCLUDE_NOTES = True`."),
        params(PARAMS_SAMPLE + '\nINCLUDE_NOTES = False\nOUTPUT_DIR = "exports"'),
        new_code_cell(LOAD),
        new_code_cell(
            'from pathlib import Path\n\n'
            'out = Path(OUTPUT_DIR)\n'
            'pdf = bx.export_report(sessions, pain, out / "backrx-report.pdf",\n'
            '                       patient_label=PATIENT_LABEL, include_notes=INCLUDE_NOTES)\n'
            'charts = bx.export_charts(sessions, pain, out / "charts", formats=("png", "svg"),\n'
            '                          patient_label=PATIENT_LABEL)\n'
            'print("Report:", pdf)\n'
            'print("Charts:", *charts, sep="\\n  ")'),
        new_markdown_cell("## Preview of the first page\n\n(Rendered from the PDF itself.)"),
        new_code_cell(
            'from IPython.display import Image\n'
            'import pypdfium2\n\n'
            'doc = pypdfium2.PdfDocument(str(pdf))\n'
            'page = doc[0]\n'
            'preview = out / "backrx-report-page1.png"\n'
            'page.render(scale=1).to_pil().save(preview)\n'
            'page.close()\n'
            'doc.close()\n'
            'Image(filename=str(preview), width=600)'),
    ]


def nb_daily_log():
    return [
        new_markdown_cell(
            "# Today's log\n\n"
            "Fill in what you did today and press **Save today's entry**. The form checks "
            "everything first (nothing is written when something is wrong), then *adds* "
            "lines to the end of your log files: it never changes or removes what is "
            "already there. The repetitions start at the prescribed 10; set 0 for an "
            "exercise you did not do."),
        params(
            '# Where your logs are kept (created when missing).\n'
            'SESSIONS_PATH = "my_sessions.csv"\n'
            'PAIN_PATH = "my_pain.csv"'),
        new_code_cell(
            'import backrx_analysis as bx\n\n'
            'form = bx.LogForm(SESSIONS_PATH, PAIN_PATH)\n'
            'form'),
        new_markdown_cell("After saving, the last lines of your exercise log:"),
        new_code_cell(
            'from pathlib import Path\n\n'
            'if Path(SESSIONS_PATH).exists():\n'
            '    print(bx.load_sessions(SESSIONS_PATH).tail(10))\n'
            'else:\n'
            '    print("Nothing saved yet.")'),
    ]


NOTEBOOKS = {
    "01_getting_started.ipynb": nb_getting_started,
    "02_adherence_dashboard.ipynb": nb_dashboard,
    "03_pain_trends.ipynb": nb_pain,
    "04_clinician_report.ipynb": nb_report,
    "05_daily_log.ipynb": nb_daily_log,
}


def build(name: str) -> nbformat.NotebookNode:
    nb = new_notebook(cells=NOTEBOOKS[name]())
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"{Path(name).stem[:2]}-{i:02d}"
    return nb


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args(argv)
    OUT.mkdir(exist_ok=True)
    stale = []
    for name in NOTEBOOKS:
        text = nbformat.writes(build(name)) + "\n"
        path = OUT / name
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
        else:
            path.write_text(text, encoding="utf-8")
    if stale:
        print("out of date:", ", ".join(stale), "- run python scripts/make_notebooks.py")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
