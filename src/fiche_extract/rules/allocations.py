"""Allocations: each grant a text ties to a beneficiary, with its amount, programme,
project and year.

The amounts are the euro measures already read (`doc.extraction.measures`), the
beneficiaries the communes and intercommunalities of the places stage (and the few
names it missed next to a grant) and the organisations that receive grants
(`rules/beneficiaries.py`). An amount finds its beneficiary, in this order:

1. `X (80 000 €)`: the name before a bracketed amount;
2. `X bénéficiera de 120 000 €`, `X … pour un montant de 363 000 euros`: a name
   before the amount, tied to it by a verb or a link of `receive_cues`;
3. `85 000 euros vont bénéficier au Sicoval`, `7 450 euros pour la place de Dunes`:
   the first name after the amount when a word of `lead_cues` follows it;
4. `Commune de FORS : construction …` then `… la subvention de 300 000 €`, or `Mauriac :
   gymnase, 180 000 €`: the name heading the line or item the amount belongs to;
5. `le projet porté par le SDEC` … `la subvention attribuée s'élève à 1 M€`: the holder
   named before, for a grant that names no one.

Table rows pair their beneficiary cell with their amount cell, and a list announced
as supported projects (`l'État a soutenu au titre de la DETR les projets suivants :`)
gives one grant per item that names a beneficiary, without amount. Costs, budgets and
envelopes are no grants, nor is an amount shared by a counted group (`355 630 €
pour six communautés de communes`, `88 projets pour 13,5 M€`). Words and lists:
`patterns/allocations.yaml`.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Iterable, Optional

from .. import rx as re
from ..folding import fold
from ..models import Allocation, Measure
from ..stages import stage
from .beneficiaries import Beneficiaries, Beneficiary
from .grant_programmes import (
    YEAR_RE, ProgrammeMention, dominant_programme, programme_in, programme_mentions, programme_vocabulary, specific,
    year_in,
)
from .segment import section_at

SENTENCE_END_RE = re.compile(r"[.!?;](?=\s)|\n\n|•")
CLAUSE_END_RE = re.compile(r"[.!?;:](?=\s)|\n\n|•")
# `X (80 000 €)`, `X (soit près de 80 000 €)`, `X (subvention de 80 000 €)`
PAREN_BEFORE_RE = re.compile(
    r"\((?:\s*(?:subvention|aide|dotation|montant|financement|participation|soutien)s?(?: [^()\d]{0,30}?)?\s*(?:de|:))?"
    r"\s*(?:(?:près|plus|moins) d['’e]\s*|environ\s*|soit\s*)?$", re.IGNORECASE)
PHRASE_BREAK_RE = re.compile(r"[,;:(]\s|\scomme\s")
DETERMINER_RE = re.compile(r"(?i)(?<![\p{L}])(?:l['’]|la |le |les |un |une |des |du |d['’]un |d['’]une )")
_LINKS = (r"de la commune|de la ville|de la communauté de communes|de la communauté d['’]agglomération|en faveur|"
          r"au profit|de la|du|des|de|à|au|aux|sur|dans|pour|par|celle|celui|ceux|celles|la commune|les communes|"
          r"la ville|la|le|les|et|ou|ou encore|mais aussi|notamment|un|une|portés|portées|porté|portée|menés|mené|"
          r"parmi les|parmi")
TRAILING_LINK_RE = re.compile(rf"(?i)(?:(?:[\s,|]|\s[–—-]\s)*(?<![\p{{L}}\-])(?:{_LINKS}|l['’]|d['’]))+(?:[\s,|]|\s[–—-])*$")
LEADING_LINK_RE = re.compile(rf"(?i)^[\s,;:)•|–—-]*(?:(?:(?:{_LINKS})(?![\p{{L}}])|l['’]|d['’])[\s,;:)•|–—-]*)*")
HOLDER_GAP_RE = re.compile(r"(?i)\s*(?:(?:la|le|les|un|une)\s+|l['’])?(?:(?:commune|ville)\s+(?:de\s+|d['’]))?")
KIND_WORD_RE = re.compile(r"(?i)^(?:comm\w*|agglo\w*|intercommunalit\w*|syndicat\w*|de|du|des|la|le|les|d['’]|l['’])$")


@dataclass(frozen=True)
class AllocationVocabulary:
    minimum: float
    cost_re: "re.Pattern"
    grant_re: "re.Pattern"
    receive_re: "re.Pattern"
    lead_re: "re.Pattern"
    group_nouns: frozenset[str]
    holder_re: "re.Pattern"
    laureate_re: "re.Pattern"
    holder_reach: int
    references: dict  # kind -> pattern of a mention by its kind alone (`la communauté de communes`)
    project_list_re: "re.Pattern"
    table_amount: tuple[str, ...]
    table_cost: tuple[str, ...]
    project_stop_re: "re.Pattern"
    project_words: int


def _words(words: Iterable[str]) -> str:
    """An alternation of words or phrases, longest first, apostrophes in both forms;
    `…` stands for a few words (`signé … avec`)."""
    return "|".join(re.escape(w).replace("'", "['’]").replace("\\ ", "\\s+").replace("…", "[^.;:!?]{0,40}?")
                    for w in sorted(set(words), key=len, reverse=True))


def allocation_vocabulary(resources) -> AllocationVocabulary:
    p = resources.patterns["allocations"]
    bound = r"(?<![\p{L}])(?:{})(?![\p{{L}}])"
    fillers = _words(p["lead_fillers"])
    return AllocationVocabulary(
        minimum=float(p["minimum_amount"]),
        cost_re=re.compile(bound.replace("{}", _words(p["cost_cues"])).replace("{{", "{").replace("}}", "}"),
                           re.IGNORECASE),
        grant_re=re.compile(rf"(?<![\p{{L}}])(?:{_words(p['grant_cues'])})(?![\p{{L}}])", re.IGNORECASE),
        receive_re=re.compile(rf"(?<![\p{{L}}])(?:{_words(p['receive_cues'])})(?![\p{{L}}])", re.IGNORECASE),
        lead_re=re.compile(rf"\s*(?:(?:{fillers}|vont|va|vont|iront|pourront|devraient|doivent)[\s,]+)*"
                           rf"(?:{_words(p['lead_cues'])})(?![\p{{L}}])", re.IGNORECASE),
        group_nouns=frozenset(fold(w) for w in p["group_nouns"]),
        holder_re=re.compile(rf"(?<![\p{{L}}])(?:{_words(p['holder_cues'])})(?![\p{{L}}])", re.IGNORECASE),
        laureate_re=re.compile(rf"[\s,]*(?:{_words(p['laureate_cues'])})(?![\p{{L}}])", re.IGNORECASE),
        references={kind: re.compile(rf"(?<![\p{{L}}])(?:{_words(forms)})(?![\p{{L}}])", re.IGNORECASE)
                    for kind, forms in p["references"].items()},
        holder_reach=int(p["holder_reach"]),
        project_list_re=re.compile(rf"(?<![\p{{L}}])(?:{_words(p['project_list_cues'])})(?![\p{{L}}])", re.IGNORECASE),
        table_amount=tuple(fold(w) for w in p["table_amount_headers"]),
        table_cost=tuple(fold(w) for w in p["table_cost_headers"]),
        project_stop_re=re.compile("|".join(re.escape(w) for w in p["project_stops"]), re.IGNORECASE),
        project_words=int(p["project_words"]),
    )


@dataclass
class _Grant:
    beneficiary: Beneficiary
    measure_index: Optional[int]
    start: int
    end: int
    project: Optional[str]
    near: int  # where to look for the programme and the year
    year_hint: Optional[int] = None


class _Reader:
    """One document's text with its sentences, clauses, records and vocabularies."""

    def __init__(self, doc):
        self.doc = doc
        self.flat = doc.flat
        self.v: AllocationVocabulary = doc.resources.compiled(allocation_vocabulary)
        self.bens = Beneficiaries(doc)
        self.measures = doc.extraction.measures
        self.sentence_ends = [m.start() for m in SENTENCE_END_RE.finditer(self.flat)]
        self.clause_ends = [m.start() for m in CLAUSE_END_RE.finditer(self.flat)]
        self.programmes = programme_mentions(self.flat, doc.resources.compiled(programme_vocabulary))
        self.tables = [(t.start, t.end) for t in doc.extraction.tables if t.start is not None and t.end is not None]
        self.groups = [m for m in self.measures if self._is_group(m)]

    # ------------------------------------------------------------ text units

    @staticmethod
    def _span(ends: list[int], pos: int, size: int) -> tuple[int, int]:
        i = bisect_right(ends, pos - 1)
        start = ends[i - 1] + 1 if i > 0 else 0
        end = ends[i] if i < len(ends) else size
        return start, end

    def sentence(self, pos: int) -> tuple[int, int]:
        return self._span(self.sentence_ends, pos, len(self.flat))

    def clause(self, pos: int) -> tuple[int, int]:
        return self._span(self.clause_ends, pos, len(self.flat))

    def paragraph_index(self, pos: int) -> int:
        return self.flat.count("\n\n", 0, pos)

    def in_table(self, pos: int) -> bool:
        return any(s <= pos < e for s, e in self.tables)

    def _is_group(self, m: Measure) -> bool:
        if m.unit != "count" or m.value < 2:
            return False
        head = fold(m.object or "").split(" ")[:1]
        return bool(head) and head[0] in self.v.group_nouns

    def group_between(self, start: int, end: int) -> bool:
        return any(start <= g.start < end for g in self.groups)

    def is_amount(self, m: Measure) -> bool:
        return m.unit == "EUR" and m.value >= self.v.minimum

    # ------------------------------------------------------------ projects

    def project(self, start: int, end: int) -> Optional[str]:
        """A few words of flat[start:end] that say what the grant pays for."""
        text = self.flat[start:end]
        stop = self.v.project_stop_re.search(text)
        if stop and stop.start() > 0:
            text = text[:stop.start()]
        elif stop:
            return None
        text = LEADING_LINK_RE.sub("", text)
        text = TRAILING_LINK_RE.sub("", text).strip(" ,;|–—-")
        words = text.split()
        if len(words) < 2 or all(KIND_WORD_RE.match(w) or len(w) <= 3 for w in words):
            return None
        return TRAILING_LINK_RE.sub("", " ".join(words[:self.v.project_words])).strip(" ,;|–—-") or None

    def noun_phrase(self, start: int, end: int, last_part: bool = True) -> Optional[str]:
        """The project told in the last part of flat[start:end], from its first
        determiner before a common noun (`Il a notamment permis la modernisation de …`
        gives `modernisation de …`; `L'État finance le projet de réseau …` gives
        `projet de réseau …`)."""
        cut = None
        for cut in PHRASE_BREAK_RE.finditer(self.flat, start, end) if last_part else ():
            pass
        start = cut.end() if cut else start
        for det in DETERMINER_RE.finditer(self.flat, start, end):
            if self.flat[det.end():det.end() + 1].islower():
                return self.project(det.start(), end)
        return self.project(start, end)

    def project_after(self, pos: int, limit: int) -> Optional[str]:
        """`… pour recruter un chef de projet`: the purpose written after a grant."""
        m = re.compile(r"(?i)(?<![\p{L}])pour(?![\p{L}])").search(self.flat, pos, limit)
        return self.project(m.end(), limit) if m else None


