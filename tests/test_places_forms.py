"""How places are written and which one a name designates: communes named like a
département or a région, names with `et` or a spaced dash, intercommunalities in their
branded and lower-case forms, contracted articles, territories joined by `et`. Each
phenomenon in a short text written here, with its traps (the same name where it is the
territory), asserting official codes."""

from __future__ import annotations

import pytest

import fiche_extract
from fiche_extract import rx as re
from fiche_extract.resources.gazetteer import load_gazetteer
from fiche_extract.rules.place_candidates import CAP_NAME, _Mention
from fiche_extract.rules.places import communes_named_like_territories


def extract(text: str):
    return fiche_extract.extract(text.encode("utf-8"), name="page.txt")


def codes(ex, written: str) -> list[tuple[str, str]]:
    """(kind, code) of every place whose text reads `written` (line breaks as spaces)."""
    return [(p.kind, p.insee_code) for p in ex.places if " ".join(p.text.split()) == written]


# ---------------------------------------------------------------- communes named like a territory


ISERE = """Fiche territoriale – Isère (38)

France Services

Le département de l'Isère compte 5 espaces France Services : Grenoble, Voiron, Vienne, Bourgoin-Jallieu et La Mure.

Partenaires

Trois départements voisins de l'Isère : la Drôme, la Savoie et la Vienne.

Un tiers-lieu vient d'ouvrir à Vienne. Dans la Vienne, la démarche commence.
"""


def test_a_commune_named_like_a_departement_is_the_commune_in_a_list_of_communes():
    ex = extract(ISERE)
    assert ex.document.department_code == "38"
    vienne = codes(ex, "Vienne")
    # the list item and `à Vienne` are the commune of the Isère; `la Vienne` twice the département
    assert vienne.count(("commune", "38544")) == 2
    assert vienne.count(("departement", "86")) == 2


ORNE = """Fiche territoriale – Orne (61)

Petites villes de demain

Dans l'Orne, le programme accompagne 4 communes : Argentan, Flers, Aube et Damigny.

La coopération avec l'Aube et la Marne se poursuit.
"""


def test_a_commune_named_like_another_departement_in_a_list_and_the_departement_elsewhere():
    ex = extract(ORNE)
    aube = codes(ex, "Aube")
    assert ("commune", "61008") in aube
    assert ("departement", "10") in aube
    assert ("departement", "51") in codes(ex, "Marne")


SAINTE_SEGREE = """Fiche territoriale – Somme (80)

Dans la Somme, 3 villes bénéficiaires du programme : Abbeville, Sainte-Segrée et Creuse.
"""


def test_a_commune_named_like_a_departement_after_et_at_the_end_of_a_list():
    assert codes(extract(SAINTE_SEGREE), "Creuse") == [("commune", "80225")]


MAINE_ET_LOIRE = """Fiche territoriale – Maine-et-Loire (49)

France Services

Dans le Maine-et-Loire, 4 espaces France Services : Loiré, Angers, Saumur et Cholet.

Le fleuve traverse la Loire avant d'arriver ici.
"""


def test_an_accent_tells_a_commune_from_a_departement():
    ex = extract(MAINE_ET_LOIRE)
    assert codes(ex, "Loiré") == [("commune", "49178")]
    assert codes(ex, "Loire") == [("departement", "42")]


LOT_ET_GARONNE = """COMMUNIQUÉ DE PRESSE

Agen, le 12 juillet 2021

La préfète du Lot-et-Garonne a reçu samedi à La Réunion les nouveaux conseillers numériques
du département, avant de se rendre à Marmande.
"""

OUTRE_MER = """COMMUNIQUÉ DE PRESSE

Saint-Denis, le 3 mars 2021

Le préfet de La Réunion a présenté le bilan : 18 zones couvertes à La Réunion et 6 à Mayotte.
"""


def test_a_region_name_that_is_a_commune_of_the_documents_departement_after_a():
    assert codes(extract(LOT_ET_GARONNE), "La Réunion") == [("commune", "47222")]


def test_an_island_after_a_is_the_departement():
    ex = extract(OUTRE_MER)
    assert set(codes(ex, "La Réunion")) == {("departement", "974")}
    assert codes(ex, "Mayotte") == [("departement", "976")]


INCUBATEUR = """Fiche territoriale – Mayenne (53)

Incubateur des territoires

2 collectivités participent au programme : Département de la Mayenne, Commune de L'Huisserie.
"""


def test_a_list_item_that_says_its_kind_keeps_it():
    ex = extract(INCUBATEUR)
    assert set(codes(ex, "Mayenne")) == {("departement", "53")}  # the title's and the item's
    assert codes(ex, "L'Huisserie") == [("commune", "53119")]


