"""A seeded synthetic Apple Health ``export.xml`` of any size, written streaming.

The file is in Apple's format: the XML declaration and the ``HealthData`` DTD, then
``ExportDate`` and ``Me``, every ``Record`` (many types, with ``MetadataEntry`` and
``HeartRateVariabilityMetadataList`` children, a few ``LowerBackPain`` symptom
samples), then the ``Workout`` elements (walks, some also recorded by the phone, some
crossing midnight; hikes, runs, rides, strength, yoga; with ``MetadataEntry``,
``WorkoutEvent``, ``WorkoutStatistics`` and ``WorkoutRoute`` children), then one
``ActivitySummary`` a day, as Apple orders them. It is written a day at a time (the
workouts and summaries through side files appended at the end), so memory stays small
at any size. :func:`write_apple_health_export` returns what it wrote, including the
walk minutes of each local day a reader must find.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["AppleHealthExport", "write_apple_health_export"]

_HEADER = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!-- HealthKit Export Version: 14 -->
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary|ClinicalRecord|Audiogram|VisionPrescription)*)>
<!ATTLIST HealthData
  locale CDATA #REQUIRED
>
<!ELEMENT ExportDate EMPTY>
<!ATTLIST ExportDate
  value CDATA #REQUIRED
>
<!ELEMENT Me EMPTY>
<!ATTLIST Me
  HKCharacteristicTypeIdentifierDateOfBirth         CDATA #REQUIRED
  HKCharacteristicTypeIdentifierBiologicalSex       CDATA #REQUIRED
  HKCharacteristicTypeIdentifierBloodType           CDATA #REQUIRED
  HKCharacteristicTypeIdentifierFitzpatrickSkinType CDATA #REQUIRED
>
<!ELEMENT Record ((MetadataEntry|HeartRateVariabilityMetadataList)*)>
<!ATTLIST Record
  type          CDATA #REQUIRED
  unit          CDATA #IMPLIED
  value         CDATA #IMPLIED
  sourceName    CDATA #REQUIRED
  sourceVersion CDATA #IMPLIED
  device        CDATA #IMPLIED
  creationDate  CDATA #IMPLIED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
<!ELEMENT MetadataEntry EMPTY>
<!ATTLIST MetadataEntry
  key   CDATA #REQUIRED
  value CDATA #REQUIRED
>
<!ELEMENT HeartRateVariabilityMetadataList (InstantaneousBeatsPerMinute*)>
<!ELEMENT InstantaneousBeatsPerMinute EMPTY>
<!ATTLIST InstantaneousBeatsPerMinute
  bpm  CDATA #REQUIRED
  time CDATA #REQUIRED
>
<!ELEMENT Workout ((MetadataEntry|WorkoutEvent|WorkoutRoute|WorkoutStatistics)*)>
<!ATTLIST Workout
  workoutActivityType   CDATA #REQUIRED
  duration              CDATA #IMPLIED
  durationUnit          CDATA #IMPLIED
  sourceName            CDATA #REQUIRED
  sourceVersion         CDATA #IMPLIED
  device                CDATA #IMPLIED
  creationDate          CDATA #IMPLIED
  startDate             CDATA #REQUIRED
  endDate               CDATA #REQUIRED
>
]>
<HealthData locale="en_US">
 <ExportDate value="%(export)s"/>
 <Me HKCharacteristicTypeIdentifierDateOfBirth="" HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexNotSet" HKCharacteristicTypeIdentifierBloodType="HKBloodTypeNotSet" HKCharacteristicTypeIdentifierFitzpatrickSkinType="HKFitzpatrickSkinTypeNotSet"/>
"""

_WATCH = "Owner’s Apple Watch"
_PHONE = "Owner’s iPhone"
_WATCH_DEVICE = ("&lt;&lt;HKDevice: 0x28a1c4e60&gt;, name:Apple Watch, manufacturer:Apple Inc., "
                 "model:Watch, hardware:Watch6,2, software:10.4&gt;")
_PHONE_DEVICE = ("&lt;&lt;HKDevice: 0x28a1c5f40&gt;, name:iPhone, manufacturer:Apple Inc., "
                 "model:iPhone, hardware:iPhone15,2, software:17.4&gt;")
_RECORD = (' <Record type="HKQuantityTypeIdentifier%s" sourceName="%s" sourceVersion="10.4" '
           'device="%s" unit="%s" creationDate="%s" startDate="%s" endDate="%s" value="%s"')
