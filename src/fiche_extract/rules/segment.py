"""Sections: the heading tree, from font cues (PDF), known headings (`patterns/sections.yaml`)
and layout cues (text)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from .. import rx as re

from ..models import Line, NormalisedText, Section
from ..folding import fold
from ..resources.patterns import load_patterns

MAX_HEADING_WORDS = 12
TERMINAL = (".", ";", ",", ":", "…")


@dataclass
class _TextLine:
    start: int
    end: int
    text: str
    line: Optional[Line]
    block_start: bool
    block_end: bool


@lru_cache(maxsize=1)
def known_headings() -> dict[str, int]:
    p = load_patterns()["sections"]
    out = {}
    for level in (1, 2, 3):
        for h in p.get(f"level{level}", []):
            out[fold(h)] = level
    return out


@lru_cache(maxsize=1)
def _cues() -> tuple[dict[str, int], tuple[str, ...], tuple[str, ...]]:
    """(heading prefixes with their level, link-label openers, table header cells), folded."""
    p = load_patterns()["sections"]
    prefixes = {fold(x): int(level) for level, names in (p.get("prefixes") or {}).items() for x in names}
    return prefixes, tuple(fold(x) for x in p.get("link_labels", []) or []), \
        tuple(fold(x) for x in p.get("table_headers", []) or [])


def _known_level(t: str) -> Optional[int]:
    """Level of a known heading, or of a heading opened by a known prefix
    (`Fiche territoriale …`, `Fabrique prospective "…"`)."""
    key = fold(t)
    if key in known_headings():
        return known_headings()[key]
    prefixes, _, _ = _cues()
    return next((level for p, level in prefixes.items() if key == p or key.startswith(p + " ")), None)


def _text_lines(nt: NormalisedText) -> list[_TextLine]:
    out = []
    pos = 0
    raw = nt.text.split("\n")
    for i, t in enumerate(raw):
        start, end = pos, pos + len(t)
        pos = end + 1
        if not t:
            continue
        span = nt.span_at(start)
        line = nt.lines[span.line] if span and span.line < len(nt.lines) else None
        out.append(
            _TextLine(
                start, end, t, line,
                block_start=i == 0 or raw[i - 1] == "",
                block_end=i + 1 >= len(raw) or raw[i + 1] == "",
            )
        )
    return out


def _looks_like_heading(t: str) -> bool:
    words = t.split()
    return (
        0 < len(words) <= MAX_HEADING_WORDS
        and t[0].isupper()
        and not t.rstrip().endswith(TERMINAL)
        and not t.startswith("•")
        and not re.match(r"^\d", t)
        and "://" not in t
        and not re.search(r"\.\w{2,4}$", t)
        and not _link_label(t)
    )


def _letter_spaced(t: str) -> bool:
    """`É L U L O C A L`: decorative letter spacing, not a heading."""
    words = t.split()
    return len(words) >= 4 and sum(len(w) == 1 for w in words) > len(words) / 2


FUNCTION_END = re.compile(r"\b(?:de|du|des|en|à|au|aux|et|la|le|les|par|pour|sur|avec|l'|d')\s*$", re.IGNORECASE)


def _continues(lines: list["_TextLine"], i: int) -> bool:
    """The previous line ends on a function word: this line is its continuation."""
    return i > 0 and bool(FUNCTION_END.search(lines[i - 1].text))


def _is_caps(t: str) -> bool:
    letters = [c for c in t if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def _caps_line(t: str) -> bool:
    """A line of a title in capitals, figures allowed (`96 POSTES FINANCÉS EN
    HAUTE-GARONNE`), not a table row (`TOTAL 134 800`): mostly letters."""
    letters = sum(c.isalpha() for c in t)
    return _is_caps(t) and letters >= 0.6 * len(t.replace(" ", "")) and not _letter_spaced(t)


def _caps_block(lines: list["_TextLine"], i: int) -> int:
    """Text input: the last index of a block of 1 to 3 lines in capitals, three words
    at least, starting at `i` (a communiqué's title written over lines), or -1."""
    if not lines[i].block_start:
        return -1
    for j in range(i, min(i + 3, len(lines))):
        if not _caps_line(lines[j].text):
            return -1
        if lines[j].block_end:
            words = re.findall(r"[\p{L}][\p{L}'\-]+", " ".join(l.text for l in lines[i:j + 1]))
            return j if len(words) >= 3 else -1
    return -1


def _open_quote(t: str) -> bool:
    return t.count('"') % 2 == 1 or t.count("«") > t.count("»")


def _wrapped(lines: list["_TextLine"], i: int, end_idx: int) -> bool:
    """The heading of lines `i..end_idx` goes on at the next line: a quote left open,
    a dash or a function word at its end, or (PDF) the same font right below."""
    text = " ".join(l.text for l in lines[i:end_idx + 1])
    last, nxt = lines[end_idx], lines[end_idx + 1]
    if not _continues_heading(nxt.text) or _known_level(nxt.text) is not None:
        return False
    if _open_quote(text) and not last.block_end:
        return True
    if re.search(r"[–—-]\s*$", text) or FUNCTION_END.search(text):
        return True
    return bool(last.line and nxt.line and last.line.size and abs(last.line.size - nxt.line.size) < 0.2
                and last.line.bold == nxt.line.bold and _just_below(last.line, nxt.line))


def _ends_table(tl: "_TextLine") -> bool:
    """Text input, inside a flattened table: a page title in capitals, a known theme
    or a heading prefix ends it; a programme name in a cell (`Petites villes de
    demain` over `(PVD)`) does not, unless it stands alone in its block."""
    level = _known_level(tl.text)
    if _is_caps(tl.text) and not re.search(r"\d", tl.text):
        return True
    if level is None:
        return False
    return level < 3 or fold(tl.text) not in known_headings() or (tl.block_start and tl.block_end)


def _just_below(above: Optional[Line], line: Optional[Line]) -> bool:
    """PDF: `line` sits right under `above` in the same column (a heading wrapped
    over lines whose leading is wider than the body's)."""
    same_column = above is not None and line is not None and (
        above.column == line.column or -1 in (above.column, line.column))
    return bool(
        same_column and above.page == line.page and 0 <= line.top - above.bottom < 0.8 * max(line.size, 1.0)
    )


def _colon_title(lines: list["_TextLine"], i: int, font_levels: dict[float, int]) -> bool:
    """PDF: a title in a heading font whose first line ends on a colon and goes on
    right below in the same font (`DOTATIONS DE SOUTIEN À L'INVESTISSEMENT LOCAL :` /
    `PROGRAMMATION 2021`)."""
    tl = lines[i]
    if i + 1 >= len(lines) or not tl.text.rstrip().endswith(":") or not (tl.line and tl.line.size):
        return False
    nxt = lines[i + 1]
    return bool(
        round(tl.line.size, 1) in font_levels and _looks_like_heading(tl.text.rstrip(" :"))
        and nxt.line and abs(nxt.line.size - tl.line.size) < 0.2 and nxt.line.bold == tl.line.bold
        and _just_below(tl.line, nxt.line) and _continues_heading(nxt.text)
    )


def _continues_heading(t: str) -> bool:
    """A heading's next line: short, no sentence end, figures allowed (`PROGRAMMATION` /
    `2022`, `Fiche territoriale –` / `Aveyron (12)`)."""
    return 0 < len(t.split()) <= 2 * MAX_HEADING_WORDS and not t.rstrip().endswith((".", ";", ",", "…")) \
        and not t.startswith("•") and not _link_label(t)


def _not_a_heading(lines: list["_TextLine"], i: int) -> bool:
    """A person's name over their role (`Caroline Cayeux` / `Présidente de l'Agence…`),
    or a letterhead (`PRÉFÈTE DE L'AIN`, `Liberté Égalité Fraternité`)."""
    from .people import starts_with_role

    if _letterhead(fold(lines[i].text)):
        return True
    return i + 1 < len(lines) and starts_with_role(lines[i + 1].text) and len(lines[i].text.split()) <= 4


def _letterhead(key: str) -> bool:
    return any(key == n or key.startswith(n + " ") for n in _not_headings())


@lru_cache(maxsize=1)
def _not_headings() -> tuple[str, ...]:
    return tuple(fold(x) for x in load_patterns()["sections"].get("not_headings", []) or [])


def _box_heading(tl: "_TextLine") -> bool:
    """Text input: a one-line text box (a line led by one space, then a blank line)
    that reads as a heading, not a link label (`Consulter …`, `En savoir plus …`)."""
    return bool(
        tl.line is not None and tl.line.leading_space and tl.block_end and not tl.text.endswith(TERMINAL)
        and not re.match(r"^\d", tl.text) and len(tl.text.split()) <= MAX_HEADING_WORDS
        and len(re.findall(r"\d+", tl.text)) < 2 and "%" not in tl.text  # not a table row
        and tl.text[:1].isupper() and not _link_label(tl.text)
    )


def _link_label(t: str) -> bool:
    key = fold(t)
    return any(key == l or key.startswith(l + " ") for l in _cues()[1])


def _font_levels(lines: list[_TextLine], body: float) -> dict[float, int]:
    sizes = sorted(
        {round(l.line.size, 1) for l in lines if l.line and l.line.size >= body * 1.15 and _looks_like_heading(l.text)},
        reverse=True,
    )
    return {s: min(i + 1, 3) for i, s in enumerate(sizes)}


def segment(nt: NormalisedText, *, skip: set[str] | None = None, caps_titles: bool = False) -> list[Section]:
    """Headings in document order with their path in the tree; `skip` holds folded
    lines that are never headings (kind markers such as `communiqué de presse`).
    With `caps_titles` (communiqués), a text block of up to three lines in capitals,
    figures and colons allowed, is a title."""
    skip = skip or set()
    known = known_headings()
    lines = _text_lines(nt)
    sized = [l.line.size for l in lines if l.line and l.line.size > 0]
    body = sorted(sized)[len(sized) // 2] if sized else 0.0
    font_levels = _font_levels(lines, body) if body else {}
    found: list[tuple[int, int, str, int]] = []  # start, end, heading, level
    _, _, table_headers = _cues()
    in_table = False  # text input: inside a flattened table, one-line cells are no headings
    i = 0
    while i < len(lines):
        tl = lines[i]
        key = fold(tl.text)
        if tl.line is not None and tl.line.cells is not None:
            i += 1  # a PDF table row
            continue
        text_input = not (tl.line and tl.line.size)
        if text_input and any(h in key for h in table_headers):
            in_table = True
        if in_table and not _ends_table(tl):
            i += 1
            continue
        in_table = False
        if key not in skip and text_input:
            last = _caps_block(lines, i) if caps_titles else -1
            if last >= 0 and _known_level(tl.text) is None:
                text = " ".join(lines[k].text for k in range(i, last + 1))
                found.append((tl.start, lines[last].end, text, 1))
                i = last + 1
                continue
            if _box_heading(tl) and _known_level(tl.text) is None:
                found.append((tl.start, tl.end, tl.text, 3))
                i += 1
                continue
        if _letterhead(key):
            i += 1  # `PRÉFET` / `DE L'EURE-ET-LOIR`: the whole block
            while i < len(lines) and _wrapped(lines, i - 1, i - 1):
                i += 1
            continue
        if key in skip and i + 1 < len(lines) and _known_level(tl.text) and _wrapped(lines, i, i):
            pass  # `Fiche territoriale` / `synthétique de l'Allier`: a title, not a kind marker
        elif key in skip or not (_looks_like_heading(tl.text) or _colon_title(lines, i, font_levels)) \
                or _not_a_heading(lines, i):
            i += 1
            continue
        # known headings, possibly written over several lines (or blocks, for capitals)
        match = None  # the longest known heading these lines spell
        joined, end_idx = tl.text, i
        for j in range(i, min(i + 4, len(lines))):
            if j > i:
                joined = f"{joined} {lines[j].text}"
            k = fold(joined)
            if k in known:
                match = (k, j)
            if not any(h.startswith(k + " ") for h in known):
                break
        if match:
            end_idx = match[1]
            text = " ".join(lines[k].text for k in range(i, end_idx + 1))
            found.append((tl.start, lines[end_idx].end, text, known[match[0]]))
            i = end_idx + 1
            continue
        prefixed = _known_level(tl.text)
        if prefixed is not None:
            end_idx = i  # `Fabrique prospective "Temporalités, … et villes` / `moyennes"`, `Fiche territoriale –` / `Aveyron`
            while end_idx + 1 < len(lines) and end_idx - i < 3 and _wrapped(lines, i, end_idx):
                end_idx += 1
            text = " ".join(lines[k].text for k in range(i, end_idx + 1))
            found.append((tl.start, lines[end_idx].end, text, prefixed))
            i = end_idx + 1
            continue
        level = None
        size = round(tl.line.size, 1) if tl.line and tl.line.size else 0
        if size and size in font_levels:
            level = font_levels[size]
        elif tl.line and tl.line.bold and size and body and size >= body * 0.95 and not tl.text.endswith(":"):
            level = 3
        elif not size and not re.search(r"\d", tl.text) and not _letter_spaced(tl.text) and not _continues(lines, i):
            # text input: capitals opening a page, or a one-line block
            if _is_caps(tl.text) and tl.block_start and tl.block_end:
                level = 1
            elif tl.block_start and tl.block_end and len(tl.text.split()) <= 8 and i + 1 < len(lines):
                level = 3
        if level is None:
            i += 1
            continue
        # continuation lines of the same heading: same font, or capitals in text
        end_idx = i
        while end_idx + 1 < len(lines):
            nxt = lines[end_idx + 1]
            same_font = (
                tl.line and nxt.line and tl.line.size and abs(nxt.line.size - tl.line.size) < 0.2
                and nxt.line.bold == tl.line.bold
                and (not lines[end_idx].block_end or _just_below(lines[end_idx].line, nxt.line))
            )
            caps_run = not size and _is_caps(tl.text) and _is_caps(nxt.text) and nxt.block_start and nxt.block_end
            if (same_font or caps_run) and _continues_heading(nxt.text) and fold(nxt.text) not in known:
                end_idx += 1
                if caps_run:
                    break
            else:
                break
        text = " ".join(lines[k].text for k in range(i, end_idx + 1))
        found.append((tl.start, lines[end_idx].end, text, level))
        i = end_idx + 1
    return _tree(nt, found)


def _tree(nt: NormalisedText, found: list[tuple[int, int, str, int]]) -> list[Section]:
    sections: list[Section] = []
    stack: list[tuple[int, str]] = []
    for k, (start, end, heading, level) in enumerate(found):
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, heading))
        ev = nt.evidence(start, end)
        body_end = found[k + 1][0] if k + 1 < len(found) else len(nt.text)
        body = " ".join(nt.text[end:body_end].split()) or None
        sections.append(Section(heading=" ".join(heading.split()), path=[" ".join(h.split()) for _, h in stack],
                                level=level, body=body, **ev.model_dump()))
    return sections


def section_at(sections: list[Section], offset: int) -> Optional[Section]:
    """The innermost section whose heading precedes `offset`."""
    current = None
    for s in sections:
        if s.start <= offset:
            current = s
        else:
            break
    return current
