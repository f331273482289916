"""Running headers and footers written by the tests' own PDFs: a bare page number in
the footer follows the pages' order and is kept out of the text, like `Page N / M`."""

from __future__ import annotations

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from fiche_extract.pipeline import extract_path

BODY = ("Le département compte {n} maisons France services ouvertes au public et le programme "
        "accompagne les communes rurales dans leurs projets.")


def render(path, footer) -> None:
    """Three pages of body text, each footer printed by `footer(page_number)`."""
    pdf = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4
    for number in (1, 2, 3):
        pdf.setFont("Helvetica", 10)
        pdf.drawString(72, height - 40, "Fiche territoriale du Cantal")
        y = height - 120
        for k in range(12):
            pdf.drawString(72, y, BODY.format(n=10 + number * 12 + k)[:95])
            y -= 14
        pdf.setFont("Helvetica", 9)
        pdf.drawCentredString(width / 2, 30, footer(number))
        pdf.showPage()
    pdf.save()


def test_a_bare_page_number_is_a_running_line(tmp_path):
    path = tmp_path / "numbered.pdf"
    render(path, str)
    ex = extract_path(path, with_text=True)
    assert {"1", "2", "3", "Fiche territoriale du Cantal"} <= set(ex.document.running_lines)
    assert not any(line.strip() in {"1", "2", "3"} for line in ex.document.text.splitlines())
    assert not any(m.value in (1, 2, 3) for m in ex.measures)


def test_a_number_that_does_not_follow_the_pages_stays(tmp_path):
    path = tmp_path / "figure.pdf"
    render(path, lambda n: "12")  # the same figure on every page is no page number
    ex = extract_path(path, with_text=True)
    assert "12" not in ex.document.running_lines
