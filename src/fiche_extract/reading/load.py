"""Load a document (PDF through pdfplumber, or extracted text) into pages of positioned lines."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from statistics import median
from typing import Optional

from . import guard
from .aligned import find_aligned_tables
from ..models import Line, Page, RawTable


class LoadError(Exception):
    """A document that cannot be read; `reason` is a short machine tag, str() a sentence for people."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


@dataclass
class LoadedDocument:
    path: Path
    sha256: str
    format: str  # "pdf" | "text"
    pages: list[Page]
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (check, message): read in part


PDF_MAGIC = b"%PDF-"
TEXT_SUFFIXES = {".txt", ".text", ".md"}

# A text page of fewer lines than this cannot end at a space-led line: such
# lines are then separate text boxes (link labels, captions), not page starts.
MIN_TEXT_PAGE_LINES = 20


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load(path: Path | str, *, encoding: Optional[str] = None, password: Optional[str] = None,
         ocr: bool = False) -> LoadedDocument:
    """Read a file and dispatch on its content (PDF magic number) rather than its name."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError("unreadable", f"cannot read file: {exc.strerror or exc}") from exc
    if not data.strip():
        raise LoadError("empty", "empty file: nothing to extract")
    digest = file_sha256(data)
    if data[:1024].lstrip().startswith(PDF_MAGIC) or path.suffix.lower() == ".pdf":
        if not data[:1024].lstrip().startswith(PDF_MAGIC):
            raise LoadError("corrupt", "not a PDF: the file has a .pdf name but no PDF header")
        try:
            guard.check_pdf_streams(data)
        except guard.BombError as exc:
            raise LoadError("bomb", str(exc)) from exc
        warnings: list[tuple[str, str]] = []
        pages = load_pdf(path, password=password, ocr=ocr, warnings=warnings)
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


# ---------------------------------------------------------------- text


def decode_text(data: bytes, encoding: Optional[str] = None) -> str:
    if encoding:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError) as exc:
            raise LoadError("encoding", f"cannot decode as {encoding}: {exc}") from exc
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LoadError(
            "encoding", "text is UTF-16, not UTF-8: run again with --encoding utf-16"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoadError(
            "encoding",
            f"text is not UTF-8 (byte {data[exc.start]:#04x} at offset {exc.start}): "
            "run again with --encoding latin-1 (or the file's encoding)",
        ) from exc


def _is_link_like(s: str) -> bool:
    s = s.strip()
    return "://" in s or s.startswith("www.") or (" " not in s and "." in s[1:-1])


def split_text_pages(text: str) -> list[Page]:
    """Recover pages from extracted text.

    A form feed always starts a page. A line that begins with a single space
    starts a page when the current page already holds enough lines, the line is
    not a link, and it is not one of a run of space-led lines (text boxes).
    """
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    pages: list[list[Line]] = [[]]
    count_since_break = 0
    for i, raw in enumerate(raw_lines):
        chunks = raw.split("\f")
        for j, chunk in enumerate(chunks):
            if j > 0:
                pages.append([])
                count_since_break = 0
            leading = chunk.startswith(" ") and not chunk.startswith("  ") and chunk.strip() != ""
            if leading and count_since_break >= MIN_TEXT_PAGE_LINES and not _is_link_like(chunk):
                prev = raw_lines[i - 1] if i > 0 else ""
                nxt = raw_lines[i + 1] if i + 1 < len(raw_lines) else ""
                in_run = (prev.startswith(" ") and prev.strip()) or (nxt.startswith(" ") and nxt.strip())
                if not in_run:
                    pages.append([])
                    count_since_break = 0
            page_no = len(pages)
            pages[-1].append(Line(text=chunk, page=page_no, leading_space=leading))
            if chunk.strip():
                count_since_break += 1
    result = [Page(number=n, lines=lines) for n, lines in enumerate(pages, start=1)]
    # drop trailing empty pages (a final form feed)
    while len(result) > 1 and not any(l.text.strip() for l in result[-1].lines):
        result.pop()
    return result


# ---------------------------------------------------------------- PDF

WORD_ATTRS = ["size", "fontname"]
ROW_TOLERANCE = 3.0  # points: words whose tops differ less belong to one row
MIN_GUTTER = 12.0  # points of empty x between two columns


def load_pdf(path: Path, *, password: Optional[str] = None, ocr: bool = False,
             warnings: Optional[list] = None, max_pages: int = 0) -> list[Page]:
    """Words with size and weight, columns, reading order and tables, page by page.
    Pages without a text layer are read by OCR when asked. At most `max_pages`
    pages are read (a warning says so).

    Each page is closed after use: pdfplumber keeps parsed pages otherwise.
    """
    warnings = warnings if warnings is not None else []
    max_pages = max_pages or guard.MAX_PAGES
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        pdf = pdfplumber.open(path, password=password or "")
    except Exception as exc:  # pdfminer raises many kinds on broken files, often wrapped
        chain = [exc, exc.__cause__, exc.__context__, *getattr(exc, "args", ())]
        if any(isinstance(e, PDFPasswordIncorrect) for e in chain):
            raise LoadError("encrypted", "encrypted: the password is wrong" if password
                            else "encrypted: run again with --password") from exc
        detail = f"{type(exc).__name__}: {exc}".rstrip(": ")
        if isinstance(exc, PDFSyntaxError):
            detail = str(exc)
        raise LoadError("corrupt", f"not a readable PDF: the file is damaged or truncated ({detail})") from exc
    pages: list[Page] = []
    try:
        total = len(pdf.pages)
        if total == 0:
            raise LoadError("empty", "the PDF has no pages")
        if total > max_pages:
            warnings.append(("pages_truncated", f"{total} pages: only the first {max_pages} were read"))
        blank = []
        for page in pdf.pages[:max_pages]:
            try:
                read = _read_page(page)
                if not read.lines and ocr:
                    read = _ocr_page(page)
                if not read.lines:
                    blank.append(page.page_number)
                pages.append(read)
            finally:
                page.close()
        if blank and len(blank) < len(pages):
            warnings.append(("no_text_layer", f"page(s) {', '.join(map(str, blank[:20]))} have no text layer: "
                             + ("OCR found nothing" if ocr else "scanned pages need OCR (run again with --ocr)")))
    except LoadError:
        raise
    except MemoryError:
        raise
    except Exception as exc:
        raise LoadError("corrupt", f"PDF page could not be parsed ({type(exc).__name__}: {exc})") from exc
    finally:
        try:
            pdf.close()
        except Exception:  # closing walks the pages again: a broken page fails here too
            pass
    return pages


def _ocr_page(page) -> Page:
    from .ocr import OcrUnavailable, ocr_page

    try:
        text = ocr_page(page)
    except OcrUnavailable as exc:
        raise LoadError("ocr_missing", str(exc)) from exc
    lines = [Line(text=t, page=page.page_number) for t in text.split("\n")]
    return Page(number=page.page_number, width=float(page.width), height=float(page.height), lines=lines)


def _read_page(page) -> Page:
    number = page.page_number
    tables = []
    table_boxes = []
    words = page.extract_words(extra_attrs=WORD_ATTRS, keep_blank_chars=False, use_text_flow=False)
    for found in page.find_tables():
        rows = [r for r in _ruled_rows(found, words) if any(r)]
        if len(rows) >= 2 and max(len(r) for r in rows) >= 2:
            tables.append(RawTable(page=number, bbox=tuple(found.bbox), rows=rows))
            table_boxes.append(found.bbox)
    body = [w for w in words if not any(_inside(w, b) for b in table_boxes)]
    gutter = find_gutter(body, page.width)
    # tables drawn without vertical rules, read by word alignment under a known header
    rules = [e["top"] for e in page.horizontal_edges] if body else []
    for found in find_aligned_tables(_group_rows(body), rules, gutter):
        taken = {id(w) for w in found.words}
        body = [w for w in body if id(w) not in taken]
        tables.append(RawTable(page=number, bbox=found.bbox, rows=found.rows))
    if len(tables) > len(table_boxes):
        gutter = find_gutter(body, page.width)  # a table's own column gaps may have looked like a gutter
    lines = _reading_order(body, number, gutter)
    # a table is read where it sits, in its column (or across both): its rows
    # become lines between the text above and below it
    for table in tables:
        x0, top, x1, bottom = table.bbox
        column = -2
        if gutter is not None:
            column = 1 if x1 <= gutter + 2 else 2 if x0 >= gutter - 2 else -2
        for k, row in enumerate(table.rows):
            text = " | ".join(c for c in row if c)  # cells stay apart: `157 700 | 139 100`
            lines.append(
                Line.model_construct(text=text, page=number, x0=x0, top=top + k * 0.01, x1=x1, bottom=top + k * 0.01,
                     size=0.0, column=column, cells=row)
            )
    lines = _order_blocks(lines)
    return Page(number=number, width=float(page.width), height=float(page.height), lines=lines, tables=tables)


def _ruled_rows(table, words: list[dict]) -> list[list[str]]:
    """The cells of a table pdfplumber found, read from the page's words (each word
    in the cell holding its centre): the same text as `table.extract()`, without
    going through every character once per cell."""
    from .aligned import join_words

    inside = [w for w in words if _inside(w, table.bbox)]
    rows = []
    for row in table.rows:
        cells = []
        for box in row.cells:
            if box is None:
                cells.append("")
                continue
            taken = [w for w in inside if _inside(w, box, margin=0)]
            cells.append(join_words(taken))
        rows.append(cells)
    return rows


def _inside(word: dict, box, margin: float = 1.0) -> bool:
    cx = (word["x0"] + word["x1"]) / 2
    cy = (word["top"] + word["bottom"]) / 2
    return box[0] - margin <= cx <= box[2] + margin and box[1] - margin <= cy <= box[3] + margin


def find_gutter(words: list[dict], width: float) -> Optional[float]:
    """The x of an empty vertical band between two text columns, if the page has two.

    Scans the middle of the page for the x crossed by the fewest words; the
    page has two columns when that band is empty for most rows and both sides
    hold text at the same heights.
    """
    if len(words) < 20:
        return None
    lo, hi = int(width * 0.3), int(width * 0.7)
    if hi <= lo:
        return None
    crossings = _crossings(words, lo, hi, MIN_GUTTER / 2)
    best_cross = min(crossings)
    best_x = lo + crossings.index(best_cross)
    left = [w for w in words if w["x1"] <= best_x]
    right = [w for w in words if w["x0"] >= best_x]
    if len(left) < 10 or len(right) < 10:
        return None
    rows_total = len({round(w["top"]) for w in words})
    rows_crossing = len({round(w["top"]) for w in words if w["x0"] < best_x < w["x1"]})
    if rows_crossing > 0.35 * rows_total:
        return None
    overlap = min(max(w["bottom"] for w in left), max(w["bottom"] for w in right)) - max(
        min(w["top"] for w in left), min(w["top"] for w in right)
    )
    return float(best_x) if overlap > 0 else None


def _crossings(words: list[dict], lo: int, hi: int, margin: float) -> list[int]:
    """For each whole x in [lo, hi), how many words (widened by `margin` on each
    side, open bounds) cover it: one pass over the words, one over the band."""
    delta = [0] * (hi - lo + 1)
    for w in words:
        first = max(lo, math.floor(w["x0"] - margin) + 1)
        last = min(hi - 1, math.ceil(w["x1"] + margin) - 1)
        if first <= last:
            delta[first - lo] += 1
            delta[last - lo + 1] -= 1
    counts, running = [], 0
    for d in delta[:-1]:
        running += d
        counts.append(running)
    return counts


def _group_rows(words: list[dict]) -> list[list[dict]]:
    rows: list[list[dict]] = []
    for w in sorted(words, key=lambda w: (round(w["bottom"], 1), w["x0"])):
        if rows and abs(rows[-1][-1]["bottom"] - w["bottom"]) <= ROW_TOLERANCE:
            rows[-1].append(w)
        else:
            rows.append([w])
    return [sorted(r, key=lambda w: w["x0"]) for r in rows]


def _row_line(row: list[dict], page: int, column: int) -> Line:
    # the size most of the line's characters have (a bullet glyph or a large leading
    # figure does not make a body line look like another block)
    by_size: dict[float, int] = {}
    for w in row:
        by_size[round(w["size"], 1)] = by_size.get(round(w["size"], 1), 0) + len(w["text"])
    size = max(by_size, key=lambda k: (by_size[k], k))
    bold_chars = sum(len(w["text"]) for w in row if _is_bold(w["fontname"]))
    total_chars = sum(len(w["text"]) for w in row) or 1
    # a space between words unless they touch (kerned pieces of one word)
    parts = [row[0]["text"]]
    for prev, w in zip(row, row[1:]):
        gap = w["x0"] - prev["x1"]
        parts.append(("" if gap < 0.15 * min(prev["size"], w["size"]) else " ") + w["text"])
    return Line.model_construct(
        text="".join(parts),
        page=page,
        x0=min(w["x0"] for w in row),
        top=min(w["top"] for w in row),
        x1=max(w["x1"] for w in row),
        bottom=max(w["bottom"] for w in row),
        size=size,
        bold=bold_chars / total_chars > 0.6,
        column=column,
    )


@lru_cache(maxsize=1024)
def _is_bold(fontname: str) -> bool:
    name = fontname.lower()
    return any(k in name for k in ("bold", "black", "heavy", "semibold", "-bd"))


def _reading_order(words: list[dict], page: int, gutter: Optional[float]) -> list[Line]:
    """Lines in reading order: full-width rows cut the page into bands; within a
    band, the left column is read before the right one."""
    if not words:
        return []
    if gutter is None:
        return [_row_line(r, page, 0) for r in _group_rows(words)]
    lines: list[Line] = []
    for row in _group_rows(words):
        left = [w for w in row if w["x1"] <= gutter]
        right = [w for w in row if w["x0"] >= gutter]
        spanning = len(left) + len(right) < len(row) or (left and right and _word_gap(left[-1], right[0]))
        if spanning:
            lines.append(_row_line(row, page, -1))
        else:
            if left:
                lines.append(_row_line(left, page, 1))
            if right:
                lines.append(_row_line(right, page, 2))
    return lines


def _word_gap(before: dict, after: dict) -> bool:
    """Two words of one full-width line that happen to sit either side of the
    gutter: the space between them is a word space, far narrower than a gutter."""
    gap = after["x0"] - before["x1"]
    return gap < min(MIN_GUTTER / 2, 0.5 * min(before["size"], after["size"]))


def _order_blocks(lines: list[Line]) -> list[Line]:
    """Sort lines: bands separated by full-width lines (column -1) or full-width
    tables (column -2), and inside a band column 1 then column 2, each top to bottom."""
    lines = sorted(lines, key=lambda l: l.top)
    out: list[Line] = []
    band: list[Line] = []

    def flush():
        band.sort(key=lambda l: (l.column, l.top))
        out.extend(band)
        band.clear()

    for line in lines:
        if line.column < 0:
            flush()
            out.append(line)
        else:
            band.append(line)
    flush()
    return out


def body_font_size(pages: list[Page]) -> float:
    sizes = [l.size for p in pages for l in p.lines if l.size > 0 for _ in range(max(1, len(l.text) // 10))]
    return median(sizes) if sizes else 0.0
