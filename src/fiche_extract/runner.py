"""Batch runs: find documents under the given paths, extract each, store each in its
own transaction, and count outcomes."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

from . import __version__
from .patterns import patterns_hash
from .pipeline import extract_path
from .store import finish_run, open_db, save_extraction, start_run

DOCUMENT_SUFFIXES = {".pdf", ".txt"}


def find_documents(paths: Iterable[Path | str]) -> list[Path]:
    """Files given directly, and documents (PDF, text) found under folders, sorted;
    `gold/` annotation folders are not documents."""
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found.extend(
                f for f in sorted(p.rglob("*"))
                if f.is_file() and f.suffix.lower() in DOCUMENT_SUFFIXES and "gold" not in f.relative_to(p).parts
                and f.name.lower() != "readme.md"
            )
        elif p.exists():
            found.append(p)
    seen, unique = set(), []
    for f in found:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


@dataclass
class RunSummary:
    run_id: int
    counts: Counter = field(default_factory=Counter)
    failures: list[tuple[str, str]] = field(default_factory=list)


def run(paths: list[str], db_path: Path | str, *, encoding: Optional[str] = None, password: Optional[str] = None,
        progress: bool = True) -> RunSummary:
    files = find_documents(paths)
    db = open_db(db_path)
    phash = patterns_hash()
    run_id = start_run(db, version=__version__, patterns_hash=phash, paths=[str(p) for p in paths])
    summary = RunSummary(run_id=run_id)
    for f in _progress(files, progress):
        ex = extract_path(f, encoding=encoding, password=password, with_text=True)
        stat = f.stat()
        save_extraction(db, ex, run_id=run_id, version=__version__, patterns_hash=phash,
                        file_size=stat.st_size, file_mtime=stat.st_mtime)
        summary.counts[ex.document.status] += 1
        if ex.document.status == "failed":
            summary.failures.append((str(f), ex.document.error or ""))
    finish_run(db, run_id, dict(summary.counts))
    db.conn.close()
    return summary


def _progress(files: list[Path], enabled: bool):
    if not enabled:
        yield from files
        return
    from rich.progress import track

    yield from track(files, description="Extracting", transient=True)
