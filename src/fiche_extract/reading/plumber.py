"""The pdfplumber reading engine (`--engine pdfplumber`, the reference): characters
with size and font from pdfminer, rules and small filled shapes, and pdfplumber's
table finder for ruled tables (which the PDFium engine borrows too)."""

from __future__ import annotations

from typing import Iterator, Optional

from ..errors import LoadError
from ..models import RawTable
from .aligned import cell_word_boxes, join_words
from .chars import glyph_box
from .layout import inside

# WinAnsiEncoding's unused codes show the bullet (PDF reference, appendix D); pdfminer
# leaves them unmapped, PDFium maps them
WINANSI_BULLETS = {f"(cid:{n})": "\u2022" for n in (127, 129, 141, 143, 144, 157)}
MAX_SHAPE = 9.0  # points: a filled shape smaller than this beside text may be a bullet


class PlumberDocument:
    """An open PDF; pages are read one at a time and closed after use (pdfplumber
    keeps parsed pages otherwise)."""

    name = "pdfplumber"

    def __init__(self, source, password: Optional[str]):
        import pdfplumber
        from pdfminer.pdfdocument import PDFPasswordIncorrect
        from pdfminer.pdfparser import PDFSyntaxError

        try:
            self._pdf = pdfplumber.open(source, password=password or "")
        except Exception as exc:  # pdfminer raises many kinds on broken files, often wrapped
            chain = [exc, exc.__cause__, exc.__context__, *getattr(exc, "args", ())]
            if any(isinstance(e, PDFPasswordIncorrect) for e in chain):
                raise LoadError("encrypted", "encrypted: the password is wrong" if password
                                else "encrypted: run again with --password") from exc
            detail = str(exc) if isinstance(exc, PDFSyntaxError) else f"{type(exc).__name__}: {exc}".rstrip(": ")
            raise LoadError("corrupt", f"not a readable PDF: the file is damaged or truncated ({detail})") from exc

    def __len__(self) -> int:
        return len(self._pdf.pages)

    def pages(self, limit: int) -> Iterator["PlumberPage"]:
        for page in self._pdf.pages[:limit]:
            try:
                yield PlumberPage(page)
            finally:
                page.close()

    def close(self) -> None:
        try:
            self._pdf.close()
        except Exception:  # closing walks the pages again: a broken page fails here too
            pass


class PlumberPage:
    def __init__(self, page):
        self._page = page
        self.number = page.page_number
        self.width = float(page.width)
        self.height = float(page.height)

    def chars(self) -> list[dict]:
        """pdfminer's characters, boxed from their baseline (`glyph_box`)."""
        out = []
        for c in self._page.chars:
            # pdfminer's box bottom sits the font's descent below the baseline
            baseline = c["bottom"] + (c["y0"] - c["matrix"][5]) if c["upright"] else c["bottom"]
            top, bottom = glyph_box(baseline, c["size"]) if c["upright"] else (c["top"], c["bottom"])
            out.append({"text": WINANSI_BULLETS.get(c["text"], c["text"]), "x0": c["x0"], "x1": c["x1"], "top": top, "bottom": bottom,
                        "size": c["size"], "fontname": c["fontname"], "upright": c["upright"]})
        return out

    def ruled_tables(self, words: list[dict]) -> list[RawTable]:
        return ruled_tables_of(self._page, words, self.number)

    def horizontal_rules(self) -> list[float]:
        return [e["top"] for e in self._page.horizontal_edges]

    def shapes(self) -> list[tuple[float, float, float, float]]:
        """Small filled shapes (discs, squares): bullets drawn as graphics."""
        out = []
        for o in self._page.rects + self._page.curves:
            w, h = o["x1"] - o["x0"], o["bottom"] - o["top"]
            if o.get("fill") and 1.0 <= w <= MAX_SHAPE and 1.0 <= h <= MAX_SHAPE and 0.5 <= w / h <= 2.0:
                out.append((o["x0"], o["top"], o["x1"], o["bottom"]))
        return out

    def image(self, resolution: int):
        """The page as a PIL image (for OCR)."""
        return self._page.to_image(resolution=resolution).original


def ruled_tables_of(page, words: list[dict], number: int) -> list[RawTable]:
    """Tables with ruled cells that pdfplumber finds on `page`, their cells read from
    `words` (each word in the cell holding its centre: the text of `table.extract()`
    without reading every character once per cell)."""
    out = []
    for found in page.find_tables():
        within = [w for w in words if inside(w, found.bbox)]
        cells = [[[] if box is None else [w for w in within if inside(w, box, margin=0)] for box in row.cells]
                 for row in found.rows]
        cells = [r for r in cells if any(r)]
        rows = [[join_words(c) for c in r] for r in cells]
        if len(rows) >= 2 and max(len(r) for r in rows) >= 2:
            out.append(RawTable(page=number, bbox=tuple(found.bbox), rows=rows, cell_words=cell_word_boxes(cells)))
    return out
