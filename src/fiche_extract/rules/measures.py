"""Measures: counts, euro amounts, percentages and other quantities, with object, total and scope.

Works on the normalised text with single line breaks read as spaces (same
offsets), so a figure split across lines is read whole; blank lines end a
block and a figure never reaches across one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional

from .. import rx as re

from ..models import Measure, NormalisedText
from ..document import flatten
from ..stages import stage
from .dates import MONTH_ALT

# a number as French administrative writing prints it: 16 042 963 | 2,7 | 1 036 | 0,5
# glued to a figure, a scale and a currency still end it: `5,1M€`, `24Md€`, `900 M d'€`
GLUED_UNIT = r"(?:[MmKk](?:ds?|rd)?\s?(?:€|d['’]€|d['’]euros?|EUR)|€)"
SCALE_AHEAD = r"(?=\s?(?:millions?|milliards?|M€|M\s€|Md€|Mds€|M\s?d['’]|milliers?)\b)"
NUMBER = (r"(?<![\p{L}\d.,/\-–°])(?P<int>\d{1,3}(?:SEP\d{3})+|\d{1,3}(?:\.\d{3})+(?![.,]\d)|\d+)"
          r"(?:,(?P<dec>\d+)|,\s(?P<sdec>\d{1,3})" + SCALE_AHEAD + r"|\.(?P<pdec>\d{1,3})" + SCALE_AHEAD + r")?"
          r"(?!(?!" + GLUED_UNIT + r")[\p{L}\d]|[.,/]\d|-\d)")
# digit groups are separated by narrow no-break spaces when the document uses them
# (then a plain space separates two numbers), else by plain spaces
NUMBER_RES = {True: re.compile(NUMBER.replace("SEP", "\u202f")), False: re.compile(NUMBER.replace("SEP", "[ \u202f]"))}
WORD_RE = re.compile(r"[\p{L}][\p{L}'’\-]*|\d+|[^\s\p{L}\d]")
DATE_RE = re.compile(
    rf"\b\d{{1,2}}(?:er)? (?:{MONTH_ALT})(?: \d{{4}})?(?![\p{{L}}])|\b\d{{1,2}}[/.\-]\d{{1,2}}[/.\-]\d{{2,4}}\b"
    rf"|\b(?:1er|premier|second|\d{{1}}e|\d{{1}}ème) (?:trimestre|semestre)(?: \d{{4}})?\b",
    re.IGNORECASE,
)
PHONE_RE = re.compile(r"(?<!\d)(?:\+33 ?|0)[1-9](?:[ .\-]?\d{2}){4}(?!\d)")
URL_RE = re.compile(r"(?:https?://|www\.)\S+|\b[\w\-]+(?:\.[\w\-]+)*\.(?:fr|com|org|net|eu|gouv|docx?|pdf|xlsx?)\b\S*")
CODE_IN_PARENS_RE = re.compile(r"\(\s*(?:\d{2,3}|2[AB])\s*\)")
# a footnote call (`[1]`) and the number of a list item at a line's start (`1-Qu'est-ce …`, `2. Le …`)
FOOTNOTE_RE = re.compile(r"\[\d{1,3}\]")
TIME_RE = re.compile(r"(?<![\d:])\d{1,2}:\d{2}(?![\d:])")  # `à 17:31`
ITEM_NUMBER_RE = re.compile(r"(?m)^[ \t]*\d{1,2}(?=(?:[.)]|-(?=\p{Lu}))[ \t]*\p{Lu}\p{Ll})")
REFERENCE_BEFORE_RE = re.compile(
    # a whole word (`Ramonchamp.` is no `p.`), on the same block
    r"(?<![\p{L}])(?:n°|nº|no\.|numéro|article|art\.|loi|décret|arrêté|page|p\.|alinéa|chapitre|tome|annexe|programme|action"
    r"|cedex|nationales?|départementales?|RN|RD|N|D|A|autoroute|ligne|route|années)[ \u00a0\u202f]*$",  # `les années 70`
    re.IGNORECASE,
)
# the number of a part, when no counted noun follows (`Pilier 1 – Un appui`, `partie 2 -`,
# `Axe 3 :`; but `en deuxième priorité 235 projets` counts)
LABEL_BEFORE_RE = re.compile(
    r"(?<![\p{L}])(?:partie|pilier|axe|volet|étape|phase|lot|tranche|question|fiche|objectif|priorité|orientation)"
    r"[ \u00a0\u202f]*$", re.IGNORECASE)
LABEL_AFTER_RE = re.compile(r"\s*(?:[–—\-:.,;)]|$|\p{Lu})")
FUNCTION_WORDS = {
    "le", "la", "les", "l'", "de", "du", "des", "d'", "un", "une", "et", "ou", "à", "au", "aux", "en",
    "dans", "sur", "pour", "par", "avec", "ce", "cet", "cette", "ces", "qui", "que", "dont", "soit",
    "est", "sont", "a", "ont", "se", "sa", "son", "ses", "il", "elle", "ils", "elles", "mais", "ni",
}


@dataclass(frozen=True)
class _Vocab:
    currency: str
    scales: dict[str, float]
    percent: str
    units: dict[str, str]
    number_words: dict[str, int]
    zero_words: frozenset[str]
    not_after: frozenset[str]
    object_stops: frozenset[str]
    scope_cues: dict[str, list[str]]
    scope_names: dict[str, "re.Pattern"]  # départements, régions after an article: `dans le Lot`
    currency_re: "re.Pattern"
    percent_re: "re.Pattern"
    scaled_count_re: "re.Pattern"  # `13 millions de Français`
    unit_re: "re.Pattern"
    number_words_re: "re.Pattern"
    zero_re: "re.Pattern"
    gazetteer: object
    approximate_re: "re.Pattern"  # `une centaine de`
    approximate: dict[str, int]
    money_re: "re.Pattern"  # a sentence about money
    lone_scale_re: "re.Pattern"  # `36 millions` with no noun after


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def vocabulary(resources) -> _Vocab:
    """The measure rules' words and patterns, compiled once per `Resources`."""
    p = resources.patterns["measures"]
    gaz = resources.gazetteer
    scales = {k.lower(): float(v) for k, v in p["scales"].items()}
    units = dict(p["units"])
    number_words = {k.lower(): int(v) for k, v in p["number_words"].items()}
    currency = _alternation(w.replace("’", "'") for w in p["currency"])
    percent = _alternation(p["percent"])
    scope_names = {}
    for kind in ("departement", "region"):
        names = sorted({name for name, _ in gaz.names(kinds=[kind])}, key=len, reverse=True)
        alt = "|".join(re.escape(n) for n in names)
        scope_names[kind] = re.compile(rf"(?:\b(?:dans|en|du|de|le|la|les|des|l')\s+|l')(?:{alt})\b")
    words_alt = _alternation(number_words)
    zero_alt = _alternation(p["zero_words"])
    return _Vocab(
        currency=currency, scales=scales, percent=percent, units=units, number_words=number_words,
        zero_words=frozenset(w.lower() for w in p["zero_words"]),
        not_after=frozenset(w.lower() for w in p["not_after"]),
        object_stops=frozenset(w.lower() for w in p["object_stops"]),
        scope_cues={k: [c.lower() for c in v] for k, v in p["scope"].items()},
        scope_names=scope_names,
        currency_re=re.compile(rf"\s?(?:(?P<scale>{_alternation(scales)})\.?\s?)?(?P<cur>{currency})(?![\p{{L}}])",
                               re.IGNORECASE),
        percent_re=re.compile(rf"\s?(?:{percent})", re.IGNORECASE),
        scaled_count_re=re.compile(r"\s(?P<scale>millions?|milliards?)(?= (?:de |d'))", re.IGNORECASE),
        unit_re=re.compile(rf"\s?(?P<u>{_alternation(units)})(?![\p{{L}}])"),
        number_words_re=re.compile(
            rf"(?<![\p{{L}}'-])(?:{words_alt})(?:[ -](?:et[ -])?(?:{words_alt}|un|une))*(?![\p{{L}}'-])", re.IGNORECASE),
        zero_re=re.compile(rf"(?:(?<=^)|(?<=[.!?]\s)|(?<=\n)|(?<=:\s)|(?<=\bdont\s))(?:{zero_alt})(?= [\p{{L}}])",
                           re.IGNORECASE),
        gazetteer=gaz,
        approximate_re=re.compile(rf"(?<![\p{{L}}])(?i:une?|d'une|d’une) (?P<word>{_alternation(p.get('approximate_words', {}))})s?(?![\p{{L}}])"),
        approximate={k.lower(): int(v) for k, v in (p.get("approximate_words") or {}).items()},
        money_re=re.compile(rf"(?<![\p{{L}}])(?i:{_alternation(p.get('money_words', []))})(?![\p{{L}}])"),
        lone_scale_re=re.compile(r"\s(?P<scale>millions?|milliards?)(?![\p{L}])(?! (?:de |d'|d’))", re.IGNORECASE),
    )


