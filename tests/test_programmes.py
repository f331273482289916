"""The shipped official data: ANCT programme lists, barometer counts, gazetteer
positions and populations. Figures are recounted from the raw CSV files of the
shared ANCT folder where it is present (skipped otherwise)."""

from __future__ import annotations

import csv
import dataclasses
import gzip
import re
import subprocess
import sys
from pathlib import Path

import pytest

from fiche_extract.resources import programmes as prog
from fiche_extract.resources.gazetteer import load_gazetteer

ROOT = Path(__file__).resolve().parents[1]
ANCT = ROOT.parent / "shared" / "data" / "anct"
DATA = ROOT / "src" / "fiche_extract" / "data"
SCRIPT = ROOT / "scripts" / "build_programmes.py"
needs_anct = pytest.mark.skipif(not (ANCT / "petites-villes-de-demain.csv").is_file(), reason="no shared ANCT folder")
CODE_RE = re.compile(r"\((\d[\dAB]\d{3}|\d{9})\)")


def raw(name: str) -> list[dict]:
    with (ANCT / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# ---------------------------------------------------------------- the Lot


def test_lot_has_19_petites_villes_de_demain_without_coeur_de_causse():
    lot = prog.members("pvd", "46")
    codes = {m.insee_code for m in lot}
    assert len(codes) == 19 and len(lot) == 19
    assert prog.official_count("pvd", "46") == 19
    assert "46138" not in codes and not prog.is_member("pvd", "46138")  # Cœur de Causse
    assert not any("causse" in m.name.lower() for m in lot)
    assert {"46127", "46309", "46029"} <= codes  # Gourdon, Souillac, Biars-sur-Cère
    assert all(m.member_kind == "commune" and m.department_code == "46" for m in lot)
    assert all(re.fullmatch(r"202\d-\d\d-\d\d", m.date) for m in lot)


@needs_anct
def test_lot_recounted_from_the_csv():
    rows = raw("petites-villes-de-demain.csv")
    lot = {c for r in rows for c in CODE_RE.findall(r["liste_geo"]) if c.startswith("46")}
    assert {m.insee_code for m in prog.members("pvd", "46")} == lot
    assert "46138" not in lot


def test_cahors_position_and_population():
    gaz = load_gazetteer()
    cahors = gaz.commune("46042")
    assert cahors.name == "Cahors" and cahors.population is not None and 15_000 < cahors.population < 25_000
    assert abs(cahors.latitude - 44.45) < 0.03 and abs(cahors.longitude - 1.44) < 0.03
    lot = gaz.department("46")
    assert lot.population == sum(c.population or 0 for c in gaz.communes_of("46"))
    assert gaz.region("76").population == sum(gaz.department(d).population for d in
                                              ("09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82"))


def test_positions_lie_in_their_departement():
    """Every commune's position is near its département's other communes (the
    source's town halls with a lost sign or a repeated latitude are not shipped)."""
    gaz = load_gazetteer()
    far = []
    for dep in ("29", "56", "60", "971", "2A", "46"):
        communes = [c for c in gaz.communes_of(dep) if c.latitude is not None]
        assert len(communes) > 0.95 * len(gaz.communes_of(dep))
        lats, lons = sorted(c.latitude for c in communes), sorted(c.longitude for c in communes)
        mid_lat, mid_lon = lats[len(lats) // 2], lons[len(lons) // 2]
        far += [c.code for c in communes if abs(c.latitude - mid_lat) > 1.5 or abs(c.longitude - mid_lon) > 2]
    assert far == []


# ---------------------------------------------------------------- every programme


PLAUSIBLE = {  # rows: (min, max)
    "acv": (220, 260), "acv2": (40, 60), "pvd": (1550, 1700), "va": (2300, 2700),
    "fs": (2600, 3200), "ti": (400, 800), "amm": (150, 300),
}


@pytest.mark.parametrize("code", list(prog.PROGRAMMES))
def test_every_programme_present(code):
    listed = prog.members(code)
    low, high = PLAUSIBLE[code]
    assert low <= len(listed) <= high
    assert {m.programme_name for m in listed} == {prog.PROGRAMMES[code]}
    communes = [m for m in listed if m.member_kind == "commune"]
    assert all(re.fullmatch(r"\d[\dAB]\d{3}", m.insee_code) for m in communes)
    assert all(m.department_code for m in communes)
    assert all(re.fullmatch(r"\d{9}", m.insee_code) for m in listed if m.member_kind == "epci")
    assert len({(m.territory_id, m.insee_code, m.name) for m in listed}) == len(listed)  # no duplicate


PERIMETERS = {"acv": "action-coeur-de-ville.csv", "acv2": "action-coeur-de-ville-2.csv",
              "pvd": "petites-villes-de-demain.csv", "va": "villages-d-avenir.csv",
              "ti": "territoires-d-industrie.csv", "amm": "avenir-montagnes.csv"}


@needs_anct
@pytest.mark.parametrize("code,filename", sorted(PERIMETERS.items()))
def test_programmes_recounted_from_the_csv(code, filename):
    rows = raw(filename)
    members = {(r["id_territoire"], c) for r in rows for c in CODE_RE.findall(r["liste_geo"])}
    shipped = prog.members(code)
    assert {m.territory_id for m in shipped} == {t for t, _ in members}
    assert len(shipped) == len(members)
    # INSEE codes as listed; SIRENs of EPCIs as listed (SIRENs of communes become INSEE codes)
    five = {c for _, c in members if len(c) == 5}
    assert five <= {m.insee_code for m in shipped}


@needs_anct
def test_france_services_one_row_per_site():
    sites = raw("france-services-liste-2024-08-01.csv")
    shipped = prog.members("fs")
    from_list = [m for m in shipped if m.source.startswith("france-services-liste")]
    assert len(from_list) == len(sites)
    assert {m.territory_id for m in from_list} == {f"fs-{s['id_fs']}" for s in sites}
    # the perimeter file adds only communes the site list lacks
    listed = {s["insee_com"] for s in sites}
    perimeter_only = {r["id_geo"] for r in raw("france-services.csv")} - listed
    assert {m.insee_code for m in shipped if m.source == "france-services.csv"} <= perimeter_only
    lot = [s for s in sites if load_gazetteer().commune(s["insee_com"]) and s["insee_com"].startswith("46")]
    assert prog.official_count("fs", "46") == len(lot)
    by_id = {f"fs-{s['id_fs']}": s for s in sites}
    for m in from_list[:200]:
        day, month, year = re.search(r"(\d\d)/(\d\d)/(\d{4})", by_id[m.territory_id]["labellisation_fs"]).groups()
        assert m.date == f"{year}-{month}-{day}"
        assert m.site_type == by_id[m.territory_id]["type_fs"]


@needs_anct
def test_barometer_counts():
    rows = [r for r in raw("barometre-ditp-departements-2022.csv")
            if r["id_indicateur"] == "nb-labellisations-france-services"]
    assert len(rows) >= 100
    for r in rows:
        counts = {c.date: c.value for c in prog.reported_counts("fs", r["code_departement"])}
        assert counts[r["date_valeur_actuelle"]] == int(float(r["valeur_actuelle"]))
    assert prog.reported_counts("pvd") == []


def test_members_by_code_and_arrondissements():
    assert prog.is_member("acv", "46042")  # Cahors
    assert not prog.is_member("va", "46042")
    assert prog.members("Petites villes de demain", "46") == prog.members("pvd", 46)
    paris = [m for m in prog.members("fs", "75") if m.commune_code == "75056"]
    assert paris and all(m.insee_code.startswith("751") for m in paris)  # listed by arrondissement
    assert prog.is_member("fs", "75056") and prog.is_member("fs", paris[0].insee_code)
    with pytest.raises(ValueError):
        prog.members("Petites villes d'hier")
    with pytest.raises(dataclasses.FrozenInstanceError):
        prog.members("pvd")[0].name = "x"


def test_communes_given_by_siren_are_resolved():
    """Avenir Montagnes lists some communes by SIREN: they are shipped by INSEE code."""
    amm = prog.members("amm")
    chamrousse = [m for m in amm if m.name == "Chamrousse"]
    assert [m.insee_code for m in chamrousse] == ["38567"]
    assert all(not m.insee_code.startswith("21") for m in amm if m.member_kind == "commune")
    creuse = {m.name: m.insee_code for m in prog.members("ti", "23") if m.member_kind == "commune"}
    assert creuse.get("Beissat") == "23019"


def test_official_count_is_none_where_intercommunalities_are_listed():
    assert prog.official_count("ti", "23") is None  # CC members: their communes are not listed
    assert prog.official_count("va", "46") == len({m.insee_code for m in prog.members("va", "46")})
    assert prog.official_count("pvd", "99") is None


# ---------------------------------------------------------------- names


@pytest.mark.parametrize("written,code", [
    ("Petites villes de demain", "pvd"), ("petite ville de demain", "pvd"), ("PETITES VILLES DE DEMAIN", "pvd"),
    ("PVD", "pvd"), ("P.V.D.", "pvd"), ("le programme Petites villes de demain", "pvd"),
    ("Action cœur de ville", "acv"), ("Action Coeur de Ville", "acv"), ("ACV", "acv"), ("action cœur de ville 2", "acv2"),
    ("Villages d'avenir", "va"), ("village d’avenir", "va"), ("VILLAGES D'AVENIR", "va"),
    ("France services", "fs"), ("France Services", "fs"), ("espaces France Services", "fs"),
    ("Maison France services", "fs"), ("les espaces France services", "fs"),
    ("Territoires d'industrie", "ti"), ("territoire d’industrie", "ti"),
    ("Avenir Montagnes", "amm"), ("Avenir Montagnes Mobilités", "amm"), ("avenir montagne", "amm"),
])
def test_programme_of_name(written, code):
    assert prog.programme_of_name(written) == code


@pytest.mark.parametrize("written", ["Cœur de Causse", "Conseillers numériques France Services", "Lot", "",
                                     "villes de demain", "Territoires", "Montagnes"])
def test_not_a_programme_name(written):
    assert prog.programme_of_name(written) is None


# ---------------------------------------------------------------- the build


@needs_anct
def test_build_is_deterministic_and_matches_the_shipped_files(tmp_path):
    outs = []
    for run in ("a", "b"):
        out = tmp_path / run
        subprocess.run([sys.executable, str(SCRIPT), str(ANCT), "--out", str(out), "--quiet"], check=True)
        outs.append(out)
    for name in ("programmes.tsv.gz", "programme_counts.tsv.gz"):
        first, second = ((o / name).read_bytes() for o in outs)
        assert first == second
        assert first[4:8] == b"\0\0\0\0"  # gzip mtime 0
        assert first == (DATA / name).read_bytes(), f"{name} is not up to date: make programmes"
        head = gzip.decompress(first).decode("utf-8").split("\n", 1)[0]
        assert head.startswith("# source ") and head.endswith("; Licence Ouverte / Etalab 2.0")
