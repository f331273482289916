"""Allocations: which grant went to whom, read from texts written for these tests
(a prefecture's DETR release of the Cantal, whose communes have namesakes elsewhere),
and the database's `who_got_what` view and canned queries."""

from __future__ import annotations

import sqlite3

import pytest

# Murat, Mauriac, Ally, Condat and Marcenat each have a namesake in another
# département: the release's département (Cantal, 15) settles them.
RELEASE = """COMMUNIQUÉ DE PRESSE

Aurillac, le 4 avril 2024

DOTATION D'ÉQUIPEMENT DES TERRITOIRES RURAUX : PREMIÈRE PROGRAMMATION 2024

Réunie le 28 mars, la commission des élus a rendu son avis sur les dossiers déposés au titre de la DETR. La préfète du Cantal a arrêté une première liste de subventions, pour un total de 742 500 euros.

Les subventions accordées :
• Murat – restauration de la halle aux grains (95 000 €)
• Mauriac : rénovation thermique du gymnase municipal, 180 000 €
• Ally – création d'un columbarium (12 500 €)
• Condat : réfection de la toiture de l'école, 60 000 €

La commune de Marcenat bénéficiera de 120 000 euros au titre de la DETR pour l'extension de sa maison de santé.

Parmi les intercommunalités, la communauté de communes du Pays de Mauriac (80 000 €) et Hautes Terres Communauté (140 000 €) sont aidées pour leurs ateliers techniques.

Le coût total des travaux de la halle de Murat est estimé à 310 000 euros.

Enfin, 55 000 € iront à quatre communautés de communes pour financer leurs études de mobilité.
"""
EXPECTED = {  # INSEE code or SIREN -> euros
    "15138": 95000, "15120": 180000, "15003": 12500, "15054": 60000, "15114": 120000,
    "241500271": 80000, "200066637": 140000,
}


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    from fiche_extract.pipeline import extract_path

    path = tmp_path_factory.mktemp("release") / "communique-detr-cantal.txt"
    path.write_text(RELEASE, encoding="utf-8")
    return extract_path(path, with_text=True)


def test_one_allocation_per_grant_with_its_code(release):
    got = {a.insee_code: a.amount_eur for a in release.allocations}
    assert got == EXPECTED  # no total, no cost, no grant shared by four communautés
    assert {a.programme for a in release.allocations} == {"DETR"}
    assert {a.year for a in release.allocations} == {2024}


def test_homonyms_are_settled_by_the_departement(release):
    """Murat of the Cantal, not of the Allier; Mauriac, not of the Gironde."""
    by_name = {a.beneficiary: a.insee_code for a in release.allocations}
    assert by_name["Murat"] == "15138" and by_name["Mauriac"] == "15120" and by_name["Ally"] == "15003"


def test_allocations_point_to_their_measure_place_and_words(release):
    text = release.document.text
    for a in release.allocations:
        measure = release.measures[a.measure_index]
        assert measure.unit == "EUR" and measure.value == a.amount_eur
        place = release.places[a.place_index]
        assert place.insee_code == a.insee_code
        assert text[a.start:a.end] == a.text and measure.text in a.text
    projects = {a.insee_code: a.project for a in release.allocations}
    assert projects["15138"] == "restauration de la halle aux grains"
    assert projects["15114"] == "extension de sa maison de santé"


@pytest.mark.parametrize("text, expected", [
    # `dont N € pour …`
    ("Dans le Cantal, l'enveloppe DSIL de 2023 atteint 2 400 000 €, dont 350 000 € pour la commune de Saint-Flour "
     "afin de rénover ses remparts.\n", {("15187", 350000)}),
    # an amount before its beneficiary
    ("Au titre du fonds vert, 210 000 euros vont bénéficier à la commune d'Allanche pour la rénovation de son "
     "éclairage public.\n", {("15001", 210000)}),
    # a heading line, then the grant in the next paragraph
    ("Commune de PLEAUX : aménagement du bourg.\n\nLe coût des travaux est de 400 000 €, la subvention de 140 000 €.\n\n"
     "Commune de TRIZAC : extension de la crèche.\n\nLe coût des travaux est de 90 000 €, la subvention de 27 000 €.\n",
     {("15153", 140000), ("15243", 27000)}),
    # an envelope and a group of communes are no grants
    ("La DETR du Cantal est dotée de 14 000 000 € en 2024. 300 000 € seront répartis entre six communes du "
     "Cézallier.\n", set()),
])
def test_ways_of_writing_a_grant(extract_text, text, expected):
    ex = extract_text("COMMUNIQUÉ DE PRESSE\n\nAurillac, le 2 mai 2023\n\nSUBVENTIONS\n\n" + text)
    assert {(a.insee_code, a.amount_eur) for a in ex.allocations} == expected


def test_listed_projects_without_amounts(extract_text):
    """`l'État a soutenu … les projets suivants :` then items naming communes: one
    grant per commune, without amount; a name in brackets only locates a site."""
    ex = extract_text(
        "COMMUNIQUÉ DE PRESSE\n\nAurillac, le 2 mai 2023\n\nDETR 2023\n\n"
        "Cette année, l'État a soutenu au titre de la DETR les projets suivants :\n"
        "• la réfection du pont de Vebret\n"
        "• la création d'un city-stade à Ydes et à Saignes\n"
        "• la signalétique du plateau (site de Menet)\n"
        "• des travaux dans plusieurs communes\n"
    )
    got = sorted((a.insee_code, a.amount_eur, a.programme) for a in ex.allocations)
    assert got == [("15169", None, "DETR"), ("15250", None, "DETR"), ("15265", None, "DETR")]