def _excluded_spans(flat: str) -> list[tuple[int, int]]:
    spans = []
    for rx in (DATE_RE, PHONE_RE, URL_RE, CODE_IN_PARENS_RE, FOOTNOTE_RE, ITEM_NUMBER_RE, TIME_RE):
        spans.extend(m.span() for m in rx.finditer(flat))
    return spans


def _overlaps(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in spans)


def parse_number(int_part: str, dec_part: Optional[str]) -> float:
    """`16 042 963`, `431.750` (a dot between digit groups), `2,7`, `10, 7` as published."""
    value = float(int_part.replace(" ", "").replace("\u202f", "").replace(".", ""))
    if dec_part:
        value += float("0." + dec_part)
    return round(value, 6)


def _clause_end(flat: str, pos: int) -> int:
    m = re.compile(r"[.;:!?](?!\d)|\n\n|\s•").search(flat, pos)
    return m.start() if m else len(flat)


def _sentence_start(flat: str, pos: int) -> int:
    cut = max(flat.rfind(". ", 0, pos), flat.rfind("\n\n", 0, pos), flat.rfind(": ", 0, pos), flat.rfind("; ", 0, pos))
    return cut + 2 if cut >= 0 else 0


@dataclass
class _Hit:
    start: int
    end: int
    value: float
    unit: str
    object: Optional[str] = None
    total: Optional[float] = None
    scope: Optional[str] = None
    head_of_dont: bool = False
    is_dont: bool = False


