"""Regenerate every data file of ``sample_data/`` (and its README) from the simulator.

Usage::

    python scripts/make_sample_data.py            # write the files
    python scripts/make_sample_data.py --check    # exit 1 if a file would change

Deterministic: the simulator is seeded, CSVs are written with ``\\n`` line ends and
numbers as people type them, and the Excel file is written with fixed document and
zip timestamps, so running it twice gives byte-identical files.
``sample_data/__init__.py`` is written by hand and left alone.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import re
import sys
import tomllib
import zipfile
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))

from backrx_analysis.program import default_program  # noqa: E402
from backrx_analysis.simulate import (  # noqa: E402
    simulate_logs,
    simulate_outcomes,
    simulate_prescriptions,
)

OUT = ROOT / "sample_data"
START = "2026-03-02"
DAYS = 84
WIDE_DAYS = 14
SEED_ONE = 0
SEED_WIDE = 2
SEED_CASELOAD = 1
#: Seed of the caseload's prescription histories: all three stories of the simulator
#: (progressed, wall squats added, curl-ups dropped after a flare), P05 (the over-doer,
#: who flares) the one put on three days a week.
SEED_HISTORY = 114
#: Fixed time stamped into the Excel file (document properties and zip entries).
FIXED_TIME = dt.datetime(2026, 1, 1, 0, 0, 0)


def _csv_bytes(frame: pd.DataFrame) -> bytes:
    buf = io.StringIO()
    frame.to_csv(buf, index=False, lineterminator="\n", float_format="%g")
    return buf.getvalue().encode("utf-8")


def _xlsx_bytes(wide: pd.DataFrame) -> bytes:
    """The wide sheet as an .xlsx, dates as real Excel dates, byte-for-byte repeatable."""
    sheet = wide.copy()
    sheet["date"] = pd.to_datetime(sheet["date"])
    raw = io.BytesIO()
    with pd.ExcelWriter(
        raw, engine="openpyxl", date_format="YYYY-MM-DD", datetime_format="YYYY-MM-DD"
    ) as xw:
        sheet.to_excel(xw, index=False, sheet_name="Exercise log")
        ws = xw.sheets["Exercise log"]
        for col, width in zip("ABCDEFGHI", (12, 12, 11, 11, 6, 8, 17, 13, 40), strict=False):
            ws.column_dimensions[col].width = width
        ws.freeze_panes = "A2"
        props = xw.book.properties
        props.creator = "backrx sample data"
        props.created = FIXED_TIME
    # openpyxl stamps "modified" with the clock and zip entries with the local time:
    # rewrite both so the file is the same on every run.
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw.getvalue())) as zin,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout,
    ):
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = data.decode("utf-8")
                text = re.sub(
                    r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)",
                    lambda m: m.group(1) + stamp + m.group(3),
                    text,
                )
                data = text.encode("utf-8")
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            zout.writestr(entry, data)
    return out.getvalue()


def _eu_offset(day: dt.date) -> str:
    """Central European offset of a day's afternoon: +02:00 from the last Sunday of
    March to the last Sunday of October (the single person's zone, as in pain.csv)."""
    def last_sunday(month: int) -> dt.date:
        d = dt.date(day.year, month, 31)
        return d - dt.timedelta(days=(d.weekday() + 1) % 7)
    return "+0200" if last_sunday(3) <= day < last_sunday(10) else "+0100"


def _split_walks(sessions: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the log without its walks, the walks): what a phone would have recorded."""
    import backrx_analysis as bx

    canonical = bx.load_sessions(sessions)
    is_walk = (canonical["exercise"].astype(str) == "walk").to_numpy()
    return sessions.loc[~is_walk].reset_index(drop=True), sessions.loc[is_walk]


def _apple_health_zip(walks: pd.DataFrame) -> bytes:
    """The walks as an Apple Health export (export.zip holding
    apple_health_export/export.xml): one walking workout each, recorded by a phone,
    start time and minutes as in the log; byte-for-byte repeatable."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<!DOCTYPE HealthData>",
             '<HealthData locale="en_GB">', ' <ExportDate value="2026-05-25 09:00:00 +0200"/>']
    for r in walks.itertuples(index=False):
        day = dt.date.fromisoformat(r.date)
        hhmm = r.time if isinstance(r.time, str) and r.time else "12:00"  # the phone has one
        start = dt.datetime.combine(day, dt.time.fromisoformat(hhmm))
        end = start + dt.timedelta(minutes=float(r.minutes))
        off = _eu_offset(day)
        lines.append(
            f' <Workout workoutActivityType="HKWorkoutActivityTypeWalking" '
            f'duration="{float(r.minutes):g}" durationUnit="min" sourceName="iPhone" '
            f'sourceVersion="17.4" creationDate="{end:%Y-%m-%d %H:%M:%S} {off}" '
            f'startDate="{start:%Y-%m-%d %H:%M:%S} {off}" endDate="{end:%Y-%m-%d %H:%M:%S} {off}">'
        )
        lines.append('  <MetadataEntry key="HKTimeZone" value="Europe/Berlin"/>')
        lines.append(" </Workout>")
    lines.append("</HealthData>")
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as z:
        info = zipfile.ZipInfo("apple_health_export/export.xml", date_time=FIXED_TIME.timetuple()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, ("\n".join(lines) + "\n").encode("utf-8"))
    return raw.getvalue()


