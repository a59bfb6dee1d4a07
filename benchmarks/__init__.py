"""Benchmarks of backrx (not tests: they measure, they do not pass or fail on time).

Each ``benchmarks/bench_*.py`` module has ``run(quick: bool = False) -> list[dict]``;
``python -m benchmarks.run [--quick]`` (``make bench``) runs them all and writes
``docs/performance.md``. See :mod:`benchmarks.run` for the result keys.
"""
