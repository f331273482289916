"""Where places are named: candidate mentions, each found by one detector (list items
after a count, département and région names, intercommunalities, coded names, named
territories, `à <commune>`, table cells, table rows, communes in running text). The
resolver in `places.py` keeps one candidate per span and gives each its official code."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional, Sequence

from .. import rx as re

from ..resources.gazetteer import fold as gazetteer_fold
from ..models import Measure
from ..folding import fold

KIND_OF_ENTRY = {"commune": "commune", "departement": "departement", "region": "region", "epci": "epci"}
# little words inside place names (`Biars-sur-Cère`, `Saint-Paul-lès-Dax`, `Castelnau-de-Lévis`)
NAME_PARTICLES = frozenset({"sur", "sous", "en", "de", "du", "des", "la", "le", "les", "et", "d'", "l'", "aux", "au", "lès"})
# a particle is a whole word: `Pays des Abers` is not cut after `de`
CAP_NAME = (r"[\p{Lu}][\p{L}'’\-]*(?:(?: |-)(?:(?:sur|sous|en|des|de|du|la|les|le|lès|et|aux|au)(?![\p{L}'’])"
            r"|(?:[dl]['’])?\p{Lu}[\p{L}'’\-]*|d'|l'|d’|l’)){0,6}")


@dataclass
class _Mention:
    start: int
    end: int
    name: str
    kind: str
    source: str
    kind_hint: Optional[str] = None  # commune|departement|region|epci|petr|other
    department_code: Optional[str] = None  # stated next to the name: `Saint-Pierre (972)`
    entry: Optional[object] = None  # resolved by the detector itself (`CA de Concarneau`: its commune's CA)
    group: Optional[int] = None  # list items: where their list starts (items of one list share it)
    group_object: Optional[str] = None  # list items: what the list's count counts (`communes`, `villes`)


@dataclass(frozen=True)
class PlaceVocabulary:
    cues: dict  # `patterns/places.yaml`
    territorial_nouns: frozenset[str]
    commune_nouns: frozenset[str]  # what a list of communes counts
    territories: tuple  # per level: (kind, names regex, cue-before regex, compound names)
    gazetteer: object


def place_vocabulary(resources) -> PlaceVocabulary:
    """The place rules' cues and compiled patterns, once per `Resources`."""
    cues = resources.patterns["places"]
    gaz = resources.gazetteer
    return PlaceVocabulary(cues, frozenset(fold(n) for n in cues["territorial_nouns"]),
                           frozenset(fold(n) for n in cues.get("commune_nouns", ())),
                           _territory_patterns(cues, gaz), gaz)


def _strip_kind_prefix(item: str, v: PlaceVocabulary) -> tuple[str, Optional[str], int]:
    """`Commune de Rocamadour` gives (`Rocamadour`, `commune`, offset of the name)."""
    low = fold(item)
    for kind, prefixes in v.cues["kind_prefixes"].items():
        for pre in sorted(prefixes, key=len, reverse=True):
            fp = fold(pre)
            if low.startswith(fp + " ") or (pre.endswith("'") and low.startswith(fp)):
                # find the same prefix length in the raw item (accents fold one to one)
                n = len(pre)
                rest = item[n:]
                skip = len(rest) - len(rest.lstrip())
                return rest.strip(), kind, n + skip
    return item, None, 0


def _named_kind(item: str, v: PlaceVocabulary) -> Optional[str]:
    for kind, prefixes in v.cues["named_kinds"].items():
        for pre in prefixes:
            if item == pre or item.startswith(pre + " "):
                return kind
    return None


def _is_territorial(obj: Optional[str], v: PlaceVocabulary) -> bool:
    if not obj:
        return False
    nouns = v.territorial_nouns
    f = fold(obj)
    words = f.split()
    return any(f.startswith(n) for n in nouns) or (words and words[0] in nouns)


def _is_named_territory(obj: Optional[str], v: PlaceVocabulary) -> bool:
    """A list of territories that carry a name of their own (CRTE, Territoires
    d'industrie, contrats de ruralité), not of intercommunalities."""
    words = fold(obj or "")
    return any(fold(n) in words for n in v.cues["named_territories"])


# `A, B et C`: `et` separates before a name, a noun phrase or an intercommunality's legal
# form written in lower case (`CC X et communauté d'agglomération Y`)
ITEM_SEPARATOR = re.compile(r"\s*[;,]\s*|\s+et\s+(?=[\p{Lu}]|(?:l'|la |le |les |un |une )[\p{L}]"
                            r"|(?i:communauté (?:de communes|d['’]agglomération|urbaine)|métropole) )")
SEMICOLON = re.compile(r"\s*;\s*")


def _split_items(segment: str, base: int) -> Iterable[tuple[int, int, str]]:
    """Items of `A, B, C et D` or `A ; B`: (start, end, text), parentheses left out."""
    depth = 0
    cleaned = []
    for ch in segment:
        if ch == "(":
            depth += 1
        cleaned.append("\0" if depth else ch)
        if ch == ")":
            depth = max(0, depth - 1)
    masked = "".join(cleaned)
    # `A, B et C`: `et` separates before a name or a noun phrase (`et l'élaboration`),
    # not inside one (`commerciale et artisanale`, `PETR du Pays de Vesoul et du Val
    # de Saône`); names a comma cuts are joined again (`_merge_split_names`)
    sep = ITEM_SEPARATOR
    if ";" in masked:  # `A ; B et C ; D`: semicolons separate names that hold commas and `et`
        sep = SEMICOLON
    pos = 0
    for m in list(sep.finditer(masked)) + [None]:
        end = m.start() if m else len(masked)
        raw = masked[pos:end]
        lead = len(raw) - len(raw.lstrip())
        head = raw.split("\0", 1)[0].rstrip().rstrip(".").rstrip()  # the name before any parenthesis
        if head.strip():
            s = base + pos + lead
            yield s, s + len(head.strip()), head.strip()
        if m:
            pos = m.end()


def list_segments(flat: str, measures: list[Measure], text: Optional[str], v: PlaceVocabulary) -> Iterable[tuple[Measure, int, int, str]]:
    """Lists announced by a count and a colon: (count, start, end, form) where form is
    `inline` (`A, B et C` up to the end of the block or sentence, or, with the
    unflattened `text`, up to a line that opens a new sentence: a list without a
    full stop) or `bullets` (the `• ` items that follow)."""
    starts = sorted(x.start for x in measures)
    for m in measures:
        if m.unit != "count":
            continue
        colon = re.compile(r"[^.\n]{0,120}?: *").match(flat, m.end)
        if not colon or any(m.end <= s < colon.end() for s in starts):
            continue  # no colon, or it announces a later figure (`…, dont 2 dans le Lot :`)
        start = colon.end()
        if flat[start:start + 1] in ("\n", ""):
            # the list may start in the next block (a large leading figure set its line
            # apart), unless that block is a table or a heading's
            nxt = start + len(flat[start:]) - len(flat[start:].lstrip("\n"))
            line = flat[nxt:flat.find("\n", nxt) if flat.find("\n", nxt) >= 0 else len(flat)]
            if nxt >= len(flat) or not line[:1].isupper() or "|" in line or re.match(r"[\d•]", line) \
                    or not re.search(r"[,;]| et |\(", line) and len(line.split()) > 6:
                continue
            start = nxt
        if flat[start:start + 1] == "•":
            end = start
            for item in re.finditer(r"•[^•]*?(?=\s•|\n\n|$)", flat[start:]):
                if item.start() != end - start and flat[start + (end - start):start + item.start()].strip():
                    break
                end = start + item.end()
            yield m, start, end, "bullets"
            continue
        end = _inline_end(flat, text, start)
        if end == _block_end(flat, start):
            end = _across_column_break(flat, text, start, end, m.value, v)
        if end > start:
            yield m, start, end, "inline"


