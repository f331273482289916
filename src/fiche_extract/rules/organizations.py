"""Organisations: `Full name (ACRONYM)`, known acronyms and names (`patterns/organizations.yaml`),
names opened by a head word (`Fédération …`, `syndicat mixte …`) or introduced by a noun
(`l'association Sport dans la Ville`); one record per organisation, and the span of
every mention (places inside an organisation's name are not places)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional, Sequence

from .. import rx as re

from ..models import NormalisedText, Organization
from ..folding import fold
from ..stages import stage

NAME_WORD = r"(?:\p{Lu}[\p{L}'\-]*|d'|l'|de|du|des|la|le|les|et|pour|sur|en|à|aux|au)"
LOWER_LINK = {"d'", "l'", "de", "du", "des", "la", "le", "les", "et", "pour", "sur", "en", "à", "aux", "au"}
SENTENCE_OPENERS = {"le", "la", "les", "l'", "un", "une", "ce", "cet", "cette", "il", "elle", "ils", "elles", "pour", "dans", "en"}
# `(ANCT)`, and an acronym with a proper name: `(EPF Normandie)`
ACRONYM_IN_PARENS = re.compile(r"\((\p{Lu}[\p{Lu}\p{Ll}\-]{1,11}(?: \p{Lu}\p{Ll}[\p{L}\-]+)?)\)")


@dataclass(frozen=True)
class _Vocab:
    by_form: dict
    by_name: dict
    heads: list
    names: list
    generic: frozenset
    meetings: tuple  # folded openings of a meeting's name (`assemblee generale`): no organisation
    introducers: list
    # compiled once: (regex, acronym, name) for known names (longest first) and forms,
    # the head words, the named networks, the introducers
    name_res: list
    form_res: list
    head_re: "re.Pattern"
    head_before_re: "re.Pattern"
    names_res: list
    introducer_re: Optional["re.Pattern"]
    gazetteer: object
    programmes: frozenset[str]  # folded programme names: never an organisation's name
    not_acronyms: frozenset[str]  # capitals that name no organisation (`DETR`, `PLU`, `TVA`)
    phrase_heads: "re.Pattern"  # lower-case heads read to the end of their noun phrase (`ministère de …`)


def _vocabulary(resources) -> _Vocab:
    p = resources.patterns["organizations"]
    by_form, by_name = {}, {}
    for org in p["known"]:
        name = org["names"][0] if org.get("names") else None
        for form in org.get("forms", []):
            by_form[form] = (org.get("acronym"), name)
        for n in org.get("names", []):
            by_name[n] = (org.get("acronym"), name)
    heads = sorted(p["heads"], key=len, reverse=True)
    names = sorted(p["names"], key=len, reverse=True)
    introducers = sorted((i.replace("’", "'") for i in p.get("introducers", [])), key=len, reverse=True)
    head_alt = "|".join(re.escape(h) for h in heads)
    return _Vocab(
        by_form=by_form,
        by_name=by_name,
        heads=heads,
        names=names,
        generic=frozenset(fold(g) for g in p.get("generic", [])),
        meetings=tuple(fold(g) for g in p.get("meetings", [])),
        introducers=introducers,
        name_res=[(re.compile(_name_regex(w), re.IGNORECASE), *by_name[w]) for w in sorted(by_name, key=len, reverse=True)],
        form_res=[(re.compile(rf"(?<![\p{{L}}\-]){re.escape(f)}(?![\p{{L}}])"), *by_form[f]) for f in by_form],
        head_re=re.compile(rf"(?<![\p{{L}}])(?:{head_alt})(?![\p{{L}}\-])"),
        head_before_re=re.compile(rf"(?<![\p{{L}}])(?:{head_alt})(?![\p{{L}}])"),
        names_res=[(re.compile(rf"(?<![\p{{L}}]){_article_any_case(n)}(?![\p{{L}}])"), n) for n in names],
        introducer_re=re.compile(rf"(?<![\p{{L}}])(?i:{'|'.join(re.escape(i) for i in introducers)})\s*")
        if introducers else None,
        gazetteer=resources.gazetteer,
        programmes=frozenset(fold(n) for n in _programme_names(resources.patterns)),
        not_acronyms=frozenset(p.get("not_acronyms", []) or []) | frozenset(
            (resources.patterns.get("programmes") or {}).get("acronyms", []) or []),
        phrase_heads=re.compile(rf"(?<![\p{{L}}])(?:{'|'.join(re.escape(h) for h in p.get('phrase_heads', []) or [])})"
                                r"(?= (?:de |du |des |d'|chargée? |délégué))"),
    )


def _programme_names(patterns) -> list[str]:
    from ..resources.nlp import programme_names

    return programme_names(patterns)


def _article_any_case(name: str) -> str:
    """`La Poste` is also `la Poste`."""
    m = re.match(r"(La|Le|Les|L')(\s?)(.*)", name)
    if not m:
        return re.escape(name)
    return f"(?i:{re.escape(m.group(1))}){re.escape(m.group(2))}{re.escape(m.group(3))}"


class _Merger:
    """One record per organisation: merged by acronym, else by folded name."""

    def __init__(self, nt: NormalisedText):
        self.nt = nt
        self.records: list[Organization] = []
        self.spans: list[tuple[int, int]] = []  # every mention

    def add(self, start: int, end: int, name: Optional[str], acronym: Optional[str]) -> None:
        self.spans.append((start, end))
        for rec in self.records:
            same = (acronym and rec.acronym and fold(acronym) == fold(rec.acronym)) or (
                name and rec.name and fold(name) == fold(rec.name)
            )
            if same:
                rec.name = rec.name or name
                rec.acronym = rec.acronym or acronym
                return
        ev = self.nt.evidence(start, end)
        self.records.append(Organization(name=name, acronym=acronym, **ev.model_dump()))


def _phrase_before(flat: str, end: int, head_re: "re.Pattern", acronym: str) -> tuple[int, str]:
    """The name opened by a head word that ends right before `(ACRONYM)`, in the same
    block: the nearest head whose phrase the acronym's letters fit (`… du Conseil
    départemental et de l'Agence nationale de la cohésion des territoires (ANCT)` is
    the Agence's), else none."""
    window_start = max(0, end - 200, flat.rfind("\n\n", 0, end) + 2)
    text = flat[window_start:end]
    found = [m for m in head_re.finditer(text) if not re.search(r"[.;:()]", text[m.start():])]
    if not found:
        return end, ""
    best = next((m for m in reversed(found) if _initials_fit(text[m.start():], acronym)), None)
    if best is None:
        return end, ""
    return window_start + best.start(), text[best.start():].strip()


