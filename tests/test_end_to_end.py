"""The whole pipeline on every corpus document, text and PDF, against the gold annotations."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections import Counter

import pytest

from conftest import COMMUNIQUE_PDF, COMMUNIQUE_TXT, CORPUS_DOCUMENTS, FICHE_PDF, FICHE_TXT, GOLD
from fiche_extract.review.evaluate import evaluate_document, gold_for

MIN_F1 = 0.95


@pytest.mark.parametrize("path", CORPUS_DOCUMENTS, ids=lambda p: p.name)
@pytest.mark.parametrize("rtype", ["measures", "places"])
def test_f1_against_gold(extractions, path, rtype):
    gold = gold_for(path, GOLD)
    assert gold is not None, f"no gold for {path.name}"
    ex = extractions(path).model_dump(mode="json")
    score, extra, missed = evaluate_document(ex, gold, codes=True)[rtype]
    assert score.f1 >= MIN_F1, f"{rtype} F1 {score.f1:.3f}; extra {extra}; missed {missed}"


@pytest.mark.parametrize("txt,pdf", [(FICHE_TXT, FICHE_PDF), (COMMUNIQUE_TXT, COMMUNIQUE_PDF)], ids=["fiche", "communique"])
def test_text_and_pdf_yield_the_same_measures(extractions, txt, pdf):
    key = lambda m: (m.value, m.unit, m.total, m.section)  # noqa: E731
    from_text = Counter(key(m) for m in extractions(txt).measures)
    from_pdf = Counter(key(m) for m in extractions(pdf).measures)
    assert from_text == from_pdf, f"only in text: {from_text - from_pdf}; only in PDF: {from_pdf - from_text}"


@pytest.mark.parametrize("path", CORPUS_DOCUMENTS, ids=lambda p: p.name)
def test_document_fields(extractions, path):
    gold = gold_for(path, GOLD)["document"]
    doc = extractions(path).document
    assert doc.kind == gold["kind"]
    assert doc.department_code == gold["department_code"]
    assert doc.date == gold["date"]
    assert doc.pages == gold["pages"]
    assert doc.status == "ok"


@pytest.mark.parametrize("path", CORPUS_DOCUMENTS, ids=lambda p: p.name)
def test_evidence_spans_hold_the_matched_text(extractions, path):
    ex = extractions(path)
    text = ex.document.text
    for group in (ex.measures, ex.places, ex.people, ex.organizations, ex.dates):
        for rec in group:
            assert text[rec.start:rec.end] == rec.text, rec
            assert 1 <= rec.page <= ex.document.pages
    if path.suffix == ".pdf":
        assert all(m.bbox is not None for m in ex.measures)


def test_cli_extract_prints_the_record_contract():
    out = subprocess.run(
        [sys.executable, "-m", "fiche_extract.cli", "extract", str(COMMUNIQUE_TXT)],
        capture_output=True, text=True, check=True,
    )
    data = json.loads(out.stdout)
    for key in ("document", "sections", "measures", "places", "people", "organizations", "dates", "tables", "findings"):
        assert key in data
    for key in ("id", "source", "kind", "title", "department_code", "department_name", "date", "pages"):
        assert key in data["document"]
    assert "text" not in data["document"]


def test_cli_run_stores_both_forms_and_replaces_on_rerun(tmp_path):
    db_path = tmp_path / "fiches.db"
    cmd = [sys.executable, "-m", "fiche_extract.cli", "run", *map(str, CORPUS_DOCUMENTS), "--db", str(db_path)]
    first = subprocess.run(cmd, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    assert "4 documents" in first.stdout
    con = sqlite3.connect(db_path)
    docs = con.execute("SELECT format, kind, status FROM documents ORDER BY source").fetchall()
    assert sorted(docs) == sorted(
        [("pdf", "communique_de_presse", "ok"), ("text", "communique_de_presse", "ok"),
         ("pdf", "fiche_territoriale", "ok"), ("text", "fiche_territoriale", "ok")]
    )
    counts = con.execute("SELECT COUNT(*) FROM measures").fetchone()[0]
    run = con.execute("SELECT version, patterns_hash FROM runs").fetchone()
    assert run[0] and len(run[1]) == 64
    con.close()
    subprocess.run(cmd + ["--force"] if "--force" in _run_help() else cmd, capture_output=True, text=True, check=True)
    con = sqlite3.connect(db_path)
    assert con.execute("SELECT COUNT(*) FROM measures").fetchone()[0] == counts
    assert con.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 4
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []


def _run_help() -> str:
    return subprocess.run([sys.executable, "-m", "fiche_extract.cli", "run", "--help"], capture_output=True, text=True).stdout


def test_cli_eval_prints_scores():
    out = subprocess.run(
        [sys.executable, "-m", "fiche_extract.cli", "eval", "--gold", str(GOLD), str(FICHE_TXT)],
        capture_output=True, text=True, check=True,
    )
    assert "measures" in out.stdout and "F1" in out.stdout
