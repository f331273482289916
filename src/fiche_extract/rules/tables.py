"""Tables as header plus rows: from the PDF's ruled tables, and best effort from text
(consecutive lines of a label followed by figures)."""

from __future__ import annotations

from typing import Iterable

from .. import rx as re

from ..models import NormalisedText, Page, Table
from ..stages import stage

FIGURE = r"\d{1,3}(?:SEP\d{3})*(?:,\d+)?(?: ?%)?(?: \(\d{1,3}(?:,\d+)? ?%\))?"


def _figure_res(narrow: bool) -> tuple["re.Pattern", "re.Pattern"]:
    """(row, cell) regexes. Digit groups are joined by narrow no-break spaces when the
    document uses them (a plain space then separates two cells: `521 000 291 500` is
    two figures), else by plain spaces."""
    figure = FIGURE.replace("SEP", "\u202f" if narrow else "[ \u202f]")
    row = re.compile(rf"^(?P<label>[\p{{L}}][^\d]*?) (?P<cells>{figure}(?: {figure})+)$")
    return row, re.compile(figure)


FIGURE_RES = {narrow: _figure_res(narrow) for narrow in (True, False)}


def pdf_tables(pages: list[Page], nt: NormalisedText) -> list[Table]:
    """Tables pdfplumber found, placed in the normalised text by their row lines."""
    out = []
    row_lines = [(s, nt.lines[s.line]) for s in nt.spans if s.line < len(nt.lines) and nt.lines[s.line].cells]
    for page in pages:
        for raw in page.tables:
            spans = [s for s, line in row_lines if line.page == raw.page and raw.bbox and abs(line.x0 - raw.bbox[0]) < 1]
            start = min((s.start for s in spans), default=None)
            end = max((s.end for s in spans), default=None)
            width = max(len(r) for r in raw.rows)
            rows = [r + [""] * (width - len(r)) for r in raw.rows]
            out.append(Table(page=raw.page, header=rows[0], rows=rows[1:], start=start, end=end, bbox=raw.bbox))
    return out


def text_tables(nt: NormalisedText) -> list[Table]:
    """Runs of at least two lines `label figure figure...` (a flattened table)."""
    out: list[Table] = []
    run: list[tuple[int, int, re.Match]] = []
    row_re, cell_re = FIGURE_RES["\u202f" in nt.text]
    pos = 0
    for line in nt.text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        m = row_re.match(line)
        if m:
            run.append((start, end, m))
        elif line.strip() == "" and run:
            continue  # blank lines may separate flattened rows
        else:
            if len(run) >= 2:
                out.append(_table_from_run(nt, run, cell_re))
            run = []
    if len(run) >= 2:
        out.append(_table_from_run(nt, run, cell_re))
    return out


def _table_from_run(nt: NormalisedText, run, cell_re) -> Table:
    rows = []
    for _, _, m in run:
        rows.append([m.group("label").strip()] + [c.group(0) for c in cell_re.finditer(m.group("cells"))])
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    start, end = run[0][0], run[-1][1]
    return Table(page=nt.page_at(start), header=[""] * width, rows=rows, start=start, end=end)


def row_label_spans(nt: NormalisedText) -> Iterable[tuple[int, int]]:
    """Spans of the first cell of each PDF table body row (where places such as project
    holders stand)."""
    seen_header: set[tuple[int, float]] = set()
    seen_lines: set[int] = set()
    for s in nt.spans:
        if s.line in seen_lines:
            continue  # a line has one span per word: its first starts the row
        seen_lines.add(s.line)
        line = nt.lines[s.line] if s.line < len(nt.lines) else None
        if not line or not line.cells or not line.cells[0]:
            continue
        key = (line.page, line.x0)
        if key not in seen_header:
            seen_header.add(key)  # the first row of a table is its header
            continue
        first = " ".join(line.cells[0].split())
        if nt.text[s.start:s.start + len(first)] == first:
            yield s.start, s.start + len(first)


@stage("tables", requires=["text"], assigns=["tables"])
def tables_stage(doc) -> None:
    """Tables: the PDF's (ruled or aligned), or flattened rows of a text."""
    doc.extraction.tables = pdf_tables(doc.pages, doc.text) if doc.is_pdf else text_tables(doc.text)