def test_a_project_holder_in_a_tables_first_column_is_the_commune():
    gaz = load_gazetteer()
    flat = "Porteur | Projet\n\nVienne | Tiers-lieu\n\nla Vienne"
    cell = _Mention(17, 23, "Vienne", "", "table")
    prose = _Mention(len(flat) - 6, len(flat), "Vienne", "departement", "rule", "departement")
    communes_named_like_territories([cell, prose], flat, "38", gaz)
    assert cell.entry is not None and cell.entry.code == "38544"
    assert prose.entry is None  # `la Vienne` stays the département


# ---------------------------------------------------------------- names with `et`, dashes, brackets


GIRONDE = """Fiche territoriale – Gironde (33)

Petites villes de demain

En Gironde, 5 communes lauréates : Castets et Castillon, Langon, Cenon, Blaye et Lesparre-Médoc.
"""


def test_a_commune_whose_name_holds_et_is_one_list_item():
    ex = extract(GIRONDE)
    assert codes(ex, "Castets et Castillon") == [("commune", "33106")]
    assert codes(ex, "Castets") == []
    # `Blaye et Lesparre-Médoc` are two communes
    assert codes(ex, "Blaye") == [("commune", "33058")]
    assert codes(ex, "Lesparre-Médoc") == [("commune", "33240")]


SARTHE = """COMMUNIQUÉ DE PRESSE

Le Mans, le 4 mai 2021

Trois communes ont signé leur convention :

• Bazouges-sur-le-Loir
• Saint-Paterne - Le Chevain
• Mamers
"""


def test_a_name_with_a_spaced_dash_is_one_commune():
    ex = extract(SARTHE)
    assert [p.insee_code for p in ex.places].count("72308") == 1
    assert codes(ex, "Saint-Paterne - Le Chevain") == [("commune", "72308")]


def test_a_departement_code_in_brackets_settles_a_commune_of_another_departement():
    ex = extract("Fiche territoriale – Pas-de-Calais (62)\n\nLes lauréates profitent de l'expérience "
                 "de Saint-Georges (82), pilote du programme, et de l'équipe de Luze (70).\n")
    assert codes(ex, "Saint-Georges") == [("commune", "82162")]
    assert codes(ex, "Luze") == [("commune", "70312")]


def test_a_particle_is_a_whole_word_in_a_name():
    assert re.match(CAP_NAME, "Pays des Abers signe").group(0) == "Pays des Abers"
    assert re.match(CAP_NAME, "Porte des Pierres Dorées").group(0) == "Porte des Pierres Dorées"


# ---------------------------------------------------------------- intercommunalities


POLITIQUE_DE_LA_VILLE = """Fiche territoriale – Territoire de Belfort (90)

Politique de la ville

1 contrat de ville : Grand Belfort Agglo

Temporalités

Accompagnement de Grand Verdun Agglo (55) et de Chaumont Agglo (52).
"""


def test_an_agglomeration_named_with_agglo_after_its_name():
    ex = extract(POLITIQUE_DE_LA_VILLE)
    assert codes(ex, "Grand Belfort Agglo") == [("epci", "200069052")]
    assert codes(ex, "Grand Verdun Agglo") == [("epci", "200049187")]
    assert codes(ex, "Chaumont Agglo") == [("epci", "200068658")]


def test_a_crte_list_keeps_a_name_with_agglo_as_a_territory():
    ex = extract("Fiche territoriale – Territoire de Belfort (90)\n\n"
                 "Le département compte 2 CRTE : Grand Belfort Agglo ; Vosges du Sud\n")
    assert codes(ex, "Grand Belfort Agglo") == [("other", None)]


LAUREATES = """Fiche territoriale – Ain (01)

Numérique

4 collectivités lauréates : CC de la Veyle, communauté de communes de la Plaine de l'Ain, CC Val de Saône Centre et communauté d'agglomération du Pays de Gex.
"""


def test_lower_case_legal_forms_in_a_list_are_each_an_intercommunality():
    ex = extract(LAUREATES)
    found = {p.insee_code for p in ex.places if p.kind == "epci"}
    assert found == {"200070555", "240100883", "200070118", "240100750"}
    assert all(p.insee_code for p in ex.places if p.kind == "epci")


def test_a_legal_form_cut_from_its_name_by_a_column_break():
    ex = extract("Fiche territoriale – Côte-d'Or (21)\n\n3 collectivités lauréates : CC du Montbardois, "
                 "CC Ouche et Montagne et CC\n\nMirebellois et Fontenois.\n\nIncubateur des territoires\n")
    assert {p.insee_code for p in ex.places if p.kind == "epci"} == {"242101491", "200039055", "200072825"}


