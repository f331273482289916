"""Who may receive a grant, and where a text names them: communes and
intercommunalities (the place records of the places stage, and the names it missed
near a grant: `la commune de FORS`, `Lesneven Côte des Légendes (177 192 €)`), and
organisations that receive grants (`le Syndicat des eaux de …`, `le SDEC`).

Each candidate carries its official code (commune INSEE code or EPCI SIREN) settled
by the document's département, and the place record it comes from."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from typing import Optional

from .. import rx as re
from ..folding import fold
from ..models import Place
from .place_candidates import _trim_name
from .places import add_facts

# a capitalised name with its particles (`Pays des Abers`, `Saint-Jean de Verges`, `Lesneven Côte des Légendes`)
NAME = (r"[\p{Lu}][\p{L}'’\-]*(?:(?: |-)(?:(?:sur|sous|en|des|de|du|la|le|les|lès|et|aux|au)(?![\p{L}'’])"
        r"|(?:[dl]['’])?\p{Lu}[\p{L}'’\-]*)){0,6}")

BENEFICIARY_KINDS = ("commune", "epci", "petr")
EPCI_FORMS = ("Communauté ", "CC ", "CA ")  # tried before a bare name the gazetteer lacks
# a name standing at the start of a sentence or line is not taken from raw text: too
# many common words there have a commune's name
SENTENCE_OPENING_RE = re.compile(r"(?:^|[.!?:•\n]\s*|\n\s*[-–]\s*)$")


@dataclass
class Beneficiary:
    name: str  # as written
    start: int
    end: int
    kind: str  # commune | epci | petr | organisation
    insee_code: Optional[str] = None
    place_index: Optional[int] = None  # the place record naming it
    place: Optional[Place] = None  # a place the places stage missed, to add with the grant
    entry: Optional[object] = None  # gazetteer entry


@dataclass(frozen=True)
class BeneficiaryVocabulary:
    organisation_heads: tuple[str, ...]
    commune_cue_re: "re.Pattern"
    same_kind_re: "re.Pattern"
    street_re: "re.Pattern"


def beneficiary_vocabulary(resources) -> BeneficiaryVocabulary:
    p = resources.patterns["allocations"]
    cues = "|".join(re.escape(c).replace("'", "['’]") for c in sorted(p["commune_cues"], key=len, reverse=True))
    same = "|".join(re.escape(c).replace("'", "['’]") for c in sorted(p["same_kind_cues"], key=len, reverse=True))
    return BeneficiaryVocabulary(
        organisation_heads=tuple(fold(h) for h in p["organisation_heads"]),
        commune_cue_re=re.compile(rf"(?i:(?:{cues}))\s+(?P<name>{NAME})"),
        same_kind_re=re.compile(rf"(?i:\b(?:{same}))\s*$"),
        street_re=re.compile(rf"(?i:\b(?:{'|'.join(re.escape(w) for w in p['street_words'])}))\s+"
                             r"(?:de la |de l'|de l’|du |des |de |d'|d’)?$"),
    )


class Beneficiaries:
    """Every candidate beneficiary of one document, in text order."""

    def __init__(self, doc):
        self.doc = doc
        self.flat = doc.flat
        self.gaz = doc.gazetteer
        self.v = doc.resources.compiled(beneficiary_vocabulary)
        self.department = doc.department_code
        self.context = tuple(dict.fromkeys(p.department_code for p in doc.extraction.places
                                           if p.kind == "commune" and p.department_code))
        # where a name read from raw text may be: the document's département and
        # those its places name (none known: anywhere)
        self.territory = frozenset(
            [c for c in (self.department,) if c]
            + [p.department_code for p in doc.extraction.places if p.kind in ("commune", "departement", "epci")
               and p.department_code])
        self.blocked = [(o.start, o.end) for o in doc.extraction.organizations] + \
                       [(p.start, p.end) for p in doc.extraction.people]
        found = self._from_places() + self._from_organisations()
        found += self._from_text([(p.start, p.end) for p in doc.extraction.places] + [(b.start, b.end) for b in found]
                                 + self.blocked)
        found.sort(key=lambda b: (b.start, -b.end))
        self.items: list[Beneficiary] = []
        for b in found:  # one per span: the first (longest) wins
            if self.items and b.start < self.items[-1].end:
                continue
            self.items.append(b)
        self._starts = [b.start for b in self.items]

    # ------------------------------------------------------------ candidates

    def _from_places(self) -> list[Beneficiary]:
        out = []
        for i, p in enumerate(self.doc.extraction.places):
            if p.kind in BENEFICIARY_KINDS:
                out.append(Beneficiary(p.text, p.start, p.end, p.kind, p.insee_code, place_index=i))
        return out

    def _from_organisations(self) -> list[Beneficiary]:
        """Organisations whose name opens with a grant receiver's head, at every place
        the text names them (full name or acronym)."""
        out = []
        for o in self.doc.extraction.organizations:
            name = o.name or o.acronym or ""
            if not fold(name).startswith(self.v.organisation_heads) and not fold(o.acronym or "").startswith(
                    self.v.organisation_heads):
                continue
            out.append(Beneficiary(" ".join(o.text.split()), o.start, o.end, "organisation"))
            for form in {f for f in (o.acronym, o.name) if f}:
                for m in re.finditer(rf"(?<![\p{{L}}]){re.escape(form)}(?![\p{{L}}])", self.flat):
                    if not (o.start <= m.start() < o.end):
                        out.append(Beneficiary(m.group(0), m.start(), m.end(), "organisation"))
        return out

    def _from_text(self, taken: list[tuple[int, int]]) -> list[Beneficiary]:
        """Communes after a cue (`la commune de FORS`) and capitalised names inside a
        sentence that name one commune or intercommunality, where no record stands."""
        out: list[Beneficiary] = []
        flat = self.flat

        def free(s: int, e: int) -> bool:
            return not any(a < e and s < b for a, b in taken + [(x.start, x.end) for x in out])

        for m in self.v.commune_cue_re.finditer(flat):
            name = _trim_name(m.group("name"))
            s = m.start("name")
            if free(s, s + len(name)):
                b = self._resolved(name, s, kinds=["commune"])
                if b is not None:
                    out.append(b)
        for m in re.finditer(NAME, flat):
            name = _trim_name(m.group(0).rstrip("-’'"))
            s = m.start()
            if len(name) < 4 or not free(s, s + len(name)) or self.v.street_re.search(flat, max(0, s - 30), s):
                continue
            if SENTENCE_OPENING_RE.search(flat, max(0, s - 4), s) and not name.isupper():
                continue
            b = self._longest(name, s)
            if b is not None:
                out.append(b)
        return out

    def _longest(self, name: str, start: int) -> Optional[Beneficiary]:
        """The longest tail of `name` (`Commaunauté de Communes du Haut Pays Bigouden`
        gives `Haut Pays Bigouden`) that names a commune or an intercommunality."""
        words = name.split(" ")
        for k in range(len(words)):
            tail = " ".join(words[k:])
            if not tail[:1].isupper() or len(tail) < 4:
                continue
            offset = len(" ".join(words[:k])) + (1 if k else 0)
            b = self._resolved(tail, start + offset, kinds=["commune", "epci"])
            if b is not None:
                return b
        return None

    def _resolved(self, name: str, start: int, kinds: list[str]) -> Optional[Beneficiary]:
        gaz = self.gaz
        for written in [name] + ([f + name for f in EPCI_FORMS] if "epci" in kinds else []):
            res = gaz.resolve(written, kinds=kinds, department_code=self.department, context_departments=self.context)
            e = res.entry
            if e is None or (res.weak and e.kind == "commune"):
                continue
            if self.territory and e.department_code not in self.territory:
                continue  # `Ayrens` of the Cantal in a text about the Tarn-et-Garonne
            ev = self.doc.text.evidence(start, start + len(name))
            place = add_facts(Place(name=e.name, kind="epci" if e.kind == "epci" else "commune", insee_code=e.code,
                                    department_code=e.department_code, source="allocation", **ev.model_dump()), gaz)
            return Beneficiary(name, start, start + len(name), place.kind, e.code, place=place, entry=e)
        return None

    # ------------------------------------------------------------ look-ups

    def within(self, start: int, end: int) -> list[Beneficiary]:
        """The candidates that begin inside [start, end)."""
        i = bisect_left(self._starts, start)
        out = []
        while i < len(self.items) and self.items[i].start < end:
            out.append(self.items[i])
            i += 1
        return out

    def referring(self, b: Beneficiary, previous: Optional[Beneficiary]) -> Beneficiary:
        """`celle de Fouesnant` after an intercommunality: Fouesnant's intercommunality."""
        if previous is None or previous.kind != "epci" or b.kind != "commune":
            return b
        if not self.v.same_kind_re.search(self.flat, max(0, b.start - 12), b.start):
            return b
        entry = b.entry or self.gaz.commune(b.insee_code or "")
        epci = self.gaz.epci(entry.epci_code) if entry is not None and entry.epci_code else None
        if epci is None:
            return b
        return Beneficiary(b.name, b.start, b.end, "epci", epci.code, place_index=None, place=None, entry=epci)
