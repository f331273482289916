"""Sections: the heading tree, from font cues (PDF), known headings (`patterns/sections.yaml`)
and layout cues (text).

Each line is offered to heading detectors in turn (known headings, capitals titles,
text boxes, font levels…); the first that claims it gives a candidate, and one resolver
(`_tree`) builds the tree of paths from the candidates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from .. import rx as re
from ..folding import fold
from ..models import Line, NormalisedText, Section
from ..stages import stage

MAX_HEADING_WORDS = 12
TERMINAL = (".", ";", ",", ":", "…")
KIND_MARKERS = frozenset({"communique de presse", "communique", "fiche territoriale"})


@dataclass
class _TextLine:
    start: int
    end: int
    text: str
    line: Optional[Line]
    block_start: bool
    block_end: bool


@dataclass(frozen=True)
class _Vocabulary:
    known: dict[str, int]  # folded heading -> level
    prefixes: dict[str, int]  # folded heading prefix -> level
    link_labels: tuple[str, ...]
    table_headers: tuple[str, ...]
    not_headings: tuple[str, ...]
    starts_with_role: object  # people's test: a line that opens with a role word


def _vocabulary(resources) -> _Vocabulary:
    from .people import role_opener

    p = resources.patterns["sections"]
    known = {fold(h): level for level in (1, 2, 3) for h in p.get(f"level{level}", [])}
    prefixes = {fold(x): int(level) for level, names in (p.get("prefixes") or {}).items() for x in names}
    return _Vocabulary(
        known=known, prefixes=prefixes,
        link_labels=tuple(fold(x) for x in p.get("link_labels", []) or []),
        table_headers=tuple(fold(x) for x in p.get("table_headers", []) or []),
        not_headings=tuple(fold(x) for x in p.get("not_headings", []) or []),
        starts_with_role=role_opener(resources),
    )


def _known_level(t: str, v: _Vocabulary) -> Optional[int]:
    """Level of a known heading, or of a heading opened by a known prefix
    (`Fiche territoriale …`, `Fabrique prospective "…"`)."""
    key = fold(t)
    if key in v.known:
        return v.known[key]
    return next((level for p, level in v.prefixes.items() if key == p or key.startswith(p + " ")), None)


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


def _looks_like_heading(t: str, v: _Vocabulary) -> bool:
    words = t.split()
    return (
        0 < len(words) <= MAX_HEADING_WORDS
        and t[0].isupper()
        and not t.rstrip().endswith(TERMINAL)
        and not t.startswith("•")
        and not re.match(r"^\d", t)
        and "://" not in t
        and not re.search(r"\.\w{2,4}$", t)
        and not _link_label(t, v)
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


def _wrapped(lines: list["_TextLine"], i: int, end_idx: int, v: _Vocabulary) -> bool:
    """The heading of lines `i..end_idx` goes on at the next line: a quote left open,
    a dash or a function word at its end, or (PDF) the same font right below."""
    text = " ".join(l.text for l in lines[i:end_idx + 1])
    last, nxt = lines[end_idx], lines[end_idx + 1]
    if not _continues_heading(nxt.text, v) or _known_level(nxt.text, v) is not None:
        return False
    if _open_quote(text) and not last.block_end:
        return True
    if re.search(r"[–—-]\s*$", text) or FUNCTION_END.search(text):
        return True
    return bool(last.line and nxt.line and last.line.size and abs(last.line.size - nxt.line.size) < 0.2
                and last.line.bold == nxt.line.bold and _just_below(last.line, nxt.line))


def _ends_table(tl: "_TextLine", v: _Vocabulary) -> bool:
    """Text input, inside a flattened table: a page title in capitals, a known theme
    or a heading prefix ends it; a programme name in a cell (`Petites villes de
    demain` over `(PVD)`) does not, unless it stands alone in its block."""
    level = _known_level(tl.text, v)
    if _is_caps(tl.text) and not re.search(r"\d", tl.text):
        return True
    if level is None:
        return False
    return level < 3 or fold(tl.text) not in v.known or (tl.block_start and tl.block_end)


def _just_below(above: Optional[Line], line: Optional[Line]) -> bool:
    """PDF: `line` sits right under `above` in the same column (a heading wrapped
    over lines whose leading is wider than the body's)."""
    same_column = above is not None and line is not None and (
        above.column == line.column or -1 in (above.column, line.column))
    return bool(
        same_column and above.page == line.page and 0 <= line.top - above.bottom < 0.8 * max(line.size, 1.0)
    )


def _ends_column(lines: list["_TextLine"], i: int) -> bool:
    """PDF: the line closes its column (what follows starts higher, or on another
    page). Typesetters keep a heading with its text: a bold line there is a label."""
    here = lines[i].line
    nxt = lines[i + 1].line if i + 1 < len(lines) else None
    return bool(here is not None and nxt is not None and nxt.page == here.page and nxt.top < here.top)


def _under_bold_label(lines: list["_TextLine"], i: int) -> bool:
    """PDF: the line right above is bold too but was no heading (a letter-spaced label
    of a diagram): a stack of labels, not a heading over its text."""
    above = lines[i - 1].line if i > 0 else None
    return bool(above is not None and above.bold and _letter_spaced(lines[i - 1].text)
                and _just_below(above, lines[i].line))


def _colon_title(lines: list["_TextLine"], i: int, font_levels: dict[float, int], v: _Vocabulary) -> bool:
    """PDF: a title in a heading font whose first line ends on a colon and goes on
    right below in the same font (`DOTATIONS DE SOUTIEN À L'INVESTISSEMENT LOCAL :` /
    `PROGRAMMATION 2021`)."""
    tl = lines[i]
    if i + 1 >= len(lines) or not tl.text.rstrip().endswith(":") or not (tl.line and tl.line.size):
        return False
    nxt = lines[i + 1]
    return bool(
        round(tl.line.size, 1) in font_levels and _looks_like_heading(tl.text.rstrip(" :"), v)
        and nxt.line and abs(nxt.line.size - tl.line.size) < 0.2 and nxt.line.bold == tl.line.bold
        and _just_below(tl.line, nxt.line) and _continues_heading(nxt.text, v)
    )


def _continues_heading(t: str, v: _Vocabulary) -> bool:
    """A heading's next line: short, no sentence end, figures allowed (`PROGRAMMATION` /
    `2022`, `Fiche territoriale –` / `Aveyron (12)`)."""
    return 0 < len(t.split()) <= 2 * MAX_HEADING_WORDS and not t.rstrip().endswith((".", ";", ",", "…")) \
        and not t.startswith("•") and not _link_label(t, v)


def _not_a_heading(lines: list["_TextLine"], i: int, v: _Vocabulary) -> bool:
    """A person's name over their role (`Caroline Cayeux` / `Présidente de l'Agence…`),
    or a letterhead (`PRÉFÈTE DE L'AIN`, `Liberté Égalité Fraternité`)."""
    if _letterhead(fold(lines[i].text), v):
        return True
    return i + 1 < len(lines) and v.starts_with_role(lines[i + 1].text) and len(lines[i].text.split()) <= 4


def _letterhead(key: str, v: _Vocabulary) -> bool:
    return any(key == n or key.startswith(n + " ") for n in v.not_headings)


def _box_heading(tl: "_TextLine", v: _Vocabulary) -> bool:
    """Text input: a one-line text box (a line led by one space, then a blank line)
    that reads as a heading, not a link label (`Consulter …`, `En savoir plus …`)."""
    return bool(
        tl.line is not None and tl.line.leading_space and tl.block_end and not tl.text.endswith(TERMINAL)
        and not re.match(r"^\d", tl.text) and len(tl.text.split()) <= MAX_HEADING_WORDS
        and len(re.findall(r"\d+", tl.text)) < 2 and "%" not in tl.text  # not a table row
        and tl.text[:1].isupper() and not _link_label(tl.text, v)
    )


def _link_label(t: str, v: _Vocabulary) -> bool:
    key = fold(t)
    return any(key == l or key.startswith(l + " ") for l in v.link_labels)


def _label_sizes(lines: list[_TextLine]) -> frozenset[float]:
    """Font sizes whose lines are mostly spaced-letter labels (`P R É F E T`): the
    style of a diagram's labels, never a heading's."""
    by_size: dict[float, list[str]] = {}
    for l in lines:
        if l.line and l.line.size:
            by_size.setdefault(round(l.line.size, 1), []).append(l.text)
    return frozenset(s for s, texts in by_size.items() if 2 * sum(map(_letter_spaced, texts)) > len(texts))


def _font_levels(lines: list[_TextLine], body: float, v: _Vocabulary, labels: frozenset[float]) -> dict[float, int]:
    """Heading levels by font size, largest first (label sizes have none)."""
    sizes = sorted(
        {round(l.line.size, 1) for l in lines if l.line and l.line.size >= body * 1.15
         and round(l.line.size, 1) not in labels and _looks_like_heading(l.text, v)},
        reverse=True,
    )
    return {s: min(i + 1, 3) for i, s in enumerate(sizes)}


@dataclass
class _Scan:
    """What every heading detector sees: the lines, the vocabulary, the font levels."""

    lines: list[_TextLine]
    v: _Vocabulary
    font_levels: dict[float, int]
    body: float
    caps_titles: bool
    skip: frozenset[str]
    page: bool = False  # a web page or a press text: a title line, short sub-headings
    furniture: object = None  # `(start, end) -> bool`: a line of page furniture
    in_table: bool = False  # text input: inside a flattened table, one-line cells are no headings
    title_seen: bool = False
    label_sizes: frozenset = frozenset()  # sizes of spaced-letter labels
    gazetteer: object = None  # web pages: a line that only names places is no sub-heading

    def is_furniture(self, tl: _TextLine) -> bool:
        return bool(self.furniture and self.furniture(tl.start, tl.end))

    def joined(self, i: int, last: int) -> str:
        return " ".join(self.lines[k].text for k in range(i, last + 1))


@dataclass(frozen=True)
class _Candidate:
    """A heading over lines `first..last` at `level`."""

    first: int
    last: int
    level: int


def _capitals_title(scan: _Scan, i: int) -> Optional[_Candidate]:
    """Text input, communiqués: a block of up to three lines in capitals is a title."""
    tl = scan.lines[i]
    if not scan.caps_titles or _known_level(tl.text, scan.v) is not None:
        return None
    last = _caps_block(scan.lines, i)
    return _Candidate(i, last, 1) if last >= 0 else None


def _text_box(scan: _Scan, i: int) -> Optional[_Candidate]:
    """Text input: a one-line text box that reads as a heading."""
    tl = scan.lines[i]
    return _Candidate(i, i, 3) if _box_heading(tl, scan.v) and _known_level(tl.text, scan.v) is None else None


def _known_heading(scan: _Scan, i: int) -> Optional[_Candidate]:
    """A heading of `patterns/sections.yaml`, possibly written over several lines: the
    longest one these lines spell."""
    known, lines = scan.v.known, scan.lines
    match, joined = None, lines[i].text
    for j in range(i, min(i + 4, len(lines))):
        if j > i:
            joined = f"{joined} {lines[j].text}"
        k = fold(joined)
        if k in known:
            match = _Candidate(i, j, known[k])
        if not any(h.startswith(k + " ") for h in known):
            break
    return match


def _prefixed_heading(scan: _Scan, i: int) -> Optional[_Candidate]:
    """A heading opened by a known prefix, with its wrapped lines (`Fabrique
    prospective "Temporalités, … et villes` / `moyennes"`, `Fiche territoriale –` / `Aveyron`)."""
    level = _known_level(scan.lines[i].text, scan.v)
    if level is None:
        return None
    last = i
    while last + 1 < len(scan.lines) and last - i < 3 and _wrapped(scan.lines, i, last, scan.v):
        last += 1
    return _Candidate(i, last, level)


def _layout_heading(scan: _Scan, i: int) -> Optional[_Candidate]:
    """A heading by its look: a heading font size, a bold line of body size (PDF), or
    (text) capitals opening a page, a one-line block; with its continuation lines."""
    lines, tl = scan.lines, scan.lines[i]
    level = None
    size = round(tl.line.size, 1) if tl.line and tl.line.size else 0
    if size and size in scan.font_levels:
        level = scan.font_levels[size]
    elif (tl.line and tl.line.bold and size and scan.body and size >= scan.body * 0.95 and not tl.text.endswith(":")
          and size not in scan.label_sizes and not _under_bold_label(lines, i) and not _ends_column(lines, i)):
        level = 3
    elif not size and not re.search(r"\d", tl.text) and not _letter_spaced(tl.text) and not _continues(lines, i):
        if _is_caps(tl.text) and tl.block_start and tl.block_end:
            level = 1
        elif tl.block_start and tl.block_end and len(tl.text.split()) <= 8 and i + 1 < len(lines):
            level = 3
    if level is None:
        return None
    last = i  # continuation lines of the same heading: same font, or capitals in text
    while last + 1 < len(lines):
        nxt = lines[last + 1]
        same_font = (
            tl.line and nxt.line and tl.line.size and abs(nxt.line.size - tl.line.size) < 0.2
            and nxt.line.bold == tl.line.bold
            and (not lines[last].block_end or _just_below(lines[last].line, nxt.line))
        )
        caps_run = not size and _is_caps(tl.text) and _is_caps(nxt.text) and nxt.block_start and nxt.block_end
        if (same_font or caps_run) and _continues_heading(nxt.text, scan.v) and fold(nxt.text) not in scan.v.known:
            last += 1
            if caps_run:
                break
        else:
            break
    return _Candidate(i, last, level)


MAX_TITLE_WORDS = 30
DATELINE_LIKE = re.compile(r"^(?:À |A )?\p{Lu}[\p{L}'’\- ]{1,60},? le (?:\p{L}+ )?\d")
MAX_SUBHEADING_WORDS = 14
# a sub-heading may open on a number, a quote or a pictogram (`👉 Comment …`)
SUBHEADING_RE = re.compile(r"^(?:\d{1,2}[).]\s+)?(?:[«\"“]\s?|[\p{So}\p{Sk}\uFE0F\u200D]+\s?)?\p{Lu}")
# a title may open on its figure (`4 millions d'euros pour …`, `25 « villages d'avenir » …`)
TITLE_RE = re.compile(r"^(?:(?:\d{1,2}[).]\s+)?(?:[«\"“]\s?)?\p{Lu}|\d[\d\u202f\u00a0 ,.]*\s?(?:\p{L}|[«\"“]))")


def _page_title(scan: _Scan, i: int) -> Optional[_Candidate]:
    """A web page or press text: its first line of content is its title when it reads
    as one (no sentence end: a question, an exclamation, a cut `…` are titles)."""
    tl = scan.lines[i]
    if not scan.page or scan.title_seen or scan.is_furniture(tl):
        return None
    t = tl.text.strip()
    key = fold(t)
    if key in scan.skip or _letterhead(key, scan.v) or DATELINE_LIKE.search(t):
        return None  # the kind marker, the letterhead, the dateline come before the title
    scan.title_seen = True
    if scan.caps_titles and _caps_line(t):
        return None  # a communiqué's title in capitals: `_capitals_title` reads it whole
    words = t.split()
    if not (2 <= len(words) <= MAX_TITLE_WORDS) or t.endswith((".", ",", ";", ":")) or t.startswith("•"):
        return None
    if not TITLE_RE.match(t) or "://" in t:
        return None
    return _Candidate(i, i, 1)


def _page_subheading(scan: _Scan, i: int) -> Optional[_Candidate]:
    """A web page: a short line standing alone between paragraphs (`Qui peut en
    bénéficier ?`, `1) Objectifs des CRTE`, `« Une instance au cœur … »`)."""
    tl = scan.lines[i]
    if not scan.page or scan.is_furniture(tl) or not (tl.block_start and tl.block_end or _between_paragraphs(scan, i)):
        return None
    t = tl.text.strip()
    words = t.split()
    if not (1 <= len(words) <= MAX_SUBHEADING_WORDS) or t.endswith((".", ",", ";", ":")) or t.startswith("•"):
        return None
    if not SUBHEADING_RE.match(t) or _link_label(t, scan.v) or re.search(r"\d{3}|%|€", t) and not re.match(r"^\d{1,2}[).]", t):
        return None
    nxt = scan.lines[i + 1] if i + 1 < len(scan.lines) else None
    if nxt is None or scan.is_furniture(nxt):
        return None
    return _Candidate(i, i, 2)


def _only_places(line: str, gazetteer) -> bool:
    """`Haute-Garonne`, `Ouhans, Renédale et Aubonne`: a page's category label or the
    items of a list of communes, not a sub-heading."""
    if gazetteer is None:
        return False
    names = [n for n in re.split(r"\s*(?:[,;:/]|\bet\b)\s*", line.strip(" •-–")) if n]
    return bool(names) and all(gazetteer.resolve(n).status != "unknown" for n in names)


PARAGRAPH_LINE = 120  # characters: a text written one paragraph per line has lines this long


def _between_paragraphs(scan: _Scan, i: int) -> bool:
    """Text written one paragraph per line, without blank lines: the line stands
    between a paragraph that ended and a paragraph that follows."""
    lines = scan.lines
    if i == 0 or i + 1 >= len(lines) or not _text_input(lines[i]):
        return False
    before, after = lines[i - 1].text.rstrip(), lines[i + 1].text
    return (len(before) >= PARAGRAPH_LINE and before.endswith((".", "!", "?", "»", ")", ":"))
            and len(after) >= PARAGRAPH_LINE)


# tried on text input before the filters below (titles and boxes are not filtered)
TEXT_DETECTORS = (_page_title, _capitals_title, _text_box, _page_subheading)
# tried in order on lines the filters let through; the first candidate wins
DETECTORS = (_known_heading, _prefixed_heading, _layout_heading)


def _lines_to_skip(scan: _Scan, i: int, *, before_text_detectors: bool) -> int:
    """How many lines from `i` can hold no heading (0: let the detectors look)."""
    lines, tl = scan.lines, scan.lines[i]
    key = fold(tl.text)
    if before_text_detectors:
        if tl.line is not None and tl.line.cells is not None:
            return 1  # a PDF table row
        if tl.line is not None and (tl.line.separate or _letter_spaced(tl.text)):
            return 1  # PDF: a block beside another on its row (a letterhead, a box of a diagram), spaced letters
        if _text_input(tl) and any(h in key for h in scan.v.table_headers):
            scan.in_table = True
        if scan.in_table and not _ends_table(tl, scan.v):
            return 1
        scan.in_table = False
        return 0
    if _letterhead(key, scan.v):  # `PRÉFET` / `DE L'EURE-ET-LOIR`: the whole block
        k = i + 1
        while k < len(lines) and _wrapped(lines, k - 1, k - 1, scan.v):
            k += 1
        return k - i
    if key in scan.skip and i + 1 < len(lines) and _known_level(tl.text, scan.v) and _wrapped(lines, i, i, scan.v):
        return 0  # `Fiche territoriale` / `synthétique de l'Allier`: a title, not a kind marker
    if key in scan.skip or not (_looks_like_heading(tl.text, scan.v) or _colon_title(lines, i, scan.font_levels, scan.v)) \
            or _not_a_heading(lines, i, scan.v):
        return 1
    return 0


def _text_input(tl: _TextLine) -> bool:
    return not (tl.line and tl.line.size)


def segment(nt: NormalisedText, resources=None, *, skip: frozenset[str] = KIND_MARKERS,
            caps_titles: bool = False, page: bool = False, furniture=None) -> list[Section]:
    """Headings in document order with their path in the tree; `skip` holds folded
    lines that are never headings (kind markers such as `communiqué de presse`).
    With `caps_titles` (communiqués), a text block of up to three lines in capitals,
    figures and colons allowed, is a title. With `page` (web pages, press texts), the
    first line of content is the title and short lines alone are sub-headings;
    `furniture(start, end)` says which lines are page furniture."""
    from ..resources import default_resources

    v = (resources or default_resources()).compiled(_vocabulary)
    lines = _text_lines(nt)
    sized = [l.line.size for l in lines if l.line and l.line.size > 0]
    body = sorted(sized)[len(sized) // 2] if sized else 0.0
    labels = _label_sizes(lines)
    scan = _Scan(lines, v, _font_levels(lines, body, v, labels) if body else {}, body, caps_titles, frozenset(skip),
                 page=page, furniture=furniture, label_sizes=labels,
                 gazetteer=(resources or default_resources()).gazetteer if page else None)
    found: list[_Candidate] = []
    i = 0
    while i < len(lines):
        step = _lines_to_skip(scan, i, before_text_detectors=True)
        hit = None
        if not step and scan.is_furniture(lines[i]):
            step = 1
        if not step and fold(lines[i].text) not in scan.skip and _text_input(lines[i]):
            hit = next(filter(None, (d(scan, i) for d in TEXT_DETECTORS)), None)
        if not step and hit is None:
            step = _lines_to_skip(scan, i, before_text_detectors=False)
            if not step:
                hit = next(filter(None, (d(scan, i) for d in DETECTORS)), None)
        if hit is not None and hit.level > 1 and _only_places(scan.joined(hit.first, hit.last), scan.gazetteer):
            hit, step = None, hit.last - i + 1
        if hit is not None:
            found.append(hit)
            i = hit.last + 1
        else:
            i += max(step, 1)
    return _tree(nt, [(lines[c.first].start, lines[c.last].end, scan.joined(c.first, c.last), c.level) for c in found])


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


@stage("sections", requires=["text", "kind"], assigns=["sections"])
def sections_stage(doc) -> None:
    """The heading tree; communiqués take their titles in capitals; web pages and
    press texts their first line."""
    furniture = doc.extras.get("furniture")
    doc.extraction.sections = segment(
        doc.text, doc.resources, caps_titles=doc.kind == "communique_de_presse",
        page=doc.kind in ("communique_de_presse", "article", "autre") and not doc.is_pdf,
        furniture=furniture.covers if furniture else None)


@stage("record_sections", requires=["sections", "measures", "places"], assigns=["record sections"])
def record_sections_stage(doc) -> None:
    """Each measure, place, bullet and table takes the heading it stands under."""
    ex = doc.extraction
    for group in (ex.measures, ex.places, ex.bullets, ex.allocations):
        for rec in group:
            sec = section_at(ex.sections, rec.start)
            rec.section = sec.heading if sec else None
    for table in ex.tables:
        if table.start is not None:
            sec = section_at(ex.sections, table.start)
            table.section = sec.heading if sec else None


@stage("title", requires=["sections", "kind"], assigns=["title"])
def title_stage(doc) -> None:
    """The document's title: a `Fiche territoriale` line, else the first heading that
    is not a kind marker (a communiqué's or an article's title)."""
    info, sections = doc.info, doc.extraction.sections
    titles = [sec.heading for sec in sections if fold(sec.heading).startswith("fiche territoriale")]
    lines = [line.strip() for line in doc.text.text.split("\n")[:40] if fold(line).startswith("fiche territoriale")]
    for title in titles + lines:
        if len(title) < 120:
            info.title = " ".join(title.split())
            return
    if info.kind == "fiche_territoriale":
        if info.department_name:
            info.title = f"Fiche territoriale – {info.department_name}"
        return
    for sec in sections:
        if fold(sec.heading) not in KIND_MARKERS:
            info.title = " ".join(sec.heading.split())
            return
