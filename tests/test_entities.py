"""Places, people, organisations and dates on documents from départements and
prefectures that are not in the corpus (invented texts written like the real ones)."""

import pytest

from fiche_extract.rules.dates import extract_dateline, extract_dates
from fiche_extract.rules.links import extract_links
from fiche_extract.reading.normalise import plain_text_document
from fiche_extract.rules.organizations import extract_organizations
from fiche_extract.rules.people import extract_people, proper_case
from fiche_extract.pipeline import extract_path

CANTAL_FICHE = """ Marie Dupont
Présidente de l'Agence nationale
de la cohésion des territoires

Cette fiche territoriale vous présente les actions de l'ANCT dans votre département.
""" + "\n".join("Ligne d'introduction sans chiffre." for _ in range(20)) + """
 PROGRAMMES D'ACTION DE L'ANCT

Territoires et ruralités
France Services

6 espaces France Services :
Aurillac, Mauriac, Murat, Riom-ès-
Montagnes, Maurs et Saint-Flour

Petites villes de demain

3 villes bénéficiaires du programme :
Maurs, Ydes et Massiac

Politique de la ville

1 contrat de ville : Aurillac Agglomération

Numérique
Fabriques numériques

120 fabriques retenues, dont 3 dans le Cantal. Une aide a été versée à Riom-ès-Montagnes.
"""

LOZERE_COMMUNIQUE = """COMMUNIQUÉ DE PRESSE

Mende, le 3 mars 2021

SIGNATURE DU CONTRAT DE RELANCE

Valérie HATSCH, préfète de la Lozère, a signé ce mercredi 3 mars le contrat de relance et de
transition écologique avec les élus de la Communauté de communes Cœur de Lozère, en présence
de M. Pierre-Yves LE GALL, sous-préfet de Florac, et de l'Agence nationale de la cohésion des territoires (ANCT).

Le programme France Services compte désormais 12 espaces en Lozère, dont celui de Florac Trois Rivières.
Le directeur départemental des territoires, Xavier Gandon, a rappelé le soutien de la Banque des Territoires.
Contact presse : 04 66 49 60 00 - www.lozere.gouv.fr
"""


@pytest.fixture(scope="module")
def cantal(tmp_path_factory):
    path = tmp_path_factory.mktemp("docs") / "fiche-territoriale-cantal.txt"
    path.write_text(CANTAL_FICHE, encoding="utf-8")
    return extract_path(path)


@pytest.fixture(scope="module")
def lozere(tmp_path_factory):
    path = tmp_path_factory.mktemp("docs") / "communique-lozere.txt"
    path.write_text(LOZERE_COMMUNIQUE, encoding="utf-8")
    return extract_path(path)


def test_fiche_of_another_department(cantal):
    assert cantal.document.kind == "fiche_territoriale"
    assert cantal.document.department_code == "15"
    places = [(p.name, p.insee_code) for p in cantal.places]
    assert ("Aurillac", "15014") in places
    assert ("Riom-ès-Montagnes", "15162") in places  # split across a line break
    assert ("Saint-Flour", "15187") in places
    assert ("Ydes", "15265") in places and ("Massiac", "15119") in places
    assert ("Cantal", "15") in places
    assert [p.kind for p in cantal.places if p.name.startswith("Communauté")] == ["epci"]
    # running text: `à Riom-ès-Montagnes`
    assert sum(p.name == "Riom-ès-Montagnes" for p in cantal.places) == 2
    sections = {p.section for p in cantal.places if p.name == "Maurs"}
    assert sections == {"France Services", "Petites villes de demain"}


def test_homonym_commune_takes_the_document_department(cantal):
    maurs = [p for p in cantal.places if p.name == "Maurs"]
    assert maurs and all(p.insee_code == "15122" for p in maurs)


def test_programme_names_are_not_places(cantal, lozere):
    names = {p.name for p in cantal.places + lozere.places}
    assert not any("France Services" in n or "Petites villes" in n for n in names)


