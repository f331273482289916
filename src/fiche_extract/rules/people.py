"""People with their roles, in lists and in running prose: `Prénom NOM, rôle`, `le
préfet du Cantal Prénom Nom`, `le rôle, Prénom Nom`, `indique Prénom Nom, la
sous-préfète de Y`, `M. Prénom Nom`, a name line over its role line (fiche
signatures), and the NER's persons in the sentences that hold a name-shaped pair of
words. One record per person; its first role, the organisation the role names, and
the later mentions by role alone (`la préfète du Cantal`) linked to it.

Words come from `patterns/roles.yaml` (roles, titles, reporting verbs, cues): never a
list of people's names."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Optional

from .. import rx as re
from ..folding import fold
from ..models import NormalisedText, Person
from ..stages import stage

FIRST = r"\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?"
PARTICLE = r"(?:de|du|des|d'|le|la|van|von|di|da|Le|La|Du|De|Des|Van|Von|Ben|ben)"
LAST_CAPS = rf"(?:(?:{PARTICLE}|LE|LA|DE|DU|D')\s?)?\p{{Lu}}[\p{{Lu}}'’\-]+(?:\s\p{{Lu}}[\p{{Lu}}'’\-]+)?"
LAST_MIXED = rf"(?:{PARTICLE}\s)?\p{{Lu}}\p{{Ll}}+(?:[-'’]\p{{Lu}}\p{{Ll}}+)*"
# a first name, then one to three surname words (mixed case or capitals)
NAME = rf"{FIRST}(?:\s\p{{Lu}}\.)?(?:\s(?:{LAST_CAPS}|{LAST_MIXED})){{1,3}}"
NAME_LINE_RE = re.compile(rf"{FIRST}(?:\s+{LAST_MIXED}|\s+{LAST_CAPS}){{1,2}}")
NAME_RE = re.compile(rf"(?<![\p{{L}}])(?P<name>{NAME})(?![\p{{L}}])")
# a pair of words shaped like a name: the sentences the NER reads
NAME_SHAPE_RE = re.compile(rf"(?<![\p{{L}}])\p{{Lu}}\p{{Ll}}{{2,}}(?:-\p{{Lu}}\p{{Ll}}+)? (?:{PARTICLE} )?\p{{Lu}}[\p{{L}}'’\-]+")
ARTICLE = r"(?:(?:le|la|l'|les|Le|La|L')\s?)"
FUNCTION_END_RE = re.compile(r"\b(?:de|du|des|et|la|le|les|à|aux|au|d'|l'|en|pour|sur)\s*$")
# a street, a building or a firm named after a person is no person (`place Pierre Dupuy`)
NAMED_AFTER_RE = re.compile(r"(?i:\b(?:place|rue|avenue|boulevard|allée|quai|impasse|square|cours|chemin|route|"
                            r"collège|lycée|école|groupe scolaire|salle|stade|gymnase|médiathèque|centre|espace|"
                            r"maison|résidence|bureaux? d'études?|cabinet|société|entreprise|prix|fondation)s?\s+)$")
MAX_ROLE_WORDS = 18
# where a role ends: punctuation, a verb, another person (`… en présence de`, `et M.`)
ROLE_STOP_RE = re.compile(r"[,;.()«»:\n]|\s(?:et|ont|a|qui|était|sera|s'est|en présence d[e']|avec|aux côtés d[e']"
                          r"|ainsi que|accompagnée?s? d[e']|représentée?s? par)\s*(?=\p{Lu}|\p{Ll}|M\.)")


@dataclass(frozen=True)
class _Vocabulary:
    roles: tuple[str, ...]  # folded role words, longest first
    titled: "re.Pattern"  # a title right before a name: `M. `, `Mme `
    role_comma_name: "re.Pattern"  # `le Directeur départemental des territoires, Prénom Nom`
    role_name: "re.Pattern"  # `le préfet des Vosges Prénom Nom`
    reported: "re.Pattern"  # `explique Prénom Nom`, `se réjouit le maire, Prénom Nom`
    titled_name: "re.Pattern"  # `M. Prénom Nom`, `Madame Prénom NOM`
    role_start: "re.Pattern"  # a folded text that opens with a role word
    role_mention: "re.Pattern"  # `la préfète du Cantal`: a person named by role alone
    name_re: "re.Pattern"  # a name, never opened by a title (`Mme Anne Durand` is `Anne Durand`)
    not_names: frozenset[str]  # folded words that never open a person's name
    cues: "re.Pattern"  # words of a sentence about people: roles, titles, verbs


def _vocabulary(resources) -> _Vocabulary:
    p = resources.patterns["roles"]
    roles = tuple(sorted({fold(r) for r in p["roles"]}, key=len, reverse=True))
    role_alt = "|".join(re.escape(r).replace(r"\ ", r"[\s\-]") for r in sorted(p["roles"], key=len, reverse=True))
    title_alt = "|".join(re.escape(t.rstrip(".")) for t in p["titles"])
    verbs = "|".join(re.escape(v) for v in sorted(p.get("reporting_verbs", []), key=len, reverse=True))
    name = rf"(?P<name>{NAME})(?![\p{{L}}])"
    # a role's complement before a name: `des Vosges`, `de la Lozère`, `du Calvados`
    complement = r"(?:\s(?:de la |de l'|du |des |de |d'|d’)\p{Lu}[\p{L}'’\-]+(?:[\s\-]\p{Lu}[\p{L}'’\-]+){0,3})?"
    not_names = frozenset(fold(w) for w in p.get("not_names", [])) | {fold(t.rstrip(".")) for t in p["titles"]}
    return _Vocabulary(
        roles=roles,
        titled=re.compile(rf"(?:{title_alt})\.? $"),
        # a role starts a word: the look-behind also lets most positions fail at once
        role_comma_name=re.compile(
            rf"(?<![\p{{L}}])(?P<role>(?i:{role_alt})(?: [\p{{L}}'’\-]+){{0,8}}), (?:(?:{title_alt})\.? )?{name}"),
        role_name=re.compile(rf"(?<![\p{{L}}])(?P<role>(?i:{role_alt}){complement}) (?:(?:{title_alt})\.? )?{name}"),
        reported=re.compile(rf"(?<![\p{{L}}])(?i:{verbs})(?:-t-(?:il|elle))? (?:{ARTICLE}(?i:{role_alt})[^,.;:«»]{{0,60}}?,? )?{name}")
        if verbs else re.compile(r"(?!x)x"),
        titled_name=re.compile(rf"(?<![\p{{L}}])(?:{title_alt})\.? {name}"),
        role_start=re.compile(rf"(?:{'|'.join(re.escape(r) for r in roles)})(?: |$|[,;.)])"),
        role_mention=re.compile(rf"(?<![\p{{L}}])(?i:le|la|du|de la|au|à la) (?P<role>(?i:{role_alt}){complement})(?![\p{{L}}])"),
        not_names=not_names,
        name_re=re.compile(rf"(?<![\p{{L}}\-])(?!(?:{title_alt})\b)(?P<name>{NAME})(?![\p{{L}}])"),
        cues=re.compile(rf"(?<![\p{{L}}])(?i:{role_alt}|{title_alt}|{verbs}|en présence|aux côtés|représenté)(?![\p{{L}}])"),
    )


def role_opener(resources) -> Callable[[str], bool]:
    """A test: the text opens with a role word (`Présidente de …`, `préfet du Lot`)."""
    v = resources.compiled(_vocabulary)
    return lambda text: v.role_start.match(fold(text)) is not None


def proper_case(name: str) -> str:
    """`Jean-Marie GIRIER` -> `Jean-Marie Girier`, `LE BRETON` -> `Le Breton`, `D'ARTAGNAN` -> `D'Artagnan`."""

    def word(w: str) -> str:
        if not w.isupper() or len(w) == 1:
            return w
        parts = re.split(r"([\-'’])", w)
        return "".join(p.capitalize() if p not in "-'’" else p for p in parts)

    return " ".join(word(w) for w in name.split())


@dataclass
class _Candidate:
    start: int
    end: int
    name: str
    role: Optional[str]
    rule: str
    role_span: Optional[tuple[int, int]] = None


@dataclass
class _People:
    nt: NormalisedText
    records: list[Person] = field(default_factory=list)
    role_spans: dict[str, tuple[int, int]] = field(default_factory=dict)

    def add(self, c: _Candidate) -> None:
        name = proper_case(" ".join(c.name.split()))
        for rec in self.records:
            if fold(rec.name) == fold(name) or rec.start == c.start:  # the same person, or the same mention read longer
                if not rec.role and c.role:
                    rec.role = c.role
                    if c.role_span:
                        self.role_spans[fold(name)] = c.role_span
                return
        ev = self.nt.evidence(c.start, c.start + len(c.name))
        self.records.append(Person(name=name, role=c.role, **ev.model_dump()))
        if c.role_span:
            self.role_spans[fold(name)] = c.role_span


def _role_after(flat: str, pos: int, v: _Vocabulary, text: Optional[str] = None) -> Optional[tuple[int, int]]:
    """The span of the role right after a name: `, préfet du Territoire de Belfort`,
    `, la sous-préfète de Châteaulin chargée du dossier`, ` préfet du Cantal`."""
    m = re.match(rf"\s*(?:,|\s[–—-])?\s*(?:{ARTICLE})?", flat[pos:pos + 8])  # `Nom, préfet`, `NOM – Préfète`
    start = pos + (m.end() if m else 0)
    if not v.role_start.match(fold(flat[start:start + 60])):
        return None
    end = start
    for stop in ROLE_STOP_RE.finditer(flat[start:start + 300]):
        end = start + stop.start()
        # `président de la communauté de communes du Chaourçois et du Val d'Armance`:
        # `et` goes on inside a name, not before a person's name or title
        if stop.group(0).strip() == "et" and not (NAME_RE.match(flat, start + stop.end())
                                                 or v.titled_name.match(flat, start + stop.end())):
            continue
        break
    else:
        end = min(len(flat), start + 300)
    if text is not None:  # a role does not go on into a new sentence on the next line
        for nl in re.finditer(r"\n(?=\p{Lu})", text[start:end]):
            if not FUNCTION_END_RE.search(text[start:start + nl.start()]):
                end = start + nl.start()
                break
    while end > start and flat[end - 1].isspace():
        end -= 1
    words = flat[start:end].split()
    if not words or len(words) > MAX_ROLE_WORDS:
        return None
    return start, end


def _candidates(flat: str, v: _Vocabulary, text: Optional[str] = None) -> Iterable[_Candidate]:
    """Names found by their structure: with a role after or before, a title, a
    reporting verb."""
    for m in v.name_re.finditer(flat):
        role = _role_after(flat, m.end(), v, text)
        titled = v.titled.search(flat[max(0, m.start() - 12):m.start()])
        if role:
            yield _Candidate(m.start(), m.end(), m.group("name"), _clean_role(flat[role[0]:role[1]]), "name-role", role)
        elif titled:
            yield _Candidate(m.start(), m.end(), m.group("name"), None, "title")
    for rx, rule in ((v.role_comma_name, "role-comma-name"), (v.role_name, "role-name")):
        for m in rx.finditer(flat):
            yield _Candidate(m.start("name"), m.end("name"), m.group("name"), _clean_role(m.group("role")), rule,
                             (m.start("role"), m.end("role")))
    for rx, rule in ((v.reported, "reported"), (v.titled_name, "title")):
        for m in rx.finditer(flat):
            yield _Candidate(m.start("name"), m.end("name"), m.group("name"), None, rule)


def _ner_candidates(flat: str, v: _Vocabulary, ner) -> Iterable[_Candidate]:
    """Persons the NER finds in the sentences that hold a name-shaped pair of words."""
    if ner is None:
        return
    sentences = []
    for m in NAME_SHAPE_RE.finditer(flat):
        s = _sentence(flat, m.start())
        if not sentences or sentences[-1] != s:
            sentences.append(s)
    sentences = list(dict.fromkeys(sentences))
    if not sentences:
        return
    for (a, b), ents in zip(sentences, ner([flat[a:b] for a, b in sentences])):
        for es, ee, label, text in ents:
            whole_words = not flat[a + ee:a + ee + 1].isalpha() and not flat[a + es - 1:a + es].isalpha()
            named_after = NAMED_AFTER_RE.search(flat, max(0, a + es - 30), a + es)
            if label == "PER" and whole_words and not named_after and NAME_RE.fullmatch(text):
                yield _Candidate(a + es, a + ee, text, None, "ner")


def _sentence(flat: str, pos: int) -> tuple[int, int]:
    start = max(flat.rfind(". ", 0, pos) + 2, flat.rfind("\n\n", 0, pos) + 2, flat.rfind("\n", 0, pos) + 1, pos - 400, 0)
    ends = [i for i in (flat.find(". ", pos), flat.find("\n", pos)) if i >= 0]
    return start, min(ends + [len(flat), pos + 400])


def _name_lines(nt: NormalisedText, v: _Vocabulary) -> Iterable[_Candidate]:
    """A name line followed by its role line (the role goes on over lines that start in
    lower case or follow a line ending on a function word): a fiche's signatures."""
    lines = list(re.finditer(r"(?m)^(.+)$", nt.text))
    for i, line in enumerate(lines[:-1]):
        text = line.group(1).strip()
        if not NAME_LINE_RE.fullmatch(text):
            continue
        nxt = lines[i + 1]
        if not v.role_start.match(fold(nxt.group(1))):
            continue
        role = nxt.group(1).strip()
        j = i + 2
        while j < len(lines) and len(role) < 200 and (
            lines[j].group(1)[:1].islower() or re.search(r"\b(?:de|du|des|et|la|le|les|à|aux|d'|l')$", role)
        ):
            role += " " + lines[j].group(1).strip()
            j += 1
        start = line.start(1) + (len(line.group(1)) - len(line.group(1).lstrip()))
        yield _Candidate(start, start + len(text), text, " ".join(role.split()), "name-line",
                         (nxt.start(1), nxt.start(1) + len(nxt.group(1))))


