"""The shipped gazetteer, on real INSEE codes."""


import pytest

from fiche_extract.resources.gazetteer import fold, load_gazetteer


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


def test_homonyms_resolve_by_department_or_stay_ambiguous(gaz):
    assert gaz.resolve("Gourdon", department_code="46").entry.code == "46127"
    assert gaz.resolve("Gourdon", department_code="71").entry.code == "71222"
    res = gaz.resolve("Gourdon")
    assert res.status == "ambiguous" and res.entry is None and len(res.candidates) == 4
    assert gaz.resolve("Frontenac", department_code="33").entry.code == "33175"
    assert gaz.resolve("Frontenac", context_departments=("47", "46")).entry.code == "46116"


@pytest.mark.parametrize("written", ["Saint-Géry-Vers", "Saint Géry-Vers", "St-Géry-Vers", "SAINT GÉRY VERS", "saint gery vers"])
def test_spellings(gaz, written):
    assert gaz.resolve(written).entry.code == "46268"


@pytest.mark.parametrize(
    "written,code",
    [("Biars sur Cère", "46029"), ("Puy-l’Évêque", "46231"), ("Puy-l'Eveque", "46231"),
     ("Castelnau Montratier-Sainte Alauzie", "46063"), ("Montcuq-en-Quercy-Blanc", "46201"),
     ("Cœur de Causse", "46138"), ("Coeur de Causse", "46138")],
)
def test_names_of_the_lot(gaz, written, code):
    assert gaz.resolve(written, department_code="46").entry.code == code


def test_merged_away_names_point_to_their_commune(gaz):
    # Calviac merged into Sousceyrac-en-Quercy (a commune nouvelle)
    res = gaz.resolve("Calviac", department_code="46")
    assert res.entry.code == "46311" and res.entry.name == "Sousceyrac-en-Quercy"


def test_articles(gaz):
    assert gaz.resolve("Le Vigan", department_code="30").entry.code == "30350"
    assert gaz.resolve("Vigan", department_code="30").entry.name == "Le Vigan"


def test_territories_and_intercommunalities(gaz):
    assert gaz.resolve("Lot").entry.kind == "departement"
    assert gaz.resolve("Territoire de Belfort").entry.code == "90"
    assert gaz.resolve("Occitanie").entry.code == "76"
    assert gaz.resolve("Corse-du-Sud").entry.code == "2A"
    assert gaz.resolve("CA du Grand Cahors").entry.code == "200023737"
    assert gaz.resolve("Communauté d'agglomération du Grand Cahors").entry.code == "200023737"
    assert gaz.resolve("Agglopolys").entry.code == gaz.resolve("CA de Blois").entry.code
    assert gaz.resolve("CA de Grand Châtellerault").entry.kind == "epci"
    assert gaz.resolve("Colmar Agglomération").entry.department_code == "68"


def test_unknown_names(gaz):
    assert gaz.resolve("Aurillac-Figeac-Rodez").status == "unknown"
    assert gaz.resolve("Atlantide").entry is None


def test_fold():
    assert fold("St-Géry") == fold("Saint Géry") == "saint gery"
    assert fold("Ste-Alauzie") == "sainte alauzie"


def test_weak_keys_lose_to_strong_ones(gaz):
    # `Montagne` is two communes of that name, never `La Montagne` (70) by its bare name
    assert gaz.resolve("Montagne", department_code="70").entry is None
    assert gaz.resolve("La Montagne", department_code="70").entry.code == "70352"
    # the commune, not the intercommunality whose short name it is
    assert gaz.resolve("Vesoul").entry.kind == "commune"
    assert gaz.resolve("CA de Vesoul").entry.kind == "epci"
    res = gaz.resolve("Grand Cahors")
    assert res.entry.code == "200023737" and res.weak


@pytest.mark.parametrize(
    "written,code",
    [("CA Porte de l'Isère (CAPI)", "243800604"), ("CA Porte de l'Isère", "243800604"), ("CAPI", "243800604"),
     ("CA Beaune, Côte et Sud - Communauté Beaune-Chagny-Nolay", "200006682"),
     ("CC Nebbiu - Conca d'Oro", "200073120"), ("Grand Narbonne", "241100593")],
)
def test_intercommunality_names_with_commas_brackets_and_articles(gaz, written, code):
    assert gaz.resolve(written, kinds=["epci"]).entry.code == code


def test_prefectures(gaz):
    valence = {e.department_code: e for e in gaz.lookup("Valence") if e.kind == "commune"}
    assert gaz.is_prefecture(valence["26"]) and not gaz.is_prefecture(valence["16"])
    assert gaz.department("2A").chef_lieu == "2A004"


def test_the_index_kept_in_the_cache_folder_answers_as_the_built_one(tmp_path, monkeypatch):
    """Built once, written to the cache folder, read back by the next process; a file
    of another version is removed, a damaged one is rebuilt, `off` writes nothing."""
    from fiche_extract.resources import gazetteer as module

    monkeypatch.setenv("FICHE_EXTRACT_CACHE", str(tmp_path))
    stale = tmp_path / "gazetteer-0000.pickle"
    stale.write_bytes(b"an index of another version")
    path = module.cache_path()
    built = module.Gazetteer(module._read_rows())
    module._write_cache(path, built)
    assert path.is_file() and not stale.exists()
    read = module._read_cache(path)
    for name, dep in (("Gourdon", "46"), ("Sainte-Livrade", "47"), ("CC du Grand Figeac", None), ("Lot", None)):
        assert read.resolve(name, department_code=dep).entry == built.resolve(name, department_code=dep).entry
    path.write_bytes(path.read_bytes()[:1000])  # cut short: unreadable, built again by the loader
    assert module._read_cache(path) is None
    monkeypatch.setenv("FICHE_EXTRACT_CACHE", "off")
    assert module.cache_path() is None
