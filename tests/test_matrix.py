"""The producer matrix (tests/matrix/, `make matrix`): both corpus documents printed by
Chromium, WeasyPrint, LibreOffice, Typst and fpdf2 in three layouts, read back with
the default engine and held to the corpus gold, the text form's sections and
findings, and no running header or footer in any record."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from conftest import CORPUS, GOLD, ROOT
from fiche_extract import rx as re
from fiche_extract.pipeline import extract_path
from fiche_extract.review.evaluate import evaluate_document, gold_for

MATRIX = sorted((ROOT / "tests" / "matrix").glob("*.pdf"))
SCORED = ("measures", "places", "people", "organizations", "dates")
MIN_F1 = 0.97
RECORD_TYPES = ("sections", "measures", "places", "people", "organizations", "dates", "allocations", "links")
# what a margin prints: `Page 3 / 6`, a browser's `6/15/21, 10:00 AM` and `file:///…`
MARGIN_TEXT = re.compile(r"(?i:page)\s*\d+\s*/\s*\d+|\d{1,2}/\d{1,2}/\d{2},\s+\d{1,2}:\d{2}\s*[AP]M|file://")


def _ids(path: Path) -> str:
    doc, producer, layout = path.stem.split("--")
    return f"{doc.split('-')[0]}-{producer}-{layout}"


@lru_cache(maxsize=None)
def extracted(path: Path) -> dict:
    return extract_path(path, with_text=True).model_dump(mode="json")


@lru_cache(maxsize=None)
def text_form(path: Path) -> dict:
    """The same document's text form, from the corpus."""
    return extracted(CORPUS / f"{path.stem.split('--')[0]}.txt")


def test_the_matrix_is_complete():
    producers = {p.stem.split("--")[1] for p in MATRIX}
    layouts = {p.stem.split("--")[2] for p in MATRIX}
    assert producers == {"chromium", "weasyprint", "libreoffice", "typst", "fpdf2"}
    assert layouts == {"plain", "serif", "twocol"}
    assert len(MATRIX) == 2 * len(producers) * len(layouts)


@pytest.mark.parametrize("pdf", MATRIX, ids=_ids)
def test_records_match_the_gold(pdf):
    scores = evaluate_document(extracted(pdf), gold_for(pdf, GOLD), codes=True)
    low = {t: round(scores[t][0].f1, 3) for t in SCORED if scores[t][0].f1 < MIN_F1}
    assert not low, low


@pytest.mark.parametrize("pdf", MATRIX, ids=_ids)
def test_sections_are_the_text_forms(pdf):
    def tree(ex):
        return [(s["level"], s["path"]) for s in ex["sections"]]

    assert tree(extracted(pdf)) == tree(text_form(pdf))


@pytest.mark.parametrize("pdf", MATRIX, ids=_ids)
def test_findings_are_the_text_forms(pdf):
    def findings(ex):
        return sorted((f["check"], f["severity"], f["evidence"] or "") for f in ex["findings"])

    assert findings(extracted(pdf)) == findings(text_form(pdf))


@pytest.mark.parametrize("pdf", MATRIX, ids=_ids)
def test_no_running_line_in_any_record(pdf):
    ex = extracted(pdf)
    running = ex["document"]["running_lines"]
    layout = pdf.stem.split("--")[2]
    if layout == "serif" or pdf.stem.endswith("chromium--plain"):  # a running header and a numbered footer, or the browser's
        assert running, "the running header and footer were not recognised"
    for kind in RECORD_TYPES:
        for record in ex[kind]:
            for field in ("text", "name", "heading", "object", "body", "role", "beneficiary"):
                value = record.get(field)
                if not isinstance(value, str):
                    continue
                assert not MARGIN_TEXT.search(value), (kind, field, value)
                assert not any(len(r) > 12 and r in value for r in running), (kind, field, value)
