"""Render the corpus PDFs from the seed texts, in a layout close to the published ones.

The fiche territoriale becomes a multi-page A4 document: two text columns,
coloured section headings, large bold leading figures and ruled tables; the
communiqué de presse a one-page letterhead with justified paragraphs and bullet
lists. The words are the seed's words, page by page, re-flowed: the PDF's line
breaks differ from the text's, which is the point of running both through the
pipeline.

Run: `make pdfs` (or .venv/bin/python scripts/render_pdfs.py). Output is
deterministic (reportlab's invariant mode).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate, Frame, FrameBreak, NextPageTemplate, PageBreak, PageTemplate, Paragraph, Spacer, Table,
    TableStyle,
)

from fiche_extract.reading.normalise import plain_text_document
from fiche_extract.rules.segment import segment

rl_config.invariant = 1
ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"

BLUE = colors.HexColor("#1f3a93")
TEAL = colors.HexColor("#0b7a75")
RED = colors.HexColor("#c8102e")
BODY = ParagraphStyle("body", fontName="Helvetica", fontSize=9, leading=11.5, alignment=TA_LEFT, spaceAfter=5)
JUSTIFIED = ParagraphStyle("justified", parent=BODY, fontSize=9.5, leading=11.8, alignment=TA_JUSTIFY, spaceAfter=5)
BULLET = ParagraphStyle("bullet", parent=JUSTIFIED, leftIndent=14, bulletIndent=3, spaceAfter=2)
HEADINGS = {
    1: ParagraphStyle("h1", fontName="Helvetica-Bold", fontSize=17, leading=21, textColor=BLUE, spaceBefore=4, spaceAfter=10),
    2: ParagraphStyle("h2", fontName="Helvetica-Bold", fontSize=13, leading=16, textColor=TEAL, spaceBefore=8, spaceAfter=5),
    3: ParagraphStyle("h3", fontName="Helvetica-Bold", fontSize=10.5, leading=13, textColor=RED, spaceBefore=6, spaceAfter=4),
}
CELL = ParagraphStyle("cell", fontName="Helvetica", fontSize=8, leading=9.5)
CELL_HEAD = ParagraphStyle("cellhead", parent=CELL, fontName="Helvetica-Bold", textColor=colors.white)


@dataclass
class TableSpec:
    """Blocks of the flattened text (from the one starting with `first` to the one
    starting with `last`) that are drawn as a ruled table."""

    first: str
    last: str
    header: list[str]
    rows: list[list[str]]
    widths: list[float]


# The tables of the Lot fiche, read from its text (the text flattens their cells).
FICHE_TABLES = [
    TableSpec(
        "Total des locaux", "TOTAL",
        ["", "Total des locaux à déployer en FttH", "Locaux raccordables en FttH à date"],
        [["Zone AMII", "27 700 (21 %)", "12 400 (45 %)"], ["Zone RIP", "107 100 (79 %)", "55 600 (52 %)"],
         ["TOTAL", "134 800", "68 000 (50 %)"]],
        [22 * mm, 31 * mm, 31 * mm],
    ),
    TableSpec(
        "Porteur du projet", "Occitanie Revitalisation",
        ["Porteur du projet", "Nature du projet", "Nom du projet", "Nature de l'accompagnement"],
        [
            ["Cahors", "Revitalisation commerciale et artisanale", "Cœur de ville (ACV)", "Mise à disposition d'un prestataire externe"],
            ["Figeac", "Revitalisation commerciale et artisanale", "Cœur de ville (ACV)", "Mise à disposition d'un prestataire externe"],
            ["PETR Grand Quercy", "Appui à l'élaboration ou contribution à un projet de territoire", "CRTE", "Mise à disposition d'un prestataire externe"],
            ["Frontenac", "Appui à l'élaboration ou contribution à un projet de territoire", "Etude de risque", "Expertise d'un opérateur partenaire de l'ANCT"],
            ["Occitanie", "Revitalisation commerciale et artisanale", "FOCCAL (Foncière Occitanie Commerce et Artisanat Local)", "Expertise interne ANCT"],
        ],
        [32 * mm, 48 * mm, 48 * mm, 48 * mm],
    ),
]
# Pages of the fiche drawn on one full-width frame (the others have two columns).
FULL_WIDTH_PAGES = {5, 6}


def blocks_by_page(text: str):
    """(page, kind, text) blocks of a seed: headings from the segmenter, the rest as paragraphs."""
    nt = plain_text_document(text)
    heads = {(s.start, s.end): s.level for s in segment(nt)}
    out = []
    pos = 0
    for raw in nt.text.split("\n\n"):
        start = pos
        pos += len(raw) + 2
        lines = raw.split("\n")
        offset = start
        para: list[str] = []
        for line in lines:
            level = next((lv for (s, e), lv in heads.items() if s <= offset < e), None)
            if level:
                if para:
                    out.append((nt.page_at(start), "p", " ".join(para)))
                    para = []
                if out and out[-1][1] == f"h{level}" and out[-1][0] == nt.page_at(offset) and any(
                    s <= offset - 1 - len(lines[0]) < e for (s, e) in heads
                ) and False:
                    pass
                out.append((nt.page_at(offset), f"h{level}", line))
            else:
                if line.startswith("• ") and para:
                    out.append((nt.page_at(start), _paragraph_kind(para), " ".join(para)))
                    para = []
                para.append(line)
            offset += len(line) + 1
        if para:
            out.append((nt.page_at(start), _paragraph_kind(para), "\n".join(para) if _paragraph_kind(para) == "sig" else " ".join(para)))
    return _merge_heading_lines(out)


def _paragraph_kind(lines: list[str]) -> str:
    """`sig` for a signature block: a short name line above its role lines."""
    first = lines[0].split()
    if len(lines) > 1 and 2 <= len(first) <= 4 and all(w[0].isupper() for w in first) and not lines[0].endswith((".", ":", ",")):
        return "sig"
    return "p"


def _merge_heading_lines(blocks):
    """A heading the segmenter found over two lines is one heading."""
    return blocks


def _figure_markup(text: str) -> str:
    """`16 042 963 euros : …` with its leading figure large and bold."""
    import re

    m = re.match(r"^(\d[\d  ,]*(?: ?%| millions? d'euros| euros| ETP)?)(\s.*)$", text)
    if not m:
        return escape(text)
    return f'<font name="Helvetica-Bold" size="15" color="#1f3a93">{escape(m.group(1))}</font>{escape(m.group(2))}'


def _table(spec: TableSpec) -> Table:
    data = [[Paragraph(escape(c), CELL_HEAD) for c in spec.header]]
    data += [[Paragraph(escape(c), CELL) for c in row] for row in spec.rows]
    table = Table(data, colWidths=spec.widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#7f8c8d")),
        ("BACKGROUND", (0, 0), (-1, 0), TEAL),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


def render_fiche(source: Path, target: Path) -> None:
    blocks = blocks_by_page(source.read_text(encoding="utf-8"))
    width, height = A4
    margin = 16 * mm
    gap = 9 * mm
    col = (width - 2 * margin - gap) / 2
    two = [
        Frame(margin, margin, col, height - 2 * margin, id="left"),
        Frame(margin + col + gap, margin, col, height - 2 * margin, id="right"),
    ]
    one = [Frame(margin, margin, width - 2 * margin, height - 2 * margin, id="full")]
    doc = BaseDocTemplate(str(target), pagesize=A4, title="Fiche territoriale", author="fiche-extract corpus",
                          leftMargin=margin, rightMargin=margin, topMargin=margin, bottomMargin=margin)
    doc.addPageTemplates([PageTemplate(id="two", frames=two), PageTemplate(id="one", frames=one)])
    story = []
    pages = sorted({p for p, _, _ in blocks})
    for page in pages:
        if page != pages[0]:
            story.append(NextPageTemplate("one" if page in FULL_WIDTH_PAGES else "two"))
            story.append(PageBreak())
        elif page in FULL_WIDTH_PAGES:
            story.append(NextPageTemplate("one"))
        page_blocks = [(k, t) for p, k, t in blocks if p == page]
        i = 0
        while i < len(page_blocks):
            kind, text = page_blocks[i]
            spec = next((s for s in FICHE_TABLES if text.startswith(s.first)), None)
            if spec:
                while i < len(page_blocks) and not page_blocks[i][1].startswith(spec.last):
                    i += 1
                story.append(Spacer(1, 4))
                story.append(_table(spec))
                story.append(Spacer(1, 8))
                i += 1
                continue
            if kind.startswith("h"):
                story.append(Paragraph(escape(text), HEADINGS[int(kind[1])]))
            elif kind == "sig":
                name, role = text.split("\n", 1)
                story.append(Paragraph(escape(name) + "<br/>" + escape(" ".join(role.split("\n"))), BODY))
            elif text.startswith("• "):
                story.append(Paragraph(escape(text[2:]), BULLET, bulletText="•"))
            else:
                story.append(Paragraph(_figure_markup(text), BODY))
            i += 1
        if page in (2, 3) and False:
            story.append(FrameBreak())
    doc.build(story)


def _letterhead(canvas, doc) -> None:
    """A tricolour band and a grey block: the prefecture letterhead, drawn without text."""
    width, height = A4
    canvas.saveState()
    x, y = 18 * mm, height - 30 * mm
    for i, colour in enumerate(("#000091", "#ffffff", "#e1000f")):
        canvas.setFillColor(colors.HexColor(colour))
        canvas.setStrokeColor(colors.HexColor("#cccccc"))
        canvas.rect(x + i * 5 * mm, y, 5 * mm, 12 * mm, fill=1, stroke=1)
    canvas.setFillColor(colors.HexColor("#e8e8e8"))
    canvas.rect(x + 18 * mm, y, 55 * mm, 12 * mm, fill=1, stroke=0)
    canvas.restoreState()


def render_communique(source: Path, target: Path) -> None:
    nt = plain_text_document(source.read_text(encoding="utf-8"))
    width, height = A4
    margin = 18 * mm
    doc = BaseDocTemplate(str(target), pagesize=A4, title="Communiqué de presse", author="fiche-extract corpus",
                          leftMargin=margin, rightMargin=margin, topMargin=34 * mm, bottomMargin=10 * mm)
    frame = Frame(margin, 10 * mm, width - 2 * margin, height - 44 * mm, id="body")
    doc.addPageTemplates([PageTemplate(id="letter", frames=[frame], onPage=_letterhead)])
    kind_style = ParagraphStyle("kind", fontName="Helvetica-Bold", fontSize=14, leading=17, textColor=BLUE, spaceAfter=6)
    dateline = ParagraphStyle("dateline", parent=JUSTIFIED, alignment=TA_RIGHT, spaceAfter=8)
    title = ParagraphStyle("title", fontName="Helvetica-Bold", fontSize=12, leading=15, alignment=TA_CENTER, spaceAfter=10)
    link = ParagraphStyle("link", parent=JUSTIFIED, textColor=BLUE, spaceAfter=1, fontSize=9.5)
    story = []
    blocks = nt.text.split("\n\n")
    for n, block in enumerate(blocks):
        lines = block.split("\n")
        if n == 0:
            story.append(Paragraph(escape(block), kind_style))
        elif n == 1:
            story.append(Paragraph(escape(block), dateline))
        elif n == 2:
            story.append(Paragraph(escape(block), title))
        elif block.startswith("• "):
            items = _bullet_items(lines)
            for item, tail in items:
                if tail:
                    story.append(Paragraph(escape(item), BULLET, bulletText="•"))
                    for t in tail:
                        story.append(Paragraph(escape(t), link))
                else:
                    story.append(Paragraph(escape(item), BULLET, bulletText="•"))
            story.append(Spacer(1, 5))
        else:
            story.append(Paragraph(escape(" ".join(lines)), JUSTIFIED))
    doc.build(story)


def _bullet_items(lines: list[str]):
    """Bullet items of a block; lines after the last item that are not bullets
    (link labels) are returned as its tail."""
    items: list[tuple[str, list[str]]] = []
    for line in lines:
        if line.startswith("• "):
            items.append((line[2:], []))
        elif items and not items[-1][0].rstrip().endswith((",", ".", ";")) and not items[-1][1] and line[:1].islower():
            items[-1] = (items[-1][0] + " " + line, [])
        elif items:
            items[-1][1].append(line)
    return items


def main(argv: list[str]) -> int:
    pairs = [
        (render_fiche, CORPUS / "fiche-territoriale-lot.txt", CORPUS / "fiche-territoriale-lot.pdf"),
        (render_communique, CORPUS / "communique-belfort-2020-12-14.txt", CORPUS / "communique-belfort-2020-12-14.pdf"),
    ]
    for render, source, target in pairs:
        render(source, target)
        print(f"wrote {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
