"""Places: the detectors of `place_candidates` propose mentions, one resolver keeps the
longest candidate at each span, settles the document's département (dateline, named
départements, communes) and gives each place its official code through the gazetteer.
Unresolved and ambiguous names become findings."""

from __future__ import annotations

import logging
from collections import Counter
from typing import Optional

from ..models import Finding, NormalisedText, Place
from ..stages import stage
from .place_candidates import (
    CAP_NAME, DEPARTMENT_DETECTORS, KIND_OF_ENTRY, LAYOUT_DETECTORS, LOCAL_DETECTORS, PlaceScan, _Mention, _trim_name,
    named_territories, on_a_street, place_vocabulary, running_text_communes, uncontract,
)
from .. import rx as re
from ..folding import fold
from .tables import row_label_spans

log = logging.getLogger(__name__)


def _dedupe(mentions: list[_Mention]) -> list[_Mention]:
    """Overlapping mentions keep the longest (a list item over a name inside it)."""
    mentions.sort(key=lambda m: (m.start, -(m.end - m.start)))
    out: list[_Mention] = []
    for m in mentions:
        if out and m.start < out[-1].end:
            continue
        out.append(m)
    return out


AFTER_A_RE = re.compile(r"(?<![\p{L}])à\s$")


def _is_territory_level(res) -> bool:
    return res.entry is not None and res.entry.kind in ("departement", "region")


def _list_of_communes(items: list[_Mention], gaz, code: str, commune_nouns: frozenset[str]) -> bool:
    """A list whose count counts communes, or most of whose other items are communes."""
    obj = fold(items[0].group_object or "") + " "
    if any(obj.startswith(noun + " ") for noun in commune_nouns):
        return True
    communes = territories = 0
    for m in items:
        res = gaz.resolve(m.name, department_code=code)
        if _is_territory_level(res):
            territories += 1
        elif res.candidates and all(c.kind == "commune" for c in res.candidates):
            communes += 1
    return communes > territories


def communes_named_like_territories(mentions: list[_Mention], flat: str, code: Optional[str], gaz,
                                    table_cells=(), commune_nouns: frozenset[str] = frozenset()) -> None:
    """A name that is both a département or a région and a commune of the document's
    département (`Vienne` in the Isère, `Aube` in the Orne, `La Réunion` in the
    Lot-et-Garonne) is the commune where the context makes it one: an item of a list of
    communes, a project holder in a table's first column, after `à` (French puts `à`
    before a département's name only for islands: `à Mayotte`). An item that says its
    kind (`Département de la Vienne`) keeps it, and elsewhere the territory wins (`dans
    la Vienne`, `la Vienne et l'Isère`)."""
    if not code:
        return
    groups: dict[int, list[_Mention]] = {}
    for m in mentions:
        if m.source == "list" and m.group is not None:
            groups.setdefault(m.group, []).append(m)
    for m in mentions:
        if m.entry is not None or m.kind in ("petr", "other", "epci") or m.kind_hint not in (None, "", "departement", "region"):
            continue
        if m.source in ("list", "table") and m.kind_hint:
            continue  # `Département de la Corrèze`: the item says its kind
        if not _is_territory_level(gaz.resolve(m.name)):
            continue
        local = gaz.resolve(m.name, kinds=["commune"], department_code=code).entry
        if local is None or local.department_code != code:
            continue
        in_cell = m.source == "table" or any(s <= m.start and m.end <= e for s, e in table_cells)
        if in_cell or AFTER_A_RE.search(flat, max(0, m.start - 3), m.start):
            settled = True
        elif m.source == "list" and m.group is not None:
            settled = _list_of_communes([o for o in groups[m.group] if o is not m] or [m], gaz, code, commune_nouns)
        else:
            settled = False
        if settled:
            m.entry, m.kind_hint = local, "commune"


def _context_departments(mentions: list[_Mention], department_code: Optional[str], gaz) -> tuple[str, ...]:
    """The départements of the document's resolved places, most named first."""
    seen: Counter = Counter()
    for m in mentions:
        res = gaz.resolve(m.name, department_code=department_code)
        if res.entry is not None and res.entry.department_code:
            seen[res.entry.department_code] += 1
    return tuple(code for code, _ in seen.most_common())


