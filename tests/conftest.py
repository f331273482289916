"""Shared fixtures: corpus paths and extractions made once per test session."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.request
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


@pytest.fixture
def extract_text(tmp_path):
    """Extract an in-memory text through the whole pipeline, as a `.txt` document."""
    from fiche_extract.pipeline import extract_path

    counter = iter(range(1000))

    def run(text: str, name: str = "document"):
        path = tmp_path / f"{name}-{next(counter)}.txt"
        path.write_text(text, encoding="utf-8")
        return extract_path(path, with_text=True)

    return run


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/ from the current extraction")


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory):
    """The corpus extracted by the CLI into a database, once per session (tests
    that change it work on a copy)."""
    import subprocess
    import sys

    db = tmp_path_factory.mktemp("corpus-db") / "fiches.db"
    subprocess.run([sys.executable, "-m", "fiche_extract.cli", "run", *map(str, CORPUS_DOCUMENTS), "--db", str(db)],
                   check=True, capture_output=True)
    return db


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serving(db: Path):
    """`fiche-extract serve DB` on a free port, once it answers: yields its base url,
    stops it after."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "fiche_extract.cli", "serve", str(db), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)
