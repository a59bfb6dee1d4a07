"""PatientApp driven as a person would: the forms filled and saved, then what the
dashboard shows and what the files hold."""

from __future__ import annotations

import datetime as dt

import pandas as pd

import backrx_analysis as bx
from backrx_analysis.app import PatientApp
from backrx_analysis.app.patient_app import APP_TABS

SAMPLE_LAST = dt.date(2026, 5, 24)  # the sample's last day (its logs end on a Sunday)


def _own_copy(tmp_path):
    """The sample's two logs as a patient's own files."""
    s, p = tmp_path / "sessions.csv", tmp_path / "pain.csv"
    s.write_bytes(bx.sample_path("sessions").read_bytes())
    p.write_bytes(bx.sample_path("pain").read_bytes())
    return s, p


def test_the_sample_opens_in_a_practice_copy_and_a_saved_day_appears():
    sample = bx.sample_path("sessions").read_bytes()
    app = PatientApp()
    assert app.tab_names == APP_TABS == ("Dashboard", "Log today", "Questionnaires")
    assert app.practice_dir is not None and app.sessions_path.parent == app.practice_dir
    assert str(app.practice_dir) in app.files.value and "bundled 12-week sample" in app.files.value
    assert app.dashboard.status.value.startswith("Showing 2026-03-02 \u2013 2026-05-24")
    assert "16 questionnaires" in app.loaded

    # the forms are made when their tab is opened
    assert app.tabs.children[1].children == () and app.tabs.children[2].children == ()
    app.tabs.selected_index = 1
    assert isinstance(app.tabs.children[1].children[0], bx.LogForm)
    day = SAMPLE_LAST + dt.timedelta(days=2)
    app.log_form.day.value = day
    app.log_form.time.value = "08:30"
    app.log_form.save.click()
    assert "Saved to" in app.log_form.result.value
    # the dashboard now ends on the new day, without a restart
    assert app.dashboard.status.value == "Showing 2026-03-02 \u2013 2026-05-26 (86 days)"
    daily = app.dashboard.daily()
    assert daily["date"].max() == pd.Timestamp(day)
    assert bool(daily.loc[daily["date"] == pd.Timestamp(day), "fully_adherent"].iloc[0]) is False
    # the bundled sample itself is untouched
    assert bx.sample_path("sessions").read_bytes() == sample


def test_a_refused_value_writes_nothing_and_keeps_the_dashboard(tmp_path):
    s, p = _own_copy(tmp_path)
    before = s.read_bytes(), p.read_bytes()
    app = PatientApp(s, p)
    shown = app.dashboard
    app.log_form.time.value = "25:99"
    app.log_form.save.click()
    assert "Nothing was saved" in app.log_form.result.value
    assert (s.read_bytes(), p.read_bytes()) == before
    assert app.dashboard is shown  # nothing changed, nothing reloaded


def test_a_missing_file_shows_the_problems_table_and_the_form_still_saves(tmp_path):
    s, p = tmp_path / "mine.csv", tmp_path / "my_pain.csv"
    app = PatientApp(s, p)
    assert app.dashboard is None
    assert len(app.problems) >= 1
    assert app.problems["file"].astype(str).str.contains("mine.csv").any()
    assert "cannot be shown" in app.view.children[0].value
    assert "mine.csv" in app.view.children[0].value
    # the first day logged creates the files, and the dashboard appears
    app.log_form.day.value = dt.date(2026, 3, 2)
    app.log_form.save.click()
    assert s.exists() and p.exists()
    assert app.dashboard is not None and len(app.problems) == 0
    assert "2026-03-02 \u2013 2026-03-02 (1 days)" in app.dashboard.status.value


def test_an_unreadable_row_is_named_in_the_problems_table(tmp_path):
    s, p = _own_copy(tmp_path)
    with s.open("a") as f:
        f.write("2026-05-25,08:00,crunchy,10,1,,,\n")
    app = PatientApp(s, p)
    assert app.dashboard is None
    row = app.problems.iloc[0]
    assert "crunchy" in str(row["value"]) and "sessions.csv" in str(row["file"])


def test_refresh_reads_the_files_again_only_when_they_changed(tmp_path):
    s, p = _own_copy(tmp_path)
    app = PatientApp(s, p)
    assert app.refresh() is False
    day = SAMPLE_LAST + dt.timedelta(days=1)
    bx.append_pain(p, [{"date": day.isoformat(), "pain": 3}])  # written elsewhere
    assert app.changed()
    assert app.refresh() is True
    assert app.dashboard.status.value.startswith("Showing 2026-03-02 \u2013 2026-05-25")
    assert app.log_form.day.value == dt.date.today()
    assert app.tabs.children[1].children == (app.log_form,)  # made once, shown in its tab


def test_a_saved_questionnaire_reaches_the_dashboard(tmp_path):
    s, p = _own_copy(tmp_path)
    app = PatientApp(s, p)
    assert "Function" not in app.dashboard.tab_names  # no questionnaires yet
    form = app.questionnaire_form
    form.day.value = dt.date(2026, 3, 2)
    for box, answer in zip(form.ears, [1, 3, 4, 0, 2, 1], strict=True):
        box.value = answer
    form.save.click()
    assert (tmp_path / "questionnaires.csv").exists()
    assert "Function" in app.dashboard.tab_names
    assert "1 questionnaires" in app.loaded


def test_the_first_page_that_shows_the_app_brings_it_to_now(tmp_path):
    """Voila prepares kernels before the page is asked for: the page's first view of
    the app (ipywidgets' view count, which the browser sets) reads changed files."""
    s, p = _own_copy(tmp_path)
    app = PatientApp(s, p)
    bx.append_pain(p, [{"date": "2026-05-27", "pain": 2}])  # saved from another page
    assert app.dashboard.status.value.startswith("Showing 2026-03-02 \u2013 2026-05-24")
    app._view_count = 1  # what the browser does when it draws the app
    assert app.dashboard.status.value.startswith("Showing 2026-03-02 \u2013 2026-05-27")
    shown = app.dashboard
    app._view_count = 2  # a second view: nothing read again
    assert app.dashboard is shown
