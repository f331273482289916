"""The installed version of fiche-extract, recorded with every run and document
(`0.0.0` when running from a source tree that was never installed)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("fiche-extract")
except PackageNotFoundError:
    __version__ = "0.0.0"
