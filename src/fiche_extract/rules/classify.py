"""Document kind from weighted cues (`patterns/classify.yaml`), with the features that decided it."""

from __future__ import annotations

from .. import rx as re

from ..folding import fold
from ..resources.patterns import load_patterns

UNKNOWN = "inconnu"


def french_share(text: str) -> float:
    """Share of tokens that are common French function words."""
    words = re.findall(r"\p{L}+", text.lower())
    if not words:
        return 0.0
    common = set(load_patterns()["classify"]["french_words"])
    return sum(w in common for w in words) / len(words)


def classify(text: str) -> tuple[str, dict[str, float]]:
    """(kind, features): each feature is a cue found with its weight, plus the scores."""
    p = load_patterns()["classify"]
    folded = fold(text)
    head = fold_keep_case(text[:600])
    features: dict[str, float] = {}
    scores: dict[str, float] = {}
    for kind, cues in p["kinds"].items():
        score = 0.0
        for cue in cues:
            if "cue" in cue:
                hit = fold(cue["cue"]) in folded
                name = cue["cue"]
            else:
                hit = re.search(cue["regex"], head, re.MULTILINE) is not None
                name = cue.get("name", cue["regex"])
            if hit:
                features[f"{kind}:{name}"] = float(cue["weight"])
                score += float(cue["weight"])
        scores[kind] = score
    share = french_share(text)
    features["french_share"] = round(share, 3)
    for kind, score in scores.items():
        features[f"score:{kind}"] = score
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    best, best_score = ranked[0]
    runner = ranked[1][1] if len(ranked) > 1 else 0.0
    # little French and no strong cue: another language (strong cues win over noise)
    if share < p["min_french_share"] and best_score < 2 * p["threshold"]:
        return UNKNOWN, features
    if best_score >= p["threshold"] and best_score - runner >= p["margin"]:
        return best, features
    return UNKNOWN, features


def fold_keep_case(text: str) -> str:
    """Accents removed, case kept (for cues on capitalised words)."""
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