def _resolve(mt: _Mention, nt: NormalisedText, department_code, context, gaz) -> tuple[Place, Optional[Finding]]:
    ev = nt.evidence(mt.start, mt.end)
    kinds = [mt.kind_hint] if mt.kind_hint in KIND_OF_ENTRY else None
    if mt.kind == "other" and mt.source == "list" and department_code:
        local = gaz.short_form(mt.name, department_code, min_words=1)  # `Loriol` in a list of the Drôme
        if local is not None:
            mt = _Mention(mt.start, mt.end, mt.name, "commune", "list", "commune", entry=local)
    if mt.kind in ("petr", "other"):
        return Place(name=" ".join(mt.name.split()), kind=mt.kind, source=mt.source, **ev.model_dump()), None
    res = gaz.resolve(mt.name, kinds=kinds, department_code=mt.department_code or department_code,
                      context_departments=context) if mt.entry is None else None
    e = mt.entry if mt.entry is not None else res.entry
    if (mt.source == "list" and mt.entry is None and department_code and mt.kind_hint in (None, "", "commune")
            and (e is None or (e.kind == "commune" and e.department_code != department_code))):
        # an item of a list of the département's communes, by its short name (`Livron`, `Loriol`)
        e = gaz.short_form(mt.name, department_code, min_words=1) or e
    if e is not None:
        return Place(name=e.name, kind=KIND_OF_ENTRY.get(e.kind, "other"), insee_code=e.code,
                     department_code=e.department_code if e.kind != "region" else None,
                     source=mt.source, **ev.model_dump()), None
    kind = mt.kind_hint if mt.kind_hint in ("commune", "departement", "region", "epci", "petr") else "other"
    finding = None
    if res.status == "ambiguous":
        codes = ", ".join(c.code for c in res.candidates[:6])
        finding = Finding(check="place_ambiguous", severity="warning",
                          message=f"'{mt.name}' names several places ({codes}); no code given",
                          evidence=ev.text, page=ev.page, start=ev.start, end=ev.end)
    elif kind != "other":
        finding = Finding(check="place_unresolved", severity="info",
                          message=f"'{mt.name}' is not in the official gazetteer; no code given",
                          evidence=ev.text, page=ev.page, start=ev.start, end=ev.end)
    return Place(name=" ".join(mt.name.split()), kind=kind, source=mt.source, **ev.model_dump()), finding


def department_of(places: list[Place], dateline_place: Optional[str], gaz) -> Optional[str]:
    """The document's département: a dateline commune, else the most named département,
    else the département of most resolved communes. A dateline commune with homonyms
    (`Valence`, `Moulins`) is the one in a département the document names, else the
    one that is a préfecture."""
    deps = Counter(p.insee_code for p in places if p.kind == "departement" and p.insee_code)
    communes = Counter(p.department_code for p in places if p.kind == "commune" and p.department_code)
    if dateline_place:
        res = gaz.resolve(dateline_place, kinds=["commune"])
        if res.entry is not None:
            return res.entry.department_code
        candidates = [c for c in res.candidates if c.kind == "commune"]
        named = [c for c in candidates if deps[c.department_code] or communes[c.department_code]]
        prefectures = [c for c in candidates if gaz.is_prefecture(c)]
        for group in (named, prefectures):
            if len(group) == 1:
                return group[0].department_code
    if deps:
        return deps.most_common(1)[0][0]
    if communes:
        return communes.most_common(1)[0][0]
    return None


MIN_UNIQUE_NAME = 5  # letters: shorter capitalised words are too often something else


def department_of_named_communes(scan: PlaceScan) -> Optional[str]:
    """When nothing else says which département a text is about: the one of most of
    the capitalised names that designate exactly one commune of France (two at least,
    or one that names its own département's préfecture or sub-préfecture)."""
    gaz = scan.v.gazetteer
    counts: Counter = Counter()
    seen: set[str] = set()
    for m in re.finditer(CAP_NAME, scan.flat):
        name = _trim_name(m.group(0))
        if len(name) < MIN_UNIQUE_NAME or name in seen or name.isupper():
            continue
        seen.add(name)
        res = gaz.resolve(name, kinds=["commune"])
        if res.entry is not None and not res.weak:
            counts[res.entry.department_code] += 1
    if not counts:
        return None
    (code, n), *rest = counts.most_common()
    if n >= 2 and (not rest or rest[0][1] < n):
        return code
    return None


