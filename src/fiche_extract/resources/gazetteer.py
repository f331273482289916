"""The official gazetteer: communes (and merged-away names), intercommunalities,
départements and régions with their INSEE codes (SIREN for intercommunalities).

Built by `scripts/build_gazetteer.py` from the INSEE COG; see `data/GAZETTEER.md`.
Names match whatever the spelling: case, accents, hyphens or spaces, apostrophe
forms, `Saint`/`St`, `œ`, a leading article, a word split by a line break.
"""

from __future__ import annotations

import csv
import gc
import gzip
import io
import logging
import os
import pickle
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Iterable, Iterator, Optional, Sequence

import re as std_re

from .. import rx as re

from ..folding import fold as fold_text

log = logging.getLogger(__name__)

# a homonym commune this populous, this many times more than the next, is the one a
# text without a département means
TOWN = 10_000
TOWN_RATIO = 10

CURRENT_KINDS = ("commune", "epci", "departement", "region")
MERGED_KINDS = ("commune_deleguee", "commune_associee", "arrondissement")
ARTICLE_RE = std_re.compile(r"^(?:le|la|les|l|aux|las|los) ")
SAINT_RE = std_re.compile(r"\bst\b")
# a commune's name as a short name, a link and a complement: `sainte livrade | sur lot`
SHORT_FORM_RE = std_re.compile(r"^(\S.{3,}?) (?:sur|sous|en|les|le|la|de|du|des|d|aux|au|et) \S")
SAINTE_RE = std_re.compile(r"\bste\b")
EPCI_PREFIXES = {
    "ca": "communaute d agglomeration",
    "cc": "communaute de communes",
    "cu": "communaute urbaine",
    "agglo": "communaute d agglomeration",
}


# INSEE `type de nom en clair` -> how `de` joins the name
OF_ARTICLE = {"0": "de ", "1": "d'", "2": "du ", "3": "de la ", "4": "des ", "5": "de l'", "6": "des ", "7": "de Las ",
              "8": "de Los "}


@dataclass(frozen=True)
class Entry:
    kind: str  # commune | epci | departement | region (merged-away names resolve to their commune)
    code: str
    name: str
    department_code: Optional[str] = None
    region_code: Optional[str] = None
    parent_code: Optional[str] = None
    epci_type: Optional[str] = None
    population: Optional[int] = None
    chef_lieu: Optional[str] = None  # départements and régions: the préfecture's commune code
    latitude: Optional[float] = None  # communes: the town hall, WGS 84 (see data/GAZETTEER.md)
    longitude: Optional[float] = None
    type_nom: Optional[str] = None  # INSEE `type de nom en clair`: which article the name takes
    epci_code: Optional[str] = None  # communes: the SIREN of their intercommunality

    @property
    def of_name(self) -> str:
        """The name after `de` as French writes it: `du Cantal`, `de la Lozère`,
        `de l'Aisne`, `des Côtes-d'Armor`, `d'Ille-et-Vilaine`, `de Paris`."""
        name = self.name
        if self.kind == "commune":
            for article, contracted in (("Le ", "du "), ("Les ", "des "), ("La ", "de la "), ("L'", "de l'")):
                if name.startswith(article):
                    return contracted + name[len(article):]
        return OF_ARTICLE.get(self.type_nom or "", "de ") + name


@dataclass
class Resolution:
    status: str  # resolved | ambiguous | unknown
    entry: Optional[Entry] = None
    candidates: list[Entry] = field(default_factory=list)
    matched_name: Optional[str] = None  # the name as found (a merged-away name, an alias)
    weak: bool = False  # found only under a weak key (`Vigan`, an intercommunality's short name)


PUNCTUATION = str.maketrans({c: " " for c in ",()«»\"“”"})


