"""The `regex` module with every pattern compiled once per process.

The rules call `rx.search(pattern, text)` and the like with patterns written where
they are used; `regex` would look each one up in its own cache at every call (flag
arithmetic and key building: about 8 µs a call, tens of thousands of calls a
document). Here a pattern and its flags map straight to the compiled object.

    from . import rx as re   # then re.search, re.finditer, re.compile, ... as usual
"""

from __future__ import annotations

from functools import lru_cache

import regex
from regex import ASCII, DOTALL, IGNORECASE, MULTILINE, Match, Pattern, S, VERBOSE, escape  # noqa: F401


@lru_cache(maxsize=4096)
def compile(pattern, flags: int = 0) -> Pattern:  # noqa: A001 - the regex API's name
    return regex.compile(pattern, flags)


def search(pattern, string, flags: int = 0, pos: int = 0, endpos=None):
    return compile(pattern, flags).search(string, pos, endpos)


def match(pattern, string, flags: int = 0, pos: int = 0, endpos=None):
    return compile(pattern, flags).match(string, pos, endpos)


def fullmatch(pattern, string, flags: int = 0):
    return compile(pattern, flags).fullmatch(string)


def finditer(pattern, string, flags: int = 0, pos: int = 0, endpos=None, overlapped: bool = False):
    return compile(pattern, flags).finditer(string, pos, endpos, overlapped=overlapped)


def findall(pattern, string, flags: int = 0):
    return compile(pattern, flags).findall(string)


def sub(pattern, repl, string, count: int = 0, flags: int = 0):
    return compile(pattern, flags).sub(repl, string, count)


def split(pattern, string, maxsplit: int = 0, flags: int = 0):
    return compile(pattern, flags).split(string, maxsplit)
