"""The Dashboard driven as a person would: set ``.value``, click, then check what was
drawn and what was written."""

from __future__ import annotations

import datetime as dt

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
import pytest

import backrx_analysis as bx
from backrx_analysis.app import TABS, Dashboard
from backrx_analysis.report import safe_filename


def _gid(fig, gid):
    found = [a for ax in fig.axes for a in ax.get_children() if a.get_gid() == gid]
    assert found, f"nothing drawn with gid {gid!r}"
    return found[0]


def _png(out):
    (item,) = out.outputs
    return item["data"]["image/png"]


@pytest.fixture
def dash(sample, tmp_path):
    return Dashboard(*sample, export_dir=tmp_path / "exports")


def test_opens_on_the_whole_log(dash, sample):
    s, p = sample
    first = min(s["date"].min(), p["date"].min())
    last = max(s["date"].max(), p["date"].max())
    assert dash.start.value == first.date() and dash.end.value == last.date()
    assert dash.status.value.startswith(f"Showing {first:%Y-%m-%d} \u2013 {last:%Y-%m-%d}")
    assert dash.patient.layout.display == "none"  # one patient: no selector
    assert _png(dash.charts["Adherence"])


def test_date_range_redraws_the_minutes_chart_with_the_period(dash, sample):
    dash.tabs.selected_index = TABS.index("Minutes")
    before = _png(dash.charts["Minutes"])
    dash.start.value = dt.date(2026, 3, 9)
    dash.end.value = dt.date(2026, 3, 22)
    fig = dash._figures["Minutes"]
    bars = _gid(fig, "exercise-minutes")
    heights = [p.vertices[:, 1].max() for p in bars.get_paths()]
    daily = bx.daily_adherence(sample[0])
    want = daily[daily["date"].between("2026-03-09", "2026-03-22")]["exercise_minutes"]
    np.testing.assert_allclose(heights, want.to_numpy(dtype=float))
    band = _gid(fig, "exercise-band")
    ys = band.get_path().transformed(band.get_patch_transform()).vertices[:, 1]
    assert (ys.min(), ys.max()) == (10, 30)
    assert _png(dash.charts["Minutes"]) != before
    assert "2026-03-09 \u2013 2026-03-22 (14 days)" in dash.status.value


def test_quick_ranges(dash):
    dash.last4.click()
    assert (dash.end.value - dash.start.value).days == 27
    dash.all_days.click()
    assert (dash.end.value - dash.start.value).days > 27


def test_window_slider_changes_the_rolling_mean(dash, sample):
    dash.tabs.selected_index = TABS.index("Pain")
    dash.window.value = 14
    line = _gid(dash._figures["Pain"], "pain-rolling-mean")
    trend = bx.pain_trend(sample[1], window=14)
    np.testing.assert_allclose(np.asarray(line.get_ydata(), dtype=float),
                               trend["rolling_mean"].to_numpy(dtype=float, na_value=np.nan))


def test_exercise_selector_limits_the_heatmap(dash):
    dash.tabs.selected_index = TABS.index("Adherence")
    dash.exercises.value = ("wall_squat", "straight_leg_raise")
    ax = dash._figures["Adherence"].axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == 2 and "Wall squat" in labels[0]


def test_every_tab_draws(dash):
    for i, tab in enumerate(TABS):
        dash.tabs.selected_index = i
        assert _png(dash.charts[tab]).startswith("iVBOR")  # a PNG


def test_patient_selector_with_a_caseload():
    s, p = bx.load_sample(caseload=True)
    d = Dashboard(s, p, patient_labels={"P03": "Mrs B."})
    assert list(d.patient.options) == ["P01", "P02", "P03", "P04", "P05"]
    assert d.patient.layout.display == ""
    d.tabs.selected_index = TABS.index("Pain")
    before = _png(d.charts["Pain"])
    d.patient.value = "P03"
    assert _png(d.charts["Pain"]) != before
    line = _gid(d._figures["Pain"], "pain-rolling-mean")
    want = bx.pain_trend(p[p["patient_id"] == "P03"])["rolling_mean"]
    np.testing.assert_allclose(np.asarray(line.get_ydata(), dtype=float),
                               want.to_numpy(dtype=float, na_value=np.nan))


