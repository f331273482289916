"""Official member lists of the ANCT programmes (Action cœur de ville and its second
wave, Petites villes de demain, Villages d'avenir, France services, Territoires
d'industrie, Avenir Montagnes) and the DITP barometer's France services counts.

Read from `data/programmes.tsv.gz` and `data/programme_counts.tsv.gz`, built by
`scripts/build_programmes.py` (see `data/PROGRAMMES.md`); loaded once per process,
on first use. The lists are snapshots: a document that disagrees with them is a
finding to check, not an error to correct.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import unicodedata
from dataclasses import dataclass, fields
from functools import lru_cache
from importlib.resources import files
from types import MappingProxyType
from typing import NamedTuple, Optional

PROGRAMMES = MappingProxyType({
    "acv": "Action cœur de ville",
    "acv2": "Action cœur de ville 2",
    "pvd": "Petites villes de demain",
    "va": "Villages d'avenir",
    "fs": "France services",
    "ti": "Territoires d'industrie",
    "amm": "Avenir Montagnes",
})

# names as documents write them, folded (see `_key`: lower case, no accents, each
# word without a final `s`) -> programme code
_ALIASES = MappingProxyType({
    "action coeur de ville": "acv", "acv": "acv",
    "action coeur de ville 2": "acv2", "action coeur de ville ii": "acv2", "acv 2": "acv2", "acv2": "acv2",
    "petite ville de demain": "pvd", "pvd": "pvd", "petite ville de demain ingenierie": "pvd",
    "village d avenir": "va",
    "france service": "fs",
    "territoire d industrie": "ti",
    "avenir montagne": "amm", "avenir montagne ingenierie": "amm", "avenir montagne mobilite": "amm",
})
# words that may stand before a programme's name (`le programme PVD`, `espaces France services`)
_LEADING = frozenset("le la les l du de des d au aux programme dispositif label plan demarche reseau operation "
                     "convention contrat laureat".split())
_LEADING_FS = frozenset("espace maison point structure site bus antenne guichet agence".split())


@dataclass(frozen=True)
class Member:
    """One member of a programme's official list: a commune (INSEE code; for France
    services one row per site) or an intercommunality (SIREN)."""

    programme: str  # code: acv, acv2, pvd, va, fs, ti, amm
    programme_name: str
    member_kind: str  # commune | epci (an EPCI or another grouping: PETR, syndicat mixte, EPT)
    insee_code: str  # as listed: INSEE code of a commune (or an arrondissement, a merged-away commune), or SIREN
    name: str  # as listed
    department_code: Optional[str]
    commune_code: Optional[str]  # the current commune in the gazetteer (the parent of a merged-away code)
    territory_id: str  # the programme's territory (France services: the site, `fs-<id>`)
    territory_name: str
    date: Optional[str]  # ISO: signature (PVD) or labellisation (France services), when given
    site_type: Optional[str]  # France services: Principal | Antenne
    site_format: Optional[str]  # France services: Fixe, Itinérante, Bus_équivalent, Multisites, …
    source: str  # file of the shared ANCT folder


@dataclass(frozen=True)
class Count:
    """A count published per département (the DITP barometer's France services labellisations)."""

    programme: str
    department_code: str
    value: int
    date: str
    indicator: str
    source: str


class _Tables(NamedTuple):
    members: dict[str, tuple[Member, ...]]
    codes: dict[str, frozenset[str]]
    counts: tuple[Count, ...]
    departments: frozenset[str]


_FIELDS = tuple(f.name for f in fields(Member))
_OPTIONAL = frozenset({"department_code", "commune_code", "date", "site_type", "site_format"})


def _read(name: str) -> list[dict]:
    raw = gzip.decompress((files("fiche_extract") / "data" / name).read_bytes()).decode("utf-8")
    lines = [line for line in raw.split("\n") if line and not line.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines)), delimiter="\t"))


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    by_programme: dict[str, list[Member]] = {code: [] for code in PROGRAMMES}
    for row in _read("programmes.tsv.gz"):
        member = Member(**{f: (row.get(f) or None) if f in _OPTIONAL else row.get(f, "") for f in _FIELDS})
        by_programme.setdefault(member.programme, []).append(member)
    counts = tuple(Count(**{**row, "value": int(row["value"])}) for row in _read("programme_counts.tsv.gz"))
    codes = {p: frozenset({m.insee_code for m in ms} | {m.commune_code for m in ms if m.commune_code})
             for p, ms in by_programme.items()}
    departments = frozenset({c.department_code for c in counts}
                            | {m.department_code for ms in by_programme.values() for m in ms if m.department_code})
    return _Tables({p: tuple(ms) for p, ms in by_programme.items()}, codes, counts, departments)


