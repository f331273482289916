"""The one object every stage receives: what was read, what is known, what was found.

A `Document` carries the loaded pages, the normalised text and its flattened form (same
offsets, computed once), the shared `Resources` (patterns, gazetteer, NLP pipeline),
what earlier stages settled (kind, dateline, département) and the growing `Extraction`.
Stages read from it and write their records into `doc.extraction`; notes meant only for
later stages go into `doc.extras` under the stage's name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from . import rx as re
from .models import DateMention, Extraction, Finding, NormalisedText
from .reading.load import LoadedDocument
from .resources import Resources

SINGLE_BREAK = re.compile(r"(?<!\n)\n(?!\n)")


def flatten(text: str) -> str:
    """Single line breaks become spaces; blank lines stay. Offsets are unchanged."""
    return SINGLE_BREAK.sub(" ", text)


@dataclass
class Dateline:
    """`Belfort, le 14/12/2020`: the place as written and the date."""

    place: str
    date: DateMention


@dataclass
class Document:
    loaded: LoadedDocument
    text: NormalisedText
    resources: Resources
    extraction: Extraction
    debug: bool = False
    dateline: Optional[Dateline] = None
    extras: dict[str, Any] = field(default_factory=dict)
    flat: str = field(init=False)

    def __post_init__(self) -> None:
        self.flat = flatten(self.text.text)

    # what stages ask for most, by name
    @property
    def info(self):
        return self.extraction.document

    @property
    def kind(self) -> str:
        return self.extraction.document.kind

    @property
    def department_code(self) -> Optional[str]:
        return self.extraction.document.department_code

    @property
    def year(self) -> Optional[int]:
        date = self.extraction.document.date
        return int(date[:4]) if date else None

    @property
    def patterns(self):
        return self.resources.patterns

    @property
    def gazetteer(self):
        return self.resources.gazetteer

    @property
    def pages(self):
        return self.loaded.pages

    @property
    def is_pdf(self) -> bool:
        return self.loaded.format == "pdf"

    def add_finding(self, finding: Finding) -> None:
        self.extraction.findings.append(finding)