SENTENCE_STOP = re.compile(r"\.(?:\s|$)")


def _block_end(flat: str, pos: int) -> int:
    end = flat.find("\n\n", pos)
    return len(flat) if end < 0 else end


def _inline_end(flat: str, text: Optional[str], start: int) -> int:
    """End of an inline list from `start`: its full stop, its block's end, or a line
    that opens a new sentence."""
    end_block = _block_end(flat, start)
    stop = SENTENCE_STOP.search(flat, start, end_block)
    end = stop.start() if stop else end_block
    return _list_end_at_new_sentence(text, start, end) if text is not None else end


def _across_column_break(flat: str, text: Optional[str], start: int, end: int, announced: float, v: PlaceVocabulary) -> int:
    """A list cut by a column or page break (a blank line where its sentence has not
    ended: `CC Briance Sud` / `Haute Vienne, CC Porte Océane…`) goes on into the next
    block when fewer items than announced came before the break and that block reads
    as the list's end (separators, then a full stop)."""
    before = flat[start:end]
    if re.search(r"[.:!?]\s*$", before):
        return end
    nxt = end + len(flat[end:]) - len(flat[end:].lstrip("\n"))
    if nxt >= len(flat) or nxt == end:
        return end
    more = _inline_end(flat, text, nxt)
    piece = flat[nxt:more]
    if piece[:1].isdigit() or not piece.strip():
        return end
    if _name_cut_by_break(flat, start, end, nxt, more, v):
        return more
    if len(list_items(flat, start, end, "inline", v)) >= announced:
        return end
    # a list that broke on a separator or a linking word goes on; otherwise the next
    # block must read as the list's end: separators, up to a full stop or its end
    if not LIST_GOES_ON.search(before) and not (
        re.search(r"[,;]|\set\s", piece) and (SENTENCE_STOP.match(flat, more) or more == _block_end(flat, nxt))
    ):
        return end
    if len(list_items(flat, start, more, "inline", v)) > announced:
        return end
    return more


def _name_cut_by_break(flat: str, start: int, end: int, nxt: int, more: int, v: PlaceVocabulary) -> bool:
    """The list's last item names nothing and, with the first words of the next block
    (up to a separator or the block's end), names a place: `CC` / `Mirebellois et
    Fontenois.`, `CA Troyes Champagne` / `Métropole`."""
    items = list_items(flat, start, end, "inline", v)
    if not items or not items[-1][2][:1].isupper():
        return False
    gaz = v.gazetteer
    last_start, _, last = items[-1]
    if gaz.resolve(_strip_kind_prefix(last, v)[0]).status != "unknown":
        return False
    head = re.match(r"[^,;]*", flat[nxt:more]).group(0).rstrip(" .")
    if not head or len(head.split()) > 8 or not head[:1].isupper():
        return False
    return gaz.resolve(_strip_kind_prefix(flat[last_start:nxt + len(head)], v)[0]).status != "unknown"


LIST_GOES_ON = re.compile(r"(?:[,;\-]|\b(?i:et|de|du|des|la|le|les|l'|d'|sur|sous|en|à|aux|lès))\s*$")
NEXT_ITEM = re.compile(r"[,;] \p{Lu}")  # a line that separates names goes on with the list


def _list_end_at_new_sentence(text: str, start: int, end: int) -> int:
    """A list written without a full stop ends at the line that opens a new sentence:
    `… Mazères et Pamiers` / `Depuis 2018, 57 M€ ont été…` (a figure, or lower-case
    words among the first of a line of several words). A line ending on a comma or a
    linking word goes on, and so does a line that separates names (`l'Argoat, CA Dinan`)."""
    pos = text.find("\n", start, end)
    while pos >= 0:
        line_start = text.rfind("\n", 0, pos) + 1
        if not LIST_GOES_ON.search(text[max(line_start, start):pos]):
            next_end = text.find("\n", pos + 1)
            words = text[pos + 1:next_end if next_end >= 0 else len(text)].split()
            lower = [w for w in words[1:4] if (w[:1].islower() and w.lower() not in NAME_PARTICLES) or w[:1].isdigit()]
            goes_on = not any(w[:1].isdigit() for w in lower) and NEXT_ITEM.search(" ".join(words).split("(")[0])
            if words and (words[0][:1].isdigit() or (len(words) >= 3 and words[0][:1].isupper() and lower and not goes_on)):
                return pos
        pos = text.find("\n", pos + 1, end)
    return end


def list_items(flat: str, start: int, end: int, form: str, v: PlaceVocabulary) -> list[tuple[int, int, str]]:
    if form == "bullets":
        return [(start + i.start(), start + i.end(), i.group(1).strip()) for i in re.finditer(r"•\s*([^•]+)", flat[start:end])]
    return _merge_split_names(flat, list(_split_items(flat[start:end], start)), v)


def _merge_split_names(flat: str, items: list[tuple[int, int, str]], v: PlaceVocabulary) -> list[tuple[int, int, str]]:
    """Items the comma split that form one official name together (`CC des Albères,
    de la Côte Vermeille et de l'Illibéris`): joined when the gazetteer knows the
    whole and not its first piece."""
    gaz = v.gazetteer
    out, i = [], 0
    while i < len(items):
        s, e, text = items[i]
        step = 1
        if gaz.resolve(_strip_kind_prefix(text, v)[0]).status == "unknown":
            for k in range(min(len(items) - 1, i + 3), i, -1):
                whole = flat[s:items[k][1]]
                if gaz.resolve(whole).status != "unknown":
                    s, e, text, step = s, items[k][1], whole, k - i + 1
                    break
        elif i + 1 < len(items) and AND_RE.fullmatch(flat, e, items[i + 1][0]):
            # `Castets et Castillon`: one commune whose name holds `et`, not two names
            whole = flat[s:items[i + 1][1]]
            res = gaz.resolve(whole, kinds=["commune"])
            if res.status != "unknown" and not res.weak:
                e, text, step = items[i + 1][1], whole, 2
        out.append((s, e, text))
        i += step
    return out


AND_RE = re.compile(r"\s+et\s+")


@dataclass
class PlaceScan:
    """What the detectors see: the text, its flattened form, the measures (lists are
    announced by counts), table cells and headings, and the département once known."""

    text: str
    flat: str
    measures: list[Measure]
    table_cells: Sequence[tuple[int, int]]
    headings: Sequence[tuple[int, int]]
    v: PlaceVocabulary
    department_code: Optional[str] = None