def _object_after(flat: str, pos: int, vocab: _Vocab, limit: int = 8) -> tuple[str, int]:
    """The counted object: the words after the figure up to a stop word or punctuation,
    keeping `de/du/des/d'` complements."""
    words = []
    i = pos
    end = pos
    for m in WORD_RE.finditer(flat, pos):
        if flat[i:m.start()].count("\n") >= 2:
            break
        tok = m.group(0)
        low = tok.lower().replace("’", "'")
        if not tok[0].isalpha() and tok not in ("'",):
            break
        if low in vocab.object_stops and words:
            break
        if low in vocab.object_stops:
            break
        if (low in ("de", "du", "des") or low.startswith("d'")) and not words:
            if low.startswith("d'") and len(low) > 2:
                pass
            else:
                break
        words.append(tok)
        end = m.end()
        i = m.end()
        if len(words) >= limit:
            break
    # an object never ends on a bare preposition
    while words and words[-1].lower() in ("de", "du", "des", "d'", "la", "le", "les", "l'"):
        words.pop()
        end = flat.rfind(" ", pos, end) if " " in flat[pos:end] else pos
    text = " ".join(words)
    return text, end


def _label_before(flat: str, pos: int) -> Optional[str]:
    """`Subvention 2021 : 126 000 euros` gives `Subvention 2021`."""
    m = re.search(r"([\p{L}][^.:;\n]{1,60}?)\s*:\s*$", flat[max(0, pos - 80):pos])
    return m.group(1).strip() if m else None


def _after_colon(flat: str, pos: int, max_words: int = 16) -> Optional[str]:
    m = re.match(r"\s*:\s*", flat[pos:])
    if not m:
        return None
    start = pos + m.end()
    end = _clause_end(flat, start)
    words = flat[start:end].split()
    return " ".join(words[:max_words]) or None


