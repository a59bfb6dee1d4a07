"""Sample logs bundled with backrx (simulated, no real person behind them).

This folder ships inside the package as ``backrx_analysis.sample_data``; see its
``README.md`` for what each file holds. The files are made by
``scripts/make_sample_data.py`` from :mod:`backrx_analysis.simulate`.
"""