def extract_people(nt: NormalisedText, resources=None, *, is_place: Optional[Callable[[str], bool]] = None,
                   flat: Optional[str] = None, ner=None, skip: Optional[Callable[[int, int], bool]] = None,
                   ) -> list[Person]:
    """People named in the document: `is_place` rejects names that are places, `ner`
    (texts to entities) adds the persons of the NER, `skip(start, end)` leaves out
    spans (bylines and credits)."""
    from ..document import flatten
    from ..resources import default_resources

    v = (resources or default_resources()).compiled(_vocabulary)
    flat = flat if flat is not None else flatten(nt.text)
    found = list(_name_lines(nt, v)) + list(_candidates(flat, v, nt.text)) + list(_ner_candidates(flat, v, ner))
    claimed = [c.role_span for c in found if c.rule == "name-role" and c.role_span]
    for c in found:  # `Name1, rôle1, Name2, rôle2`: rôle1 is Name1's, not Name2's
        if c.rule == "role-comma-name" and c.role_span and any(a < c.role_span[1] and c.role_span[0] < b for a, b in claimed):
            c.role, c.role_span = None, None
    found.sort(key=lambda c: (c.start, c.role is None, c.rule == "ner"))
    people = _People(nt)
    for c in found:
        if skip is not None and skip(c.start, c.end):
            continue
        if is_place and "\n" in nt.text[c.start:c.end] and is_place(proper_case(" ".join(c.name.split()))):
            continue  # `Castelnau` / `Montratier-Sainte Alauzie`: a commune over two lines
        _after_line_break(c, nt.text)
        name = proper_case(" ".join(c.name.split()))
        if len(name.split()) < 2 or not _is_person_name(name, v):
            continue
        if is_place and (is_place(name) or (c.rule == "ner" and is_place(name.split()[0]) and c.role is None)):
            continue  # `Lesneven Côte des Légendes`: a territory the model read as a person
        people.add(c)
    _link_role_mentions(people, flat, v)
    return people.records


