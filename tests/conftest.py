"""Shared fixtures: corpus paths and extractions made once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
GOLD = CORPUS / "gold"
FICHE_TXT = CORPUS / "fiche-territoriale-lot.txt"
COMMUNIQUE_TXT = CORPUS / "communique-belfort-2020-12-14.txt"
FICHE_PDF = CORPUS / "fiche-territoriale-lot.pdf"
COMMUNIQUE_PDF = CORPUS / "communique-belfort-2020-12-14.pdf"
CORPUS_DOCUMENTS = [FICHE_TXT, FICHE_PDF, COMMUNIQUE_TXT, COMMUNIQUE_PDF]


@pytest.fixture(scope="session")
def extractions():
    """Extraction of every corpus document, computed once."""
    from fiche_extract.pipeline import extract_path

    cache = {}

    def get(path: Path):
        if path not in cache:
            cache[path] = extract_path(path, with_text=True)
        return cache[path]

    return get