def _pain_tracker_json(pain: pd.DataFrame) -> bytes:
    """The pain log as the open-source pain diary Pain Tracker (CrisisCore) exports it
    in JSON (the full export's shape, as in tests/io/fixtures/apps/pain_tracker): one
    entry per rating, the time in UTC with milliseconds and a Z (the app writes
    ``toISOString()``), the rating in ``baselineData.pain``, the location in
    ``locations``; the app has no field for the context, so it is not written."""
    import json

    entries = []
    for i, r in enumerate(pain.itertuples(index=False), start=1):
        when = dt.datetime.fromisoformat(r.timestamp).astimezone(dt.UTC)
        entry = {"id": f"entry-{i:03d}",
                 "timestamp": when.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                 "baselineData": {"pain": int(r.pain) if float(r.pain).is_integer()
                                  else float(r.pain),
                                  "locations": [r.location] if isinstance(r.location, str)
                                  else [], "symptoms": []}}
        if isinstance(r.notes, str) and r.notes:
            entry["notes"] = r.notes
        entries.append(entry)
    return (json.dumps(entries, indent=2) + "\n").encode("utf-8")


def _toml_value(value: object) -> str:
    """A value of a prescription file as TOML writes it: a date bare, text quoted,
    a list in brackets, targets as an inline table."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return json.dumps(value)  # a TOML basic string: the same quotes and escapes
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return str(int(value))


#: the order a version's keys are written in, as docs/prescriptions.md does
_VERSION_ORDER = ("start", "end", "by", "why", "exercises", "targets", "exercise_minutes",
                  "walk_minutes", "days", "name")


def _prescriptions_toml(notes: dict) -> bytes:
    """The caseload's histories as the TOML file a clinician writes (the format of
    docs/prescriptions.md): a ``[[patient]]`` per patient, a ``[[patient.version]]``
    per version, targets in the program's order; read back to the same notes."""
    order = {e: i for i, e in enumerate(default_program().exercise_ids)}
    out = ["# Prescription histories of the caseload P01 to P05 (caseload_sessions.csv).",
           "# Made up by backrx_analysis.simulate.simulate_prescriptions; the format is in",
           "# docs/prescriptions.md. Each version states only what changes from the one",
           "# before it; the first starts from the default program.", ""]
    for patient in notes["patient"]:
        out += ["[[patient]]", f"id = {_toml_value(patient['id'])}", ""]
        for version in patient["version"]:
            out.append("  [[patient.version]]")
            for key in sorted(version, key=_VERSION_ORDER.index):
                value = version[key]
                if key == "targets":
                    value = dict(sorted(value.items(), key=lambda kv: order[kv[0]]))
                out.append(f"  {key} = {_toml_value(value)}")
            out.append("")
    text = "\n".join(out).rstrip("\n") + "\n"
    if tomllib.loads(text) != notes:
        raise RuntimeError("caseload_prescriptions.toml does not read back as simulated")
    return text.encode("utf-8")


