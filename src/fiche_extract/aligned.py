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
from functools import lru_cache
from typing import Optional, Sequence

from .normalise import fold, joins_hyphen
from .patterns import load_patterns

CELL_GAP = 8.0  # points: header words further apart than this start a new cell
SLACK = 2.0  # points of tolerance on column edges
MAX_LINES = 60


@dataclass
class AlignedTable:
    bbox: tuple[float, float, float, float]
    rows: list[list[str]]  # header first
    words: list[dict]  # the words it took from the page


@lru_cache(maxsize=1)
def header_cues() -> tuple[str, ...]:
    return tuple(fold(c) for c in load_patterns()["sections"].get("table_headers", []) or [])


@lru_cache(maxsize=1)
def _cue_first_words() -> frozenset[str]:
    return frozenset(c.split(" ")[0] for c in header_cues())


def find_aligned_tables(lines: list[list[dict]], rules: Sequence[float] = (),
                        gutter: Optional[float] = None) -> list[AlignedTable]:
    """Tables in `lines` (rows of words, top to bottom, each sorted by x); `rules`
    are the y of horizontal rules on the page; `gutter` the x between two text
    columns, if any (a table inside one column keeps to it)."""
    cues = header_cues()
    out: list[AlignedTable] = []
    i = 0
    while i < len(lines):
        header = _header_cells(lines[i], lines[i + 1:i + 3], cues, gutter)
        if header is None:
            i += 1
            continue
        table, used_lines = _read_table(lines, i, header, rules, gutter)
        if table is not None:
            out.append(table)
            i += used_lines
        else:
            i += 1
    return out


def _header_cells(line: list[dict], after: list[list[dict]], cues: tuple[str, ...],
                  gutter: Optional[float]) -> Optional[list[list[dict]]]:
    """The header's cells (clusters of words of `line`) when two cells or more hold a
    cue, a cell's text going on in the `after` lines under it (`Locaux à` /
    `déployer en FttH`); a short cell just before the first cue cell is the corner
    (`Zone`)."""
    if not cues or not any(fold(w["text"]) in _cue_first_words() for w in line):
        return None  # the common case, decided cheaply
    cells: list[list[dict]] = []
    for w in line:
        if cells and w["x0"] - cells[-1][-1]["x1"] <= CELL_GAP:
            cells[-1].append(w)
        else:
            cells.append([w])
    starts = [c[0]["x0"] for c in cells] + [float("inf")]
    texts = []
    for k, cell in enumerate(cells):
        under = [w for ln in after for w in ln if starts[k] - SLACK <= w["x0"] < starts[k + 1] - SLACK]
        words = cell + sorted(under, key=lambda w: (w["top"], w["x0"]))
        texts.append(fold(" ".join(w["text"] for w in words)))
    marked = [k for k, t in enumerate(texts) if any(c in t for c in cues)]
    if len(marked) < 2:
        return None
    first = marked[0]
    if first > 0:
        corner, cue_cell = cells[first - 1], cells[first]
        same_side = gutter is None or (corner[-1]["x1"] <= gutter) == (cue_cell[0]["x1"] <= gutter)
        if same_side and len(corner) <= 2:
            first -= 1
    return cells[first:marked[-1] + 1]


def _read_table(lines, i, header, rules, gutter) -> tuple[Optional[AlignedTable], int]:
    starts = [cell[0]["x0"] for cell in header]
    right = max(w["x1"] for cell in header for w in cell)
    limit = gutter if gutter is not None and right <= gutter else float("inf")
    # a label column left of the first header cell (`Zone AMII` under an empty corner)
    below = [w for line in lines[i + 1:i + 6] for w in line if w["x1"] <= starts[0] - SLACK]
    nearby = [w for w in below if starts[0] - w["x0"] < 0.5 * (right - starts[0])]
    if nearby:
        starts = [min(w["x0"] for w in nearby)] + starts
    left = starts[0]
    body: list[list[dict]] = []
    pitches: list[float] = []
    prev_top = max(w["top"] for cell in header for w in cell)
    header_bottom = max(w["bottom"] for cell in header for w in cell)
    j = i + 1
    while j < len(lines) and j - i <= MAX_LINES:
        words = [w for w in lines[j] if w["x0"] >= left - SLACK and w["x1"] <= limit]
        if not words or any(_crosses(w, starts) for w in words):
            break
        gap = words[0]["top"] - prev_top
        if pitches and gap > 3.5 * min(pitches):
            break
        if words[0]["x0"] < left - SLACK:
            break
        pitches.append(gap)
        body.append(words)
        prev_top = words[0]["top"]
        j += 1
    # the header may wrap over lines: lines right under it that only continue header cells
    header_lines = 1
    while body and _continues_header(body[0], header, starts) and header_lines < 3:
        for w in body.pop(0):
            _cell_of(header, starts, w).append(w)
        header_lines += 1
    if len(body) < 2:
        return None, 1
    rows = _rows(body, starts, rules, header_bottom)
    header_row = [join_words([w for cell in header for w in cell if _column(starts, w) == k]) for k in range(len(starts))]
    table_rows = [header_row] + [[join_words(cell) for cell in row] for row in rows]
    words = [w for cell in header for w in cell] + [w for line in body for w in line]
    bbox = (left, min(w["top"] for w in words), max(w["x1"] for w in words), max(w["bottom"] for w in words))
    return AlignedTable(bbox=bbox, rows=table_rows, words=words), j - i


def _crosses(word: dict, starts: list[float]) -> bool:
    """A word running across a column start: running text, not a cell."""
    return any(word["x0"] < s - SLACK < word["x1"] - SLACK for s in starts[1:])


def _column(starts: list[float], word: dict) -> int:
    k = 0
    for n, s in enumerate(starts):
        if word["x0"] >= s - SLACK:
            k = n
    return k


def _cell_of(header, starts, word) -> list[dict]:
    k = _column(starts, word)
    offset = len(starts) - len(header)
    return header[max(0, k - offset)]


def _continues_header(line: list[dict], header, starts) -> bool:
    """A line under the header whose words continue header cells: in the header's
    bold font, or in its font when the first column is left empty."""
    size = header[0][0].get("size")
    font = header[0][0].get("fontname") or ""
    same_font = all(w.get("size") == size and w.get("fontname") == font for w in line)
    bold = any(k in font.lower() for k in ("bold", "black", "heavy", "semibold"))
    return same_font and (bold or (_column(starts, line[0]) > 0 and len(starts) == len(header)))


def _rows(body: list[list[dict]], starts: list[float], rules: Sequence[float], top: float) -> list[list[list[dict]]]:
    """Group the lines into rows: at a horizontal rule between two lines, or (no
    rules) where the gap to the previous line is clearly wider than the line pitch
    (every line, when they are evenly spaced) and the first column starts anew."""
    inner_rules = sorted(r for r in rules if top - 1 <= r <= body[-1][0]["bottom"] + 1)
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
                new_row = wider and _column(starts, line[0]) == 0
        if new_row:
            rows.append([[] for _ in starts])
        for w in line:
            rows[-1][_column(starts, w)].append(w)
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
        elif last_top is not None and abs(w["top"] - last_top) > 1 and out.endswith("-"):
            join = joins_hyphen(out, text)
            out = out + text if join == "-" else out[:-1] + text if join == "" else out + " " + text
        else:
            out += " " + text
        last_top = w["top"]
    return out
