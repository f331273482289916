"""Tables without vertical rules in PDFs, read by word alignment.

pdfplumber's table finder needs ruled cells; the fiches also draw tables with only
horizontal rules, or none. Such a table is anchored on its header row: a row that
holds at least two known header cells (`patterns/sections.yaml`, `table_headers`:
`Porteur du projet`, `Nature du projet`, `Locaux raccordables`…). Its columns start
where the header cells start (plus a label column to their left when the rows below
have one); the lines below belong to the table while their words stay inside the
columns (a paragraph's words run across column starts), and they are grouped into
rows at the horizontal rules or, without rules, at the wider gaps between lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

from ..folding import fold
from ..models import RawTable
from .normalise import LINE_END_HYPHENS, joins_hyphen
from .settings import LayoutSettings

NARROW_SPACES = frozenset("\u00a0\u202f\u2009")
MAX_HEADER_LINES = 4  # a header cell wrapped in a narrow column may take four lines
HEADER_GAP = 0.7  # em: wider than the word spaces inside a header cell

@dataclass
class AlignedTable:
    bbox: tuple[float, float, float, float]
    rows: list[list[str]]  # header first
    words: list[dict]  # the words it took from the page
    cells: Optional[list[list[list[dict]]]] = None  # the words of each cell, rows as in `rows`

    def as_raw(self, page: int) -> RawTable:
        return RawTable(page=page, bbox=self.bbox, rows=self.rows,
                        cell_words=cell_word_boxes(self.cells) if self.cells else None)


def cell_word_boxes(rows: list[list[list[dict]]]) -> list[list[list[tuple]]]:
    """Each cell's words as (text, x0, top, x1, bottom), for `RawTable.cell_words`."""
    return [[[(w["text"], w["x0"], w["top"], w["x1"], w["bottom"]) for w in cell] for cell in row] for row in rows]


def find_aligned_tables(lines: list[list[dict]], rules: Sequence[float], gutter: Optional[float],
                        settings: LayoutSettings) -> list[AlignedTable]:
    """Tables in `lines` (rows of words, top to bottom, each sorted by x); `rules`
    are the y of horizontal rules on the page; `gutter` the x between two text
    columns, if any (a table inside one column keeps to it)."""
    if not settings.table_header_cues:
        return []
    out: list[AlignedTable] = []
    i = 0
    while i < len(lines):
        found = _header_block(lines, i, settings, gutter)
        if found is None:
            i += 1
            continue
        header, last = found
        table, used_lines = _read_table(lines, last, header, rules, gutter, settings)
        if table is not None:
            out.append(table)
            i = last + used_lines
        else:
            i += 1
    return out


def _header_block(lines: list[list[dict]], i: int, settings: LayoutSettings,
                  gutter: Optional[float]) -> Optional[tuple[list[list[dict]], int]]:
    """(header cells, index of its last line) when a header starts at line `i`.

    A header cell may wrap over up to three lines, aligned at the top, the bottom or
    the middle of its row (`Locaux` / `Locaux à raccordables à` / `Zone déployer en
    FttH date`): the lines from `i` that hold no figure are read together, in the
    text column of the cue, and their words clustered by column. It is a header when
    two clusters hold a cue; a short cluster just before the first is the corner
    (`Zone`)."""
    cues, first_words = settings.table_header_cues, settings.cue_first_words
    if not cues or not any(fold(w["text"]) in first_words for w in lines[i]):
        return None  # the common case, decided cheaply
    cue_words = [w for w in lines[i] if fold(w["text"]) in first_words]
    anchor = cue_words[0]
    if gutter is not None and ({w["x1"] <= gutter for w in cue_words} == {True, False}
                               or any(w["x0"] < gutter < w["x1"] for w in lines[i])):
        gutter = None  # header cells on both sides: a table across the page (its own gaps made the "gutter")
    floor, limit = _column_bounds(anchor, gutter)
    block: list[list[dict]] = []
    last = i
    for j in range(i, min(len(lines), i + 2 * MAX_HEADER_LINES)):
        words = [w for w in lines[j] if w["x0"] >= floor and w["x1"] <= limit]
        if not words and block:
            continue  # a line of the other text column only
        if len(block) == MAX_HEADER_LINES or block and not _header_goes_on(block[-1], words, anchor):
            break
        block.append(words)
        last = j
    words = sorted((w for line in block for w in line), key=lambda w: w["x0"])
    below = _cell_starts([[w for w in line if floor <= w["x0"] and w["x1"] <= limit]
                          for line in lines[last + 1:last + 6]], settings)
    # a new cell where the header's words leave a gap wider than a few word spaces
    # (small type: relative to the size), or where a cell of the rows below starts
    size = anchor.get("size") or 10.0
    wide = min(settings.cell_gap, HEADER_GAP * size)
    clusters: list[list[dict]] = []
    for w in words:
        gap = w["x0"] - max(x["x1"] for x in clusters[-1]) if clusters else 0.0
        aligned = gap > 0 and any(abs(w["x0"] - x) <= settings.cell_slack for x in below)
        if clusters and gap <= wide and not aligned:
            clusters[-1].append(w)
        else:
            clusters.append([w])
    texts = [fold(" ".join(w["text"] for w in sorted(c, key=lambda w: (round(w["top"]), w["x0"])))) for c in clusters]
    marked = [k for k, t in enumerate(texts) if any(c in t for c in cues)]
    if len(marked) < 2:
        return None
    first = marked[0]
    if first > 0 and len(clusters[first - 1]) <= 2:
        first -= 1
    cells = [sorted(c, key=lambda w: w["x0"]) for c in clusters[first:marked[-1] + 1]]
    return cells, last


