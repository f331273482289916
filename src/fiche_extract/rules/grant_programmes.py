"""Which funding programme a grant comes under, and for which year: mentions of the
programmes of `patterns/allocations.yaml` (`DETR`, `dotation d'équipement des
territoires ruraux`, `fonds vert`…) in a text, under their normalised names."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Optional, Sequence

from .. import rx as re

# letters a text may write with or without their accent
_LOOSE = {"e": "[eéèêë]", "a": "[aàâä]", "i": "[iîï]", "o": "[oôö]", "u": "[uùûü]", "c": "[cç]"}
_ACCENTED = {c: base for base, group in _LOOSE.items() for c in group.strip("[]")}
YEAR_RE = re.compile(r"(?<![\d\p{L}/.,°-])(?:19[89]\d|20[0-4]\d)(?![\d\p{L}/-]|[.,]\d)")


def _loose(name: str) -> str:
    """A pattern for `name` whatever its accents, case, apostrophes and hyphens."""
    out = []
    for ch in name.lower():
        if ch in ("œ",):
            out.append("(?:œ|oe)")
        elif ch in "'’":
            out.append("['’]\\s?")
        elif ch in " -":
            out.append("[\\s\\-]+")
        else:
            base = _ACCENTED.get(ch, ch)
            out.append(_LOOSE.get(base, re.escape(ch)))
    return "".join(out)


@dataclass(frozen=True)
class ProgrammeMention:
    start: int
    end: int
    programme: str  # normalised name (a key of `programmes` in the patterns)


@dataclass(frozen=True)
class ProgrammeVocabulary:
    pattern: "re.Pattern"
    names: tuple[str, ...]  # group index -> normalised name
    annual: frozenset[str]
    umbrellas: frozenset[str]  # plans that hold other programmes (`Plan de relance`): named last


def programme_vocabulary(resources) -> ProgrammeVocabulary:
    """One alternation over every programme's written forms, longest first."""
    spec = resources.patterns["allocations"]["programmes"]
    forms: list[tuple[str, str]] = []
    for name, entry in spec.items():
        forms += [(_loose(n), name) for n in entry.get("names") or []]
        forms += [("(?-i:" + re.escape(a) + ")", name) for a in entry.get("acronyms") or []]
    forms.sort(key=lambda f: len(f[0]), reverse=True)
    alternation = "|".join(f"({p})" for p, _ in forms)
    pattern = re.compile(rf"(?<![\p{{L}}])(?:{alternation})(?![\p{{L}}])", re.IGNORECASE)
    return ProgrammeVocabulary(pattern, tuple(n for _, n in forms),
                               frozenset(n for n, e in spec.items() if e.get("annual")),
                               frozenset(n for n, e in spec.items() if e.get("umbrella")))


def programme_mentions(text: str, vocab: ProgrammeVocabulary) -> list[ProgrammeMention]:
    """Every programme named in `text`, in order."""
    out = []
    for m in vocab.pattern.finditer(text):
        group = next(i for i, g in enumerate(m.groups()) if g is not None)
        out.append(ProgrammeMention(m.start(), m.end(), vocab.names[group]))
    return out


def specific(mentions: Sequence[ProgrammeMention], vocab: ProgrammeVocabulary) -> list[ProgrammeMention]:
    """The mentions without the umbrella plans when a programme of its own is named too
    (`Plan de relance : lauréats du fonds friches` is the fonds friches)."""
    own = [m for m in mentions if m.programme not in vocab.umbrellas]
    return own or list(mentions)


def programme_in(mentions: Sequence[ProgrammeMention], start: int, end: int, near: int,
                 vocab: Optional[ProgrammeVocabulary] = None) -> Optional[ProgrammeMention]:
    """The mention inside [start, end) closest to `near` (before it preferred; a
    programme of its own before an umbrella plan)."""
    inside = [m for m in mentions if start <= m.start < end]
    if vocab is not None:
        inside = specific(inside, vocab)
    if not inside:
        return None
    before = [m for m in inside if m.start <= near]
    return before[-1] if before else inside[0]


def dominant_programme(mentions: Sequence[ProgrammeMention]) -> Optional[str]:
    """The programme that makes more than half of a document's mentions, if any (a
    fiche naming twenty programmes has none)."""
    counts: dict[str, int] = {}
    for m in mentions:
        counts[m.programme] = counts.get(m.programme, 0) + 1
    if not counts:
        return None
    best = max(counts, key=lambda p: counts[p])
    return best if 2 * counts[best] > len(mentions) else None


def year_in(text: str, start: int, end: int) -> Optional[int]:
    """The year written in text[start:end] (the last one when several are)."""
    found = [int(m.group(0)) for m in YEAR_RE.finditer(text, start, end)]
    return found[-1] if found else None


def last_before(mentions: Sequence[ProgrammeMention], pos: int) -> Optional[ProgrammeMention]:
    i = bisect_right([m.start for m in mentions], pos) - 1
    return mentions[i] if i >= 0 else None
