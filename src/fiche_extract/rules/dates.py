"""Calendar dates in the common French forms, as ISO values; the communiqué dateline."""

from __future__ import annotations

from datetime import date
from typing import Optional

from .. import rx as re

from ..models import DateMention, NormalisedText
from ..stages import stage

MONTHS = {
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12,
}
WEEKDAYS = r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)"
MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
NUMERIC_RE = re.compile(r"(?<![\d/.\-])(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})(?![\d/.\-]|\.\d)")
TEXTUAL_RE = re.compile(
    rf"(?<![\p{{L}}\d])(?:{WEEKDAYS}\s+)?(1er|1ᵉʳ|premier|\d{{1,2}})\s+({MONTH_ALT})(?:\s+(\d{{4}}))?(?![\p{{L}}\d])",
    re.IGNORECASE,
)
DATELINE_RE = re.compile(
    rf"^(?:(?:À|A)\s+)?(?P<place>\p{{Lu}}[\p{{L}}'\- ]{{1,60}}?),?\s+le\s+"
    rf"(?P<date>\d{{1,2}}[/.\-]\d{{1,2}}[/.\-]\d{{2,4}}|(?:{WEEKDAYS}\s+)?(?:1er|\d{{1,2}})\s+(?:{MONTH_ALT})\s+\d{{4}})\s*$",
    re.IGNORECASE | re.MULTILINE,
)


def _iso(year: int, month: int, day: int) -> Optional[str]:
    if year < 100:
        year += 2000
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def parse_date(text: str, default_year: Optional[int] = None) -> Optional[str]:
    """ISO date of one written date, or None."""
    m = NUMERIC_RE.search(text)
    if m:
        return _iso(int(m.group(4)), int(m.group(3)), int(m.group(1)))
    m = TEXTUAL_RE.search(text)
    if m:
        day = 1 if m.group(1).lower() in ("1er", "1ᵉʳ", "premier") else int(m.group(1))
        year = int(m.group(3)) if m.group(3) else default_year
        return _iso(year, MONTHS[m.group(2).lower()], day) if year else None
    return None


def extract_dates(nt: NormalisedText, *, default_year: Optional[int] = None) -> list[DateMention]:
    """Dates with day precision; a date without its year takes `default_year` (the
    dateline's), or is left out when there is none."""
    flat = nt.text.replace("\n", " ")
    found: list[tuple[int, int, str]] = []
    for m in NUMERIC_RE.finditer(flat):
        iso = _iso(int(m.group(4)), int(m.group(3)), int(m.group(1)))
        if iso:
            found.append((m.start(), m.end(), iso))
    for m in TEXTUAL_RE.finditer(flat):
        iso = parse_date(m.group(0), default_year)
        if iso and not any(s < m.end() and m.start() < e for s, e, _ in found):
            found.append((m.start(), m.end(), iso))
    found.sort()
    return [DateMention(value=iso, **nt.evidence(s, e).model_dump()) for s, e, iso in found]


def extract_dateline(nt: NormalisedText) -> Optional[tuple[str, DateMention]]:
    """`Belfort, le 14/12/2020` near the top: (place as written, date)."""
    head = nt.text[:1500]
    m = DATELINE_RE.search(head)
    if not m:
        return None
    iso = parse_date(m.group("date"))
    if not iso:
        return None
    ev = nt.evidence(m.start("date"), m.end("date"))
    return m.group("place").strip(), DateMention(value=iso, **ev.model_dump())


@stage("dateline", requires=["text"], assigns=["dateline", "date"])
def dateline_stage(doc) -> None:
    """The dateline (`Belfort, le 14/12/2020`): the document's date and place."""
    from ..document import Dateline

    found = extract_dateline(doc.text)
    if found:
        doc.dateline = Dateline(*found)
        doc.info.date = found[1].value


@stage("dates", requires=["text", "date"], assigns=["dates"])
def dates_stage(doc) -> None:
    """Calendar dates; a date without its year takes the document's year."""
    doc.extraction.dates = extract_dates(doc.text, default_year=doc.year)
