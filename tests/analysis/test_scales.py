"""Ratings on an app's own scale stay on it: the NRS rules use NRS ratings only;
a conversion is the user's explicit mapping."""

from __future__ import annotations

import pandas as pd
import pytest
from factories import make_pain

import backrx_analysis as bx
from backrx_analysis.analysis.pain import convert_scale, pain_daily, pain_trend, scale_daily
from backrx_analysis.errors import LogValidationError
from backrx_analysis.scales import SCALES


def test_other_scales_are_kept_out_of_the_nrs_rules():
    pain = make_pain([
        {"date": "2026-03-02", "pain": 6.0},
        {"date": "2026-03-02", "pain": 1.0, "scale": "bearable"},
        {"date": "2026-03-02", "pain": 2.0, "scale": "bearable"},
        {"date": "2026-03-03", "pain": 3.0, "scale": "bearable"},
    ])
    daily = pain_daily(pain)
    assert daily["pain_mean"].tolist() == [6.0]  # the Bearable ratings are not 0-10
    trend = pain_trend(pain)
    assert trend["n_ratings"].sum() == 1
    other = scale_daily(pain)
    # 2 March: mild 1 + moderate 2 -> 1.5 on Bearable's scale; 3 March: severe 3
    assert other[["scale", "value_mean", "n_ratings"]].values.tolist() == [
        ["bearable", 1.5, 2], ["bearable", 3.0, 1]]


def test_conversion_is_explicit_and_noted():
    pain = make_pain([{"date": "2026-03-02", "pain": 2.0, "scale": "bearable"},
                      {"date": "2026-03-03", "pain": 5.0}])
    with pytest.raises(ValueError, match="lacks the point"):
        convert_scale(pain, "bearable", {0: 0, 1: 3})
    with pytest.raises(ValueError, match="0 to 10"):
        convert_scale(pain, "bearable", {2: 12})
    out = convert_scale(pain, "bearable", {0: 0, 1: 3, 2: 5, 3: 7, 4: 9})
    assert out["scale"].fillna("nrs").tolist() == ["nrs", "nrs"]  # the factory leaves it blank
    assert pain_daily(out)["pain_mean"].tolist() == [5.0, 5.0]
    assert "converted from Bearable" in out.loc[0, "notes"]
    assert pain["scale"].tolist()[0] == "bearable"  # the input is not changed


def test_a_scale_column_in_a_pain_log(tmp_path):
    p = tmp_path / "pain.csv"
    p.write_text("date,pain,scale\n2026-03-02,6,\n2026-03-02,3,bearable\n"
                 "2026-03-03,7,bearable\n2026-03-04,2,made-up\n", encoding="utf-8")
    with pytest.raises(LogValidationError) as err:
        bx.load_pain(p)
    probs = err.value.problems
    assert probs[["line", "column"]].values.tolist() == [[4, "pain"], [5, "scale"]]
    assert "Bearable's symptom severity: 0 none" in probs.loc[0, "problem"]
    p.write_text("date,pain,scale\n2026-03-02,6,\n2026-03-02,3,Bearable\n", encoding="utf-8")
    pain = bx.load_pain(p)
    assert pain["scale"].tolist() == ["nrs", "bearable"]
    assert list(pain["scale"].cat.categories) == list(SCALES)
    assert pd.api.types.is_float_dtype(pain["pain"])
