"""What a batch hands to its workers and gets back: the options of a run, one task per
file, and the records of files that were not extracted (duplicates, failures)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from ..models import DocumentInfo, Extraction, Finding

DEFAULT_TIMEOUT = 300.0  # seconds per document
DEFAULT_MAX_MEMORY_MB = 2048  # address space per worker
DEFAULT_RECYCLE = 500  # documents per worker process before it is replaced (memory measured flat over 600)
PREFETCH = 2  # documents sent ahead to a worker


@dataclass
class Options:
    """The options of a batch run; each field is the `run` flag of the same name
    (`max_memory` is `--max-memory`)."""

    workers: int = max(1, os.cpu_count() or 1)  # worker processes
    force: bool = False  # extract again documents stored unchanged
    retry_failed: bool = False  # extract again documents that failed
    timeout: float = DEFAULT_TIMEOUT  # seconds per document
    max_memory: int = DEFAULT_MAX_MEMORY_MB  # megabytes of address space per worker
    recycle: int = DEFAULT_RECYCLE  # documents per worker process before it is replaced
    encoding: Optional[str] = None  # of text inputs that are not UTF-8
    password: Optional[str] = None  # of encrypted PDFs
    ocr: bool = False  # read pages without a text layer with Tesseract
    engine: Optional[str] = None  # PDF reading engine (None: the default)
    executor: str = "local"  # local | dask
    scheduler: Optional[str] = None  # Dask scheduler address
    progress: Optional[bool] = None  # None: a bar on a terminal, log lines otherwise


@dataclass
class Task:
    path: Path
    sha256: str
    size: int
    mtime: float
    duplicate_of: Optional[str] = None


def extract_task(path: str, opts: Options) -> Extraction:
    """One document of a batch, in a worker (the process's default pipeline)."""
    from ..pipeline import extract_path

    return extract_path(path, encoding=opts.encoding, password=opts.password, with_text=True, ocr=opts.ocr,
                        engine=opts.engine)


def duplicate_record(task: Task) -> Extraction:
    """A file whose bytes are those of another file of the batch: recorded, not extracted."""
    import hashlib

    digest = hashlib.sha256(f"{task.sha256}\0{task.path}".encode()).hexdigest()
    message = f"duplicate: same bytes as {task.duplicate_of}"
    doc = DocumentInfo(id=digest, source=str(task.path), status="skipped", error=message,
                       format="pdf" if task.path.suffix.lower() == ".pdf" else "text")
    return Extraction(document=doc, findings=[Finding(check="duplicate_file", severity="info", message=message)])


def failed_record(task: Task, reason: str, message: str) -> Extraction:
    doc = DocumentInfo(id=task.sha256, source=str(task.path), status="failed", error=message,
                       format="pdf" if task.path.suffix.lower() == ".pdf" else "text")
    return Extraction(document=doc, findings=[Finding(check=reason, severity="error", message=message)])
