"""spaCy for named entities: `fr_core_news_sm` with only what `ner` needs, rule
components before it, built once per `Resources`.

The pipeline, in order:

- `block_sentences`: a sentence starts after a blank line and after `. ! ? ; :`
  or a bullet. The statistical model would otherwise run entities across the
  blank lines of flattened columns (`ANCT\\n\\nTerritoires`); the parser that set
  these boundaries in the full model is excluded for speed.
- `term_ruler` (entity ruler, `phrase_matcher_attr: LOWER`): programme names
  (`patterns/programmes.yaml`, label PROGRAMME) and organisations' full names
  (`patterns/organizations.yaml`, label KNOWN_ORG), whatever their case, so that
  `France Services` is never a place and `PETITES VILLES DE DEMAIN` is matched.
- `exact_ruler` (entity ruler, `phrase_matcher_attr: ORTH`): organisation
  acronyms as written (`ANS`, `ARS`, `CAF` must not match `ans`, `Ars`, `caf`)
  and place names (label LOC), as written, in capitals and in title case: place
  names such as `Lot`, `Cher` or `Orne` are also common words, so they are
  never matched in lower case. Place names are fed by `add_place_patterns`.
- `ner`: the model's recogniser. The sm model's `ner` embeds its own tok2vec
  (it does not listen to the shared `tok2vec` component), so every other
  component of the model is excluded: the entities are the same, faster.

The model labels LOC, ORG, PER and MISC; rules add PROGRAMME and KNOWN_ORG (an
organisation of the patterns: a reliable label, unlike the model's ORG).
"""

from __future__ import annotations

import logging
from typing import Iterable, Optional, Sequence


log = logging.getLogger(__name__)

MODEL = "fr_core_news_sm"
# components `ner` does not use: its model has an embedded tok2vec
EXCLUDED = ["tok2vec", "parser", "lemmatizer", "morphologizer", "attribute_ruler", "senter"]
# kinds of the gazetteer fed to the ruler by default: communes are matched by the
# place rules against the gazetteer (35 000 names would cost seconds of ruler
# building in every worker); départements and régions are few, and some of their
# names are also common words or first names (`Lot`, `Cher`, `Orne`)
PLACE_KINDS = ("departement", "region")
SENTENCE_END = {".", "!", "?", ";", ":", "•", "…"}

Entity = tuple[int, int, str, str]


def _block_sentences(doc):
    """Sentence starts after blank lines and sentence punctuation (see module doc)."""
    for i, tok in enumerate(doc):
        if i == 0:
            tok.is_sent_start = True
            continue
        prev = doc[i - 1]
        tok.is_sent_start = bool(
            (prev.is_space and prev.text.count("\n") >= 2)
            or prev.whitespace_.count("\n") >= 2
            or (prev.text in SENTENCE_END and not tok.is_space)
        )
    return doc


def _register_components() -> None:
    from spacy.language import Language

    if not Language.has_factory("block_sentences"):
        Language.component("block_sentences")(_block_sentences)


def programme_names(patterns) -> list[str]:
    """Programme names and their variants from `patterns/programmes.yaml`."""
    data = patterns.get("programmes", {}) or {}
    names = list(data.get("programmes", []) or [])
    for variants in (data.get("variants", {}) or {}).values():
        names.extend(variants or [])
    return [n for n in dict.fromkeys(names) if n]


def organization_terms(patterns) -> tuple[list[str], list[str]]:
    """(full names, acronym forms) of the organisations in `patterns/organizations.yaml`."""
    orgs = patterns.get("organizations", {}) or {}
    names, forms = [], []
    for org in orgs.get("known", []) or []:
        names.extend(org.get("names", []) or [])
        forms.extend(org.get("forms", []) or [])
    names.extend(orgs.get("names", []) or [])
    return list(dict.fromkeys(names)), list(dict.fromkeys(forms))


def _apostrophe_variants(text: str) -> set[str]:
    return {text, text.replace("'", "\u2019"), text.replace("\u2019", "'")}


def _case_variants(name: str) -> set[str]:
    """A place name as written, in capitals and in title case (`SAINT-FLOUR`)."""
    out = set()
    for v in _apostrophe_variants(name):
        out |= {v, v.upper()}
    return out


def add_place_patterns(nlp, names: Iterable[str], *, label: str = "LOC") -> int:
    """Hook: feed place names (e.g. the gazetteer's `names(kinds=...)`) into
    the exact-case ruler with `label`. Names are matched as written and in
    capitals, never in lower case. Returns the number of patterns added."""
    ruler = nlp.get_pipe("exact_ruler")
    patterns = []
    seen = set()
    for name in names:
        for v in _case_variants(name):
            if v and v not in seen:
                seen.add(v)
                patterns.append({"label": label, "pattern": v})
    with nlp.select_pipes(enable=[]):
        ruler.add_patterns(patterns)
    return len(patterns)


