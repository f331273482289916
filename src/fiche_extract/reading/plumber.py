"""The pdfplumber reading engine: words with size and font, ruled tables from
pdfplumber's table finder, horizontal rules. The reference engine (`--engine
pdfplumber`)."""

from __future__ import annotations

from typing import Iterator, Optional

from ..errors import LoadError
from ..models import RawTable
from .aligned import join_words
from .layout import inside

WORD_ATTRS = ["size", "fontname"]


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
        self._words: Optional[list[dict]] = None

    def words(self) -> list[dict]:
        if self._words is None:
            self._words = self._page.extract_words(extra_attrs=WORD_ATTRS, keep_blank_chars=False,
                                                   use_text_flow=False)
        return self._words

    def ruled_tables(self) -> list[RawTable]:
        """Tables with ruled cells, read from the page's words (each word in the cell
        holding its centre: the text of `table.extract()` without reading every
        character once per cell)."""
        words = self.words()
        out = []
        for found in self._page.find_tables():
            within = [w for w in words if inside(w, found.bbox)]
            rows = []
            for row in found.rows:
                rows.append(["" if box is None else join_words([w for w in within if inside(w, box, margin=0)])
                             for box in row.cells])
            rows = [r for r in rows if any(r)]
            if len(rows) >= 2 and max(len(r) for r in rows) >= 2:
                out.append(RawTable(page=self.number, bbox=tuple(found.bbox), rows=rows))
        return out

    def horizontal_rules(self) -> list[float]:
        return [e["top"] for e in self._page.horizontal_edges]

    def image(self, resolution: int):
        """The page as a PIL image (for OCR)."""
        return self._page.to_image(resolution=resolution).original
