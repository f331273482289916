"""The PDFium reading engine (`--engine pdfium`, the default): every character with its
box, font size and font name, ruling lines and small filled shapes, read through
pypdfium2 (PDFium's C API), an order of magnitude faster than pdfminer. Ruled tables
are still found by pdfplumber, on the pages whose rules suggest one."""

from __future__ import annotations

import ctypes
import math
from functools import cached_property
from typing import Iterator, Optional

from ..errors import LoadError
from ..models import RawTable

# PDFium page object types and path draw modes
TEXT_OBJECT, PATH_OBJECT, FORM_OBJECT = 1, 2, 5
RULE_THICKNESS = 2.0  # points: a path thinner than this is a rule
MIN_RULE_LENGTH = 8.0  # points
MAX_SHAPE = 9.0  # points: a filled shape smaller than this beside text may be a bullet
TABLE_RULES = 3  # vertical and horizontal rules a page needs before pdfplumber looks for tables


class PdfiumDocument:
    """An open PDF; pages are read one at a time and closed after use."""

    name = "pdfium"

    def __init__(self, source, password: Optional[str]):
        import pypdfium2 as pdfium

        self._source = source
        try:
            self._pdf = pdfium.PdfDocument(source, password=password or None)
        except pdfium.PdfiumError as exc:
            message = str(exc).lower()
            if "password" in message:
                raise LoadError("encrypted", "encrypted: the password is wrong" if password
                                else "encrypted: run again with --password") from exc
            raise LoadError("corrupt", f"not a readable PDF: the file is damaged or truncated ({exc})") from exc
        self._password = password
        self._plumber = None  # opened on the first page that needs its table finder

    def __len__(self) -> int:
        return len(self._pdf)

    def pages(self, limit: int) -> Iterator["PdfiumPage"]:
        for index in range(min(limit, len(self._pdf))):
            page = self._pdf[index]
            try:
                yield PdfiumPage(self, page, index + 1)
            finally:
                page.close()

    def plumber_page(self, number: int):
        """The same page opened by pdfplumber (for its table finder)."""
        if self._plumber is None:
            import pdfplumber

            if hasattr(self._source, "seek"):
                self._source.seek(0)
            self._plumber = pdfplumber.open(self._source, password=self._password or "")
        return self._plumber.pages[number - 1]

    def plumber_chars(self, number: int) -> list[dict]:
        from .plumber import PlumberPage

        page = self.plumber_page(number)
        try:
            return PlumberPage(page).chars()
        finally:
            page.close()

    def close(self) -> None:
        try:
            self._pdf.close()
        finally:
            if self._plumber is not None:
                try:
                    self._plumber.close()
                except Exception:  # closing walks the pages again: a broken page fails here too
                    pass