def _after_line_break(c: _Candidate, text: str) -> None:
    """A name read over a line break whose second line starts with a whole name is that
    name (`… à la Villa Châteaufavier` / `Géraldine CAUCHY – Directrice`): the first
    line's last capitalised words belong to it."""
    cut = text.rfind("\n", c.start, c.end)
    if cut < 0:
        return
    rest = text[cut + 1:c.end]
    if NAME_RE.fullmatch(rest) and not FUNCTION_END_RE.search(text[c.start:cut]):
        c.start, c.name = cut + 1, rest


def _link_role_mentions(people: _People, flat: str, v: _Vocabulary) -> None:
    """A later mention by role alone (`la préfète du Cantal`, `le sous-préfet`) goes
    to the one person whose role it repeats."""
    by_role: dict[str, list[Person]] = {}
    for p in people.records:
        if p.role:
            by_role.setdefault(_role_key(p.role), []).append(p)
    for m in v.role_mention.finditer(flat):
        holders = by_role.get(_role_key(m.group("role"))) or []
        if len(holders) != 1:
            continue
        person, own = holders[0], people.role_spans.get(fold(holders[0].name))
        if m.start() > person.end and not (own and own[0] <= m.start("role") < own[1]):
            person.mentions.append((m.start(), m.end()))


