"""Running headers and footers: lines in the top or bottom band of the pages that
repeat from page to page (the same text once page numbers and dates are set aside),
and the furniture a browser prints there (`6/15/21, 10:00 AM`, `file:///…`, `1/6`).
They are taken out of the text and kept as the pages' `margins`."""

from __future__ import annotations

from collections import Counter

from .. import rx as re
from ..folding import fold
from ..models import Line, Page
from .settings import LayoutSettings

# printed in a margin even once, these are furniture: page numbers, a browser's date and time, a file URL
MARGIN_FURNITURE = re.compile(
    r"^(?:(?i:page)\s*\d+(?:\s*(?:/|sur|of)\s*\d+)?|\d+\s*(?:/|sur)\s*\d+|\d{1,2}/\d{1,2}/\d{2,4},?\s+\d{1,2}:\d{2}(?:\s*[AP]M)?"
    r"|(?:file|https?)://\S+(?:\s+\d+\s*/\s*\d+)?)$"
)


def _key(text: str) -> str:
    """The text once page numbers, counts and dates are replaced by a mark."""
    return re.sub(r"\d+", "#", fold(text))


def _in_margin(line: Line, page: Page, band: float) -> bool:
    return bool(page.height) and (line.bottom <= band * page.height or line.top >= (1 - band) * page.height)


PAGE_NUMBER = re.compile(r"^(?:(?i:page)\s*)?\d+\s*(?:/|sur|of)\s*\d+$|^(?i:page)\s*\d+$")
BROWSER_STAMP = re.compile(r"^\d{1,2}/\d{1,2}/\d{2,4},?\s+\d{1,2}:\d{2}(?:\s*[AP]M)?\b")


BARE_NUMBER = re.compile(r"^\d{1,4}$")


def _folios(pages: list[Page], band: float, enough: int) -> set[int]:
    """The ids of bare page numbers (`2`, `3`…): margin lines holding only a number
    that follows the page's own number (at a constant offset) on `enough` pages."""
    found = [(line, int(line.text.strip()) - page.number) for page in pages for line in page.lines
             if line.cells is None and _in_margin(line, page, band) and BARE_NUMBER.match(line.text.strip())]
    offsets = Counter(offset for _, offset in found)
    if not offsets:
        return set()
    offset, count = offsets.most_common(1)[0]
    return {id(line) for line, o in found if o == offset} if count >= enough else set()


def strip_running_lines(pages: list[Page], settings: LayoutSettings) -> None:
    """Remove running headers and footers from `pages` (in place), keeping them in
    each page's `margins`: margin lines repeated from page to page, page numbers (bare
    numbers too, when they follow the pages' order) and a browser's stamps, every block of the row a browser stamps (its title, its URL),
    and, on a page numbered in its footer, the lines above the body in a smaller font
    (the running header of a one-page document)."""
    band = settings.margin_band
    counts: Counter = Counter()
    for page in pages:
        counts.update({_key(l.text) for l in page.lines if l.cells is None and _in_margin(l, page, band)})
    enough = max(2, int(settings.running_share * len(pages) + 0.999))
    repeated = {k for k, n in counts.items() if n >= enough and k.strip("# ")}
    folios = _folios(pages, band, enough)
    for page in pages:
        margin = [l for l in page.lines if l.cells is None and _in_margin(l, page, band)]
        stamped_rows = {round(l.top) for l in margin if BROWSER_STAMP.match(l.text.strip())}
        numbered = any(PAGE_NUMBER.match(l.text.strip()) or id(l) in folios
                       for l in margin if l.top >= (1 - band) * page.height)
        body = sorted(l.size for l in page.lines if l.size and not _in_margin(l, page, band))
        body_size = body[len(body) // 2] if body else 0.0
        kept, margins = [], []
        for line in page.lines:
            text = line.text.strip()
            running = line in margin and (
                _key(text) in repeated or MARGIN_FURNITURE.match(text) is not None or id(line) in folios
                or any(abs(line.top - r) <= 2 for r in stamped_rows)
                or (numbered and line.bottom <= band * page.height and body_size and line.size < body_size - 0.5))
            if running:
                margins.append(text)
            else:
                kept.append(line)
        page.lines = kept
        page.margins = margins
