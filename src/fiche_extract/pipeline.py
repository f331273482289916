"""One document through every stage: load, normalise, classify, segment, extract,
resolve, validate. Never raises for a bad document: failures become a status and findings."""

from __future__ import annotations

import traceback
from collections import Counter
from pathlib import Path
from typing import Callable, Optional, TypeVar

from . import rx as re
from pydantic import ValidationError

from . import __version__
from .rules.classify import classify
from .reading.load import LoadError, LoadedDocument, file_sha256, load
from .rules.measures import extract_measures
from .models import Bullet, DocumentInfo, Extraction, Finding, NormalisedText
from .folding import fold
from .reading.normalise import normalise
from .rules.segment import section_at, segment
from .rules.tables import pdf_tables, row_label_spans, text_tables

T = TypeVar("T")

KIND_MARKERS = {"communique de presse", "communique", "fiche territoriale"}


def extract_path(
    path: Path | str,
    *,
    encoding: Optional[str] = None,
    password: Optional[str] = None,
    with_text: bool = False,
    debug: bool = False,
    ocr: bool = False,
) -> Extraction:
    """Extract one file; a file that cannot be read gives a `failed` document, not an exception."""
    path = Path(path)
    try:
        loaded = load(path, encoding=encoding, password=password, ocr=ocr)
    except MemoryError:
        raise  # the batch runner records it for the worker
    except LoadError as exc:
        # empty files all have the same bytes: each keeps a row of its own
        data_id = _id_of(path) if exc.reason != "empty" else file_sha256(f"\0empty\0{path}".encode())
        doc = DocumentInfo(id=data_id, source=str(path), status="failed", error=str(exc),
                           format="pdf" if path.suffix.lower() == ".pdf" else "text")
        return Extraction(
            document=doc,
            findings=[Finding(check=f"load_{exc.reason}", severity="error", message=str(exc))],
        )
    return extract_loaded(loaded, source=str(path), with_text=with_text, debug=debug)


def _id_of(path: Path) -> str:
    try:
        return file_sha256(path.read_bytes())
    except OSError:
        return file_sha256(str(path).encode())


def _guarded(stage: str, fn: Callable[[], T], default: T, findings: list[Finding], debug: bool) -> T:
    """Run a stage; an exception becomes an error finding and the stage's default."""
    try:
        return fn()
    except (ValidationError, ValueError, KeyError, IndexError, TypeError, AttributeError, RecursionError) as exc:
        if debug:
            raise
        last = traceback.extract_tb(exc.__traceback__)[-1]
        findings.append(
            Finding(
                check="stage_failed",
                severity="error",
                message=f"{stage} failed: {type(exc).__name__}: {exc}"[:500],
                evidence=f"{Path(last.filename).name}:{last.lineno}",
            )
        )
        return default


def extract_loaded(loaded: LoadedDocument, *, source: str, with_text: bool = False, debug: bool = False) -> Extraction:
    findings: list[Finding] = [Finding(check=c, severity="warning", message=m) for c, m in loaded.warnings]
    nt = normalise(loaded.pages)
    doc = DocumentInfo(id=loaded.sha256, source=source, pages=len(loaded.pages), format=loaded.format)
    if not nt.text.strip():
        doc.status = "failed"
        doc.error = (
            "no text layer: scanned pages need OCR (run again with --ocr)" if loaded.format == "pdf" else "no text"
        )
        findings.append(Finding(check="no_text", severity="error", message=doc.error))
        return Extraction(document=doc, findings=findings)
    kind, features = classify(nt.text)
    doc.kind, doc.kind_features = kind, features
    if kind == "inconnu":
        not_french = features.get("french_share", 1) < 0.08
        doc.status = "skipped"
        doc.error = (
            "not recognised as a fiche territoriale or a communiqué de presse"
            + (": the text does not look French" if not_french else "") + "; nothing extracted"
        )
        findings.append(Finding(
            check="kind_unknown", severity="warning", message=doc.error,
            evidence=", ".join(f"{k}={v}" for k, v in features.items() if k.startswith(("score", "french"))),
        ))
        if with_text:
            doc.text = nt.text
        return Extraction(document=doc, findings=findings)
    result = Extraction(document=doc)
    result.sections = _guarded(
        "sections", lambda: segment(nt, skip=KIND_MARKERS, caps_titles=kind == "communique_de_presse"), [], findings, debug
    )
    result.measures = _guarded("measures", lambda: extract_measures(nt), [], findings, debug)
    result.tables = _guarded(
        "tables", lambda: pdf_tables(loaded.pages, nt) if loaded.format == "pdf" else text_tables(nt), [], findings, debug
    )
    _extract_entities(result, nt, findings, debug)
    result.bullets = _guarded("bullets", lambda: extract_bullets(nt), [], findings, debug)
    _assign_sections(result)
    _describe(result, nt)
    if with_text:
        doc.text = nt.text
    from .checks.consistency import check_extraction

    findings.extend(_guarded("checks", lambda: check_extraction(result, nt), [], findings, debug))
    result.findings = findings
    if any(f.check == "stage_failed" for f in findings) or loaded.warnings:
        doc.status = "partial"
        doc.error = "; ".join(m for _, m in loaded.warnings) or "some stages failed: see findings"
    return result