def test_communique_of_another_prefecture(lozere):
    doc = lozere.document
    assert doc.kind == "communique_de_presse"
    assert doc.date == "2021-03-03" and doc.department_code == "48"
    assert doc.title == "SIGNATURE DU CONTRAT DE RELANCE"
    people = {p.name: p.role for p in lozere.people}
    assert people == {
        "Valérie Hatsch": "préfète de la Lozère",
        "Pierre-Yves Le Gall": "sous-préfet de Florac",
        "Xavier Gandon": "directeur départemental des territoires",
    }
    places = {(p.name, p.insee_code) for p in lozere.places}
    assert ("Mende", "48095") in places and ("Lozère", "48") in places
    assert ("Florac Trois Rivières", "48061") in places
    assert [m.value for m in lozere.measures] == [12]  # not the phone number, not the date
    orgs = {o.acronym or o.name for o in lozere.organizations}
    assert {"ANCT", "BDT"} <= orgs
    assert [d.value for d in lozere.dates] == ["2021-03-03", "2021-03-03"]


def test_capital_surnames_are_proper_cased():
    assert proper_case("Jean-Marie GIRIER") == "Jean-Marie Girier"
    assert proper_case("Yves LE BRETON") == "Yves Le Breton"
    assert proper_case("Anne D'ARTAGNAN-MOREAU") == "Anne D'Artagnan-Moreau"


def test_communes_are_not_people():
    nt = plain_text_document("Catus, Souillac et Gourdon accueillent un espace. Gourdon CATUS, maire de la commune, a ouvert la séance.")
    assert [p.name for p in extract_people(nt)] == ["Gourdon Catus"]
    assert extract_people(nt, is_place=lambda name: name == "Gourdon Catus") == []


def test_organisations_merge_acronym_and_name():
    nt = plain_text_document(
        "L'Agence nationale de l'habitat (Anah) et l'ANRU financent. L'Anah versera 2 millions. "
        "Le Centre d'études et d'expertise sur les risques, l'environnement, la mobilité et l'aménagement aide."
    )
    orgs = extract_organizations(nt)
    assert [(o.acronym, o.name) for o in orgs] == [
        ("Anah", "Agence nationale de l'habitat"),
        ("ANRU", "Agence nationale pour la rénovation urbaine"),
        ("Cerema", "Centre d'études et d'expertise sur les risques, l'environnement, la mobilité et l'aménagement"),
    ]


@pytest.mark.parametrize(
    "text,year,expected",
    [
        ("le 14/12/2020", None, ["2020-12-14"]),
        ("le 1er janvier 2020", None, ["2020-01-01"]),
        ("ce lundi 14 décembre", 2020, ["2020-12-14"]),
        ("ce lundi 14 décembre", None, []),
        ("le 3 aout 2021 et le 5 février 2022", None, ["2021-08-03", "2022-02-05"]),
        ("au 1er trimestre 2021, fin 2021, en 2021 et 2022, le 31/02/2021", None, []),
    ],
)
def test_dates(text, year, expected):
    assert [d.value for d in extract_dates(plain_text_document(text), default_year=year)] == expected


def test_dateline():
    place, date = extract_dateline(plain_text_document("COMMUNIQUÉ\n\nÀ Saint-Flour, le 2 avril 2021\n\nTitre\n"))
    assert place == "Saint-Flour" and date.value == "2021-04-02"


def test_links():
    nt = plain_text_document("Voir www.societenumerique.gouv.fr. Et (banquedesterritoires.fr) ou https://exemple.fr/a.pdf, fichier Hubs.docx")
    assert [l.url for l in extract_links(nt)] == ["www.societenumerique.gouv.fr", "banquedesterritoires.fr", "https://exemple.fr/a.pdf"]


def places_of(text, name="document", extract=None):
    ex = extract(text, name)
    return [(p.name, p.kind, p.insee_code) for p in ex.places], ex


def test_dateline_homonym_is_the_prefecture_or_the_named_departement(extract_text):
    # Valence: Drôme (préfecture) and Charente; Moulins: Allier (préfecture) and Aisne
    for town, code in (("Valence", "26362"), ("Moulins", "03190"), ("Chaumont", "52121")):
        ex = extract_text(f"COMMUNIQUÉ DE PRESSE\n\n{town}, le 3 mars 2021\n\nSIGNATURE DU CONTRAT\n\nLe préfet a signé.\n")
        dateline = [p for p in ex.places if p.source == "dateline"]
        assert dateline[0].insee_code == code and ex.document.department_code == code[:2]


