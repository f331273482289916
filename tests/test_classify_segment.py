from fiche_extract.rules.classify import classify
from fiche_extract.reading.normalise import plain_text_document
from fiche_extract.rules.segment import segment

OTHER_FICHE = """ Jean Martin
Président de l'Agence

Une fiche territoriale pour votre département.
 PROGRAMMES D'ACTION DE L'ANCT

Territoires et ruralités
France Services

9 espaces France Services :
Aurillac, Mauriac et Murat

Petites villes de demain

4 villes bénéficiaires du programme :
Riom-ès-Montagnes, Maurs, Massiac et Ydes

Numérique
Conseillers numériques

5 conseillers numériques validés.
"""

OTHER_COMMUNIQUE = """COMMUNIQUÉ DE PRESSE

Mende, le 3 mars 2021

SIGNATURE DU CONTRAT DE RELANCE

La préfète de la Lozère a signé ce mercredi le contrat.
"""


def test_kinds_with_deciding_features():
    kind, features = classify(OTHER_FICHE)
    assert kind == "fiche_territoriale"
    assert features["fiche_territoriale:france services"] > 0
    kind, features = classify(OTHER_COMMUNIQUE)
    assert kind == "communique_de_presse" and features["communique_de_presse:dateline"] > 0


def test_any_french_text_is_read_and_another_language_is_not():
    assert classify("Compte rendu du conseil municipal. La séance est ouverte à 18 heures.")[0] == "autre"
    assert classify("The prefecture of Lozère published its annual report on public services.")[0] == "inconnu"


def test_heading_tree_of_a_fiche():
    nt = plain_text_document(OTHER_FICHE)
    paths = [s.path for s in segment(nt)]
    assert ["PROGRAMMES D'ACTION DE L'ANCT", "Territoires et ruralités", "France Services"] in paths
    assert ["PROGRAMMES D'ACTION DE L'ANCT", "Territoires et ruralités", "Petites villes de demain"] in paths
    assert ["PROGRAMMES D'ACTION DE L'ANCT", "Numérique", "Conseillers numériques"] in paths
    assert not any("Aurillac" in p[-1] or "Jean Martin" in p[-1] for p in paths)


def test_pdf_letterheads_signatures_and_wrapped_titles_are_read_as_such(tmp_path):
    """A letterhead (`PRÉFET` / `DE L'AIN`) and a bold signatory over their role are no
    headings; a title wrapped over two lines is one heading, and the document's title."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from fiche_extract.pipeline import extract_path

    bold = ParagraphStyle("b", fontName="Helvetica-Bold", fontSize=10, leading=11)
    title = ParagraphStyle("t", fontName="Helvetica-Bold", fontSize=13, leading=17)
    body = ParagraphStyle("p", fontName="Helvetica", fontSize=9.5, leading=12, spaceAfter=6)
    cover = ParagraphStyle("c", fontName="Helvetica-Bold", fontSize=20, leading=24, spaceAfter=10)
    communique = tmp_path / "communique.pdf"
    SimpleDocTemplate(str(communique), pagesize=A4).build([
        Paragraph("PRÉFET<br/>DE L'AIN", bold),
        Paragraph("Communiqué de presse", title),
        Paragraph("Bourg-en-Bresse, le 3 février 2021", body),
        Paragraph("SIGNATURE DU CONTRAT DE RELANCE ET DE TRANSITION ÉCOLOGIQUE DU PAYS DE GEX ET DE LA CA DU "
                  "PAYS DE GEX", title),
        Paragraph("Le préfet de l'Ain a signé le contrat avec les élus de 27 communes.", body),
    ])
    ex = extract_path(communique)
    assert [s.heading for s in ex.sections] == [
        "SIGNATURE DU CONTRAT DE RELANCE ET DE TRANSITION ÉCOLOGIQUE DU PAYS DE GEX ET DE LA CA DU PAYS DE GEX"]
    assert ex.document.title == ex.sections[0].heading
    # a title whose first line ends on a colon (`… LOCAL :` / `PROGRAMMATION 2022`)
    colon = tmp_path / "colon.pdf"
    SimpleDocTemplate(str(colon), pagesize=A4).build([
        Paragraph("Communiqué de presse", title),
        Paragraph("Bourg-en-Bresse, le 3 février 2022", body),
        Paragraph("DOTATIONS DE SOUTIEN À L'INVESTISSEMENT LOCAL :<br/>PROGRAMMATION 2022", title),
        Paragraph("Le préfet de l'Ain a arrêté la programmation de la dotation de soutien à l'investissement local.", body),
        Paragraph("Au niveau national, la dotation atteint 1,3 milliard d'euros.", body),
        Paragraph("Les projets retenus portent sur la rénovation des écoles et des mairies.", body),
    ])
    ex = extract_path(colon)
    assert [s.heading for s in ex.sections] == ["DOTATIONS DE SOUTIEN À L'INVESTISSEMENT LOCAL : PROGRAMMATION 2022"]
    fiche = tmp_path / "fiche.pdf"
    SimpleDocTemplate(str(fiche), pagesize=A4).build([
        Paragraph("Fiche territoriale<br/>synthétique de l'Allier", cover),
        Paragraph("Hélène Benhamou", bold),
        Paragraph("Présidente de l'Agence nationale de la cohésion des territoires", body),
        Paragraph("Cette fiche territoriale présente les programmes d'action de l'ANCT.", body),
        Paragraph("France Services", title),
        Paragraph("12 espaces France Services : Moulins, Vichy et Montluçon.", body),
    ])
    ex = extract_path(fiche)
    assert [s.heading for s in ex.sections] == ["Fiche territoriale synthétique de l'Allier", "France Services"]
    assert ex.document.title == "Fiche territoriale synthétique de l'Allier"
    assert [(p.name, p.role) for p in ex.people] == [
        ("Hélène Benhamou", "Présidente de l'Agence nationale de la cohésion des territoires")]