def _scope_in(window: str, vocab: _Vocab) -> Optional[str]:
    low = window.lower().replace("’", "'")
    for scope in ("departement", "region", "national"):
        if any(c in low for c in vocab.scope_cues.get(scope, [])):
            return scope
    # the first territory named, the longest name at one place (`en Centre-Val de
    # Loire` is the région, not `de Loire`, the département)
    found = []
    for scope in ("departement", "region"):
        m = vocab.scope_names[scope].search(window)
        if m:
            found.append((m.start(), -(m.end() - m.start()), scope))
    return min(found)[2] if found else None


def _unit_after(flat: str, end: int, vocab: _Vocab) -> tuple[str, float, int]:
    """Unit written right after a figure: (unit, multiplier, end of the unit)."""
    currency, percent, scaled, units = vocab.currency_re, vocab.percent_re, vocab.scaled_count_re, vocab.unit_re
    rest = flat[end:end + 40]
    m = currency.match(rest)
    if m and (m.group("scale") is None or m.group("scale").lower() in vocab.scales):
        scale = vocab.scales.get((m.group("scale") or "").lower(), 1.0)
        return "EUR", scale, end + m.end()
    m = percent.match(rest)
    if m:
        return "percent", 1.0, end + m.end()
    m = scaled.match(rest) or vocab.lone_scale_re.match(rest)
    if m:
        return "count", vocab.scales[m.group("scale").lower()], end + m.end()
    m = units.match(rest)
    if m:
        return vocab.units[m.group("u")], 1.0, end + m.end()
    return "count", 1.0, end


def _is_year(flat: str, m, vocab: _Vocab) -> bool:
    raw = m.group("int")
    if m.group("dec") or m.group("sdec") or m.group("pdec") or not raw.isdigit() or len(raw) != 4 or not 1800 <= int(raw) <= 2199:
        return False
    if YEAR_BEFORE_RE.search(flat, max(0, m.start() - 30), m.start()):
        return True  # `l'année 2018 différentes actions`, `depuis 2019`, `d'ici 2026`
    nxt = re.match(r"\s*([\p{L}']+)", flat[m.end():])
    if not nxt:
        return True
    word = nxt.group(1).lower()
    # `1950 habitants` counts; `2021 publié`, `en 2021 et`, `2021 Lot` are years
    return not (word[-1] in "sx" and word not in FUNCTION_WORDS and nxt.group(1)[0].islower())


YEAR_BEFORE_RE = re.compile(
    r"(?i:\b(?:l'année|année|an|en|depuis|d'ici|dès|jusqu'en|jusqu'à|fin|début|mi|exercice|budget|programmation|"
    r"avant|après|au titre de|pour|printemps|été|automne|hiver|janvier|février|mars|avril|mai|juin|juillet|août|"
    r"septembre|octobre|novembre|décembre|marqueurs de|de l'année))\s+$")
# `deux de ces territoires`, `trois d'entre eux`: a count of a group already named
PARTITIVE_RE = re.compile(r"\s+(?:de ces|de ses|de leurs|d'entre (?:eux|elles))\s+", re.IGNORECASE)


def _word_numbers(flat: str, vocab: _Vocab) -> Iterable[tuple[int, int, int]]:
    """Numbers written in words followed by a counted noun: `trois grandes missions`."""
    from text_to_num import text2num

    for m in vocab.number_words_re.finditer(flat):
        phrase = m.group(0)
        capitals = phrase.isupper() and re.match(r" \p{Lu}{2,}", flat[m.end():])  # a title in capitals
        if phrase[0].isupper() and not capitals and not re.search(r"(?:^|[.!?:]\s+|\n)$", flat[max(0, m.start() - 3):m.start()]) \
                and not re.match(r" (?!(?:de|du|des|la|le|les|en|sur|sous|lès|et)\b)\p{Ll}", flat[m.end():]):
            continue  # `Florac Trois Rivières`: part of a name (not `… et Apprieu` / `Quatre chefs de projet`)
        if capitals and _inside_place_name(flat, m.start(), m.end(), vocab.gazetteer):
            continue  # `À FLORAC TROIS RIVIÈRES`
        try:
            value = text2num(phrase.lower(), "fr")
        except ValueError:
            continue
        nxt = re.match(r" ([\p{L}][\p{L}'\-]*)", flat[m.end():])
        if STANDALONE_BEFORE_RE.search(flat, max(0, m.start() - 40), m.start()) and STANDALONE_AFTER_RE.match(flat, m.end()):
            yield m.start(), m.end(), value  # `Ils seront six.`, `Elles seront cinq à voir le jour`
            continue
        if not nxt:
            continue
        word = nxt.group(1).lower()
        if PARTITIVE_RE.match(flat, m.end()) or re.search(r"\bdont $", flat[max(0, m.start() - 5):m.start()].lower()):
            yield m.start(), m.end(), value  # `Deux de ces territoires`, `…, dont deux dans le Lot`
            continue
        if word in FUNCTION_WORDS or word in vocab.not_after or word in ("fois", "mille", "cents"):
            continue
        before = flat[max(0, m.start() - 3):m.start()].lower()
        if before.endswith("l'") or re.search(r"\b(?:les|des|ces) $", flat[max(0, m.start() - 5):m.start()].lower()) and word in vocab.object_stops:
            continue
        yield m.start(), m.end(), value