def listed_places(scan: PlaceScan) -> Iterable[_Mention]:
    """Items of lists announced by a count of territories (`3 communes : A, B et C`)."""
    v, flat = scan.v, scan.flat
    for measure, start, end, form in list_segments(flat, scan.measures, scan.text, v):
        if form != "inline":
            continue
        # a list written without a full stop ends where a heading starts (`… Pinsac et
        # Thégra` / `Territoires d'industrie`)
        end = min([hs for hs, _ in scan.headings if start < hs < end] + [end])
        for mention in _listed_places(flat, measure, start, end, form, v):
            mention.group, mention.group_object = start, measure.object
            yield mention


def _listed_places(flat: str, measure: Measure, start: int, end: int, form: str, v: PlaceVocabulary) -> Iterable[_Mention]:
    """The items of one list that name places."""
    gaz = v.gazetteer
    territorial = _is_territorial(measure.object, v)
    for s, e, item in list_items(flat, start, end, form, v):
        name, hint, offset = _strip_kind_prefix(item, v)
        if not name[:1].isupper():
            # `le maire`: a common noun, not the commune Mairé; but `les Mureaux` is Les Mureaux
            # (`la Vienne`, a territory, is left to the territory rules)
            if not re.match(r"(?:les|le|la|l')\s?\p{Lu}", name) or any(
                    c.kind != "commune" for c in gaz.lookup(name)) or not gaz.lookup(name):
                continue
        named = _named_kind(name, v)  # the gazetteer first: `Pays de la Loire` is a région, not a pays
        res = gaz.resolve(name)
        if res.status != "unknown" and res.weak and not hint and _is_named_territory(measure.object, v):
            # `2 CRTE : Pays Ajaccien ; …`: a territory named like an intercommunality
            yield _Mention(s, e, name, named or "other", "list", named or "other")
        elif res.status != "unknown":
            yield _Mention(s + offset, e, name, "", "list", hint)
        elif named:
            yield _Mention(s, e, name, named, "list", named)
        elif territorial and _looks_like_name(name) and len(name.split()) <= 8:
            yield _Mention(s, e, name, "other", "list", "other")


def territories(scan: PlaceScan) -> Iterable[_Mention]:
    """Département and région names after an article or a cue (`dans le Lot`)."""
    for s, e, name, kind in _territory_mentions(scan.flat, scan.v, scan.text):
        yield _Mention(s, e, name, kind, "rule", kind)


def intercommunalities(scan: PlaceScan) -> Iterable[_Mention]:
    """Intercommunalities by their legal form (`CA du Grand Cahors`, `Toulouse Métropole`,
    `Pré-Bocage Intercom`), in plural lists, and by the acronym a text gives them
    (`… de la Baie de Somme (CABS)`, then `la CABS`)."""
    flat, gaz = scan.flat, scan.v.gazetteer
    acronyms: dict[str, object] = {}
    found = list(_epci_mentions(flat, scan.text, scan.v)) + list(_plural_epcis(flat, scan.v))
    found += list(_same_form_after(flat, found, scan.v))
    for s, e, name, entry in found:
        yield _Mention(s, e, name, "epci", "rule", "epci", entry=entry)
        after = EPCI_ACRONYM_AFTER_RE.match(flat, e)
        if after:
            acronyms[after.group("acronym")] = entry or gaz.resolve(name, kinds=["epci"]).entry
    taken = [(s, e) for s, e, _, _ in found]
    for acronym, entry in acronyms.items():
        if entry is None:
            continue
        for m in re.finditer(rf"(?<![\p{{L}}(]){re.escape(acronym)}(?![\p{{L}})])", flat):
            if not any(a <= m.start() < b for a, b in taken):
                yield _Mention(m.start(), m.end(), acronym, "epci", "rule", "epci", entry=entry)


def coded_names(scan: PlaceScan) -> Iterable[_Mention]:
    """Names followed by a département code: `Saint-Pierre (972)`."""
    for s, e, name, entry in _coded_mentions(scan.flat, scan.v):
        yield _Mention(s, e, name, "", "rule", entry.kind, entry.department_code)


def communes_after_a(scan: PlaceScan) -> Iterable[_Mention]:
    """`à <Commune>` (and the communes listed after it: `à Dole, Lons-le-Saunier ou
    Besançon`), and `au Mans`, `aux Abymes` (à + le, à + les)."""
    flat, gaz = scan.flat, scan.v.gazetteer
    for m in re.finditer(rf"(?<=\bà )({CAP_NAME})", flat):
        name = _commune_before_link(m.group(1), gaz, scan.text[m.start(1):m.end(1)])
        if name is None:
            continue
        yield _Mention(m.start(1), m.start(1) + len(name), name, "commune", "rule", "commune")
        pos = m.start(1) + len(name)
        while True:
            nxt = re.match(rf"(?:, | et | ou )({CAP_NAME})", flat[pos:pos + 80])
            if not nxt:
                break
            item = _commune_before_link(nxt.group(1), gaz, scan.text[pos + nxt.start(1):pos + nxt.end(1)])
            if item is None:
                break
            yield _Mention(pos + nxt.start(1), pos + nxt.start(1) + len(item), item, "commune", "rule", "commune")
            pos += nxt.start(1) + len(item)
    yield from _contracted_communes(scan, common_nouns=False)


def contracted_common_nouns(scan: PlaceScan) -> Iterable[_Mention]:
    """`au Bourg`, `au Pin`: communes named like a common noun, after `au`/`aux`, only
    in the document's département (so they wait until it is known)."""
    yield from _contracted_communes(scan, common_nouns=True)


def _contracted_communes(scan: PlaceScan, *, common_nouns: bool) -> Iterable[_Mention]:
    flat, gaz = scan.flat, scan.v.gazetteer
    for m in re.finditer(rf"(?<![\p{{L}}]){CONTRACTED}{CAP_NAME}", flat):
        written = _trim_name(m.group(0))
        name = uncontract(written)
        if ADJECTIVE_AFTER_RE.match(flat, m.start() + len(written)):
            continue  # `au Plan gouvernemental`: a noun and its adjective, not Le Plan
        if (fold(written.split(" ", 1)[-1]) in COMMON_NOUNS) != common_nouns:
            continue
        res = gaz.resolve(name, kinds=["commune"], department_code=scan.department_code)
        if res.status == "unknown" or (common_nouns and (res.entry is None or res.entry.department_code != scan.department_code)):
            continue
        yield _Mention(m.start(), m.start() + len(written), name, "commune", "rule", "commune")


LINK_RE = re.compile(r" (?:et|ou) (?=\p{Lu})")


def _commune_before_link(written: str, gaz, raw: str = "") -> Optional[str]:
    """The commune a capitalised run after `à` names: the whole run (`Castets et
    Castillon`), else the part before `et`/`ou` (`à Tergnier et La Bricothèque`), else
    the part before a line break (`à Saint-Céré` / `Conseillers numériques`)."""
    whole = _trim_name(written)
    line = _trim_name(written[:raw.index("\n")]) if "\n" in raw else ""
    for name in dict.fromkeys([whole, _trim_name(LINK_RE.split(whole, 1)[0]), line]):
        if name and gaz.resolve(name, kinds=["commune"]).status in ("resolved", "ambiguous"):
            return name
    return None