@lru_cache(maxsize=1 << 16)
def fold(name: str) -> str:
    """Matching key of a place name (see the module docstring); commas, brackets and
    quotes count as spaces (`CA Beaune, Côte et Sud`, `(CAPI)`). Remembered: the
    rules ask for the same names many times."""
    key = fold_text(name.translate(PUNCTUATION))
    if "st" in key:
        key = SAINTE_RE.sub("sainte", SAINT_RE.sub("saint", key))
    return key


def _keys(name: str) -> tuple[set[str], set[str]]:
    """(strong, weak) keys a name is found under. Strong: as written, and without
    spaces (`Saint Géry-Vers` vs `SaintGéry`: line-break splits). Weak: without its
    leading article (`Vigan` for `Le Vigan`), tried only when no strong key matches,
    so that `Montagne` is never `La Montagne` where a commune `Montagne` exists."""
    key = fold(name)
    bare = ARTICLE_RE.sub("", key)
    weak = {bare} - {key}
    return {key, key.replace(" ", "")}, weak


def _epci_keys(name: str) -> tuple[set[str], set[str]]:
    """(strong, weak) keys of an intercommunality. `Communauté d'agglomération du Grand
    Cahors` is strongly also `CA du Grand Cahors`, `CA Grand Cahors`, and weakly
    `Grand Cahors`; a bracketed or quoted part may be left out (`CA Porte de l'Isère`
    for `… Porte de l'Isère (CAPI)`) and is weakly a name of its own (`CAPI`,
    `Agglopolys`). Weak keys lose to strong ones: `Vesoul` is the commune, `CA de
    Vesoul` the intercommunality."""
    inner = re.findall(r"[«(\"]\s*([^»)\"]+?)\s*[»)\"]", name)
    outer = re.sub(r"\s*[«(\"][^»)\"]*[»)\"]", "", name)
    strong, weak = set(), {fold(i) for i in inner}
    for written in {name, outer}:
        key = fold(written)
        strong.add(key)
        for long, short in ((v, k) for k, v in EPCI_PREFIXES.items() if k != "agglo"):
            if key.startswith(long + " "):
                rest = key[len(long) + 1:]
                strong.add(f"{short} {rest}")
                bare = re.sub(r"^(?:du|de la|de l|des|de|d) ", "", rest)
                weak.add(bare)
                weak.add(ARTICLE_RE.sub("", bare))  # `Grand Narbonne` for `CA Le Grand Narbonne`
                strong.add(f"{short} {bare}")
                weak |= _branded_keys(bare, short)
    strong.discard("")
    return strong, {k for k in weak if k} - strong


BRAND_SUFFIX_RE = std_re.compile(r" (?:agglomeration|agglo|communaute)$")


def _branded_keys(bare: str, short: str) -> set[str]:
    """How intercommunalities brand themselves after their name: `Grand Belfort Agglo`
    for a communauté d'agglomération, `Oust à Brocéliande Communauté` for a communauté
    de communes or d'agglomération; a name that already ends so is also found without
    that word (`Laval Agglo` for `Laval Agglomération`)."""
    out = set()
    for name in {bare, ARTICLE_RE.sub("", bare)}:
        core = BRAND_SUFFIX_RE.sub("", name)
        if not core or core == name and len(core.split()) > 6:
            continue
        if short == "ca":
            out.add(f"{core} agglo")
        if short in ("ca", "cc"):
            out.add(f"{core} communaute")
        if core != name:
            out.add(core)
    return out


