"""What the chart tests share: finding what was drawn by its gid, bar heights, what an
updatable chart draws, and a hand-built session log of four days."""

from __future__ import annotations

import numpy as np
from factories import make_sessions

from backrx_analysis.program import default_program

IDS = default_program().exercise_ids


def by_gid(ax, gid):
    found = [a for a in ax.get_children() if a.get_gid() == gid]
    assert found, f"nothing with gid {gid!r} drawn"
    return found[0]


def bar_heights(coll):
    return np.array([p.vertices[:, 1].max() for p in coll.get_paths()])


# -- a hand-built daily frame ----------------------------------------------------------

HAND = make_sessions([
    # 2 Mar: every exercise met (SLR both legs), 15 minutes
    *[{"date": "2026-03-02", "exercise": i, "reps": 10} for i in IDS],
    {"date": "2026-03-02", "exercise": "session", "minutes": 15.0},
    # 3 Mar: ankle pumps partial (5), SLR left only (weaker leg 0), 45 minutes
    {"date": "2026-03-03", "exercise": "ankle_pumps", "reps": 5},
    {"date": "2026-03-03", "exercise": "straight_leg_raise", "reps": 10, "side": "left"},
    {"date": "2026-03-03", "exercise": "session", "minutes": 45.0},
    # 4 Mar: nothing logged
    # 5 Mar: a walk only
    {"date": "2026-03-05", "exercise": "walk", "minutes": 12.0},
])


def _drawn(ax):
    """What the updatable charts draw, by gid."""
    out = {"xlim": ax.get_xlim(), "ylim": ax.get_ylim()}
    for a in ax.get_children():
        gid = a.get_gid()
        if gid is None:
            continue
        if hasattr(a, "get_array") and gid == "reps-heatmap":
            out[gid] = (np.asarray(a.get_array()), a.get_extent())
        elif hasattr(a, "get_paths") and not hasattr(a, "get_xdata"):
            if not a.get_paths():
                continue  # an emptied collection draws what none draws
            out[gid] = [p.vertices.tolist() for p in a.get_paths()]
            if gid.endswith("minutes"):
                out[gid + "/faces"] = a.get_facecolors().tolist()
        elif hasattr(a, "get_xdata") and len(a.get_xdata()):
            out[gid] = (np.asarray(a.get_xdata(), dtype=float).tolist(),
                        np.asarray(a.get_ydata(), dtype=float).tolist())
    return out


def _same(a, b):
    assert a.keys() == b.keys()
    for k in a:
        np.testing.assert_equal(a[k], b[k], err_msg=k)
