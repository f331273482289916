"""Web-page furniture: menus, breadcrumbs, share buttons, credits, bylines, reading
times, category labels, captions repeated from the text, and the publication line
(`Mis à jour le 03/05/2023`), whose date is the document's. Furniture lines yield no
record; `drop_furniture` removes what other stages read from them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from .. import rx as re
from ..folding import fold
from ..models import DateMention, Finding
from ..stages import stage
from .dates import parse_date

# the search tool's excerpts start with ` date 2021-07` or ` date 2021-07-05`
SOURCE_DATE_RE = re.compile(r"^\s*date (?P<year>\d{4})-(?P<month>\d{2})(?:-(?P<day>\d{2}))?\b")
DATE_TEXT = r"(?:\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|(?:\p{L}+,? )?(?:1er|\d{1,2}) \p{L}+\.? \d{4})"
# an icon's name printed before a line (`access_time Publié le …`, `calendar_today 12/03/2024`)
ICON_RE = re.compile(r"^\s*[a-z]+(?:_[a-z]+)+\s+")
# a page's counters: `780 vues`, `3 commentaires`, `12 partages`
COUNTER_RE = re.compile(r"\d[\d\s.]*\s+(?:vues?|lectures?|commentaires?|partages?|réactions?|likes?|j'aime)", re.IGNORECASE)
BREADCRUMB_RE = re.compile(r"\S.*? > .*\S")
# a line that is only a date (an article's header), maybe with a time and a byline:
# `18 février 2020 à 4h57 par Jean Martin`, `vendredi, 10 février 2023 22:23`
DATE_LINE_RE = re.compile(rf"^\s*(?i:le\s+)?(?P<date>{DATE_TEXT})(?:,?\s*(?:à\s*)?\d{{1,2}}[h:]\d{{2}})?\s*(?P<byline>(?i:par)\s.+)?$")
HEAD_LINES = 12  # publication and date lines are looked for among the first lines
# a byline with its date: `Julia Martin le mercredi 3 novembre 2021 à 14:36`
NAMED_DATE_LINE_RE = re.compile(rf"^\s*(?P<byline>\p{{Lu}}[\p{{L}}'’\-]+(?: \p{{Lu}}[\p{{L}}'’\-]+){{1,3}}) (?i:le|publié le) (?P<date>{DATE_TEXT})(?:,?\s*(?:à\s*)?\d{{1,2}}[h:]\d{{2}})?\s*$")
# a credit at the end of a caption line: `… Photo : Jean Martin`, `… © Agence - Jean Martin`
INLINE_CREDIT_RE = re.compile(r"(?:(?<=\s)(?i:photo|photos|crédit|crédits|crédit photo|illustration)\s?:|©).{0,80}$")
REPEAT_MIN_CHARS = 40  # a line repeated verbatim this long is a caption or a teaser, not new content


@dataclass(frozen=True)
class _Vocabulary:
    publication: "re.Pattern"
    lines: frozenset[str]
    openers: tuple[str, ...]
    categories: frozenset[str]
    paywall: "re.Pattern"


def _vocabulary(resources) -> _Vocabulary:
    p = resources.patterns["furniture"]
    alt = "|".join(re.escape(w) for w in sorted(p["publication"], key=len, reverse=True))
    return _Vocabulary(
        publication=re.compile(rf"^\s*(?i:{alt})\s*:?\s*(?:le\s+)?(?P<date>{DATE_TEXT})", re.IGNORECASE),
        lines=frozenset(fold(x) for x in p["lines"]),
        openers=tuple(fold(x) if x.strip() != "©" else "©" for x in p["line_openers"]),
        categories=frozenset(fold(x) for x in p["categories"]),
        paywall=re.compile("|".join(re.escape(fold(x)) for x in p["paywall"])),
    )


@dataclass
class Furniture:
    spans: list[tuple[int, int]]
    publication: Optional[DateMention] = None  # the `Mis à jour le …` date
    source_year: Optional[int] = None  # the excerpt's ` date 2021-07` prefix
    source_date: Optional[DateMention] = None  # the prefix when it gives a day

    def covers(self, start: int, end: int) -> bool:
        return any(a <= start and end <= b for a, b in self.spans)


def find_furniture(doc) -> Furniture:
    v = doc.resources.compiled(_vocabulary)
    text = doc.text.text
    out = Furniture([])
    seen: set[str] = set()
    pos = 0
    first_content = True
    line_no = 0
    lines = text.split("\n")
    for k, line in enumerate(lines):
        start, end = pos, pos + len(line)
        pos = end + 1
        stripped = line.strip()
        if not stripped:
            continue
        line_no += 1
        key = fold(stripped.strip(" |:.-–—•"))
        m = SOURCE_DATE_RE.match(line) if line_no == 1 else None
        if m:
            out.source_year = int(m.group("year"))
            if m.group("day"):
                iso = f"{m.group('year')}-{m.group('month')}-{m.group('day')}"
                out.source_date = DateMention(value=iso, **doc.text.evidence(start + m.start(), start + m.end()).model_dump())
            out.spans.append((start + m.start(), start + m.end()))
            rest = line[m.end():].strip()
            if not rest:
                continue
            key = fold(rest.strip(" |:.-–—•"))
        dated = (DATE_LINE_RE.match(line) or NAMED_DATE_LINE_RE.match(line)) if line_no <= HEAD_LINES else None
        if dated and parse_date(dated.group("date")):
            if out.publication is None:
                ds, de = start + dated.start("date"), start + dated.end("date")
                out.publication = DateMention(value=parse_date(dated.group("date")),
                                              **doc.text.evidence(ds, de).model_dump())
            if dated.group("byline"):
                out.spans.append((start + dated.start("byline"), end))
            continue
        icon = ICON_RE.match(line)
        if icon and line_no <= HEAD_LINES:
            out.spans.append((start, start + icon.end()))
        at = start + (icon.end() if icon else 0)  # the line without its icon
        pub = v.publication.match(text[at:end])
        if pub:
            iso = parse_date(pub.group("date"))
            if iso and out.publication is None:
                ds, de = at + pub.start("date"), at + pub.end("date")
                out.publication = DateMention(value=iso, **doc.text.evidence(ds, de).model_dump())
            out.spans.append((start, at + pub.start("date")))
            continue
        if v.paywall.search(key):  # `Cet article est réservé aux abonnés`: offers and links follow
            out.spans.append((start, len(text)))
            break
        furniture = (
            key in v.lines
            or _opens(key, v.openers) and len(stripped.split()) <= 12
            or stripped.startswith("©")
            or (first_content and key in v.categories)
            or BREADCRUMB_RE.fullmatch(stripped) is not None and len(stripped) < 200
            or (re.fullmatch(r"[\d\s|]+", stripped) is not None and not _labelled(lines, k))  # counters, gallery numbers
            or re.search(r"\.(?:jpe?g|png|gif|webp|pdf)\s*$", stripped, re.IGNORECASE) is not None and " " not in stripped.strip()
            or COUNTER_RE.fullmatch(stripped) is not None
        )
        if not furniture and len(key) >= REPEAT_MIN_CHARS:
            said = re.sub(r"[^\p{L}\d]+", " ", key).strip()  # quotes and commas aside: `« X »` is `"X"`
            furniture = said in seen
            seen.add(said)
        if furniture:
            out.spans.append((start, end))
            continue
        credit = INLINE_CREDIT_RE.search(line)
        if credit:
            out.spans.append((start + credit.start(), end))
        if len(stripped.split()) > 3:
            first_content = False
    return out


@stage("furniture", requires=["text"], assigns=["furniture", "publication date"])
def furniture_stage(doc) -> None:
    """Page furniture spans, and the publication date (`Mis à jour le …`)."""
    found = find_furniture(doc)
    doc.extras["furniture"] = found
    date = found.publication or found.source_date
    if date is not None and not doc.info.date:
        doc.info.date = date.value
    if found.source_year and not doc.info.date:
        doc.extras["year"] = found.source_year


@stage("drop_furniture", requires=["furniture"], assigns=["records outside furniture"])
def drop_furniture_stage(doc) -> None:
    """Records read from furniture lines are not records (the publication date stays)."""
    found: Furniture = doc.extras.get("furniture") or Furniture([])
    if not found.spans:
        return
    ex = doc.extraction
    keep = lambda r: not found.covers(r.start, r.end)  # noqa: E731
    for attr in ("measures", "places", "people", "organizations", "sections", "bullets"):
        setattr(ex, attr, [r for r in getattr(ex, attr) if keep(r)])
    ex.dates = [d for d in ex.dates if keep(d)]
    for date in (found.publication, found.source_date):
        if date is not None and not any(d.start == date.start for d in ex.dates):
            ex.dates.append(date)
    ex.dates.sort(key=lambda d: d.start)
    ex.findings = [f for f in ex.findings if f.start is None or not found.covers(f.start, f.end or f.start)]


def _opens(key: str, openers: tuple[str, ...]) -> bool:
    """`key` opens with one of `openers` as whole words (`par Lucie`, not `Paris`)."""
    return any(key.startswith(o) and (len(key) == len(o) or not key[len(o)].isalnum() or not o[-1].isalnum())
               for o in openers)


def _labelled(lines: list[str], k: int) -> bool:
    """A figure alone on its line followed by its label: a web fiche's or a PDF's key
    figure (`14` / `espaces France services`, `1` / `QPV, dans lesquels…`), not a
    gallery counter. A label in capitals must follow on the very next line."""
    nxt = next((l.strip() for l in lines[k + 1:k + 3] if l.strip()), "")
    if nxt[:1].islower():
        return True
    right_after = lines[k + 1].strip() if k + 1 < len(lines) else ""
    return right_after[:1].isalpha() and len(right_after.split()) >= 2