def _previous(reader: _Reader, index: int, start: int) -> int:
    """End of the amount before measure `index` in the same clause, else `start`."""
    for j in range(index - 1, -1, -1):
        m = reader.measures[j]
        if m.end <= start:
            break
        if reader.is_amount(m):
            return m.end
    return start


def _next(reader: _Reader, index: int, end: int) -> int:
    """Start of the next figure of at least the minimum amount in the same clause (an
    amount written without its unit too), else `end`."""
    for m in reader.measures[index + 1:]:
        if m.start >= end:
            break
        if m.value >= reader.v.minimum and m.unit in ("EUR", "count"):
            return m.start
    return end


def _heads(reader: _Reader) -> list[tuple[int, Beneficiary, int]]:
    """Lines or items headed by a beneficiary and a colon or a dash (`Commune de FORS :
    construction …`, `• Murat – halle`): (line start, beneficiary, end of the head)."""
    out = []
    text = reader.doc.text.text
    for line in re.finditer(r"(?m)^[ \t]*(?:[•\-–][ \t]*)?(?P<body>.+)$", text):
        body = line.start("body")
        for b in reader.bens.within(body, min(line.end(), body + 120)):
            lead = reader.flat[body:b.start]
            if lead.strip() and not re.fullmatch(r"(?i)\s*(?:la |le |les |l['’])?(?:commune|ville|communauté de communes"
                                                 r"|communauté d['’]agglomération|syndicat)?\s*(?:de |d['’]|du |des )?",
                                                 lead):
                break
            sep = re.match(r"\s*(?:\([^)]{0,40}\))?\s*(?::|–|—| - )\s*", reader.flat[b.end:])
            if sep:
                out.append((line.start(), b, b.end + sep.end()))
            break
    return out