def _dateline_place(doc, department_code: Optional[str]) -> Optional[Place]:
    """The commune of the dateline (`Belfort, le 14/12/2020`) as a place record."""
    nt, dateline = doc.text, doc.dateline
    start = nt.text.rfind(dateline.place, 0, dateline.date.start)
    if start < 0:
        return None
    res = doc.gazetteer.resolve(uncontract(dateline.place), kinds=["commune"], department_code=department_code)
    ev = nt.evidence(start, start + len(dateline.place))
    e = res.entry
    return Place(name=e.name if e else dateline.place, kind="commune", insee_code=e.code if e else None,
                 department_code=e.department_code if e else None, source="dateline", **ev.model_dump())


def ner_for(doc):
    """The NER over sentences, as (start, end, label, text) per text; a failure is a
    finding and the NER's vetoes are simply not applied. A sentence is read once per
    document, whichever stage asks (places, then people)."""
    from ..resources.nlp import entities

    read = doc.extras.setdefault("ner_read", {})  # sentence -> its entities

    def ner(texts: list[str]):
        try:
            todo = list(dict.fromkeys(t for t in texts if t not in read))
            read.update(zip(todo, entities(todo, nlp=doc.resources.nlp)))
            return [read[t] for t in texts]
        except (ValueError, KeyError, IndexError, TypeError, AttributeError, OSError, ImportError) as exc:
            if doc.debug:
                raise
            log.warning("NER failed: %s", exc)
            doc.add_finding(Finding(check="stage_failed", severity="error",
                                    message=f"ner failed: {type(exc).__name__}: {exc}"[:500]))
            return [[] for _ in texts]

    return ner


def extract_places(doc) -> list[Place]:
    """Every place mention with its official code; sets the document's département."""
    gaz = doc.gazetteer
    scan = PlaceScan(
        text=doc.text.text, flat=doc.flat, measures=doc.extraction.measures,
        table_cells=list(row_label_spans(doc.text)),
        headings=[(sec.start, sec.end) for sec in doc.extraction.sections],
        v=doc.resources.compiled(place_vocabulary),
    )
    mentions = [m for detect in LAYOUT_DETECTORS for m in detect(scan)]
    mentions += named_territories(scan, [(m.start, m.end) for m in mentions])
    mentions += [m for detect in LOCAL_DETECTORS for m in detect(scan)]
    code = doc.department_code
    if code is None:
        found = _dedupe(list(mentions))
        context = _context_departments(found, None, gaz)
        code = department_of([_resolve(m, doc.text, None, context, gaz)[0] for m in found],
                             doc.dateline.place if doc.dateline else None, gaz)
        if code is None:
            code = department_of_named_communes(scan)
    scan.department_code = code
    mentions += [m for detect in DEPARTMENT_DETECTORS for m in detect(scan)]
    mentions += running_text_communes(scan, [(m.start, m.end) for m in mentions], ner_for(doc))
    mentions = _dedupe([m for m in mentions if not on_a_street(doc.flat, m.start)])
    communes_named_like_territories(mentions, doc.flat, code, gaz, scan.table_cells, scan.v.commune_nouns)
    context = _context_departments(mentions, code, gaz)
    places: list[Place] = []
    for mt in mentions:
        place, finding = _resolve(mt, doc.text, code, context, gaz)
        places.append(place)
        if finding:
            doc.add_finding(finding)
    if doc.dateline:
        dp = _dateline_place(doc, code)
        if dp is not None:
            places = [dp] + [p for p in places if not (p.start < dp.end and dp.start < p.end)]
    if code:
        dep = gaz.department(code)
        doc.info.department_code = code
        doc.info.department_name = dep.name if dep else None
    return places


def add_facts(place: Place, gaz) -> Place:
    """A coded place's population and, for a commune, its coordinates (gazetteer)."""
    entry = gaz.by_code.get((place.kind, place.insee_code)) if place.insee_code else None
    if entry is not None:
        place.population = gaz.population(entry)
        place.latitude, place.longitude = entry.latitude, entry.longitude
    return place


@stage("places", requires=["text", "measures", "sections", "dateline"], assigns=["places", "department"])
def places_stage(doc) -> None:
    """Places with their official codes, populations and coordinates, and the
    document's département."""
    doc.extraction.places = [add_facts(p, doc.gazetteer) for p in extract_places(doc)]
