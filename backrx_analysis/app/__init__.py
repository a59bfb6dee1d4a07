"""ipywidgets shells over the library: no analysis inside.

:mod:`.dashboard` is :class:`Dashboard` (the tabs of charts for a patient and a
period, with export buttons); :mod:`.form` is :class:`LogForm` (the daily log form,
which writes through :mod:`backrx_analysis.io.writer`).
"""

from .dashboard import TABS, Dashboard
from .form import LogForm

__all__ = ["TABS", "Dashboard", "LogForm"]
