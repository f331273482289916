"""Mutated corpus files (Hypothesis): no exception escapes, every input gets a row,
the database stays sound.

The examples are the same at every run (derandomized), so CI is repeatable; explore
further with `FICHE_EXTRACT_FUZZ_EXAMPLES=2000 FICHE_EXTRACT_FUZZ_RANDOM=1 .venv/bin/pytest tests/test_fuzz.py`.
"""

import os
import sqlite3

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import COMMUNIQUE_PDF, COMMUNIQUE_TXT, FICHE_PDF, FICHE_TXT
from fiche_extract.pipeline import extract_path
from fiche_extract.storage.store import open_db, save_extraction

SOURCES = [COMMUNIQUE_TXT.read_bytes(), FICHE_TXT.read_bytes(), COMMUNIQUE_PDF.read_bytes(), FICHE_PDF.read_bytes()]
EXAMPLES = int(os.environ.get("FICHE_EXTRACT_FUZZ_EXAMPLES", "80"))
RANDOM = bool(os.environ.get("FICHE_EXTRACT_FUZZ_RANDOM"))


@st.composite
def mutated(draw):
    data = bytearray(draw(st.sampled_from(SOURCES)))
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["flip", "cut", "insert", "duplicate"]))
        pos = draw(st.integers(0, max(0, len(data) - 1)))
        if op == "flip" and data:
            data[pos] = draw(st.integers(0, 255))
        elif op == "cut":
            del data[pos:pos + draw(st.integers(1, 2000))]
        elif op == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=64))
        else:
            data[pos:pos] = data[pos:pos + draw(st.integers(1, 500))]
    suffix = ".pdf" if data[:5] == b"%PDF-" else draw(st.sampled_from([".txt", ".pdf"]))
    return bytes(data), suffix


@settings(max_examples=EXAMPLES, derandomize=not RANDOM, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(case=mutated())
def test_mutated_inputs_never_crash_and_always_leave_a_row(tmp_path, case):
    data, suffix = case
    path = tmp_path / f"mutant{suffix}"
    path.write_bytes(data)
    ex = extract_path(path, with_text=True)  # must not raise
    assert ex.document.status in {"ok", "partial", "failed", "skipped"}
    if ex.document.status == "failed":
        assert ex.document.error
    db_path = tmp_path / "fuzz.db"
    db = open_db(db_path)
    save_extraction(db, ex)
    db.conn.close()
    con = sqlite3.connect(db_path)
    assert con.execute("SELECT COUNT(*) FROM documents WHERE id = ?", [ex.document.id]).fetchone()[0] == 1
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    con.close()