def _head(data: bytes, n: int = 4) -> str:
    """The header line and the first ``n - 1`` lines of a CSV file."""
    return "\n".join(data.decode("utf-8").splitlines()[:n])


def _visits_table(sheet: pd.DataFrame) -> str:
    """The single person's scores at each visit, as a Markdown table (worked out by
    the kit from the sheet, as a reader of the README would)."""
    import backrx_analysis as bx

    scores = bx.score_outcomes(bx.load_outcomes(sheet))
    wide = scores.pivot(index="date", columns="questionnaire", values="score")
    out = ["| visit | ODI (%) | RMDQ (0-24) | PSFS (0-10) | EARS (0-24) |", "|---|---|---|---|---|"]
    for day, r in wide.iterrows():
        cells = [f"{r[q]:g}" if pd.notna(r[q]) else "not scored"
                 for q in ("odi", "rmdq", "psfs", "ears")]
        out.append(f"| {day:%Y-%m-%d} | " + " | ".join(cells) + " |")
    return "\n".join(out)


def _readme(files: dict[str, bytes], frames: dict[str, pd.DataFrame]) -> str:
    s, p = frames["sessions.csv"], frames["pain.csv"]
    w = frames["wide_sessions.csv"]
    cs, cp = frames["caseload_sessions.csv"], frames["caseload_pain.csv"]
    end = (pd.Timestamp(START) + pd.Timedelta(days=DAYS - 1)).date()
    wide_end = (pd.Timestamp(START) + pd.Timedelta(days=WIDE_DAYS - 1)).date()

    def rows(frame: pd.DataFrame) -> str:
        return f"{len(frame):,}"

    return f"""# Sample data

Made-up exercise and pain logs for trying the kit. No real person is behind them:
every file here is written by a simulator (`backrx_analysis.simulate`) that imitates
how people keep such logs, with the gaps, spellings and mistakes of a real diary.
They follow the home program for low back pain that the kit measures: five
exercises (ankle pumps, abdominal bracing, wall squat, straight leg raise on each
leg, partial curl-up), 10 repetitions of each a day, 10 to 30 minutes of exercise a
day, and short walks of about 10 to 20 minutes.

The period is 12 weeks, {START} to {end} ({DAYS} days), unless said otherwise.

## The files

| file | what it is | rows |
|---|---|---|
| `sessions.csv` | one person's exercise log, one line per exercise or walk | {rows(s)} |
| `pain.csv` | the same person's pain ratings | {rows(p)} |
| `wide_sessions.xlsx` | a small spreadsheet kept the other way: one line per day ({START} to {wide_end}, {WIDE_DAYS} days) | {rows(w)} |
| `wide_sessions.csv` | the same sheet saved as CSV | {rows(w)} |
| `caseload_sessions.csv` | exercise logs of five people, P01 to P05 | {rows(cs)} |
| `caseload_pain.csv` | their pain ratings | {rows(cp)} |
| `multi_exercises.csv` | `sessions.csv` without its walks: the exercises as kept in a spreadsheet | {rows(frames["multi_exercises.csv"])} |
| `multi_apple_health.zip` | the same person's walks as their phone exported them (Apple Health `export.zip`) | {len(frames["walks"])} walks |
| `multi_pain_tracker.json` | the same person's pain ratings as the pain diary Pain Tracker exports them (JSON, UTC times) | {rows(frames["pain.csv"])} |
| `prescriptions.toml` | the single person's prescription as their physio changed it (3 versions) | 3 versions |
| `caseload_prescriptions.toml` | the five people's prescriptions as their physio changed them over the 12 weeks | {frames["versions"]} versions |
| `outcomes.csv` | the single person's function questionnaires (ODI, RMDQ, PSFS, EARS), one line per visit | {rows(frames["outcomes.csv"])} visits |
| `caseload_outcomes.csv` | the five people's questionnaires | {rows(frames["caseload_outcomes.csv"])} visits |

All CSV files are plain text (UTF-8), comma-separated, with a header line. An empty
cell means nothing was written there.

### Exercise logs (`sessions.csv`, `caseload_sessions.csv`)

One line per entry. A day on which nothing was done has no lines at all (the kit
counts it as a day not done).

| column | what it holds |
|---|---|
| `patient_id` | who (caseload file only): P01 ... P05 |
| `date` | the day, as `YYYY-MM-DD` |
| `time` | when, as `HH:MM`; sometimes left empty |
| `exercise` | the name as the person wrote it: mostly "Ankle pumps", "Abdominal bracing" or "Ab bracing", "Wall squat", "SLR" or "Straight leg raise", "Partial curl-up" or "Curl-up"; now and then another name ("Wall slide", "crunch", "Core brace") or in capitals; "Walk" (or "Walking", "walk outside") for walks; "Routine" or "session" for a line that gives the minutes of the whole routine |
| `reps` | repetitions in each set; empty for walks and routine lines |
| `sets` | number of sets; often 1, sometimes left empty (the kit then counts 1) |
| `side` | for straight leg raise: `left` and `right` on separate lines, or one line with `both` or no side (counted for each leg) |
| `minutes` | minutes spent on that exercise (usually 2 to 6), or the walk's length (5 to 30), or the whole routine's |
| `notes` | mostly empty; sometimes a remark, which may contain commas (then it is in quotes) |

The first lines of `sessions.csv`:

```
{_head(files["sessions.csv"])}
```

What happens in `sessions.csv`: the person exercises nearly every day at first; as the
weeks go by more days are missed (weekends most), some sets stop short of 10, and an
exercise is sometimes left out. They walk on most days. A few times a session runs
far past 30 minutes, and the pain log shows a flare on the following days.

In the caseload the five people differ: **P01** keeps going steadily, **P02** starts
well and then sags, **P03** mostly skips weekends, **P04** does the exercises but
too few repetitions and too few minutes, **P05** overdoes it (long sessions, then
flares).

### Pain logs (`pain.csv`, `caseload_pain.csv`)

| column | what it holds |
|---|---|
| `patient_id` | who (caseload file only) |
| `timestamp` | when the rating was written, with the time zone's offset from UTC, e.g. `2026-03-02T23:45:00+01:00`. A rating belongs to the day written in it, however late |
| `pain` | 0 (no pain) to 10 (worst imaginable); whole numbers, sometimes a half |
| `context` | `morning`, `after exercise`, `after walk`, `afternoon`, `evening`, or `night` (woken by pain) |
| `location` | where it hurt, e.g. "low back", "left buttock" |
| `notes` | mostly empty |

One to three ratings on most days (now and then a fourth, at night, or none at all).
Pain starts around 6 and drifts down to around 3. The
single person lives on Central European time: the offset changes from `+01:00` to
`+02:00` with summer time on 29 March. In the caseload P03 and P05 are on US Eastern
time (`-05:00`, then `-04:00`) and P04 on UK time (`+00:00`, then `+01:00`); some
ratings are written late in the evening (23:xx) or just after midnight, where
converting to UTC would move them to another day.

The first lines of `pain.csv`:

```
{_head(files["pain.csv"])}
```

### Wide sheet (`wide_sessions.xlsx`, `wide_sessions.csv`)

One line per day, as many people keep a paper or Excel diary: `date`, then one
column per exercise with the repetitions done that day ("Ankle pumps", "Ab bracing",
"Wall squat", "SLR" (per leg), "Curl-up"; empty or 0 when not done), then
`exercise minutes`, `walk minutes` and `notes`. In the Excel file the dates are real
dates; the sheet is called "Exercise log".

The first lines of `wide_sessions.csv`:

```
{_head(files["wide_sessions.csv"])}
```

### Three sources for one person (`multi_exercises.csv`, `multi_apple_health.zip`, `multi_pain_tracker.json`)

The same 12 weeks as `sessions.csv` and `pain.csv`, kept the way many people really
do: the exercises in a spreadsheet, the walks recorded by the phone, the pain in a
pain-diary app. The zip is an Apple Health export (`apple_health_export/export.xml`),
one walking workout per walk of `sessions.csv`, with its start time (noon for the
walks logged without one) and minutes and the Central European offset of that day.
The JSON is the pain diary Pain Tracker's export of the ratings of `pain.csv` (its
times in UTC, as that app writes them; it has no context field). Loaded together in
one call they give the same days as `sessions.csv` and `pain.csv`:

```python
sessions = bx.load_sessions([bx.sample_path("multi_exercises"),
                             bx.sample_path("multi_apple_health")])
pain = bx.load_pain(bx.sample_path("multi_pain_tracker"), tz="Europe/Berlin")
```

### Prescription histories (`prescriptions.toml`, `caseload_prescriptions.toml`)

`prescriptions.toml` is the single sample person's: the default program from 2 March,
curl-ups dropped after the flare of 12-13 March (version 2, from 16 March), back when
the pain settled with walks of 15-30 minutes (version 3, from 13 April). `backrx demo`
measures the sample against it, and its report shows the "Prescription history" page:

```python
rx = bx.load_prescriptions(bx.sample_path("prescriptions"))
result = bx.analyze(*bx.load_sample(), program=rx)
```

`caseload_prescriptions.toml` is the caseload's.

What the physio of the caseload prescribed, and when it changed: for each of P01 to
P05 a version 1 on their first day (the default program, or for P04 without wall
squats), then the changes of a course of care, each with who and why: the targets
raised after two to three weeks (10 to 12 or 15 repetitions, for some the walks from
10-20 to 20-30 minutes), wall squats added for P04 in week 3, curl-ups dropped after a
flare (P02; P05 also on three days a week, Mon/Wed/Fri, until the flare settled).
The file is the format of `docs/prescriptions.md`, a few lines per version. The logs
were not written to follow it (the simulated people keep doing about 10 of each), so
after a progression the days measure against the higher targets. Loaded and used:

```python
rx = bx.load_prescriptions(bx.sample_path("caseload_prescriptions"))
sessions, pain = bx.load_sample(caseload=True)
result = bx.analyze(sessions, pain, program=rx)   # each day against its version
result.by_version
```

### Function questionnaires (`outcomes.csv`, `caseload_outcomes.csv`)

The questionnaires the physio had the sample people fill in: a baseline on their
first day, then every 2 to 4 weeks. One line per visit, in the sheet layout of
`docs/data-format.md` ("Function questionnaires"): `date` (and `patient_id` in the
caseload file), the ten ODI sections `odi_1` .. `odi_10` (0 to 5; now and then two
boxes ticked, written `3,4`, and rarely a section left blank), the 24 RMDQ statements
`rmdq_1` .. `rmdq_24` (`yes` or `no`, now and then one left blank), the PSFS: three
activities each person named (`psfs_activity_1` .. `_3`, e.g. "bending to put on
socks", the same at every visit) with their scores `psfs_score_1` .. `_3` (0 unable
to 10 as able as before; slots 4 and 5 are empty), and the six EARS items `ears_1` ..
`ears_6` (0 to 4, as ticked, before reverse scoring).

The answers follow the logs: ODI and RMDQ are higher and the PSFS lower in a week of
more pain (the mean rating of the 7 days up to the visit); the EARS follows how many
days of the 2 weeks before the visit had exercises logged (at the baseline, the first
week's). The single person's scores, as the kit works them out:

{_visits_table(frames["outcomes.csv"])}

Loaded, scored and followed over time (docs/metrics.md, "Function questionnaires"):

```python
answers = bx.load_outcomes(bx.sample_path("outcomes"))
scores = bx.score_outcomes(answers)
trend = bx.outcomes_trend(answers)       # change from the baseline, improved or not
caseload = bx.outcomes_trend(bx.load_outcomes(bx.sample_path("caseload_outcomes")))
```

## Using them

```python
import backrx_analysis as bx
sessions, pain = bx.load_sample()
```

or open them with any spreadsheet program.

## How they were made

By `scripts/make_sample_data.py`, from `backrx_analysis.simulate.simulate_logs`
(seeds {SEED_ONE} for the single person, {SEED_CASELOAD} for the caseload,
{SEED_WIDE} for the wide sheet), and the histories from
`backrx_analysis.simulate.simulate_prescriptions` (seed {SEED_HISTORY}), the
questionnaires from `backrx_analysis.simulate.simulate_outcomes` run on the logs with
the logs' seeds. To make them again, from the project folder:

```
python scripts/make_sample_data.py
```

The result is the same, byte for byte, every time; `--check` reports whether the
files in the folder are up to date. This README is written by the same script.
"""