# a number word standing for a count without its noun: after a form of `être` or
# `au nombre de`, before punctuation or `à` (`Ils seront six.`, `Elles sont cinq à …`)
STANDALONE_BEFORE_RE = re.compile(r"(?i:\b(?:sont|seront|étaient|seraient|furent|sera|serons|sommes|êtes|au nombre de|"
                                  r"soit|ils|elles|on en compte|on compte)\s+)$")
STANDALONE_AFTER_RE = re.compile(r"\s*(?:[.,;:!?)]|à |au |en |dans |sur )")


GROUPED_BY_SPACES = re.compile(r"\d{1,3}(?: \d{3})+$")
WORD_AFTER_RE = re.compile(r"\s?(?:[€%]|\p{L})")


def _numbers(flat: str) -> list:
    """Figures as the document writes them. When it separates digit groups with narrow
    no-break spaces, a plain space between figures separates two figures (`521 000 291
    500`: two table cells), unless the figure ends on a unit or a word (`16 042 963
    euros` printed with a font that has no narrow space)."""
    if "\u202f" not in flat:
        return list(NUMBER_RES[False].finditer(flat))
    strict = list(NUMBER_RES[True].finditer(flat))
    loose = [m for m in NUMBER_RES[False].finditer(flat)
             if GROUPED_BY_SPACES.match(m.group("int")) and WORD_AFTER_RE.match(flat, m.end())]
    if not loose:
        return strict
    taken = [(m.start(), m.end()) for m in loose]
    return sorted(loose + [m for m in strict if not any(a <= m.start() < b for a, b in taken)], key=lambda m: m.start())


def _inside_place_name(flat: str, start: int, end: int, gaz) -> bool:
    """The words around `start:end` name a commune (`FLORAC TROIS RIVIÈRES`)."""
    before = flat[max(0, start - 40):start].split()[-2:]
    after = flat[end:end + 40].split()[:2]
    phrase = flat[start:end]
    for b in range(len(before) + 1):
        for a in range(len(after) + 1):
            words = before[len(before) - b:] + [phrase] + after[:a]
            if len(words) > 1 and gaz.resolve(" ".join(words), kinds=["commune"]).status != "unknown":
                return True
    return False


def _zero_mentions(flat: str, vocab: _Vocab) -> Iterable[tuple[int, int]]:
    """`Aucun pass numérique déployé` opening a sentence, `…, dont aucune dans le Lot`:
    a stated zero."""
    for m in vocab.zero_re.finditer(flat):
        yield m.start(), m.end()