class PdfiumPage:
    def __init__(self, owner: PdfiumDocument, page, number: int):
        self._owner = owner
        self._page = page
        self.number = number
        self.width, self.height = (float(v) for v in page.get_size())

    # ------------------------------------------------------------ text

    def chars(self) -> list[dict]:
        """Characters in pdfplumber's shape (`text`, `x0`, `x1`, `top`, `bottom`,
        `size`, `fontname`, `upright`), page furniture PDFium adds (generated spaces
        and line breaks) left out. `top` is `bottom` plus the font size, as pdfminer
        computes it."""
        import pypdfium2.raw as raw

        textpage = self._page.get_textpage()
        try:
            handle = textpage.raw
            n = raw.FPDFText_CountChars(handle)
            rect = raw.FS_RECTF()
            matrix = raw.FS_MATRIX()
            ox, oy = ctypes.c_double(), ctypes.c_double()
            fonts: dict[int, tuple[str, float]] = {}
            out = []
            height = self.height
            for i in range(n):
                code = raw.FPDFText_GetUnicode(handle, i)
                if code in (0, 0xFFFE) or code in (10, 13):
                    continue
                if raw.FPDFText_IsGenerated(handle, i):
                    # PDFium writes some producers' space glyphs (and the narrow no-break
                    # spaces among them) as spaces of its own: kept as separators
                    if code == 32 and out:
                        out.append({**out[-1], "text": " ", "generated": True})
                    continue
                if code < 32 and code != 9:
                    # a glyph PDFium cannot map to text (pdfminer reads the font's own
                    # encoding): this page is read by pdfplumber
                    return self._owner.plumber_chars(self.number)
                text = chr(code)
                raw.FPDFText_GetLooseCharBox(handle, i, ctypes.byref(rect))
                raw.FPDFText_GetMatrix(handle, i, ctypes.byref(matrix))
                # the font size times the text matrix's scale, as pdfminer reports it
                size = raw.FPDFText_GetFontSize(handle, i) * math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c))
                angle = raw.FPDFText_GetCharAngle(handle, i)
                obj = raw.FPDFText_GetTextObject(handle, i)
                key = ctypes.cast(obj, ctypes.c_void_p).value or 0
                found = fonts.get(key)
                if found is None:
                    found = fonts[key] = _font(raw, obj)
                font, descent = found
                # pdfminer's box: from the baseline, the font's descent below, its size above
                raw.FPDFText_GetCharOrigin(handle, i, ctypes.byref(ox), ctypes.byref(oy))
                y_bottom = height - oy.value - descent * size
                upright = abs(matrix.b) < 1e-3 and abs(matrix.c) < 1e-3 and matrix.a > 0
                out.append({
                    "text": text, "x0": ox.value if upright else rect.left, "x1": max(rect.right, ox.value),
                    "bottom": y_bottom, "top": y_bottom - size,
                    "size": size, "fontname": font, "upright": abs(math.sin(angle)) < 0.1 if angle >= 0 else True,
                })
            return _narrow_digit_spaces(out)
        finally:
            textpage.close()

    # ------------------------------------------------------------ graphics

    @cached_property
    def _paths(self) -> list[tuple[float, float, float, float, bool]]:
        """(x0, top, x1, bottom, filled) of every path object, forms included."""
        import pypdfium2.raw as raw

        out: list[tuple[float, float, float, float, bool]] = []
        l, b, r, t = (ctypes.c_float() for _ in range(4))
        fill, stroke = ctypes.c_int(), ctypes.c_int()

        def walk(count, get):
            for i in range(count):
                obj = get(i)
                kind = raw.FPDFPageObj_GetType(obj)
                if kind == FORM_OBJECT:
                    walk(raw.FPDFFormObj_CountObjects(obj), lambda k, o=obj: raw.FPDFFormObj_GetObject(o, k))
                elif kind == PATH_OBJECT and raw.FPDFPageObj_GetBounds(obj, *(ctypes.byref(v) for v in (l, b, r, t))):
                    raw.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke))
                    out.append((l.value, self.height - t.value, r.value, self.height - b.value, bool(fill.value)))

        page = self._page.raw
        walk(raw.FPDFPage_CountObjects(page), lambda k: raw.FPDFPage_GetObject(page, k))
        return out

    def horizontal_rules(self) -> list[float]:
        return [top for x0, top, x1, bottom, _ in self._paths
                if bottom - top <= RULE_THICKNESS and x1 - x0 >= MIN_RULE_LENGTH]

    def _vertical_rules(self) -> list[float]:
        return [x0 for x0, top, x1, bottom, _ in self._paths
                if x1 - x0 <= RULE_THICKNESS and bottom - top >= MIN_RULE_LENGTH]

    def shapes(self) -> list[tuple[float, float, float, float]]:
        """Small filled shapes (discs, squares): bullets drawn as graphics."""
        return [(x0, top, x1, bottom) for x0, top, x1, bottom, filled in self._paths
                if filled and 1.0 <= x1 - x0 <= MAX_SHAPE and 1.0 <= bottom - top <= MAX_SHAPE
                and 0.5 <= (x1 - x0) / (bottom - top) <= 2.0]

    def ruled_tables(self, words: list[dict]) -> list[RawTable]:
        """Tables with ruled cells: pdfplumber's finder, asked only when the page holds
        enough vertical and horizontal rules (or filled cell backgrounds)."""
        verticals = len(set(round(x) for x in self._vertical_rules()))
        horizontals = len(set(round(y) for y in self.horizontal_rules()))
        boxes = sum(1 for x0, top, x1, bottom, _ in self._paths if x1 - x0 > MIN_RULE_LENGTH and bottom - top > MIN_RULE_LENGTH)
        if (verticals < TABLE_RULES or horizontals < TABLE_RULES) and boxes < 2 * TABLE_RULES:
            return []
        from .plumber import ruled_tables_of

        return ruled_tables_of(self._owner.plumber_page(self.number), words, self.number)

    def image(self, resolution: int):
        """The page as a PIL image (for OCR and the review pages)."""
        return self._page.render(scale=resolution / 72).to_pil()


def _font(raw, text_object) -> tuple[str, float]:
    """(base font name, descent for a size of 1, negative below the baseline)."""
    font = raw.FPDFTextObj_GetFont(text_object)
    if not font:
        return "", 0.0
    descent = ctypes.c_float()
    if not raw.FPDFFont_GetDescent(font, ctypes.c_float(1.0), ctypes.byref(descent)):
        descent.value = 0.0
    size = raw.FPDFFont_GetBaseFontName(font, None, 0)
    if size <= 0:
        return "", descent.value
    buf = ctypes.create_string_buffer(size)
    raw.FPDFFont_GetBaseFontName(font, buf, size)
    return buf.value.decode("utf-8", "replace"), descent.value


NARROW_GAP = 0.25  # em: a space between digits narrower than this is a narrow no-break space


def _narrow_digit_spaces(chars: list[dict]) -> list[dict]:
    """A space PDFium generated between two digits, in a gap narrower than a word
    space, is the narrow no-break space that separates digit groups (`16 042 963`)."""
    for k, c in enumerate(chars):
        if not c.get("generated"):
            continue
        before = chars[k - 1] if k else None
        after = chars[k + 1] if k + 1 < len(chars) else None
        if before and after and before["text"].isdigit() and after["text"].isdigit():
            if after["x0"] - before["x1"] < NARROW_GAP * max(before["size"], 1.0):
                c["text"] = "\u202f"
    for c in chars:
        c.pop("generated", None)
    return chars