def _holders(reader: _Reader) -> list[tuple[int, Beneficiary]]:
    """Holders of the projects told next: after `porté par`, `signé avec`, or before
    `lauréate`, `a été retenue`, `a signé`: (position, beneficiary)."""
    out = []
    flat, v = reader.flat, reader.v
    for m in v.holder_re.finditer(flat):
        following = reader.bens.within(m.end(), m.end() + 40)
        if following and HOLDER_GAP_RE.fullmatch(flat, m.end(), following[0].start):
            out.append((following[0].start, following[0]))
    for b in reader.bens.items:
        if v.laureate_re.match(flat, b.end, min(len(flat), b.end + 60)):
            out.append((b.start, b))
    for kind, pattern in v.references.items():  # `la communauté de communes a été retenue`: the one named before
        for m in pattern.finditer(flat):
            if reader.bens.within(m.start(), m.end() + 6) or not v.laureate_re.match(flat, m.end(), m.end() + 60):
                continue
            named = [b for b in reader.bens.items if b.end <= m.start() and b.kind == kind]
            recorded = [b for b in named if b.place_index is not None]  # a place record first
            if named:
                out.append((m.start(), (recorded or named)[-1]))
    out.sort(key=lambda h: h[0])
    return out


def _amount_grants(reader: _Reader) -> Iterable[_Grant]:
    """Grants read from euro amounts outside tables (rules 1 to 5 of the module doc)."""
    flat, v, bens = reader.flat, reader.v, reader.bens
    heads = _heads(reader)
    holders = _holders(reader)
    sections = reader.doc.extraction.sections
    previous: Optional[Beneficiary] = None
    for i, m in enumerate(reader.measures):
        if not reader.is_amount(m) or reader.in_table(m.start):
            continue
        c0, c1 = reader.clause(m.start)
        s0, s1 = reader.sentence(m.start)
        left = _previous(reader, i, c0)
        right = _next(reader, i, c1)
        lead = flat[left:m.start]
        if v.cost_re.search(lead[-80:]):
            continue
        found: Optional[Beneficiary] = None
        project = None
        paren = PAREN_BEFORE_RE.search(flat, max(0, m.start - 20), m.start)
        if paren:  # 1. `X (80 000 €)`
            cands = bens.within(left, paren.start())
            if cands and not reader.group_between(cands[-1].end, m.start):
                found = bens.referring(cands[-1], previous)
                last = [x for x in reader.measures[i:] if reader.is_amount(x) and x.start < s1][-1]
                project = (reader.project(found.end, paren.start()) or reader.project(left, found.start)
                           or reader.noun_phrase(s0, _first_start(bens, s0, s1), last_part=False)
                           or reader.project_after(last.end, s1))
        if found is None and not paren:  # 2. `X va recevoir une aide de 120 000 €`
            cands = bens.within(left, m.start)
            if cands:
                between = flat[cands[-1].end:m.start]
                if len(between) < 160 and v.receive_re.search(between) and not reader.group_between(left, m.start):
                    found = cands[-1]
                    project = reader.noun_phrase(left, found.start) or reader.project_after(m.end, right)
        if found is None and not paren and v.lead_re.match(flat, m.end, right):  # 3. `85 000 € vont bénéficier au Sicoval`
            cands = bens.within(m.end, right)
            if cands and not reader.group_between(m.end, cands[0].start):
                found = cands[0]
                lead_end = v.lead_re.match(flat, m.end, right).end()
                project = reader.project(lead_end, found.start) or reader.project_after(found.end, right)
        hint, far = None, False
        if found is None and not reader.group_between(s0, s1):  # 4. the head of its line or item, 5. a holder
            found, project = _from_head(reader, m, heads, sections, lead)
            if found is None:
                found, project, hint = _from_holder(reader, m, holders, heads, sections, lead, paren, left)
            if found is None:  # 6. the one commune of its item, 7. `la commune a reçu …`: the one named before
                found = _alone_in_item(reader, m) or _named_before(reader, m, left)
                project = project or (reader.project_after(m.end, s1) if found is not None else None)
            far = found is not None and found.start < s0
        if found is None:
            continue
        previous = found
        start, end = (m.start, m.end) if far else (min(found.start, m.start), max(found.end, m.end))
        yield _Grant(found, i, start, end, project, m.start, hint)