def extract_measures(nt: NormalisedText, resources=None) -> list[Measure]:
    """Every stated quantity of the document, with evidence."""
    from ..resources import default_resources

    vocab = (resources or default_resources()).compiled(vocabulary)
    flat = flatten(nt.text)
    excluded = _excluded_spans(flat)
    hits: list[_Hit] = []
    consumed: set[int] = set()

    candidates: list[tuple[int, int, float, bool]] = []  # start, end(of number), value, is_word
    for m in _numbers(flat):
        if _overlaps(m.span(), excluded):
            continue
        if REFERENCE_BEFORE_RE.search(flat[max(0, m.start() - 22):m.start()]):
            continue
        if LABEL_BEFORE_RE.search(flat[max(0, m.start() - 22):m.start()]) and LABEL_AFTER_RE.match(flat, m.end()):
            continue
        nxt = re.match(r"\s?([\p{L}]+)", flat[m.end():])
        if nxt and nxt.group(1).lower() in vocab.not_after:
            continue
        if _is_year(flat, m, vocab):
            continue
        if len(m.group("int")) == 5 and nxt and nxt.group(1)[0].isupper() and m.group("int").isdigit():
            continue  # a postal code before a commune name
        candidates.append((m.start(), m.end(), parse_number(m.group("int"), m.group("dec") or m.group("sdec") or m.group("pdec")), False))
    for s, e, v in _word_numbers(flat, vocab):
        if not _overlaps((s, e), excluded):
            candidates.append((s, e, float(v), True))
    for s, e in _zero_mentions(flat, vocab):
        candidates.append((s, e, 0.0, True))
    for m in vocab.approximate_re.finditer(flat):
        candidates.append((m.start(), m.end(), float(vocab.approximate[m.group("word").lower()]), True))
    for m in ONE_SCALE_RE.finditer(flat):  # `un milliard 700 millions d'euros`, `près d'un million d'euros`
        value = vocab.scales[m.group("scale").lower()] + (float(m.group("more")) * 1e6 if m.group("more") else 0.0)
        candidates.append((m.start(), m.end(), value, False))
    candidates = _without_codes(flat, candidates + _halves(flat, vocab))  # `un mois et demi`
    candidates.sort()

    covered = -1  # a figure inside one read already (`un milliard 700 millions`)
    for start, num_end, value, is_word in candidates:
        if start in consumed or start < covered:
            continue
        unit, scale, end = _unit_after(flat, num_end, vocab)
        if is_word and unit not in ("EUR", "percent") and scale == 1.0:
            unit, end = "count", num_end  # `trois milliards d'euros`, `cinq pour cent`; else the word counts
        hit = _Hit(start=start, end=end, value=round(value * scale, 6), unit=unit)
        covered = end
        before = flat[max(0, start - 6):start].lower()
        hit.is_dont = before.rstrip().endswith("dont")
        partitive = PARTITIVE_RE.match(flat, end)
        obj, obj_end = _object_after(flat, partitive.end() if partitive else end, vocab)
        if unit == "count":
            head = obj.split(" ")[:2]
            for word in head:
                if word in vocab.units and vocab.units[word] != "count":
                    hit.unit = vocab.units[word]
                    break
            hit.object = obj or None
            # `285 communes sur 321`, `16 ... sur un total de 112`
            clause_end = _clause_end(flat, end)
            tm = re.compile(r"\bsur (?:un total de |les |un ensemble de )?(\d{1,3}(?:[ \u202f]\d{3})+|\d+)(?![\d,])"
                            r"(?!\s*(?:ans?|années?|mois|jours?|semaines?|heures?|km|kilomètres|%|€|euros?|millions?|milliards?)(?![\p{L}]))").search(
                flat, end, clause_end
            )
            if tm and tm.start() - end < 80:
                hit.total = parse_number(tm.group(1), None)
                consumed.add(tm.start(1))
        elif unit in ("EUR",):
            hit.object = _after_colon(flat, end) or _label_before(flat, start) or _sentence_before(flat, start)
        elif unit == "percent":
            m_de = re.match(r"\s+(?:de la |de l'|des |du |de |d')", flat[end:])
            if m_de:
                o, _ = _object_after(flat, end + m_de.end(), vocab)
                hit.object = o or None
            else:
                hit.object = _after_colon(flat, end) or _words_after(flat, end) or _sentence_before(flat, start)
        else:
            hit.object = obj or None
        window = flat[end:_clause_end(flat, end)]
        hit.scope = _scope_in(window.split(" dont ")[0], vocab)
        hits.append(hit)

    _resolve_dont(hits, flat, vocab)
    _ranges(hits, flat)
    _amounts_in_money_sentences(hits, flat, vocab)
    _objects_from_rows(hits, flat)
    out = []
    for h in hits:
        ev = nt.evidence(h.start, h.end)
        out.append(
            Measure(value=h.value, unit=h.unit, object=h.object, total=h.total, scope=h.scope, **ev.model_dump())
        )
    return out