def _name_from_head(flat: str, start: int, heads: list[str] = (), max_words: int = 12,
                    mid_sentence: bool = False) -> str:
    """`Commissariat de massif du Massif Central`: the head word, then words while the
    phrase goes on; lower-case words only when a capitalised word follows soon, or,
    for a capitalised head inside a sentence (`… par la Fédération des centres
    sociaux.`), up to the end of the noun phrase. A lower-case adjective right after a
    capitalised word ends the name (`du Massif central`, `réseau Tempo territorial`).
    The name stops at a new sentence (`L'Agence …`) and before `et du <head>` or `et
    <Name>` (another organisation)."""
    tokens = list(re.finditer(r"[\p{L}][\p{L}'\-]*|[^\s\p{L}]", flat[start:start + 200]))
    kept = []
    for i, t in enumerate(tokens):
        w = t.group(0)
        if not w[0].isalpha() or (i > 0 and w.lower() in SENTENCE_OPENERS and w[0].isupper()):
            break
        if i > 0 and re.match(r"[LD]'", w):
            break  # `L'Agence applique…`: a new sentence
        if i > 0 and w == "avec" and kept and kept[-1].group(0).lower() == "relations":
            kept.append(t)  # `… des Relations avec les collectivités territoriales`: a ministry's name
            continue
        if i > 0 and w.lower() in NAME_STOPS:
            break  # `… pour le logement ou encore le Ministère …`, `… représenté par son Président`
        if i > 0 and w == "à" and i + 1 < len(tokens) and tokens[i + 1].group(0)[0].isupper():
            break  # `Centre aquatique Aquasud à Aubusson`: where it stands is no part of its name
        if i > 0 and w == "et" and mid_sentence and i + 1 < len(tokens) and tokens[i + 1].group(0) in ("de", "du", "des"):
            if _head_follows(flat, start + t.end(), heads, any_case=True):
                break  # `ministère de la Justice et du ministère de l'Intérieur`: two
            kept.append(t)  # `ministère de la Transition écologique et de la Cohésion des territoires`
            continue
        if i > 0 and w == "et" and (_head_follows(flat, start + t.end(), heads)
                                    or (i + 1 < len(tokens) and tokens[i + 1].group(0)[0].isupper())):
            break  # `… et du Parc national …`, `… et Emmaüs Connect`: another organisation
        if i == 0 or w[0].isupper():
            kept.append(t)
        elif w in LOWER_LINK or w.lower() in LOWER_LINK:
            kept.append(t)
        elif kept and kept[-1].group(0)[0].isupper() and i > 1 and ADJECTIVE_RE.search(w):
            kept.append(t)  # `Massif central`: the name ends on its adjective
            goes_on = [x.group(0) for x in tokens[i + 1:i + 3]]
            if not (mid_sentence and len(goes_on) == 2 and goes_on[0] == "et" and goes_on[1] in ("de", "du", "des")):
                break
        else:
            ahead = []
            for x in tokens[i + 1:i + 4]:
                if not x.group(0)[0].isalpha():
                    break  # `à hauteur de 36 M€`: no name beyond a figure
                ahead.append(x.group(0))
            if any(a[0].isupper() for a in ahead):
                kept.append(t)
            elif mid_sentence and w.lower() not in CLAUSE_WORDS:
                kept.append(t)
            else:
                break
        if len(kept) >= max_words or "\n\n" in flat[start + t.end():start + t.end() + 2]:
            break
    while kept and kept[-1].group(0) in LOWER_LINK:
        kept.pop()
    return flat[start:start + kept[-1].end()] if kept else ""