# `au Plan gouvernemental`, `au Port autonome`: a lower-case adjective after the noun
ADJECTIVE_AFTER_RE = re.compile(r" (?:\p{Ll}+(?:al|ale|aux|el|elle|ique|aire|if|ive|ien|ienne|ain|aine|é|ée|ant|ante))(?![\p{L}])")
# commune names that are also common nouns: after `au`/`aux` only in the document's département
COMMON_NOUNS = frozenset({"plan", "pays", "port", "pont", "bourg", "lac", "val", "mont", "moulin", "puy", "bois",
                          "chemin", "temple", "palais", "vernet", "village", "champ", "pin", "poet", "puits", "theil"})
ROLE_PLACE_RE = re.compile(
    rf"(?<![\p{{L}}])(?i:maire|maire-adjointe?|adjointe? au maire|sous-préf(?:et|ète)|conseill(?:er|ère) municipale?|"
    rf"député-maire|élue? municipale?|habitante?s?) (?P<of>de la |de l'|de l’|du |des |de |d'|d’)(?P<name>{CAP_NAME})"
)
ARRONDISSEMENT_RE = re.compile(rf"(?<![\p{{L}}])(?i:arrondissement) (?:de la |de l'|de l’|du |des |de |d'|d’)(?P<name>{CAP_NAME})")
COMMUNE_PREFIX_RE = re.compile(
    rf"(?<![\p{{L}}])(?i:(?:la|les|sa|leur|notre|cette) communes? |(?:la )?ville )(?P<of>de la |de l'|de l’|du |des |de |d'|d’)(?P<name>{CAP_NAME})"
)
HINTED_RE = re.compile(rf"(?<![\p{{L}}])(?P<name>{CAP_NAME}) \((?P<hint>[\p{{L}}][\p{{L}}'’\- ]{{2,40}})\)")
STREET_BEFORE_RE = re.compile(
    r"(?i:\b(?:rue|avenue|av\.|boulevard|bd|place|route|chemin|allée|quai|impasse|square|cours|esplanade|rond-point|"
    r"parvis|lycée|collège|école|gare|zone|ZA|ZI|ZAC|station-service))\s+(?:de la |de l'|de l’|du |des |de |d'|d’)?$"
)


def arrondissements(scan: PlaceScan) -> Iterable[_Mention]:
    """`l'arrondissement de Foix`, `sous-préfet de l'arrondissement de Prades`: a
    territory of its own (no code), not the commune that names it."""
    gaz = scan.v.gazetteer
    for m in ARRONDISSEMENT_RE.finditer(scan.flat):
        words = _trim_name(m.group("name")).split(" ")
        for n in range(len(words), 0, -1):  # `arrondissement de Béthune et Wimille…`: the longest commune
            name = _trim_name(" ".join(words[:n]))
            res = gaz.resolve(name, kinds=["commune"], department_code=scan.department_code)
            entry = res.entry or (res.candidates[0] if res.candidates else None)
            if entry is not None:
                break
        if entry is None:
            continue
        of = entry.of_name if res.entry is not None else f"de {name}"
        yield _Mention(m.start(), m.start("name") + len(name), f"Arrondissement {of}", "other", "rule", "other")


def role_places(scan: PlaceScan) -> Iterable[_Mention]:
    """The commune of a local role or of its people: `maire de Cambrai`, `sous-préfet de
    Lille`, `conseillère municipale d'Albi`, anywhere in France."""
    gaz = scan.v.gazetteer
    for rx in (ROLE_PLACE_RE, COMMUNE_PREFIX_RE):
        for m in rx.finditer(scan.flat, overlapped=True):  # `la ville du Robert et la commune du François`
            written = _trim_name(m.group("name"))
            if not written:
                continue
            # `maire du Lamentin` is of Le Lamentin, even where another commune is Lamentin
            for name in (with_article(m.group("of"), written), written):
                if gaz.resolve(name, kinds=["commune"], department_code=scan.department_code).status != "unknown":
                    yield _Mention(m.start("name"), m.start("name") + len(written), name, "commune", "rule", "commune")
                    break


def with_article(of: str, name: str) -> str:
    """The name a contracted `du`/`des` stands before: `du Lamentin` is of Le Lamentin,
    `des Abymes` of Les Abymes; any other preposition leaves the name as written."""
    article = {"du": "Le ", "des": "Les "}.get(of.strip().lower())
    return article + name if article and not name.startswith(("Le ", "La ", "Les ", "L'")) else name


def hinted_communes(scan: PlaceScan) -> Iterable[_Mention]:
    """`Caussade (Tarn-et-Garonne)`: a commune followed by its département's name."""
    gaz = scan.v.gazetteer
    for m in HINTED_RE.finditer(scan.flat):
        dep = gaz.resolve(m.group("hint"), kinds=["departement"]).entry
        if dep is None:
            continue
        words = m.group("name").split(" ")
        for k in range(len(words)):
            name = " ".join(words[k:])
            res = gaz.resolve(name, kinds=["commune"], department_code=dep.code)
            if name[:1].isupper() and res.entry is not None and res.entry.department_code == dep.code:
                yield _Mention(m.end("name") - len(name), m.end("name"), name, "commune", "rule", "commune", dep.code)
                break


# `- Charente : Angoulême et Cognac,`, `Corrèze : Brive et Tulle`: an item headed by a
# département's name and a colon, then the names of its communes
DEPARTMENT_ITEM_RE = re.compile(rf"(?m)^[ \t]*(?:[•\-–—*][ \t]*)?(?P<dep>{CAP_NAME}) ?: ?(?P<items>[^\n:]{{2,300}})$")


def departement_items(scan: PlaceScan) -> Iterable[_Mention]:
    """Communes listed after their département and a colon, each resolved in it
    (`Brive` is Brive-la-Gaillarde there); the département's name is a mention too."""
    gaz = scan.v.gazetteer
    for m in DEPARTMENT_ITEM_RE.finditer(scan.text):
        dep = gaz.resolve(m.group("dep"), kinds=["departement"]).entry
        if dep is None:
            continue
        items, others = [], 0
        for s, e, item in _split_items(m.group("items").rstrip(" ,.;"), m.start("items")):
            entry = gaz.resolve(item, kinds=["commune"], department_code=dep.code).entry if item[:1].isupper() else None
            if entry is None or entry.department_code != dep.code:
                entry = gaz.short_form(item, dep.code, min_words=1) if item[:1].isupper() else None
            if entry is None:
                others += 1
                continue
            items.append(_Mention(s, e, item, "commune", "rule", "commune", dep.code, entry=entry))
        if items and others <= len(items):  # mostly its communes: a list of them
            yield _Mention(m.start("dep"), m.end("dep"), m.group("dep"), "departement", "rule", "departement",
                           entry=dep)
            yield from items


def on_a_street(flat: str, start: int) -> bool:
    """The name stands in a street's or a building's name (`rue de La Fère`); a street
    is `de` its name, so `Le Quai au Bourg` is a place called Le Quai at Le Bourg."""
    if CONTRACTED_AT_RE.match(flat, start):
        return False
    return STREET_BEFORE_RE.search(flat, max(0, start - 30), start) is not None


CONTRACTED_AT_RE = re.compile(r"(?i:aux?) ")


