"""Normalise pages of lines into one text with an offset map back to page and box.

What changes: no-break, narrow no-break and thin spaces become spaces; runs of
spaces (justified text) collapse; typographic apostrophes become `'`; bullet
glyphs (and the replacement character left by a missing bullet glyph) become
`• `; a word hyphenated across a line break is joined, while a real hyphen in a
compound name split at the line end is kept. Blocks are separated by one blank
line; pages too.
"""

from __future__ import annotations

from .. import rx as re

from ..folding import SPACE_TABLE
from ..models import Line, NormalisedText, Page, Span


BULLET_RE = re.compile(r"^\s*(?:[•·▪◦●■▸►\uf0b7\uf0a7\u2043\u2219]|\(cid:\d+\)|[-–—](?=[\s\ufffd]))[\s\ufffd]*")
CID_RE = re.compile(r"\(cid:\d+\)")  # a glyph the PDF font does not map to text
MULTISPACE_RE = re.compile(r" {2,}")
# particles that follow a hyphen inside French place and person names
NAME_PARTICLES = {
    "en", "sur", "sous", "le", "la", "les", "lès", "lez", "de", "des", "du", "d", "et",
    "aux", "au", "l", "près", "saint", "sainte", "st", "ste", "vieux", "vieil", "vieille",
}


GROUP_SEPARATOR = "\u202f"  # kept between digit groups: `134 800 68 000` is two numbers
# what may end a line cut inside a word: the hyphen, the Unicode hyphens, the soft hyphen
LINE_END_HYPHENS = ("-", "\u2010", "\u2011", "\u00ad")
SOFT_HYPHEN_INSIDE = re.compile(r"\u00ad(?=\S)")
_DIGIT_GROUP_RE = re.compile(r"(?<=\d)[\u00a0\u202f\u2009\u2007\u2008\u200a](?=\d{3}(?!\d))")


def clean_line(text: str) -> str:
    """Character-level normalisation of one line (no line joining). A thin or
    no-break space between digit groups stays a narrow no-break space, so that
    numbers stay apart from the plain spaces between table cells."""
    # a soft hyphen shows only where a word is cut: inside a line it is a hyphen that a
    # producer wrote so (Typst); the Unicode hyphens are hyphens
    text = SOFT_HYPHEN_INSIDE.sub("-", text).replace("\u2010", "-").replace("\u2011", "-")
    if text.endswith("\u00ad"):
        text = text[:-1] + "-"
    text = _DIGIT_GROUP_RE.sub("\0", text).translate(SPACE_TABLE).replace("\0", GROUP_SEPARATOR)
    m = BULLET_RE.match(text)
    if m and m.end() < len(text):
        text = "• " + text[m.end():]
    text = CID_RE.sub("", text.replace("\ufffd", ""))
    text = MULTISPACE_RE.sub(" ", text)
    return text.strip()


def joins_hyphen(left: str, right: str) -> str | None:
    """How to join a line ending in a hyphen (any of `LINE_END_HYPHENS`) with the next:
    '-' (keep), '' (drop) or None."""
    if not left.endswith(LINE_END_HYPHENS) or len(left) < 2 or not left[-2].isalpha() or not right:
        return None
    left = left[:-1] + "-"
    first = re.match(r"[\p{L}']+", right)
    if not first:
        return None
    word = first.group(0)
    prev_word = re.search(r"[\p{L}'-]+-$", left)
    prev = prev_word.group(0) if prev_word else ""
    if word[0].isupper() or "-" in right.split(" ")[0]:
        return "-"  # Jean-\nMarie, Figeac-Quercy-\nVallée, Montcuq-\nen-Quercy-Blanc
    if word.lower().split("'")[0] in NAME_PARTICLES and prev[:1].isupper():
        return "-"  # Biars-\nsur-Cère
    if prev.count("-") > 1:
        return "-"  # in the middle of a compound: Saint-Géry-\nvers
    return ""  # syllable hyphenation: dévelop-\npement


