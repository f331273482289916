"""The Python API: one function per command, with the command's options as keyword
arguments (`fiche-extract run --max-memory 1500` is `run(paths, db, max_memory=1500)`).
The command line is a thin layer over these."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import Iterable, Optional, Sequence

from .errors import NoDatabase, UsageError
from .models import Extraction

DEFAULT_DB = "output/fiches.db"
KINDS = ("fiche_territoriale", "communique_de_presse", "article", "autre")


def extract(source: str | Path | bytes, *, kind: Optional[str] = None, engine: Optional[str] = None,
            encoding: Optional[str] = None, password: Optional[str] = None, ocr: bool = False,
            with_text: bool = False, name: Optional[str] = None, only: Optional[Sequence[str]] = None,
            skip: Sequence[str] = (), debug: bool = False) -> Extraction:
    """One document's records: a path, or the bytes of a PDF or text file.

    `kind` forces the document kind instead of classifying it; `engine` picks the PDF
    reader (`pdfium`, `pdfplumber`); `only`/`skip` run a subset of the stages; `debug`
    lets a failing stage raise instead of leaving a finding. A file that cannot be read
    gives a `failed` document with its reason, never an exception.
    """
    from .pipeline import Pipeline, default_pipeline
    from .reading.pdf import ENGINES

    if kind is not None and kind not in KINDS:
        raise UsageError(f"unknown kind {kind!r} (kinds: {', '.join(KINDS)})")
    if engine is not None and engine not in ENGINES:  # said for text inputs too, which need no engine
        raise UsageError(f"unknown PDF engine {engine!r} (engines: {', '.join(ENGINES)})")
    pipeline = Pipeline(engine=engine, only=only, skip=skip) if (only or skip) else default_pipeline(engine)
    options = dict(kind=kind, encoding=encoding, password=password, ocr=ocr, with_text=with_text, debug=debug)
    if isinstance(source, (bytes, bytearray, memoryview)):
        return pipeline.extract_bytes(bytes(source), name=name or "<bytes>", **options)
    return pipeline.extract_path(source, **options)


def run(paths: Iterable[str | Path], db: str | Path = DEFAULT_DB, **options):
    """Extract every document under `paths` into the database `db`; `options` are the
    fields of `batch.tasks.Options` (`workers`, `force`, `timeout`, `max_memory`,
    `engine`…). Returns a `RunSummary` (counts, failures, pages, seconds)."""
    from .batch.runner import run as run_batch
    from .batch.tasks import Options

    known = {f.name for f in fields(Options)}
    unknown = set(options) - known
    if unknown:
        raise UsageError(f"unknown run options: {', '.join(sorted(unknown))} (options: {', '.join(sorted(known))})")
    return run_batch(list(paths), db, Options(**options))


def diff(old_db: str | Path, new_db: str | Path):
    """What changed between two databases, matched on meaning (a `Diff`: `.has_changes`,
    `.summary`, `.format()`, `.to_json()`, `.to_html()`)."""
    from .review.diff import diff as diff_databases

    return diff_databases(old_db, new_db)


def evaluate(paths: Iterable[str | Path], gold: str | Path, *, codes: bool = False, engine: Optional[str] = None):
    """Precision, recall and F1 per record type of the documents of `paths` (files or
    folders) that have a gold file in `gold`, and the confusion of kinds (an
    `Evaluation`: `.totals`, `.kinds`, `.format()`, `.to_dict()`)."""
    from .batch.runner import find_documents
    from .review.evaluate import evaluate as evaluate_documents

    def extract_dict(path: Path) -> dict:
        return extract(path, engine=engine).model_dump(mode="json")

    return evaluate_documents(find_documents(paths), gold, codes=codes, extract=extract_dict)


def review(db: str | Path, html: str | Path = "output/review", *, document: Optional[str] = None) -> list[Path]:
    """One static HTML page per document of `db` (or the one whose id starts with
    `document`) and an index; returns the pages written."""
    from .review.pages import write_review

    _existing(db)
    return write_review(db, html, document_id=document)


def export(db: str | Path, table: str, *, format: str = "csv", output: Optional[str | Path] = None) -> int:  # noqa: A002
    """Write a table or view as CSV, JSON or Parquet (standard output without `output`);
    returns the number of rows."""
    from .storage.export import export as export_table

    _existing(db)
    return export_table(db, table, format, output)


def serve(db: str | Path = DEFAULT_DB, *, host: str = "127.0.0.1", port: int = 8001, open: bool = False) -> int:  # noqa: A002
    """Browse the database in Datasette (read-only) until interrupted; returns its exit status."""
    from .storage.serve import serve as serve_database

    _existing(db)
    return serve_database(db, host=host, port=port, open_browser=open)


def _existing(db: str | Path) -> Path:
    path = Path(db)
    if not path.is_file():
        raise NoDatabase(path)
    return path
