"""Consistency checks over one document's records. Each check is a named, documented
function of the `Document` that yields findings with a severity and the evidence; a
failing check never stops the others. `CHECKS` lists them; `docs/checks.md` describes
them; the `checks` stage runs them all."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Callable, Iterable, Optional

from .. import rx as re

from ..models import Finding, Measure, NormalisedText, Table
from ..stages import stage
from ..folding import fold

if TYPE_CHECKING:
    from ..document import Document

Check = Callable[["Document"], Iterable[Finding]]
CHECKS: dict[str, Check] = {}
PERCENT_TOLERANCE = 1.0  # points: published shares are rounded to the unit
SUM_TOLERANCE = 0.005  # relative: totals may be rounded to the hundred


def check(name: str):
    """Register a check under its finding name."""

    def register(fn: Check) -> Check:
        CHECKS[name] = fn
        return fn

    return register


def _finding(name: str, severity: str, message: str, nt: Optional[NormalisedText], start: Optional[int],
             end: Optional[int], page: Optional[int] = None) -> Finding:
    evidence = nt.text[start:end] if nt is not None and start is not None and end is not None else ""
    if page is None and nt is not None and start is not None:
        page = nt.page_at(start)
    return Finding(check=name, severity=severity, message=message, evidence=" ".join(evidence.split())[:400],
                   page=page, start=start, end=end)


@check("percent_out_of_range")
def percent_out_of_range(doc: "Document") -> Iterable[Finding]:
    """A percentage below 0 or above 100."""
    ex, nt = doc.extraction, doc.text
    for m in ex.measures:
        if m.unit == "percent" and not 0 <= m.value <= 100:
            yield _finding("percent_out_of_range", "warning", f"percentage {m.value:g} is outside 0–100", nt, m.start, m.end)


@check("part_exceeds_total")
def part_exceeds_total(doc: "Document") -> Iterable[Finding]:
    """`N sur T` where N is larger than T."""
    ex, nt = doc.extraction, doc.text
    for m in ex.measures:
        if m.total is not None and m.value > m.total:
            yield _finding("part_exceeds_total", "error", f"{m.value:g} is more than its stated total {m.total:g}",
                           nt, m.start, m.end)


@check("count_matches_list")
def count_matches_list(doc: "Document") -> Iterable[Finding]:
    """An announced count (`20 villes bénéficiaires :`) differs from the number of
    items listed after it."""
    ex, nt = doc.extraction, doc.text
    from ..rules.place_candidates import list_items, list_segments, place_vocabulary

    flat, v = doc.flat, doc.resources.compiled(place_vocabulary)
    for measure, start, end, form in list_segments(flat, ex.measures, nt.text, v):
        items = list_items(flat, start, end, form, v)
        if items and len(items) != measure.value:
            yield _finding(
                "count_matches_list", "error",
                f"{measure.value:g} {measure.object or 'items'} announced, {len(items)} listed",
                nt, measure.start, end,
            )


def _cell_numbers(cell: str) -> tuple[Optional[float], Optional[float]]:
    """`27 700 (21 %)` gives (27700, 21); `45 %` gives (None, 45)."""
    m = re.fullmatch(r"\s*(\d{1,3}(?:[ \u202f]\d{3})*(?:,\d+)?)?\s*(?:\(?\s*(\d+(?:,\d+)?)\s?%\s*\)?)?\s*", cell or "")
    if not m or not (m.group(1) or m.group(2)):
        return None, None
    value = float(re.sub(r"[ \u202f]", "", m.group(1)).replace(",", ".")) if m.group(1) else None
    share = float(m.group(2).replace(",", ".")) if m.group(2) else None
    return value, share


def _table_findings(table: Table, nt: NormalisedText) -> Iterable[Finding]:
    rows = [r for r in table.rows if any(_cell_numbers(c)[0] is not None for c in r[1:])]
    total_rows = [r for r in rows if fold(r[0]).startswith("total")]
    parts = [r for r in rows if not fold(r[0]).startswith("total")]
    where = (table.start, table.end)
    width = max((len(r) for r in rows), default=0)
    totals: dict[int, float] = {}
    if total_rows:
        total = total_rows[0]
        for col in range(1, width):
            stated = _cell_numbers(total[col])[0] if col < len(total) else None
            values = [_cell_numbers(r[col])[0] for r in parts if col < len(r)]
            if stated is None or not values or any(v is None for v in values):
                continue
            totals[col] = stated
            summed = sum(values)
            if abs(summed - stated) > SUM_TOLERANCE * stated:
                yield _finding("table_parts_sum", "error",
                               f"column {col + 1}: parts add up to {summed:g}, the total says {stated:g}",
                               nt, *where, page=table.page)
    for r in rows:
        first_value = None
        for col in range(1, len(r)):
            value, share = _cell_numbers(r[col])
            if value is not None and first_value is None:
                first_value = value
                if share is not None and col in totals and totals[col]:
                    expected = 100 * value / totals[col]
                    if abs(expected - share) > PERCENT_TOLERANCE:
                        yield _finding("table_share", "warning",
                                       f"{r[0]}: {share:g} % stated, {value:g} of {totals[col]:g} is {expected:.1f} %",
                                       nt, *where, page=table.page)
            elif value is not None and share is not None and first_value:
                expected = 100 * value / first_value
                in_column = col in totals and totals[col] and abs(100 * value / totals[col] - share) <= PERCENT_TOLERANCE
                if abs(expected - share) > PERCENT_TOLERANCE and not in_column:
                    yield _finding("table_share", "warning",
                                   f"{r[0]}: {share:g} % stated, {value:g} of {first_value:g} is {expected:.1f} %",
                                   nt, *where, page=table.page)


@check("table_parts_sum")
def table_consistency(doc: "Document") -> Iterable[Finding]:
    """In a table with a TOTAL row: parts that do not add up to the total
    (`table_parts_sum`), and bracketed percentages that match neither the share
    of the column total nor the share of the row's first figure (`table_share`)."""
    ex, nt = doc.extraction, doc.text
    for table in ex.tables:
        yield from _table_findings(table, nt)