def _cell_starts(lines: list[list[dict]], settings: LayoutSettings) -> list[float]:
    """Where cells start on rows of figures: a word after a gap wider than `cell_gap`."""
    return [w["x0"] for line in lines if any(any(c.isdigit() for c in w["text"]) for w in line)
            for k, w in enumerate(line) if k and w["x0"] - line[k - 1]["x1"] > settings.cell_gap]


def _header_goes_on(previous: list[dict], words: list[dict], anchor: dict) -> bool:
    """The next line is still the header's: in the header's font, without figures (a
    data row has them), set close under the previous line (a new row starts after the
    cells' padding)."""
    if not words or any(any(c.isdigit() for c in w["text"]) for w in words):
        return False
    if any(w.get("fontname") != anchor.get("fontname") for w in words):
        return False
    size = anchor.get("size") or 10.0
    return words[0]["top"] - previous[0]["top"] <= 1.5 * size


def _column_bounds(word: dict, gutter: Optional[float]) -> tuple[float, float]:
    """The x range of the text column holding `word` (the page without a gutter)."""
    if gutter is None:
        return float("-inf"), float("inf")
    return (float("-inf"), gutter) if word["x1"] <= gutter else (gutter, float("inf"))


def _read_table(lines, i, header, rules, gutter, settings: LayoutSettings) -> tuple[Optional[AlignedTable], int]:
    """The table whose header (cells) ends at line `i`: (table, lines used from `i`).
    Columns start at the first header cell and half-way between two header cells (a
    header centred over its column may be narrower than the figures below it)."""
    slack = settings.cell_slack
    starts = _column_starts(header, lines[i + 1:i + 8], settings)
    right = max(w["x1"] for cell in header for w in cell)
    # a table inside one text column keeps to it: the other column's words at the
    # same heights are not cells
    if gutter is not None and starts[0] < gutter < right:
        gutter = None  # a table across the page
    floor, limit = _column_bounds(header[-1][0], gutter)
    lines = [[w for w in line if w["x0"] >= floor and w["x1"] <= limit] for line in lines]
    # a label column left of the first header cell (`Zone AMII` under an empty corner):
    # the words left of it on the lines below that hold figures under the header
    size = max(w.get("size") or 0 for cell in header for w in cell)
    labels = [w for line in lines[i + 1:i + 8]
              if any(x["x0"] >= starts[0] - slack and any(c.isdigit() for c in x["text"]) for x in line)
              for w in line
              if w["x1"] <= starts[0] - slack and (w.get("size") or 0) <= size + 0.5]  # not a heading below the table
    if labels:
        starts = [min(w["x0"] for w in labels)] + starts
    left = starts[0]
    body: list[list[dict]] = []
    pitches: list[float] = []
    prev_top = max(w["top"] for cell in header for w in cell)
    j = i + 1
    while j < len(lines) and j - i <= settings.max_table_lines:
        if not lines[j]:
            j += 1  # nothing in this text column at that height (the other column's line)
            continue
        words = [w for w in lines[j] if w["x0"] >= left - slack]
        if not words or any(_crosses(w, starts, slack) for w in words):
            break  # running text: it runs across the table's columns
        gap = words[0]["top"] - prev_top
        if pitches and gap > 3.5 * min(pitches):
            break
        pitches.append(gap)
        body.append(words)
        prev_top = words[0]["top"]
        j += 1
    if not body:
        return None, 1  # a header alone (a table cut by a page break keeps its rows below)
    rows = _rows(body, starts, rules, slack)
    header_row = [[w for cell in header for w in cell if _column(starts, w, slack) == k] for k in range(len(starts))]
    cells = [header_row] + rows
    table_rows = [[join_words(cell) for cell in row] for row in cells]
    words = [w for cell in header for w in cell] + [w for line in body for w in line]
    bbox = (left, min(w["top"] for w in words), max(w["x1"] for w in words), max(w["bottom"] for w in words))
    return AlignedTable(bbox=bbox, rows=table_rows, words=words, cells=cells), j - i