def test_export_writes_the_report_and_charts_inside_the_folder(dash, tmp_path):
    dash.patient_labels = {"patient": "../../etc/evil"}
    dash.last4.click()
    dash.export_button.click()
    folder = (tmp_path / "exports").resolve()
    assert dash.exported and all(folder in p.resolve().parents for p in dash.exported)
    pdf = [p for p in dash.exported if p.suffix == ".pdf"]
    assert len(pdf) == 1 and pdf[0].stat().st_size > 10_000
    assert any(p.suffix == ".png" for p in dash.exported)
    assert "Wrote" in dash.export_result.value
    assert safe_filename("../../etc/evil") == "etc_evil"


# -- redrawing in place ----------------------------------------------------------------


def _image(out):
    import base64
    import io

    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(base64.b64decode(_png(out)))).convert("RGBA"))


def test_together_after_a_date_change_draws_exactly_the_new_period(dash, sample):
    dash.tabs.selected_index = TABS.index("Together")
    fig = dash._figures["Together"]
    axes = list(fig.axes)
    for start, end in (("2026-03-09", "2026-03-22"), ("2026-04-01", "2026-05-10"),
                       ("2026-03-02", "2026-03-29")):
        dash.set_range(start, end)
        assert fig.axes == axes  # brought to the new period, not drawn again
        want = bx.daily_adherence(sample[0], start=start, end=end)
        days = len(pd.date_range(start, end))
        assert len(want) == days
        assert _gid(fig, "reps-heatmap").get_array().shape[1] == days
        bars = _gid(fig, "exercise-minutes")
        np.testing.assert_allclose([p.vertices[:, 1].max() for p in bars.get_paths()],
                                   want["exercise_minutes"].to_numpy(dtype=float))
        walk = _gid(fig, "walk-minutes")
        np.testing.assert_allclose([p.vertices[:, 1].max() for p in walk.get_paths()],
                                   want["walk_minutes"].to_numpy(dtype=float))
        lo, hi = mdates.date2num(pd.to_datetime([start, end]).to_numpy())
        np.testing.assert_allclose(fig.axes[3].get_xlim(), (lo - 0.6, hi + 0.6))
        assert f"{pd.Timestamp(start).day} {pd.Timestamp(start):%b %Y}" in fig.get_suptitle()


def test_together_follows_the_exercises_and_the_patient():
    s, p = bx.load_sample(caseload=True)
    d = Dashboard(s, p)
    d.tabs.selected_index = TABS.index("Together")
    d.set_range("2026-03-09", "2026-04-05")
    d.exercises.value = ("wall_squat", "straight_leg_raise")
    fig = d._figures["Together"]
    assert _gid(fig, "reps-heatmap").get_array().shape[0] == 2
    shown = d.program.subset(("wall_squat", "straight_leg_raise"))
    for pid in ("P01", "P03"):
        d.patient.value = pid
        d.set_range("2026-03-09", "2026-04-05")
        want = bx.daily_adherence(s[s["patient_id"] == pid], program=shown,
                                  start="2026-03-09", end="2026-04-05")
        bars = _gid(fig, "exercise-minutes")
        np.testing.assert_allclose([q.vertices[:, 1].max() for q in bars.get_paths()],
                                   want["exercise_minutes"].to_numpy(dtype=float))
        assert pid in fig.get_suptitle()


def test_a_period_beyond_the_logs_is_drawn_with_its_empty_days(dash, sample):
    dash.tabs.selected_index = TABS.index("Together")
    first = sample[0]["date"].min()
    dash.set_range(first - pd.Timedelta(days=5), first + pd.Timedelta(days=9))
    assert _gid(dash._figures["Together"], "reps-heatmap").get_array().shape[1] == 15


@pytest.mark.parametrize("tab", TABS)
def test_the_chart_shown_is_what_the_figure_draws(dash, tab):
    """Redrawing only what changed gives the picture of drawing the whole figure."""
    import io

    from PIL import Image

    dash.tabs.selected_index = TABS.index(tab)
    for start, end in (("2026-03-09", "2026-03-22"), ("2026-03-02", "2026-05-20"),
                       ("2026-04-20", "2026-05-03")):
        dash.set_range(start, end)
        buf = io.BytesIO()
        dash._figures[tab].savefig(buf, format="png", dpi=dash.dpi)
        drawn = np.asarray(Image.open(buf).convert("RGBA"))
        np.testing.assert_array_equal(_image(dash.charts[tab]), drawn)


