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
from .chars import glyph_box

# PDFium page object types and path draw modes
TEXT_OBJECT, PATH_OBJECT, FORM_OBJECT = 1, 2, 5
RULE_THICKNESS = 2.0  # points: a path thinner than this is a rule
MIN_RULE_LENGTH = 8.0  # points
MAX_SHAPE = 9.0  # points: a filled shape smaller than this beside text may be a bullet
LINE_END_HYPHEN = 2  # PDFium returns U+0002 for a hyphen it reads as a word cut at a line end
TABLE_RULES = 3
SEGMENT_MOVETO = 2  # vertical and horizontal rules a page needs before pdfplumber looks for tables


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
        `size`, `fontname`, `upright`), boxed from their baseline (`glyph_box`); the
        spaces PDFium generates for a producer's space glyphs kept as separators, its
        line breaks left out."""
        import pypdfium2.raw as raw

        textpage = self._page.get_textpage()
        try:
            handle = textpage.raw
            n = raw.FPDFText_CountChars(handle)
            rect = raw.FS_RECTF()
            matrix = raw.FS_MATRIX()
            ox, oy = ctypes.c_double(), ctypes.c_double()
            rect_ref, matrix_ref, ox_ref, oy_ref = (ctypes.byref(v) for v in (rect, matrix, ox, oy))
            # per text object (one run of one font): font name, size, upright
            styles: dict[int, tuple[str, float, bool, bool]] = {}
            out = []
            height = self.height
            last = None  # the last glyph read: its box stops where the next one starts
            for i in range(n):
                code = raw.FPDFText_GetUnicode(handle, i)
                raw.FPDFText_GetCharOrigin(handle, i, ox_ref, oy_ref)  # read once: for the last glyph and this one
                if last is not None:
                    if last["x0"] + 0.01 < ox.value < last["x1"] and abs(height - oy.value - last["baseline"]) < 0.5:
                        last["x1"] = ox.value  # an italic's box overhangs its advance
                    last = None
                if code in (0, 0xFFFE) or code in (10, 13):
                    continue
                if raw.FPDFText_IsGenerated(handle, i):
                    # PDFium writes some producers' space glyphs (and the narrow no-break
                    # spaces among them) as spaces of its own: kept as separators
                    if code == 32 and out:
                        out.append({**out[-1], "text": " "})
                    continue
                if code == LINE_END_HYPHEN:
                    code = ord("-")  # PDFium's mark for a hyphen that ends a line
                elif code < 32 and code != 9:
                    # a glyph PDFium cannot map to text (pdfminer reads the font's own
                    # encoding): this page is read by pdfplumber
                    return self._owner.plumber_chars(self.number)
                obj = raw.FPDFText_GetTextObject(handle, i)
                key = ctypes.cast(obj, ctypes.c_void_p).value or 0
                style = styles.get(key)
                if style is None:
                    raw.FPDFText_GetMatrix(handle, i, matrix_ref)
                    # the font size times the text matrix's scale, as pdfminer reports it
                    size = raw.FPDFText_GetFontSize(handle, i) * math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c))
                    angle = raw.FPDFText_GetCharAngle(handle, i)
                    style = styles[key] = (_font(raw, obj), size, abs(matrix.b) < 1e-3 and abs(matrix.c) < 1e-3 and matrix.a > 0,
                                           abs(math.sin(angle)) < 0.1 if angle >= 0 else True)
                font, size, upright, level = style
                raw.FPDFText_GetLooseCharBox(handle, i, rect_ref)
                top, bottom = glyph_box(height - oy.value, size)
                out.append({
                    "text": chr(code), "x0": ox.value if upright else rect.left, "x1": max(rect.right, ox.value),
                    "bottom": bottom, "top": top, "size": size, "fontname": font, "upright": level,
                })
                if upright:
                    last = out[-1]
                    last["baseline"] = height - oy.value
            for c in out:
                c.pop("baseline", None)
            return _ligatures_closed(out)
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
        """The y of horizontal rules: thin paths, and the top and bottom edges of boxes
        (a table drawn as one rectangle per row), as pdfplumber's edges count them."""
        out = []
        for x0, top, x1, bottom, _ in self._paths:
            if x1 - x0 >= MIN_RULE_LENGTH:
                out.extend((top,) if bottom - top <= RULE_THICKNESS else (top, bottom))
        return out

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

        return ruled_tables_of(RuledPage(self._edges(), (0, 0, self.width, self.height)), words, self.number)

    def _edges(self) -> list[dict]:
        """The page's straight edges as pdfplumber makes them from pdfminer's objects
        (its table finder then needs no pdfminer parse): each subpath of each path
        object, a two-point subpath a line, an axis-aligned closed quadrilateral a
        rectangle's four sides, any other its successive point pairs."""
        import pypdfium2.raw as raw

        edges: list[dict] = []
        x, y = ctypes.c_float(), ctypes.c_float()
        m = raw.FS_MATRIX()

        def walk(count, get, outer):
            for i in range(count):
                obj = get(i)
                kind = raw.FPDFPageObj_GetType(obj)
                raw.FPDFPageObj_GetMatrix(obj, ctypes.byref(m))
                inner = _compose((m.a, m.b, m.c, m.d, m.e, m.f), outer)
                if kind == FORM_OBJECT:
                    walk(raw.FPDFFormObj_CountObjects(obj), lambda k, o=obj: raw.FPDFFormObj_GetObject(o, k), inner)
                elif kind == PATH_OBJECT:
                    for points, closed in self._subpaths(raw, obj, inner, x, y):
                        edges.extend(_edges_of(points, closed))

        page = self._page.raw
        walk(raw.FPDFPage_CountObjects(page), lambda k: raw.FPDFPage_GetObject(page, k), (1, 0, 0, 1, 0, 0))
        return edges

    def _subpaths(self, raw, obj, matrix, x, y):
        """(points in page coordinates from the top, closed) of each subpath."""
        a, b, c, d, e, f = matrix
        points: list[tuple[float, float]] = []
        closed = False
        for k in range(raw.FPDFPath_CountSegments(obj)):
            segment = raw.FPDFPath_GetPathSegment(obj, k)
            raw.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y))
            point = (round(a * x.value + c * y.value + e, 3), round(self.height - (b * x.value + d * y.value + f), 3))
            if raw.FPDFPathSegment_GetType(segment) == SEGMENT_MOVETO and points:
                yield points, closed
                points, closed = [], False
            points.append(point)
            closed = closed or bool(raw.FPDFPathSegment_GetClose(segment))
        if points:
            yield points, closed

    def image(self, resolution: int):
        """The page as a PIL image (for OCR and the review pages)."""
        return self._page.render(scale=resolution / 72).to_pil()