def test_places_inside_organisation_names_are_not_places(extract_text):
    ex = extract_text(
        "COMMUNIQUÉ DE PRESSE\n\nToulouse, le 12/03/2021\n\nCOMITÉ DE SÉLECTION EN HAUTE-GARONNE\n\n"
        "Le préfet de la Haute-Garonne a réuni le Conseil départemental de la Haute-Garonne, la caisse "
        "d'allocations familiales (CAF) de la Haute-Garonne et le syndicat mixte Haute-Garonne Numérique.\n"
    )
    garonne = [p.text for p in ex.places if p.name == "Haute-Garonne"]
    assert garonne == ["HAUTE-GARONNE", "Haute-Garonne"]  # the title and the prefect's département
    orgs = {o.name for o in ex.organizations}
    assert "Conseil départemental de la Haute-Garonne" in orgs


def test_intercommunalities_in_running_text_and_lists(extract_text):
    ex = extract_text(
        "COMMUNIQUÉ DE PRESSE\n\nGap, le lundi 5 juillet 2021\n\nONZE TERRITOIRES ACCOMPAGNÉS\n\n"
        "Sont retenues la communauté de communes du Briançonnais, la CA Mont-Saint-Michel-Normandie et la "
        "CC Côte Ouest Centre Manche, Toulouse Métropole, Le Muretain Agglo et la CA Porte de l'Isère (CAPI).\n"
    )
    epci = [p.insee_code for p in ex.places if p.kind == "epci"]
    assert epci == ["240500439", "200069425", "200067031", "243100518", "200068641", "243800604"]
    assert not [o for o in ex.organizations if "Centre Manche" in (o.name or "")]


def test_named_territories_and_coded_names(extract_text):
    ex = extract_text(
        "COMMUNIQUÉ DE PRESSE\n\nSaint-Quentin, le 2 mars 2021\n\nSIGNATURE DU CRTE DU PAYS DE SAINT-QUENTIN\n\n"
        "Le CRTE du Grand Mansigné suit celui de Val Sonnette Agglo. Accompagnement de la commune de "
        "Saint-Pierre (972) et de la CA de Bastia (2B).\n"
    )
    places = {(p.name, p.kind, p.insee_code) for p in ex.places if p.source != "dateline"}
    assert {("PAYS DE SAINT-QUENTIN", "other", None), ("Grand Mansigné", "other", None),
            ("Val Sonnette Agglo", "other", None), ("Saint-Pierre", "commune", "97225")} <= places
    assert ("Communauté d'agglomération de Bastia", "epci", "242000354") in places
    assert not any(code == "02691" for _, _, code in places)  # the commune Saint-Quentin is in the dateline only


def test_named_territory_lists_and_lists_that_run_into_the_next_line(extract_text):
    ex = extract_text(
        "Une fiche territoriale des programmes d'action de l'ANCT : France Services, Petites villes de demain.\n\n"
        "Petites villes de demain\n\n3 villes lauréates : Tournon-sur-Rhône, Le Teil et Privas\n"
        "Engagements de l'État pour ce programme.\n\n"
        "Le département compte 2 CRTE : Pays Ajaccien ; Grand Narbonne\n"
    )
    places = [(p.name, p.kind, p.insee_code) for p in ex.places]
    assert ("Privas", "commune", "07186") in places
    assert ("Pays Ajaccien", "petr", None) in places and ("Grand Narbonne", "other", None) in places


def test_regions_and_departements_that_share_a_name(extract_text):
    ex = extract_text(
        "Une fiche territoriale des programmes d'action de l'ANCT : France Services, Petites villes de demain.\n\n"
        "France Mobile\n\n12 sites identifiés dans la région Martinique, dont 3 en Martinique. Le centre couvre les "
        "régions Bretagne et Pays de la\nLoire.\n"
    )
    places = [(p.name, p.kind, p.insee_code) for p in ex.places]
    assert places == [("Martinique", "region", "02"), ("Martinique", "departement", "972"),
                      ("Bretagne", "region", "53"), ("Pays de la Loire", "region", "52")]