def _code(programme: str) -> str:
    """A programme code from a code or a name (`pvd`, `Petites villes de demain`)."""
    code = programme if programme in PROGRAMMES else programme_of_name(programme)
    if code is None:
        raise ValueError(f"unknown programme {programme!r} (codes: {', '.join(PROGRAMMES)})")
    return code


def _department(code) -> str:
    code = str(code).strip().upper()
    return code.zfill(2) if code.isdigit() else code


def members(programme: str, department_code: Optional[str] = None) -> list[Member]:
    """The programme's listed members (code or name), in one département if given."""
    found = _tables().members.get(_code(programme), ())
    if department_code is None:
        return list(found)
    dep = _department(department_code)
    return [m for m in found if m.department_code == dep]


def is_member(programme: str, insee_code: str) -> bool:
    """Whether the code (commune INSEE code, or SIREN) is listed for the programme,
    directly or as the current commune of a listed merged-away code or
    arrondissement. Communes of a listed intercommunality are not members."""
    return str(insee_code).strip().upper() in _tables().codes.get(_code(programme), frozenset())


def official_count(programme: str, department_code: str) -> Optional[int]:
    """What the list counts in the département: France services sites; for the
    other programmes the distinct member communes. None for an unknown
    département, or when the list names intercommunalities there (their
    communes are not listed, so a count of communes would fall short)."""
    code, dep = _code(programme), _department(department_code)
    if dep not in _tables().departments:
        return None
    local = members(code, dep)
    if code == "fs":
        return len(local)
    if any(m.member_kind == "epci" for m in local):
        return None
    return len({m.insee_code for m in local if m.member_kind == "commune"})


def reported_counts(programme: str, department_code: Optional[str] = None) -> list[Count]:
    """Published counts (DITP barometer) for the programme, oldest first."""
    code = _code(programme)
    dep = _department(department_code) if department_code is not None else None
    return [c for c in _tables().counts if c.programme == code and (dep is None or c.department_code == dep)]


def _key(text: str) -> list[str]:
    """Words of a name: lower case, no accents, `P.V.D.` as `pvd`, each word longer
    than three letters without its final `s` (`Services`, `villes`)."""
    text = unicodedata.normalize("NFKD", text.lower().replace("œ", "oe").replace("æ", "ae"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    words: list[str] = []
    letters: list[str] = []  # a run of single letters: an acronym written with dots
    for w in re.sub(r"[^a-z0-9]+", " ", text).split() + [""]:
        if len(w) == 1 and w.isalpha():
            letters.append(w)
            continue
        if letters:
            words.append("".join(letters))
            letters = []
        if w:
            words.append(w)
    return [w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words]


def programme_of_name(text: str) -> Optional[str]:
    """The programme code of a name as written (`Petites villes de demain`, `PVD`,
    `Action Coeur de Ville`, `espaces France Services`, …), whatever the case and
    accents; None if the text is no programme's name."""
    words = _key(text)
    while words:
        code = _ALIASES.get(" ".join(words))
        if code is not None:
            return code
        if words[0] in _LEADING or (words[0] in _LEADING_FS and _ALIASES.get(" ".join(words[1:])) == "fs"):
            words = words[1:]
            continue
        return None
    return None
