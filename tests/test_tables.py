"""Tables in real PDFs drawn without vertical rules (horizontal rules only, or none),
read by word alignment under their header row."""

from __future__ import annotations

import pytest
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from fiche_extract.pipeline import extract_path

BODY = ParagraphStyle("b", fontName="Helvetica", fontSize=9.5, leading=12)
CELL = ParagraphStyle("c", fontName="Helvetica", fontSize=8.5, leading=10)
HEAD = ParagraphStyle("h", fontName="Helvetica-Bold", fontSize=8.5, leading=10)
H3 = ParagraphStyle("h3", fontName="Helvetica-Bold", fontSize=11, leading=14)

PROJECTS = [
    ["Porteur du projet", "Nature du projet", "Nom du projet", "Nature de l'accompagnement"],
    ["Auvergne-Rhône-Alpes", "Appui à l'élaboration ou contribution à un projet de territoire", "CRTE",
     "Mise à disposition d'un prestataire externe"],
    ["PETR du Pays de Vichy", "Aménagement et revitalisation de centre-bourg", "Tiers-lieu", "Expertise interne ANCT"],
    ["Moulins", "Revitalisation commerciale et artisanale", "Cœur de ville (ACV)", "Expertise interne ANCT"],
]
FIBRE = [
    ["Zone", "Locaux à déployer en FttH", "Locaux raccordables à date"],
    ["Zone AMII", "97 800 (44 %)", "67 300 (69 %)"],
    ["Zone RIP", "123 100 (56 %)", "34 100 (28 %)"],
    ["TOTAL", "220 900", "101 400 (46 %)"],
]


def render(path, rules: bool) -> None:
    """A fiche page with the two tables of the fiches, without vertical rules."""
    style = [("VALIGN", (0, 0), (-1, -1), "TOP")]
    if rules:
        style += [("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.grey), ("LINEABOVE", (0, 0), (-1, 0), 0.5, colors.grey)]

    def table(data, widths):
        rows = [[Paragraph(c, HEAD if i == 0 else CELL) for c in row] for i, row in enumerate(data)]
        t = Table(rows, colWidths=widths)
        t.setStyle(TableStyle(style + [("BOTTOMPADDING", (0, 0), (-1, -1), 5)]))
        return t

    story = [
        Paragraph("Fiche territoriale de l'Allier", H3),
        Paragraph("Cette fiche territoriale présente les programmes d'action de l'ANCT : France Services, "
                  "Petites villes de demain.", BODY),
        Paragraph("France Très Haut Débit", H3),
        table(FIBRE, [30 * mm, 30 * mm, 30 * mm]), Spacer(1, 10),
        Paragraph("Accompagnement sur mesure par l'ANCT", H3),
        Paragraph("3 projets accompagnés sur mesure :", BODY),
        table(PROJECTS, [28 * mm, 45 * mm, 35 * mm, 45 * mm]), Spacer(1, 10),
        Paragraph("Le département compte 2 CRTE : Moulins Communauté ; Vichy Communauté.", BODY),
    ]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)


@pytest.mark.parametrize("rules", [True, False], ids=["horizontal-rules", "no-rules"])
def test_tables_without_vertical_rules(tmp_path, rules):
    path = tmp_path / f"fiche-{rules}.pdf"
    render(path, rules)
    ex = extract_path(path, with_text=True)
    tables = {t.header[0]: t for t in ex.tables}
    assert set(tables) == {"Zone", "Porteur du projet"}
    assert [tables["Porteur du projet"].header] + tables["Porteur du projet"].rows == PROJECTS
    assert [tables["Zone"].header] + tables["Zone"].rows == FIBRE
    # cells stay apart: two figures, not 220900101400
    values = {m.value for m in ex.measures}
    assert {220900, 101400, 46} <= values and 220900101400 not in values
    # the row holders are places; the région written over two lines in its cell is whole
    places = {(p.name, p.insee_code) for p in ex.places}
    assert ("Auvergne-Rhône-Alpes", "84") in places and ("Moulins", "03190") in places
    # the rows do not leak into the text around them as headings
    assert "Moulins" not in {s.heading for s in ex.sections}


def test_table_in_the_right_column_of_a_two_column_page(tmp_path):
    """The left column's lines at the table's heights are neither cells nor a label
    column; a table whose rows run on after a line of the other column stays whole."""
    from reportlab.platypus import BaseDocTemplate, Frame, FrameBreak, PageTemplate

    path = tmp_path / "two-columns.pdf"
    width, height = A4
    col = (width - 40 * mm) / 2
    doc = BaseDocTemplate(str(path), pagesize=A4)
    doc.addPageTemplates([PageTemplate(frames=[Frame(15 * mm, 15 * mm, col, height - 30 * mm),
                                               Frame(25 * mm + col, 15 * mm, col, height - 30 * mm)])])
    left = [Paragraph("Cette fiche territoriale présente les programmes d'action de l'ANCT : France Services, "
                      "Petites villes de demain. " + "Le département compte des quartiers prioritaires (QPV), "
                      "où vivent des habitants de la population départementale. " * 12, BODY)]
    rows = [[Paragraph(c, HEAD if i == 0 else CELL) for c in row] for i, row in enumerate(FIBRE)]
    table = Table(rows, colWidths=[22 * mm, 28 * mm, 28 * mm])
    table.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.grey)]))
    doc.build(left + [FrameBreak(), Paragraph("France Très Haut Débit", H3), table])
    ex = extract_path(path)
    fibre = [t for t in ex.tables if t.header and t.header[0] == "Zone"]
    assert len(fibre) == 1 and [fibre[0].header] + fibre[0].rows == FIBRE
