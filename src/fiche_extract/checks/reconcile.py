"""The document against the official ANCT programme lists (`resources.programmes`):
which communes a text puts in a programme, and whether the list agrees.

A commune is put in a programme when it is an item of a list under the programme's
heading (`Petites villes de demain` / `20 villes bénéficiaires du programme : …`) or
of a list whose announcing sentence names the programme (`18 communes retenues au
programme Petites villes de demain : …`). The `reconcile` stage marks those places
with the programme's code (`Place.programme`) and raises:

- `not_in_official_list`: such a commune is not in the programme's official list;
- `count_vs_official_list`: a stated count of the programme's members in the
  document's département differs from the list's.

The lists are snapshots of their own date: a finding is something to check, never a
correction. Words: `patterns/reconcile.yaml`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Optional

from .. import rx as re
from ..folding import fold
from ..models import Finding, Measure, Place
from ..resources import programmes
from ..stages import stage

if TYPE_CHECKING:
    from ..document import Document

MAX_NAME_WORDS = 7  # words of the longest programme name (`Petites villes de demain Ingénierie`)
WORD_RE = re.compile(r"[\p{L}\d][\p{L}\d'’.\-]*")


@dataclass(frozen=True)
class ReconcileVocabulary:
    checked: frozenset[str]
    family: dict  # code -> the codes counted with it
    member_nouns: frozenset[str]
    listed_sources: frozenset[str]


def reconcile_vocabulary(resources) -> ReconcileVocabulary:
    p = resources.patterns["reconcile"]
    family = {code: frozenset([code]) for code in programmes.PROGRAMMES}
    for group in p.get("families") or []:
        for code in group:
            family[code] = frozenset(group)
    return ReconcileVocabulary(frozenset(p["checked"]), family, frozenset(fold(n) for n in p["member_nouns"]),
                               frozenset(p["listed_sources"]))


def programme_named_in(text: str) -> Optional[str]:
    """The code of the first programme a text names (`… retenues au programme Petites
    villes de demain :` gives `pvd`), its longest name at the first place."""
    words = WORD_RE.findall(text or "")
    for i in range(len(words)):
        for n in range(min(MAX_NAME_WORDS, len(words) - i), 0, -1):
            code = programmes.programme_of_name(" ".join(words[i:i + n]))
            if code is not None:
                return code
    return None


@dataclass
class Listing:
    """A commune the text puts in a programme."""

    place: Place
    programme: str


def listings(doc: "Document") -> list[Listing]:
    """Communes listed under a heading that names a programme (`Petites villes de
    demain`, `Villages d'avenir : 40 communes choisies`) or after a sentence that
    names it."""
    from ..rules.place_candidates import list_segments, place_vocabulary

    ex, v = doc.extraction, doc.resources.compiled(reconcile_vocabulary)
    communes = [p for p in ex.places if p.kind == "commune" and p.insee_code]
    found: dict[int, Listing] = {}
    for p in communes:
        code = programme_named_in(p.section) if p.section and p.source in v.listed_sources else None
        if code:
            found[id(p)] = Listing(p, code)
    flat = doc.flat
    for measure, start, end, _ in list_segments(flat, ex.measures, doc.text.text, doc.resources.compiled(place_vocabulary)):
        opening = max(flat.rfind(". ", 0, measure.start) + 2, flat.rfind("\n\n", 0, measure.start) + 2, 0)
        code = programme_named_in(flat[opening:start])
        if code is None:
            continue
        for p in communes:
            if start <= p.start < end and id(p) not in found:
                found[id(p)] = Listing(p, code)
    return sorted(found.values(), key=lambda f: f.place.start)


def _is_member(code: str, insee_code: str, v: ReconcileVocabulary) -> bool:
    return any(programmes.is_member(c, insee_code) for c in v.family.get(code, {code}))


def _official(code: str, department_code: str) -> str:
    """How the official list is named in a message: its source file, what it counts
    in the département and the span of its dates."""
    local = programmes.members(code, department_code)
    sources = sorted({m.source for m in local}) or sorted({m.source for m in programmes.members(code)[:1]})
    dates = sorted(m.date for m in local if m.date)
    span = f", dated {dates[0]} to {dates[-1]}" if len(dates) > 1 and dates[0] != dates[-1] else \
        f", dated {dates[0]}" if dates else ""
    return f"ANCT, {', '.join(sources)}{span}"


def not_in_official_list(doc: "Document", found: list[Listing]) -> Iterable[Finding]:
    """A commune the text puts in a programme that the programme's official list
    does not name."""
    v = doc.resources.compiled(reconcile_vocabulary)
    seen: set[tuple[str, str]] = set()
    for item in found:
        p, code = item.place, item.programme
        dep = p.department_code
        if code not in v.checked or not dep or programmes.official_count(code, dep) is None:
            continue
        if (code, p.insee_code) in seen or _is_member(code, p.insee_code, v):
            continue
        seen.add((code, p.insee_code))
        yield Finding(check="not_in_official_list", severity="warning",
                      message=f"{p.name} ({p.insee_code}) is given as {programmes.PROGRAMMES[code]} but is not in the "
                              f"official list, which names {programmes.official_count(code, dep)} in département {dep} "
                              f"({_official(code, dep)})",
                      evidence=p.text, page=p.page, start=p.start, end=p.end)


def _counted_programme(m: Measure, v: ReconcileVocabulary) -> Optional[str]:
    """The programme whose members a count counts: its object names the programme
    after a member noun (`espaces France Services`) or is the programme (`12 France
    services`), or it counts members under the programme's heading (`20 villes
    bénéficiaires du programme`)."""
    obj = m.object or ""
    words = fold(obj).split(" ")
    members = bool(words) and words[0] in v.member_nouns
    named = programme_named_in(obj)
    if named is not None:
        return named if members or programmes.programme_of_name(obj) == named else None
    return programmes.programme_of_name(m.section) if members and m.section else None


def count_vs_official_list(doc: "Document") -> Iterable[Finding]:
    """A stated count of a programme's members in the document's département that
    differs from what the official list counts there."""
    ex, v = doc.extraction, doc.resources.compiled(reconcile_vocabulary)
    dep = ex.document.department_code
    if not dep:
        return
    for m in ex.measures:
        if m.unit != "count" or m.value != int(m.value) or m.total is not None:
            continue
        if not (m.scope == "departement" or (m.scope is None and ex.document.kind == "fiche_territoriale")):
            continue
        code = _counted_programme(m, v)
        if code is None or code not in v.checked:
            continue
        official = programmes.official_count(code, dep)
        if official is None or official == int(m.value):
            continue
        reported = programmes.reported_counts(code, dep)
        written = re.match(r"\s*" + re.escape(m.object or "").replace("\\ ", r"\s+"), doc.flat[m.end:m.end + 200])
        end = m.end + written.end() if m.object and written else m.end  # `15` and its object
        barometer = "; the DITP barometer counts " + ", ".join(f"{c.value} on {c.date}" for c in reported) \
            if reported else ""
        yield Finding(check="count_vs_official_list", severity="warning",
                      message=f"{m.value:g} {m.object or 'members'} stated for {programmes.PROGRAMMES[code]}; the "
                              f"official list counts {official} in département {dep} ({_official(code, dep)}){barometer}",
                      evidence=" ".join(doc.flat[m.start:end].split()), page=m.page, start=m.start, end=end)


def reconcile(doc: "Document") -> list[Finding]:
    """Mark the places the text puts in a programme; the findings of both checks."""
    found = listings(doc)
    for item in found:
        item.place.programme = item.programme
    return list(not_in_official_list(doc, found)) + list(count_vs_official_list(doc))


@stage("reconcile", requires=["places", "measures", "record sections", "department"],
       assigns=["place programmes", "reconciliation findings"])
def reconcile_stage(doc: "Document") -> None:
    """The document against the official programme lists (communes and counts)."""
    doc.extraction.findings.extend(reconcile(doc))
