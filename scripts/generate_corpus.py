"""Generate a scale corpus: fiches territoriales for any number of départements and
communiqués de presse, as PDFs, with their gold annotations (known by construction).

Real département, région and commune names and codes come from the shipped
gazetteer; figures are drawn at random within plausible ranges; lists vary in
length; layouts vary (one or two columns, Helvetica or Times, headings in
capitals or not), so page and column breaks fall in different places.

    .venv/bin/python scripts/generate_corpus.py output/corpus-large --fiches 101 --communiques 200
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_JUSTIFY, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, Spacer, Table, TableStyle

from fiche_extract.gazetteer import get_gazetteer

rl_config.invariant = 1
FIRST_NAMES = ["Valérie", "Jean-Marc", "Sophie", "Thierry", "Catherine", "Pierre-Yves", "Hélène", "Laurent",
               "Isabelle", "François", "Nathalie", "Olivier", "Anne-Sophie", "Frédéric", "Claire", "Didier"]
LAST_NAMES = ["Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Garnier", "Rousseau", "Fontaine", "Chevalier",
              "Le Gall", "Perrin", "Morel", "Girard", "Mercier", "Blanc", "Guérin", "Faure", "Roux"]


@dataclass
class Layout:
    columns: int
    font: str
    bold: str
    caps: bool


@dataclass
class Doc:
    """Blocks to render and the gold records they carry."""

    blocks: list[tuple[str, str]] = field(default_factory=list)  # (kind, text); kind: h1 h2 h3 p table right
    measures: list[dict] = field(default_factory=list)
    places: list[dict] = field(default_factory=list)
    people: list[dict] = field(default_factory=list)
    tables: list[dict] = field(default_factory=list)


def fmt_int(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


def fmt_euros(rng: random.Random, doc: Doc, section: str) -> str:
    """An amount in one of the forms of the fiches, recorded as a measure."""
    form = rng.choice(["plain", "millions", "meur"])
    if form == "plain":
        value = rng.randrange(20_000, 30_000_000, 1_000)
        text = f"{fmt_int(value)} euros"
    elif form == "millions":
        tenths = rng.randrange(12, 900)
        value = tenths * 100_000
        text = f"{tenths // 10},{tenths % 10} millions d'euros" if tenths % 10 else f"{tenths // 10} millions d'euros"
    else:
        value = rng.randrange(1, 60) * 1_000_000
        text = f"{value // 1_000_000} M€"
    doc.measures.append({"value": value, "unit": "EUR", "total": None, "section": section})
    return text


def count(doc: Doc, value: int, section: str, total=None, unit="count") -> str:
    doc.measures.append({"value": value, "unit": unit, "total": total, "section": section})
    return fmt_int(value)


def place(doc: Doc, entry, section: str, kind: str = "commune") -> str:
    doc.places.append({"name": entry.name, "kind": kind, "insee_code": entry.code, "section": section})
    return entry.name


def pick(rng: random.Random, population: list, low: int, high: int) -> list:
    """Between `low` and `high` distinct items, fewer when the population is small."""
    return rng.sample(population, min(len(population), rng.randint(low, high)))


def join_names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " et " + names[-1]


def fiche(rng: random.Random, dep, layout: Layout) -> tuple[Doc, dict]:
    gaz = get_gazetteer()
    region = gaz.region(dep.region_code)
    communes = sorted(gaz.communes_of(dep.code), key=lambda e: -(e.population or 0))
    # names any reader resolves alone: no homonym in the same département
    communes = [c for c in communes if len([e for e in gaz.lookup(c.name) if e.kind == "commune" and e.department_code == dep.code]) == 1]
    big = communes[: max(8, len(communes) // 6)]
    doc = Doc()
    h = (lambda s: s.upper()) if layout.caps else (lambda s: s)
    doc.blocks.append(("p", f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}\nPrésidente de l'Agence nationale de la cohésion des territoires"))
    doc.blocks.append(("p", "Cette fiche territoriale vous présente de manière synthétique les différentes actions de l'ANCT dans votre département."))
    doc.blocks.append(("h1", "PROGRAMMES D'ACTION DE L'ANCT"))
    doc.blocks.append(("h2", h("Territoires et ruralités")))

    sec = "France Services"
    doc.blocks.append(("h3", sec))
    chosen = pick(rng, big, 3, 14)
    names = [place(doc, c, sec) for c in chosen]
    doc.blocks.append(("p", f"{count(doc, len(names), sec)} espaces France Services : {join_names(names)}"))

    sec = "Action cœur de ville"
    doc.blocks.append(("h3", sec))
    chosen = pick(rng, big[:6], 1, 3)
    names = [place(doc, c, sec) for c in chosen]
    doc.blocks.append(("p", f"{count(doc, len(names), sec)} communes bénéficiaires du programme : {join_names(names)}"))
    doc.blocks.append(("p", f"{fmt_euros(rng, doc, sec)} : les engagements cumulés de l'État et des partenaires financiers pour ce programme dans le territoire."))

    sec = "Petites villes de demain"
    doc.blocks.append(("h3", sec))
    chosen = pick(rng, communes[: max(30, len(communes) // 3)], 4, 24)
    names = [place(doc, c, sec) for c in chosen]
    doc.blocks.append(("p", f"{count(doc, len(names), sec)} villes bénéficiaires du programme : {join_names(names)}"))

    sec = "Ruralité"
    doc.blocks.append(("h3", sec))
    total = len(communes)
    zrr = rng.randint(total // 4, total)
    doc.blocks.append(("p", f"{count(doc, zrr, sec, total=total)} communes sur {fmt_int(total)} classées en zone de revitalisation rurale (ZRR)."))

    doc.blocks.append(("h2", h("Politique de la ville")))
    sec = "Politique de la ville"
    qpv = rng.randint(1, 12)
    people = rng.randint(800, 40_000)
    share = rng.randint(1, 15)
    doc.blocks.append(("p", f"{count(doc, qpv, sec)} QPV, dans lesquels résident {count(doc, people, sec)} habitants soit "
                            f"{count(doc, share, sec, unit='percent')} % de la population."))
    doc.blocks.append(("p", f"{fmt_euros(rng, doc, sec)} : l'enveloppe de crédits du P147 dont bénéficie le département en 2021."))

    doc.blocks.append(("h2", h("Numérique")))
    sec = "France Mobile"
    doc.blocks.append(("h3", sec))
    whole = rng.randint(100, 700)
    part = rng.randint(3, 60)
    doc.blocks.append(("p", f"{count(doc, whole, sec)} zones prioritaires à couvrir identifiées en "
                            f"{place(doc, region, sec, 'region')}, dont {count(doc, part, sec)} dans le département."))
    sec = "Conseillers numériques"
    doc.blocks.append(("h3", sec))
    doc.blocks.append(("p", f"{count(doc, rng.randint(2, 30), sec)} structures d'accueil et "
                            f"{count(doc, rng.randint(3, 60), sec)} conseillers numériques validés en comité de sélection."))
    sec = "France Très Haut Débit"
    doc.blocks.append(("h3", sec))
    amii, rip = rng.randrange(5_000, 120_000, 100), rng.randrange(5_000, 150_000, 100)
    ra, rr = rng.randrange(1_000, amii, 100), rng.randrange(1_000, rip, 100)
    tot, rtot = amii + rip, ra + rr

    def cell(v, pct):
        doc.measures.append({"value": v, "unit": "count", "total": None, "section": sec})
        doc.measures.append({"value": pct, "unit": "percent", "total": None, "section": sec})
        return f"{fmt_int(v)} ({pct} %)"

    rows = [
        ["Zone AMII", cell(amii, round(100 * amii / tot)), cell(ra, round(100 * ra / amii))],
        ["Zone RIP", cell(rip, round(100 * rip / tot)), cell(rr, round(100 * rr / rip))],
    ]
    doc.measures.append({"value": tot, "unit": "count", "total": None, "section": sec})
    rows.append(["TOTAL", fmt_int(tot), cell(rtot, round(100 * rtot / tot))])
    doc.blocks.append(("table", json.dumps({"header": ["", "Total des locaux à déployer en FttH", "Locaux raccordables en FttH à date"], "rows": rows})))
    doc.blocks.append(("h1", "EN PRATIQUE"))
    doc.blocks.append(("p", "Retrouvez la liste des délégués territoriaux dans les départements sur le site Internet de l'ANCT."))
    meta = {"kind": "fiche_territoriale", "department_code": dep.code, "department_name": dep.name, "date": None}
    return doc, meta


def communique(rng: random.Random, dep, layout: Layout) -> tuple[Doc, dict]:
    gaz = get_gazetteer()
    communes = sorted(gaz.communes_of(dep.code), key=lambda e: -(e.population or 0))
    unique = [c for c in communes if len([e for e in gaz.lookup(c.name) if e.kind == "commune"]) == 1]
    communes = unique or communes
    town = communes[0]
    day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.choice([2020, 2021, 2022])
    doc = Doc()
    doc.blocks.append(("h1", "COMMUNIQUÉ DE PRESSE"))
    doc.places.append({"name": town.name, "kind": "commune", "insee_code": town.code, "section": None})
    doc.blocks.append(("right", f"{town.name}, le {day:02d}/{month:02d}/{year}"))
    title = rng.choice(["SIGNATURE DU CONTRAT DE RELANCE ET DE TRANSITION ÉCOLOGIQUE",
                        "INSTALLATION DU COMITÉ LOCAL DE COHÉSION DES TERRITOIRES",
                        "LANCEMENT DU PROGRAMME PETITES VILLES DE DEMAIN"])
    doc.blocks.append(("h2", title))
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    role = rng.choice(["préfet", "préfète"])
    doc.people.append({"name": f"{first} {last}", "role": f"{role} du département"})
    n = rng.randint(3, 40)
    others = pick(rng, communes[1:30], 2, 5)
    names = [place(doc, c, None) for c in others]
    amount = fmt_euros(rng, doc, None)
    projects = f"Les projets de {join_names(names)} recevront" if names else "Les projets recevront"
    doc.blocks.append(("p", f"{first} {last.upper()}, {role} du département, a réuni ce jour les élus de "
                            f"{count(doc, n, None)} communes. {projects} "
                            f"{amount} au titre du plan de relance."))
    doc.blocks.append(("p", "L'Agence nationale de la cohésion des territoires (ANCT) accompagne les collectivités "
                            "dans leurs projets de territoire."))
    meta = {"kind": "communique_de_presse", "department_code": dep.code, "department_name": dep.name,
            "date": f"{year}-{month:02d}-{day:02d}"}
    return doc, meta


def render(doc: Doc, layout: Layout, target: Path) -> int:
    """Write the PDF; returns its number of pages."""
    width, height = A4
    margin, gap = 16 * mm, 9 * mm
    if layout.columns == 2:
        col = (width - 2 * margin - gap) / 2
        frames = [Frame(margin, margin, col, height - 2 * margin, id="l"),
                  Frame(margin + col + gap, margin, col, height - 2 * margin, id="r")]
    else:
        frames = [Frame(margin, margin, width - 2 * margin, height - 2 * margin, id="f")]
    pdf = BaseDocTemplate(str(target), pagesize=A4, title=target.stem)
    pdf.addPageTemplates([PageTemplate(id="p", frames=frames)])
    body = ParagraphStyle("b", fontName=layout.font, fontSize=9.5, leading=12, spaceAfter=6, alignment=TA_JUSTIFY)
    right = ParagraphStyle("r", parent=body, alignment=TA_RIGHT)
    heads = {
        "h1": ParagraphStyle("h1", fontName=layout.bold, fontSize=16, leading=20, textColor=colors.HexColor("#1f3a93"), spaceAfter=8),
        "h2": ParagraphStyle("h2", fontName=layout.bold, fontSize=13, leading=16, textColor=colors.HexColor("#0b7a75"), spaceAfter=5),
        "h3": ParagraphStyle("h3", fontName=layout.bold, fontSize=10.5, leading=13, textColor=colors.HexColor("#c8102e"), spaceAfter=4),
    }
    cell = ParagraphStyle("c", fontName=layout.font, fontSize=8, leading=9.5)
    story = []
    for kind, text in doc.blocks:
        if kind in heads:
            story.append(Paragraph(escape(text), heads[kind]))
        elif kind == "right":
            story.append(Paragraph(escape(text), right))
        elif kind == "table":
            spec = json.loads(text)
            data = [[Paragraph(escape(c), cell) for c in spec["header"]]]
            data += [[Paragraph(escape(c), cell) for c in row] for row in spec["rows"]]
            t = Table(data, colWidths=[22 * mm, 31 * mm, 31 * mm])
            t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
            story += [t, Spacer(1, 8)]
        else:
            story.append(Paragraph("<br/>".join(escape(line) for line in text.split("\n")), body))
    pdf.build(story)
    return pdf.page


def gold(doc: Doc, meta: dict, pages: int) -> dict:
    return {"document": {**meta, "pages": pages}, "measures": doc.measures, "places": doc.places, "people": doc.people}


def generate(out: Path, fiches: int, communiques: int, seed: int = 2021) -> list[Path]:
    rng = random.Random(seed)
    gaz = get_gazetteer()
    deps = sorted((e for _, e in gaz.names(kinds=["departement"])), key=lambda e: e.code)
    deps = [d for d in deps if gaz.communes_of(d.code) and d.region_code]
    (out / "gold").mkdir(parents=True, exist_ok=True)
    written = []
    for i in range(fiches + communiques):
        dep = deps[i % len(deps)]
        layout = Layout(columns=rng.choice([1, 2]), font=rng.choice(["Helvetica", "Times-Roman"]), bold="", caps=rng.random() < 0.3)
        layout.bold = "Helvetica-Bold" if layout.font == "Helvetica" else "Times-Bold"
        if i < fiches:
            doc, meta = fiche(rng, dep, layout)
            name = f"fiche-territoriale-{dep.code.lower()}"
        else:
            doc, meta = communique(rng, dep, layout)
            name = f"communique-{dep.code.lower()}-{i - fiches:03d}"
        target = out / f"{name}.pdf"
        pages = render(doc, layout, target)
        (out / "gold" / f"{name}.json").write_text(json.dumps(gold(doc, meta, pages), ensure_ascii=False, indent=1),
                                                  encoding="utf-8")
        written.append(target)
    return written


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--fiches", type=int, default=101)
    parser.add_argument("--communiques", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2021)
    args = parser.parse_args(argv)
    files = generate(args.out, args.fiches, args.communiques, args.seed)
    print(f"{len(files)} documents and their gold in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
