"""spaCy: `fr_core_news_sm` with only what named-entity recognition needs, and an
entity ruler before `ner` fed by the gazetteer and by `patterns/` (programme names
are PROGRAMME, known organisations ORG, places LOC), loaded once per process."""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable

from .gazetteer import get_gazetteer
from .patterns import load_patterns

MODEL = "fr_core_news_sm"
# components NER does not use (the model's ner listens to tok2vec only)
EXCLUDED = ["parser", "lemmatizer", "morphologizer", "attribute_ruler", "senter"]
# communes are matched by the place rules against the gazetteer (35 000 names
# would cost seconds of ruler building in every worker); the ruler knows the
# territories whose names are also common words or names (`Lot`, `Cher`, `Orne`)
PLACE_KINDS = ("departement", "region")


def _variants(name: str) -> set[str]:
    """The name as written, in capitals (press releases), and for programmes in
    sentence case (`France services`)."""
    return {name, name.upper()}


def ruler_patterns() -> list[dict]:
    """Entity-ruler patterns: programmes, organisations, then places."""
    p = load_patterns()
    out: list[dict] = []
    seen: set[tuple[str, str]] = set()

    def add(label: str, text: str) -> None:
        key = (label, text)
        if text and key not in seen:
            seen.add(key)
            out.append({"label": label, "pattern": text})

    for name in p.get("programmes", {}).get("programmes", []):
        for v in _variants(name) | {name[:1] + name[1:].lower()}:
            add("PROGRAMME", v)
    orgs = p["organizations"]
    for org in orgs["known"]:
        for form in org.get("forms", []):
            add("ORG", form)
        for n in org.get("names", []):
            add("ORG", n)
    for n in orgs["names"]:
        add("ORG", n)
    for name, _ in get_gazetteer().names(kinds=PLACE_KINDS):
        for v in _variants(name):
            add("LOC", v)
    return out


@lru_cache(maxsize=1)
def get_nlp():
    """The pipeline, built once per process (worker processes build their own)."""
    import spacy

    nlp = spacy.load(MODEL, exclude=EXCLUDED)
    ruler = nlp.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": True, "validate": False})
    with nlp.select_pipes(enable=[]):
        ruler.add_patterns(ruler_patterns())
    return nlp


def entities(texts: Iterable[str], *, batch_size: int = 16) -> list[list[tuple[int, int, str, str]]]:
    """(start, end, label, text) of the entities of each text, with `nlp.pipe`."""
    nlp = get_nlp()
    out = []
    for doc in nlp.pipe(texts, batch_size=batch_size):
        out.append([(e.start_char, e.end_char, e.label_, e.text) for e in doc.ents])
    return out