ITEM_START_RE = re.compile(r"(?m)^[ \t]*[*•\-–][ \t]")
REFERENCE_RE = re.compile(r"(?i)(?<![\p{L}])(?:la commune|la ville|la municipalité|la mairie|le maire|la maire)(?![\p{L}])")


def _alone_in_item(reader: _Reader, m: Measure) -> Optional[Beneficiary]:
    """6. `* L'aménagement des berges … de la commune de Le Port. Fonds vert : 125 000 €`:
    the only beneficiary the amount's list item names."""
    text = reader.doc.text.text
    line_start = text.rfind("\n", 0, m.start) + 1
    if not ITEM_START_RE.match(text, line_start):
        return None
    line_end = text.find("\n", m.end)
    line_end = len(text) if line_end < 0 else line_end
    if sum(1 for x in reader.measures if line_start <= x.start < line_end and reader.is_amount(x)) > 1:
        return None  # several amounts: the other rules pair them
    named = reader.bens.within(line_start, line_end)
    return named[0] if len({b.insee_code or fold(b.name) for b in named}) == 1 else None


def _named_before(reader: _Reader, m: Measure, left: int) -> Optional[Beneficiary]:
    """7. `la commune a reçu une subvention de 26 841 €`, `le maire a obtenu 80 000 euros`:
    the commune the text named last before, when the clause says the commune (or its
    mayor) received the amount."""
    flat, v = reader.flat, reader.v
    # within its paragraph: `La commune a reçu plusieurs subventions : DETR : 114 814 € ; DSIL : …`
    start = min(left, reader.doc.text.text.rfind("\n", 0, m.start) + 1)
    ref = None
    for ref in REFERENCE_RE.finditer(flat, start, m.start):
        pass
    if ref is None or not v.receive_re.search(flat, ref.end(), m.start) or reader.bens.within(ref.end(), m.start):
        return None
    before = [b for b in reader.bens.items if b.end <= ref.start() and b.kind == "commune"]
    return before[-1] if before else None


