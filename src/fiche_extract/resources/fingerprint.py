"""What the package's extractions depend on, as one hash: its code and its data files."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]


@lru_cache(maxsize=1)
def code_and_data_hash() -> str:
    """sha256 over the names and bytes of the package's Python files and of its
    `data/` folder (patterns aside: they are hashed per folder)."""
    h = hashlib.sha256()
    files = sorted(p for p in PACKAGE.rglob("*") if p.is_file() and (p.suffix == ".py" or "data" in p.relative_to(PACKAGE).parts)
                   and "__pycache__" not in p.parts)
    for path in files:
        h.update(str(path.relative_to(PACKAGE)).encode())
        h.update(b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()
