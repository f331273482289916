"""One document from a file (or bytes) to its `Extraction`: read, normalise, then the
stages of `patterns/pipeline.yaml` in order. Never raises for a bad document: a file
that cannot be read is a `failed` document, a stage that breaks leaves a
`stage_failed` finding and the others go on."""

from __future__ import annotations

import logging
import traceback
from pathlib import Path
from typing import Optional, Sequence

from pydantic import ValidationError

from . import checks, rules  # noqa: F401  (importing them registers their stages)
from .document import Document
from .models import DocumentInfo, Extraction, Finding
from .reading.load import LoadedDocument, LoadError, file_sha256, load, load_bytes
from .reading.normalise import normalise
from .reading.settings import layout_settings
from .resources import Resources, default_resources
from .stages import ConfiguredStage, assemble
from .version import __version__

log = logging.getLogger(__name__)

# what a broken rule raises; anything else (MemoryError, KeyboardInterrupt) goes up
STAGE_ERRORS = (ValidationError, ValueError, KeyError, IndexError, TypeError, AttributeError, RecursionError,
                LookupError, ZeroDivisionError)


class Pipeline:
    """The configured stages over shared resources; build once, extract many documents.

    `only`/`skip` name stages to keep or leave out (with what the kept ones need), for
    debugging a rule; `engine` picks the PDF reader (`pdfium`, `pdfplumber`)."""

    def __init__(self, resources: Optional[Resources] = None, *, only: Optional[Sequence[str]] = None,
                 skip: Sequence[str] = (), engine: Optional[str] = None):
        self.resources = resources or default_resources()
        self.engine = engine
        self.layout = layout_settings(self.resources)
        config = (self.resources.patterns.get("pipeline") or {}).get("stages") or []
        self.stages: list[ConfiguredStage] = assemble(config, only=only, skip=skip)

    # ------------------------------------------------------------ entry points

    def extract_path(self, path: Path | str, *, kind: Optional[str] = None, encoding: Optional[str] = None,
                     password: Optional[str] = None, ocr: bool = False, with_text: bool = False,
                     debug: bool = False) -> Extraction:
        """Extract one file; a file that cannot be read gives a `failed` document."""
        path = Path(path)
        try:
            loaded = load(path, encoding=encoding, password=password, ocr=ocr, engine=self.engine,
                          settings=self.layout)
        except LoadError as exc:
            return failed_extraction(path, str(path), exc)
        return self.extract_loaded(loaded, source=str(path), kind=kind, with_text=with_text, debug=debug)

    def extract_bytes(self, data: bytes, *, name: str = "<bytes>", kind: Optional[str] = None,
                      encoding: Optional[str] = None, password: Optional[str] = None, ocr: bool = False,
                      with_text: bool = False, debug: bool = False) -> Extraction:
        """Extract a document held in memory (PDF or text, told apart by content)."""
        try:
            loaded = load_bytes(data, name=name, encoding=encoding, password=password, ocr=ocr, engine=self.engine,
                                settings=self.layout)
        except LoadError as exc:
            return failed_extraction(Path(name), name, exc, data=data)
        return self.extract_loaded(loaded, source=name, kind=kind, with_text=with_text, debug=debug)

    def extract_loaded(self, loaded: LoadedDocument, *, source: str, kind: Optional[str] = None,
                       with_text: bool = False, debug: bool = False) -> Extraction:
        info = DocumentInfo(id=loaded.sha256, source=source, pages=len(loaded.pages), format=loaded.format,
                            running_lines=list(dict.fromkeys(m for page in loaded.pages for m in page.margins)))
        extraction = Extraction(
            document=info,
            findings=[Finding(check=c, severity="warning", message=m) for c, m in loaded.warnings],
        )
        doc = Document(loaded=loaded, text=normalise(loaded.pages), resources=self.resources,
                       extraction=extraction, debug=debug)
        if kind:
            doc.extras["kind"] = kind  # the caller's kind: classification keeps it
        if not doc.text.text.strip():
            info.status = "failed"
            info.error = ("no text layer: scanned pages need OCR (run again with --ocr)"
                          if loaded.format == "pdf" else "no text")
            doc.add_finding(Finding(check="no_text", severity="error", message=info.error))
            return extraction
        for st in self.stages:
            self._run_stage(st, doc)
            if info.status == "skipped":  # a stage may end the document (not French)
                break
        if with_text:
            info.text = doc.text.text
        failed = any(f.check == "stage_failed" for f in extraction.findings)
        if info.status == "ok" and (failed or loaded.warnings):
            info.status = "partial"
            info.error = "; ".join(m for _, m in loaded.warnings) or "some stages failed: see findings"
        return extraction

    def _run_stage(self, st: ConfiguredStage, doc: Document) -> None:
        """Run one stage; an exception becomes a `stage_failed` finding and the stage
        assigns nothing (with `debug`, the exception goes up)."""
        try:
            st.spec.fn(doc, **st.settings)
        except STAGE_ERRORS as exc:
            if doc.debug:
                raise
            last = traceback.extract_tb(exc.__traceback__)[-1]
            log.warning("%s: stage %s failed: %s", doc.info.source, st.name, exc)
            doc.add_finding(Finding(
                check="stage_failed", severity="error",
                message=f"{st.name} failed: {type(exc).__name__}: {exc}"[:500],
                evidence=f"{Path(last.filename).name}:{last.lineno}",
            ))

    def warm_up(self) -> None:
        """Build every lazily loaded resource (spaCy model, gazetteer, compiled rules) by
        extracting a small document, so that worker processes forked afterwards share
        them instead of building their own."""
        self.extract_bytes(WARM_UP_TEXT.encode(), name="warm-up.txt")

    def run_info(self) -> dict:
        return {"version": __version__, "patterns_hash": self.resources.patterns_hash}