#: (type, unit, per day, low, high, decimals, from the watch, metadata key or None)
_TYPES = (
    ("HeartRate", "count/min", 150, 52, 150, 0, True, "HKMetadataKeyHeartRateMotionContext"),
    ("StepCount", "count", 80, 5, 900, 0, False, None),
    ("DistanceWalkingRunning", "km", 80, 0.002, 0.6, 5, False, None),
    ("ActiveEnergyBurned", "kcal", 200, 0.05, 12, 3, True, None),
    ("BasalEnergyBurned", "kcal", 150, 0.5, 3, 3, True, None),
    ("FlightsClimbed", "count", 5, 1, 4, 0, False, None),
    ("AppleExerciseTime", "min", 20, 1, 1, 0, True, None),
    ("AppleStandTime", "min", 20, 1, 5, 0, True, None),
    ("RespiratoryRate", "count/min", 10, 12, 19, 1, True, None),
    ("WalkingSpeed", "km/hr", 10, 3.2, 5.6, 3, False, None),
    ("WalkingStepLength", "cm", 10, 55, 80, 0, False, None),
    ("OxygenSaturation", "%", 6, 0.93, 1, 2, True, "HKMetadataKeyBarometricPressure"),
)
_SEVERITIES = ("HKCategoryValueSeverityMild", "HKCategoryValueSeverityModerate",
               "HKCategoryValueSeveritySevere", "HKCategoryValueSeverityNotPresent")
#: (type, chance on a day, minutes low, high)
_WORKOUTS = (
    ("Walking", 0.75, 8, 45), ("Running", 0.1, 15, 60), ("Cycling", 0.06, 20, 90),
    ("TraditionalStrengthTraining", 0.1, 20, 50), ("Yoga", 0.05, 15, 45),
    ("Hiking", 0.02, 60, 180),
)


@dataclass
class AppleHealthExport:
    """What :func:`write_apple_health_export` wrote.

    ``walk_minutes`` holds, per local day (``"2016-01-04"``), the minutes of the walks
    and hikes a reader must load (a walk also recorded by the phone counted once, on
    the day it started)."""

    path: Path
    size: int = 0
    days: int = 0
    records: int = 0
    lower_back_pain: int = 0
    workouts: dict[str, int] = field(default_factory=dict)
    duplicate_walks: int = 0
    walk_minutes: dict[str, float] = field(default_factory=dict)


def _offset(day: dt.date, travel: bool) -> str:
    if travel:
        return "+0100"
    return "-0700" if 3 < day.month < 11 else "-0800"


def _stamp(day: dt.date, seconds: int, offset: str) -> str:
    when = dt.datetime.combine(day, dt.time()) + dt.timedelta(seconds=seconds)
    return f"{when:%Y-%m-%d %H:%M:%S} {offset}"


def _records(rng: random.Random, day: dt.date, off: str, out: AppleHealthExport) -> list[str]:
    parts = []
    for name, unit, per_day, lo, hi, dec, watch, meta in _TYPES:
        src, dev = (_WATCH, _WATCH_DEVICE) if watch else (_PHONE, _PHONE_DEVICE)
        for t in sorted(rng.randrange(86_340) for _ in range(per_day)):
            start = _stamp(day, t, off)
            end = _stamp(day, t + rng.randrange(1, 60), off)
            value = round(rng.uniform(lo, hi), dec) if dec else rng.randint(int(lo), int(hi))
            head = _RECORD % (name, src, dev, unit, end, start, end, value)
            if meta is None:
                parts.append(head + "/>\n")
            else:
                parts.append(f'{head}>\n  <MetadataEntry key="{meta}" value="{rng.randint(0, 2)}"'
                             "/>\n </Record>\n")
        out.records += per_day
    for _ in range(rng.randint(1, 3)):  # heart rate variability, with its beats
        t = rng.randrange(80_000)
        beats = "".join(f'   <InstantaneousBeatsPerMinute bpm="{rng.randint(55, 80)}" '
                        f'time="{1 + i * 0.9:.2f}"/>\n' for i in range(rng.randint(40, 70)))
        parts.append(_RECORD % ("HeartRateVariabilitySDNN", _WATCH, _WATCH_DEVICE, "ms",
                                _stamp(day, t + 60, off), _stamp(day, t, off),
                                _stamp(day, t + 60, off), round(rng.uniform(20, 90), 4))
                     + ">\n  <HeartRateVariabilityMetadataList>\n" + beats
                     + "  </HeartRateVariabilityMetadataList>\n </Record>\n")
        out.records += 1
    if rng.random() < 0.04:
        t = rng.randrange(80_000)
        parts.append(f' <Record type="HKCategoryTypeIdentifierLowerBackPain" sourceName="Health" '
                     f'sourceVersion="17.4" creationDate="{_stamp(day, t, off)}" '
                     f'startDate="{_stamp(day, t, off)}" endDate="{_stamp(day, t + 3600, off)}" '
                     f'value="{rng.choice(_SEVERITIES)}"/>\n')
        out.records += 1
        out.lower_back_pain += 1
    return parts