def _first_start(bens: Beneficiaries, start: int, end: int) -> int:
    cands = bens.within(start, end)
    return cands[0].start if cands else start


def _from_head(reader: _Reader, m: Measure, heads, sections, lead: str):
    """4. The beneficiary heading the line (any amount) or the item above (a grant)."""
    text = reader.doc.text.text
    line_start = text.rfind("\n", 0, m.start) + 1
    before = [h for h in heads if h[0] <= m.start]
    if not before:
        return None, None
    start, b, head_end = before[-1]
    same_line = start >= line_start or (start < line_start and "\n\n" not in text[start:m.start]
                                         and not re.search(r"\n\s*[•\-–]", text[start + 1:m.start]))
    if not same_line:
        if not reader.v.grant_re.search(lead) or section_at(sections, start) is not section_at(sections, m.start):
            return None, None
        if reader.paragraph_index(m.start) - reader.paragraph_index(start) > 1:
            return None, None
    project = reader.project(head_end, m.start if same_line else len(reader.flat))
    return b, project


def _from_holder(reader: _Reader, m: Measure, holders, heads, sections, lead: str, paren, left: int):
    """5. The holder named before, for a grant (`la subvention … s'élève à`) or a
    bracketed amount after a project, that names no one."""
    if not (reader.v.grant_re.search(lead) or paren):
        return None, None, None
    before = [h for h in holders if h[0] < m.start]
    if not before:
        return None, None, None
    pos, b = before[-1]
    if any(pos < h[0] < m.start for h in heads):
        return None, None, None
    if section_at(sections, pos) is not section_at(sections, m.start):
        return None, None, None
    if reader.paragraph_index(m.start) - reader.paragraph_index(pos) > reader.v.holder_reach:
        return None, None, None
    s0, s1 = reader.sentence(m.start)
    if reader.bens.within(s0, s1):
        return None, None, None
    h0, h1 = reader.sentence(pos)
    if paren:
        project = reader.noun_phrase(left, paren.start())
    else:  # the purpose after the amount, else what the holder's sentence says it holds
        project = reader.project_after(m.end, s1) or reader.noun_phrase(h0, pos, last_part=False)
    return b, project, year_in(reader.flat, h0, h1)


