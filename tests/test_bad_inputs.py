"""The bad-input corpus (scripts/make_bad_inputs.py): every file gets a row with a
status and a message a person understands, and the batch goes on."""

import shutil
import sqlite3
import subprocess
import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import make_bad_inputs  # noqa: E402


@pytest.fixture(scope="module")
def bad(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad")
    make_bad_inputs.write_all(folder)
    db = folder.parent / "bad.db"
    out = subprocess.run([sys.executable, "-m", "fiche_extract.cli", "run", str(folder), "--db", str(db), "--workers", "2"],
                         capture_output=True, text=True)
    return folder, db, out


def test_every_bad_input_gets_its_status_and_message(bad):
    folder, db, out = bad
    con = sqlite3.connect(db)
    got = {row[0]: row[1:] for row in con.execute("SELECT source, status, error FROM documents")}
    assert len(got) == len(make_bad_inputs.EXPECTED)
    for name, (status, words) in make_bad_inputs.EXPECTED.items():
        row_status, error = got[str(folder / name)]
        assert row_status == status, (name, row_status, error)
        assert words in (error or ""), (name, error)
    kind = con.execute("SELECT kind FROM documents WHERE source = ?", [str(folder / "unrelated-french.txt")]).fetchone()
    assert kind == ("autre",)  # read, not refused
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_the_batch_reports_failures_without_tracebacks(bad):
    _, _, out = bad
    assert out.returncode == 1
    assert "Traceback" not in out.stdout + out.stderr
    failed = sum(1 for s, _ in make_bad_inputs.EXPECTED.values() if s == "failed")
    assert f"{failed} failed" in out.stdout


def test_partial_documents_keep_what_was_read_and_say_why(bad):
    folder, db, _ = bad
    con = sqlite3.connect(db)
    for name, check in [("thousands-of-pages.pdf", "pages_truncated"), ("long-lines.txt", "lines_clipped")]:
        doc_id, kind = con.execute("SELECT id, kind FROM documents WHERE source = ?", [str(folder / name)]).fetchone()
        assert kind == "communique_de_presse"
        assert con.execute("SELECT COUNT(*) FROM findings WHERE document_id = ? AND \"check\" = ?", [doc_id, check]).fetchone()[0] == 1
        assert con.execute("SELECT COUNT(*) FROM people WHERE document_id = ?", [doc_id]).fetchone()[0] >= 1


def test_missing_section_is_a_finding(bad):
    folder, db, _ = bad
    con = sqlite3.connect(db)
    messages = [r[0] for r in con.execute(
        "SELECT f.message FROM findings f JOIN documents d ON d.id = f.document_id WHERE d.source = ?",
        [str(folder / "fiche-missing-section.txt")])]
    assert "no section 'Numérique' in this fiche territoriale" in messages


def run_extract(*args):
    return subprocess.run([sys.executable, "-m", "fiche_extract.cli", "extract", *map(str, args)], capture_output=True, text=True)


def test_password_and_encoding_options(bad):
    from fiche_extract.pipeline import extract_path

    folder, _, _ = bad
    opened = extract_path(folder / "encrypted-user-password.pdf", password="secret")
    assert opened.document.status == "ok" and opened.document.kind == "communique_de_presse"
    wrong = extract_path(folder / "encrypted-user-password.pdf", password="nope")
    assert wrong.document.status == "failed" and "the password is wrong" in wrong.document.error
    for name, encoding in [("latin-1.txt", "latin-1"), ("utf-16.txt", "utf-16")]:
        ex = extract_path(folder / name, encoding=encoding, with_text=True)
        assert ex.document.status == "ok", (name, ex.document.error)
        assert "Belfort" in ex.document.text and "\ufffd" not in ex.document.text


def test_wrong_password_on_the_command_line_is_one_clear_line(bad):
    folder, _, _ = bad
    wrong = run_extract(folder / "encrypted-user-password.pdf", "--password", "nope")
    assert wrong.returncode == 1 and "the password is wrong" in wrong.stdout
    assert "Traceback" not in wrong.stdout + wrong.stderr


def test_html_outputs_escape_hostile_text_and_names(bad, tmp_path):
    """Review pages and the HTML diff over the whole bad corpus: markup in document
    text and in file names shows as text, and every page stays in its folder."""
    from fiche_extract.review.diff import diff_databases, to_html
    from fiche_extract.review.pages import write_review
    from fiche_extract.storage.store import open_db

    folder, db, _ = bad
    out = tmp_path / "review"
    pages = write_review(db, out)
    assert len(pages) == len(make_bad_inputs.EXPECTED)
    assert all(p.parent == out.resolve() for p in pages)
    empty = tmp_path / "empty.db"
    open_db(empty).conn.close()
    diff_page = to_html(diff_databases(empty, db))
    texts = [p.read_text(encoding="utf-8") for p in [*pages, out / "index.html"]] + [diff_page]
    for page in texts:
        for raw in ("<script>alert", "<img src=x", "<b>Contact", "<a href='javascript"):
            assert raw not in page
    everything = "".join(texts)
    assert "&lt;script&gt;alert" in everything and "name-&lt;img src=x onerror=alert(1)&gt;.txt" in everything
    assert "&lt;b&gt;Contact presse&lt;/b&gt;" in everything


def test_debug_shows_the_traceback_only_when_asked(tmp_path):
    missing = tmp_path / "nope.txt"
    quiet = subprocess.run([sys.executable, "-m", "fiche_extract.cli", "review", str(missing), "--html", str(tmp_path)],
                           capture_output=True, text=True)
    assert quiet.returncode == 2 and "Traceback" not in quiet.stderr and "no database" in quiet.stderr


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract is not installed (make test installs it as root)")
def test_ocr_reads_a_scanned_page(bad):
    folder, _, _ = bad
    import json

    out = run_extract(folder / "scanned.pdf", "--ocr")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["document"]["kind"] == "communique_de_presse" and data["document"]["date"] == "2021-03-03"
    assert [m["value"] for m in data["measures"]] == [12]


def test_ocr_missing_says_how_to_install(bad, monkeypatch):
    folder, _, _ = bad
    from fiche_extract.pipeline import extract_path

    monkeypatch.setenv("PATH", "/nonexistent")
    ex = extract_path(folder / "scanned.pdf", ocr=True)
    assert ex.document.status == "failed" and "apt-get install tesseract-ocr" in ex.document.error


def test_sql_is_parameterised():
    """Every SQL string built with an f-string interpolates only table names from the
    code, never values (those go as parameters)."""
    import re

    sql_call = re.compile(r"\.(?:execute|executemany|executescript|query)\(\s*f[\"'](.*?)[\"']")
    for path in [*(ROOT / "src" / "fiche_extract").glob("*.py"), *(ROOT / "scripts").glob("*.py")]:
        for m in sql_call.finditer(path.read_text(encoding="utf-8")):
            names = re.findall(r"\{([^}]*)\}", m.group(1))
            assert all(n in {"table", "SEARCH"} for n in names), (path.name, m.group(0))