ONE_SCALE_RE = re.compile(r"(?<![\p{L}])(?i:un|d'un|d’un) (?P<scale>million|milliard)(?: (?P<more>\d{1,3}) millions)?(?![\p{L}])")
HALF_RE = re.compile(r"(?<![\p{L}])(?P<n>un|une|deux|trois|quatre|cinq|six|\d+) (?P<unit>mois|ans?|années?) et demie?(?![\p{L}])",
                     re.IGNORECASE)
DEPARTMENT_NUMBER_AFTER_RE = re.compile(r"\p{Lu}[\p{L}'’\-]+(?: \p{Ll}+)? $")


def _halves(flat: str, vocab: _Vocab) -> list[tuple[int, int, float, bool]]:
    """`un mois et demi` is 1.5 months, `deux ans et demi` 2.5 years (the unit is read after)."""
    from text_to_num import text2num

    out = []
    for m in HALF_RE.finditer(flat):
        n = m.group("n").lower()
        value = 1.0 if n in ("un", "une") else float(n) if n.isdigit() else float(text2num(n, "fr"))
        out.append((m.start(), m.end("n"), value + 0.5, True))
    return out


def _without_codes(flat: str, candidates: list) -> list:
    """A département number after a name (`Familles rurales 52`, `ADAC 22`) is a code,
    not a count."""
    out = []
    for c in candidates:
        start, end, value, is_word = c
        raw = flat[start:end]
        code = raw.isdigit() and (1 <= int(raw) <= 95 or 971 <= int(raw) <= 976)
        name = DEPARTMENT_NUMBER_AFTER_RE.search(flat, max(0, start - 40), start) if code and not is_word else None
        if (name and not re.search(r"(?:^|[.!?:]\s+|\n)$", flat[max(0, name.start() - 3):name.start()])
                and not PARTITIVE_RE.match(flat, end)):  # `… Grand Quercy 1 de ces territoires`
            nxt = re.match(r"\s*(\S+)", flat[end:end + 30])
            if not nxt or (nxt.group(1)[0].islower() and nxt.group(1) in FUNCTION_WORDS) or nxt.group(1)[0] in ".,;:)":
                continue
        out.append(c)
    return out


def _words_after(flat: str, end: int, max_words: int = 8) -> Optional[str]:
    words = flat[end:_clause_end(flat, end)].replace(",", " ").split()
    return " ".join(words[:max_words]) or None


TRAILING_LINKS_RE = re.compile(
    r"(?:\s+(?:à hauteur de|pour un montant de|pour un total de|d'un montant de|de|d'|pour|soit|dont|avec|à))+\s*$",
    re.IGNORECASE,
)


def _sentence_before(flat: str, start: int) -> Optional[str]:
    """What a figure at the end of a clause is about: the clause's last words, without
    the link to the figure (`L'État finance le projet de réseau … à hauteur de 29 M€`
    gives `finance le projet de réseau …`)."""
    s = _sentence_start(flat, start)
    text = TRAILING_LINKS_RE.sub("", " " + flat[s:start])
    words = [w for w in text.split() if w.lower() not in ("dont", "soit")]
    return " ".join(words[-12:]) or None


RANGE_LINK_RE = re.compile(r"\s(?:à|et|-|–)\s")


def _ranges(hits: list[_Hit], flat: str) -> None:
    """`12 à 18 mois`, `entre 60 % et 90 %`, `de 2 à 3 millions d'euros`: the first figure
    takes the unit (and scale) the second one carries."""
    for a, b in zip(hits, hits[1:]):
        link = flat[a.end:b.start]
        if a.unit != "count" or b.unit == "count" or not RANGE_LINK_RE.fullmatch(link):
            continue
        a.unit = b.unit
        raw = parse_number(*_raw_parts(flat[a.start:a.end]))
        b_raw = parse_number(*_raw_parts(flat[b.start:b.end]))
        if raw and b_raw and b.value / b_raw > 1.5 and a.value == raw:
            a.value = round(a.value * (b.value / b_raw), 6)
        a.object = a.object or b.object


