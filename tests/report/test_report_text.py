"""The report's words for numbers: the exercise-pain association's sentences (shared by
the report, the dashboard and the CLI)."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from backrx_analysis.report.text import ASSOCIATION_CAVEAT, association_line, association_lines


def test_the_association_in_words_claims_a_direction_only_outside_zero():
    def row(**k):
        base = dict(lag=1, lag_label="next day", effect=-0.43, ci_low=-0.71, ci_high=-0.12,
                    n_days=60, n_done=35, finding="lower", why=None)
        return SimpleNamespace(**{**base, **k})

    assert association_line(row()) == (
        "Next day: on days after the program was done in full, pain the next day was 0.4 "
        "points lower than usual for that week (95 % interval \u22120.7 to \u22120.1 points; "
        "60 days, 35 with the program done).")
    higher = association_line(row(lag=0, lag_label="same day", effect=0.6, ci_low=0.2,
                             ci_high=1.0, finding="higher"))
    assert higher.startswith("Same day: on days the program was done in full, pain that day "
                             "was 0.6 points higher than usual")
    spans = association_line(row(lag=2, lag_label="two days later", effect=-0.3, ci_low=-0.8,
                            ci_high=0.2, finding="no clear difference"))
    assert spans == ("Two days later: no clear difference in pain from the rest of that week "
                     "(95 % interval \u22120.8 to +0.2 points; 60 days, 35 with the program "
                     "done).")
    assert "lower" not in spans and "higher" not in spans
    short = association_line(row(finding="too little data", why="2 days with the program done"))
    assert short == "Next day: too little data to say (2 days with the program done)."


def test_association_lines_end_with_the_caveat():
    rows = pd.DataFrame([dict(lag=1, lag_label="next day", effect=0.1, ci_low=-0.3,
                              ci_high=0.5, n_days=40, n_done=20,
                              finding="no clear difference", why=None)])
    lines = association_lines(rows)
    assert lines[0].startswith("Next day: no clear difference") and lines[-1] == ASSOCIATION_CAVEAT
    assert "not cause" in ASSOCIATION_CAVEAT
    assert association_lines(rows.iloc[0:0]) == ["No exercise or pain log to compare."]
