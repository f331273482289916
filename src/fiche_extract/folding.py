"""Matching keys: the one way every stage compares names, cues and headings
(lower case, no accents, apostrophes and hyphens as spaces, single spaces)."""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from types import MappingProxyType

from . import rx as re

# spaces and apostrophes of every typographic kind, soft hyphens and zero-width marks
SPACE_CHARS = "\u00a0\u202f\u2009\u2007\u2008\u200a\u2002\u2003\u2004\u2005\u2006\t"
APOSTROPHES = "\u2019\u2018\u02bc\u00b4\u0060\u2032"
SPACE_TABLE = MappingProxyType({
    **{ord(c): " " for c in SPACE_CHARS},
    **{ord(c): "'" for c in APOSTROPHES},
    0xAD: None, 0x200B: None, 0xFEFF: None,
    0xFB01: "fi", 0xFB02: "fl", 0xFB00: "ff", 0xFB03: "ffi", 0xFB04: "ffl",
})


def _base_letter(char: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))


# accented Latin letters to their base letter in one translation (the rest through NFKD)
_FOLD_TABLE = MappingProxyType({
    **{code: _base_letter(chr(code)) for code in range(0xC0, 0x250)
       if _base_letter(chr(code)) != chr(code) and _base_letter(chr(code)).isascii() and chr(code).lower() == chr(code)},
    **{ord(c): " " for c in "'-–—_/\n"},
    ord("œ"): "oe", ord("æ"): "ae",
})


def fold(text: str) -> str:
    """A matching key: lower case, no accents, `œ` as `oe`, apostrophes and hyphens
    as spaces, single spaces. Short strings (names, words, cues) are remembered."""
    return _fold_short(text) if len(text) <= 120 else _fold(text)


@lru_cache(maxsize=1 << 16)
def _fold_short(text: str) -> str:
    return _fold(text)


def _fold(text: str) -> str:
    text = text.translate(SPACE_TABLE).lower().translate(_FOLD_TABLE)
    if not text.isascii():  # only the rare letters the table lacks are decomposed
        text = _NON_ASCII.sub(_strip_marks, text)
    return " ".join(text.split())


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _strip_marks(m) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", m.group(0)) if not unicodedata.combining(c))
