"""PDF inputs: an engine opens the file and gives each page's words, ruled tables and
rules; the layout reads them into lines in reading order, with tables found by
alignment under a known header; pages without a text layer go to OCR when asked."""

from __future__ import annotations

from typing import Optional

from .. import errors
from ..errors import LoadError
from ..models import Line, Page
from . import guard
from .aligned import find_aligned_tables
from .chars import words_from_chars
from .layout import find_gutter, group_rows, inside, page_lines
from .margins import strip_running_lines
from .settings import LayoutSettings

ENGINES = ("pdfium", "pdfplumber")
DEFAULT_ENGINE = "pdfium"


def open_pdf(source, *, password: Optional[str] = None, engine: Optional[str] = None):
    """An open document of the chosen engine (`pdfium`, the default, or `pdfplumber`)."""
    engine = engine or DEFAULT_ENGINE
    if engine not in ENGINES:
        raise errors.UsageError(f"unknown PDF engine {engine!r} (engines: {', '.join(ENGINES)})")
    from .plumber import PlumberDocument

    if engine == "pdfium":
        from .pdfium import PdfiumDocument

        try:
            return PdfiumDocument(source, password)
        except LoadError:
            # a file PDFium will not open: pdfplumber reads what it can, or says precisely
            # why not (the same statuses and messages whatever the engine)
            if hasattr(source, "seek"):
                source.seek(0)
    return PlumberDocument(source, password)


def read_pdf(source, *, settings: LayoutSettings, password: Optional[str] = None, ocr: bool = False,
             engine: Optional[str] = None, warnings: Optional[list] = None, max_pages: int = 0) -> list[Page]:
    """Pages of positioned lines (and tables). At most `max_pages` pages are read (a
    warning says so); pages without a text layer are read by OCR when asked."""
    warnings = warnings if warnings is not None else []
    max_pages = max_pages or guard.MAX_PAGES
    pdf = open_pdf(source, password=password, engine=engine)
    pages: list[Page] = []
    try:
        total = len(pdf)
        if total == 0:
            raise LoadError("empty", "the PDF has no pages")
        if total > max_pages:
            warnings.append(("pages_truncated", f"{total} pages: only the first {max_pages} were read"))
        blank = []
        for page in pdf.pages(max_pages):
            read = read_page(page, settings)
            if not read.lines and ocr:
                read = _ocr_page(page)
            if not read.lines:
                blank.append(page.number)
            pages.append(read)
        if blank and len(blank) < len(pages):
            warnings.append(("no_text_layer", f"page(s) {', '.join(map(str, blank[:20]))} have no text layer: "
                             + ("OCR found nothing" if ocr else "scanned pages need OCR (run again with --ocr)")))
        strip_running_lines(pages, settings)
    except (LoadError, MemoryError):
        raise
    except Exception as exc:
        raise LoadError("corrupt", f"PDF page could not be parsed ({type(exc).__name__}: {exc})") from exc
    finally:
        pdf.close()
    return pages


def read_page(page, settings: LayoutSettings) -> Page:
    """One page: its characters into words, ruled tables, then tables aligned under a
    known header, then the remaining words into lines in reading order."""
    words = words_from_chars(page.chars(), settings)
    tables = page.ruled_tables(words)
    boxes = [t.bbox for t in tables]
    body = [w for w in words if not any(inside(w, b, settings.inside_margin) for b in boxes)]
    gutter = find_gutter(body, page.width, settings)
    rules = page.horizontal_rules() if body else []
    aligned = find_aligned_tables(group_rows(body, settings.row_tolerance), rules, gutter, settings)
    for found in aligned:
        taken = {id(w) for w in found.words}
        body = [w for w in body if id(w) not in taken]
        tables.append(found.as_raw(page.number))
    if aligned:
        gutter = find_gutter(body, page.width, settings)  # a table's own column gaps may have looked like a gutter
    return Page(number=page.number, width=page.width, height=page.height,
                lines=page_lines(page.number, body, tables, gutter, settings, page.shapes()), tables=tables)


def _ocr_page(page) -> Page:
    from .ocr import OcrUnavailable, ocr_image

    try:
        text = ocr_image(page)
    except OcrUnavailable as exc:
        raise LoadError("ocr_missing", str(exc)) from exc
    lines = [Line(text=t, page=page.number) for t in text.split("\n")]
    return Page(number=page.number, width=page.width, height=page.height, lines=lines)
