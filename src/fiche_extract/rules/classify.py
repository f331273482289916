"""Document kind from weighted cues (`patterns/classify.yaml`), with the features that
decided it.

Kinds: `fiche_territoriale`, `communique_de_presse`, `article` (press, blogs, relays)
and `autre` (any other French text). The kind only picks section rules: every French
document goes through every extraction stage. A text that is not French is `inconnu`
and skipped, with a message saying why.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from .. import rx as re
from ..folding import fold
from ..models import Finding
from ..stages import stage

UNKNOWN = "inconnu"
FALLBACK = "autre"


@dataclass(frozen=True)
class _Cue:
    kind: str
    name: str
    weight: float
    phrase: str | None  # folded phrase looked for anywhere in the folded text
    regex: "re.Pattern | None"  # looked for in the head of the text, accents removed, case kept
    head: bool
    min_count: int = 1  # a regex found at least this many times (over the whole text as written)


@dataclass(frozen=True)
class _Vocabulary:
    cues: tuple[_Cue, ...]
    kinds: tuple[str, ...]
    french_words: frozenset[str]
    threshold: float
    margin: float
    min_french_share: float
    head_chars: int
    low_thresholds: dict[str, float]


def _vocabulary(resources) -> _Vocabulary:
    p = resources.patterns["classify"]
    cues = []
    for kind, items in p["kinds"].items():
        for cue in items:
            if "cue" in cue:
                cues.append(_Cue(kind, cue["cue"], float(cue["weight"]), fold(cue["cue"]), None, bool(cue.get("head"))))
            else:
                cues.append(_Cue(kind, cue.get("name", cue["regex"]), float(cue["weight"]), None,
                                 re.compile(cue["regex"], re.MULTILINE), not cue.get("anywhere"),
                                 int(cue.get("min_count", 1))))
    return _Vocabulary(tuple(cues), tuple(p["kinds"]), frozenset(p["french_words"]), float(p["threshold"]),
                       float(p["margin"]), float(p["min_french_share"]), int(p.get("head_chars", 600)),
                       {k: float(x) for k, x in (p.get("low_thresholds") or {}).items()})


def french_share(text: str, words: frozenset[str]) -> float:
    """Share of tokens that are common French function words."""
    tokens = re.findall(r"\p{L}+", text.lower())
    return sum(t in words for t in tokens) / len(tokens) if tokens else 0.0


def classify(text: str, resources=None) -> tuple[str, dict[str, float]]:
    """(kind, features): each cue found with its weight, the scores and the share of
    French function words."""
    from ..resources import default_resources

    v = (resources or default_resources()).compiled(_vocabulary)
    folded = fold(text)
    head_folded = fold(text[:v.head_chars])
    head = strip_accents(text[:v.head_chars])
    whole = strip_accents(text) if any(c.regex is not None and not c.head for c in v.cues) else head
    features: dict[str, float] = {}
    scores = dict.fromkeys(v.kinds, 0.0)
    for cue in v.cues:
        if cue.regex is not None and cue.min_count > 1:  # a style of the whole text, accents kept
            hit = sum(1 for _ in zip(range(cue.min_count), cue.regex.finditer(text))) >= cue.min_count
        elif cue.regex is not None:
            hit = cue.regex.search(head if cue.head else whole) is not None
        else:
            hit = cue.phrase in (head_folded if cue.head else folded)
        if hit:
            features[f"{cue.kind}:{cue.name}"] = cue.weight
            scores[cue.kind] += cue.weight
    share = french_share(text, v.french_words)
    features["french_share"] = round(share, 3)
    for kind, score in scores.items():
        features[f"score:{kind}"] = score
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    best, best_score = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    if share < v.min_french_share and best_score < 2 * v.threshold:
        return UNKNOWN, features  # little French and no strong cue: another language
    if best_score >= v.threshold and best_score - runner_up >= v.margin:
        return best, features
    # a kind of its own lower threshold that leads, or ties for the lead (news with a
    # prefect's words in it is still news): before the fallback
    for kind, low in v.low_thresholds.items():
        if scores.get(kind, 0.0) >= low and scores[kind] >= best_score:
            return kind, features
    return FALLBACK, features


def strip_accents(text: str) -> str:
    """Accents removed, case kept (for cues on capitalised words)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@stage("classify", requires=["text"], assigns=["kind"])
def classify_stage(doc) -> None:
    """The document's kind; a text that is not French ends the document as `skipped`."""
    info = doc.info
    kind, features = classify(doc.text.text, doc.resources)
    info.kind_features = features
    forced = doc.extras.get("kind")
    info.kind = forced or kind
    if info.kind == UNKNOWN:
        info.status = "skipped"
        info.error = "the text does not look French: nothing extracted"
        doc.add_finding(Finding(
            check="not_french", severity="warning", message=info.error,
            evidence=", ".join(f"{k}={v}" for k, v in features.items() if k.startswith(("score", "french"))),
        ))
