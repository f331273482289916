"""Build the shipped lists of ANCT programme members from the official open data.

Input: every CSV of the ANCT folder (default `../shared/data/anct` from the
repository root; see its SOURCES.md): the programme perimeters (one row per
territory, members in `liste_geo` as `Name (INSEE code)` or `Name (SIREN)`), the
France services site list and the DITP barometer. Licence Ouverte / Etalab 2.0.
The shipped gazetteer (`make gazetteer` first) gives each member's département.

Output, in src/fiche_extract/data/ (or --out):

- programmes.tsv.gz: one row per (programme, territory, member):
  programme  programme_name  member_kind  insee_code  name  department_code
  commune_code  territory_id  territory_name  date  site_type  site_format  source
- programme_counts.tsv.gz: the barometer's France services labellisations per
  département: programme  department_code  value  date  indicator  source

Rules (see src/fiche_extract/data/PROGRAMMES.md): France services come from the
dated site list, one row per site; the perimeter file adds only communes the site
list lacks. A commune given by its SIREN (Avenir Montagnes, Territoires
d'industrie) is written with its INSEE code, found from the SIREN and checked
against the name. Deterministic: same inputs, same bytes (gzip mtime 0, sorted rows).

Run: `make programmes` (or .venv/bin/python scripts/build_programmes.py [ANCT_DIR] [--out DIR]).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "fiche_extract" / "data"
LICENCE = "Licence Ouverte / Etalab 2.0"

# programme code, display name, perimeter file (the France services site list and
# the barometer are recognised by their prefixes)
PROGRAMMES = (
    ("acv", "Action cœur de ville", "action-coeur-de-ville.csv"),
    ("acv2", "Action cœur de ville 2", "action-coeur-de-ville-2.csv"),
    ("pvd", "Petites villes de demain", "petites-villes-de-demain.csv"),
    ("va", "Villages d'avenir", "villages-d-avenir.csv"),
    ("fs", "France services", "france-services.csv"),
    ("ti", "Territoires d'industrie", "territoires-d-industrie.csv"),
    ("amm", "Avenir Montagnes", "avenir-montagnes.csv"),
)
NAMES = {code: name for code, name, _ in PROGRAMMES}
ORDER = {code: i for i, (code, _, _) in enumerate(PROGRAMMES)}
FS_SITES_PREFIX = "france-services-liste-"
BAROMETER_PREFIX = "barometre-"
FS_INDICATOR = "nb-labellisations-france-services"

COLUMNS = ["programme", "programme_name", "member_kind", "insee_code", "name", "department_code", "commune_code",
           "territory_id", "territory_name", "date", "site_type", "site_format", "source"]
COUNT_COLUMNS = ["programme", "department_code", "value", "date", "indicator", "source"]

MEMBER_RE = re.compile(r"^(?P<name>.*?\S)\s*\((?P<code>\d[\dAB]\d{3}|\d{9})\)$")
LABEL_DATE_RE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
MERGED_KINDS = ("commune_deleguee", "commune_associee", "arrondissement")


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower().replace("œ", "oe").replace("æ", "ae"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)]


class Gazetteer:
    """The shipped gazetteer, read as a table (codes, names, départements)."""

    def __init__(self, path: Path):
        raw = gzip.decompress(path.read_bytes()).decode("utf-8")
        lines = [line for line in raw.split("\n") if line and not line.startswith("#")]
        self.rows: dict[str, list[dict]] = defaultdict(list)
        self.commune_names: dict[tuple[str, str], set[str]] = defaultdict(set)  # (département, folded name) -> codes
        self.communes_by_name: dict[str, set[str]] = defaultdict(set)  # folded name -> current commune codes
        for row in csv.DictReader(io.StringIO("\n".join(lines)), delimiter="\t"):
            self.rows[row["code"]].append(row)
            if row["kind"] == "commune":
                self.commune_names[(row["department_code"], fold(row["name"]))].add(row["code"])
                self.communes_by_name[fold(row["name"])].add(row["code"])
            elif row["kind"] in MERGED_KINDS:
                self.commune_names[(row["department_code"], fold(row["name"]))].add(row["code"])

    def get(self, code: str, kinds: tuple[str, ...]) -> dict | None:
        return next((r for r in self.rows.get(code, []) if r["kind"] in kinds), None)

    def commune_like(self, code: str) -> dict | None:
        """A current commune, else a merged-away one or an arrondissement."""
        return self.get(code, ("commune",)) or self.get(code, MERGED_KINDS)

    def names_of(self, code: str) -> set[str]:
        return {fold(r["name"]) for r in self.rows.get(code, []) if r["kind"] == "commune" or r["kind"] in MERGED_KINDS}


def department_of_code(code: str) -> str:
    return code[:3] if code.startswith("97") else code[:2]


def commune_fields(gaz: Gazetteer, code: str, source_department: str = "") -> tuple[str, str]:
    """(department_code, commune_code) of a commune INSEE code: from the gazetteer
    (a merged-away code or an arrondissement points to its current commune); for a
    code the gazetteer lacks, the source's département or the code's prefix."""
    row = gaz.commune_like(code)
    if row is None:
        return source_department or department_of_code(code), ""
    return row["department_code"], code if row["kind"] == "commune" else row["parent_code"]


def siren_departments(siren: str) -> list[str]:
    dep = siren[2:4]
    return {"20": ["2A", "2B"], "97": ["971", "972", "973", "974", "976"]}.get(dep, [dep])


def siren_candidates(siren: str) -> dict[str, list[str]]:
    """INSEE codes a commune SIREN (21…) may stand for, by layout: most are
    21 + département + 0 + commune number + key (`c1`), some 21 + département +
    commune number + 2 digits (`c2`). Never trusted without the name."""
    out: dict[str, list[str]] = {"c1": [], "c2": []}
    for dep in siren_departments(siren):
        stem = dep[:2] if dep.startswith("97") else dep  # 97 + 105: Basse-Terre, 97105
        for layout, number in (("c1", siren[5:8]), ("c2", siren[4:7])):
            if stem + number not in out[layout]:
                out[layout].append(stem + number)
    return out


class Builder:
    def __init__(self, folder: Path, gaz: Gazetteer):
        self.folder = folder
        self.gaz = gaz
        self.rows: list[dict] = []
        self.counts: list[dict] = []
        self.notes: dict[str, list[str]] = defaultdict(list)  # what the report lists
        self.fs_from_perimeter = 0

    # ------------------------------------------------------------------ perimeters

    def perimeter(self, code: str, path: Path) -> list[dict]:
        """Rows of a perimeter file, one per (territory, member); duplicate rows dropped."""
        out, seen = [], set()
        for rec in read_csv(path):
            items = [p.strip() for p in rec.get("liste_geo", "").split(";") if p.strip()]
            signed = rec.get("date_signature", "")
            for item in items:
                m = MEMBER_RE.match(item)
                if not m:
                    self.notes["unparsed"].append(f"{path.name} {rec.get('id_territoire')}: {item}")
                    continue
                key = (rec["id_territoire"], m["code"], m["name"])
                if key in seen:
                    self.notes[f"duplicate rows ({code})"].append(" ".join(key))
                    continue
                seen.add(key)
                out.append({"programme": code, "member_code": m["code"], "name": m["name"],
                            "territory_id": rec["id_territoire"], "territory_name": rec.get("lib_territoire", ""),
                            "date": iso_date(signed, self.notes, path.name), "source": path.name})
        return out

    def resolve(self, rows: list[dict]) -> None:
        """member_kind, insee_code, department_code, commune_code of perimeter rows."""
        gaz = self.gaz
        # 1. INSEE codes and known intercommunalities
        pending = []
        for r in rows:
            code = r["member_code"]
            if len(code) == 5:
                dep, commune = commune_fields(gaz, code)
                self._set(r, "commune", code, dep, commune)
                if gaz.commune_like(code) is None:
                    self.notes["commune codes not in the gazetteer"].append(f"{r['programme']} {code} {r['name']}")
                elif fold(r["name"]) not in gaz.names_of(code):
                    self.notes["listed name differs from the gazetteer's"].append(
                        f"{r['programme']} {code} {r['name']} (gazetteer: {gaz.commune_like(code)['name']})")
            elif (epci := gaz.get(code, ("epci",))) is not None:
                self._set(r, "epci", code, epci["department_code"], "")
            else:
                pending.append(r)
        # 2. communes given by their SIREN (21…): the layout that most names confirm
        #    in the territory and département decides for the names that disagree
        by_group: dict[tuple, list[dict]] = defaultdict(list)
        for r in pending:
            if r["member_code"].startswith("21"):
                by_group[(r["programme"], r["territory_id"], r["member_code"][2:4])].append(r)
        for group in by_group.values():
            votes: Counter = Counter()
            matched: dict[int, str] = {}
            for r in group:
                for layout, codes in siren_candidates(r["member_code"]).items():
                    hits = [c for c in codes if fold(r["name"]) in self.gaz.names_of(c)]
                    if len(hits) == 1 and id(r) not in matched:
                        matched[id(r)] = hits[0]
                        votes[layout] += 1
            layout = votes.most_common(1)[0][0] if votes else None
            for r in group:
                code = matched.get(id(r))
                if code is None and layout:
                    found = [c for c in siren_candidates(r["member_code"])[layout] if gaz.commune_like(c)]
                    if len(found) == 1:
                        code = found[0]
                        self.notes["SIREN and listed name disagree (SIREN kept)"].append(
                            f"{r['programme']} {r['territory_id']} {r['name']} ({r['member_code']}) -> {code} "
                            f"{gaz.commune_like(code)['name']}")
                if code is None:
                    code = self._by_name(r, siren_departments(r["member_code"]))
                if code is None:
                    self.notes["members left unresolved"].append(f"{r['programme']} {r['name']} ({r['member_code']})")
                    self._set(r, "commune", r["member_code"], "", "")
                    continue
                dep, commune = commune_fields(gaz, code)
                self._set(r, "commune", code, dep, commune)
                self.notes["communes given by SIREN"].append(f"{r['programme']} {r['member_code']} -> {code}")
        # 3. other SIRENs: a commune nouvelle (its SIREN starts 200…) when the name is
        #    one commune's, near the territory's other members; else a grouping the
        #    gazetteer lacks (PETR, syndicat mixte, EPT, a former EPCI)
        territory_deps: dict[tuple, set] = defaultdict(set)
        for r in rows:
            if r.get("department_code"):
                territory_deps[(r["programme"], r["territory_id"])].add(r["department_code"])
        for r in pending:
            if r.get("member_kind"):
                continue
            code = self._by_name(r, sorted(territory_deps[(r["programme"], r["territory_id"])]))
            if code is None and not re.match(r"(?i)(cc|ca|cu|ept|petr|sm|pnr|syndicat|communaut\w*|m[ée]tropole|pays)\b",
                                             r["name"]):
                found = self.gaz.communes_by_name.get(fold(r["name"]), set())
                code = next(iter(found)) if len(found) == 1 else None
            if code is not None:
                dep, commune = commune_fields(gaz, code)
                self._set(r, "commune", code, dep, commune)
                self.notes["communes nouvelles given by SIREN"].append(
                    f"{r['programme']} {r['name']} ({r['member_code']}) -> {code}")
            else:
                self._set(r, "epci", r["member_code"], "", "")
                self.notes["groupings not in the gazetteer (no département)"].append(
                    f"{r['programme']} {r['territory_id']} {r['name']} ({r['member_code']})")

    def _by_name(self, r: dict, departments) -> str | None:
        found = set()
        for dep in departments:
            found |= self.gaz.commune_names.get((dep, fold(r["name"])), set())
        current = {c for c in found if self.gaz.get(c, ("commune",))}
        found = current or found
        return next(iter(found)) if len(found) == 1 else None

    @staticmethod
    def _set(r: dict, kind: str, code: str, dep: str, commune: str) -> None:
        r.update(member_kind=kind, insee_code=code, department_code=dep, commune_code=commune)

    # ------------------------------------------------------------------ France services

    def france_services(self, sites_path: Path | None, perimeter_path: Path) -> list[dict]:
        """One row per site of the dated list; the perimeter file adds only the
        communes the list lacks (one row per site of theirs)."""
        out = []
        for rec in read_csv(sites_path) if sites_path else []:
            code = rec["insee_com"]
            dep, commune = commune_fields(self.gaz, code, rec.get("insee_dep", ""))
            if self.gaz.commune_like(code) is None:
                self.notes["commune codes not in the gazetteer"].append(f"fs {code} {rec['lib_com']}")
            elif rec.get("insee_dep") and rec["insee_dep"] != dep:
                self.notes["site list département differs from the commune's (gazetteer kept)"].append(
                    f"fs-{rec['id_fs']} {rec['lib_fs']}: list {rec['insee_dep']}, commune {code} in {dep}")
            out.append({"programme": "fs", "member_kind": "commune", "insee_code": code, "name": rec["lib_com"],
                        "department_code": dep, "commune_code": commune, "territory_id": f"fs-{rec['id_fs']}",
                        "territory_name": " ".join(rec["lib_fs"].split()),
                        "date": label_date(rec.get("labellisation_fs", ""), self.notes),
                        "site_type": rec.get("type_fs", ""), "site_format": rec.get("format_fs", ""),
                        "source": sites_path.name})
        listed = {r["insee_code"] for r in out} | {r["commune_code"] for r in out if r["commune_code"]}
        for rec in read_csv(perimeter_path):
            code = rec.get("id_geo", "")
            if not code or code in listed:
                continue
            dep, commune = commune_fields(self.gaz, code)
            if commune and commune in listed:
                continue
            ids = [x.strip() for x in rec["id_territoire"].split(";")]
            names = [x.strip() for x in rec["lib_territoire"].split(";")]
            if len(names) != len(ids):  # Case-Pilote: two sites, one name
                names = [rec["lib_territoire"]] * len(ids)
            for site_id, site_name in zip(ids, names):
                out.append({"programme": "fs", "member_kind": "commune", "insee_code": code,
                            "name": rec.get("lib_geo", ""), "department_code": dep, "commune_code": commune,
                            "territory_id": site_id, "territory_name": site_name, "date": "", "site_type": "",
                            "site_format": "", "source": perimeter_path.name})
                self.fs_from_perimeter += 1
        return out

    # ------------------------------------------------------------------ barometer

    def barometer(self, path: Path) -> None:
        for rec in read_csv(path):
            if rec.get("id_indicateur") != FS_INDICATOR:
                continue
            for value, day in ((rec["valeur_initiale"], rec["date_valeur_initiale"]),
                               (rec["valeur_actuelle"], rec["date_valeur_actuelle"])):
                if value:
                    self.counts.append({"programme": "fs", "department_code": rec["code_departement"],
                                        "value": str(int(float(value))), "date": iso_date(day, self.notes, path.name),
                                        "indicator": FS_INDICATOR, "source": path.name})

    # ------------------------------------------------------------------ all

    def build(self) -> None:
        files = sorted(p for p in self.folder.glob("*.csv"))
        by_name = {p.name: p for p in files}
        known = {f for _, _, f in PROGRAMMES}
        unknown = [p.name for p in files
                   if p.name not in known and not p.name.startswith((FS_SITES_PREFIX, BAROMETER_PREFIX))]
        if unknown:
            sys.exit(f"CSV files of {self.folder} with no programme: {', '.join(unknown)} (add them to PROGRAMMES)")
        missing = [f for f in known if f not in by_name]
        if missing:
            sys.exit(f"missing from {self.folder}: {', '.join(missing)}")
        perimeter_rows = []
        for code, _, filename in PROGRAMMES:
            if code != "fs":
                perimeter_rows += self.perimeter(code, by_name[filename])
        self.resolve(perimeter_rows)
        site_lists = [p for p in files if p.name.startswith(FS_SITES_PREFIX)]
        # the latest dated site list (ISO date in the name), if any
        fs = self.france_services(site_lists[-1] if site_lists else None, by_name["france-services.csv"])
        for r in perimeter_rows + fs:
            r.setdefault("site_type", "")
            r.setdefault("site_format", "")
            r["programme_name"] = NAMES[r["programme"]]
        self.rows = sorted(perimeter_rows + fs, key=lambda r: (ORDER[r["programme"]], r["territory_id"],
                                                               r["insee_code"], r["name"], r["source"]))
        for p in files:
            if p.name.startswith(BAROMETER_PREFIX):
                self.barometer(p)
        self.counts.sort(key=lambda r: (r["programme"], r["department_code"], r["date"]))
        self.sources = [p.name for p in files]


def iso_date(text: str, notes: dict, where: str) -> str:
    if not text:
        return ""
    try:
        return date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        notes["dates not understood"].append(f"{where}: {text}")
        return ""


def label_date(text: str, notes: dict) -> str:
    """`Espace labellisé 01/01/2020` -> 2020-01-01."""
    m = LABEL_DATE_RE.search(text)
    if not m:
        if text:
            notes["dates not understood"].append(text)
        return ""
    try:
        return date(int(m[3]), int(m[2]), int(m[1])).isoformat()
    except ValueError:
        notes["dates not understood"].append(text)
        return ""


def table(comment: str, columns: list[str], rows: list[dict]) -> bytes:
    buf = io.StringIO()
    buf.write(f"# {comment}\n")
    writer = csv.writer(buf, delimiter="\t", lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([[r[c] for c in columns] for r in rows])
    return gzip.compress(buf.getvalue().encode("utf-8"), compresslevel=9, mtime=0)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("anct", nargs="?", default=str(ROOT.parent / "shared" / "data" / "anct"),
                        help="folder of the ANCT CSV files (default: ../shared/data/anct from the repository root)")
    parser.add_argument("--out", default=str(DATA), help="output folder (default: src/fiche_extract/data)")
    parser.add_argument("--gazetteer", default=str(DATA / "gazetteer.tsv.gz"))
    parser.add_argument("--quiet", action="store_true", help="no report")
    args = parser.parse_args(argv)
    folder = Path(args.anct)
    if not folder.is_dir():
        sys.exit(f"no folder {folder}")
    builder = Builder(folder, Gazetteer(Path(args.gazetteer)))
    builder.build()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    perimeters = ", ".join(f for f in builder.sources if not f.startswith(BAROMETER_PREFIX))
    (out / "programmes.tsv.gz").write_bytes(
        table(f"source ANCT programme lists ({perimeters}), see PROGRAMMES.md; {LICENCE}", COLUMNS, builder.rows))
    barometers = ", ".join(f for f in builder.sources if f.startswith(BAROMETER_PREFIX))
    (out / "programme_counts.tsv.gz").write_bytes(
        table(f"source DITP barometer ({barometers}), France services labellisations; {LICENCE}", COUNT_COLUMNS,
              builder.counts))
    if args.quiet:
        return
    for name in ("programmes.tsv.gz", "programme_counts.tsv.gz"):
        print(f"{out / name}: {(out / name).stat().st_size:,} bytes")
    per = Counter(r["programme"] for r in builder.rows)
    for code, display, _ in PROGRAMMES:
        rows = [r for r in builder.rows if r["programme"] == code]
        kinds = Counter(r["member_kind"] for r in rows)
        print(f"  {code:5} {display}: {per[code]} rows, {len({r['territory_id'] for r in rows})} territories, "
              f"{len({r['insee_code'] for r in rows if r['member_kind'] == 'commune'})} distinct communes, "
              f"{kinds['epci']} intercommunality rows, {sum(1 for r in rows if not r['department_code'])} without département")
    print(f"  France services rows from the perimeter file (communes the site list lacks): {builder.fs_from_perimeter}")
    print(f"  counts: {len(builder.counts)} rows")
    for topic, items in sorted(builder.notes.items()):
        print(f"{topic}: {len(items)}")
        for item in items[:60]:
            print(f"    {item}")


if __name__ == "__main__":
    main()
