"""The French model loaded without its 1.4 MB token-match pattern compiled by `re`
(resources/nlp.py `load_model`): the same tokens and the same entities as spaCy's
own loading, and `spacy.lang.fr` never imported."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import srsly

from conftest import COMMUNIQUE_TXT, FICHE_TXT, ROOT
from fiche_extract.resources import default_resources
from fiche_extract.resources.nlp import EXCLUDED, MODEL, build_nlp, entities, load_model

TRICKY = ["Bagnac-sur-Célé", "Saint-Martin-le-Nœud", "Montcuq-en-Quercy-Blanc", "Jean-Marie", "aujourd'hui",
          "porte-parole", "vice-président", "anti-gaspillage", "c'est-à-dire", "Aurillac-Figeac-Rodez",
          "Châlons-en-Champagne", "Villeneuve-d'Ascq", "sous-préfète", "néo-aquitain", "l'Isle-Jourdain",
          "Saint-Étienne", "est-ce", "celui-ci", "Île-de-France", "co-financement", "auto-entrepreneur"]


@pytest.fixture(scope="module")
def words():
    texts = [FICHE_TXT, COMMUNIQUE_TXT, *sorted((ROOT / "tests" / "heldout").glob("*.txt"))]
    found = {w.strip(".,;:!?()«»\"") for t in texts for w in t.read_text(encoding="utf-8").split()}
    return sorted(w for w in found | set(TRICKY) if w)


def test_token_match_is_spacys(words):
    import spacy

    path = spacy.util.get_package_path(MODEL)
    path = next(p for p in sorted(path.iterdir()) if (p / "tokenizer").exists())
    spacys = re.compile(srsly.msgpack_loads((path / "tokenizer").read_bytes())["token_match"]).match
    ours = load_model(EXCLUDED).tokenizer.token_match
    assert sum(1 for w in words if spacys(w)) > 20  # the pattern does keep words whole
    assert [w for w in words if bool(ours(w)) != bool(spacys(w))] == []


def test_same_entities_as_spacys_own_loading(monkeypatch):
    import spacy

    import fiche_extract.resources.nlp as nlp_module

    paragraphs = [p for t in (FICHE_TXT, COMMUNIQUE_TXT) for p in t.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    resources = default_resources()
    ours = build_nlp(resources)
    monkeypatch.setattr(nlp_module, "load_model", lambda exclude: spacy.load(MODEL, exclude=list(exclude)))
    theirs = build_nlp(resources)
    assert [[t.text for t in ours.tokenizer(p)] for p in paragraphs] == [[t.text for t in theirs.tokenizer(p)] for p in paragraphs]
    found = entities(paragraphs, nlp=ours)
    assert sum(map(len, found)) > 10
    assert found == entities(paragraphs, nlp=theirs)


def test_the_french_language_module_is_never_imported():
    code = ("import sys\nfrom fiche_extract.resources import default_resources\n"
            "nlp = default_resources().nlp\nprint(len(nlp('Le préfet du Lot, Jean Dupont.').ents), "
            "'spacy.lang.fr' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split()[-1] == "False"