class Gazetteer:
    """Names to entries; loaded once per process by `load_gazetteer()`."""

    def __init__(self, rows: Iterable[dict]):
        self.by_key: dict[str, list[Entry]] = {}
        self.by_weak_key: dict[str, list[Entry]] = {}
        self._first_words: dict[str, frozenset[str]] = {}
        self._resolved: dict[tuple, Resolution] = {}
        self.by_code: dict[tuple[str, str], Entry] = {}
        self._names: list[tuple[str, Entry]] = []
        self._epci_population: dict[str, int] = {}
        self._short_forms: dict[tuple[str, str], list[Entry]] = {}  # (département, short name) -> communes
        merged: list[dict] = []
        for row in rows:
            if row["kind"] in MERGED_KINDS:
                merged.append(row)
                continue
            entry = _entry(row, row["kind"])
            self.by_code[(entry.kind, entry.code)] = entry
            self._names.append((entry.name, entry))
            self._index(entry.name, entry, epci=entry.kind == "epci")
        for row in merged:
            if row.get("alias"):
                self._rename(row["code"], row["name"])
                continue
            parent = self.by_code.get(("commune", row["parent_code"]))
            if parent is None or fold(row["name"]) == fold(parent.name):
                continue
            self._names.append((row["name"], parent))
            self._index(row["name"], parent)
        for (kind, _), entry in self.by_code.items():
            m = SHORT_FORM_RE.match(fold(entry.name)) if kind == "commune" else None
            if m:
                self._short_forms.setdefault((entry.department_code, m.group(1)), []).append(entry)

    def __getstate__(self) -> dict:
        """Pickled without the answers remembered so far (the cache holds the index)."""
        return {**self.__dict__, "_resolved": {}}

    def _index(self, name: str, entry: Entry, *, epci: bool = False) -> None:
        strong, weak = _epci_keys(name) if epci else _keys(name)
        for index, keys in ((self.by_key, strong), (self.by_weak_key, weak)):
            for key in keys:
                bucket = index.setdefault(key, [])
                if entry not in bucket:
                    bucket.append(entry)

    def _rename(self, code: str, name: str) -> None:
        """A commune's current official name, newer than the source data."""
        old = self.by_code.get(("commune", code))
        if old is None:
            return
        new = Entry(**{**old.__dict__, "name": name})
        self.by_code[("commune", code)] = new
        for index in (self.by_key, self.by_weak_key):
            for bucket in index.values():
                for i, e in enumerate(bucket):
                    if e is old:
                        bucket[i] = new
        self._names = [(n, new if e is old else e) for n, e in self._names]
        self._names.append((name, new))
        self._index(name, new)

    # ------------------------------------------------------------ look-ups

    def lookup(self, name: str) -> list[Entry]:
        """Every entry a name may designate, any kind: strong keys first (the name
        as written, then without its article), weak keys only when none matches."""
        return self._lookup(name)[0]

    def _lookup(self, name: str) -> tuple[list[Entry], bool]:
        """(entries, found only under a weak key)."""
        key = fold(name)
        bare = ARTICLE_RE.sub("", key)
        for index in (self.by_key, self.by_weak_key):
            for k in (key, bare):
                if k in index:
                    return list(index[k]), index is self.by_weak_key
        found = list(self.by_key.get(key.replace(" ", ""), []))
        if not found:
            # `CA de Grand Châtellerault` for `Communauté d'agglomération Grand Châtellerault`
            m = re.match(r"^(ca|cc|cu|communaute (?:d agglomeration|de communes|urbaine)) (?:du|de la|de l|des|de|d) (.+)$", key)
            bare = re.match(r"^communaute (d agglomeration|de communes|urbaine) (?!(?:du|de la|de l|des|de|d) )(.+)$", key)
            if bare:  # `Communauté de Communes Gâtine-Racan` for `… de Gâtine-Racan`
                short = {"d agglomeration": "ca", "de communes": "cc", "urbaine": "cu"}[bare.group(1)]
                found = [e for e in self.by_key.get(f"{short} {bare.group(2)}", []) if e.kind == "epci"]
            if m and not found:
                found = [e for e in self.by_key.get(f"{m.group(1)} {m.group(2)}", []) + self.by_weak_key.get(m.group(2), [])
                         if e.kind == "epci"]
        return found, False

    def resolve(
        self,
        name: str,
        *,
        kinds: Optional[Sequence[str]] = None,
        department_code: Optional[str] = None,
        context_departments: Sequence[str] = (),
    ) -> Resolution:
        """See `_resolve`; answers are remembered (the rules ask about the same names
        many times a document). A `Resolution` is not to be modified."""
        key = (name, tuple(kinds) if kinds else None, department_code, tuple(context_departments))
        found = self._resolved.get(key)
        if found is None:
            if len(self._resolved) > 200_000:
                self._resolved.clear()
            found = self._resolved[key] = self._resolve(
                name, kinds=kinds, department_code=department_code, context_departments=context_departments)
        return found

    def _resolve(
        self,
        name: str,
        *,
        kinds: Optional[Sequence[str]] = None,
        department_code: Optional[str] = None,
        context_departments: Sequence[str] = (),
    ) -> Resolution:
        """One entry, or `ambiguous` with the candidates, or `unknown`; never a guess.

        Homonyms are settled by the document's département, then by the
        départements of the other places in the document. A département or
        région wins over a commune of the same name (`Lot`? no commune; `Paris`
        is both: the commune is kept for kinds=['commune']).
        """
        candidates, weak = self._lookup(name)
        if (department_code and (not kinds or "commune" in kinds) and all(c.kind == "commune" for c in candidates)
                and not any(c.department_code == department_code for c in candidates)):
            local = self.short_form(name, department_code)
            if local is not None:
                return Resolution("resolved", local, [local], name, True)
        if kinds:
            candidates = [c for c in candidates if c.kind in kinds]
        if not candidates:
            return Resolution("unknown")
        unique = list(dict.fromkeys(candidates))
        if len(unique) > 1:
            unique = _as_accented(name, unique)
        if len(unique) == 1:
            return Resolution("resolved", unique[0], unique, name, weak)
        # an overseas département is its région too: the département's code, as the gold lists it
        deps = [c for c in unique if c.kind == "departement"]
        if len(deps) == 1 and not kinds and any(c.kind == "region" and fold(c.name) == fold(deps[0].name) for c in unique):
            return Resolution("resolved", deps[0], unique, name, weak)
        # a territory level wins over homonym communes (Territoire de Belfort, not a commune)
        for level in ("region", "departement"):
            tops = [c for c in unique if c.kind == level]
            if len(tops) == 1 and not kinds:
                return Resolution("resolved", tops[0], unique, name, weak)
        for deps in ([department_code] if department_code else [], list(context_departments)):
            for dep in deps:
                local = [c for c in unique if c.department_code == dep]
                if len(local) == 1:
                    return Resolution("resolved", local[0], unique, name, weak)
        if not department_code and all(c.kind == "commune" for c in unique):
            # no département to settle it: a town is the one meant over villages of its
            # name (`Vernon`: the town of the Eure, 24,000 inhabitants, not the hamlets)
            by_size = sorted(unique, key=lambda c: c.population or 0, reverse=True)
            first, second = by_size[0].population or 0, by_size[1].population or 0
            if first >= TOWN and first >= TOWN_RATIO * max(second, 1):
                return Resolution("resolved", by_size[0], unique, name, weak)
        return Resolution("ambiguous", None, unique, name, weak)

    def short_form(self, name: str, department_code: str, min_words: int = 2) -> Optional[Entry]:
        """The one commune of the département whose name is `name` (`min_words` words at
        least: a single word is often a common one) followed by a link and a
        complement: a place's everyday short name (`Sainte-Livrade` for
        Sainte-Livrade-sur-Lot in a document of the Lot-et-Garonne, `Saint-Alban` for
        Saint-Alban-sur-Limagnole in one of the Lozère, `Brive` in a list of the Corrèze)."""
        key = fold(name)
        if len(key.split()) < min_words:
            return None
        found = self._short_forms.get((department_code, key), [])
        return found[0] if len(found) == 1 else None

    def department(self, code: str) -> Optional[Entry]:
        return self.by_code.get(("departement", code))

    def department_by_name(self, name: str) -> Optional[Entry]:
        res = self.resolve(name, kinds=["departement"])
        return res.entry

    def is_prefecture(self, commune: Entry) -> bool:
        """The commune is the chef-lieu (préfecture) of its département."""
        dep = self.department(commune.department_code or "")
        return commune.kind == "commune" and dep is not None and dep.chef_lieu == commune.code

    def region(self, code: str) -> Optional[Entry]:
        return self.by_code.get(("region", code))

    def commune(self, code: str) -> Optional[Entry]:
        return self.by_code.get(("commune", code))

    def names(self, kinds: Optional[Sequence[str]] = None) -> Iterator[tuple[str, Entry]]:
        """(written name, entry) pairs, merged-away names included (for phrase matchers)."""
        for name, entry in self._names:
            if kinds is None or entry.kind in kinds:
                yield name, entry

    def commune_first_words(self, department_code: str) -> frozenset[str]:
        """First words of every key a commune of the département is found under: a
        cheap test before resolving a capitalised word of running text."""
        if not self._first_words:
            words: dict[str, set[str]] = {}
            for index in (self.by_key, self.by_weak_key):
                for key, entries in index.items():
                    for e in entries:
                        if key and e.kind == "commune" and e.department_code:
                            words.setdefault(e.department_code, set()).add(key.split(" ")[0])
            self._first_words.update({dep: frozenset(w) for dep, w in words.items()})
        return self._first_words.get(department_code, frozenset())

    def epci_aliases(self, department_code: str) -> dict[str, Entry]:
        """The names an intercommunality of the département carries in brackets or
        quotes in its official name (`Cap Atlantique`, `Agglopolys`, `CAPI`), each as
        written; short acronyms (`AME`, `TCO`) are left out, being too often something else."""
        if not hasattr(self, "_aliases"):
            self._aliases: dict[str, dict[str, Entry]] = {}
            for (kind, _), e in self.by_code.items():
                if kind != "epci" or not e.department_code:
                    continue
                for inner in re.findall(r"[«(\"]\s*([^»)\"]+?)\s*[»)\"]", e.name):
                    inner = " ".join(inner.split())
                    letters = re.sub(r"[^\p{L}]", "", inner)
                    if len(letters) >= 4 and (inner.isupper() or " " not in inner or len(inner.split()) >= 2):
                        self._aliases.setdefault(e.department_code, {})[inner] = e
        return self._aliases.get(department_code, {})

    def epci(self, code: str) -> Optional[Entry]:
        return self.by_code.get(("epci", code))

    def population(self, entry: Entry) -> Optional[int]:
        """An entry's population: its own, or for an intercommunality the sum of its
        communes' (the gazetteer gives none for intercommunalities)."""
        if entry.kind != "epci":
            return entry.population
        if not self._epci_population:
            totals: dict[str, int] = {}
            for (kind, _), e in self.by_code.items():
                if kind == "commune" and e.epci_code and e.population:
                    totals[e.epci_code] = totals.get(e.epci_code, 0) + e.population
            self._epci_population.update(totals)
        return self._epci_population.get(entry.code)

    def communes_of(self, department_code: str) -> list[Entry]:
        return [e for (k, _), e in self.by_code.items() if k == "commune" and e.department_code == department_code]