def _table_grants(reader: _Reader) -> Iterable[_Grant]:
    """A table row's beneficiary cell and amount cell (the column headed as a grant
    rather than a cost when a row holds several amounts)."""
    flat, v = reader.flat, reader.v
    for table in reader.doc.extraction.tables:
        if table.start is None or table.end is None:
            continue
        header = [fold(c or "") for c in table.header]
        money = any(any(w in h for w in v.table_amount) for h in header)
        kinds = [("cost" if any(w in h for w in v.table_cost) else "amount" if any(w in h for w in v.table_amount)
                  else None) for h in header]
        numeric = [k for k in kinds if k]
        for line in re.finditer(r"[^\n]+", flat[table.start:table.end]):
            s, e = table.start + line.start(), table.start + line.end()
            amounts = [(i, m) for i, m in enumerate(reader.measures) if s <= m.start < e
                       and (reader.is_amount(m) or (money and m.unit == "count" and m.value >= v.minimum))]
            if not amounts:
                continue
            cands = reader.bens.within(s, amounts[0][1].start)
            if not cands:
                continue
            pick = len(amounts) - 1
            if len(amounts) == len(numeric) and "amount" in numeric:
                pick = numeric.index("amount")
            i, m = amounts[pick]
            b = cands[0]
            yield _Grant(b, i, b.start, m.end, reader.project(b.end, amounts[0][1].start), m.start)


def _listed_projects(reader: _Reader) -> Iterable[_Grant]:
    """Items of a list announced as supported projects (with a programme named): one
    grant without amount per beneficiary an item names outside brackets."""
    text, v = reader.doc.text.text, reader.v
    lines = list(re.finditer(r"(?m)^.*$", text))
    for k, line in enumerate(lines):
        body = line.group(0).rstrip()
        if not body.endswith(":") or not v.project_list_re.search(body):
            continue
        s0, _ = reader.sentence(line.end() - 1)
        if (programme_in(reader.programmes, min(s0, line.start()), line.end(), line.end()) is None
                and dominant_programme(reader.programmes) is None):
            continue  # no programme named for the list, nor one the whole text is about
        items: list[tuple[int, int]] = []
        ended_item = True
        for j, nxt in enumerate(lines[k + 1:], start=k + 1):
            t = nxt.group(0).strip()
            if not t:
                following = next((x.group(0).strip() for x in lines[j + 1:] if x.group(0).strip()), "")
                if items and not following.startswith(("•", "- ", "– ")):
                    break  # a blank line ends the list unless another item follows (items a line apart)
                continue
            if t.startswith(("•", "- ", "– ")):
                items.append((nxt.start(), nxt.end()))
                ended_item = t.endswith((".", ";"))
            elif t.endswith(":") and len(t) < 90:
                ended_item = True  # a sub-heading of the list (`Sur l'arrondissement de Foix :`)
            elif items and not ended_item and t[:1].islower():
                items[-1] = (items[-1][0], nxt.end())
            else:
                break
        for start, end in items:
            if any(reader.is_amount(m) and start <= m.start < end for m in reader.measures):
                continue  # the amount rules read it
            seen: set = set()
            cands = [b for b in reader.bens.within(start, end)
                     if not _bracketed(text, start, b.start) or _for_whom(text, start, b.start)]
            for b in cands:
                if re.search(r"(?i)plusieurs\s+(?:communes?\s+)?$", reader.flat[max(start, b.start - 30):b.start]):
                    continue
                key = b.insee_code or fold(b.name)
                if key in seen:
                    continue
                seen.add(key)
                opened = text.find("(", start, cands[0].start)  # the project stops at its brackets
                project = reader.project(start, opened if opened >= 0 else cands[0].start)
                first = re.compile(r"[\s•\-–]*").match(text, start).end()
                yield _Grant(b, None, first, end, project, line.start())


FOR_WHOM_RE = re.compile(r"(?i)\(\s*(?:pour|au profit d|portée?s? par|bénéficiaires?\s*:)")


def _for_whom(text: str, start: int, pos: int) -> bool:
    """`… (pour la commune de Lèves et le Sivom …)`: brackets that say whom the item is for."""
    opened = text.rfind("(", start, pos)
    return opened >= 0 and FOR_WHOM_RE.match(text, opened) is not None


def _bracketed(text: str, start: int, pos: int) -> bool:
    """`pos` stands inside brackets opened after `start`."""
    part = text[start:pos]
    return part.count("(") > part.count(")")


