"""A letterhead whose first line shares its row with the dateline (drawn here with
reportlab): the letterhead's lines are read together, then the dateline."""

from __future__ import annotations

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from fiche_extract.pipeline import extract_path


def test_the_dateline_beside_the_letterhead_does_not_cut_it(tmp_path):
    path = tmp_path / "letterhead.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4
    pdf.setFont("Helvetica-Bold", 10)
    pdf.drawString(45, height - 60, "PRÉFET")
    pdf.drawString(45, height - 71, "DU CANTAL")
    pdf.setFont("Helvetica", 9.5)
    pdf.drawRightString(width - 45, height - 60, "Aurillac, le 4 avril 2024")
    pdf.setFont("Helvetica-Bold", 14)
    pdf.drawString(45, height - 130, "COMMUNIQUÉ DE PRESSE")
    pdf.setFont("Helvetica-Bold", 12)
    pdf.drawString(45, height - 160, "SIGNATURE DU CONTRAT DE RURALITÉ DU CARLADÈS")
    pdf.setFont("Helvetica", 9.5)
    pdf.drawString(45, height - 190, "Le préfet du Cantal a signé ce jeudi le contrat avec les maires de 12 communes.")
    pdf.save()
    ex = extract_path(path, with_text=True)
    assert ex.document.text.index("DU CANTAL") < ex.document.text.index("Aurillac, le 4 avril 2024")
    assert ex.document.text.index("PRÉFET") < ex.document.text.index("DU CANTAL")
    assert ex.document.date == "2024-04-04"
    assert ex.document.title == "SIGNATURE DU CONTRAT DE RURALITÉ DU CARLADÈS"
    assert [s.heading for s in ex.sections][:1] == ["SIGNATURE DU CONTRAT DE RURALITÉ DU CARLADÈS"]