def _histories(c_sessions: pd.DataFrame) -> dict:
    """The caseload's prescription histories, each patient's version 1 on their first
    day in the log."""
    import backrx_analysis as bx

    first = bx.load_sessions(c_sessions).groupby("patient_id", observed=True)["date"].min()
    starts = {str(pid): day.date() for pid, day in first.items()}
    return simulate_prescriptions(list(starts), starts, seed=SEED_HISTORY, days=DAYS)


#: The single sample person's prescription as their physio changed it: curl-ups out
#: after the flare of 12-13 March (pain.csv), back when the pain settled, with longer
#: walks. Written by hand, as a clinician writes the file (docs/prescriptions.md).
ONE_PRESCRIPTIONS = """\
# The sample person's prescription, as their physio changed it at each visit.
[[patient]]
id = "patient"

  [[patient.version]]
  start = 2026-03-02
  by = "physio"
  why = "early recovery: the default program"

  [[patient.version]]
  start = 2026-03-16
  by = "physio"
  why = "curl-ups dropped after the flare of 12-13 March"
  exercises = ["ankle_pumps", "abdominal_bracing", "wall_squat", "straight_leg_raise"]

  [[patient.version]]
  start = 2026-04-13
  by = "physio"
  why = "pain settled: curl-ups back, walks of 15-30 minutes"
  exercises = ["ankle_pumps", "abdominal_bracing", "wall_squat", "straight_leg_raise",
               "partial_curl_up"]
  walk_minutes = [15, 30]
"""