def _extract_entities(result: Extraction, nt: NormalisedText, findings: list[Finding], debug: bool) -> None:
    """Places, people, organisations, dates and links; places resolved with the
    document's département once it is known."""
    from .rules.dates import extract_dateline, extract_dates
    from .gazetteer import get_gazetteer
    from .rules.links import extract_links
    from .rules.organizations import OrganizationsFound, find_organizations
    from .rules.people import extract_people
    from .rules.places import extract_places

    doc = result.document
    dateline = _guarded("dateline", lambda: extract_dateline(nt), None, findings, debug)
    year = None
    if dateline:
        doc.date = dateline[1].value
        year = int(doc.date[:4])
    cells = list(row_label_spans(nt))
    from .resources.nlp import entities as ner_entities

    def ner(texts: list[str]):
        return _guarded("ner", lambda: ner_entities(texts), [[] for _ in texts], findings, debug)

    places, place_findings, code = _guarded(
        "places",
        lambda: extract_places(nt, result.measures, table_cells=cells,
                               headings=[(sec.start, sec.end) for sec in result.sections],
                               decide_department=lambda found: _department_of(found, dateline), ner=ner),
        ([], [], None), findings, debug,
    )
    dateline_place = _dateline_place(nt, dateline, code) if dateline else None
    if dateline and dateline_place is not None:
        places = [dateline_place] + [p for p in places if not (p.start < dateline_place.end and dateline_place.start < p.end)]
    # places read from layout (lists, tables) and intercommunality names are never
    # taken as part of an organisation's name; a place inside one is not a place
    # (`syndicat mixte Lot Numérique`, `Conseil départemental de la Haute-Garonne`)
    avoid = [(p.start, p.end) for p in places if p.source in ("list", "table", "dateline") or p.kind == "epci"]
    orgs = _guarded("organizations", lambda: find_organizations(nt, avoid=avoid), OrganizationsFound([], []),
                    findings, debug)
    result.organizations = orgs.records
    inside = [p for p in places if p.source in ("rule", "ner") and p.kind != "epci" and _within(p, orgs.spans)]
    result.places = [p for p in places if p not in inside]
    dropped = {(p.start, p.end) for p in inside}
    findings.extend(f for f in place_findings if (f.start, f.end) not in dropped)
    gaz = get_gazetteer()
    if code:
        dep = gaz.department(code)
        doc.department_code = code
        doc.department_name = dep.name if dep else None

    is_place = lambda name: gaz.resolve(name).status != "unknown"  # noqa: E731
    result.people = _guarded("people", lambda: extract_people(nt, is_place=is_place), [], findings, debug)
    result.dates = _guarded("dates", lambda: extract_dates(nt, default_year=year), [], findings, debug)
    result.links = _guarded("links", lambda: extract_links(nt), [], findings, debug)


def _within(place, spans: list[tuple[int, int]]) -> bool:
    """The place's span lies inside a longer span."""
    return any(a <= place.start and place.end <= b and b - a > place.end - place.start for a, b in spans)


