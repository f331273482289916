"""Rules as data: every YAML file of `patterns/`, loaded once, and their hash."""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml


def patterns_dir() -> Path:
    """`$FICHE_EXTRACT_PATTERNS`, else the repository's `patterns/` beside `src/`."""
    env = os.environ.get("FICHE_EXTRACT_PATTERNS")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "patterns"


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
    return _load(str(directory or patterns_dir()))


@lru_cache(maxsize=4)
def _hash(directory: str) -> str:
    h = hashlib.sha256()
    for path in sorted(Path(directory).glob("*.yaml")):
        h.update(path.name.encode())
        h.update(b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def patterns_hash(directory: Path | str | None = None) -> str:
    """sha256 over the names and bytes of the pattern files, recorded with every run."""
    return _hash(str(directory or patterns_dir()))