def test_table_rows_pair_beneficiary_and_grant(tmp_path):
    """A PDF table: the beneficiary cell and the grant column, not the cost column."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    from fiche_extract.pipeline import extract_path

    body = ParagraphStyle("b", fontName="Helvetica", fontSize=9.5, leading=12)
    cell = ParagraphStyle("c", fontName="Helvetica", fontSize=8.5, leading=10)
    head = ParagraphStyle("h", fontName="Helvetica-Bold", fontSize=11, leading=14)
    rows = [["Bénéficiaire", "Opération", "Coût HT", "Subvention DSIL"],
            ["Saignes", "Rénovation de la salle des fêtes", "250 000 €", "75 000 €"],
            ["Champagnac", "Création d'une aire de covoiturage", "90 000 €", "36 000 €"]]
    table = Table([[Paragraph(c, cell) for c in r] for r in rows], colWidths=[30 * mm, 60 * mm, 25 * mm, 30 * mm])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey)]))
    path = tmp_path / "communique-dsil.pdf"
    SimpleDocTemplate(str(path), pagesize=A4).build([
        Paragraph("COMMUNIQUÉ DE PRESSE", head), Paragraph("Aurillac, le 12 juin 2023", body),
        Paragraph("La préfète du Cantal a retenu deux opérations au titre de la DSIL :", body), table])
    ex = extract_path(path)
    # Saignes and Champagnac have namesakes in the Lot and in Charente-Maritime
    assert sorted((a.insee_code, a.amount_eur, a.programme) for a in ex.allocations) == [
        ("15037", 36000, "DSIL"), ("15169", 75000, "DSIL")]


# ------------------------------------------------------------------ database


@pytest.fixture(scope="module")
def release_db(tmp_path_factory):
    import fiche_extract

    folder = tmp_path_factory.mktemp("release-db")
    (folder / "communique-detr-cantal.txt").write_text(RELEASE, encoding="utf-8")
    db = folder / "grants.db"
    summary = fiche_extract.run([folder], db, workers=1)
    assert summary.counts.get("ok") == 1
    return db


def canned(name):
    from fiche_extract.storage.serve import publication

    return publication()["queries"][name]["sql"]


def test_who_got_what_answers_the_canned_queries(release_db):
    con = sqlite3.connect(release_db)
    rows = con.execute("SELECT insee_code, amount_eur, programme, department_code, source FROM who_got_what").fetchall()
    assert {r[0]: r[1] for r in rows} == EXPECTED
    assert {(r[2], r[3]) for r in rows} == {("DETR", "15")} and all(r[4].endswith(".txt") for r in rows)
    largest = con.execute(canned("largest_grants_in_departement"), {"departement": "15"}).fetchall()
    assert [r[0] for r in largest[:2]] == ["Mauriac", "Hautes Terres Communauté"]
    detr = con.execute(canned("largest_grants_of_programme"), {"programme": "DETR"}).fetchall()
    assert len(detr) == 7 and detr[-1][4] == 12500
    murat = con.execute(canned("grants_to_beneficiary"), {"beneficiary": "15138"}).fetchall()
    assert [(r[0], r[5]) for r in murat] == [("Murat", 95000)]
    totals = con.execute(canned("total_per_beneficiary")).fetchall()
    assert totals[0][1:5] == ("Mauriac", "15120", 1, 180000)


def test_euros_per_inhabitant(release_db):
    con = sqlite3.connect(release_db)
    rows = {r[0]: r[1:] for r in con.execute(
        "SELECT insee_code, euros, population, euros_per_inhabitant FROM euros_per_inhabitant")}
    euros, population, per_head = rows["15138"]
    assert euros == 95000 and population > 0 and per_head == round(95000 / population, 2)
    # an intercommunality counts the inhabitants of its communes
    assert rows["241500271"][1] > rows["15120"][1]
    (programme, euros, inhabitants), = con.execute(
        "SELECT programme, euros, inhabitants FROM euros_per_inhabitant_per_programme").fetchall()
    assert programme == "DETR" and euros == sum(EXPECTED.values()) and inhabitants > 0


def test_official_lists_are_in_the_database_once(release_db):
    from fiche_extract.resources import programmes
    from fiche_extract.storage.store import open_db

    expected = sum(len(programmes.members(code)) for code in programmes.PROGRAMMES)
    db = open_db(release_db)  # opening again adds nothing
    assert db["programme_members"].count == expected
    pvd_cantal = {r["insee_code"] for r in db.query(
        "SELECT insee_code FROM programme_members WHERE programme = 'pvd' AND department_code = '15'")}
    assert {"15138", "15120"} <= pvd_cantal and "15219" not in pvd_cantal  # Murat and Mauriac; not Salers
    assert db["programme_counts"].count == len(programmes.reported_counts("fs"))
