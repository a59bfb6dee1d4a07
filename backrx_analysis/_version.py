"""The installed version of the kit (ground: imported by the report's footers and the CLI)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("backrx-analysis")
except PackageNotFoundError:  # running from a checkout without installing
    __version__ = "0.0.0+unknown"
