"""The same analysis on Dask, for cohorts that outgrow one machine (docs/scale.md).

:mod:`.cohort` writes and reads a cohort as a partitioned Parquet dataset
(:func:`write_cohort`, :func:`read_cohort`: a part per range of patients, sessions
and pain side by side); :mod:`.partitions` makes sure each patient's rows are in one
partition (:func:`by_patient`, :class:`PatientPartitionError`); :mod:`.frames` runs
the pandas functions of :mod:`backrx_analysis.analysis` per partition
(:func:`daily_adherence`, :func:`weekly_adherence`, :func:`pain_trend` give Dask
frames, :func:`summarize` the pandas frame ``bx.summarize`` gives). No rule is
written twice: every number is the pandas function's, computed a partition at a time.

Runs on Dask's local scheduler by default and on a cluster when a
``distributed.Client`` is active. Dask is an optional extra
(``pip install 'backrx-analysis[scale]'``); ``import backrx_analysis`` never imports it.

>>> from backrx_analysis import scale                       # doctest: +SKIP
>>> sessions, pain = scale.read_cohort("cohort/")           # doctest: +SKIP
>>> summary = scale.summarize(sessions, pain)               # doctest: +SKIP
"""

from __future__ import annotations

try:
    import dask  # noqa: F401
    import dask.dataframe  # noqa: F401
except ImportError as exc:  # pragma: no cover - exercised in a subprocess by the tests
    raise ImportError(
        "backrx_analysis.scale needs Dask, which is not installed here "
        f"({exc}); install the scale extra: pip install 'backrx-analysis[scale]' "
        "(or conda install dask distributed)"
    ) from exc

from .cohort import COHORT_FILE, CohortError, read_cohort, write_cohort
from .frames import daily_adherence, pain_trend, summarize, weekly_adherence
from .partitions import PatientPartitionError, by_patient

__all__ = [
    "COHORT_FILE",
    "CohortError",
    "PatientPartitionError",
    "by_patient",
    "daily_adherence",
    "pain_trend",
    "read_cohort",
    "summarize",
    "weekly_adherence",
    "write_cohort",
]