# words that never go on a name: another item, a participle of representation
NAME_STOPS = {"ou", "représenté", "représentée", "représentés", "représentées", "ainsi", "notamment", "via",
              "dont", "soit", "avec", "aussi", "également", "désormais", "déjà", "encore", "toujours", "alors",
              "puis", "ensuite", "enfin"}
# lower-case adjectives that may close a name (`central`, `territorial`, `régionale`)
ADJECTIVE_RE = re.compile(r"(?:al|ale|aux|ales|ien|ienne|ique|el|elle|if|ive|aire|ain|aine|ais|aise)$")
# words that open a new clause: a name read to the end of its noun phrase stops there
CLAUSE_WORDS = {
    "a", "ont", "est", "sont", "était", "sera", "seront", "qui", "que", "dont", "dans", "pour", "par", "avec",
    "sur", "en", "au", "aux", "afin", "vers", "selon", "lors", "depuis", "et", "ou", "mais", "pendant", "chez",
    "accompagne", "accompagnent", "couvre", "porte", "soutient", "finance", "regroupe",
    "va", "vont", "peut", "peuvent", "doit", "doivent", "fait", "font", "souhaite", "prévoit", "entend",
}


def _head_follows(flat: str, pos: int, heads: list[str], any_case: bool = False) -> bool:
    """`… des Alpes et du Parc national…`: after `et`, a link word and a head word
    (`ministère` too, and heads in lower case, with `any_case`)."""
    m = re.match(r"\s+(?:du |de la |de l'|des |d'|l'|la |le |les )?", flat[pos:])
    rest = flat[pos + (m.end() if m else 0):]
    if any_case:
        low = rest[:40].lower()
        return any(low.startswith(h.lower()) and not low[len(h):len(h) + 1].isalpha()
                   for h in list(heads) + ["ministère", "secrétariat d'état"])
    return any(rest.startswith(h) and not rest[len(h):len(h) + 1].isalpha() for h in heads if h[:1].isupper())


