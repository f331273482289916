"""Organisations: `Full name (ACRONYM)`, known acronyms and names (`patterns/organizations.yaml`),
names opened by a head word (`Fédération …`, `syndicat mixte …`); one record per organisation."""

from __future__ import annotations

from functools import lru_cache
from typing import Optional

import regex as re

from .models import NormalisedText, Organization
from .normalise import fold
from .patterns import load_patterns

NAME_WORD = r"(?:\p{Lu}[\p{L}'\-]*|d'|l'|de|du|des|la|le|les|et|pour|sur|en|à|aux|au)"
LOWER_LINK = {"d'", "l'", "de", "du", "des", "la", "le", "les", "et", "pour", "sur", "en", "à", "aux", "au"}
SENTENCE_OPENERS = {"le", "la", "les", "l'", "un", "une", "ce", "cet", "cette", "il", "elle", "ils", "elles", "pour", "dans", "en"}
ACRONYM_IN_PARENS = re.compile(r"\((\p{Lu}[\p{Lu}\p{Ll}\-]{1,11})\)")


@lru_cache(maxsize=1)
def _known():
    p = load_patterns()["organizations"]
    by_form, by_name = {}, {}
    for org in p["known"]:
        name = org["names"][0] if org.get("names") else None
        for form in org.get("forms", []):
            by_form[form] = (org["acronym"], name)
        for n in org.get("names", []):
            by_name[n] = (org["acronym"], name)
    heads = sorted(p["heads"], key=len, reverse=True)
    names = sorted(p["names"], key=len, reverse=True)
    return by_form, by_name, heads, names


class _Merger:
    """One record per organisation: merged by acronym, else by folded name."""

    def __init__(self, nt: NormalisedText):
        self.nt = nt
        self.records: list[Organization] = []

    def add(self, start: int, end: int, name: Optional[str], acronym: Optional[str]) -> None:
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


def _phrase_before(flat: str, end: int, heads: list[str]) -> tuple[int, str]:
    """The name opened by a head word that ends right before `(ACRONYM)`, in the same block."""
    window_start = max(0, end - 200, flat.rfind("\n\n", 0, end) + 2)
    text = flat[window_start:end]
    head_alt = "|".join(re.escape(h) for h in heads)
    best = None
    for m in re.finditer(rf"(?<![\p{{L}}])(?:{head_alt})(?![\p{{L}}])", text):
        if not re.search(r"[.;:()]", text[m.start():]):
            best = m
            break
    if not best:
        return end, ""
    return window_start + best.start(), text[best.start():].strip()


def _name_from_head(flat: str, start: int, max_words: int = 12) -> str:
    """`Commissariat de massif du Massif Central`: the head word, then words while the
    phrase goes on; lower-case words only when a capitalised word follows soon."""
    tokens = list(re.finditer(r"[\p{L}][\p{L}'\-]*|[^\s\p{L}]", flat[start:start + 200]))
    kept = []
    for i, t in enumerate(tokens):
        w = t.group(0)
        if not w[0].isalpha() or (i > 0 and w.lower() in SENTENCE_OPENERS and w[0].isupper()):
            break
        if i == 0 or w[0].isupper():
            kept.append(t)
        elif w in LOWER_LINK or w.lower() in LOWER_LINK:
            kept.append(t)
        else:
            ahead = [x.group(0) for x in tokens[i + 1:i + 4]]
            if any(a[0].isupper() for a in ahead if a[0].isalpha()):
                kept.append(t)
            else:
                break
        if len(kept) >= max_words or "\n\n" in flat[start + t.end():start + t.end() + 2]:
            break
    while kept and kept[-1].group(0) in LOWER_LINK:
        kept.pop()
    return flat[start:start + kept[-1].end()] if kept else ""


def _name_regex(name: str) -> str:
    words = re.findall(r"[\p{L}\d]+", name)
    return r"(?<![\p{L}])" + r"[\s'’\-,]+".join(re.escape(w) for w in words) + r"(?![\p{L}])"


def extract_organizations(nt: NormalisedText) -> list[Organization]:
    by_form, by_name, heads, names = _known()
    flat = re.sub(r"(?<!\n)\n(?!\n)", " ", nt.text)
    merger = _Merger(nt)
    spans: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return not any(s < b and a < e for a, b in spans)

    # `Agence nationale de la cohésion des territoires (ANCT)`
    for m in ACRONYM_IN_PARENS.finditer(flat):
        start, phrase = _phrase_before(flat, m.start(), heads)
        if phrase and len(phrase.split()) >= 2 and _initials_fit(phrase, m.group(1)):
            merger.add(start, m.end(), " ".join(phrase.split()), m.group(1))
            spans.append((start, m.end()))
    # known names (longest first), then acronyms
    for written in sorted(by_name, key=len, reverse=True):
        acronym, name = by_name[written]
        for m in re.finditer(_name_regex(written), flat, re.IGNORECASE):
            if free(*m.span()):
                merger.add(m.start(), m.end(), name, acronym)
                spans.append(m.span())
    for form, (acronym, name) in by_form.items():
        for m in re.finditer(rf"(?<![\p{{L}}\-]){re.escape(form)}(?![\p{{L}}])", flat):
            if free(*m.span()):
                merger.add(m.start(), m.end(), name, acronym)
                spans.append(m.span())
    # names opened by a head word, and named networks
    head_alt = "|".join(re.escape(h) for h in heads)
    for m in re.finditer(rf"(?<![\p{{L}}])(?:{head_alt})(?![\p{{L}}])", flat):
        name = _name_from_head(flat, m.start())
        if len(name.split()) < 2 or not free(m.start(), m.start() + len(name)):
            continue
        if not any(w[0].isupper() for w in name.split()[1:]):
            continue  # `Agence` followed only by common words: not a name
        merger.add(m.start(), m.start() + len(name), " ".join(name.split()), None)
        spans.append((m.start(), m.start() + len(name)))
    for n in names:
        for m in re.finditer(rf"(?<![\p{{L}}]){re.escape(n)}(?![\p{{L}}])", flat):
            if free(*m.span()):
                merger.add(m.start(), m.end(), n, None)
                spans.append(m.span())
    merger.records.sort(key=lambda r: r.start)
    return merger.records


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