def _role_key(role: str) -> str:
    """`Préfète du Cantal, déléguée …` and `la préfète du Cantal` share `prefete du cantal`."""
    words = fold(role).split()
    if words and words[0] in ("le", "la", "l", "les"):
        words = words[1:]
    return " ".join(words[:4])


PARTICLES = frozenset({"de", "du", "des", "d", "le", "la", "van", "von", "di", "da", "ben"})


def _is_person_name(name: str, v: _Vocabulary) -> bool:
    """No word is a role, an article or a common capitalised noun (`Signature Contrat
    de Relance`), particles of surnames aside."""
    words = [fold(w) for w in name.split()]
    if any(w in v.roles for w in words):
        return False
    return not any(w in v.not_names for w in words if w not in PARTICLES)


def _clean_role(role: Optional[str]) -> Optional[str]:
    if not role:
        return None
    return " ".join(role.strip(" ,–—-").split()) or None


@stage("people", requires=["text", "places", "organizations"], assigns=["people"])
def people_stage(doc) -> None:
    """People with their roles; a name the gazetteer knows as a place is not a person."""
    from .places import ner_for

    gaz = doc.gazetteer
    furniture = doc.extras.get("furniture")
    people = extract_people(doc.text, doc.resources, flat=doc.flat, ner=ner_for(doc),
                            is_place=lambda name: gaz.resolve(name).status != "unknown",
                            skip=furniture.covers if furniture else None)
    _attach_organizations(people, doc)
    doc.extraction.people = people


def _attach_organizations(people: list[Person], doc) -> None:
    """The organisation a role names (`directeur général de l'ANCT`, `président de la
    communauté de communes X`): an organisation or an intercommunality whose mention
    lies in the role's words."""
    text = doc.flat
    orgs = doc.extraction.organizations
    epcis = [p for p in doc.extraction.places if p.kind == "epci"]
    for person in people:
        if not person.role:
            continue
        span = _role_span(text, person)
        if span is None:
            continue
        a, b = span
        for rec in list(orgs) + epcis:
            name = getattr(rec, "acronym", None) or rec.name
            if a <= rec.start < b or fold(rec.name or "") and fold(rec.name or "") in fold(text[a:b]):
                person.organization = getattr(rec, "name", None) or name
                break


def _role_span(text: str, person: Person) -> Optional[tuple[int, int]]:
    at = text.find(person.role or "", max(0, person.start - 300))
    return (at, at + len(person.role)) if at >= 0 else None
