"""Render the producer matrix: the two corpus documents printed by five PDF producers in three layouts.

Today the corpus PDFs come from one reportlab script (scripts/render_pdfs.py). Real PDFs come from
browsers, word processors and typesetters, each with its own way of writing text: glyph runs,
spaces or no spaces, hyphens, fallback fonts, vector bullets, running headers. This script prints
the same words through

- Chromium (headless print-to-PDF of an HTML page),
- WeasyPrint (the same HTML, another CSS engine),
- LibreOffice Writer (a flat ODT written here, converted with `soffice --convert-to pdf`),
- Typst (markup written here, compiled by the `typst` Python bindings),
- fpdf2 (drawn directly from Python),

in three layouts:

- `twocol`: two text columns, coloured headings, large bold leading figures (like the published fiche);
- `plain`: one plain column;
- `serif`: justified serif text, running header, `Page N / M` footer, French hyphenation.

The words are the seed's words: the reader below splits the seed text into blocks (headings,
paragraphs, bullet lists, tables, signatures, links) with the help of a small structure map per
document (which lines are headings, tables, signatures...), then checks that the blocks hold the
seed's words in the seed's order (the only differences: bullet markers and the U+FFFD that follows
some of them are drawn, not written; a compound split at a line end, `Montcuq-` / `en-Quercy-Blanc`,
is one word). Narrow no-break spaces (U+202F), thin spaces (U+2009) and no-break spaces are kept as
they are in the seed. Each seed page starts a new PDF page, so the gold's page numbers still hold.

This script does not import fiche_extract: it is a producer of test input, independent of the
code it tests.

Run: `make matrix`, or `.venv/bin/python scripts/render_matrix.py [--only PRODUCER] [--out tests/matrix]`.
A producer whose tool is missing is reported and skipped. Dates are fixed where a producer lets us
set them (Typst, fpdf2, WeasyPrint); Chromium and LibreOffice write the current time, so they run
under `faketime` (Debian package) when it is installed.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
PY = sys.executable

# The fixed moment written into every PDF that lets us choose it (and the clock faketime shows).
FIXED_DATE = (2021, 6, 15, 10, 0, 0)
FIXED_DATE_TEXT = "2021-06-15 10:00:00"
# Where the HTML handed to Chromium lives: its file URL is printed in the default footer, so it
# must not depend on the checkout's location.
CHROMIUM_WORKDIR = Path("/tmp/fiche-extract-matrix")

PRODUCERS = ("chromium", "weasyprint", "libreoffice", "typst", "fpdf2")
LAYOUTS = ("twocol", "plain", "serif")

NNBSP, THIN, NBSP, SHY = "\u202f", "\u2009", "\u00a0", "\u00ad"

# Fonts, by file: Debian's fonts-liberation (1.07) has no U+202F nor U+2009 glyph,
# fonts-liberation2 (2.1) and fonts-dejavu-core have both. Fontconfig gives the same family name to
# both Liberation versions, so each run gets a font configuration of its own listing only the
# folders it may use.
FONT_DIRS = {
    "dejavu": Path("/usr/share/fonts/truetype/dejavu"),
    "liberation1": Path("/usr/share/fonts/truetype/liberation"),
    "liberation2": Path("/usr/share/fonts/truetype/liberation2"),
}


# --------------------------------------------------------------------------------------------
# The seed's structure
# --------------------------------------------------------------------------------------------

@dataclass
class Block:
    """One block of a document. kind: h1/h2/h3 (headings), p (paragraph), fig (paragraph opening
    on a figure: `figure` holds it, `text` the rest), list (`items`, `marker` the seed's bullet),
    table (`header`, `rows`), sig (`text` the name, `role`), label (a letter-spaced diagram label),
    link (a link label or address line), kind (the communiqué's `COMMUNIQUÉ DE PRESSE`),
    dateline, flow (a diagram box of page 6: `text`)."""

    kind: str
    text: str = ""
    figure: str = ""
    items: list[str] = field(default_factory=list)
    marker: str = "•"
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    role: str = ""
    borderless: bool = False

    def words(self) -> list[str]:
        parts = [self.figure + self.text, self.role, *self.items, *self.header]
        for row in self.rows:
            parts.extend(row)
        return [w for p in parts for w in split_words(p)]


@dataclass
class Document:
    stem: str
    title: str            # the HTML <title>, the PDF title
    running_header: str   # the serif layout's running header
    pages: list[list[Block]]
    pdf_pages: int        # the page count the gold expects


def split_words(text: str) -> list[str]:
    """Words split on ASCII white space only: U+202F, U+2009 and U+00A0 stay inside words."""
    return [w for w in re.split(r"[ \t\n]+", text) if w]


def norm_line(line: str) -> str:
    return re.sub(r"[ \t]+", " ", line).strip()


@dataclass
class Special:
    """A block of the structure map: its kind and the words it takes from the seed."""

    kind: str
    text: str = ""
    role: str = ""
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    borderless: bool = False

    def target(self) -> str:
        cells = [self.text, self.role, *[h for h in self.header if h]]
        for row in self.rows:
            cells.extend(row)
        return " ".join(c for c in cells if c)


T = THIN
N = NNBSP
FICHE_MAP = {
    "page_starts": ["Caroline Cayeux", "PROGRAMMES D’ACTION DE L’ANCT", "Politique de la ville", "Numérique",
                    "ACCOMPAGNEMENT SUR MESURE", "EN PRATIQUE"],
    "specials": [
        Special("sig", "Caroline Cayeux", "Présidente de l’Agence nationale de la cohésion des territoires"),
        Special("sig", "Jaqueline Gourault",
                "Ministre de la Cohésion des territoires et des Relations avec les collectivités territoriales"),
        Special("sig", "Yves Le Breton", "Directeur général de l’Agence nationale de la cohésion des territoires"),
        Special("h2", "À vos côtés"),
        Special("h1", "PROGRAMMES D’ACTION DE L’ANCT"),
        Special("h2", "Territoires et ruralités"),
        Special("h3", "France Services"),
        Special("h3", "Action cœur de ville"),
        Special("h3", "Petites villes de demain"),
        Special("h3", "Territoires d’industrie"),
        Special("h3", "Ruralité"),
        Special("h3", "Montagne"),
        Special("h1", "Politique de la ville"),
        Special("h2", "Géographie et moyens des quartiers prioritaires de la ville (QPV)"),
        Special("h2", "Emploi, formation et développement économique"),
        Special("h2", "Soutien à la vie associative et médiation sociale"),
        Special("h1", "Numérique"),
        Special("h2", "France Mobile"),
        Special("h2", "France Très Haut Débit"),
        Special("table", header=["", "Total des locaux à déployer en FttH", "Locaux raccordables en FttH à date"],
                rows=[["Zone AMII", f"27{T}700 (21{N}%)", f"12{T}400 (45{N}%)"],
                      ["Zone RIP", f"107{T}100 (79{N}%)", f"55{T}600 (52{N}%)"],
                      ["TOTAL", f"134{T}800", f"68{T}000 (50{N}%)"]],
                borderless=True),
        Special("h2", "Fabriques numériques"),
        Special("h2", "Hubs Territoriaux"),
        Special("h2", "Conseillers numériques"),
        Special("h2", "Pass numériques"),
        Special("h2", "Incubateur des territoires"),
        Special("h1", "ACCOMPAGNEMENT SUR MESURE ET PLAN DE RELANCE"),
        Special("h2", "Contrats de relance et de transition écologique (CRTE)"),
        Special("h2", "Accompagnement sur mesure par l’ANCT"),
        Special("table", header=["Porteur du projet", "Nature du projet", "Nom du projet", "Nature de l’accompagnement"],
                rows=[
                    ["Cahors", "Revitalisation commerciale et artisanale", "Cœur de ville (ACV)",
                     "Mise à disposition d'un prestataire externe"],
                    ["Figeac", "Revitalisation commerciale et artisanale", "Cœur de ville (ACV)",
                     "Mise à disposition d'un prestataire externe"],
                    ["PETR Grand Quercy", "Appui à l’élaboration ou contribution à un projet de territoire", "CRTE",
                     "Mise à disposition d'un prestataire externe"],
                    ["Frontenac", "Appui à l’élaboration ou contribution à un projet de territoire", "Etude de risque",
                     "Expertise d’un opérateur partenaire de l’ANCT"],
                    ["Occitanie", "Revitalisation commerciale et artisanale",
                     "FOCCAL (Foncière Occitanie Commerce et Artisanat Local)", "Expertise interne ANCT"],
                ]),
        Special("h2", "Fabrique prospective \"Temporalités, rythmes urbains et villes moyennes\""),
        Special("h1", "EN PRATIQUE"),
        Special("h2", f"Comment saisir l’ANCT{T}?"),
        Special("flow", "Le projet est complexe"),
        Special("flow", "Le préfet met en place un groupe projet dédié pour trouver des solutions sur mesure "
                        "avec l’Agence"),
        Special("flow", "Le projet s’inscrit dans un programme national de l’Agence"),
        Special("flow", "L’Agence applique la méthodologie du programme"),
        Special("flow", "Le projet fait l’objet d’un contrat ou d’un pacte territorial"),
        Special("flow", "L’Agence mobilise son ingénierie et un appui renforcé pour la réalisation des actions"),
        Special("label", "P R É F E T"),
        Special("flow", "Délégué territorial de l’ANCT"),
        Special("label", "É L U L O C A L"),
        Special("label", "MISE EN ŒUVRE LO CALE"),
    ],
}

COMMUNIQUE_MAP = {
    "page_starts": [],
    "specials": [
        Special("kind", "COMMUNIQUÉ DE PRESSE"),
        Special("dateline", "Belfort, le 14/12/2020"),
        Special("h1", "INSTALLATION DU COMITÉ LOCAL DE COHÉSION DES TERRITOIRES"),
        Special("link", "Consulter le vademecum de l’ANCT"),
        Special("h2", "Les missions de l’ANCT"),
    ],
}

DOCUMENTS = {
    "fiche-territoriale-lot": dict(map=FICHE_MAP, title="Fiche territoriale – Lot",
                                   running_header="Fiche territoriale – Lot | ANCT", pdf_pages=6),
    "communique-belfort-2020-12-14": dict(map=COMMUNIQUE_MAP, title="Communiqué de presse – Belfort, 14 décembre 2020",
                                          running_header="Communiqué de presse | Territoire de Belfort", pdf_pages=1),
}

BULLET_RE = re.compile(r"^([•-]) \ufffd?(.*)$")
LINK_LINE_RE = re.compile(r"^(https?://\S+|(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:fr|com|org|net)\b)")


def link_href(text: str) -> str:
    """The address a link line points to: its first word, made absolute."""
    first = text.split()[0]
    return first if first.startswith("http") else f"https://{first}"
FIGURE_RE = re.compile(
    r"^(\d[\d\u2009\u202f]*(?:,\d+)?(?:\u202f(?:%|millions d’euros|euros))?)(?=[ \u2009\u202f])")
TERMINAL = (".", ":", ";", "!", "?")


def _join(acc: str, line: str) -> str:
    """Join a line to the text before it: a compound cut after its hyphen (`Montcuq-`) closes up."""
    if not acc:
        return line
    if re.search(r"\w-$", acc):
        return acc + line
    return acc + " " + line


def _consume(lines: list[str], i: int, target: str) -> int | None:
    """Index after the lines from i (blank lines skipped) whose words make up `target`, or None."""
    acc = ""
    k = i
    want = " ".join(split_words(target))
    while k < len(lines):
        s = norm_line(lines[k])
        if not s:
            k += 1
            continue
        acc = _join(acc, s)
        if acc == want:
            return k + 1
        if not want.startswith(acc):
            return None
        k += 1
    return None


def _pages(text: str, starts: list[str]) -> list[list[str]]:
    """The seed's lines, page by page: a page starts on a line that begins with one space and then
    the page's first words (other lines begin with a space too, so the map names the pages)."""
    lines = text.split("\n")
    if not starts:
        return [lines]
    pages: list[list[str]] = []
    expected = list(starts)
    for line in lines:
        if expected and line.startswith(" ") and norm_line(line).startswith(expected[0]):
            expected.pop(0)
            pages.append([])
        if not pages:
            pages.append([])
        pages[-1].append(line)
    if expected:
        raise ValueError(f"page starts not found: {expected}")
    return pages


def _text_blocks(run: list[str]) -> list[Block]:
    """Paragraphs, bullet lists and link lines of lines that the structure map does not name.

    A blank line ends a paragraph unless the line before it has no final punctuation and the next
    starts in lower case (the seed's blank lines are sometimes only a column break); inside a
    paragraph a line ending on final punctuation followed by one starting with a capital or a
    digit opens a new paragraph. A bullet item goes on over a blank line when it has no final
    punctuation yet."""
    out: list[Block] = []
    cur: Block | None = None
    prev = ""
    blank = False

    def close():
        nonlocal cur
        if cur is not None:
            out.append(cur)
        cur = None

    for raw in run:
        s = norm_line(raw)
        if not s:
            blank = True
            continue
        m = BULLET_RE.match(s)
        if m:
            if cur is None or cur.kind != "list" or cur.marker != m.group(1):
                close()
                cur = Block("list", marker=m.group(1))
            cur.items.append(m.group(2))
        elif LINK_LINE_RE.match(s):
            close()
            out.append(Block("link", s))
        elif cur is not None and cur.kind == "list":
            last = cur.items[-1]
            if not blank or not last.endswith(TERMINAL + (",",)):
                cur.items[-1] = _join(last, s)
            else:
                close()
                cur = Block("p", s)
        elif cur is not None and cur.kind == "p":
            if blank:
                if not prev.endswith(TERMINAL + (")",)) and s[0].islower():
                    cur.text = _join(cur.text, s)
                else:
                    close()
                    cur = Block("p", s)
            elif prev.endswith(TERMINAL) and (s[0].isupper() or s[0].isdigit() or s[0] == "«"):
                close()
                cur = Block("p", s)
            else:
                cur.text = _join(cur.text, s)
        else:
            close()
            cur = Block("p", s)
        prev = s
        blank = False
    close()
    for b in out:
        if b.kind == "p":
            m = FIGURE_RE.match(b.text)
            if m:
                b.kind, b.figure, b.text = "fig", m.group(1), b.text[m.end():]
    return out


def read_document(stem: str) -> Document:
    spec = DOCUMENTS[stem]
    text = (CORPUS / f"{stem}.txt").read_text(encoding="utf-8")
    specials = list(spec["map"]["specials"])
    pages: list[list[Block]] = []
    for page_lines in _pages(text, spec["map"]["page_starts"]):
        blocks: list[Block] = []
        run: list[str] = []
        i = 0
        while i < len(page_lines):
            end = _consume(page_lines, i, specials[0].target()) if specials and norm_line(page_lines[i]) else None
            if end is None:
                run.append(page_lines[i])
                i += 1
                continue
            blocks.extend(_text_blocks(run))
            run = []
            sp = specials.pop(0)
            blocks.append(Block(sp.kind, sp.text, role=sp.role, header=sp.header, rows=sp.rows,
                                borderless=sp.borderless))
            i = end
        blocks.extend(_text_blocks(run))
        pages.append(blocks)
    if specials:
        raise ValueError(f"{stem}: structure map entries not found in the seed: {[s.target()[:40] for s in specials]}")
    doc = Document(stem, spec["title"], spec["running_header"], pages, spec["pdf_pages"])
    check_words(doc, text)
    return doc


def seed_words(text: str) -> list[str]:
    """The seed's words as the blocks must hold them: bullet markers and U+FFFD left out, a compound
    cut at a line end closed up."""
    lines = []
    for line in text.split("\n"):
        s = norm_line(line)
        m = BULLET_RE.match(s)
        lines.append(m.group(2) if m else s)
    joined = re.sub(r"(\w-)\n+", r"\1", "\n".join(lines))
    return split_words(joined.replace("\ufffd", ""))


def check_words(doc: Document, text: str) -> None:
    got = [w for page in doc.pages for b in page for w in b.words()]
    want = seed_words(text)
    if got != want:
        n = next((k for k, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))
        raise ValueError(f"{doc.stem}: the blocks' words differ from the seed's at word {n}: "
                         f"{got[max(0, n - 5):n + 5]} != {want[max(0, n - 5):n + 5]}")


def dump(doc: Document) -> str:
    out = []
    for n, page in enumerate(doc.pages, 1):
        out.append(f"=== page {n}")
        for b in page:
            extra = ""
            if b.kind == "fig":
                extra = f"[{b.figure}]"
            if b.kind == "list":
                extra = f"{b.marker} " + " | ".join(b.items)
            if b.kind == "table":
                extra = " | ".join(b.header) + " // " + " // ".join(" | ".join(r) for r in b.rows)
            out.append(f"{b.kind:8} {extra}{b.text}{(' / ' + b.role) if b.role else ''}")
    return "\n".join(out)


# --------------------------------------------------------------------------------------------
# Plan: which font each producer uses in each layout
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Font:
    family: str              # the family name the producer is given
    dirs: tuple[str, ...]    # FONT_DIRS keys the producer may see (the first holds the family)
    note: str


DEJAVU_SANS = Font("DejaVu Sans", ("dejavu",), "DejaVu Sans")
DEJAVU_SERIF = Font("DejaVu Serif", ("dejavu",), "DejaVu Serif")
LIB1_SANS = Font("Liberation Sans", ("liberation1", "dejavu"),
                 "Liberation Sans 1.07 (no U+202F/U+2009 glyph)")
LIB2_SERIF = Font("Liberation Serif", ("liberation2", "dejavu"), "Liberation Serif 2.1")
LIBERTINUS = Font("Libertinus Serif", (), "Libertinus Serif (built into Typst)")

FONT_PLAN: dict[tuple[str, str], Font] = {
    ("chromium", "twocol"): LIB1_SANS,
    ("chromium", "plain"): DEJAVU_SANS,
    ("chromium", "serif"): DEJAVU_SERIF,
    ("weasyprint", "twocol"): DEJAVU_SANS,
    ("weasyprint", "plain"): LIB1_SANS,
    ("weasyprint", "serif"): LIB2_SERIF,
    ("libreoffice", "twocol"): LIB1_SANS,
    ("libreoffice", "plain"): DEJAVU_SANS,
    ("libreoffice", "serif"): LIB2_SERIF,
    ("typst", "twocol"): DEJAVU_SANS,
    ("typst", "plain"): LIB1_SANS,
    ("typst", "serif"): LIBERTINUS,
    ("fpdf2", "twocol"): DEJAVU_SANS,
    ("fpdf2", "plain"): LIB1_SANS,
    ("fpdf2", "serif"): DEJAVU_SERIF,
}

# Pages of the fiche printed on one full-width column in the two-column layout (wide tables, diagram).
WIDE_PAGES = {"fiche-territoriale-lot": {5, 6}}

BLUE, TEAL, RED, GREY = "#1f3a93", "#0b7a75", "#c8102e", "#e8e8e8"


def fontconfig_env(font: Font, work: Path) -> dict[str, str]:
    """Environment for a producer that finds fonts through fontconfig: it sees only `font.dirs`
    (plus the aliases of /etc/fonts/conf.d), so `Liberation Sans` means the version chosen here."""
    conf = work / f"fonts-{'-'.join(font.dirs) or 'none'}.conf"
    cache = work / "fontconfig-cache"
    cache.mkdir(parents=True, exist_ok=True)
    dirs = "\n".join(f"  <dir>{FONT_DIRS[d]}</dir>" for d in font.dirs)
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
        f"{dirs}\n  <cachedir>{cache}</cachedir>\n"
        '  <include ignore_missing="yes">/etc/fonts/conf.d</include>\n</fontconfig>\n', encoding="utf-8")
    env = dict(os.environ)
    env["FONTCONFIG_FILE"] = str(conf)
    return env


# --------------------------------------------------------------------------------------------
# HTML (Chromium, WeasyPrint)
# --------------------------------------------------------------------------------------------

def _h(text: str) -> str:
    return html.escape(text, quote=False)


def _diagram_cells(blocks: list[Block]) -> list[list[Block]]:
    """The diagram of the fiche's last page as cells: a flow box, or a label with the box after it."""
    cells: list[list[Block]] = []
    for b in blocks:
        if b.kind == "flow" and cells and cells[-1][-1].kind == "label":
            cells[-1].append(b)
        else:
            cells.append([b])
    return cells


def _group(blocks: list[Block]):
    """Blocks, with runs of diagram blocks (flow, label) gathered into one ('diagram', [...]) item."""
    out: list = []
    for b in blocks:
        if b.kind in ("flow", "label"):
            if out and isinstance(out[-1], tuple):
                out[-1][1].append(b)
            else:
                out.append(("diagram", [b]))
        else:
            out.append(b)
    return out


LOGO_HTML = ('<div class="logo"><span class="bleu"></span><span class="blanc"></span><span class="rouge"></span>'
             '<span class="bloc"></span></div>')


def html_block(b: Block, layout: str, hyphenate=None) -> str:
    hy = hyphenate or (lambda s: s)
    if b.kind in ("h1", "h2", "h3"):
        return f"<{b.kind}>{_h(b.text)}</{b.kind}>"
    if b.kind == "p":
        return f"<p>{hy(_h(b.text))}</p>"
    if b.kind == "fig":
        if layout == "twocol":
            return f'<p><span class="fig">{_h(b.figure)}</span>{hy(_h(b.text))}</p>'
        return f"<p>{_h(b.figure)}{hy(_h(b.text))}</p>"
    if b.kind == "list":
        cls = "disc" if b.marker == "•" else "dash"
        items = "".join(f"<li>{hy(_h(i))}</li>" for i in b.items)
        return f'<ul class="{cls}">{items}</ul>'
    if b.kind == "sig":
        return f'<p class="sig"><strong>{_h(b.text)}</strong><br>{hy(_h(b.role))}</p>'
    if b.kind == "link":
        href = link_href(b.text)
        if LINK_LINE_RE.match(b.text):
            return f'<p class="link"><a href="{html.escape(href)}">{_h(b.text)}</a></p>'
        return f'<p class="link">{_h(b.text)}</p>'
    if b.kind == "label":
        return f'<p class="label">{_h(b.text)}</p>'
    if b.kind == "flow":
        return f'<p class="flow">{hy(_h(b.text))}</p>'
    if b.kind == "table":
        cls = "borderless" if b.borderless and layout == "twocol" else "ruled"
        head = "".join(f"<th>{_h(c)}</th>" for c in b.header)
        body = "".join("<tr>" + "".join(f"<td>{_h(c)}</td>" for c in row) + "</tr>" for row in b.rows)
        return f'<table class="{cls} cols{len(b.header)}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
    raise ValueError(b.kind)


def build_html(doc: Document, layout: str, producer: str, font: Font, hyphenate=None) -> str:
    parts: list[str] = []
    wide = WIDE_PAGES.get(doc.stem, set())
    for n, blocks in enumerate(doc.pages, 1):
        head: list[str] = []
        body: list[str] = []
        items = _group(blocks)
        k = 0
        # The communiqué's letterhead: side by side (logo and kind left, dateline right) in the
        # two-column and serif layouts, stacked in the plain one.
        if items and isinstance(items[0], Block) and items[0].kind == "kind":
            kind, dateline = items[0], items[1]
            k = 2
            if layout == "plain":
                head.append(f'<p class="kind">{_h(kind.text)}</p><p class="dateline">{_h(dateline.text)}</p>')
            else:
                head.append(f'<table class="letterhead"><tr><td class="lh-left">{LOGO_HTML}'
                            f'<p class="kind">{_h(kind.text)}</p></td>'
                            f'<td class="lh-right"><p class="dateline">{_h(dateline.text)}</p></td></tr></table>')
        while k < len(items) and isinstance(items[k], Block) and items[k].kind == "h1":
            head.append(html_block(items[k], layout))
            k += 1
        for item in items[k:]:
            if isinstance(item, tuple):
                if layout == "twocol":
                    cells = []
                    for cell in _diagram_cells(item[1]):
                        cells.append('<div class="box">' + "".join(html_block(b, layout) for b in cell) + "</div>")
                    body.append('<div class="diagram">' + "".join(cells) + "</div>")
                else:
                    body.extend(html_block(b, layout, hyphenate) for b in item[1])
            else:
                body.append(html_block(item, layout, hyphenate))
        cols = layout == "twocol" and n not in wide
        parts.append(f'<section class="page{" first" if n == 1 else ""}">' + "".join(head)
                     + f'<div class="{"cols" if cols else "full"}">' + "".join(body) + "</div></section>")
    css = page_css(doc, layout, producer, font)
    created = "%04d-%02d-%02dT%02d:%02d:%02dZ" % FIXED_DATE
    return ('<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8">'
            f"<title>{_h(doc.title)}</title>"
            '<meta name="author" content="fiche-extract corpus">'
            f'<meta name="dcterms.created" content="{created}"><meta name="dcterms.modified" content="{created}">'
            f"<style>{css}</style></head><body class=\"{layout}\">\n" + "\n".join(parts) + "\n</body></html>\n")


def page_css(doc: Document, layout: str, producer: str, font: Font) -> str:
    fam = f'"{font.family}"'
    common = f"""
body {{ margin: 0; font-family: {fam}; }}
section.page {{ break-before: page; }}
section.page.first {{ break-before: auto; }}
p {{ margin: 0 0 4pt; }}
ul {{ margin: 0 0 5pt; padding-left: 14pt; }}
li {{ margin-bottom: 2pt; }}
ul.disc {{ list-style-type: disc; }}
ul.dash {{ list-style-type: "\\2013  "; }}
table {{ border-collapse: collapse; margin: 4pt 0 8pt; }}
th, td {{ vertical-align: top; text-align: left; padding: 2pt 4pt; }}
table.letterhead {{ width: 100%; margin: 0 0 10pt; }}
table.letterhead td {{ padding: 0; }}
td.lh-right {{ text-align: right; vertical-align: bottom; }}
.logo {{ height: 12mm; margin-bottom: 3mm; }}
.logo span {{ display: inline-block; height: 12mm; width: 5mm; vertical-align: top; }}
.logo .bleu {{ background: #000091; }} .logo .blanc {{ background: #fff; outline: 0.5pt solid #ccc; }}
.logo .rouge {{ background: #e1000f; }} .logo .bloc {{ background: {GREY}; width: 50mm; margin-left: 3mm; }}
p.kind {{ font-weight: bold; }}
p.dateline {{ text-align: right; }}
p.sig strong {{ font-weight: bold; }}
p.label {{ font-weight: bold; }}
"""
    if layout == "twocol":
        return common + f"""
@page {{ size: A4; margin: 14mm 14mm 14mm 14mm; }}
body {{ font-size: 9.2pt; line-height: 1.28; color: #1a1a1a; }}
div.cols {{ column-count: 2; column-gap: 9mm; }}
h1 {{ font-size: 17pt; line-height: 1.15; color: {BLUE}; letter-spacing: 0.05em; margin: 0 0 8pt; }}
h2 {{ font-size: 12pt; line-height: 1.2; color: {TEAL}; margin: 8pt 0 4pt; break-after: avoid; }}
h3 {{ font-size: 10.5pt; color: {RED}; margin: 6pt 0 3pt; break-after: avoid; }}
.fig {{ font-weight: bold; font-size: 15pt; color: {BLUE}; }}
ul.disc li::marker {{ color: {TEAL}; }}
p.sig {{ margin-bottom: 8pt; }}
p.kind {{ font-size: 15pt; color: {BLUE}; margin: 0; }}
p.dateline {{ font-size: 10pt; }}
p.link {{ color: {BLUE}; }} p.link a {{ color: {BLUE}; }}
table.ruled th {{ background: {TEAL}; color: #fff; font-weight: bold; }}
table.ruled th, table.ruled td {{ border: 0.5pt solid #7f8c8d; }}
table.borderless {{ border: none; width: 85%; }}
table.borderless th {{ text-align: center; vertical-align: bottom; font-weight: bold; color: {TEAL}; width: 33%; }}
table.borderless td {{ text-align: center; }}
table.borderless td:first-child {{ text-align: left; font-weight: bold; }}
div.diagram {{ display: grid; grid-template-columns: 1fr 1fr; column-gap: 8mm; row-gap: 4mm; margin: 6pt 0 10pt; }}
div.box {{ border: 1pt solid {TEAL}; border-radius: 3mm; padding: 3mm; }}
div.box p.label {{ color: {RED}; font-size: 11pt; }}
"""
    if layout == "plain":
        # Chromium's plain print keeps the browser's own header and footer: they go in the margins.
        return common + """
@page { size: A4; margin: 16mm 16mm 16mm 16mm; }
body { font-size: 9.6pt; line-height: 1.3; color: #000; }
h1 { font-size: 15pt; margin: 0 0 7pt; }
h2 { font-size: 12pt; margin: 8pt 0 4pt; }
h3 { font-size: 10.5pt; margin: 6pt 0 3pt; }
p.kind { font-size: 13pt; margin: 0 0 4pt; }
p.dateline { margin-bottom: 10pt; }
p.link { text-decoration: underline; }
p.link a { color: #000; }
table.ruled th { font-weight: bold; }
table.ruled th, table.ruled td { border: 0.5pt solid #000; }
"""
    # serif
    header = doc.running_header.replace('"', '\\"')
    return common + f"""
@page {{ size: A4; margin: 20mm 18mm 18mm 18mm;
  @top-center {{ content: "{header}"; font-family: {fam}; font-size: 8.5pt; color: #444; }}
  @bottom-center {{ content: "Page " counter(page) " / " counter(pages); font-family: {fam}; font-size: 8.5pt; }} }}
body {{ font-size: 9.5pt; line-height: 1.25; color: #000; text-align: justify; hyphens: auto; }}
h1, h2, h3, p.kind, p.dateline, p.label, p.link, th, td {{ text-align: left; hyphens: manual; }}
h1 {{ font-size: 15pt; font-weight: bold; margin: 0 0 8pt; }}
h2 {{ font-size: 12pt; font-style: italic; font-weight: bold; margin: 8pt 0 4pt; }}
h3 {{ font-size: 10.5pt; font-weight: bold; margin: 6pt 0 3pt; }}
p {{ text-indent: 0; }}
p.kind {{ font-size: 13pt; letter-spacing: 0.04em; margin: 0; }}
p.dateline {{ text-align: right; }}
table.ruled {{ border-top: 1pt solid #000; border-bottom: 1pt solid #000; }}
table.ruled thead th {{ border-bottom: 0.5pt solid #000; font-weight: bold; }}
"""


# --------------------------------------------------------------------------------------------
# Producers
# --------------------------------------------------------------------------------------------

class Missing(Exception):
    """A producer's tool is not installed."""


def _run(cmd: list[str], env: dict[str, str] | None = None, cwd: Path | None = None, timeout: int = 240) -> str:
    proc = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:3])}… exited {proc.returncode}: {proc.stderr.strip()[-800:]}")
    return proc.stdout