ACCENT_KEY_TABLE = str.maketrans({"-": " ", "\u2019": "'", "\u00a0": " "})


def _accent_key(name: str) -> str:
    """Lower case with its accents: `Loiré` is not `Loire`."""
    return " ".join(name.casefold().translate(ACCENT_KEY_TABLE).split())


def _as_accented(name: str, candidates: list[Entry]) -> list[Entry]:
    """A département or a région is not a homonym written with other accents (`Loiré`
    is the commune, not the Loire); a name in capitals without any accent says nothing
    (`LOIRE` may be either). Communes are left to the département to settle (a text
    may well write `Saint-Rémy` for a `Saint-Remy`)."""
    if name.isupper() and name.isascii():
        return candidates
    key, written = fold(name), _accent_key(name)
    same = [c for c in candidates if fold(c.name) == key and _accent_key(c.name) == written]
    differ = [c for c in candidates if c.kind in ("departement", "region") and fold(c.name) == key
              and _accent_key(c.name) != written]
    if same and differ:
        return [c for c in candidates if c not in differ]
    return candidates


def _entry(row: dict, kind: str) -> Entry:
    return Entry(
        kind=kind,
        code=row["code"],
        name=row["name"],
        department_code=row["department_code"] or None,
        region_code=row["region_code"] or None,
        parent_code=row["parent_code"] or None,
        epci_type=row["epci_type"] or None,
        population=int(row["population"]) if row["population"] else None,
        chef_lieu=row.get("chef_lieu") or None,
        latitude=float(row["latitude"]) if row.get("latitude") else None,
        longitude=float(row["longitude"]) if row.get("longitude") else None,
        type_nom=row.get("type_nom") or None,
        epci_code=row.get("epci_code") or None,
    )


