"""Caching that cannot lie: a batch run skips a stored document only while the rules it
was extracted with are unchanged. A changed pattern file, data file (the gazetteer) or
module of the package extracts the document again.

The runs use a copy of the package, put first on the path with `PYTHONPATH`, so the
test edits that copy and never the repository's files. Each run is the command line
in a process of its own, as a user runs it.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import COMMUNIQUE_TXT, ROOT

PACKAGE = ROOT / "src" / "fiche_extract"


@pytest.fixture
def package_copy(tmp_path) -> Path:
    """A folder holding a copy of `fiche_extract`, to put on `PYTHONPATH`."""
    shutil.copytree(PACKAGE, tmp_path / "pkg" / "fiche_extract", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return tmp_path / "pkg"


def _env(package_copy: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "FICHE_EXTRACT_PATTERNS"}}
    env["PYTHONPATH"] = str(package_copy)
    return env


def _rules_hash(package_copy: Path, cwd: Path) -> str:
    """The skip key's rules hash as the copy computes it (and proof that the copy is
    the package imported)."""
    code = ("import json, fiche_extract.resources as r; "
            "print(json.dumps([r.__file__, r.default_resources().rules_hash]))")
    out = subprocess.run([sys.executable, "-c", code], cwd=cwd, env=_env(package_copy), capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    module, value = json.loads(out.stdout)
    assert Path(module).is_relative_to(package_copy), module
    return value


def _run(package_copy: Path, db: Path, document: Path) -> dict:
    """`fiche-extract run DOCUMENT --db DB` with the copy; the run's row of `runs`."""
    out = subprocess.run([sys.executable, "-m", "fiche_extract", "run", str(document), "--db", str(db), "--workers", "1"],
                         cwd=db.parent, env=_env(package_copy), capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    try:
        run = dict(con.execute("SELECT * FROM runs ORDER BY id DESC LIMIT 1").fetchone())
        run["document"] = dict(con.execute("SELECT run_id, rules_hash FROM documents").fetchone())
        run["organizations"] = {r["acronym"]: r["name"] for r in con.execute("SELECT acronym, name FROM organizations")}
    finally:
        con.close()
    return run


def _rename_cerema(patterns: Path, new_name: str) -> None:
    """A real rule change: the name recorded for the acronym Cerema (the first of its
    `names` in `organizations.yaml`)."""
    path = patterns / "organizations.yaml"
    text = path.read_text(encoding="utf-8")
    changed, n = re.subn(r"(\{acronym: Cerema,.*?names: \[)", lambda m: f'{m.group(1)}"{new_name}", ', text, count=1)
    assert n == 1, "organizations.yaml no longer lists Cerema as `{acronym: Cerema, ..., names: [...]}`"
    path.write_text(changed, encoding="utf-8")


def test_changed_rules_data_or_code_extract_again(package_copy, tmp_path):
    document = tmp_path / COMMUNIQUE_TXT.name
    shutil.copy2(COMMUNIQUE_TXT, document)
    db = tmp_path / "fiches.db"
    pkg = package_copy / "fiche_extract"

    first = _run(package_copy, db, document)
    assert (first["ok"], first["skipped"]) == (1, 0)
    assert first["rules_hash"] == _rules_hash(package_copy, tmp_path)
    assert first["organizations"]["Cerema"] != "Centre d'études de test"

    unchanged = _run(package_copy, db, document)
    assert (unchanged["ok"], unchanged["skipped"]) == (0, 1)
    assert unchanged["document"]["run_id"] == first["id"]  # the stored rows are the first run's

    # a rule changes: the document is extracted again, and the rows follow the new rule
    _rename_cerema(pkg / "patterns", "Centre d'études de test")
    after_rule = _run(package_copy, db, document)
    assert (after_rule["ok"], after_rule["skipped"]) == (1, 0)
    assert after_rule["rules_hash"] != first["rules_hash"]
    assert after_rule["document"] == {"run_id": after_rule["id"], "rules_hash": after_rule["rules_hash"]}
    assert after_rule["organizations"]["Cerema"] == "Centre d'études de test"

    # a data file changes (the gazetteer's bytes; an empty gzip member leaves its rows
    # as they were): extracted again too
    gazetteer = pkg / "data" / "gazetteer.tsv.gz"
    gazetteer.write_bytes(gazetteer.read_bytes() + gzip.compress(b""))
    after_data = _run(package_copy, db, document)
    assert (after_data["ok"], after_data["skipped"]) == (1, 0)
    assert after_data["rules_hash"] not in {first["rules_hash"], after_rule["rules_hash"]}
    assert after_data["document"]["run_id"] == after_data["id"]

    # code: any module of the package changes the key the runner compares
    before_code = _rules_hash(package_copy, tmp_path)
    assert before_code == after_data["rules_hash"]
    with (pkg / "rules" / "links.py").open("a", encoding="utf-8") as fh:
        fh.write("\n# a changed line of code\n")
    assert _rules_hash(package_copy, tmp_path) != before_code
