"""Positioned words into lines in reading order: rows, a column gutter, full-width
lines and tables cutting the page into bands, the left column read before the right.
Engine-neutral: the words come from pdfplumber or PDFium in the same shape (dicts
with `text`, `x0`, `x1`, `top`, `bottom`, `size`, `fontname`)."""

from __future__ import annotations

import math
from statistics import median
from typing import Optional

from ..models import Line, Page, RawTable
from .chars import is_bold
from .normalise import LINE_END_HYPHENS
from .. import rx as re
from .settings import LayoutSettings

DATELINE = re.compile(r"\p{Lu}[\p{L}'’\- ]+,? le (?:\p{L}+ )?\d")


def inside(word: dict, box, margin: float = 1.0) -> bool:
    """The word's centre lies in `box` (widened by `margin`)."""
    cx = (word["x0"] + word["x1"]) / 2
    cy = (word["top"] + word["bottom"]) / 2
    return box[0] - margin <= cx <= box[2] + margin and box[1] - margin <= cy <= box[3] + margin


def find_gutter(words: list[dict], width: float, settings: LayoutSettings) -> Optional[float]:
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
    crossings = _crossings(words, lo, hi, settings.min_gutter / 2)
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


def group_rows(words: list[dict], tolerance: float) -> list[list[dict]]:
    """Words into rows (baselines closer than `tolerance`), each sorted by x."""
    rows: list[list[dict]] = []
    for w in sorted(words, key=lambda w: (round(w["bottom"], 1), w["x0"])):
        if rows and abs(rows[-1][-1]["bottom"] - w["bottom"]) <= tolerance:
            rows[-1].append(w)
        else:
            rows.append([w])
    return [sorted(r, key=lambda w: w["x0"]) for r in rows]


def _row_line(row: list[dict], page: int, column: int, settings: LayoutSettings, *, separate: bool = False) -> Line:
    """A row of words as one line: the words joined by the space each had before it
    (a narrow no-break space between digit groups stays one), with the size most of
    its characters have (a bullet glyph or a large leading figure does not make a body
    line look like another block), its weight and each word's box."""
    by_size: dict[float, int] = {}
    for w in row:
        by_size[round(w["size"], 1)] = by_size.get(round(w["size"], 1), 0) + len(w["text"])
    size = max(by_size, key=lambda k: (by_size[k], k))
    bold_chars = sum(len(w["text"]) for w in row if is_bold(w["fontname"]))
    total_chars = sum(len(w["text"]) for w in row) or 1
    parts: list[str] = []
    boxes = []
    pos = 0
    for k, w in enumerate(row):
        if k:
            sep = w.get("sep") or " "
            parts.append(sep)
            pos += len(sep)
        parts.append(w["text"])
        boxes.append((pos, pos + len(w["text"]), w["x0"], w["top"], w["x1"], w["bottom"]))
        pos += len(w["text"])
    return Line.model_construct(
        text="".join(parts), page=page,
        x0=min(w["x0"] for w in row), top=min(w["top"] for w in row),
        x1=max(w["x1"] for w in row), bottom=max(w["bottom"] for w in row),
        size=size, bold=bold_chars / total_chars > 0.6, column=column, words=boxes, separate=separate,
        leading_space=False, cells=None, color=None,
    )


def _blocks_of_row(row: list[dict], settings: LayoutSettings) -> list[list[dict]]:
    """A row cut where a gap wider than `block_gap` em separates two text blocks side by
    side (a letterhead and its dateline); figures after a gap are a table's cells and
    stay on their row."""
    blocks = [[row[0]]]
    for prev, w in zip(row, row[1:]):
        gap = w["x0"] - prev["x1"]
        if gap > settings.block_gap * max(prev["size"], w["size"]):
            blocks.append([w])
        else:
            blocks[-1].append(w)
    if len(blocks) > 1 and any(_has_figures(b) for b in blocks) and not any(_is_dateline(b) for b in blocks):
        return [row]  # a table's row: its label and its figures stay together
    return blocks


def _has_figures(block: list[dict]) -> bool:
    return any(any(ch.isdigit() for ch in w["text"]) for w in block)


def _is_dateline(block: list[dict]) -> bool:
    text = " ".join(w["text"] for w in block)
    return DATELINE.search(text) is not None


def reading_order(words: list[dict], page: int, gutter: Optional[float], settings: LayoutSettings) -> list[Line]:
    """Lines in reading order: full-width rows cut the page into bands; within a
    band, the left column is read before the right one."""
    if not words:
        return []
    if gutter is None:
        lines = []
        for r in group_rows(words, settings.row_tolerance):
            blocks = _blocks_of_row(r, settings)
            lines.extend(_row_line(b, page, 0, settings, separate=len(blocks) > 1) for b in blocks)
        return lines
    lines: list[Line] = []
    for row in group_rows(words, settings.row_tolerance):
        left = [w for w in row if w["x1"] <= gutter]
        right = [w for w in row if w["x0"] >= gutter]
        spanning = len(left) + len(right) < len(row) or (left and right and _word_gap(left[-1], right[0], settings))
        if spanning:
            lines.append(_row_line(row, page, -1, settings))
        else:
            if left:
                lines.append(_row_line(left, page, 1, settings))
            if right:
                lines.append(_row_line(right, page, 2, settings))
    return lines


