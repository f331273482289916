"""People with their roles: `Prénom NOM, rôle`, `le Préfet Prénom Nom`, `le rôle, Prénom Nom`,
and a name line followed by its role line (fiche signatures). One record per person."""

from __future__ import annotations

from functools import lru_cache
from typing import Callable, Optional

from .. import rx as re

from ..models import NormalisedText, Person
from ..folding import fold
from ..resources.patterns import load_patterns

FIRST = r"\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?"
PARTICLE = r"(?:de|du|des|d'|le|la|van|von|di|da|Le|La|Du|De|Des)"
LAST_CAPS = rf"(?:(?:{PARTICLE}|LE|LA|DE|DU|D')\s?)?\p{{Lu}}[\p{{Lu}}'\-]+(?:\s\p{{Lu}}[\p{{Lu}}'\-]+)?"
LAST_MIXED = rf"(?:{PARTICLE}\s)?\p{{Lu}}\p{{Ll}}+(?:-\p{{Lu}}\p{{Ll}}+)?"
NAME_LINE_RE = re.compile(rf"{FIRST}(?:\s+{LAST_MIXED}|\s+{LAST_CAPS}){{1,2}}")
NAME_CAPS_RE = re.compile(rf"(?<![\p{{L}}])(?P<name>{FIRST}\s+{LAST_CAPS})(?![\p{{L}}])")


@lru_cache(maxsize=1)
def _vocab():
    p = load_patterns()["roles"]
    roles = sorted({fold(r) for r in p["roles"]}, key=len, reverse=True)
    role_alt = "|".join(re.escape(r).replace(r"\ ", r"[\s\-]") for r in p["roles"])
    return roles, role_alt, [t.rstrip(".") for t in p["titles"]]


@lru_cache(maxsize=1)
def _patterns():
    """(title before a name, `rôle, Prénom Nom`, `rôle Prénom Nom`), compiled once."""
    _, role_alt, titles = _vocab()
    title_alt = "|".join(re.escape(t) for t in titles)
    name = rf"(?P<name>{FIRST} (?:{LAST_CAPS}|{LAST_MIXED}))(?![\p{{L}}])"
    return (
        re.compile(rf"(?:{title_alt})\.? $"),
        # a role starts a word: the look-behind also lets most positions fail at once
        re.compile(rf"(?<![\p{{L}}])(?P<role>(?i:{role_alt})(?: [\p{{L}}'\-]+){{0,8}}), (?:(?:{title_alt})\.? )?{name}"),
        re.compile(rf"(?<![\p{{L}}])(?P<role>(?i:{role_alt})) (?:(?:{title_alt})\.? )?{name}"),
    )


@lru_cache(maxsize=1)
def _role_start_re():
    roles, _, _ = _vocab()
    return re.compile(rf"(?:{'|'.join(re.escape(r) for r in roles)})(?: |$)")


@lru_cache(maxsize=1)
def _not_names() -> frozenset[str]:
    """Capitalised words that never open a person's name (`patterns/roles.yaml`)."""
    return frozenset(fold(w) for w in load_patterns()["roles"].get("not_names", []))


def proper_case(name: str) -> str:
    """`Jean-Marie GIRIER` -> `Jean-Marie Girier`, `LE BRETON` -> `Le Breton`, `D'ARTAGNAN` -> `D'Artagnan`."""

    def word(w: str) -> str:
        if not w.isupper() or len(w) == 1:
            return w
        parts = re.split(r"([\-'])", w)
        return "".join(p.capitalize() if p not in "-'" else p for p in parts)

    return " ".join(word(w) for w in name.split())


def starts_with_role(text: str) -> bool:
    """The text opens with a role word (`Présidente de …`, `préfet du Lot`)."""
    return _role_start_re().match(fold(text)) is not None


def _role_after(flat: str, pos: int) -> Optional[str]:
    """`, préfet du Territoire de Belfort, délégué…` after a name: the first apposition."""
    m = re.match(r"\s*,\s*([^,;.()\n]+)", flat[pos:])
    if m and starts_with_role(m.group(1)):
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


def extract_people(nt: NormalisedText, *, is_place: Optional[Callable[[str], bool]] = None) -> list[Person]:
    """People named in the document; `is_place` rejects names that are places."""
    flat = re.sub(r"(?<!\n)\n(?!\n)", " ", nt.text)
    people = _People(nt, is_place)
    found: list[tuple[int, int, str, Optional[str]]] = []

    titled_re, with_comma, direct = _patterns()
    # 1. `Prénom NOM, rôle` (or a title before: `M. Prénom NOM`)
    for m in NAME_CAPS_RE.finditer(flat):
        last = m.group("name").split(None, 1)[1]
        if any(c.islower() for c in last) or len(re.sub(r"[^\p{L}]", "", last)) < 2:
            continue
        role = _role_after(flat, m.end())
        titled = titled_re.search(flat[max(0, m.start() - 12):m.start()])
        if role or titled:
            found.append((m.start(), m.end(), m.group("name"), role))
    # 2. `le Directeur départemental des territoires, Prénom Nom` and `le Préfet Prénom Nom`
    for rx in (with_comma, direct):
        for m in rx.finditer(flat):
            if _is_person_name(m.group("name")):
                found.append((m.start("name"), m.end("name"), m.group("name"), " ".join(m.group("role").split())))
    # 3. a name line followed by its role line (the role goes on over lines that
    #    start in lower case or follow a line ending on a function word)
    lines = list(re.finditer(r"(?m)^(.+)$", nt.text))
    for i, line in enumerate(lines[:-1]):
        text = line.group(1).strip()
        if not NAME_LINE_RE.fullmatch(text) or not _is_person_name(text):
            continue
        nxt = lines[i + 1]
        if not starts_with_role(nxt.group(1)):
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


def _is_person_name(name: str) -> bool:
    """A first word that is not a role, an article or a common capitalised noun."""
    roles, _, _ = _vocab()
    words = name.split()
    first = fold(words[0])
    if first in _not_names() or any(fold(w) in roles for w in words):
        return False
    return True


def _clean_role(role: Optional[str]) -> Optional[str]:
    if not role:
        return None
    return role.strip(" ,").rstrip(" ,")
