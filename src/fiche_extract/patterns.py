"""Rules as data: every YAML file of `patterns/`, loaded once, and their hash.

Where the patterns are read from, first found:

1. `$FICHE_EXTRACT_PATTERNS` (a directory), when set;
2. the repository's `patterns/` beside `src/` (`Path(__file__).parents[2]`): an
   editable install or a checkout;
3. `fiche_extract/patterns_data/` inside the package, for an installed wheel
   that ships a copy of `patterns/` there.

Every `*.yaml` file is loaded and reachable by its stem, as a key or an
attribute: `load_patterns()["roles"]`, `load_patterns().roles`.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml


REPOSITORY_PATTERNS = Path(__file__).resolve().parents[2] / "patterns"
PACKAGE_PATTERNS = Path(__file__).resolve().parent / "patterns_data"


def patterns_dir() -> Path:
    """The patterns directory (see the module docstring for the order)."""
    env = os.environ.get("FICHE_EXTRACT_PATTERNS")
    if env:
        return Path(env)
    if REPOSITORY_PATTERNS.is_dir():
        return REPOSITORY_PATTERNS
    return PACKAGE_PATTERNS


class Patterns(dict):
    """File stem -> parsed YAML content."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError as exc:
            raise AttributeError(name) from exc


@lru_cache(maxsize=4)
def _load(directory: str) -> Patterns:
    out = Patterns()
    for path in sorted(Path(directory).glob("*.yaml")):
        out[path.stem] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return out


def load_patterns(directory: Path | str | None = None) -> Patterns:
    """Every YAML file of `directory` (default `patterns_dir()`), parsed once per process."""
    return _load(str(directory or patterns_dir()))


@lru_cache(maxsize=4)
def _hash(directory: str) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in Path(directory).iterdir() if p.is_file() and not p.name.startswith(".")):
        h.update(path.name.encode())
        h.update(b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def patterns_hash(directory: Path | str | None = None) -> str:
    """sha256 over the sorted names and bytes of the files of the patterns
    directory (hidden files aside), recorded with every run."""
    return _hash(str(directory or patterns_dir()))
