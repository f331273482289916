"""Review pages and run-to-run diffs, rendered for real and read back."""

import json
import shutil
import sqlite3
import subprocess
import sys

import pytest

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory):
    """A communiqué whose text holds markup that must never run."""
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "communique-script.txt").write_text(
        "COMMUNIQUÉ DE PRESSE\n\nMende, le 3 mars 2021\n\nTITRE <script>alert('x')</script>\n\n"
        "Valérie HATSCH, préfète de la Lozère, annonce 12 espaces France Services <img src=x onerror=alert(1)>.\n\n"
        "Puis <script>document.title='PWNED'</script> et <img src=y onerror=\"document.body.setAttribute('data-pwned','1')\">.\n",
        encoding="utf-8",
    )
    db = folder / "h.db"
    subprocess.run([sys.executable, "-m", "fiche_extract.cli", "run", str(folder), "--db", str(db)], check=True,
                   capture_output=True)
    return db


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "fiche_extract.cli", *map(str, args)], capture_output=True, text=True)


def test_review_pages_show_every_value_in_its_text(corpus_db, tmp_path):
    out = run_cli("review", corpus_db, "--html", tmp_path / "review")
    assert out.returncode == 0, out.stderr
    con = sqlite3.connect(corpus_db)
    doc_id, n_measures, n_places = con.execute(
        "SELECT d.id, (SELECT COUNT(*) FROM measures m WHERE m.document_id = d.id),"
        " (SELECT COUNT(*) FROM places p WHERE p.document_id = d.id) FROM documents d WHERE d.source LIKE '%lot.pdf'"
    ).fetchone()
    page = (tmp_path / "review" / f"{doc_id}.html").read_text(encoding="utf-8")
    assert page.count("<mark class='measures'") >= n_measures
    assert page.count("<mark class='places'") >= n_places
    assert "place_outside_department" in page and "Agen" in page  # findings at the top
    assert page.index("id='findings'") < page.index("id='text'")
    assert "evidence</a>" in page  # table rows link to their evidence
    records = json.loads(page.split("<script id='records' type='application/json'>")[1].split("</script>")[0])
    assert sum(r["type"] == "measures" for r in records.values()) == n_measures
    assert (tmp_path / "review" / "index.html").exists()


def test_review_escapes_document_text(hostile_db, tmp_path):
    out = run_cli("review", hostile_db, "--html", tmp_path / "r")
    assert out.returncode == 0, out.stderr
    page = next(p for p in (tmp_path / "r").glob("*.html") if p.name != "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert" in page and "&lt;img src=x onerror" in page
    # only the page's own two script elements
    assert page.count("<script") == 2


def test_review_page_in_a_real_browser_runs_none_of_the_document_text(hostile_db, tmp_path):
    """Headless Chromium (Debian's, installed by `make test` as root) loads the page:
    its own script runs, the document's markup is only text."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("Chromium is not installed (make test installs it as root)")
    out = run_cli("review", hostile_db, "--html", tmp_path / "r")
    assert out.returncode == 0, out.stderr
    page = next(p for p in (tmp_path / "r").glob("*.html") if p.name != "index.html")
    dom = subprocess.run(
        [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=3000",
         "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120,
    ).stdout
    assert "<mark class=\"measures\"" in dom or "<mark class='measures'" in dom or 'class="measures"' in dom
    assert "document.title='PWNED'" in dom  # shown as text
    assert "<title>PWNED</title>" not in dom
    body = dom[dom.index("<body"):dom.index(">", dom.index("<body"))]
    assert "data-pwned" not in body


def test_diff_matches_records_on_meaning(corpus_db, tmp_path):
    new = tmp_path / "new.db"
    shutil.copy(corpus_db, new)
    con = sqlite3.connect(new)
    # same facts in other rows: reversed row order must not count as a change
    con.execute("UPDATE measures SET id = -id")
    con.execute("UPDATE measures SET value = 16 WHERE value = 15 AND unit = 'count'")
    con.execute("DELETE FROM places WHERE name = 'Leyme'")
    con.execute("UPDATE places SET insee_code = NULL WHERE name = 'Frontenac'")
    con.commit()
    con.close()
    out = run_cli("diff", corpus_db, new, "--json")
    data = json.loads(out.stdout)
    changes = [c for d in data["documents"] for c in d["changes"]]
    kinds = sorted((c["record"], c["change"], c["label"]) for c in changes)
    per_doc = [
        ("measures", "changed", "espaces France Services (count)"),
        ("places", "changed", "Frontenac"),
        ("places", "removed", "Leyme"),
    ]
    assert kinds == sorted(per_doc * 2)  # the text and PDF forms of the fiche
    assert {d["status"] for d in data["documents"] if "communique" in d["source"]} == {"same"}
    assert run_cli("diff", corpus_db, new, "--fail-on", "changes").returncode == 1
    assert run_cli("diff", corpus_db, corpus_db, "--fail-on", "changes").returncode == 0


def test_diff_html_puts_changes_next_to_their_source(corpus_db, hostile_db, tmp_path):
    out = run_cli("diff", corpus_db, hostile_db, "--html", tmp_path / "d.html")
    assert out.returncode == 0
    page = (tmp_path / "d.html").read_text(encoding="utf-8")
    assert "communique-script.txt" in page and "added" in page
    new = tmp_path / "n.db"
    shutil.copy(hostile_db, new)
    con = sqlite3.connect(new)
    con.execute("UPDATE measures SET value = 13")
    con.commit()
    con.close()
    run_cli("diff", hostile_db, new, "--html", tmp_path / "e.html")
    page = (tmp_path / "e.html").read_text(encoding="utf-8")
    assert "<mark>12</mark>" in page and "&lt;img src=x" in page and "<img src=x" not in page


def test_review_file_names_stay_in_the_folder():
    from fiche_extract.review.pages import page_name

    assert page_name("../../etc/passwd") == "etc_passwd.html"
    assert "/" not in page_name("a/b\\c") and page_name("..") == "document.html"
