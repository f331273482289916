"""Typed records exchanged between stages; their JSON form is the record contract."""

from __future__ import annotations

from bisect import bisect_right
from operator import attrgetter
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

Kind = Literal["fiche_territoriale", "communique_de_presse", "article", "autre", "inconnu"]
PlaceKind = Literal["commune", "departement", "region", "epci", "petr", "other"]
Scope = Literal["departement", "region", "national"]
Severity = Literal["error", "warning", "info"]
BBox = tuple[float, float, float, float]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Evidence(Record):
    """Where a value was read: matched text, page and span in the normalised text."""

    text: str = ""
    page: int = 1
    start: int = 0
    end: int = 0
    bbox: Optional[BBox] = None


# ---------------------------------------------------------------- layout


class Line(Record):
    """One line of a page, in reading order, with the font cues of its words."""

    text: str
    page: int
    x0: float = 0.0
    top: float = 0.0
    x1: float = 0.0
    bottom: float = 0.0
    size: float = 0.0
    bold: bool = False
    color: Optional[str] = None
    column: int = 0
    leading_space: bool = False  # text input: line began with a single space
    cells: Optional[list[str]] = None  # a table row read as one line
    words: Optional[list[tuple[int, int, float, float, float, float]]] = None  # PDF: (start, end) in `text`, box
    separate: bool = False  # PDF: a block of its own beside another on the same row (a letterhead's dateline)


class RawTable(Record):
    page: int
    bbox: Optional[BBox] = None
    rows: list[list[str]]
    # PDF: the words of each row's cells, (text, x0, top, x1, bottom), so a value read in a cell gets its box
    cell_words: Optional[list[list[list[tuple[str, float, float, float, float]]]]] = None


class Page(Record):
    number: int
    width: float = 0.0
    height: float = 0.0
    lines: list[Line] = Field(default_factory=list)
    tables: list[RawTable] = Field(default_factory=list)
    margins: list[str] = Field(default_factory=list)  # running headers and footers, kept out of the text


class Span(Record):
    """A piece of the normalised text mapped back to its page (and box)."""

    start: int
    end: int
    page: int
    line: int
    bbox: Optional[BBox] = None


_span_start = attrgetter("start")


class NormalisedText(Record):
    text: str
    spans: list[Span]
    lines: list[Line]
    pages: int

    def page_at(self, offset: int) -> int:
        span = self.span_at(offset)
        return span.page if span else 1

    def _index_at(self, offset: int) -> int:
        """Index of the last span starting at or before `offset` (-1 if none)."""
        return bisect_right(self.spans, offset, key=_span_start) - 1

    def span_at(self, offset: int) -> Optional[Span]:
        i = self._index_at(offset)
        return self.spans[i] if i >= 0 else None

    def evidence(self, start: int, end: int) -> Evidence:
        """Evidence for text[start:end], with its page and the union of its words' boxes
        on that page."""
        first = self.span_at(start)
        page = first.page if first else 1
        lo, hi = max(0, self._index_at(start)), self._index_at(max(start, end - 1))
        boxes = [s.bbox for s in self.spans[lo:hi + 1] if s.bbox and s.end > start and s.start < end and s.page == page]
        bbox = None
        if boxes:
            bbox = (
                min(b[0] for b in boxes),
                min(b[1] for b in boxes),
                max(b[2] for b in boxes),
                max(b[3] for b in boxes),
            )
        return Evidence.model_construct(
            text=self.text[start:end],
            page=page,
            start=start,
            end=end,
            bbox=bbox,
        )


# ---------------------------------------------------------------- records


class DocumentInfo(Record):
    id: str
    source: str
    kind: Kind = "inconnu"
    kind_features: dict[str, float] = Field(default_factory=dict)
    title: Optional[str] = None
    department_code: Optional[str] = None
    department_name: Optional[str] = None
    date: Optional[str] = None
    pages: int = 0
    format: Literal["pdf", "text"] = "text"
    status: Literal["ok", "partial", "failed", "skipped"] = "ok"
    error: Optional[str] = None
    text: Optional[str] = None
    running_lines: list[str] = Field(default_factory=list)  # PDF: running headers and footers, once each


class Section(Evidence):
    heading: str
    path: list[str]
    level: int = 1
    body: Optional[str] = None  # the text from the heading to the next heading


class Measure(Evidence):
    value: float
    unit: str
    object: Optional[str] = None
    total: Optional[float] = None
    scope: Optional[Scope] = None
    section: Optional[str] = None


class Place(Evidence):
    name: str
    kind: PlaceKind = "other"
    insee_code: Optional[str] = None
    department_code: Optional[str] = None
    section: Optional[str] = None
    source: str = "rule"  # rule | list | table | ner | gazetteer | dateline | allocation
    population: Optional[int] = None  # communes, départements, régions: INSEE; intercommunalities: their communes'
    latitude: Optional[float] = None  # communes: the town hall (WGS 84)
    longitude: Optional[float] = None
    programme: Optional[str] = None  # code of the ANCT programme whose list the text puts the place in (pvd, acv, fs…)


class Person(Evidence):
    name: str
    role: Optional[str] = None
    organization: Optional[str] = None  # the organisation the role names
    mentions: list[tuple[int, int]] = Field(default_factory=list)  # later mentions by role alone


class Organization(Evidence):
    name: Optional[str] = None
    acronym: Optional[str] = None


class DateMention(Evidence):
    value: str


class Link(Evidence):
    url: str


class Bullet(Evidence):
    item: str
    section: Optional[str] = None


class Allocation(Evidence):
    """A grant the text ties to a beneficiary: `La commune de X bénéficiera de 120 000 €
    au titre de la DSIL pour …`."""

    beneficiary: str
    insee_code: Optional[str] = None
    programme: Optional[str] = None
    project: Optional[str] = None
    amount_eur: Optional[float] = None
    year: Optional[int] = None
    measure_index: Optional[int] = None  # the measure holding the amount (index in `measures`)
    place_index: Optional[int] = None  # the place naming the beneficiary (index in `places`)
    section: Optional[str] = None


class Table(Record):
    section: Optional[str] = None
    page: int
    header: list[str]
    rows: list[list[str]]
    start: Optional[int] = None
    end: Optional[int] = None
    bbox: Optional[BBox] = None


class Finding(Record):
    check: str
    severity: Severity
    message: str
    evidence: str = ""
    page: Optional[int] = None
    start: Optional[int] = None
    end: Optional[int] = None


class Extraction(Record):
    """Everything extracted from one document: the record contract."""

    document: DocumentInfo
    sections: list[Section] = Field(default_factory=list)
    measures: list[Measure] = Field(default_factory=list)
    places: list[Place] = Field(default_factory=list)
    people: list[Person] = Field(default_factory=list)
    organizations: list[Organization] = Field(default_factory=list)
    dates: list[DateMention] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)
    links: list[Link] = Field(default_factory=list)
    bullets: list[Bullet] = Field(default_factory=list)
    allocations: list[Allocation] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