def _font(raw, text_object) -> str:
    """The base font name of a text object."""
    font = raw.FPDFTextObj_GetFont(text_object)
    if not font:
        return ""
    size = raw.FPDFFont_GetBaseFontName(font, None, 0)
    if size <= 0:
        return ""
    buf = ctypes.create_string_buffer(size)
    raw.FPDFFont_GetBaseFontName(font, buf, size)
    return buf.value.decode("utf-8", "replace")


LIGATURE_GAP = 0.15  # em


def _ligatures_closed(chars: list[dict]) -> list[dict]:
    """PDFium splits a ligature glyph (`ﬁ`) into letters that share its origin, and
    their boxes can stop short of the glyph's advance: the last letter is stretched
    to the next glyph when it starts just after, so the word is not cut there."""
    for k in range(1, len(chars) - 1):
        c, prev, nxt = chars[k], chars[k - 1], chars[k + 1]
        if abs(c["x0"] - prev["x0"]) < 0.01 and c["bottom"] == prev["bottom"] and nxt["bottom"] == c["bottom"]:
            gap = nxt["x0"] - c["x1"]
            if 0 < gap < LIGATURE_GAP * c["size"] and nxt["text"].strip():
                c["x1"] = nxt["x0"]
    return chars


class RuledPage:
    """What pdfplumber's table finder reads of a page: its edges and its box."""

    def __init__(self, edges: list[dict], bbox: tuple[float, float, float, float]):
        self.edges, self.bbox = edges, bbox

    def find_tables(self):
        from pdfplumber.table import TableFinder

        return TableFinder(self).tables


def _compose(inner: tuple, outer: tuple) -> tuple:
    """The matrix of `inner` drawn inside `outer` (PDF matrices a b c d e f)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _edge(p0, p1, kind: str, orientation) -> dict:
    x0, x1 = sorted((p0[0], p1[0]))
    top, bottom = sorted((p0[1], p1[1]))
    return {"object_type": kind, "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top,
            "width": x1 - x0, "height": bottom - top, "orientation": orientation}


def _edges_of(points: list[tuple[float, float]], closed: bool) -> list[dict]:
    """pdfplumber's edges of one subpath (see `PdfiumPage._edges`)."""
    if len(points) == 2:
        p0, p1 = points
        return [_edge(p0, p1, "line", "h" if p0[1] == p1[1] else "v")]
    ring = points[:-1] if len(points) == 5 and points[0] == points[-1] else points
    if len(ring) == 4 and (closed or len(points) == 5) and all(
            p[0] == q[0] or p[1] == q[1] for p, q in zip(ring, ring[1:] + ring[:1])):
        xs, ys = sorted({p[0] for p in ring}), sorted({p[1] for p in ring})
        if len(xs) == 2 and len(ys) == 2:
            (x0, x1), (top, bottom) = xs, ys
            return [_edge((x0, top), (x1, top), "rect_edge", "h"), _edge((x0, bottom), (x1, bottom), "rect_edge", "h"),
                    _edge((x0, top), (x0, bottom), "rect_edge", "v"), _edge((x1, top), (x1, bottom), "rect_edge", "v")]
    return [_edge(p0, p1, "curve_edge", "v" if p0[0] == p1[0] else "h" if p0[1] == p1[1] else None)
            for p0, p1 in zip(points, points[1:])]