def _read_rows() -> Iterator[dict]:
    data = files("fiche_extract") / "data"
    raw = gzip.decompress((data / "gazetteer.tsv.gz").read_bytes()).decode("utf-8")
    lines = [l for l in raw.split("\n") if l and not l.startswith("#")]
    yield from csv.DictReader(io.StringIO("\n".join(lines)), delimiter="\t")
    aliases = data / "aliases.tsv"
    if aliases.is_file():
        alias_lines = [l for l in aliases.read_text(encoding="utf-8").split("\n") if l and not l.startswith("#")]
        for row in csv.DictReader(io.StringIO("\n".join(alias_lines)), delimiter="\t"):
            yield {"kind": "commune_deleguee", "code": row["code"], "name": row["name"], "alias": True}


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The gazetteer of the shipped data, read once per process (`Resources.gazetteer`).
    Its index is built once per machine and kept in the user's cache folder (see
    `cache_path`): reading it back takes a quarter of the time of building it."""
    path = cache_path()
    if path is not None:
        cached = _read_cache(path)
        if cached is not None:
            return cached
    gazetteer = Gazetteer(_read_rows())
    if path is not None:
        _write_cache(path, gazetteer)
    return gazetteer


def cache_path() -> Optional[Path]:
    """`$FICHE_EXTRACT_CACHE` (a folder; `off` for none), else `$XDG_CACHE_HOME/fiche-extract`
    or `~/.cache/fiche-extract`; the file is named after the hash of the package's code
    and data, so a new version or new data never reads an old index."""
    from .fingerprint import code_and_data_hash

    folder = os.environ.get("FICHE_EXTRACT_CACHE")
    if folder is not None and folder.strip().lower() in ("", "off", "0", "no"):
        return None
    if not folder:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        folder = os.path.join(base, "fiche-extract")
    return Path(folder) / f"gazetteer-{code_and_data_hash()[:20]}.pickle"


def _read_cache(path: Path) -> Optional[Gazetteer]:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    enabled = gc.isenabled()
    gc.disable()  # many small objects: the collector would walk them again and again
    try:
        found = pickle.loads(data)
    except Exception as exc:  # a truncated or foreign file: built again, and rewritten
        log.warning("gazetteer cache %s unreadable (%s): building the index again", path, exc)
        return None
    finally:
        if enabled:
            gc.enable()
    return found if isinstance(found, Gazetteer) else None


def _write_cache(path: Path, gazetteer: Gazetteer) -> None:
    """Written to a temporary file renamed into place: a reader never sees half a file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps(gazetteer, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, path)
        for old in path.parent.glob("gazetteer-*.pickle"):  # indexes of other versions
            if old != path:
                old.unlink(missing_ok=True)
    except OSError as exc:  # a read-only home: no cache, no harm
        log.debug("gazetteer cache not written to %s: %s", path, exc)