def _faketime() -> list[str]:
    """`faketime` with the fixed date, for producers that write the current time, if installed."""
    tool = shutil.which("faketime")
    return [tool, "-f", FIXED_DATE_TEXT] if tool else []


def chromium_binary() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    raise Missing("Chromium not found (Debian: apt-get install chromium; or `make matrix` as root)")


def _chromium_print(html_path: Path, out: Path, font: Font, work: Path, header_footer: bool) -> None:
    profile = Path(tempfile.mkdtemp(prefix="profile-", dir=work))
    cmd = _faketime() + [
        chromium_binary(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--lang=fr-FR",
        f"--user-data-dir={profile}", f"--print-to-pdf={out}",
    ]
    if not header_footer:
        cmd.append("--no-pdf-header-footer")
    cmd.append(html_path.as_uri())
    env = fontconfig_env(font, work)
    env["LANG"] = env["LC_ALL"] = "C.UTF-8"
    _run(cmd, env=env)
    shutil.rmtree(profile, ignore_errors=True)
    if not out.exists() or out.stat().st_size == 0:
        raise RuntimeError(f"Chromium wrote no {out.name}")


def _syllable_hyphenator(breaks: list[tuple[str, str, int]] | None):
    """A function putting soft hyphens (U+00AD) into an HTML text: at every French hyphenation
    point (pyphen) of every word when `breaks` is None; else only at the given breaks, each
    (the text just before the word, the word, letters before the break) used once."""
    import pyphen

    dic = pyphen.Pyphen(lang="fr_FR")
    used: set[int] = set()

    def every(text: str) -> str:
        return re.sub(r"(?<![&#\w])[^\W\d_]{5,}(?![\w;])",
                      lambda m: dic.inserted(m.group(0), hyphen=SHY), text)

    def chosen(text: str) -> str:
        # The breaks come in reading order and the texts are asked for in document order: each
        # break is looked for only after the one before it, so that the same words earlier in the
        # document are not taken for it.
        start = 0
        while len(used) < len(breaks):
            before, word, pos = breaks[len(used)]
            ctx = r"[\s\u2009\u202f\u00a0]+".join(re.escape(part) for part in before.split(" "))
            m = re.compile(f"{ctx}{re.escape(word)}(?!\\w)").search(text, start)
            if not m:
                break
            at = m.end() - len(word) + pos
            text = text[:at] + SHY + text[at:]
            used.add(len(used))
            start = at + 1
        return text

    if breaks is None:
        return every
    chosen.unused = lambda: [b for k, b in enumerate(breaks) if k not in used]
    return chosen


def _broken_words(pdf: Path) -> list[tuple[str, str, int]]:
    """Where a print broke words at line ends with a hyphen (U+2010): (the dozen characters
    before the word, the word, letters before the break), in reading order."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    lines = [" ".join(l.replace(SHY, "").split()) for l in text.split("\n")]
    found = []
    running = ""
    for a, b in zip(lines, lines[1:]):
        if a.endswith("\u2010") and b:
            head = re.search(r"([^\W\d_]+)$", a[:-1].rstrip())
            tail = re.match(r"([^\W\d_]+)", b)
            if head and tail:
                before = (running + " " + a[:head.start()]).lstrip()[-12:] if a[:head.start()] or running else ""
                found.append((before, head.group(1) + tail.group(1), len(head.group(1))))
        if a:
            running = (running + " " + a)[-40:]
    return found


def render_chromium(doc: Document, layout: str, out: Path, work: Path) -> list[str]:
    chromium_binary()
    notes = []
    font = FONT_PLAN[("chromium", layout)]
    CHROMIUM_WORKDIR.mkdir(parents=True, exist_ok=True)
    page = CHROMIUM_WORKDIR / f"{doc.stem}--chromium--{layout}.html"
    if layout == "serif":
        if not shutil.which("pdftotext"):
            raise RuntimeError("pdftotext (Debian poppler-utils) is needed to place Chromium's hyphens")
        # Chromium has no French hyphenation patterns offline (it downloads them as a component),
        # so `hyphens: auto` does nothing. First print with a soft hyphen at every hyphenation
        # point, read which words broke at a line end, then print again with soft hyphens only at
        # those points: the lines are the same (an unused break point changes nothing).
        page.write_text(build_html(doc, layout, "chromium", font, _syllable_hyphenator(None)), encoding="utf-8")
        first = work / f"{out.stem}.pass1.pdf"
        _chromium_print(page, first, font, work, header_footer=False)
        breaks = _broken_words(first)
        hyphenate = _syllable_hyphenator(breaks)
        page.write_text(build_html(doc, layout, "chromium", font, hyphenate), encoding="utf-8")
        _chromium_print(page, out, font, work, header_footer=False)
        a = " ".join(_pdf_text(first).replace(SHY, "").split())
        b = " ".join(_pdf_text(out).replace(SHY, "").split())
        notes.append(f"soft hyphens at {len(breaks) - len(hyphenate.unused())} of {len(breaks)} line-end breaks")
        if hyphenate.unused():
            notes.append(f"breaks not placed: {hyphenate.unused()}")
        if a != b:
            notes.append("WARNING: second print's lines differ from the first's")
    else:
        page.write_text(build_html(doc, layout, "chromium", font), encoding="utf-8")
        _chromium_print(page, out, font, work, header_footer=(layout == "plain"))
    return notes


def render_weasyprint(doc: Document, layout: str, out: Path, work: Path) -> list[str]:
    if subprocess.run([PY, "-c", "import weasyprint"], capture_output=True).returncode != 0:
        raise Missing("WeasyPrint not importable (pip install weasyprint, or `make install`)")
    font = FONT_PLAN[("weasyprint", layout)]
    page = work / f"{doc.stem}--weasyprint--{layout}.html"
    page.write_text(build_html(doc, layout, "weasyprint", font), encoding="utf-8")
    ident = hashlib.md5(out.name.encode()).hexdigest()
    # A process of its own, so that fontconfig reads this run's font configuration.
    _run([PY, "-m", "weasyprint", "-q", "--pdf-identifier", ident, str(page), str(out)],
         env=fontconfig_env(font, work))
    return []


# --- Typst -------------------------------------------------------------------------------------

def _ts(text: str) -> str:
    """A Typst string literal shown as text (`#"…"`): no markup is read inside it."""
    return '#"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _typst_block(b: Block, layout: str) -> str:
    if b.kind in ("h1", "h2", "h3"):
        return f"#heading(level: {b.kind[1]})[{_ts(b.text)}]"
    if b.kind == "p":
        return _ts(b.text)
    if b.kind == "fig":
        if layout == "twocol":
            return f'#text(size: 15pt, weight: "bold", fill: rgb("{BLUE}"))[{_ts(b.figure)}]{_ts(b.text)}'
        return _ts(b.figure + b.text)
    if b.kind == "list":
        if b.marker == "•":
            marker = (f'box(baseline: -0.15em, circle(radius: 1.6pt, fill: rgb("{TEAL}")))' if layout == "twocol"
                      else '[•]')
        else:
            marker = "[–]"
        items = ", ".join(f"[{_ts(i)}]" for i in b.items)
        return f"#list(marker: {marker}, {items})"
    if b.kind == "sig":
        return f'#strong[{_ts(b.text)}] \\\n{_ts(b.role)}'
    if b.kind == "link":
        href = link_href(b.text)
        if LINK_LINE_RE.match(b.text):
            return f'#link("{href}")[#text(fill: rgb("{BLUE}"))[{_ts(b.text)}]]'
        return f'#underline[{_ts(b.text)}]'
    if b.kind == "label":
        return f'#text(weight: "bold", fill: rgb("{RED if layout == "twocol" else "#000000"}"))[{_ts(b.text)}]'
    if b.kind == "flow":
        return _ts(b.text)
    if b.kind == "table":
        n = len(b.header)
        body = ", ".join(f"[{_ts(c)}]" for row in b.rows for c in row)
        if layout == "twocol" and b.borderless:
            # borderless, the header centred and wrapped in narrow columns
            head = "table.header(" + ", ".join(f"[#strong[{_ts(c)}]]" for c in b.header) + ")"
            return ("#block(width: 85%)[#table(columns: (auto, 1fr, 1fr), stroke: none, inset: 3pt,"
                    " align: (x, y) => if x == 0 and y > 0 { left + top } else { center + bottom },"
                    f" {head}, {body})]")
        if layout == "twocol":
            head = "table.header(" + ", ".join(
                f'[#text(fill: white, weight: "bold")[{_ts(c)}]]' for c in b.header) + ")"
            return (f'#table(columns: {n}, stroke: 0.5pt + rgb("#7f8c8d"), inset: 3pt,'
                    f' fill: (x, y) => if y == 0 {{ rgb("{TEAL}") }}, {head}, {body})')
        head = "table.header(" + ", ".join(f"[#strong[{_ts(c)}]]" for c in b.header) + ")"
        if layout == "serif":
            last = len(b.rows)
            return (f"#table(columns: {n}, inset: 3pt, stroke: (x, y) => (top: if y == 0 {{ 1pt }}"
                    f" else if y == 1 {{ 0.5pt }} else {{ 0pt }}, bottom: if y == {last} {{ 1pt }} else {{ 0pt }}),"
                    f" {head}, {body})")
        return f"#table(columns: {n}, stroke: 0.5pt, inset: 3pt, {head}, {body})"
    raise ValueError(b.kind)


TYPST_LOGO = ('#box(rect(width: 5mm, height: 12mm, fill: rgb("#000091"), stroke: none))'
              '#box(rect(width: 5mm, height: 12mm, fill: white, stroke: 0.4pt + rgb("#cccccc")))'
              '#box(rect(width: 5mm, height: 12mm, fill: rgb("#e1000f"), stroke: none))#h(3mm)'
              f'#box(rect(width: 50mm, height: 12mm, fill: rgb("{GREY}"), stroke: none))')


def build_typst(doc: Document, layout: str, font: Font) -> str:
    y, mo, d, hh, mi, ss = FIXED_DATE
    out = [f'#set document(title: {_ts(doc.title)[1:]}, author: "fiche-extract corpus", '
           f"date: datetime(year: {y}, month: {mo}, day: {d}, hour: {hh}, minute: {mi}, second: {ss}))"]
    size = {"twocol": "9pt", "plain": "9.6pt", "serif": "9.5pt"}[layout]
    out.append(f'#set text(font: "{font.family}", size: {size}, lang: "fr", region: "FR", '
               f'hyphenate: {"true" if layout == "serif" else "false"})')
    out.append("#set par(spacing: 0.75em, leading: 0.5em" + (", justify: true" if layout == "serif" else "") + ")")
    out.append("#set list(spacing: 0.5em, indent: 2pt, body-indent: 6pt)")
    if layout == "twocol":
        out.append('#show heading: set block(above: 0.9em, below: 0.55em)')
        out.append(f'#show heading.where(level: 1): set text(size: 17pt, fill: rgb("{BLUE}"), tracking: 0.05em)')
        out.append(f'#show heading.where(level: 2): set text(size: 12pt, fill: rgb("{TEAL}"))')
        out.append(f'#show heading.where(level: 3): set text(size: 10.5pt, fill: rgb("{RED}"))')
        margin = "14mm"
    elif layout == "plain":
        out.append("#show heading.where(level: 1): set text(size: 15pt)")
        out.append("#show heading.where(level: 2): set text(size: 12pt)")
        out.append("#show heading.where(level: 3): set text(size: 10.5pt)")
        margin = "16mm"
    else:
        out.append("#show heading.where(level: 1): set text(size: 15pt)")
        out.append('#show heading.where(level: 2): set text(size: 12pt, style: "italic")')
        out.append("#show heading.where(level: 3): set text(size: 10.5pt)")
        out.append("#show heading: set par(justify: false)")
        out.append("#show heading: set text(hyphenate: false)")
        out.append("#show table.cell: set par(justify: false)")
        out.append("#show table.cell: set text(hyphenate: false)")
        margin = "(top: 20mm, bottom: 18mm, x: 18mm)"
    page_extra = ""
    if layout == "serif":
        page_extra = (f", header: align(center, text(size: 8.5pt, fill: luma(70))[{_ts(doc.running_header)}]),"
                      ' footer: context align(center, text(size: 8.5pt)[Page #counter(page).display() / '
                      "#counter(page).final().first()])")
    wide = WIDE_PAGES.get(doc.stem, set())
    for n, blocks in enumerate(doc.pages, 1):
        cols = 2 if layout == "twocol" and n not in wide else 1
        out.append(f'#set page(paper: "a4", margin: {margin}, columns: {cols}{page_extra})')
        if n > 1 and cols == (2 if layout == "twocol" and (n - 1) not in wide else 1):
            out.append("#pagebreak()")
        items = _group(blocks)
        k = 0
        top: list[str] = []
        if items and isinstance(items[0], Block) and items[0].kind == "kind":
            kind, dateline = items[0], items[1]
            k = 2
            kind_t = f'#text(size: {"15pt" if layout == "twocol" else "13pt"}, weight: "bold"' + (
                f', fill: rgb("{BLUE}")' if layout == "twocol" else "") + f")[{_ts(kind.text)}]"
            if layout == "plain":
                top.append(kind_t + "\n\n" + f"#align(right)[{_ts(dateline.text)}]")
            else:
                top.append(f"#grid(columns: (1fr, auto), align: (left, right + bottom), [{TYPST_LOGO}\n\n{kind_t}],"
                           f" [{_ts(dateline.text)}])")
        while k < len(items) and isinstance(items[k], Block) and items[k].kind == "h1":
            top.append(_typst_block(items[k], layout))
            k += 1
        if top:
            joined = "\n\n".join(top)
            if cols == 2:
                out.append(f"#place(top, scope: \"parent\", float: true, clearance: 10pt)[{joined}]")
            else:
                out.append(joined)
        for item in items[k:]:
            if isinstance(item, tuple):
                if layout == "twocol":
                    cells = []
                    for cell in _diagram_cells(item[1]):
                        inner = "\n\n".join(_typst_block(b, layout) for b in cell)
                        cells.append(f'rect(width: 100%, radius: 3mm, inset: 3mm, stroke: 1pt + rgb("{TEAL}"))[{inner}]')
                    out.append("#grid(columns: (1fr, 1fr), column-gutter: 8mm, row-gutter: 4mm, "
                               + ", ".join(cells) + ")")
                else:
                    out.extend(_typst_block(b, layout) for b in item[1])
            else:
                out.append(_typst_block(item, layout))
    return "\n\n".join(out) + "\n"


def render_typst(doc: Document, layout: str, out: Path, work: Path) -> list[str]:
    try:
        import typst
    except ImportError:
        raise Missing("the typst Python package is not installed (pip install typst, or `make install`)")
    font = FONT_PLAN[("typst", layout)]
    src = work / f"{out.stem}.typ"
    src.write_text(build_typst(doc, layout, font), encoding="utf-8")
    # Only the chosen font folders (Typst's own fonts, Libertinus among them, are always there).
    typst.compile(str(src), output=str(out), font_paths=[str(FONT_DIRS[d]) for d in font.dirs],
                  ignore_system_fonts=True)
    return []


# --- fpdf2 -------------------------------------------------------------------------------------

FONT_FILES = {   # regular, bold, italic, bold italic
    "DejaVu Sans": ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf", "DejaVuSans-BoldOblique.ttf"),
    "DejaVu Serif": ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSerif-Italic.ttf", "DejaVuSerif-BoldItalic.ttf"),
    "Liberation Sans": ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf", "LiberationSans-Italic.ttf",
                        "LiberationSans-BoldItalic.ttf"),
}


def _rgb(hexa: str) -> tuple[int, int, int]:
    return tuple(int(hexa[i:i + 2], 16) for i in (1, 3, 5))


def render_fpdf2(doc: Document, layout: str, out: Path, work: Path) -> list[str]:
    import importlib.util

    if importlib.util.find_spec("fpdf") is None:
        raise Missing("the fpdf2 Python package is not installed (pip install fpdf2, or `make install`)")
    font = FONT_PLAN[("fpdf2", layout)]
    pdf = _fpdf2_document(doc, layout, font)
    scratch = _fpdf2_document(doc, layout, font)   # blocks are measured by drawing them here first
    _fpdf2_pages(pdf, scratch, doc, layout)
    pdf.output(str(out))
    notes = []
    if font is LIB1_SANS:
        notes.append("U+202F/U+2009 drawn from the fallback font DejaVu Sans")
    return notes


def _fpdf2_document(doc: Document, layout: str, font: Font):
    import datetime as dt

    from fpdf import FPDF

    class MatrixPDF(FPDF):
        def header(self):
            if layout != "serif":
                return
            self.set_font("body", "", 8.5)
            self.set_text_color(70, 70, 70)
            self.set_xy(self.l_margin, 10)
            self.cell(self.epw, 5, doc.running_header, align="C")
            self.set_text_color(0, 0, 0)
            self.set_y(self.t_margin)

        def footer(self):
            if layout != "serif":
                return
            self.set_font("body", "", 8.5)
            self.set_xy(self.l_margin, self.h - 13)
            self.cell(self.epw, 5, f"Page {self.page_no()} / {{nb}}", align="C")

    pdf = MatrixPDF(format="A4", unit="mm")
    pdf.set_creation_date(dt.datetime(*FIXED_DATE, tzinfo=dt.timezone.utc))
    pdf.set_title(doc.title)
    pdf.set_author("fiche-extract corpus")
    pdf.set_lang("fr-FR")
    pdf.alias_nb_pages()
    base = FONT_DIRS[font.dirs[0]]
    for style, name in zip(("", "B", "I", "BI"), FONT_FILES[font.family]):
        pdf.add_font("body", style, str(base / name))
    if font is LIB1_SANS:
        # Liberation Sans 1.07 has no U+202F nor U+2009: fpdf2 takes them from a fallback font.
        dv = FONT_DIRS["dejavu"]
        pdf.add_font("fallback", "", str(dv / "DejaVuSans.ttf"))
        pdf.add_font("fallback", "B", str(dv / "DejaVuSans-Bold.ttf"))
        pdf.set_fallback_fonts(["fallback"], exact_match=False)
    margin = {"twocol": 14, "plain": 16, "serif": 18}[layout]
    pdf.set_margins(margin, 20 if layout == "serif" else margin, margin)
    pdf.set_auto_page_break(True, margin=18 if layout == "serif" else margin)
    return pdf


FP_SIZES = {"twocol": 9.2, "plain": 9.6, "serif": 9.5}
FP_LEADING = {"twocol": 1.3, "plain": 1.3, "serif": 1.2}
FP_HEAD = {"twocol": {"h1": 17, "h2": 12, "h3": 10.5}, "plain": {"h1": 15, "h2": 12, "h3": 10.5},
           "serif": {"h1": 15, "h2": 12, "h3": 10.5}}


def _fp_hyph(layout: str):
    if layout != "serif":
        return lambda t: t
    import pyphen

    dic = pyphen.Pyphen(lang="fr_FR")
    return lambda t: re.sub(r"[^\W\d_]{5,}", lambda m: dic.inserted(m.group(0), hyphen=SHY), t)


def _fp_block(pdf, b: Block, x: float, w: float, layout: str) -> None:
    """Draw one block at the current y, between x and x + w."""
    from fpdf.fonts import FontFace

    size = FP_SIZES[layout]
    factor = FP_LEADING[layout]
    lh = size * 0.3528 * factor
    align = "J" if layout == "serif" else "L"
    hy = _fp_hyph(layout)
    pdf.set_left_margin(x)
    pdf.set_right_margin(pdf.w - x - w)
    pdf.set_x(x)

    def text(t: str, style: str = "", sz: float = size, color: str = "#000000", al: str = align, after: float = 1.4):
        pdf.set_font("body", style, sz)
        pdf.set_text_color(*_rgb(color))
        pdf.set_x(x)
        pdf.multi_cell(w, sz * 0.3528 * factor, t, align=al, new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
        pdf.set_y(pdf.get_y() + after)

    if b.kind in ("h1", "h2", "h3"):
        color = {"h1": BLUE, "h2": TEAL, "h3": RED}[b.kind] if layout == "twocol" else "#000000"
        style = "BI" if layout == "serif" and b.kind == "h2" else "B"
        pdf.set_y(pdf.get_y() + (2.5 if b.kind != "h1" else 0))
        text(b.text, style, FP_HEAD[layout][b.kind], color, "L", after=1.5)
    elif b.kind in ("p", "flow"):
        text(hy(b.text))
    elif b.kind == "fig":
        if layout == "twocol":
            # the figure large and bold on a line of its own, its label below
            text(b.figure, "B", 15, BLUE, "L", after=0)
            text(b.text.lstrip(" "))
        else:
            text(hy(b.figure + b.text))
    elif b.kind == "list":
        pdf.set_font("body", "", size)
        for item in b.items:
            y0 = pdf.get_y()
            if b.marker == "•" and layout != "plain":
                pdf.set_fill_color(*_rgb(TEAL if layout == "twocol" else "#000000"))
                pdf.circle(x + 2.2, y0 + lh / 2, 0.7, style="F")
                pdf.set_fill_color(255, 255, 255)
            else:
                pdf.set_xy(x + 0.8, y0)
                pdf.cell(4, lh, "•" if b.marker == "•" else "–")
            pdf.set_left_margin(x + 5)
            pdf.set_xy(x + 5, y0)
            pdf.multi_cell(w - 5, lh, hy(item), align=align, new_x="LMARGIN", new_y="NEXT")
            pdf.set_y(pdf.get_y() + 0.6)
        pdf.set_left_margin(x)
        pdf.set_y(pdf.get_y() + 1)
    elif b.kind == "sig":
        text(b.text, "B", after=0)
        text(hy(b.role), after=3 if layout == "twocol" else 1.4)
    elif b.kind == "link":
        href = link_href(b.text)
        pdf.set_font("body", "", size)
        pdf.set_text_color(*_rgb(BLUE if layout != "plain" else "#000000"))
        pdf.set_x(x)
        pdf.multi_cell(w, lh, b.text, align="L", link=href if LINK_LINE_RE.match(b.text) else None,
                       new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
        pdf.set_y(pdf.get_y() + 1)
    elif b.kind == "label":
        text(b.text, "B", 11 if layout == "twocol" else size, RED if layout == "twocol" else "#000000", "L", after=0.8)
    elif b.kind == "table":
        n = len(b.header)
        pdf.set_font("body", "", size - 1)
        pdf.set_left_margin(x)
        pdf.set_x(x)
        if layout == "twocol" and b.borderless:
            # no rules, the header centred and wrapped in narrow columns
            with pdf.table(width=w * 0.85, col_widths=(22, 33, 33), align="LEFT", borders_layout="NONE",
                           text_align=("LEFT", "CENTER", "CENTER"), v_align="BOTTOM", line_height=lh * 0.95,
                           headings_style=FontFace(emphasis="BOLD", color=_rgb(TEAL), fill_color=(255, 255, 255)),
                           cell_fill_mode="NONE",
                           padding=1.2, first_row_as_headings=True) as table:
                for row in [b.header, *b.rows]:
                    r = table.row()
                    for c in row:
                        r.cell(c)
        else:
            heads = FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=_rgb(TEAL)) if layout == "twocol" \
                else FontFace(emphasis="BOLD")
            borders = "HORIZONTAL_LINES" if layout == "serif" else "ALL"
            with pdf.table(width=w, col_widths=(18, 30, 25, 27) if n == 4 else (22, 33, 33), align="LEFT",
                           borders_layout=borders, line_height=lh * 0.95, headings_style=heads, padding=1.2,
                           text_align="LEFT", v_align="TOP", cell_fill_mode="NONE") as table:
                for row in [b.header, *b.rows]:
                    r = table.row()
                    for c in row:
                        r.cell(c)
        pdf.set_y(pdf.get_y() + 3)
    else:
        raise ValueError(b.kind)


def _fp_measure(scratch, item, x: float, w: float, layout: str) -> float:
    scratch.add_page()
    top = scratch.t_margin
    scratch.set_y(top)
    _fp_item(scratch, item, x, w, layout)
    return scratch.get_y() - top


def _fp_item(pdf, item, x: float, w: float, layout: str) -> None:
    """A block, or a diagram (boxes two by two) of the fiche's last page."""
    if not isinstance(item, tuple):
        _fp_block(pdf, item, x, w, layout)
        return
    if item[0] == "keep":
        for it in item[1]:
            _fp_item(pdf, it, x, w, layout)
        return
    if layout != "twocol":
        for b in item[1]:
            _fp_block(pdf, b, x, w, layout)
        return
    cells = _diagram_cells(item[1])
    gap = 8
    cw = (w - gap) / 2
    for k in range(0, len(cells), 2):
        pair = cells[k:k + 2]
        y0 = pdf.get_y()
        bottoms = []
        for j, cell in enumerate(pair):
            cx = x + j * (cw + gap)
            pdf.set_y(y0 + 3)
            for b in cell:
                _fp_block(pdf, b, cx + 3, cw - 6, layout)
            bottoms.append(pdf.get_y())
        h = max(bottoms) - y0 + 1
        pdf.set_draw_color(*_rgb(TEAL))
        pdf.set_line_width(0.35)
        for j in range(len(pair)):
            pdf.rect(x + j * (cw + gap), y0, cw, h, style="D", round_corners=True, corner_radius=3)
        pdf.set_draw_color(0, 0, 0)
        pdf.set_line_width(0.2)
        pdf.set_y(y0 + h + 4)
    pdf.set_left_margin(x)


def _fp_letterhead(pdf, kind: Block, dateline: Block, layout: str) -> None:
    x, w = pdf.l_margin, pdf.epw
    y0 = pdf.get_y()
    size = 15 if layout == "twocol" else 13
    if layout == "plain":
        pdf.set_font("body", "B", size)
        pdf.cell(w, 7, kind.text, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("body", "", FP_SIZES[layout])
        pdf.cell(w, 6, dateline.text, align="R", new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(pdf.get_y() + 4)
        return
    for j, colour in enumerate(("#000091", "#ffffff", "#e1000f")):
        pdf.set_fill_color(*_rgb(colour))
        pdf.set_draw_color(204, 204, 204)
        pdf.rect(x + j * 5, y0, 5, 12, style="DF" if colour == "#ffffff" else "F")
    pdf.set_fill_color(*_rgb(GREY))
    pdf.rect(x + 18, y0, 50, 12, style="F")
    pdf.set_draw_color(0, 0, 0)
    # side by side: the kind under the logo on the left, the dateline on the right on the same line
    ky = y0 + 15
    pdf.set_xy(x, ky)
    pdf.set_font("body", "B", size)
    pdf.set_text_color(*_rgb(BLUE if layout == "twocol" else "#000000"))
    pdf.cell(110, 8, kind.text)
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("body", "", FP_SIZES[layout] + 0.5)
    pdf.set_xy(x + 110, ky + 1)
    pdf.cell(w - 110, 7, dateline.text, align="R")
    pdf.set_y(ky + 13)


def _keep_with_next(items: list) -> list:
    """Items, each heading glued to the item after it (a ('keep', [...]) item) so that a column
    never ends on a heading."""
    out: list = []
    for it in items:
        if out and isinstance(out[-1], tuple) and out[-1][0] == "keep" and len(out[-1][1]) == 1:
            out[-1][1].append(it)
        elif isinstance(it, Block) and it.kind in ("h2", "h3"):
            out.append(("keep", [it]))
        else:
            out.append(it)
    return out


def _fpdf2_pages(pdf, scratch, doc: Document, layout: str) -> None:
    wide = WIDE_PAGES.get(doc.stem, set())
    for n, blocks in enumerate(doc.pages, 1):
        pdf.add_page()
        items = _group(blocks)
        k = 0
        if items and isinstance(items[0], Block) and items[0].kind == "kind":
            _fp_letterhead(pdf, items[0], items[1], layout)
            k = 2
        while k < len(items) and isinstance(items[k], Block) and items[k].kind == "h1":
            _fp_block(pdf, items[k], pdf.l_margin, pdf.epw, layout)
            pdf.set_y(pdf.get_y() + 2)
            k += 1
        body = _keep_with_next(items[k:])
        x0, full = pdf.l_margin, pdf.epw
        if layout == "twocol" and n not in wide:
            gap = 9
            cw = (full - gap) / 2
            heights = [_fp_measure(scratch, it, x0, cw, layout) for it in body]
            half = sum(heights) / 2
            top = pdf.get_y()
            pdf.set_auto_page_break(False)
            acc = 0.0
            col = 0
            for it, h in zip(body, heights):
                if col == 0 and acc > 0 and acc + h / 2 > half:
                    col = 1
                    pdf.set_y(top)
                _fp_item(pdf, it, x0 + col * (cw + gap), cw, layout)
                acc += h
            pdf.set_auto_page_break(True, margin=pdf.b_margin)
            pdf.set_left_margin(x0)
            pdf.set_right_margin(pdf.w - x0 - full)
        else:
            for it in body:
                _fp_item(pdf, it, x0, full, layout)
            pdf.set_left_margin(x0)


# --- LibreOffice --------------------------------------------------------------------------------

def _x(text: str) -> str:
    return xml_escape(text)


ODF_NS = " ".join(f'xmlns:{k}="{v}"' for k, v in {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xlink": "http://www.w3.org/1999/xlink",
}.items())


def _odf_styles(doc: Document, layout: str, font: Font) -> tuple[str, str, str]:
    """(office:styles, office:automatic-styles, office:master-styles) of a layout."""
    size = {"twocol": 9.2, "plain": 9.6, "serif": 9.5}[layout]
    hyph = "true" if layout == "serif" else "false"
    colour = {"h1": BLUE, "h2": TEAL, "h3": RED} if layout == "twocol" else {"h1": "#000000", "h2": "#000000", "h3": "#000000"}
    hsize = {"h1": 17, "h2": 12, "h3": 10.5} if layout == "twocol" else {"h1": 15, "h2": 12, "h3": 10.5}
    align = "justify" if layout == "serif" else "start"
    tracking = ' fo:letter-spacing="0.03cm"' if layout == "twocol" else ""
    styles = [
        '<style:default-style style:family="paragraph"><style:paragraph-properties fo:hyphenation-ladder-count="no-limit"/>'
        f'<style:text-properties style:font-name="Body" fo:font-size="{size}pt" fo:language="fr" fo:country="FR"'
        f' fo:hyphenate="{hyph}" fo:hyphenation-remain-char-count="2" fo:hyphenation-push-char-count="3"/></style:default-style>',
        '<style:style style:name="Standard" style:family="paragraph" style:class="text"/>',
        '<style:style style:name="Text_20_body" style:display-name="Text body" style:family="paragraph"'
        ' style:parent-style-name="Standard" style:class="text"><style:paragraph-properties fo:margin-top="0cm"'
        f' fo:margin-bottom="0.14cm" fo:line-height="{100 if layout == "serif" else 106}%" fo:text-align="{align}"/></style:style>',
        '<style:style style:name="Item" style:family="paragraph" style:parent-style-name="Text_20_body">'
        '<style:paragraph-properties fo:margin-bottom="0.05cm"/></style:style>',
        '<style:style style:name="Left" style:family="paragraph" style:parent-style-name="Text_20_body">'
        '<style:paragraph-properties fo:text-align="start"/><style:text-properties fo:hyphenate="false"/></style:style>',
        '<style:style style:name="Dateline" style:family="paragraph" style:parent-style-name="Text_20_body">'
        f'<style:paragraph-properties fo:text-align="end"/><style:text-properties fo:font-size="{size + 0.8}pt"/></style:style>',
        '<style:style style:name="Kind" style:family="paragraph" style:parent-style-name="Left">'
        f'<style:text-properties fo:font-size="{15 if layout == "twocol" else 13}pt" fo:font-weight="bold"'
        f' fo:color="{BLUE if layout == "twocol" else "#000000"}"/></style:style>',
        '<style:style style:name="Cell" style:family="paragraph" style:parent-style-name="Left">'
        f'<style:paragraph-properties fo:margin-bottom="0cm"/><style:text-properties fo:font-size="{size - 1}pt"/></style:style>',
        '<style:style style:name="CellCentre" style:family="paragraph" style:parent-style-name="Cell">'
        '<style:paragraph-properties fo:text-align="center"/></style:style>',
        '<style:style style:name="Header" style:family="paragraph" style:parent-style-name="Standard">'
        '<style:paragraph-properties fo:text-align="center"/><style:text-properties fo:font-size="8.5pt" fo:color="#464646"/></style:style>',
        '<style:style style:name="Footer" style:family="paragraph" style:parent-style-name="Standard">'
        '<style:paragraph-properties fo:text-align="center"/><style:text-properties fo:font-size="8.5pt"/></style:style>',
        '<style:style style:name="Bold" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>',
        '<style:style style:name="Fig" style:family="text"><style:text-properties fo:font-weight="bold"'
        f' fo:font-size="15pt" fo:color="{BLUE}"/></style:style>',
        '<style:style style:name="Label" style:family="text"><style:text-properties fo:font-weight="bold"'
        f' fo:font-size="{11 if layout == "twocol" else size}pt" fo:color="{RED if layout == "twocol" else "#000000"}"/></style:style>',
        '<style:style style:name="Link" style:family="text"><style:text-properties style:text-underline-style="solid"'
        f' style:text-underline-width="auto" style:text-underline-color="font-color"'
        f' fo:color="{BLUE if layout != "plain" else "#000000"}"/></style:style>',
    ]
    for h, lvl in (("h1", 1), ("h2", 2), ("h3", 3)):
        italic = ' fo:font-style="italic"' if layout == "serif" and h == "h2" else ""
        styles.append(
            f'<style:style style:name="Heading_20_{lvl}" style:display-name="Heading {lvl}" style:family="paragraph"'
            f' style:parent-style-name="Standard" style:next-style-name="Text_20_body" style:default-outline-level="{lvl}"'
            ' style:class="text"><style:paragraph-properties fo:margin-top="'
            f'{0 if lvl == 1 else 0.25}cm" fo:margin-bottom="{0.25 if lvl == 1 else 0.12}cm" fo:keep-with-next="always"'
            f' fo:text-align="start"/><style:text-properties fo:font-size="{hsize[h]}pt" fo:font-weight="bold"'
            f' fo:color="{colour[h]}" fo:hyphenate="false"{italic}{tracking if h == "h1" else ""}/></style:style>')
    bullet_colour = TEAL if layout == "twocol" else "#000000"
    for name, char in (("LDisc", "•"), ("LDash", "–")):
        styles.append(
            f'<text:list-style style:name="{name}"><text:list-level-style-bullet text:level="1" text:bullet-char="{char}">'
            '<style:list-level-properties text:list-level-position-and-space-mode="label-alignment">'
            '<style:list-level-label-alignment text:label-followed-by="listtab" text:list-tab-stop-position="0.5cm"'
            ' fo:text-indent="-0.4cm" fo:margin-left="0.5cm"/></style:list-level-properties>'
            f'<style:text-properties style:font-name="Body" fo:color="{bullet_colour}"/>'
            '</text:list-level-style-bullet></text:list-style>')
    m = "1.4cm" if layout == "twocol" else ("1.6cm" if layout == "plain" else "1.8cm")
    top = "0.9cm" if layout == "serif" else m
    auto = [
        '<style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm"'
        f' fo:margin-top="{top}" fo:margin-bottom="{"0.8cm" if layout == "serif" else m}" fo:margin-left="{m}"'
        f' fo:margin-right="{m}" style:print-orientation="portrait"/>'
        '<style:header-style><style:header-footer-properties fo:min-height="0.5cm" fo:margin-bottom="0.5cm"/></style:header-style>'
        '<style:footer-style><style:header-footer-properties fo:min-height="0.5cm" fo:margin-top="0.5cm"/></style:footer-style>'
        '</style:page-layout>',
        '<style:style style:name="Sect2" style:family="section"><style:section-properties>'
        '<style:columns fo:column-count="2" fo:column-gap="0.9cm"/></style:section-properties></style:style>',
        '<style:style style:name="gBleu" style:family="graphic"><style:graphic-properties draw:fill="solid"'
        ' draw:fill-color="#000091" draw:stroke="none"/></style:style>',
        '<style:style style:name="gBlanc" style:family="graphic"><style:graphic-properties draw:fill="solid"'
        ' draw:fill-color="#ffffff" draw:stroke="solid" svg:stroke-color="#cccccc" svg:stroke-width="0.01cm"/></style:style>',
        '<style:style style:name="gRouge" style:family="graphic"><style:graphic-properties draw:fill="solid"'
        ' draw:fill-color="#e1000f" draw:stroke="none"/></style:style>',
        '<style:style style:name="gGris" style:family="graphic"><style:graphic-properties draw:fill="solid"'
        f' draw:fill-color="{GREY}" draw:stroke="none"/></style:style>',
        '<style:style style:name="TFull" style:family="table"><style:table-properties style:width="17.8cm" table:align="left"'
        ' fo:margin-top="0.1cm" fo:margin-bottom="0.25cm"/></style:style>',
        '<style:style style:name="TNarrow" style:family="table"><style:table-properties style:width="7.2cm" table:align="left"'
        ' fo:margin-top="0.1cm" fo:margin-bottom="0.25cm"/></style:style>',
        '<style:style style:name="CRuled" style:family="table-cell"><style:table-cell-properties fo:padding="0.06cm"'
        ' fo:border="0.5pt solid #7f8c8d" style:vertical-align="top"/></style:style>',
        '<style:style style:name="CHead" style:family="table-cell"><style:table-cell-properties fo:padding="0.06cm"'
        f' fo:border="0.5pt solid #7f8c8d" fo:background-color="{TEAL}" style:vertical-align="top"/></style:style>',
        '<style:style style:name="CNone" style:family="table-cell"><style:table-cell-properties fo:padding="0.06cm"'
        ' fo:border="none" style:vertical-align="top"/></style:style>',
        '<style:style style:name="CNoneBottom" style:family="table-cell"><style:table-cell-properties fo:padding="0.06cm"'
        ' fo:border="none" style:vertical-align="bottom"/></style:style>',
        '<style:style style:name="CTopRule" style:family="table-cell"><style:table-cell-properties fo:padding="0.06cm"'
        ' fo:border-top="1pt solid #000000" fo:border-bottom="0.5pt solid #000000" fo:border-left="none"'
        ' fo:border-right="none"/></style:style>',
        '<style:style style:name="CBottomRule" style:family="table-cell"><style:table-cell-properties fo:padding="0.06cm"'
        ' fo:border-bottom="1pt solid #000000" fo:border-top="none" fo:border-left="none" fo:border-right="none"/></style:style>',
        '<style:style style:name="CBox" style:family="table-cell"><style:table-cell-properties fo:padding="0.25cm"'
        f' fo:border="1pt solid {TEAL}" style:vertical-align="top"/></style:style>',
        '<style:style style:name="CGap" style:family="table-cell"><style:table-cell-properties fo:padding="0cm"'
        ' fo:border="none"/></style:style>',
        '<style:style style:name="HeadWhite" style:family="paragraph" style:parent-style-name="Cell">'
        '<style:text-properties fo:color="#ffffff" fo:font-weight="bold"/></style:style>',
        '<style:style style:name="HeadCentre" style:family="paragraph" style:parent-style-name="CellCentre">'
        f'<style:text-properties fo:color="{TEAL}" fo:font-weight="bold"/></style:style>',
        '<style:style style:name="HeadBold" style:family="paragraph" style:parent-style-name="Cell">'
        '<style:text-properties fo:font-weight="bold"/></style:style>',
    ]
    for name in ("Text_20_body", "Left", "Heading_20_1", "Heading_20_2", "Kind"):
        auto.append(f'<style:style style:name="Brk_{name}" style:family="paragraph" style:parent-style-name="{name}">'
                    '<style:paragraph-properties fo:break-before="page"/></style:style>')
    if layout == "serif":
        master = ('<style:master-page style:name="Standard" style:page-layout-name="pm1">'
                  f'<style:header><text:p text:style-name="Header">{_x(doc.running_header)}</text:p></style:header>'
                  '<style:footer><text:p text:style-name="Footer">Page <text:page-number text:select-page="current">1'
                  '</text:page-number> / <text:page-count>1</text:page-count></text:p></style:footer></style:master-page>')
    else:
        master = '<style:master-page style:name="Standard" style:page-layout-name="pm1"/>'
    return "".join(styles), "".join(auto), master


class _OdfBody:
    """Writes the body of a flat ODT; the first paragraph of each new page breaks the page."""

    def __init__(self, layout: str):
        self.layout = layout
        self.parts: list[str] = []
        self.break_next = False
        self.nlist = 0

    def _style(self, name: str) -> str:
        if self.break_next and name in ("Text_20_body", "Left", "Heading_20_1", "Heading_20_2", "Kind"):
            self.break_next = False
            return f"Brk_{name}"
        return name

    def para(self, inner: str, style: str = "Text_20_body") -> str:
        return f'<text:p text:style-name="{self._style(style)}">{inner}</text:p>'

    def block(self, b: Block) -> str:
        layout = self.layout
        if b.kind in ("h1", "h2", "h3"):
            lvl = b.kind[1]
            return (f'<text:h text:style-name="{self._style(f"Heading_20_{lvl}")}" text:outline-level="{lvl}">'
                    f"{_x(b.text)}</text:h>")
        if b.kind in ("p", "flow"):
            return self.para(_x(b.text))
        if b.kind == "fig":
            if layout == "twocol":
                return self.para(f'<text:span text:style-name="Fig">{_x(b.figure)}</text:span>{_x(b.text)}')
            return self.para(_x(b.figure + b.text))
        if b.kind == "list":
            self.nlist += 1
            style = "LDisc" if b.marker == "•" else "LDash"
            items = "".join(f"<text:list-item>{self.para(_x(i), 'Item')}</text:list-item>" for i in b.items)
            return f'<text:list xml:id="list{self.nlist}" text:style-name="{style}">{items}</text:list>'
        if b.kind == "sig":
            return self.para(f'<text:span text:style-name="Bold">{_x(b.text)}</text:span><text:line-break/>{_x(b.role)}',
                             "Left")
        if b.kind == "link":
            href = link_href(b.text)
            inner = f'<text:span text:style-name="Link">{_x(b.text)}</text:span>'
            if LINK_LINE_RE.match(b.text):
                inner = f'<text:a xlink:type="simple" xlink:href="{_x(href)}">{inner}</text:a>'
            return self.para(inner, "Left")
        if b.kind == "label":
            return self.para(f'<text:span text:style-name="Label">{_x(b.text)}</text:span>', "Left")
        if b.kind == "table":
            return self.table(b)
        raise ValueError(b.kind)

    def table(self, b: Block) -> str:
        n = len(b.header)
        layout = self.layout
        borderless = layout == "twocol" and b.borderless
        narrow = layout == "twocol" and borderless
        widths = [2.2, 2.5, 2.5] if narrow else ([3.2, 4.8, 4.6, 5.2] if n == 4 else [5.0, 6.4, 6.4])
        cols = "".join(f'<table:table-column table:style-name="TC{n}_{k}_{int(narrow)}"/>' for k in range(n))
        self.col_styles.extend(
            f'<style:style style:name="TC{n}_{k}_{int(narrow)}" style:family="table-column">'
            f'<style:table-column-properties style:column-width="{w}cm"/></style:style>' for k, w in enumerate(widths))

        def row(cells: list[str], head: bool, last: bool) -> str:
            out = []
            for k, c in enumerate(cells):
                if borderless:
                    cstyle = "CNoneBottom" if head else "CNone"
                    pstyle = "HeadCentre" if head else ("HeadBold" if k == 0 else "CellCentre")
                elif layout == "twocol":
                    cstyle, pstyle = ("CHead", "HeadWhite") if head else ("CRuled", "Cell")
                elif layout == "serif":
                    cstyle = "CTopRule" if head else ("CBottomRule" if last else "CNone")
                    pstyle = "HeadBold" if head else "Cell"
                else:
                    cstyle, pstyle = ("CRuled", "HeadBold") if head else ("CRuled", "Cell")
                out.append(f'<table:table-cell table:style-name="{cstyle}" office:value-type="string">'
                           f'<text:p text:style-name="{pstyle}">{_x(c)}</text:p></table:table-cell>')
            return "<table:table-row>" + "".join(out) + "</table:table-row>"

        self.ntable += 1
        head = f"<table:table-header-rows>{row(b.header, True, False)}</table:table-header-rows>"
        body = "".join(row(r, False, k == len(b.rows) - 1) for k, r in enumerate(b.rows))
        return (f'<table:table table:name="Tableau{self.ntable}" table:style-name="{"TNarrow" if narrow else "TFull"}">'
                f"{cols}{head}{body}</table:table>")

    col_styles: list[str]
    ntable = 0


def build_fodt(doc: Document, layout: str, font: Font) -> str:
    styles, auto, master = _odf_styles(doc, layout, font)
    w = _OdfBody(layout)
    w.col_styles = []
    parts: list[str] = []
    wide = WIDE_PAGES.get(doc.stem, set())
    for n, blocks in enumerate(doc.pages, 1):
        w.break_next = n > 1
        items = _group(blocks)
        k = 0
        if items and isinstance(items[0], Block) and items[0].kind == "kind":
            kind, dateline = items[0], items[1]
            k = 2
            if layout == "plain":
                parts.append(w.para(_x(kind.text), "Kind"))
                parts.append(w.para(_x(dateline.text), "Dateline"))
            else:
                # side by side: logo and kind in the left cell, the dateline at the bottom of the right one
                logo = ('<draw:rect draw:style-name="gBleu" text:anchor-type="as-char" svg:width="0.5cm" svg:height="1.2cm"/>'
                        '<draw:rect draw:style-name="gBlanc" text:anchor-type="as-char" svg:width="0.5cm" svg:height="1.2cm"/>'
                        '<draw:rect draw:style-name="gRouge" text:anchor-type="as-char" svg:width="0.5cm" svg:height="1.2cm"/>'
                        '<text:s/><draw:rect draw:style-name="gGris" text:anchor-type="as-char" svg:width="5cm"'
                        ' svg:height="1.2cm"/>')
                w.col_styles.append('<style:style style:name="LH_A" style:family="table-column">'
                                    '<style:table-column-properties style:column-width="11cm"/></style:style>'
                                    '<style:style style:name="LH_B" style:family="table-column">'
                                    '<style:table-column-properties style:column-width="6.8cm"/></style:style>')
                parts.append(
                    '<table:table table:name="EnTete" table:style-name="TFull"><table:table-column table:style-name="LH_A"/>'
                    '<table:table-column table:style-name="LH_B"/><table:table-row>'
                    '<table:table-cell table:style-name="CNone" office:value-type="string">'
                    f'<text:p text:style-name="Left">{logo}</text:p><text:p text:style-name="Kind">{_x(kind.text)}</text:p>'
                    '</table:table-cell><table:table-cell table:style-name="CNoneBottom" office:value-type="string">'
                    f'<text:p text:style-name="Dateline">{_x(dateline.text)}</text:p></table:table-cell>'
                    '</table:table-row></table:table>')
        while k < len(items) and isinstance(items[k], Block) and items[k].kind == "h1":
            parts.append(w.block(items[k]))
            k += 1
        body: list[str] = []
        for item in items[k:]:
            if isinstance(item, tuple):
                if layout == "twocol":
                    body.append(_odf_diagram(w, item[1]))
                else:
                    body.extend(w.block(b) for b in item[1])
            else:
                body.append(w.block(item))
        if w.break_next and body and body[0].startswith("<text:list"):
            body.insert(0, w.para(""))   # not reached with these documents
        if layout == "twocol" and n not in wide:
            parts.append(f'<text:section text:style-name="Sect2" text:name="Colonnes{n}">{"".join(body)}</text:section>')
        else:
            parts.extend(body)
    y, mo, d, hh, mi, ss = FIXED_DATE
    when = f"{y:04d}-{mo:02d}-{d:02d}T{hh:02d}:{mi:02d}:{ss:02d}"
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<office:document {ODF_NS} office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">'
            f"<office:meta><dc:title>{_x(doc.title)}</dc:title><meta:initial-creator>fiche-extract corpus</meta:initial-creator>"
            f"<meta:creation-date>{when}</meta:creation-date><dc:date>{when}</dc:date><dc:language>fr-FR</dc:language>"
            "</office:meta>"
            f'<office:font-face-decls><style:font-face style:name="Body" svg:font-family="&apos;{font.family}&apos;"'
            ' style:font-pitch="variable"/></office:font-face-decls>'
            f"<office:styles>{styles}</office:styles>"
            f"<office:automatic-styles>{auto}{''.join(w.col_styles)}</office:automatic-styles>"
            f"<office:master-styles>{master}</office:master-styles>"
            f"<office:body><office:text>{''.join(parts)}</office:text></office:body></office:document>\n")


def _odf_diagram(w: _OdfBody, blocks: list[Block]) -> str:
    """The diagram of the fiche's last page: boxes two by two, a bordered table cell each."""
    cells = _diagram_cells(blocks)
    w.col_styles.append('<style:style style:name="DG_A" style:family="table-column">'
                        '<style:table-column-properties style:column-width="8.4cm"/></style:style>'
                        '<style:style style:name="DG_G" style:family="table-column">'
                        '<style:table-column-properties style:column-width="1cm"/></style:style>')
    rows = []
    for k in range(0, len(cells), 2):
        pair = cells[k:k + 2] + ([] if len(cells[k:k + 2]) == 2 else [[]])
        out = []
        for j, cell in enumerate(pair):
            if j == 1:
                out.append('<table:table-cell table:style-name="CGap" office:value-type="string"><text:p/></table:table-cell>')
            style = "CBox" if cell else "CGap"
            inner = "".join(w.block(b) for b in cell) or "<text:p/>"
            out.append(f'<table:table-cell table:style-name="{style}" office:value-type="string">{inner}</table:table-cell>')
        rows.append("<table:table-row>" + "".join(out) + "</table:table-row>")
        rows.append('<table:table-row><table:table-cell table:style-name="CGap" table:number-columns-spanned="3"'
                    ' office:value-type="string"><text:p/></table:table-cell><table:covered-table-cell/>'
                    "<table:covered-table-cell/></table:table-row>")
    return ('<table:table table:name="Schema" table:style-name="TFull"><table:table-column table:style-name="DG_A"/>'
            '<table:table-column table:style-name="DG_G"/><table:table-column table:style-name="DG_A"/>'
            + "".join(rows) + "</table:table>")


def soffice_binary() -> str:
    for name in ("soffice", "libreoffice"):
        path = shutil.which(name)
        if path:
            return path
    raise Missing("LibreOffice not found (Debian: apt-get install libreoffice-writer; or `make matrix` as root)")


def render_libreoffice(doc: Document, layout: str, out: Path, work: Path) -> list[str]:
    soffice = soffice_binary()
    font = FONT_PLAN[("libreoffice", layout)]
    src = work / f"{out.stem}.fodt"
    src.write_text(build_fodt(doc, layout, font), encoding="utf-8")
    profile = work / "lo-profile"
    outdir = work / "lo-out"
    outdir.mkdir(exist_ok=True)
    env = fontconfig_env(font, work)
    env["LANG"] = env["LC_ALL"] = "C.UTF-8"
    _run(_faketime() + [soffice, "--headless", "--norestore", "--nolockcheck", "--nodefault",
                        f"-env:UserInstallation={profile.as_uri()}", "--convert-to", "pdf:writer_pdf_Export",
                        "--outdir", str(outdir), str(src)], env=env, timeout=300)
    made = outdir / f"{src.stem}.pdf"
    if not made.exists():
        raise RuntimeError(f"LibreOffice wrote no {made.name}")
    shutil.move(str(made), out)
    return []


def _pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout


# --------------------------------------------------------------------------------------------
# Checks of the printed PDFs
# --------------------------------------------------------------------------------------------

def _fold(text: str, vocab: set[str] | None = None) -> str:
    """Text compared loosely: soft hyphens out, a word hyphenated at a line end closed up (after
    U+2010 always; after '-' when the joined word is a word of the seed, else the hyphen stays),
    quotes and apostrophes unified, ligatures spelt out, every kind of space one space."""
    import unicodedata

    text = re.sub(r"(\w)[ \t]*[\u2010\u00ad][ \t]*\n[ \t]*(\w)", r"\1\2", text)
    text = text.replace(SHY, "")

    def hyphen(m: re.Match) -> str:
        joined = m.group(1) + m.group(2)
        if vocab is not None and joined.lower() in vocab:
            return joined
        return m.group(1) + "-" + m.group(2)

    text = re.sub(r"([^\W\d_]+)-[ \t]*\n[ \t]*([^\W\d_]+)", hyphen, text)
    text = re.sub("[\ufb00-\ufb06]", lambda m: unicodedata.normalize("NFKC", m.group(0)), text)
    text = text.replace("’", "'").replace("\u2010", "-")
    return re.sub(r"[\s\u2009\u202f\u00a0]+", " ", text).strip()


def check_pdf(pdf: Path, doc: Document) -> dict:
    """What a text extractor (pdfplumber, as the pipeline uses it) gets from one PDF."""
    import collections
    import json

    import pdfplumber

    seed = (CORPUS / f"{doc.stem}.txt").read_text(encoding="utf-8")
    gold = json.loads((CORPUS / "gold" / f"{doc.stem}.json").read_text(encoding="utf-8"))
    with pdfplumber.open(pdf) as p:
        pages = len(p.pages)
        chars = [c["text"] for pg in p.pages for c in pg.chars]
        text = "\n".join(pg.extract_text() or "" for pg in p.pages)
    counts = collections.Counter(chars)
    # Words, headings and numbers are looked for in poppler's reading order (pdftotext finds the
    # columns); pdfplumber's extract_text, which reads lines straight across the page, is only
    # asked which headings it keeps whole.
    poppler = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    seed_text = _fold(" ".join(seed_words(seed)))
    vocab = {w.lower() for w in re.findall(r"[^\W\d_]+", seed_text)}
    words_seed = collections.Counter(re.findall(r"[^\W_]+", seed_text.lower()))
    headings = [h["heading"] for h in gold["sections"]]
    numbers = sorted(set(re.findall(r"(?<![\w,])\d+(?:[\u2009\u202f\u00a0 ]\d{3})*(?:,\d+)?(?![\d])",
                                    " ".join(seed_words(seed)))))

    def read(raw: str) -> tuple[float, list[str], list[str]]:
        folded = _fold(raw, vocab)
        words = collections.Counter(re.findall(r"[^\W_]+", folded.lower()))
        found = sum(min(n, words[w]) for w, n in words_seed.items()) / max(1, sum(words_seed.values()))
        hay = re.sub('["«»]', "", folded)
        heads = [h for h in headings if re.sub('["«»]', "", _fold(h)) not in hay]
        nums = []
        for n in numbers:
            groups = re.split(r"[\u2009\u202f\u00a0 ]", n)
            pat = r"(?<![\d,])" + r"[ \u2009\u202f\u00a0]?".join(re.escape(g) for g in groups) + r"(?![\d])"
            if not re.search(pat, folded):
                nums.append(n)
        return found, heads, nums

    # pdfplumber (what the pipeline reads) reads lines straight across the page; pdftotext finds
    # columns. A word, heading or number counts as there when either finds it.
    found_p, heads_p, nums_p = read(text)
    found_t, heads_t, nums_t = read(poppler)
    found = max(found_p, found_t)
    missing_headings = [h for h in heads_p if h in heads_t]
    missing_numbers = [n for n in nums_p if n in nums_t]
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout.splitlines()[2:]
    font_names = sorted({re.sub(r"^[A-Z]{6}\+", "", f.split()[0]) for f in fonts if f.strip()})
    type3 = any(" Type 3 " in f for f in fonts)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    created = re.search(r"^CreationDate:\s*(.*)$", info, re.M)
    producer = re.search(r"^Producer:\s*(.*)$", info, re.M)
    creator = re.search(r"^Creator:\s*(.*)$", info, re.M)
    line_ends = collections.Counter(l.rstrip()[-1] for l in text.split("\n") if l.rstrip()
                                    and l.rstrip()[-1] in "-\u2010\u00ad")
    maker, layout = pdf.stem.split("--")[1:3]
    return {
        "file": pdf.name, "font": FONT_PLAN[(maker, layout)].note, "pages": pages, "pages_expected": doc.pdf_pages, "bytes": pdf.stat().st_size,
        "words_found": round(found, 4), "words_found_pdfplumber": round(found_p, 4),
        "missing_headings": missing_headings, "missing_numbers": missing_numbers,
        "pdfplumber_missed_headings": heads_p,
        "nnbsp_seed": seed.count(NNBSP), "nnbsp": counts[NNBSP], "thin": counts[THIN], "nbsp": counts[NBSP],
        "shy": counts[SHY], "hyphen_u2010": counts["\u2010"],
        "line_end_hyphens": dict(line_ends),
        "ligatures": sorted({c for c in chars if any(0xFB00 <= ord(x) <= 0xFB06 for x in c) or
                             (len(c) > 1 and c.isalpha())}),
        "cid": text.count("(cid:"), "fffd": counts["\ufffd"],
        "fonts": font_names, "type3": type3,
        "created": created.group(1).strip() if created else "",
        "producer": (producer.group(1).strip() if producer else "") or (creator.group(1).strip() if creator else ""),
    }


def check_all(out_dir: Path, docs: list[Document], producers, layouts) -> list[dict]:
    rows = []
    for producer in producers:
        for layout in layouts:
            for doc in docs:
                pdf = out_dir / f"{doc.stem}--{producer}--{layout}.pdf"
                if pdf.exists():
                    rows.append(check_pdf(pdf, doc))
    return rows


RENDERERS = {
    "chromium": render_chromium,
    "weasyprint": render_weasyprint,
    "libreoffice": render_libreoffice,
    "typst": render_typst,
    "fpdf2": render_fpdf2,
}


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", action="append", choices=PRODUCERS, help="only this producer (repeatable)")
    ap.add_argument("--layout", action="append", choices=LAYOUTS, help="only this layout (repeatable)")
    ap.add_argument("--doc", action="append", choices=list(DOCUMENTS), help="only this document (repeatable)")
    ap.add_argument("--out", type=Path, default=CORPUS / "matrix")
    ap.add_argument("--dump", action="store_true", help="print the blocks read from the seeds and stop")
    ap.add_argument("--check", action="store_true",
                    help="render nothing: read the PDFs in --out back with pdfplumber and print what they give, as JSON lines")
    args = ap.parse_args(argv)
    docs = [read_document(stem) for stem in (args.doc or DOCUMENTS)]
    if args.dump:
        for d in docs:
            print(dump(d))
        return 0
    if args.check:
        import json

        for tool in ("pdftotext", "pdffonts", "pdfinfo"):
            if not shutil.which(tool):
                print(f"--check needs {tool} (Debian poppler-utils)", file=sys.stderr)
                return 2

        rows = check_all(args.out, docs, args.only or PRODUCERS, args.layout or LAYOUTS)
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
        bad = [r["file"] for r in rows if r["missing_headings"] or r["missing_numbers"] or r["words_found"] < 0.97
               or r["pages"] != r["pages_expected"] or r["cid"] or r["type3"]]
        print(f"{len(rows)} PDFs checked, {len(bad)} with missing words, headings, numbers or pages: {bad}",
              file=sys.stderr)
        return 1 if bad else 0
    args.out.mkdir(parents=True, exist_ok=True)
    if not _faketime() and {"chromium", "libreoffice"} & set(args.only or PRODUCERS):
        print("faketime not found (Debian: apt-get install faketime): Chromium and LibreOffice will write "
              "the current time into their PDFs")
    failures = 0
    with tempfile.TemporaryDirectory(prefix="render-matrix-") as tmp:
        work = Path(tmp)
        for producer in args.only or PRODUCERS:
            if producer not in RENDERERS:
                print(f"{producer}: not written yet")
                continue
            for layout in args.layout or LAYOUTS:
                for doc in docs:
                    out = args.out / f"{doc.stem}--{producer}--{layout}.pdf"
                    try:
                        notes = RENDERERS[producer](doc, layout, out, work)
                    except Missing as e:
                        print(f"{producer}: skipped: {e}")
                        break
                    except Exception as e:  # one failed print does not stop the others
                        failures += 1
                        print(f"{out.name}: FAILED: {e}")
                        continue
                    print(f"wrote {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}"
                          + (f" ({'; '.join(notes)})" if notes else ""))
                else:
                    continue
                break
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