# -- function questionnaires (outcomes=) ---------------------------------------------

@pytest.fixture
def with_function(sample, tmp_path):
    outcomes = bx.load_outcomes(bx.sample_path("outcomes"))
    return Dashboard(*sample, outcomes=outcomes, export_dir=tmp_path / "exports"), outcomes


def test_without_questionnaires_the_tabs_are_as_before(dash):
    assert dash.tab_names == TABS and dash.function() is None


def test_function_tab_draws_the_scores_of_the_analysis(with_function):
    dash, outcomes = with_function
    assert dash.tab_names == ("Adherence", "Minutes", "Calendar", "Pain", "Function",
                              "Together")
    dash.tabs.selected_index = dash.tab_names.index("Function")
    fig = dash._figures["Function"]
    trend = bx.outcomes_trend(outcomes)
    for q in ("odi", "rmdq", "psfs", "ears"):
        line = _gid(fig, f"score-{q}")
        want = trend.loc[(trend["questionnaire"] == q) & trend["scored"], "score"]
        np.testing.assert_allclose(line.get_ydata(), want.to_numpy(dtype=float))
    # on the period chosen: the same dates as the other tabs
    start, end = mdates.num2date(fig.axes[0].get_xlim())
    assert start.date() <= dash.start.value and end.date() >= dash.end.value
    assert _png(dash.charts["Function"])


def test_together_shows_dose_pain_and_function_on_one_axis(with_function):
    dash, outcomes = with_function
    dash.tabs.selected_index = dash.tab_names.index("Together")
    fig = dash._figures["Together"]
    assert len(fig.axes) == 4 + 4  # heatmap, minutes, walks, pain + one per questionnaire
    for ax in fig.axes[1:]:
        assert fig.axes[0].get_shared_x_axes().joined(fig.axes[0], ax)
    assert fig.get_size_inches()[1] > 7.5
    odi = _gid(fig, "score-odi")
    trend = bx.outcomes_trend(outcomes)
    want = trend.loc[(trend["questionnaire"] == "odi") & trend["scored"], "score"]
    np.testing.assert_allclose(odi.get_ydata(), want.to_numpy(dtype=float))
    # a new period is brought in place, the function panels follow the shared axis
    before = dash.redraws
    dash.set_range("2026-03-16", "2026-04-12")
    assert dash.redraws == before + 1
    lo, hi = fig.axes[-1].get_xlim()
    assert mdates.num2date(lo).date() <= dt.date(2026, 3, 16) <= mdates.num2date(lo + 1).date()
    assert mdates.num2date(hi).date() >= dt.date(2026, 4, 12)
    assert len(fig.axes) == 8


def test_together_says_the_association_of_the_period_in_words(dash):
    dash.tabs.selected_index = TABS.index("Together")
    text = dash.association.value
    assert "Exercise and pain in this period" in text
    assert "Next day:" in text and "association, not cause" in text
    assert "Spearman" not in text and "\u03c1" not in text
    want = bx.dose_pain_association(dash.shown_daily(*dash._period()), dash.pain)
    first = want.iloc[0]
    assert f"{first['n_days']} days" in text
    dash.set_range("2026-03-02", "2026-03-10")  # 9 days: the rule refuses
    assert "too little data" in dash.association.value


def test_the_fhir_button_writes_the_periods_bundle(dash, tmp_path):
    dash.set_range("2026-03-16", "2026-03-29")
    dash.fhir_button.click()
    (bundle,) = dash.exported
    assert bundle.parent == (tmp_path / "exports").resolve()
    assert bundle.name == "backrx-patient-20260316-20260329.fhir.json"
    assert "Wrote the FHIR R4 Bundle" in dash.export_result.value
    back = bx.load_fhir(bundle)
    assert back.sessions["date"].min() >= pd.Timestamp("2026-03-16")
    assert back.sessions["date"].max() <= pd.Timestamp("2026-03-29")
    assert back.sessions["notes"].isna().all()  # notes only when asked