@check("place_outside_department")
def place_outside_department(doc: "Document") -> Iterable[Finding]:
    """A commune of another département given in a sentence that places it in the
    document's département (`dont 2 dans le Lot : … à Agen`)."""
    ex, nt = doc.extraction, doc.text
    dep_code, dep_name = ex.document.department_code, ex.document.department_name
    if not dep_code or not dep_name:
        return
    flat = doc.flat
    claim = re.compile(rf"\b(?:dans|en) (?:le |la |les |l')?(?:{re.escape(dep_name)}|département)\b", re.IGNORECASE)
    for p in ex.places:
        if p.kind != "commune" or not p.department_code or p.department_code == dep_code:
            continue
        sentence_start = max(flat.rfind(". ", 0, p.start), flat.rfind("\n\n", 0, p.start)) + 1
        said = claim.search(flat, sentence_start, p.start)
        if said:
            yield _finding(
                "place_outside_department", "error",
                f"{p.name} ({p.insee_code}) is in département {p.department_code}, "
                f"but the text places it {said.group(0)}",
                nt, said.start(), p.end,
            )


@check("figure_stated_twice")
def figure_stated_twice(doc: "Document") -> Iterable[Finding]:
    """The same figure (section, object, unit, scope and total) stated with different
    values. Table cells are left out: their objects are row labels; so are figures of
    different bullet items (`• Grasse : création d'une maison de santé (1,8 M€)` and
    `• Vence : création d'une maison de santé (1,6 M€)` are two projects)."""
    ex, nt = doc.extraction, doc.text
    in_tables = [(t.start, t.end) for t in ex.tables if t.start is not None]
    bullets = [(b.start, b.end) for b in ex.bullets]
    groups: dict[tuple, list[Measure]] = defaultdict(list)
    for m in ex.measures:
        if not m.object or any(s <= m.start < e for s, e in in_tables):
            continue
        item = next((s for s, e in bullets if s <= m.start < e), None)
        groups[(m.section, fold(m.object), m.unit, m.scope, m.total, item)].append(m)
    for (_, obj, unit, _, _, _), ms in groups.items():
        values = sorted({m.value for m in ms})
        if len(values) > 1:
            first = ms[0]
            yield _finding(
                "figure_stated_twice", "warning",
                f"'{first.object}' ({unit}) is given as " + " and ".join(f"{v:g}" for v in values),
                nt, first.start, ms[-1].end,
            )


@check("required_section_missing")
def required_section_missing(doc: "Document") -> Iterable[Finding]:
    """A section every document of this kind has (`patterns/sections.yaml`, `required`)
    is not there."""
    ex = doc.extraction
    required = doc.patterns["sections"].get("required", {}).get(ex.document.kind, []) or []
    present = {fold(s.heading) for s in ex.sections}
    for heading in required:
        if fold(heading) not in present:
            yield Finding(check="required_section_missing", severity="warning",
                          message=f"no section '{heading}' in this {ex.document.kind.replace('_', ' ')}")


NUMBER_LIKE = re.compile(r"(?<![\p{L}\d])\d[\d .,]*\d?\s?(?:%|€|M€|Md€|euros?\b|ETP\b)")


@check("number_not_parsed")
def number_not_parsed(doc: "Document") -> Iterable[Finding]:
    """Digits written next to a unit (`%`, `€`, `euros`, `ETP`) that no measure took:
    a form the rules do not read (`3.5 M€`, `12,5,3 %`)."""
    ex, nt = doc.extraction, doc.text
    flat = doc.flat
    taken = [(m.start, m.end) for m in ex.measures]
    for m in NUMBER_LIKE.finditer(flat):
        s, e = m.start(), m.end()
        if not any(ts < e and s < te for ts, te in taken):
            yield _finding("number_not_parsed", "warning", f"'{m.group(0).strip()}' looks like a figure but was not read",
                           nt, s, e)


def check_document(doc: "Document") -> list[Finding]:
    """Every check's findings; a check that breaks is itself a finding."""
    out: list[Finding] = []
    for name, fn in CHECKS.items():
        try:
            out.extend(fn(doc))
        except Exception as exc:  # a broken check is itself a finding
            if doc.debug:
                raise
            out.append(Finding(check="check_failed", severity="error", message=f"{name}: {type(exc).__name__}: {exc}"))
    return out


@stage("checks", requires=["measures", "places", "tables", "sections", "bullets", "department"], assigns=["findings"])
def checks_stage(doc: "Document") -> None:
    """Consistency findings over the document's records."""
    doc.extraction.findings.extend(check_document(doc))