def _block_breaks_pdf(lines: list[Line]) -> list[bool]:
    """For each PDF line, whether a blank line should precede it (new block): a
    change of column (not a full-width paragraph going on), a vertical gap wider
    than the page's usual line spacing, or a change of font that is not a large
    leading figure."""
    # baseline to baseline: a large leading figure raises a line's top, not its baseline
    pitches = sorted(
        b.bottom - a.bottom for a, b in zip(lines, lines[1:]) if a.column == b.column and 0 < b.bottom - a.bottom < 40
    )
    usual = pitches[len(pitches) // 3] if pitches else 12.0
    breaks = []
    for i, line in enumerate(lines):
        if i == 0:
            breaks.append(False)
            continue
        prev = lines[i - 1]
        pitch = line.bottom - prev.bottom
        new_block = (
            (line.column != prev.column and not _flows_on(prev, line, pitch, usual))
            or line.cells is not None  # each table row is a block
            or line.separate or prev.separate  # side-by-side blocks (a letterhead and its dateline)
            or pitch > usual + 2.5
            or pitch < 0  # moved up: a new column or box
            or (prev.size and line.size and abs(prev.size - line.size) > 1.0 and not _figure_line(prev) and not _figure_line(line))
            or (prev.bold != line.bold and not _figure_line(prev) and not _figure_line(line))
        )
        breaks.append(new_block)
    return breaks


def _flows_on(prev: Line, line: Line, pitch: float, usual: float) -> bool:
    """A paragraph across the page's width whose next line is short enough to fit
    in the left column (or the other way round): the same left edge, one line
    spacing below. Not a change of column."""
    return {prev.column, line.column} == {-1, 1} and abs(prev.x0 - line.x0) < 2 and 0 < pitch <= usual + 2.5


def _figure_line(line: Line) -> bool:
    return bool(re.match(r"^[\d ]+[\d,]*", line.text.strip()))


def normalise(pages: list[Page]) -> NormalisedText:
    """One text for the whole document, blocks separated by blank lines, with spans."""
    out: list[str] = []
    spans: list[Span] = []
    all_lines: list[Line] = []
    pos = 0
    pending_blank = False

    def emit(piece: str, line: Line, index: int, *, newline_before: bool):
        nonlocal pos
        if newline_before and out:
            out.append("\n")
            pos += 1
        bbox = (line.x0, line.top, line.x1, line.bottom) if line.x1 > 0 else None
        out.append(piece)
        spans.extend(_word_spans(piece, line, index, pos) or [
            Span.model_construct(start=pos, end=pos + len(piece), page=line.page, line=index, bbox=bbox)])
        pos += len(piece)

    for page in pages:
        pdf_breaks = _block_breaks_pdf(page.lines) if any(l.x1 for l in page.lines) else None
        if out:
            pending_blank = True
        page_start = bool(out)  # a sentence may go on over a page break
        same_page = False  # a blank line inside a page may be a column artefact
        in_bullet = False  # the current block holds a bullet item
        join_next = None  # hyphen joining state: the separator to use
        for k, line in enumerate(page.lines):
            text = clean_line(line.text)
            if not text:
                if join_next is None:
                    pending_blank = bool(out)
                continue
            if pdf_breaks and pdf_breaks[k] and join_next is None:
                pending_blank = True
            index = len(all_lines)
            all_lines.append(line.model_copy(update={"text": text}))
            if join_next is not None:
                # continue the previous line: drop its trailing hyphen if asked
                if join_next == "":
                    out[-1] = out[-1][:-1]
                    pos -= 1
                    spans[-1] = spans[-1].model_copy(update={"end": spans[-1].end - 1})
                page_start = False
                emit(text, line, index, newline_before=False)
            else:
                previous_line = all_lines[-2] if len(all_lines) > 1 else None
                goes_on = (same_page and (_continues(out[-1], text, in_bullet)
                                          or _name_over_column_break(previous_line, line, out[-1], text))) or (
                    page_start and _continues_over_page(out[-1], text))
                if pending_blank and out and not goes_on:
                    out.append("\n")
                    pos += 1
                    in_bullet = False
                pending_blank = False
                in_bullet = in_bullet or text.startswith("•")
                same_page = True
                page_start = False
                emit(text, line, index, newline_before=bool(out))
            nxt = _next_text(page.lines, k)
            join_next = joins_hyphen(text, nxt) if nxt is not None else None
        join_next = None
    text = "".join(out)
    return NormalisedText(text=text, spans=spans, lines=all_lines, pages=len(pages))


CONTINUED_END = re.compile(r"(?:\b(?:de|du|des|la|le|les|à|au|aux|et|ou|en|par|pour|sur|dans|avec|un|une|d'|l')|,)\s*$", re.IGNORECASE)


def _continues_over_page(previous: str, text: str) -> bool:
    """A sentence cut by a page break (`… en déclinant trois` / `grandes missions :`):
    the page ended without a sentence end and the next page goes on in lower case or
    after a linking word."""
    previous = previous.rstrip()
    if not previous or previous.endswith((".", ":", ";", "!", "?", "»")) or text.startswith("•"):
        return False
    return bool(CONTINUED_END.search(previous)) or (text[:1].islower() and previous[-1:].isalpha())


def _word_spans(piece: str, line: Line, index: int, pos: int) -> list[Span]:
    """One span per word of a PDF line, each with the word's own box (a value's box is
    its words', not its line's); none when a word cannot be found again in the
    cleaned line."""
    if not line.words:
        return []
    out: list[Span] = []
    cursor = 0
    for start, end, x0, top, x1, bottom in line.words:
        word = clean_line(line.text[start:end])
        if not word:
            continue
        if not out and piece.startswith("• ") and BULLET_RE.match(word + " "):
            word = "•"  # the line's bullet glyph (a dash, a missing glyph) was written `• `
        at = piece.find(word, cursor)
        if at < 0:
            return []
        out.append(Span.model_construct(start=pos + at, end=pos + at + len(word), page=line.page, line=index,
                                        bbox=(x0, top, x1, bottom)))
        cursor = at + len(word)
    if out:  # the spaces between words belong to the word before; the line starts at its first character
        out[0] = out[0].model_copy(update={"start": pos})
        for k in range(len(out) - 1):
            out[k] = out[k].model_copy(update={"end": out[k + 1].start})
        out[-1] = out[-1].model_copy(update={"end": pos + len(piece)})
    return out


def _continues(previous: str, text: str, in_bullet: bool = False) -> bool:
    """A blank line inside a sentence (a column or box artefact of extracted text):
    the previous line ends on a function word or a comma, or the next starts in lower
    case, or a bullet item left open ends on the next short line (`… de Brest` /
    `Métropole ;`)."""
    previous = previous.rstrip()
    if not previous or previous.endswith((".", ":", ";", "!", "?")) or text.startswith("•"):
        return False
    if in_bullet and len(text) < 80 and text.rstrip().endswith((";", ",")):
        return True
    return bool(CONTINUED_END.search(previous)) or text[:1].islower()


def _name_over_column_break(previous: Line | None, line: Line, previous_text: str, text: str) -> bool:
    """PDF: a name cut by a column break (`… par la Fédération` | `Générale des PEP.`):
    the left column ends on a capitalised word without punctuation, the right one
    goes on in the same font with a capitalised word and ends its sentence."""
    if previous is None or not line.x1 or previous.column == line.column or previous.column < 0 or line.column < 0:
        return False
    if abs(previous.size - line.size) > 0.2 or previous.bold != line.bold:
        return False
    last = previous_text.rstrip().split(" ")[-1]
    first = text.split(" ")[0]
    return bool(last[:1].isupper() and first[:1].isupper() and not previous_text.rstrip().endswith((".", ":", ";", "!", "?"))
                and re.search(r"[.;,]\s*$", text) and len(text.split()) <= 6)


def _next_text(lines: list[Line], k: int) -> str | None:
    """The next non-empty line of the page (hyphen joining looks across blank lines
    only when the break is a column artefact: never across more than one)."""
    for j in range(k + 1, min(k + 3, len(lines))):
        t = clean_line(lines[j].text)
        if t:
            return t
    return None


def plain_text_document(text: str) -> NormalisedText:
    """Normalise an in-memory text as if it were a one-file text document (tests, callers)."""
    from .text import split_text_pages

    return normalise(split_text_pages(text))