def _name_regex(name: str) -> str:
    words = re.findall(r"[\p{L}\d]+", name)
    return r"(?<![\p{L}])" + r"[\s'’\-,]+".join(re.escape(w) for w in words) + r"(?![\p{L}])"


@dataclass
class OrganizationsFound:
    records: list[Organization]
    spans: list[tuple[int, int]]  # every mention, in the normalised text


def extract_organizations(nt: NormalisedText, resources=None, *, avoid: Sequence[tuple[int, int]] = ()) -> list[Organization]:
    """One record per organisation of the document (see `find_organizations`)."""
    return find_organizations(nt, resources, avoid=avoid).records


def find_organizations(nt: NormalisedText, resources=None, *, avoid: Sequence[tuple[int, int]] = (),
                       flat: Optional[str] = None, department_code: Optional[str] = None) -> OrganizationsFound:
    """Organisations and the spans of all their mentions. Names found from a head word
    or an introducer skip the `avoid` spans (places already read from lists and
    intercommunality names: `CC Côte Ouest Centre Manche` holds no `Centre …`). A
    council or a préfecture named without its territory takes the document's
    `department_code` (`le conseil départemental` is `Conseil départemental du Cantal`)."""
    from ..document import flatten
    from ..resources import default_resources

    v = (resources or default_resources()).compiled(_vocabulary)
    flat = flat if flat is not None else flatten(nt.text)
    merger = _Merger(nt)
    spans: list[tuple[int, int]] = []

    def free(s: int, e: int, weak: bool = False) -> bool:
        taken = spans + list(avoid) if weak else spans
        return not any(s < b and a < e for a, b in taken)

    # councils and the State's offices, with their territory
    for start, end, name in _territorial_bodies(flat, v.gazetteer, department_code):
        if free(start, end):
            merger.add(start, end, name, None)
            spans.append((start, end))
    # `Agence nationale de la cohésion des territoires (ANCT)`
    for m in ACRONYM_IN_PARENS.finditer(flat):
        acronym = m.group(1)
        start, phrase = _phrase_before(flat, m.start(), v.head_before_re, acronym.split(" ")[0])
        if not phrase or len(phrase.split()) < 2 or not free(start, m.end(), weak=True):
            continue  # no name, or one that runs into a place read from layout (`CC … Centre Manche, … (CAPI)`)
        known = v.by_form.get(acronym.split(" ")[0])
        if known and known[1] and not fold(phrase).startswith(fold(known[1])):
            continue  # a known acronym keeps its own name: `…, la caisse d'allocations familiales (CAF)`
        merger.add(start, m.end(), " ".join(phrase.split()), acronym)
        spans.append((start, m.end()))
    # known names (longest first), then acronyms
    for rx, acronym, name in v.name_res + v.form_res:
        for m in rx.finditer(flat):
            gloss = GLOSS_BEFORE_RE.search(flat, max(0, m.start() - 14), m.start())
            if gloss and gloss.group(1) in v.by_form and flat[m.end():m.end() + 2].lstrip().startswith(")"):
                continue  # `CARSAT (Assurance retraite)`: the acronym's gloss, no second organisation
            if free(*m.span()):
                merger.add(m.start(), m.end(), name, acronym)
                spans.append(m.span())
    # names opened by a head word, named networks, names after an introducer
    for m in v.head_re.finditer(flat):
        nxt = re.match(r"\s+([\p{L}']+)", flat[m.end():])
        mid_sentence = (
            m.group(0)[0].isupper() and nxt is not None
            and (nxt.group(1) in ("de", "des", "du", "d'") or nxt.group(1).startswith("d'") or ADJECTIVE_RE.search(nxt.group(1)))
            and bool(re.search(r"\b(?:la|le|les|l'|du|de|des|par|à|au|aux)\s*$", flat[max(0, m.start() - 12):m.start()]))
        )  # `… par la Fédération des centres sociaux`, `… la Union régionale des …`
        name = _name_from_head(flat, m.start(), v.heads, mid_sentence=mid_sentence)
        if len(name.split()) < 2 or fold(name) in v.generic or fold(name).startswith(v.meetings) \
                or not free(m.start(), m.start() + len(name), weak=True):
            continue
        if not mid_sentence and not any(w[0].isupper() for w in name.split()[1:]):
            continue  # `Agence` followed only by common words: not a name
        merger.add(m.start(), m.start() + len(name), " ".join(name.split()), None)
        spans.append((m.start(), m.start() + len(name)))
    for rx, n in v.names_res:
        for m in rx.finditer(flat):
            if free(*m.span()):
                merger.add(m.start(), m.end(), n, None)
                spans.append(m.span())
    for start, end, name, acronym in _introduced_names(flat, v.introducer_re):
        if fold(name) not in v.generic and free(start, end, weak=True):
            merger.add(start, end, name, acronym)
            spans.append((start, end))
    # `le ministère de la Transition écologique et de la Cohésion des territoires`
    for m in v.phrase_heads.finditer(flat):
        name = _name_from_head(flat, m.start(), v.heads, mid_sentence=True, max_words=16)
        if len(name.split()) >= 3 and free(m.start(), m.start() + len(name), weak=True):
            merger.add(m.start(), m.start() + len(name), " ".join(name.split()), None)
            spans.append((m.start(), m.start() + len(name)))
    # acronyms standing alone (`le CAUE`, `l'UDAP`), the ones the patterns do not know
    for m in BARE_ACRONYM_RE.finditer(flat):
        acronym = m.group(0)
        letters = re.sub(r"[^\p{L}]", "", acronym)
        if len(letters) < 3 or acronym in v.not_acronyms or letters in v.not_acronyms or acronym in v.by_form:
            continue
        if re.search(r"[ÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸ]", acronym):
            continue  # `ARRÊTÉ`, `FÉVRIER`: a word in capitals (acronyms carry no accents)
        if not free(*m.span(), weak=True) or EPCI_ACRONYM_RE.fullmatch(letters):
            continue  # an intercommunality's acronym (`CCALS`, `CABS`) is a place
        if _among_capitals(flat, m.start(), m.end()) or v.gazetteer.resolve(acronym).status != "unknown":
            continue  # a title or a surname in capitals, a place in capitals
        merger.add(m.start(), m.end(), None, acronym)
        spans.append(m.span())
    merger.records = [r for r in merger.records if not _names_a_programme(r, v, flat)]
    merger.records.sort(key=lambda r: r.start)
    spans_with_territory = [(a, _territorial_complement_end(flat, b, v.gazetteer)) for a, b in merger.spans]
    return OrganizationsFound(merger.records, sorted(spans_with_territory))


