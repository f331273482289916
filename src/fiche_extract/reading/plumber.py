"""The pdfplumber reading engine (`--engine pdfplumber`, the reference): characters
with size and font from pdfminer, rules and small filled shapes, and pdfplumber's
table finder for ruled tables (which the PDFium engine borrows too)."""

from __future__ import annotations

from typing import Iterator, Optional

from ..errors import LoadError
from ..models import RawTable
from .aligned import join_words
from .layout import inside

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
        return [{"text": c["text"], "x0": c["x0"], "x1": c["x1"], "top": c["top"], "bottom": c["bottom"],
                 "size": c["size"], "fontname": c["fontname"], "upright": c["upright"]} for c in self._page.chars]

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
        rows = []
        for row in found.rows:
            rows.append(["" if box is None else join_words([w for w in within if inside(w, box, margin=0)])
                         for box in row.cells])
        rows = [r for r in rows if any(r)]
        if len(rows) >= 2 and max(len(r) for r in rows) >= 2:
            out.append(RawTable(page=number, bbox=tuple(found.bbox), rows=rows))
    return out