def _word_gap(before: dict, after: dict, settings: LayoutSettings) -> bool:
    """Two words of one full-width line that happen to sit either side of the
    gutter: the space between them is a word space, far narrower than a gutter."""
    gap = after["x0"] - before["x1"]
    return gap < min(settings.min_gutter, 0.5 * min(before["size"], after["size"]))


def order_blocks(lines: list[Line]) -> list[Line]:
    """Sort lines: bands separated by full-width lines (column -1) or full-width
    tables (column -2), and inside a band column 1 then column 2, each top to bottom."""
    lines = sorted(lines, key=lambda l: (round(l.top), l.x0))  # blocks side by side on one row: left first
    out: list[Line] = []
    band: list[Line] = []

    def flush():
        band.sort(key=lambda l: (l.column, round(l.top), l.x0))
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


def page_lines(number: int, words: list[dict], tables: list[RawTable], gutter: Optional[float],
               settings: LayoutSettings, shapes=()) -> list[Line]:
    """The page's lines in reading order, each table read where it sits, in its column
    (or across both): its rows become lines between the text above and below it. A
    small filled shape just before a line's first word is its bullet."""
    lines = _with_bullets(reading_order(words, number, gutter, settings), shapes, settings)
    for table in tables:
        x0, top, x1, bottom = table.bbox
        column = -2
        if gutter is not None:
            slack = settings.column_slack
            column = 1 if x1 <= gutter + slack else 2 if x0 >= gutter - slack else -2
        for k, row in enumerate(table.rows):
            text = " | ".join(c for c in row if c)  # cells stay apart: `157 700 | 139 100`
            words = _cell_words(row, table.cell_words[k]) if table.cell_words else None
            lines.append(Line.model_construct(text=text, page=number, x0=x0, top=top + k * 0.01, x1=x1,
                                              bottom=top + k * 0.01, size=0.0, column=column, cells=row, words=words))
    return stacks_first(order_blocks(lines))


def stacks_first(lines: list[Line]) -> list[Line]:
    """A block beside another on its row (a dateline right of a letterhead's first line)
    is read after the lines stacked right under the left block (the letterhead's other
    lines), not between them."""
    out = list(lines)
    i = 0
    while i + 1 < len(out):
        left, right = out[i], out[i + 1]
        if not (left.separate and right.separate and abs(right.top - left.top) < 2 and right.x0 > left.x1):
            i += 1
            continue
        j, last = i + 2, left
        while (j < len(out) and not out[j].separate and out[j].cells is None and out[j].page == left.page
               and abs(out[j].x0 - left.x0) < 2 and out[j].x1 < right.x0
               and 0 <= out[j].top - last.bottom < max(last.size, 1.0)):
            last, j = out[j], j + 1
        if j > i + 2:
            out.insert(j - 1, out.pop(i + 1))
        i = j
    return out


def _cell_words(cells: list[str], cell_words: list[list[tuple]]) -> Optional[list[tuple]]:
    """The boxes of a table row's words as `Line.words`, placed in the row's text (the
    non-empty cells joined by ` | `): each cell's words found in it in reading order. A
    word cut at a line end is found without its hyphen; a word not found has no box."""
    out = []
    pos = 0
    for cell, words in zip(cells, cell_words):
        if not cell:
            continue
        cursor = 0
        for text, x0, top, x1, bottom in sorted(words, key=lambda w: (round(w[2]), w[1])):
            at = cell.find(text, cursor)
            if at < 0 and len(text) > 1 and text.endswith(LINE_END_HYPHENS):
                text = text[:-1]
                at = cell.find(text, cursor)
            if at >= 0:
                out.append((pos + at, pos + at + len(text), x0, top, x1, bottom))
                cursor = at + len(text)
        pos += len(cell) + 3
    return out or None


def _with_bullets(lines: list[Line], shapes, settings: LayoutSettings) -> list[Line]:
    """Bullets drawn as graphics (discs, squares) become `• ` before their line."""
    if not shapes:
        return lines
    out = []
    for line in lines:
        reach = settings.bullet_reach * max(line.size, 1.0)
        bullet = next((s for s in shapes if s[2] <= line.x0 + 0.5 and line.x0 - s[2] <= reach
                       and line.top - 1 <= (s[1] + s[3]) / 2 <= line.bottom + 1), None)
        if bullet is not None and not line.text.startswith(("•", "-", "–")):
            shift = 2
            words = [(a + shift, b + shift, *box) for a, b, *box in line.words] if line.words else None
            line = line.model_copy(update={"text": "• " + line.text, "x0": bullet[0], "words": words})
        out.append(line)
    return out