PROSE_EPCIS = """Le président de Pré-Bocage Intercom a reçu la Communauté de la Riviera Française.
Les élus sont proches de la Métropole européenne de Lille et de la communauté de communes (CDC)
de la "Vallée de la Haute Sarthe".
"""


def test_intercommunalities_in_prose():
    ex = extract(PROSE_EPCIS)
    found = [p.insee_code for p in ex.places if p.kind == "epci"]
    assert found == ["200069524", "240600551", "200093201", "200035103"]


SAME_FORM = """Dans le Lot, la communauté de communes du Grand Figeac (120 000 euros), celle de Gramat
(80 000 euros) et les communautés de communes Quercy Bouriane et Cazals-Salviac sont aidées.
"""


def test_celle_de_and_plural_legal_forms_name_intercommunalities():
    ex = extract(SAME_FORM)
    found = [p.insee_code for p in ex.places if p.kind == "epci"]
    # `celle de Gramat`: the communauté de communes whose commune Gramat is
    assert found == ["200067361", "200066371", "244600482", "200035327"]
    assert codes(ex, "Gramat") == [("epci", "200066371")]


def test_an_intercommunality_by_the_name_its_official_name_gives_in_brackets():
    ex = extract("En Loire-Atlantique, le président de Cap Atlantique a signé la convention à Guérande.\n")
    assert codes(ex, "Cap Atlantique") == [("epci", "244400610")]


# ---------------------------------------------------------------- articles, roles, coordination


MARTINIQUE = """COMMUNIQUÉ DE PRESSE

Fort-de-France, le 3 mai 2021

La convention a été signée en présence du maire du Lamentin et de la maire des Trois-Îlets.
"""


def test_a_contracted_article_is_part_of_the_communes_name():
    ex = extract(MARTINIQUE)
    # Le Lamentin (Martinique), not Lamentin (Guadeloupe)
    assert codes(ex, "Lamentin") == [("commune", "97213")]
    assert codes(ex, "Trois-Îlets") == [("commune", "97231")]


def test_a_sous_prefet_names_the_commune_of_his_seat():
    ex = extract("Le sous-préfet de Lille et la sous-préfète de Dunkerque ont signé le contrat.\n")
    assert codes(ex, "Lille") == [("commune", "59350")]
    assert codes(ex, "Dunkerque") == [("commune", "59183")]


def test_a_departement_joined_to_another_by_et():
    ex = extract("Fiche territoriale – Yvelines (78)\n\nDans les Yvelines, 1 Territoire d'industrie "
                 "(partagé avec l'Essonne et Paris).\n")
    assert codes(ex, "Essonne") == [("departement", "91")]
    assert codes(ex, "Paris") == [("departement", "75")]


LOT_FABRIQUES = """Fiche territoriale – Lot (46)

Fabriques numériques

Dans le Lot, 2 fabriques retenues : Tiers-lieu Le Quai au Bourg, L'Atelier partagé à Saint-Céré
Conseillers numériques
"""


def test_a_commune_named_like_a_common_noun_after_au_and_a_name_before_a_line_break():
    ex = extract(LOT_FABRIQUES)
    assert ("commune", "46034") in [(p.kind, p.insee_code) for p in ex.places]  # Le Bourg
    assert codes(ex, "Saint-Céré") == [("commune", "46251")]


def test_a_commune_after_a_ends_before_et_and_a_name():
    ex = extract("Fiche territoriale – Aisne (02)\n\nDans l'Aisne, 2 tiers-lieux : Le Quai à Tergnier "
                 "et La Bricothèque à Laon.\n")
    assert codes(ex, "Tergnier") == [("commune", "02738")]
    assert codes(ex, "Laon") == [("commune", "02408")]


def test_a_departement_at_the_end_of_a_line_before_a_list():
    ex = extract("25 villages retenus en Meurthe-et-Moselle\nAllamps, Atton, Audun-le-Roman.\n")
    assert codes(ex, "Meurthe-et-Moselle") == [("departement", "54")]


@pytest.mark.parametrize("text", [
    "Le plan prévoit une aide au Plan gouvernemental pour les communes.",  # a noun and its adjective
    "Le comité se réunit au Port autonome le mardi.",
])
def test_common_nouns_after_au_are_no_communes(text):
    assert not [p for p in extract(text).places if p.kind == "commune"]


def test_an_elided_de_before_a_commune_in_a_title_in_capitals():
    ex = extract("COMMUNIQUÉ DE PRESSE\n\nBesançon, le 2 juin 2021\n\nLA MAISON DES SERVICES D'ORNANS OUVRE\n\n"
                 "La préfète du Doubs a inauguré la maison.\n")
    assert codes(ex, "ORNANS") == [("commune", "25434")]
