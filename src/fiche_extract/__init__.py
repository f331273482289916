"""fiche-extract: French territorial documents into a validated SQLite database."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("fiche-extract")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0"