def load_model(exclude: Sequence[str]):
    """`fr_core_news_sm` without its 1.4 MB token-match pattern compiled by `re`.

    spaCy's French tokenizer keeps hyphenated and elided words whole (`Bagnac-sur-Célé`,
    `aujourd'hui`) with one pattern whose letter classes are written out character
    by character: importing `spacy.lang.fr` or loading the model compiles it, seconds
    at every start. Here the model is built from its config with a French `Language`
    that leaves `spacy.lang.fr` unimported, and its serialized pattern is compiled by
    the `regex` package with the letter classes as Unicode properties (`\\p{L}`,
    `\\p{Ll}`): the same matches (tested), a pattern of 11 kB compiled in
    milliseconds."""
    import regex
    import spacy
    import srsly
    from spacy.lang import char_classes
    from spacy.language import BaseDefaults, Language

    class French(Language):
        lang = "fr"
        Defaults = BaseDefaults

    path = spacy.util.get_package_path(MODEL)
    path = next(p for p in sorted(path.iterdir()) if (p / "config.cfg").exists())
    config = spacy.util.load_config(path / "config.cfg")
    nlp = French.from_config(config, exclude=list(exclude), meta=spacy.util.get_model_meta(path))
    nlp.from_disk(path, exclude=[*exclude, "tokenizer"])
    nlp.tokenizer.from_disk(path / "tokenizer", exclude=["token_match"])
    pattern = srsly.msgpack_loads((path / "tokenizer").read_bytes())["token_match"]
    nlp.tokenizer.token_match = regex.compile(with_letter_properties(pattern, char_classes)).match
    return nlp


def with_letter_properties(pattern: str, char_classes) -> str:
    """`pattern` with spaCy's written-out letter classes replaced by the Unicode
    properties they list (longest first: one class contains another's text)."""
    for name, prop in sorted((("ALPHA", r"\p{L}"), ("ALPHA_LOWER", r"\p{Ll}"), ("ALPHA_UPPER", r"\p{Lu}")),
                             key=lambda item: -len(getattr(char_classes, item[0]))):
        pattern = pattern.replace(getattr(char_classes, name), prop)
    return pattern


def build_nlp(resources, *, exclude: Optional[Sequence[str]] = None, place_names: Optional[Iterable[str]] = None):
    """A new pipeline with rulers fed from `resources` (its patterns; `place_names`
    defaults to the gazetteer's départements and régions); `exclude` defaults to
    `EXCLUDED`. `Resources.nlp` keeps one per `Resources`."""
    _register_components()
    nlp = load_model(list(EXCLUDED if exclude is None else exclude))
    nlp.add_pipe("block_sentences", before="ner")
    terms = nlp.add_pipe(
        "entity_ruler", name="term_ruler", before="ner",
        config={"phrase_matcher_attr": "LOWER", "overwrite_ents": True, "validate": False},
    )
    exact = nlp.add_pipe(
        "entity_ruler", name="exact_ruler", before="ner",
        config={"phrase_matcher_attr": "ORTH", "overwrite_ents": False, "validate": False},
    )
    names, forms = organization_terms(resources.patterns)
    term_patterns, seen = [], set()
    for label, values in (("PROGRAMME", programme_names(resources.patterns)), ("KNOWN_ORG", names)):
        for value in values:
            for v in _apostrophe_variants(value):
                if v.lower() not in seen:
                    seen.add(v.lower())
                    term_patterns.append({"label": label, "pattern": v})
    exact_patterns = [{"label": "KNOWN_ORG", "pattern": f} for f in forms]
    programme_acronyms = (resources.patterns.get("programmes", {}) or {}).get("acronyms", []) or []
    exact_patterns += [{"label": "PROGRAMME", "pattern": a} for a in programme_acronyms]
    with nlp.select_pipes(enable=[]):
        terms.add_patterns(term_patterns)
        exact.add_patterns(exact_patterns)
    if place_names is None:
        place_names = [name for name, _ in resources.gazetteer.names(kinds=PLACE_KINDS)]
    add_place_patterns(nlp, place_names)
    return nlp


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """A span without the white space, bullets and punctuation around it."""
    while end > start and (text[end - 1].isspace() or text[end - 1] in "•·,;:."):
        end -= 1
    while start < end and (text[start].isspace() or text[start] in "•·"):
        start += 1
    return start, end


def entities(texts: Iterable[str], *, nlp, batch_size: int = 16) -> list[list[Entity]]:
    """(start, end, label, text) of the entities of each text, with `nlp.pipe`
    (`resources.nlp`); spans are trimmed of surrounding white space, bullets and
    punctuation."""
    texts = list(texts)
    out = []
    for text, doc in zip(texts, nlp.pipe(texts, batch_size=batch_size)):
        ents = []
        for e in doc.ents:
            s, t = _trimmed(text, e.start_char, e.end_char)
            if s < t:
                ents.append((s, t, e.label_, text[s:t]))
        out.append(ents)
    return out
