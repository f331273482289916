"""The database as journalists see it: the guide's queries, full-text search,
Datasette serving read-only, exports."""

import json
import re
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from conftest import CORPUS_DOCUMENTS, GOLD, ROOT, serving

GUIDE = ROOT / "docs" / "journalists.md"


def gold(name):
    return json.loads((GOLD / f"{name}.json").read_text(encoding="utf-8"))


def guide_queries():
    from fiche_extract.storage.serve import publication

    return publication()["queries"]


def test_guide_is_written_from_the_canned_queries():
    sys.path.insert(0, str(ROOT / "scripts"))
    import journalist_guide

    assert GUIDE.read_text(encoding="utf-8") == journalist_guide.render(), "run `make guide`"
    blocks = re.findall(r"```sql\n(.*?)\n```", GUIDE.read_text(encoding="utf-8"), re.S)
    assert len(blocks) == len(guide_queries()) >= 10


@pytest.mark.parametrize("name", list(guide_queries()))
def test_every_guide_query_runs_on_the_corpus(corpus_db, name):
    q = guide_queries()[name]
    con = sqlite3.connect(corpus_db)
    rows = con.execute(q["sql"], q.get("example") or {}).fetchall()
    assert rows, f"{name} answers nothing on the corpus"


def test_answers_match_the_documents(corpus_db):
    con = sqlite3.connect(corpus_db)
    q = guide_queries()
    pvd = [p["name"] for p in gold("fiche-territoriale-lot")["places"] if p["section"] == "Petites villes de demain"]
    got = [r[0] for r in con.execute(q["communes_in_programme"]["sql"], {"departement": "46", "programme": ""})]
    assert sorted(got) == sorted(pvd)
    euros = {r[0]: r[3] for r in con.execute(q["euros_per_programme"]["sql"])}
    assert euros["Action cœur de ville"] == 16042963  # the PDF and the text are counted once
    fs = [r[1] for r in con.execute(q["france_services_figures"]["sql"])]
    assert 15 in fs
    people = {r[0]: r[1] for r in con.execute(q["people_and_roles"]["sql"])}
    assert people["Jean-Marie Girier"] == "préfet du Territoire de Belfort"


def test_full_text_search_ignores_accents_and_follows_reextraction(corpus_db, tmp_path):
    con = sqlite3.connect(corpus_db)
    hits = con.execute("SELECT DISTINCT section FROM search WHERE search MATCH 'eveque'").fetchall()
    assert ("France Services",) in hits and ("Petites villes de demain",) in hits
    n = con.execute("SELECT COUNT(*) FROM search").fetchone()[0]
    subprocess.run([sys.executable, "-m", "fiche_extract.cli", "run", *map(str, CORPUS_DOCUMENTS), "--db", str(corpus_db), "--force"],
                   check=True, capture_output=True)
    assert con.execute("SELECT COUNT(*) FROM search").fetchone()[0] == n  # replaced, not doubled


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, json.loads(r.read().decode())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read().decode() or "{}")


def test_serve_answers_canned_queries_and_search_and_refuses_writes(corpus_db):
    with serving(corpus_db) as base:
        status, rows = get(f"{base}/fiches/communes_in_programme.json?departement=46&programme=&_shape=array")
        assert status == 200 and len(rows) == 20 and {"commune": "Vayrac", "insee_code": "46330"} in rows
        status, rows = get(f"{base}/fiches/search.json?_search=rocamadour&_shape=array")
        assert status == 200 and {r["record"] for r in rows} >= {"place"}
        status, meta = get(f"{base}/-/metadata.json")
        assert "Which communes" in meta["databases"]["fiches"]["queries"]["communes_in_programme"]["title"]
        status, _ = get(f"{base}/fiches.json?sql=DELETE+FROM+documents")
        assert status >= 400
        with sqlite3.connect(corpus_db) as con:
            assert con.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 4
    # stopping `serve` stopped Datasette: the port is free again
    for _ in range(50):
        try:
            urllib.request.urlopen(base + "/-/versions.json", timeout=1)
            time.sleep(0.1)
        except OSError:
            break
    else:
        raise AssertionError("Datasette still answers after `serve` was stopped")


def test_serve_says_how_to_get_datasette(corpus_db):
    code = (
        "import sys, importlib.util as u; real = u.find_spec; "
        "u.find_spec = lambda n, *a: None if n == 'datasette' else real(n, *a); "
        "from fiche_extract.cli import main; sys.exit(main(['serve', sys.argv[1]]))"
    )
    out = subprocess.run([sys.executable, "-c", code, str(corpus_db)], capture_output=True, text=True)
    assert out.returncode == 3 and "pip install 'fiche-extract[serve]'" in out.stderr


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet"])
def test_export(corpus_db, tmp_path, fmt):
    target = tmp_path / f"figures.{fmt}"
    out = subprocess.run([sys.executable, "-m", "fiche_extract.cli", "export", str(corpus_db), "--table", "figures",
                          "--format", fmt, "-o", str(target)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    n = sqlite3.connect(corpus_db).execute("SELECT COUNT(*) FROM figures").fetchone()[0]
    if fmt == "csv":
        import csv

        rows = list(csv.reader(target.open(encoding="utf-8", newline="")))
        assert len(rows) == n + 1 and rows[0][:3] == ["id", "department_code", "department_name"]
    elif fmt == "json":
        assert len(json.loads(target.read_text(encoding="utf-8"))) == n
    else:
        import pyarrow.parquet as pq

        assert pq.read_table(target).num_rows == n


def test_export_refuses_unknown_tables(corpus_db):
    out = subprocess.run([sys.executable, "-m", "fiche_extract.cli", "export", str(corpus_db), "--table",
                          "documents; DROP TABLE documents"], capture_output=True, text=True)
    assert out.returncode == 2 and "no table or view" in out.stderr