def _column_starts(header: list[list[dict]], below: list[list[dict]], settings: LayoutSettings) -> list[float]:
    """Where the columns start: at their header cells when the cells below start with
    them (left-aligned), else (headers centred over figures that start left of them)
    in the widest gap the rows of figures below leave between two header cells' middles;
    a figure reaching left of its header cell moves the column's start to it. A cell
    below starts at a line's first word or after a gap wider than `cell_gap`."""
    slack = settings.cell_slack
    lefts = [min(w["x0"] for w in cell) for cell in header]
    rights = [max(w["x1"] for w in cell) for cell in header]
    cell_starts = [w["x0"] for line in below for k, w in enumerate(line)
                   if k == 0 or w["x0"] - line[k - 1]["x1"] > settings.cell_gap]
    centred = any(rights[k - 1] + slack < x < lefts[k] - slack
                  for k in range(1, len(header)) for x in cell_starts)
    figures = [w for line in below if any(any(c.isdigit() for c in w["text"]) for w in line)
               for w in line if any(c.isdigit() for c in w["text"])]
    starts = []
    for k in range(len(header)):
        start = lefts[k]
        if centred and k:
            lo, hi = (lefts[k - 1] + rights[k - 1]) / 2, (lefts[k] + rights[k]) / 2
            start = _widest_gap(figures, lo, hi, default=(rights[k - 1] + lefts[k]) / 2)
        floor = rights[k - 1] if k else float("-inf")
        wider = [w["x0"] for w in figures if floor < w["x0"] < start < w["x1"]]
        starts.append(min([start, *wider]))
    return starts


def _widest_gap(words: list[dict], lo: float, hi: float, default: float) -> float:
    """The middle of the widest x interval in `lo..hi` that no word covers."""
    best, best_width, x = default, 0.0, lo
    for w in sorted((w for w in words if w["x1"] > lo and w["x0"] < hi), key=lambda w: w["x0"]):
        if w["x0"] - x > best_width:
            best, best_width = (x + w["x0"]) / 2, w["x0"] - x
        x = max(x, w["x1"])
    if hi - x > best_width:
        best = (x + hi) / 2
    return best


def _crosses(word: dict, starts: list[float], slack: float) -> bool:
    """A word running across a column start: running text, not a cell."""
    return any(word["x0"] < s - slack < word["x1"] - slack for s in starts[1:])


def _column(starts: list[float], word: dict, slack: float) -> int:
    k = 0
    for n, s in enumerate(starts):
        if word["x0"] >= s - slack:
            k = n
    return k


def _rows(body: list[list[dict]], starts: list[float], rules: Sequence[float],
          slack: float) -> list[list[list[dict]]]:
    """Group the lines into rows: at a horizontal rule between two lines, or (no
    rules) where the gap to the previous line is clearly wider than the line pitch
    (every line, when they are evenly spaced) and the first column starts anew."""
    # rules between the first line and the last (not the rules under the header or the table)
    inner_rules = sorted(r for r in rules if body[0][0]["bottom"] - 1 <= r <= body[-1][0]["top"] + 1)
    gaps = [b[0]["top"] - a[0]["top"] for a, b in zip(body, body[1:])]
    pitch = min(gaps, default=0)
    uniform = bool(gaps) and max(gaps) <= 1.3 * pitch  # one line per row: every line opens one
    rows: list[list[list[dict]]] = []
    prev = None
    for line in body:
        new_row = prev is None
        if prev is not None:
            if inner_rules:
                new_row = any(prev[0]["bottom"] <= r <= line[0]["top"] + 1 for r in inner_rules)
            else:
                wider = uniform or line[0]["top"] - prev[0]["top"] > 1.3 * pitch
                new_row = wider and _column(starts, line[0], slack) == 0
        if new_row:
            rows.append([[] for _ in starts])
        for w in line:
            rows[-1][_column(starts, w, slack)].append(w)
        prev = line
    return rows


def join_words(words: list[dict]) -> str:
    """A cell's words in reading order (line by line), a hyphen at a line end kept in
    a compound name and dropped in a word cut in syllables."""
    out = ""
    last_top = None
    for w in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        text = w["text"]
        if not out:
            out = text
        elif last_top is not None and abs(w["top"] - last_top) > 1 and out.endswith(LINE_END_HYPHENS):
            join = joins_hyphen(out[:-1] + "-", text)
            out = out[:-1] + "-" + text if join == "-" else out[:-1] + text if join == "" else out + " " + text
        elif last_top is not None and abs(w["top"] - last_top) <= 1 and w.get("sep") in NARROW_SPACES:
            out += w["sep"] + text  # `157 700`: digit groups stay one number
        else:
            out += " " + text
        last_top = w["top"]
    return out