GLOSS_BEFORE_RE = re.compile(r"(?<![\p{L}])(\p{Lu}[\p{Lu}\p{Ll}]{1,9}) \($")
# an acronym: 2 to 8 capitals, maybe lower-case letters inside (`DGFiP`), maybe a
# département number (`ADAC 22`)
BARE_ACRONYM_RE = re.compile(r"(?<![\p{L}\d\-'’])\p{Lu}(?:\p{Lu}|\p{Ll}(?=\p{Ll}?\p{Lu})){1,7}(?:\s(?:\d{2}|2[AB])(?!\d))?(?![\p{L}\-'’])")


EPCI_ACRONYM_RE = re.compile(r"C[ACU](?!S$|I$|F$|UE$)[A-Z][A-Za-z]+|CCSud|CC[A-Z][a-z]+")
NAME_BEFORE_RE = re.compile(r"(?:\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?|M\.|Mme|Monsieur|Madame)\s+$")


def _among_capitals(flat: str, start: int, end: int) -> bool:
    """The word stands beside another word in capitals (a title, a letterhead, an
    address: `PETITES VILLES`, `GRANZAY GRIPT`) or after a first name (a surname:
    `Jacqueline GOURAULT`)."""
    before = re.search(r"(\S+)\s+$", flat[max(0, start - 40):start])
    after = re.match(r"\s+(\S+)", flat[end:end + 40])
    for m in (before, after):
        word = re.sub(r"[^\p{L}]", "", m.group(1)) if m else ""
        if len(word) >= 2 and word.isupper():
            return True
    return NAME_BEFORE_RE.search(flat, max(0, start - 40), start) is not None


