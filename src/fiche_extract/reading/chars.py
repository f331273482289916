"""Characters into words, the same way for every engine.

Two glyphs are in one word unless a space character stands between them, or a gap
opens between them wider than the row's usual gap between glyphs (its letter spacing)
by `char_gap` × the font size: two strings drawn apart, or a space an engine does not
report. A space character the next glyph is drawn over separates nothing; a hyphen
ending the row stays with its word unless a word space sets it apart. Each word keeps
the space that stood before it: between two digits, a narrow space, or any space in a
gap narrower than a word space, becomes the narrow no-break space that groups digits
or sets a sign after a figure (`16 042 963` stays one number, and still ends before
`euros`; `21 %`)."""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable

from .normalise import LINE_END_HYPHENS
from .settings import LayoutSettings

# spaces that separate digit groups or words in French typography
SPACES = frozenset(" \u00a0\u202f\u2009\u2007\u2008\u200a\u2002\u2003\u2004\u2005\u2006\t")
NARROW = frozenset("\u00a0\u202f\u2009\u2007\u2008\u200a")
MIN_TRACKING_PAIRS = 3
HYPHEN_GAP = 0.2
UNIT_SIGNS = frozenset("%€")
# a ligature glyph as its letters (pdfminer keeps `ﬁ`, PDFium gives `f` `i`)
LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
                           "\ufb05": "st", "\ufb06": "st"})
NARROW_GAP = 0.25  # em: a space between digits narrower than this separates digit groups  # em: narrower than a word space


BOX_DESCENT = 0.2  # em below the baseline: every engine boxes a glyph the same way


def glyph_box(baseline: float, size: float) -> tuple[float, float]:
    """(top, bottom) of a glyph from its baseline and size, whatever the font's own
    metrics say (pdfminer and PDFium read a font's descent differently): boxes agree
    between engines and rows group by baseline."""
    bottom = baseline + BOX_DESCENT * size
    return bottom - size, bottom


def rows_of_chars(chars: Iterable[dict], tolerance: float) -> list[list[dict]]:
    """Upright characters grouped into rows (baselines closer than `tolerance`), each
    sorted by x."""
    rows: list[list[dict]] = []
    for c in sorted((c for c in chars if c.get("upright", True)), key=lambda c: (round(c["bottom"], 1), c["x0"])):
        if rows and abs(rows[-1][-1]["bottom"] - c["bottom"]) <= tolerance:
            rows[-1].append(c)
        else:
            rows.append([c])
    for row in rows:
        row.sort(key=lambda c: c["x0"])
    return rows


def words_from_chars(chars: Iterable[dict], settings: LayoutSettings) -> list[dict]:
    """Words with `text`, `x0`, `x1`, `top`, `bottom`, `size`, `fontname` and `sep`,
    the space character that stood before the word on its row (None for the first)."""
    words: list[dict] = []
    for row in rows_of_chars(chars, settings.row_tolerance):
        tracking = _usual_gap(row)
        current: list[dict] = []
        sep = None
        pending = None  # the space characters met since the last glyph
        space_box = None  # the last of them
        for c in row:
            if c["text"] in SPACES:
                pending = c["text"] if pending is None or c["text"] in NARROW else pending
                space_box = c
                continue
            if pending is not None and c["x0"] < (space_box["x0"] + space_box["x1"]) / 2:
                pending = None  # a space the next glyph is drawn over separates nothing
            if current:
                gap = c["x0"] - current[-1]["x1"]
                size = max(1.0, min(c["size"], current[-1]["size"]))
                limit = tracking + settings.char_gap * size
                if c is row[-1] and c["text"] in LINE_END_HYPHENS:
                    # justified text may set a cut word's hyphen apart, and an engine may
                    # see a space in that gap
                    limit = tracking + HYPHEN_GAP * size
                    if pending is not None and gap <= limit:
                        pending = None
                if pending is not None or gap > limit:
                    words.append(_word(current, sep))
                    sep = pending if pending is not None else " "
                    if current[-1]["text"].isdigit() and (c["text"].isdigit() or c["text"] in UNIT_SIGNS) and (
                            sep in NARROW or gap < NARROW_GAP * size):
                        sep = "\u202f"  # digit groups, `21 %`: however the PDF wrote the space
                    current = []
            elif pending is not None and words and words[-1]["bottom"] == row[0]["bottom"]:
                sep = pending
            current.append(c)
            pending = None
        if current:
            words.append(_word(current, sep))
    return words


def _usual_gap(row: list[dict]) -> float:
    """The median gap between two glyphs of the row that no space separates (0 for
    ordinary text, the letter spacing of a spaced title)."""
    gaps = sorted(b["x0"] - a["x1"] for a, b in zip(row, row[1:])
                  if a["text"] not in SPACES and b["text"] not in SPACES)
    if len(gaps) < MIN_TRACKING_PAIRS:
        return 0.0  # too few to tell letter spacing from two blocks on one row
    return max(0.0, gaps[len(gaps) // 2])


def _word(chars: list[dict], sep) -> dict:
    sizes: dict[float, int] = {}
    for c in chars:
        sizes[round(c["size"], 1)] = sizes.get(round(c["size"], 1), 0) + 1
    return {
        "text": "".join(c["text"] for c in chars).translate(LIGATURES),
        "x0": chars[0]["x0"], "x1": max(c["x1"] for c in chars),
        "top": min(c["top"] for c in chars), "bottom": max(c["bottom"] for c in chars),
        "size": max(sizes, key=lambda k: (sizes[k], k)),
        "fontname": chars[0].get("fontname", ""),
        "sep": sep,
    }


@lru_cache(maxsize=1024)
def is_bold(fontname: str) -> bool:
    name = fontname.lower()
    return any(k in name for k in ("bold", "black", "heavy", "semibold", "-bd"))