def _department_of(places, dateline) -> Optional[str]:
    """The document's département: a dateline commune, else the most named département,
    else the département of most resolved communes. A dateline commune with homonyms
    (`Valence`, `Moulins`) is the one in a département the document names, else the
    one that is a préfecture."""
    from .gazetteer import get_gazetteer

    gaz = get_gazetteer()
    deps = Counter(p.insee_code for p in places if p.kind == "departement" and p.insee_code)
    communes = Counter(p.department_code for p in places if p.kind == "commune" and p.department_code)
    if dateline:
        res = gaz.resolve(dateline[0], kinds=["commune"])
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


def _dateline_place(nt: NormalisedText, dateline, department_code: Optional[str]):
    """The commune of the dateline (`Belfort, le 14/12/2020`) as a place record."""
    from .gazetteer import get_gazetteer
    from .models import Place
    from .rules.places import uncontract

    place_text, date = dateline
    start = nt.text.rfind(place_text, 0, date.start)
    if start < 0:
        return None
    res = get_gazetteer().resolve(uncontract(place_text), kinds=["commune"], department_code=department_code)
    ev = nt.evidence(start, start + len(place_text))
    e = res.entry
    return Place(name=e.name if e else place_text, kind="commune", insee_code=e.code if e else None,
                 department_code=e.department_code if e else None, source="dateline", **ev.model_dump())


def extract_bullets(nt: NormalisedText) -> list[Bullet]:
    out = []
    for m in re.finditer(r"(?m)^• (.+(?:\n(?!•|\n).+)*)", nt.text):
        item = " ".join(m.group(1).split())
        ev = nt.evidence(m.start(), m.end())
        out.append(Bullet(item=item, **ev.model_dump()))
    return out


def _assign_sections(result: Extraction) -> None:
    for group in (result.measures, result.places, result.bullets):
        for rec in group:
            sec = section_at(result.sections, rec.start)
            rec.section = sec.heading if sec else None
    for table in result.tables:
        if table.start is not None:
            sec = section_at(result.sections, table.start)
            table.section = sec.heading if sec else None


def _describe(result: Extraction, nt: NormalisedText) -> None:
    """Title: a `Fiche territoriale` line or, in a communiqué, the first capitals
    heading after the kind marker."""
    doc = result.document
    titles = [sec.heading for sec in result.sections if fold(sec.heading).startswith("fiche territoriale")]
    lines = [line.strip() for line in nt.text.split("\n")[:40] if fold(line).startswith("fiche territoriale")]
    for title in titles + lines:
        if len(title) < 120:
            doc.title = " ".join(title.split())
            return
    if doc.kind == "communique_de_presse":
        for sec in result.sections:
            if fold(sec.heading) not in KIND_MARKERS:
                doc.title = " ".join(sec.heading.split())
                return
    elif doc.kind == "fiche_territoriale" and doc.department_name:
        doc.title = f"Fiche territoriale – {doc.department_name}"


WARM_UP_TEXT = """COMMUNIQUÉ DE PRESSE

Cahors, le 2 mars 2021

SIGNATURE DU CONTRAT

Marie DUPONT, préfète du Lot, et l'Agence nationale de la cohésion des territoires (ANCT) ont réuni
ce mardi 2 mars les élus de 12 communes, dont Figeac, et de la CA du Grand Cahors : 1,2 million d'euros,
soit 15 % de l'enveloppe.
"""


def warm_up() -> None:
    """Build every lazily loaded resource (spaCy model, gazetteer, compiled patterns)
    by extracting a small document, so that worker processes forked afterwards share
    them instead of building their own."""
    from .reading.load import split_text_pages

    loaded = LoadedDocument(Path("warm-up.txt"), file_sha256(WARM_UP_TEXT.encode()), "text",
                            split_text_pages(WARM_UP_TEXT))
    extract_loaded(loaded, source="warm-up")


def run_info() -> dict:
    from .resources.patterns import patterns_hash

    return {"version": __version__, "patterns_hash": patterns_hash()}