def build() -> dict[str, bytes]:
    """File name -> content of every generated file."""
    sessions, pain = simulate_logs(1, DAYS, seed=SEED_ONE, start=START)
    wide, _ = simulate_logs(1, WIDE_DAYS, seed=SEED_WIDE, start=START, wide=True)
    c_sessions, c_pain = simulate_logs(5, DAYS, seed=SEED_CASELOAD, start=START)
    exercises, walks = _split_walks(sessions)
    frames = {
        "sessions.csv": sessions,
        "pain.csv": pain,
        "wide_sessions.csv": wide,
        "caseload_sessions.csv": c_sessions,
        "caseload_pain.csv": c_pain,
    }
    frames["multi_exercises.csv"] = exercises
    frames["outcomes.csv"] = simulate_outcomes(sessions, pain, seed=SEED_ONE)
    frames["caseload_outcomes.csv"] = simulate_outcomes(c_sessions, c_pain, seed=SEED_CASELOAD)
    files = {name: _csv_bytes(frame) for name, frame in frames.items()}
    files["wide_sessions.xlsx"] = _xlsx_bytes(wide)
    files["multi_apple_health.zip"] = _apple_health_zip(walks)
    files["multi_pain_tracker.json"] = _pain_tracker_json(pain)
    histories = _histories(c_sessions)
    files["caseload_prescriptions.toml"] = _prescriptions_toml(histories)
    files["prescriptions.toml"] = ONE_PRESCRIPTIONS.encode("utf-8")
    frames["versions"] = sum(len(p["version"]) for p in histories["patient"])
    frames["walks"] = walks
    files["README.md"] = _readme(files, frames).encode("utf-8")
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report files that would change")
    parser.add_argument(
        "--out", type=Path, default=OUT, help="folder to write (default sample_data/)"
    )
    args = parser.parse_args(argv)
    files = build()
    stale = [n for n, data in files.items() if not (args.out / n).is_file()
             or (args.out / n).read_bytes() != data]  # fmt: skip
    if args.check:
        for name in stale:
            print(f"out of date: {args.out / name}")
        return 1 if stale else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (args.out / name).write_bytes(data)
        print(f"wrote {args.out / name} ({len(data):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