def failed_extraction(path: Path, source: str, exc: LoadError, *, data: Optional[bytes] = None) -> Extraction:
    """The record of a file that could not be read: its status, message and finding."""
    if exc.reason == "empty":  # empty files all have the same bytes: each keeps a row of its own
        data_id = file_sha256(f"\0empty\0{source}".encode())
    elif data is not None:
        data_id = file_sha256(data)
    else:
        try:
            data_id = file_sha256(path.read_bytes())
        except OSError:
            data_id = file_sha256(source.encode())
    info = DocumentInfo(id=data_id, source=source, status="failed", error=str(exc),
                        format="pdf" if path.suffix.lower() == ".pdf" else "text")
    return Extraction(document=info, findings=[Finding(check=f"load_{exc.reason}", severity="error", message=str(exc))])


WARM_UP_TEXT = """COMMUNIQUÉ DE PRESSE

Cahors, le 2 mars 2021

SIGNATURE DU CONTRAT

Marie DUPONT, préfète du Lot, et l'Agence nationale de la cohésion des territoires (ANCT) ont réuni
ce mardi 2 mars les élus de 12 communes, dont Figeac, et de la CA du Grand Cahors : 1,2 million d'euros,
soit 15 % de l'enveloppe.
"""

_PIPELINES: dict[tuple, Pipeline] = {}


def default_pipeline(engine: Optional[str] = None) -> Pipeline:
    """The process's pipeline over the default resources (one per PDF engine)."""
    key = (engine,)
    if key not in _PIPELINES:
        _PIPELINES[key] = Pipeline(engine=engine)
    return _PIPELINES[key]


def extract_path(path: Path | str, *, encoding: Optional[str] = None, password: Optional[str] = None,
                 with_text: bool = False, debug: bool = False, ocr: bool = False,
                 engine: Optional[str] = None, kind: Optional[str] = None) -> Extraction:
    """One file through the default pipeline (see `Pipeline.extract_path`)."""
    return default_pipeline(engine).extract_path(path, encoding=encoding, password=password, ocr=ocr,
                                                 with_text=with_text, debug=debug, kind=kind)
