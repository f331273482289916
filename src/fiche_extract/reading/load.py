"""Load a document, PDF or extracted text, into pages of positioned lines. The
content decides (the PDF magic number), not the file name."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Optional

from ..errors import LoadError
from ..models import Page
from . import guard
from .pdf import read_pdf
from .settings import LayoutSettings
from .text import decode_text, split_text_pages

__all__ = ["LoadError", "LoadedDocument", "file_sha256", "load", "load_bytes", "split_text_pages"]

PDF_MAGIC = b"%PDF-"


@dataclass
class LoadedDocument:
    path: Path
    sha256: str
    format: str  # "pdf" | "text"
    pages: list[Page]
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (check, message): read in part


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load(path: Path | str, *, encoding: Optional[str] = None, password: Optional[str] = None,
         ocr: bool = False, engine: Optional[str] = None, settings: Optional[LayoutSettings] = None) -> LoadedDocument:
    """Read a file; see `load_bytes`."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError("unreadable", f"cannot read file: {exc.strerror or exc}") from exc
    return load_bytes(data, name=str(path), encoding=encoding, password=password, ocr=ocr, engine=engine,
                      settings=settings)


def load_bytes(data: bytes, *, name: str = "<bytes>", encoding: Optional[str] = None,
               password: Optional[str] = None, ocr: bool = False, engine: Optional[str] = None,
               settings: Optional[LayoutSettings] = None) -> LoadedDocument:
    """Pages of a document held in memory: a PDF (by its header, or a `.pdf` name)
    through the chosen engine, else text. Raises `LoadError` for what cannot be read."""
    path = Path(name)
    if not data.strip():
        raise LoadError("empty", "empty file: nothing to extract")
    digest = file_sha256(data)
    is_pdf = data[:1024].lstrip().startswith(PDF_MAGIC)
    if is_pdf or path.suffix.lower() == ".pdf":
        if not is_pdf:
            raise LoadError("corrupt", "not a PDF: the file has a .pdf name but no PDF header")
        try:
            guard.check_pdf_streams(data)
        except guard.BombError as exc:
            raise LoadError("bomb", str(exc)) from exc
        if settings is None:
            from ..resources import default_resources
            from .settings import layout_settings

            settings = layout_settings(default_resources())
        warnings: list[tuple[str, str]] = []
        pages = read_pdf(BytesIO(data), settings=settings, password=password, ocr=ocr, engine=engine,
                         warnings=warnings)
        return LoadedDocument(path, digest, "pdf", pages, warnings)
    warnings = []
    text = decode_text(data, encoding)
    if len(text) > guard.MAX_TEXT_CHARS:
        warnings.append(("text_truncated", f"text longer than {guard.MAX_TEXT_CHARS} characters: only the start was read"))
        text = text[: guard.MAX_TEXT_CHARS]
    text, cut = guard.clip_lines(text)
    if cut:
        warnings.append(("lines_clipped", f"{cut} absurdly long lines cut at {guard.MAX_LINE_CHARS} characters"))
    return LoadedDocument(path, digest, "text", split_text_pages(text), warnings)