def table_cells(scan: PlaceScan) -> Iterable[_Mention]:
    """The first cell of table rows (project holders)."""
    v, gaz = scan.v, scan.v.gazetteer
    for s, e in scan.table_cells:
        cell = scan.flat[s:e].strip()
        name, hint, offset = _strip_kind_prefix(cell, v)
        if gaz.resolve(name).status != "unknown":
            yield _Mention(s + offset, e, name, "", "table", hint)
        elif _named_kind(name, v):
            yield _Mention(s + offset, e, name, _named_kind(name, v), "table", _named_kind(name, v))


def row_openers(scan: PlaceScan) -> Iterable[_Mention]:
    """Text input: a flattened table row opens with its holder (`Cahors Revitalisation…`)."""
    if scan.table_cells:
        return
    for s, e, name in _row_openers(scan.text, scan.department_code, scan.headings, scan.v):
        named = _named_kind(name, scan.v)
        yield _Mention(s, e, name, named or "", "table", named)


def epci_aliases(scan: PlaceScan) -> Iterable[_Mention]:
    """An intercommunality of the document's département by the name its official name
    gives in brackets or quotes (`entre Cap Atlantique et l'État`, `la CAPI`), written
    as it is there (an acronym in capitals)."""
    if not scan.department_code:
        return
    aliases = scan.v.gazetteer.epci_aliases(scan.department_code)
    if not aliases:
        return
    alt = "|".join(re.escape(a) for a in sorted(aliases, key=len, reverse=True))
    for m in re.finditer(rf"(?<![\p{{L}}\d]){alt}(?![\p{{L}}\d])", scan.flat):
        # inside brackets after the full name, the intercommunality is already named
        if scan.flat[m.start() - 1:m.start()] in ("(", "«", '"') or scan.flat[m.start() - 2:m.start()] == "« ":
            continue
        yield _Mention(m.start(), m.end(), m.group(0), "epci", "rule", "epci", entry=aliases[m.group(0)])


# detectors that need no département; `named_territories` runs after them (it leaves
# out what they found), then those that look within the document's département
LAYOUT_DETECTORS = (listed_places, territories, intercommunalities, coded_names, arrondissements, hinted_communes)
LOCAL_DETECTORS = (communes_after_a, role_places, table_cells, departement_items)
DEPARTMENT_DETECTORS = (row_openers, contracted_common_nouns, epci_aliases)


def named_territories(scan: PlaceScan, taken: Sequence[tuple[int, int]]) -> Iterable[_Mention]:
    """Territories named after a commune that the gazetteer does not know (`Pays de
    Saint-Quentin`, `Val Sonnette Agglo`), outside the `taken` spans."""
    for s, e, name in _named_territories(scan.flat, taken, scan.v):
        yield _Mention(s, e, name, "other", "rule", "other")


def running_text_communes(scan: PlaceScan, taken: Sequence[tuple[int, int]], ner) -> Iterable[_Mention]:
    """Communes of the document's département named in running text, unless the NER
    reads the words as a person, an organisation or a programme."""
    if not scan.department_code:
        return
    for s, e, name in _running_text_communes(scan.flat, scan.department_code, ner, taken, scan.v):
        yield _Mention(s, e, name, "commune", "ner", "commune")


ROW_OPENER_RE = re.compile(rf"(?m)^(?P<name>{CAP_NAME})(?= \p{{Lu}}| *$)")


def _row_openers(text: str, department_code: Optional[str], headings: Sequence[tuple[int, int]], v: PlaceVocabulary) -> Iterable[tuple[int, int, str]]:
    """Lines of a text table's rows that start with a place of the document's
    département (or its région) followed by another cell: on the same line after a
    space, or on the next line (a cell wrapped over lines). A heading (`Montagne`)
    is not a row."""
    if not department_code:
        return
    gaz = v.gazetteer
    dep = gaz.department(department_code)
    for m in ROW_OPENER_RE.finditer(text):
        if any(hs <= m.start() < he for hs, he in headings):
            continue
        previous = text[text.rfind("\n", 0, max(0, m.start() - 1)) + 1:m.start()]
        if previous.count("(") > previous.count(")"):
            continue  # the line goes on a bracket opened above: inside a cell
        words = m.group("name").split(" ")
        for n in range(min(len(words), 5), 0, -1):
            name = " ".join(words[:n])
            res = gaz.resolve(name, department_code=department_code)
            e = res.entry
            if e is None and _named_kind(name, v) == "petr" and n >= 2:
                yield m.start(), m.start() + len(name), name
                break
            if e and ((e.kind == "commune" and e.department_code == department_code)
                      or (e.kind == "region" and dep and dep.region_code == e.code)):
                line_end = text.find("\n", m.start())
                line_end = len(text) if line_end < 0 else line_end
                alone = not text[m.start() + len(name):line_end].strip()
                if not alone or text[line_end + 1:line_end + 2] not in ("\n", ""):
                    yield m.start(), m.start() + len(name), name
                break


# the ruler's labels are reliable vetoes; the statistical model often reads a
# commune as a person (`Gourdon`) or an organisation (`sous-préfet d'Ytrac`), so its
# PER and ORG veto only a longer name (`Jean Martel`, `Gourdon Industries`)
VETO_LABELS = {"KNOWN_ORG", "PROGRAMME"}
MODEL_VETO_LABELS = {"PER", "ORG"}


# a name whose parts a spaced dash joins (`Saint-Paterne - Le Chevain`); each window of
# its words is tried, so `Cahors – Rocamadour` still gives two names
DASHED_NAME = rf"{CAP_NAME}(?: [-–] {CAP_NAME})*"
DASHES = (" -", " –", "-", "–")
ELISION_RE = re.compile(r"[DL]['’](?=\p{Lu})")


def _running_text_communes(flat: str, department_code: str, ner, taken, v: PlaceVocabulary) -> Iterable[tuple[int, int, str]]:
    """Capitalised words that name a commune of the département (outside the `taken`
    spans other rules found); the NER runs only on the sentences that hold one."""
    gaz = v.gazetteer
    first_words = gaz.commune_first_words(department_code)
    candidates = []
    for m in re.finditer(DASHED_NAME, flat):
        words = m.group(0).split(" ")
        offsets = [m.start() + sum(len(w) + 1 for w in words[:k]) for k in range(len(words))]
        i = 0
        while i < len(words):
            step = 1
            first, shift = words[i], 0
            elided = ELISION_RE.match(first)
            if elided and gazetteer_fold(first).split(" ")[0] not in first_words:
                # `ESPACE FRANCE SERVICES D'OSSELLE-ROUTELLE`: the elided `de` is no part of the name
                first, shift = first[elided.end():], elided.end()
            if first[:1].isupper() and gazetteer_fold(first).split(" ")[0] in first_words:
                for n in range(min(len(words) - i, 7), 0, -1):
                    name = _trim_name(" ".join([first] + words[i + 1:i + n]))
                    if not name or name.endswith(DASHES):
                        continue
                    res = gaz.resolve(name, kinds=["commune"], department_code=department_code)
                    if res.entry is not None and res.entry.department_code == department_code:
                        s, e = offsets[i] + shift, offsets[i] + shift + len(name)
                        if not any(ts < e and s < te for ts, te in taken):
                            candidates.append((s, e, name))
                        step = n
                        break
            i += step
    if not candidates:
        return
    windows = [_sentence_span(flat, s) for s, _, _ in candidates]
    unique = list(dict.fromkeys(windows))
    found_in = dict(zip(unique, ner([flat[a:b] for a, b in unique]) if ner else [[] for _ in unique]))
    for (s, e, name), window in zip(candidates, windows):
        a, found = window[0], found_in[window]
        vetoed = False
        # an item's head (`• Nohanent – rénovation de la mairie`) is no part of a name
        # the model reads across the separator
        heads_item = ITEM_HEAD_END.match(flat, e) is not None
        for es, ee, label, _ in found:
            es, ee = es + a, ee + a
            if label in VETO_LABELS and es <= s and e <= ee:
                vetoed = True
            if (label in MODEL_VETO_LABELS and es <= s and e <= ee and (ee - es) > (e - s) + 1
                    and not heads_item):
                vetoed = True
        if not vetoed:
            yield s, e, name


