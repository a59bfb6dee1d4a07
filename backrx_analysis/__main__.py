"""``python -m backrx_analysis ...`` is the ``backrx`` command."""

from .cli import main

raise SystemExit(main())
