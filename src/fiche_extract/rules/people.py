"""People with their roles: `Prénom NOM, rôle`, `le Préfet Prénom Nom`, `le rôle, Prénom Nom`,
and a name line followed by its role line (fiche signatures). One record per person."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional

from .. import rx as re

from ..models import NormalisedText, Person
from ..folding import fold
from ..stages import stage

FIRST = r"\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?"
PARTICLE = r"(?:de|du|des|d'|le|la|van|von|di|da|Le|La|Du|De|Des)"
LAST_CAPS = rf"(?:(?:{PARTICLE}|LE|LA|DE|DU|D')\s?)?\p{{Lu}}[\p{{Lu}}'\-]+(?:\s\p{{Lu}}[\p{{Lu}}'\-]+)?"
LAST_MIXED = rf"(?:{PARTICLE}\s)?\p{{Lu}}\p{{Ll}}+(?:-\p{{Lu}}\p{{Ll}}+)?"
NAME_LINE_RE = re.compile(rf"{FIRST}(?:\s+{LAST_MIXED}|\s+{LAST_CAPS}){{1,2}}")
NAME_CAPS_RE = re.compile(rf"(?<![\p{{L}}])(?P<name>{FIRST}\s+{LAST_CAPS})(?![\p{{L}}])")


@dataclass(frozen=True)
class _Vocabulary:
    roles: tuple[str, ...]  # folded role words, longest first
    titled: "re.Pattern"  # a title right before a name: `M. `, `Mme `
    role_comma_name: "re.Pattern"  # `le Directeur départemental des territoires, Prénom Nom`
    role_name: "re.Pattern"  # `le Préfet Prénom Nom`
    role_start: "re.Pattern"  # a folded text that opens with a role word
    not_names: frozenset[str]  # folded words that never open a person's name


def _vocabulary(resources) -> _Vocabulary:
    p = resources.patterns["roles"]
    roles = tuple(sorted({fold(r) for r in p["roles"]}, key=len, reverse=True))
    role_alt = "|".join(re.escape(r).replace(r"\ ", r"[\s\-]") for r in p["roles"])
    title_alt = "|".join(re.escape(t.rstrip(".")) for t in p["titles"])
    name = rf"(?P<name>{FIRST} (?:{LAST_CAPS}|{LAST_MIXED}))(?![\p{{L}}])"
    return _Vocabulary(
        roles=roles,
        titled=re.compile(rf"(?:{title_alt})\.? $"),
        # a role starts a word: the look-behind also lets most positions fail at once
        role_comma_name=re.compile(
            rf"(?<![\p{{L}}])(?P<role>(?i:{role_alt})(?: [\p{{L}}'\-]+){{0,8}}), (?:(?:{title_alt})\.? )?{name}"),
        role_name=re.compile(rf"(?<![\p{{L}}])(?P<role>(?i:{role_alt})) (?:(?:{title_alt})\.? )?{name}"),
        role_start=re.compile(rf"(?:{'|'.join(re.escape(r) for r in roles)})(?: |$)"),
        not_names=frozenset(fold(w) for w in p.get("not_names", [])),
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
        parts = re.split(r"([\-'])", w)
        return "".join(p.capitalize() if p not in "-'" else p for p in parts)

    return " ".join(word(w) for w in name.split())


def _role_after(flat: str, pos: int, v: _Vocabulary) -> Optional[str]:
    """`, préfet du Territoire de Belfort, délégué…` after a name: the first apposition."""
    m = re.match(r"\s*,\s*([^,;.()\n]+)", flat[pos:])
    if m and v.role_start.match(fold(m.group(1))):
        return " ".join(m.group(1).split())
    return None


class _People:
    def __init__(self, nt: NormalisedText, is_place: Optional[Callable[[str], bool]]):
        self.nt = nt
        self.is_place = is_place
        self.records: list[Person] = []

    def add(self, start: int, end: int, name: str, role: Optional[str]) -> None:
        name = proper_case(" ".join(name.split()))
        if len(name.split()) < 2:
            return
        if self.is_place and self.is_place(name):
            return
        for rec in self.records:
            if fold(rec.name) == fold(name):
                rec.role = rec.role or role
                return
        ev = self.nt.evidence(start, end)
        self.records.append(Person(name=name, role=role, **ev.model_dump()))


def extract_people(nt: NormalisedText, resources=None, *, is_place: Optional[Callable[[str], bool]] = None,
                   flat: Optional[str] = None) -> list[Person]:
    """People named in the document; `is_place` rejects names that are places."""
    from ..document import flatten
    from ..resources import default_resources

    v = (resources or default_resources()).compiled(_vocabulary)
    flat = flat if flat is not None else flatten(nt.text)
    people = _People(nt, is_place)
    found: list[tuple[int, int, str, Optional[str]]] = []
    titled_re, with_comma, direct = v.titled, v.role_comma_name, v.role_name
    # 1. `Prénom NOM, rôle` (or a title before: `M. Prénom NOM`)
    for m in NAME_CAPS_RE.finditer(flat):
        last = m.group("name").split(None, 1)[1]
        if any(c.islower() for c in last) or len(re.sub(r"[^\p{L}]", "", last)) < 2:
            continue
        role = _role_after(flat, m.end(), v)
        titled = titled_re.search(flat[max(0, m.start() - 12):m.start()])
        if role or titled:
            found.append((m.start(), m.end(), m.group("name"), role))
    # 2. `le Directeur départemental des territoires, Prénom Nom` and `le Préfet Prénom Nom`
    for rx in (with_comma, direct):
        for m in rx.finditer(flat):
            if _is_person_name(m.group("name"), v):
                found.append((m.start("name"), m.end("name"), m.group("name"), " ".join(m.group("role").split())))
    # 3. a name line followed by its role line (the role goes on over lines that
    #    start in lower case or follow a line ending on a function word)
    lines = list(re.finditer(r"(?m)^(.+)$", nt.text))
    for i, line in enumerate(lines[:-1]):
        text = line.group(1).strip()
        if not NAME_LINE_RE.fullmatch(text) or not _is_person_name(text, v):
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
        found.append((line.start(1), line.start(1) + len(text), text, " ".join(role.split())))
    found.sort(key=lambda f: f[0])
    for start, end, name, role in found:
        people.add(start, end, name, _clean_role(role))
    return people.records


def _is_person_name(name: str, v: _Vocabulary) -> bool:
    """A first word that is not a role, an article or a common capitalised noun."""
    words = name.split()
    first = fold(words[0])
    if first in v.not_names or any(fold(w) in v.roles for w in words):
        return False
    return True


def _clean_role(role: Optional[str]) -> Optional[str]:
    if not role:
        return None
    return role.strip(" ,").rstrip(" ,")


@stage("people", requires=["text", "places"], assigns=["people"])
def people_stage(doc) -> None:
    """People with their roles; a name the gazetteer knows as a place is not a person."""
    gaz = doc.gazetteer
    doc.extraction.people = extract_people(doc.text, doc.resources, flat=doc.flat,
                                           is_place=lambda name: gaz.resolve(name).status != "unknown")
