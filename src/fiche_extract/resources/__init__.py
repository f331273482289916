"""Read-only knowledge every stage draws on: the rules as data (`patterns/`), the
official gazetteer, the spaCy pipeline and the official programme lists.

One `Resources` object serves many documents. What a stage compiles from it (regexes,
word sets) is kept on that object through `compiled`, never in module globals, so two
`Resources` built from two patterns folders never mix, and a test can build its own.
The heavy parts (gazetteer, spaCy model) load on first use.
"""

from __future__ import annotations

import hashlib
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Callable, Optional, TypeVar

from .fingerprint import code_and_data_hash
from .patterns import Patterns, load_patterns, patterns_dir, patterns_hash

T = TypeVar("T")


class Resources:
    """Patterns, gazetteer and NLP pipeline for one patterns folder."""

    def __init__(self, patterns_directory: Optional[Path | str] = None):
        self.patterns_dir = Path(patterns_directory) if patterns_directory else patterns_dir()
        self.patterns: Patterns = load_patterns(self.patterns_dir)
        self._compiled: dict[Callable[[Resources], Any], Any] = {}

    def compiled(self, build: Callable[["Resources"], T]) -> T:
        """`build(self)`, computed once for this object: a stage's compiled vocabulary."""
        try:
            return self._compiled[build]
        except KeyError:
            value = self._compiled[build] = build(self)
            return value

    @cached_property
    def gazetteer(self):
        from .gazetteer import load_gazetteer

        return load_gazetteer()

    @cached_property
    def nlp(self):
        """The spaCy pipeline with the rulers fed from these patterns (`resources.nlp`)."""
        from .nlp import build_nlp

        return build_nlp(self)

    @cached_property
    def patterns_hash(self) -> str:
        return patterns_hash(self.patterns_dir)

    @cached_property
    def rules_hash(self) -> str:
        """What an extraction depends on: the package's code, its data files
        (gazetteer, aliases, programme lists) and these patterns. A batch run extracts
        again every document stored under another value."""
        return hashlib.sha256(f"{code_and_data_hash()}\0{self.patterns_hash}".encode()).hexdigest()


@lru_cache(maxsize=4)
def default_resources(patterns_directory: Optional[str] = None) -> Resources:
    """The process's `Resources` for a patterns folder (default: the package's)."""
    return Resources(patterns_directory)