def _programme(reader: _Reader, grant: _Grant) -> Optional[ProgrammeMention | str]:
    """The programme named in the grant's sentence, else in its paragraph before it,
    else in its section headings, else in the document's first heading, else the one
    the document names most."""
    flat, mentions = reader.flat, reader.programmes
    vocab = reader.doc.resources.compiled(programme_vocabulary)
    s0, s1 = reader.sentence(grant.near)
    found = programme_in(mentions, s0, s1, grant.near, vocab)
    if found:
        return found
    p0 = flat.rfind("\n\n", 0, grant.near) + 1
    found = programme_in(mentions, p0, grant.near, grant.near, vocab)
    if found:
        return found
    sections = reader.doc.extraction.sections
    sec = section_at(sections, grant.near)
    headings = list(reversed(sec.path)) if sec else []
    for heading in headings + ([sections[0].heading] if sections else []):
        named = specific(programme_mentions(heading, vocab), vocab)
        if named:
            return named[0].programme
    return dominant_programme(mentions)


def _programme_year(reader: _Reader, name: Optional[str]) -> Optional[int]:
    """The year the document's sentences naming the programme give most often (the
    latest on a tie)."""
    counts: dict[int, int] = {}
    seen: set[tuple[int, int]] = set()
    for mention in reader.programmes:
        if mention.programme != name:
            continue
        span = reader.sentence(mention.start)
        if span in seen:
            continue
        seen.add(span)
        for m in YEAR_RE.finditer(reader.flat, *span):
            counts[int(m.group(0))] = counts.get(int(m.group(0)), 0) + 1
    return max(counts, key=lambda y: (counts[y], y)) if counts else None


def _year(reader: _Reader, grant: _Grant, programme) -> Optional[int]:
    """Stated in the grant's sentence (or its holder's), else with its programme; else
    the document's year when the programme is voted each year; else None."""
    s0, s1 = reader.sentence(grant.near)
    name = programme.programme if isinstance(programme, ProgrammeMention) else programme
    year = year_in(reader.flat, min(s0, grant.start), max(s1, grant.end)) or grant.year_hint \
        or _programme_year(reader, name)
    if year is not None:
        return year
    annual = reader.doc.resources.compiled(programme_vocabulary).annual
    doc_year = reader.doc.year or reader.doc.extras.get("year")
    return int(doc_year) if name in annual and doc_year else None


def extract_allocations(doc) -> list[Allocation]:
    """Every grant the document ties to a beneficiary; a beneficiary the places stage
    missed is added to the places."""
    reader = _Reader(doc)
    grants = list(_amount_grants(reader)) + list(_table_grants(reader)) + list(_listed_projects(reader))
    grants.sort(key=lambda g: (g.start, g.end))
    places = doc.extraction.places
    out: list[tuple[Allocation, Optional[object]]] = []
    seen: dict[tuple, list[Optional[str]]] = {}  # a grant told twice (a heading, then its paragraph) is one
    for g in grants:
        b = g.beneficiary
        measure = reader.measures[g.measure_index] if g.measure_index is not None else None
        amount = measure.value if measure is not None else None
        programme = _programme(reader, g)
        name = programme.programme if isinstance(programme, ProgrammeMention) else programme
        told = seen.setdefault((b.insee_code or fold(b.name), amount, name), [])
        if any(p is None or g.project is None or fold(p) == fold(g.project) for p in told):
            continue
        told.append(g.project)
        ev = doc.text.evidence(g.start, g.end)
        place = places[b.place_index] if b.place_index is not None else b.place
        out.append((Allocation(beneficiary=" ".join(b.name.split()), insee_code=b.insee_code, programme=name,
                               project=g.project, amount_eur=amount, year=_year(reader, g, programme),
                               measure_index=g.measure_index, **ev.model_dump()), place))
    unique_added: list = []
    for p in (p for _, p in out if p is not None and all(p is not q for q in places)):
        if all(p is not q for q in unique_added):
            unique_added.append(p)
    places.extend(unique_added)  # after the places stage's own, in text order
    index = {id(p): i for i, p in enumerate(places)}
    for alloc, place in out:
        alloc.place_index = index.get(id(place)) if place is not None else None
    return [a for a, _ in out]


@stage("allocations", requires=["measures", "places", "organizations", "sections", "tables", "bullets"],
       assigns=["allocations"])
def allocations_stage(doc) -> None:
    """Grants tied to their beneficiaries: amount, programme, project, year."""
    doc.extraction.allocations = extract_allocations(doc)