def test_organisation_names_from_introducers_heads_and_acronyms():
    nt = plain_text_document(
        "1 centre de ressources politique de la ville, Pays et Quartiers de Nouvelle-Aquitaine (PQN-A), couvre la "
        "région. Projet porté par la Fédération des centres sociaux. Avec l'association Sport dans la Ville, le "
        "réseau Tempo territorial, le Commissariat de massif du Massif central et l'Établissement public foncier "
        "de Normandie (EPF Normandie). L'Agence aide les collectivités. La région Centre-Val de Loire."
    )
    orgs = [(o.name, o.acronym) for o in extract_organizations(nt)]
    assert orgs == [
        ("Pays et Quartiers de Nouvelle-Aquitaine", "PQN-A"), ("Fédération des centres sociaux", None),
        ("Sport dans la Ville", None), ("réseau Tempo territorial", None),
        ("Commissariat de massif du Massif central", None), ("Établissement public foncier de Normandie", "EPF Normandie"),
    ]


def test_contracted_articles_and_prefects_without_article(extract_text):
    """`Au Havre` is at Le Havre (à + le), `aux Sables-d'Olonne` at Les Sables-d'Olonne
    (à + les); `préfet de Mayotte` names the département though no article precedes it;
    an elided particle inside a name (`Le Val d'Hazey`) stays in the name."""
    ex = extract_text(
        "COMMUNIQUÉ DE PRESSE\n\nAu Havre, le lundi 3 mai 2021\n\nSIGNATURE DU CONTRAT\n\n"
        "Le préfet de Mayotte et le maire du Val d'Hazey se rendront aux Sables-d'Olonne, puis à Vernon.\n"
    )
    places = {(p.name, p.kind, p.insee_code) for p in ex.places}
    dateline = [p for p in ex.places if p.source == "dateline"]
    assert [(p.name, p.insee_code, p.text) for p in dateline] == [("Le Havre", "76351", "Au Havre")]
    assert ("Les Sables-d'Olonne", "commune", "85194") in places
    assert ("Mayotte", "departement", "976") in places
    assert ex.document.date == "2021-05-03"
    # a commune of the Eure named in running text once the département is known
    eure = extract_text(
        "COMMUNIQUÉ DE PRESSE\n\nÉvreux, le 3 mai 2021\n\nSIGNATURE DU CONTRAT\n\n"
        "La commission s'est réunie en présence du maire du Val d'Hazey et du maire de Vernon.\n"
    )
    assert {(p.name, p.insee_code) for p in eure.places} >= {("Le Val d'Hazey", "27022"), ("Vernon", "27681")}


def test_fiche_title_with_its_code_on_the_next_line(extract_text):
    ex = extract_text("Fiche territoriale – Cher\n\n(18)\n\nCette fiche territoriale présente les programmes "
                      "d'action de l'ANCT : France Services, Petites villes de demain.\n")
    titles = [p for p in ex.places if p.start < 30]
    assert [(p.name, p.kind, p.insee_code) for p in titles] == [("Cher", "departement", "18")]


def test_a_bullet_item_headed_by_a_commune_is_a_place(extract_text):
    """The model reads `Nohanent – rénovation thermique de la mairie` as one
    organisation; a commune that heads an item (before ` – ` or ` : `) stays a place,
    and a bullet is a sentence of its own for the model."""
    ex = extract_text(
        "COMMUNIQUÉ DE PRESSE\n\nClermont-Ferrand, le 4 mars 2021\n\nDOTATION DE SOUTIEN À L'INVESTISSEMENT LOCAL\n\n"
        "Parmi les principales opérations :\n\n"
        "• Sauxillanges – rénovation thermique de la mairie : 542 000 euros\n"
        "• Nohanent – rénovation thermique de la mairie : 182 297 euros\n"
    )
    assert {(p.name, p.insee_code) for p in ex.places if p.kind == "commune"} >= {
        ("Sauxillanges", "63415"), ("Nohanent", "63254")}