def _names_a_programme(rec: Organization, v: _Vocab, flat: str) -> bool:
    """`le réseau France Services`: a programme is no organisation, head word or not."""
    if not rec.name:
        return False
    following = re.findall(r"[\p{L}\d']+", fold(flat[rec.start:rec.start + len(rec.name) + 40]))
    return any(" ".join(following[k:k + n]) in v.programmes for k in range(3) for n in range(1, 7))


TERRITORIAL_BODY_RE = re.compile(
    r"(?<![\p{L}])(?P<head>(?i:conseil (?:départemental|régional|général)|sous-préfecture|préfecture))(?!s)"
    r"(?P<rest>(?: (?:de la |du |des |de l'|de l’|d'|d’|de )(?:(?i:région|département) )?"
    r"\p{Lu}[\p{L}'’\-]*(?:[ \-](?:de la |de l'|du |des |de |d'|et |sur |\p{Lu}[\p{L}'’\-]*))*)?)"
)


def _territorial_bodies(flat: str, gaz, department_code: Optional[str]) -> Iterable[tuple[int, int, str]]:
    """`le conseil départemental du Cantal`, `la préfecture de la région Île-de-France`,
    `la sous-préfecture de Mauriac`; without a territory, the council and the préfecture
    are the document's (`Conseil départemental du Cantal`)."""
    dep = gaz.department(department_code) if department_code else None
    for m in TERRITORIAL_BODY_RE.finditer(flat):
        head = m.group("head")
        key = fold(head)
        label = head[0].upper() + head[1:].lower()
        rest = m.group("rest")
        entry, end = None, m.end("head")
        if rest:
            words = rest.split()
            kinds = ["commune"] if key.startswith("sous") else ["departement", "region"]
            for n in range(len(words), 1, -1):
                candidate = " ".join(words[:n])
                bare = re.sub(r"^(?:de la|du|des|de l['’]|d['’]|de)\s?(?:(?i:région|département)\s)?", "", candidate)
                res = gaz.resolve(bare, kinds=kinds, department_code=department_code)
                if res.entry is not None:
                    entry, end = res.entry, m.start("rest") + len(" " + candidate)
                    break
        if entry is not None:
            yield m.start(), end, " ".join(f"{label} {flat[m.start('rest'):end].strip()}".split())
        elif (re.match(r" (?:d'|d’|de |du |des )\p{Ll}", flat[m.end("head"):m.end("head") + 6])
              and not re.match(r" (?:du département|de la région|de département|de région)(?![\p{L}])",
                               flat[m.end("head"):m.end("head") + 20])):
            continue  # `conseil départemental d'accès au droit`: another body (`préfecture du département` is the one)
        elif dep is not None and not key.startswith("sous"):
            if key.startswith("conseil regional"):
                region = gaz.region(dep.region_code or "")
                if region is not None:
                    yield m.start(), end, f"{label} {region.of_name}"
            else:
                yield m.start(), end, f"{label} {dep.of_name}"