def _workout(kind: str, minutes: float, start: str, end: str, src: str, dev: str,
             route: bool) -> str:
    stats = "".join(
        f'  <WorkoutStatistics type="HKQuantityTypeIdentifier{t}" startDate="{start}" '
        f'endDate="{end}" sum="{s:.3f}" unit="{u}"/>\n'
        for t, s, u in (("ActiveEnergyBurned", minutes * 4.1, "kcal"),
                        ("BasalEnergyBurned", minutes * 1.2, "kcal"),
                        ("DistanceWalkingRunning", minutes * 0.08, "km")))
    way = (f'  <WorkoutRoute sourceName="{src}" sourceVersion="17.4" creationDate="{end}" '
           f'startDate="{start}" endDate="{end}">\n   <MetadataEntry key="HKMetadataKeySyncVersion"'
           ' value="2"/>\n   <FileReference path="/workout-routes/route_'
           f'{start[:10]}_{start[11:13]}.{start[14:16]}.gpx"/>\n  </WorkoutRoute>\n') if route else ""
    return (f' <Workout workoutActivityType="HKWorkoutActivityType{kind}" duration="{minutes!r}" '
            f'durationUnit="min" sourceName="{src}" sourceVersion="10.4" device="{dev}" '
            f'creationDate="{end}" startDate="{start}" endDate="{end}">\n'
            '  <MetadataEntry key="HKIndoorWorkout" value="0"/>\n'
            '  <MetadataEntry key="HKTimeZone" value="America/Los_Angeles"/>\n'
            f'  <WorkoutEvent type="HKWorkoutEventTypeSegment" date="{start}" '
            f'duration="{minutes!r}" durationUnit="min"/>\n{stats}{way} </Workout>\n')


def _workouts(rng: random.Random, day: dt.date, off: str, out: AppleHealthExport) -> list[str]:
    parts = []
    for kind, chance, lo, hi in _WORKOUTS:
        if rng.random() >= chance:
            continue
        minutes = round(rng.uniform(lo, hi), 6)
        # mostly daytime; a few walks just before midnight, crossing it
        t = 86_400 - 600 if kind == "Walking" and rng.random() < 0.02 else rng.randrange(
            21_600, 72_000)
        seconds = round(minutes * 60)
        start, end = _stamp(day, t, off), _stamp(day, t + seconds + 30, off)
        parts.append(_workout(kind, minutes, start, end, _WATCH, _WATCH_DEVICE, kind != "Yoga"))
        out.workouts[kind] = out.workouts.get(kind, 0) + 1
        if kind in ("Walking", "Hiking"):
            key = day.isoformat()
            out.walk_minutes[key] = out.walk_minutes.get(key, 0.0) + minutes
            if rng.random() < 0.15:  # the phone recorded it too, starting 20 s later
                parts.append(_workout(kind, round(minutes - 0.2, 6), _stamp(day, t + 20, off),
                                      _stamp(day, t + seconds + 10, off), _PHONE, _PHONE_DEVICE,
                                      False))
                out.workouts[kind] += 1
                out.duplicate_walks += 1
    return parts


def _summary(day: dt.date, rng: random.Random) -> str:
    return (f' <ActivitySummary dateComponents="{day.isoformat()}" activeEnergyBurned='
            f'"{rng.uniform(200, 800):.3f}" activeEnergyBurnedGoal="630" activeEnergyBurnedUnit='
            f'"kcal" appleMoveTime="0" appleMoveTimeGoal="0" appleExerciseTime="{rng.randint(5, 90)}"'
            f' appleExerciseTimeGoal="30" appleStandHours="{rng.randint(6, 15)}" '
            'appleStandHoursGoal="12"/>\n')


def write_apple_health_export(
    path: str | Path,
    *,
    size_bytes: int,
    seed: int = 0,
    start: str = "2016-01-04",
) -> AppleHealthExport:
    """Write an ``export.xml`` of about ``size_bytes`` (a day's records past it at most).

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = write_apple_health_export(pathlib.Path(tmp) / "export.xml", size_bytes=200_000)
    >>> out.size >= 200_000, out.days >= 1
    (True, True)
    """
    path = Path(path)
    rng = random.Random(seed)
    out = AppleHealthExport(path)
    day = dt.date.fromisoformat(start)
    written = 0
    with tempfile.TemporaryDirectory(dir=path.parent) as tmp:
        side_w, side_s = Path(tmp) / "workouts", Path(tmp) / "summaries"
        with path.open("w", encoding="utf-8", newline="\n") as f, \
                side_w.open("w", encoding="utf-8") as fw, side_s.open("w", encoding="utf-8") as fs:
            written += f.write(_HEADER % {"export": f"{start} 09:00:00 -0800"})
            while written < size_bytes:
                travel = day.toordinal() % 90 < 7  # a week abroad every quarter
                off = _offset(day, travel)
                text = "".join(_records(rng, day, off, out))
                written += len(text.encode("utf-8"))
                f.write(text)
                w = "".join(_workouts(rng, day, off, out))
                s = _summary(day, rng)
                fw.write(w)
                fs.write(s)
                written += len(w.encode("utf-8")) + len(s)
                out.days += 1
                day += dt.timedelta(days=1)
        with path.open("ab") as f:
            for side in (side_w, side_s):
                with side.open("rb") as src:
                    shutil.copyfileobj(src, f, 1 << 20)
            f.write(b"</HealthData>\n")
    out.size = path.stat().st_size
    return out
