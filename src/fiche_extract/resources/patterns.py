"""Rules as data: every YAML file of the package's `patterns/` folder, loaded once per
directory, and their hash.

The folder is `fiche_extract/patterns/` inside the package (the repository's
top-level `patterns` is a link to it), so a wheel carries its rules;
`$FICHE_EXTRACT_PATTERNS` (a directory) replaces it, for experiments. Every
`*.yaml` file is reachable by its stem, as a key or an attribute:
`load_patterns()["roles"]`, `load_patterns().roles`.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml


PACKAGE_PATTERNS = Path(__file__).resolve().parents[1] / "patterns"


def patterns_dir() -> Path:
    """The patterns directory: `$FICHE_EXTRACT_PATTERNS` when set, else the package's."""
    env = os.environ.get("FICHE_EXTRACT_PATTERNS")
    return Path(env) if env else PACKAGE_PATTERNS


# libyaml's loader when PyYAML was built with it (ten times faster), else the Python one
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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
        out[path.stem] = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER) or {}
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