ITEM_HEAD_END = re.compile(r" [–—-] | ?: ")


def _sentence_span(flat: str, pos: int) -> tuple[int, int]:
    """The sentence (or bullet item) around `pos`, at most 300 characters each side."""
    start = max(flat.rfind(". ", 0, pos) + 2, flat.rfind("\n\n", 0, pos) + 2, flat.rfind("•", 0, pos), pos - 300, 0)
    ends = [i for i in (flat.find(". ", pos), flat.find("\n\n", pos), flat.find(" •", pos)) if i >= 0]
    end = min(ends + [len(flat), pos + 300])
    return start, end


CONTRACTED = r"(?i:(aux?)) "  # à + le, à + les


def uncontract(text: str) -> str:
    """`Au Mans` is at Le Mans, `aux Abymes` at Les Abymes: the name with its article."""
    m = re.match(CONTRACTED, text)
    if not m:
        return text
    return ("Les " if m.group(1).lower() == "aux" else "Le ") + text[m.end():]


def _looks_like_name(text: str) -> bool:
    return bool(text) and text[0].isupper() and not re.search(r"\d", text)


def _trim_name(name: str) -> str:
    """Drop trailing particles a greedy name pattern took: `Agen et` -> `Agen`."""
    words = name.split(" ")
    while words and words[-1].lower() in NAME_PARTICLES:
        words.pop()
    return " ".join(words)


def _territory_patterns(cues: dict, gaz) -> tuple[tuple[str, "re.Pattern", "re.Pattern", frozenset[str]], ...]:
    """Per territory level: a regex for its names (as written or in capitals), one for
    what may stand right before a name (an article cue: `dans le Lot`, `EN
    HAUTE-GARONNE`; for départements a prefect's title: `préfète de Paris`, `PRÉFET DE
    L'AIN`), and the compound names that are no common words (`Pays de la Loire`,
    `Haute-Saône`) and count alone."""
    cues_alone = cues.get("names_alone", [])
    cues = sorted({c.replace("’", "'") for c in cues["article_cues"]}, key=len, reverse=True)
    cue_re = "|".join(re.escape(c) for c in cues)
    alone = {n for name in cues_alone for n in (name, name.upper())}
    out = []
    for kind in ("departement", "region"):
        names = {n for n, _ in gaz.names(kinds=[kind])}
        names |= {n.replace("-", " ") for n in names if "-" in n}  # `Pas de Calais`, `Hauts de France`
        names |= {_unaccented_initial(n) for n in names}  # `Ile-de-France`, `Eure` written without its accent
        written = sorted(names | {n.upper() for n in names}, key=len, reverse=True)
        # a space or a hyphen between the words, whichever (`Alpes de Haute-Provence`)
        alt = "|".join(dict.fromkeys(re.sub(r"\\[ \-]", r"[ \\-‐]", re.escape(n)) for n in written))
        prefect = r"(?i:préfet|préfète|préfecture)\s(?i:de la |de l'|du |des |de |d')|" if kind == "departement" else ""
        out.append((
            kind,
            re.compile(rf"(?<![\p{{L}}\-])(?:{alt})(?![\p{{L}}\-])"),
            re.compile(rf"(?<![\p{{L}}])(?:{prefect}(?i:{cue_re})\s?)$"),
            frozenset(n.replace("-", " ") for n in written if re.search(r"[ \-]", n) or n in alone),
        ))
    return tuple(out)


def _unaccented_initial(name: str) -> str:
    return {"Î": "I", "É": "E", "È": "E"}.get(name[:1], name[:1]) + name[1:]


AT_BEFORE_RE = re.compile(r"(?<![\p{L}])à\s$")
COORDINATION_RE = re.compile(r"(?:,| et| ou) $")


def _territory_mentions(flat: str, v: PlaceVocabulary, text: Optional[str] = None) -> Iterable[tuple[int, int, str, str]]:
    """Département and région mentions. A name that is both (`Martinique`, `La
    Réunion`) is the région after `région`, else the département."""
    found: dict[tuple[int, int], tuple[str, str, str]] = {}
    uncued: list[tuple[str, "re.Match"]] = []
    for kind, names_re, cue_before_re, compound in v.territories:
        for m in names_re.finditer(flat):
            before = cue_before_re.search(flat, max(0, m.start() - 40), m.start())
            cue = before.group(0).strip().lower() if before else ""
            if before is None and re.sub(r"[\-‐]", " ", m.group(0)) not in compound:
                if AT_BEFORE_RE.search(flat, max(0, m.start() - 3), m.start()) \
                        and v.gazetteer.resolve(m.group(0), kinds=["commune"]).status == "unknown":
                    cue = "à"  # `dont 43 à Mayotte`: an island, no commune of that name
                else:
                    uncued.append((kind, m))
                    continue
            # `syndicat mixte Lot Numérique`: a name followed by a capitalised word is another
            # name, but not after a prefect's title (`le préfet des Vosges Pierre Ory`) nor
            # a name in capitals before a sentence (`DANS LE PAS-DE-CALAIS Piloté par…`)
            nxt = re.match(r" (\p{Lu}\p{Ll}+)", flat[m.end():m.end() + 40])
            if nxt and cue and text is not None and text[m.end():m.end() + 1] == "\n":
                nxt = None  # the line ends with the name (`… en Meurthe-et-Moselle` / `Allamps, …`)
            if nxt and (kind == "departement" or not cue) and not cue.startswith(("département", "région", "préfet", "préfète")) \
                    and not m.group(0).isupper():
                if nxt.group(1) not in ("Et", "En"):
                    continue
            if m.group(0) == "Nord" and cue == "du" and PART_OF_NAME_RE.search(flat, max(0, m.start() - 40), m.start()):
                continue  # `l'Alsace du Nord`, `Pays du Nord`: a direction inside a longer name
            span = (m.start(), m.end())
            if span not in found or (kind == "region" and "région" in cue):
                found[span] = (m.group(0), kind, cue)
    # `partagé avec l'Essonne et Paris`, `la Corrèze, Creuse`: a name joined to a
    # territory of its level by `et`, `ou` or a comma is one too
    ends = {end: kind for (_, end), (_, kind, _) in found.items()}
    for kind, m in sorted(uncued, key=lambda km: km[1].start()):
        joined = COORDINATION_RE.search(flat, max(0, m.start() - 6), m.start())
        if joined and ends.get(joined.start()) == kind and (m.start(), m.end()) not in found \
                and not re.match(r" \p{Lu}\p{Ll}", flat[m.end():m.end() + 3]):
            found[(m.start(), m.end())] = (m.group(0), kind, joined.group(0).strip())
            ends[m.end()] = kind
    for (start, end), (name, kind, _) in sorted(found.items()):
        yield start, end, name, kind


