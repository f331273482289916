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
# abbreviations, written with their dot (`10 janv. 2024`, `3 sept. 2021`)
MONTH_ABBREVIATIONS = {
    "janv": 1, "févr": 2, "fevr": 2, "fév": 2, "fev": 2, "avr": 4, "juil": 7, "sept": 9, "oct": 10, "nov": 11,
    "déc": 12, "dec": 12,
}
MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True)) + "|(?:" + "|".join(
    sorted(MONTH_ABBREVIATIONS, key=len, reverse=True)) + r")\."


def month_number(word: str) -> int:
    """`janvier`, `Janv.` -> 1."""
    word = word.lower().rstrip(".")
    return MONTHS.get(word) or MONTH_ABBREVIATIONS[word]
NUMERIC_RE = re.compile(r"(?<![\d/.\-])(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})(?![\d/.\-]|\.\d)")
TEXTUAL_RE = re.compile(
    rf"(?<![\p{{L}}\d])(?:{WEEKDAYS}\s+)?(1er|1ᵉʳ|premier|\d{{1,2}})\s+({MONTH_ALT})(?:\s+(\d{{4}}))?(?![\p{{L}}\d])",
    re.IGNORECASE,
)
# a text that lost its line breaks: `COMMUNIQUÉ DE PRESSE Arras, le 28 décembre 2020 « …`
INLINE_HEAD = 300
INLINE_DATELINE_RE = re.compile(
    rf"(?:(?i:communiqué de presse|communiqué|dossier de presse)\s+)(?:(?:À|A)\s+)?(?P<place>\p{{Lu}}[\p{{L}}'\-]+(?: \p{{Lu}}[\p{{L}}'\-]+|-[\p{{L}}]+)*),?\s+le\s+"
    rf"(?P<date>\d{{1,2}}[/.\-]\d{{1,2}}[/.\-]\d{{2,4}}|(?:{WEEKDAYS}\s+)?(?:1er|\d{{1,2}})\s+(?:{MONTH_ALT})\s+\d{{4}})",
    re.IGNORECASE,
)
ISO_RE = re.compile(r"(?<![\d\-/])(\d{4})-(\d{2})-(\d{2})(?![\d\-])")
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
        return _iso(year, month_number(m.group(2)), day) if year else None
    return None


WEEKDAY_NUMBER = {"lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6}
RELATIVE_AFTER = re.compile(r"\s+(dernier|prochain)\b", re.IGNORECASE)


def _year_of(m, flat: str, document_date: Optional[date], default_year: Optional[int]) -> Optional[int]:
    """The year of a date written without one: the year in which its weekday falls
    on that day (`jeudi 21 octobre`), near the document's date; `dernier` and
    `prochain` look back or ahead from it; else the document's year."""
    day = 1 if m.group(1).lower() in ("1er", "1ᵉʳ", "premier") else int(m.group(1))
    month = month_number(m.group(2))
    base = document_date.year if document_date else default_year
    if base is None:
        return None
    weekday = re.match(rf"({WEEKDAYS})\s", m.group(0), re.IGNORECASE)
    if weekday:
        wanted = WEEKDAY_NUMBER[weekday.group(1).lower()]
        for year in (base, base - 1, base + 1):
            if _iso(year, month, day) and date(year, month, day).weekday() == wanted:
                return year
    relative = RELATIVE_AFTER.match(flat, m.end())
    if relative and document_date and _iso(base, month, day):
        candidate = date(base, month, day)
        if relative.group(1).lower() == "dernier" and candidate > document_date:
            return base - 1
        if relative.group(1).lower() == "prochain" and candidate < document_date:
            return base + 1
    if document_date and not relative and _iso(base, month, day):
        # `le 21 décembre` in a text of 10 January: the December before, the nearest
        nearest = min((y for y in (base - 1, base, base + 1) if _iso(y, month, day)),
                      key=lambda y: abs((date(y, month, day) - document_date).days))
        if abs((date(base, month, day) - document_date).days) > 183:
            return nearest
    return base


def extract_dates(nt: NormalisedText, *, default_year: Optional[int] = None,
                  document_date: Optional[str] = None) -> list[DateMention]:
    """Dates with day precision; a date without its year takes one from the document's
    date (see `_year_of`) or `default_year`, or is left out when there is none."""
    flat = nt.text.replace("\n", " ")
    doc_date = date.fromisoformat(document_date) if document_date else None
    found: list[tuple[int, int, str]] = []
    for m in NUMERIC_RE.finditer(flat):
        iso = _iso(int(m.group(4)), int(m.group(3)), int(m.group(1)))
        if iso:
            found.append((m.start(), m.end(), iso))
    for m in ISO_RE.finditer(flat):
        iso = _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if iso:
            found.append((m.start(), m.end(), iso))
    for m in TEXTUAL_RE.finditer(flat):
        year = int(m.group(3)) if m.group(3) else _year_of(m, flat, doc_date, default_year)
        iso = parse_date(m.group(0), year)
        if iso and not any(s < m.end() and m.start() < e for s, e, _ in found):
            found.append((m.start(), m.end(), iso))
    found.sort()
    return [DateMention(value=iso, **nt.evidence(s, e).model_dump()) for s, e, iso in found]


def extract_dateline(nt: NormalisedText, *, skip=None) -> Optional[tuple[str, DateMention]]:
    """`Belfort, le 14/12/2020` near the top: (place as written, date); `skip(start,
    end)` says which lines are page furniture (`Mis à jour le …` is no dateline)."""
    head = nt.text[:1500]
    found = list(DATELINE_RE.finditer(head)) + list(INLINE_DATELINE_RE.finditer(head[:INLINE_HEAD]))
    for m in found:
        if skip is not None and skip(m.start(), m.start("date")):
            continue
        iso = parse_date(m.group("date"))
        if not iso:
            continue
        ev = nt.evidence(m.start("date"), m.end("date"))
        return m.group("place").strip(), DateMention(value=iso, **ev.model_dump())
    return None


@stage("dateline", requires=["text"], assigns=["dateline", "date"])
def dateline_stage(doc) -> None:
    """The dateline (`Belfort, le 14/12/2020`): the document's date and place."""
    from ..document import Dateline

    furniture = doc.extras.get("furniture")
    found = extract_dateline(doc.text, skip=furniture.covers if furniture else None)
    if found:
        doc.dateline = Dateline(*found)
        doc.info.date = found[1].value


@stage("dates", requires=["text", "date"], assigns=["dates"])
def dates_stage(doc) -> None:
    """Calendar dates; a date without its year takes the document's (see `_year_of`)."""
    doc.extraction.dates = extract_dates(doc.text, default_year=doc.year or doc.extras.get("year"),
                                         document_date=doc.info.date)