COMPLEMENT_RE = re.compile(
    r"(?: *\([^()\n]{1,20}\))? +(?:de la |du |de l'|des |de |d')?(\p{Lu}[\p{L}'\-]*(?: (?:de|du|des|la|le|et|\p{Lu}[\p{L}'\-]*))*)"
)


def _territorial_complement_end(flat: str, end: int, gaz) -> int:
    """Where a mention ends once its territory is included: `la CAF de la Haute-Garonne`,
    `la caisse d'allocations familiales (CAF) de la Haute-Garonne`, `l'ARS Occitanie`."""
    m = COMPLEMENT_RE.match(flat, end)
    if not m:
        return end
    words = m.group(1).split(" ")
    for n in range(len(words), 0, -1):
        name = " ".join(words[:n])
        if gaz.resolve(name, kinds=["departement", "region"]).entry is not None:
            return m.start(1) + len(name)
    return end


NAME_AFTER_RE = re.compile(
    r"\p{Lu}[\p{L}'\-]*(?:(?: (?:de|du|des|d'|l'|la|le|les|et|dans|pour|en|sur|à|au|aux))* \p{Lu}[\p{L}'\-]*)*"
)


def _introduced_names(flat: str, introducer_re: Optional["re.Pattern"]) -> Iterable[tuple[int, int, str, Optional[str]]]:
    """`l'association Sport dans la Ville`, `centre de ressources politique de la ville,
    Pays et Quartiers de Nouvelle-Aquitaine (PQN-A),`: the capitalised name right after
    an introducer, with the acronym that follows it."""
    if introducer_re is None:
        return
    for m in introducer_re.finditer(flat):
        name = NAME_AFTER_RE.match(flat, m.end())
        if name and not flat[m.end():m.end() + 3].startswith(("L'", "D'")):
            acronym = ACRONYM_IN_PARENS.match(flat, name.end() + 1) if flat[name.end():name.end() + 2] == " (" else None
            end = acronym.end() if acronym else name.end()
            yield name.start(), end, name.group(0), acronym.group(1) if acronym else None


def _trim(name: str) -> str:
    words = name.split(" ")
    while words and words[-1] in LOWER_LINK:
        words.pop()
    return " ".join(words)


def _initials_fit(phrase: str, acronym: str) -> bool:
    """The acronym's letters appear, in order, among the phrase's word initials."""
    initials = "".join(w[0] for w in re.findall(r"[\p{L}]+", fold(phrase)))
    letters = fold(acronym).replace(" ", "")
    i = 0
    for ch in initials:
        if i < len(letters) and ch == letters[i]:
            i += 1
    return i >= min(len(letters), 3) or letters[:2] == initials[:2]


@stage("organizations", requires=["text", "places"], assigns=["organizations", "places in names"])
def organizations_stage(doc) -> None:
    """Organisations; a place inside an organisation's name is not a place
    (`syndicat mixte Lot Numérique`, `Conseil départemental de la Haute-Garonne`).
    Places read from layout (lists, tables, the dateline) and intercommunality names
    are never taken into an organisation's name."""
    ex = doc.extraction
    avoid = [(p.start, p.end) for p in ex.places if p.source in ("list", "table", "dateline") or p.kind == "epci"]
    found = find_organizations(doc.text, doc.resources, avoid=avoid, flat=doc.flat, department_code=doc.department_code)
    ex.organizations = found.records
    inside = [p for p in ex.places if p.source in ("rule", "ner") and p.kind != "epci" and _within(p, found.spans)]
    dropped = {(p.start, p.end) for p in inside}
    ex.places = [p for p in ex.places if (p.start, p.end) not in dropped]
    ex.findings = [f for f in ex.findings
                   if not (f.check.startswith("place_") and (f.start, f.end) in dropped)]


def _within(place, spans: list[tuple[int, int]]) -> bool:
    """The place's span lies inside a longer span."""
    return any(a <= place.start and place.end <= b and b - a > place.end - place.start for a, b in spans)