# a capitalised word right before `du Nord`: a direction inside a longer name (`Alsace du
# Nord`), unless the word is a title or a cue (`Préfet du Nord`)
PART_OF_NAME_RE = re.compile(r"(?<![\p{L}])(?!(?i:préfet|préfète|préfecture|département|région|conseil|président|"
                             r"présidente|Sénateur|Sénatrice|Député|Députée|Dans|Pour|Hors)\b)\p{Lu}\p{Ll}+ (?:du|de la|des) $")


# an intercommunality: a legal form then its name (`CA du Grand Cahors`, `la communauté
# de communes du Briançonnais`; a column break may fall between them), or a name then
# its form (`Toulouse Métropole`, `Le Muretain Agglo`, `Morlaix Communauté`)
EPCI_RE = re.compile(
    r"(?<![\p{L}])(?:CA|CC|CU|CdC|CDC|(?i:(?:euro)?métropole)(?: \p{Ll}+(?= d))?"  # `Métropole européenne de Lille`
    r"|(?i:communauté d'agglomération|communauté de communes|communauté urbaine|communauté|agglomération))"
    r"(?: \((?:CDC|CdC|CC|CA)\))?(?: (?:du|de la|de l'|des|de|d'))?(?: |\n\n)?[«\"“]? ?" + CAP_NAME
    + r"|(?<![\p{L}])(?:(?:Le|La|Les) )?\p{Lu}[\p{L}'\-]+(?: (?:(?:à|de|du|des|la|le|les|l'|d'|et|sur|en) )?\p{Lu}[\p{L}'\-]+)*"
    r" (?:Agglomération|Agglo|Métropole|métropole|Communauté|Intercom)(?![\p{L}])"
)
# `les communautés de communes des Coëvrons, de l'Ernée et du Pays de Craon`: one each
EPCI_PLURAL_RE = re.compile(r"(?i:communautés de communes|communautés d'agglomération)\s+")
# `CA de Concarneau`: the legal form and a commune that is the seat of an intercommunality
LEGAL_FORMS = {"cc": "CC", "communaute de communes": "CC", "ca": "CA", "communaute d agglomeration": "CA",
               "cu": "CU", "communaute urbaine": "CU", "metropole": "METRO", "cdc": "CC"}
PLURAL_ITEM_RE = re.compile(r"(?:(?!,\s| et (?:celles? )?(?:de la |de l'|du |des |de |d')?\p{Lu}).)+")
EPCI_ACRONYM_AFTER_RE = re.compile(r"\s*\((?P<acronym>\p{Lu}[\p{Lu}\p{Ll}]{2,9})\)")


EPCI_TAIL_RE = re.compile(r"[^\n.;:]{0,160}")


def _epci_mentions(flat: str, text: str, v: PlaceVocabulary) -> Iterable[tuple[int, int, str, Optional[object]]]:
    """Intercommunalities: from the legal form, the longest run of words (commas,
    dashes, quotes and a bracketed acronym included: `CA Beaune, Côte et Sud -
    Communauté Beaune-Chagny-Nolay`, `Communauté de communes (CDC) des "Sources de
    l'Orne"`) that names one in the gazetteer, so `CA Mont-Saint-Michel-Normandie et la
    CC Côte Ouest…` is two; `CA de Concarneau` is the CA whose commune Concarneau is;
    a `CA`/`CC`/`CU` name the gazetteer does not know stops at the end of its line.
    (start, end, name as written, entry when the detector resolved it)."""
    pos = 0
    while True:
        m = EPCI_RE.search(flat, pos)
        if not m:
            return
        found = _longest_epci(flat, m.start(), max(m.end(), EPCI_TAIL_RE.match(flat, m.start()).end()), v)
        if found is None:
            words = _trim_name(m.group(0)).split(" ")
            if words[0] in ("CA", "CC", "CU") and len(words) > 1:
                line_end = text.find("\n", m.start(), m.start() + len(" ".join(words)))
                name = _trim_name(text[m.start():line_end] if line_end > 0 else " ".join(words))
                found = (name, None) if len(name.split(" ")) > 1 else None
        if found:
            name, entry = found
            start = m.start()
            article = LEADING_ARTICLE_RE.match(name)
            if article and re.match(r"(?i:communauté|métropole|agglomération)", name[article.end():]):
                start, name = start + article.end(), name[article.end():]  # `La Communauté de communes …`
            yield start, start + len(name), name, entry
            pos = start + len(name)
        else:
            # a run that names nothing may hold one further on (`La Communauté de la X`,
            # `Président de X Intercom`): look again from its next word
            nxt = re.search(r"(?<![\p{L}])\p{Lu}", flat[m.start() + 1:m.end()])
            pos = m.start() + 1 + nxt.start() if nxt else m.end()
    # plural lists are read by `_plural_epcis`


def _plural_epcis(flat: str, v: PlaceVocabulary) -> Iterable[tuple[int, int, str, Optional[object]]]:
    """`les communautés de communes des Coëvrons, de l'Ernée, du Mont des Avaloirs et du
    Pays de Craon`: each item is an intercommunality of that legal form."""
    for m in EPCI_PLURAL_RE.finditer(flat):
        form = "CC" if "communes" in m.group(0).lower() else "CA"
        end = _block_end(flat, m.end())
        stop = re.compile(r"[.;:]|\s(?:qui|ont|sont|a|se|pour|avec)\s").search(flat, m.end(), end)
        end = stop.start() if stop else min(end, m.end() + 300)
        for item_m in PLURAL_ITEM_RE.finditer(flat, m.end(), end):
            item, e = item_m.group(0).strip(), item_m.end()
            if not item:
                continue
            item = re.sub(r"^(?:,\s*)?(?:et |ou )?(?:celle |celles )?(?:de la |de l'|du |des |de |d')?", "", item)
            words = item.split(" ")
            for n in range(len(words), 0, -1):  # `… du Haut Pays Bigouden suivront`: the longest name
                name = " ".join(words[:n])
                res = v.gazetteer.resolve(f"{form} {name}", kinds=["epci"])
                if res.entry is None:
                    res = v.gazetteer.resolve(name, kinds=["epci"])
                if res.entry is not None:
                    start = e - len(item)
                    yield start, start + len(name), name, res.entry
                    break


LEADING_ARTICLE_RE = re.compile(r"(?:Le|La|Les) ")
COMMA_LOWER_RE = re.compile(r",\s*(?:(?!(?:de|du|des|la|le|les|et|sur|en)\s|[dl]['’])\p{Ll}|(?:CA|CC|CU|CdC|CDC|(?i:communauté|métropole|agglomération))(?![\p{L}]))")


SAME_FORM_AFTER_RE = re.compile(
    rf"(?:\s*\([^()]{{0,40}}\))?(?:,| et| ou)+(?: encore)? celle (?:de la |de l'|du |des |de |d')(?P<name>{CAP_NAME})")


