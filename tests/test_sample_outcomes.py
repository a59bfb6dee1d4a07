"""The bundled function questionnaires (sample_data/outcomes.csv and
caseload_outcomes.csv): they load clean, and the single sample person's visits span
the 12 weeks with every questionnaire scored at the baseline."""

from __future__ import annotations

import pandas as pd
import pytest

import backrx_analysis as bx
from backrx_analysis.simulate import simulate_logs, simulate_outcomes

START, END = pd.Timestamp("2026-03-02"), pd.Timestamp("2026-05-24")
QUESTIONNAIRES = ["odi", "rmdq", "psfs", "ears"]


@pytest.mark.parametrize("name", ["outcomes", "caseload_outcomes"])
def test_the_sample_questionnaires_load_clean(name):
    path = bx.sample_path(name)
    assert path.is_file()
    assert len(bx.check_outcomes(path)) == 0
    answers = bx.load_outcomes(path)
    assert answers.attrs["ignored_columns"] == []
    assert sorted(answers["questionnaire"].astype(str).unique()) == sorted(QUESTIONNAIRES)


def test_the_single_sample_has_at_least_4_visits_over_the_12_weeks_all_scored_at_baseline():
    trend = bx.outcomes_trend(bx.load_outcomes(bx.sample_path("outcomes")))
    assert set(trend["patient_id"]) == {"patient"}
    dates = trend["date"].drop_duplicates().sort_values()
    assert len(dates) >= 4
    assert dates.iloc[0] == START  # the baseline on the first day
    assert dates.iloc[-1] <= END and dates.iloc[-1] >= START + pd.Timedelta(weeks=8)
    base = trend.loc[trend["is_baseline"]]
    assert sorted(base["questionnaire"].astype(str)) == sorted(QUESTIONNAIRES)
    assert (base["date"] == START).all() and base["scored"].all()
    assert trend.groupby("questionnaire", observed=True).size().min() >= 4


def test_the_caseload_sample_has_the_five_patients_each_with_a_baseline_on_their_first_day():
    trend = bx.outcomes_trend(bx.load_outcomes(bx.sample_path("caseload_outcomes")))
    sessions, _ = bx.load_sample(caseload=True)
    first = sessions.groupby("patient_id", observed=True)["date"].min()
    assert sorted(trend["patient_id"].unique()) == ["P01", "P02", "P03", "P04", "P05"]
    base = trend.loc[trend["is_baseline"]]
    assert (base.groupby("patient_id")["questionnaire"].nunique() == 4).all()
    for pid, day in first.items():
        assert (base.loc[base["patient_id"] == pid, "date"] == day.normalize()).all()


def test_the_sample_is_the_simulation_of_the_sample_logs():
    """outcomes.csv is simulate_outcomes on the logs of sessions.csv / pain.csv (seed 0)."""
    sessions, pain = simulate_logs(1, 84, seed=0, start="2026-03-02")
    sheet = simulate_outcomes(sessions, pain, seed=0)
    shipped = pd.read_csv(bx.sample_path("outcomes"), dtype=str, keep_default_na=False)
    assert shipped.columns.tolist() == sheet.columns.tolist()
    assert shipped.to_numpy().tolist() == sheet.astype(object).where(sheet.notna(), "").astype(
        str).to_numpy().tolist()