def _raw_parts(text: str) -> tuple[str, Optional[str]]:
    m = re.match(r"(\d[\d \u202f.]*)(?:,\s?(\d+))?", text)
    return (m.group(1).strip().rstrip("."), m.group(2)) if m else ("0", None)


# after a figure without its noun: what an amount of money goes to, or its rate
GRANT_LEAD_RE = re.compile(r"\s+(?:à|au|aux|pour)\s")
RATE_RE = re.compile(r"\s+par\s+(?:an|mois|année)\b")


def _amounts_in_money_sentences(hits: list[_Hit], flat: str, vocab: _Vocab) -> None:
    """An amount written without its currency is in euros when it repeats an amount in
    euros of the document (`60 000 euros par an … 60 000 par an`), when it carries a
    scale word and no counted noun in a sentence about money (`un budget de 500
    millions`, `grimpe à 36 millions`), when it stands among amounts in euros and
    leads to what it pays for (`27 500 euros à la mairie, plus de 25 000 à celle du
    stade`), or when it is a rate in a sentence about money (`l'État financera le
    poste à raison de 60 000 par an`)."""
    in_euros = {h.value for h in hits if h.unit == "EUR"}
    for h in hits:
        if h.unit != "count" or h.value < 1000:
            continue
        noun = re.match(r"\s*(?:(?P<de>de |d'|d’)(?P<any>\p{L}[\p{L}'’\-]+)|(?P<lower>\p{Ll}[\p{L}'’\-]+))", flat[h.end:h.end + 40])
        word = noun and (noun.group("any") or noun.group("lower"))
        counted = bool(word) and word.lower() not in FUNCTION_WORDS and word not in ("par", "pour", "euros", "euro")
        scaled = vocab.lone_scale_re.search(flat, h.start, h.end) is not None or re.search(
            r"(?i)(?:millions?|milliards?)$", flat[h.start:h.end]) is not None
        s0, s1 = _sentence_start(flat, h.start), _clause_end(flat, h.end)
        sentence = flat[s0:s1]
        among_euros = GRANT_LEAD_RE.match(flat, h.end) is not None and any(
            o.unit == "EUR" and o is not h and s0 <= o.start < s1 for o in hits)
        rate = RATE_RE.match(flat, h.end) is not None and vocab.money_re.search(sentence)
        if not counted and ((h.value in in_euros) or (scaled and vocab.money_re.search(sentence)) or among_euros or rate):
            h.unit = "EUR"


def _resolve_dont(hits: list[_Hit], flat: str, vocab: _Vocab) -> None:
    """`546 zones ... en Occitanie, dont 55 dans le Lot`: the part takes the whole's
    object; the whole is regional or national when the part is départemental."""
    for i, h in enumerate(hits):
        if not h.is_dont or i == 0:
            continue
        head = hits[i - 1]
        if "\n\n" in flat[head.end:h.start] or re.search(r"[.;]\s", flat[head.end:h.start]):
            continue
        if h.unit == head.unit and (h.object is None or _scope_in(h.object, vocab) or h.object.split(" ")[0] in ("dans", "en")):
            h.object = head.object
        if h.unit == head.unit and h.scope == "departement" and head.scope is None:
            head.scope = "national"


def _objects_from_rows(hits: list[_Hit], flat: str) -> None:
    """Figures in a table row with no object of their own take the row label; a
    percentage in brackets after a figure is a share of that figure's object."""
    for i, h in enumerate(hits):
        line_start = flat.rfind("\n\n", 0, h.start)
        line_start = 0 if line_start < 0 else line_start + 2
        prefix = flat[line_start:h.start]
        if h.unit == "percent" and flat[max(0, h.start - 1):h.start] == "(" and i > 0:
            prev = hits[i - 1]
            h.object = f"part de {prev.object}" if prev.object else h.object
            continue
        if h.object is None and h.unit == "count":
            label = re.sub(r"[\d\s,()%|]+$", "", re.sub(r"\s*\d[\d\s,()%]*", " ", prefix)).strip(" |")
            h.object = label[-60:] or None


@stage("measures", requires=["text"], assigns=["measures"])
def measures_stage(doc) -> None:
    """Counts, euro amounts, percentages and other quantities."""
    doc.extraction.measures = extract_measures(doc.text, doc.resources)