def _same_form_after(flat: str, found: list, v: PlaceVocabulary) -> Iterable[tuple[int, int, str, Optional[object]]]:
    """`la communauté de communes du Haut Pays Bigouden (…), celle de Fouesnant`: an
    intercommunality of the same legal form, by its name or by its seat."""
    gaz = v.gazetteer
    queue = [(e, entry or gaz.resolve(name, kinds=["epci"]).entry) for _, e, name, entry in found]
    while queue:
        end, previous = queue.pop()
        m = SAME_FORM_AFTER_RE.match(flat, end)
        if previous is None or not m:
            continue
        form = {"CC": "CC", "CA": "CA", "CU": "CU"}.get(previous.epci_type or "", "CC")
        words = _trim_name(m.group("name")).split(" ")
        for n in range(len(words), 0, -1):
            name = " ".join(words[:n])
            res = gaz.resolve(f"{form} {name}", kinds=["epci"])
            entry = res.entry or _epci_of_seat(f"{form} de {name}", gaz)
            if entry is not None:
                yield m.start("name"), m.start("name") + len(name), name, entry
                queue.append((m.start("name") + len(name), entry))
                break


def _longest_epci(flat: str, start: int, end: int, v: PlaceVocabulary) -> Optional[tuple[str, Optional[object]]]:
    """The longest run of whole words from `start` (before `end`) that the gazetteer
    knows as an intercommunality, with the entry when it had to be found another way
    than by the name (`CA de Concarneau`)."""
    gaz = v.gazetteer
    # a name goes on past a comma with a capital or a particle (`CA Beaune, Côte et Sud`,
    # `CC des Albères, de la Côte Vermeille…`), not into the next item of a list (`CC de
    # la Veyle, communauté de communes …`, `…, CC X`)
    comma = COMMA_LOWER_RE.search(flat, start, end)
    end = comma.start() if comma else end
    # a word ends at a space or at a comma glued to the next word (`Sud Nivernais,et …`)
    cuts = [t.end() for t in re.finditer(r"[^\s,]+", flat[start:end])][:24]
    for cut in reversed(cuts):
        candidate = _trim_name(flat[start:start + cut].rstrip(",;:.- ")).rstrip(",;:.- ")
        while candidate.endswith(")") and candidate.count(")") > candidate.count("("):
            candidate = candidate[:-1].rstrip(",;:.- ")  # `(pour la CC du Perche)`: the bracket closes outside
        if not candidate:
            continue
        if gaz.resolve(candidate, kinds=["epci"]).status != "unknown":
            return candidate, None
        cleaned = _clean_epci_name(candidate)
        if cleaned != candidate and cleaned:
            res = gaz.resolve(cleaned, kinds=["epci"])
            if res.entry is not None:
                return candidate, res.entry
        seat = _epci_of_seat(candidate, gaz)
        if seat is not None:
            return candidate, seat
    return None


EPCI_FORM_RE = re.compile(r"^(?P<form>CC|CA|CU|CdC|CDC|(?i:communauté de communes|communauté d'agglomération|communauté urbaine|métropole))"
                          r"\s+(?:de la |de l'|du |des |de |d')(?P<rest>.+)$")


def _clean_epci_name(name: str) -> str:
    """Without a bracketed legal form or quotes, `Communauté de la X` as `CC X` and `X`,
    `Agglomération X` as `CA X`, `X Intercom` kept."""
    name = re.sub(r"\s*\((?:CDC|CdC|CC|CA)\)", "", name)
    name = re.sub(r"[«»\"“”]", "", name)
    name = re.sub(r"^(?i:CDC|CdC)\b", "CC", name)
    name = re.sub(r"^(?i:communauté)(?= (?:de la|de l'|du|des|de|d') )(?! (?i:de communes|d'agglomération) )", "", name).strip()
    name = re.sub(r"^(?:de la |de l'|du |des |de |d')", "", name)
    name = re.sub(r"^(?i:agglomération) ", "CA ", name)
    return " ".join(name.split())


def _epci_of_seat(name: str, gaz) -> Optional[object]:
    """`Communauté d'agglomération de Concarneau`, `CC de Fouesnant`: the intercommunality
    of that legal form to which the commune belongs."""
    m = EPCI_FORM_RE.match(name)
    if not m:
        return None
    form = LEGAL_FORMS.get(fold(m.group("form")))
    res = gaz.resolve(m.group("rest"), kinds=["commune"])
    commune = res.entry
    if commune is None or not commune.epci_code:
        return None
    epci = gaz.epci(commune.epci_code)
    return epci if epci is not None and (form is None or epci.epci_type == form) else None


NAMED_TERRITORY_RE = re.compile(
    rf"(?<![\p{{L}}])(?:(?:Pays|PAYS) (?i:de la |de l'|du |des |de |d')?|(?:Grand|GRAND) )(?P<inner>{CAP_NAME})"
    rf"|(?<![\p{{L}}])(?P<inner>{CAP_NAME}) (?:Agglo|Agglomération|AGGLO|AGGLOMÉRATION)(?![\p{{L}}])"
)


def _named_territories(flat: str, taken: Sequence[tuple[int, int]], v: PlaceVocabulary) -> Iterable[tuple[int, int, str]]:
    """Territories named after a commune that are not in the gazetteer (`le CRTE du
    Pays de Saint-Quentin`, `Grand Mansigné`, `Val Sonnette Agglo`): one place of
    kind `other`, not the commune inside it."""
    gaz = v.gazetteer
    taken = list(taken)
    for m in NAMED_TERRITORY_RE.finditer(flat, overlapped=True):
        words = m.group("inner").split(" ")
        before = m.start("inner") > m.start()  # `Pays de X`, `Grand X`; else `X Agglo`
        runs = [words[:n] for n in range(len(words), 0, -1)] if before else [words[k:] for k in range(len(words))]
        commune = next((" ".join(r) for r in runs if gaz.resolve(" ".join(r), kinds=["commune"]).status != "unknown"), None)
        if commune is None:
            continue
        start = m.start() if before else m.start("inner") + len(m.group("inner")) - len(commune)
        end = m.start("inner") + len(commune) if before else m.end()
        name = flat[start:end]
        if any(a < end and start < b for a, b in taken) or gaz.resolve(name).status != "unknown":
            continue
        taken.append((start, end))
        yield start, end, name


CODED_RE = re.compile(rf"(?P<name>{CAP_NAME})\s+\((?P<code>\d{{2}}|2[AB]|97\d)\)")


def _coded_mentions(flat: str, v: PlaceVocabulary) -> Iterable[tuple[int, int, str, object]]:
    """`la commune de Saint-Pierre (972)`, `la CA de Grand Châtellerault (86)`, a
    fiche's title `Ain` / `(01)`: the longest tail of the name before a département
    code that names that département, or a commune or an intercommunality of it."""
    gaz = v.gazetteer
    for m in CODED_RE.finditer(flat):
        code = m.group("code")
        words = m.group("name").split(" ")
        for k in range(len(words)):
            name = " ".join(words[k:])
            if not name[:1].isupper():
                continue
            res = gaz.resolve(name, kinds=["departement"])
            if res.entry is None or res.entry.code != code:
                res = gaz.resolve(name, kinds=["commune", "epci"], department_code=code)
            if res.entry is not None and res.entry.department_code == code:
                start = m.end("name") - len(name)
                yield start, m.end("name"), name, res.entry
                break
