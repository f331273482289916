"""Precision, recall and F1 per record type against gold annotations (`<gold>/<stem>.json`),
and the confusion of document kinds.

Records are matched as multisets of keys: a measure by value, unit and total; a place
by folded name (and INSEE code when codes are compared); a person by folded name; a
date by ISO value; a section by folded heading; an allocation by amount and
beneficiary (its code when codes are compared). An organisation matches a gold one
that shares its acronym or its full name (a text may give either).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional

from ..folding import fold


def _num(v) -> Optional[float]:
    return None if v is None else round(float(v), 4)


def _beneficiary(r: dict, codes: bool) -> tuple:
    return (_num(r.get("amount_eur")), r.get("insee_code") if codes else fold(r.get("beneficiary") or ""))


KEYS: dict[str, Callable[[dict], tuple]] = {
    "measures": lambda r: (_num(r["value"]), r["unit"], _num(r.get("total"))),
    "places": lambda r: (fold(r["name"]),),
    "people": lambda r: (fold(r["name"]),),
    "dates": lambda r: (r["value"],),
    "sections": lambda r: (fold(r["heading"]),),
    "allocations": lambda r: _beneficiary(r, False),
}
RECORD_TYPES = ("measures", "places", "people", "organizations", "dates", "sections", "allocations")
PLACE_WITH_CODE = lambda r: (fold(r["name"]), r.get("insee_code"))  # noqa: E731
ALLOCATION_WITH_CODE = lambda r: _beneficiary(r, True)  # noqa: E731


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: "Score") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn


def compare(predicted: list[dict], gold: list[dict], key: Callable[[dict], tuple]) -> tuple[Score, list, list]:
    """Score plus the unmatched predicted (false positives) and gold (misses) keys."""
    p = Counter(key(r) for r in predicted)
    g = Counter(key(r) for r in gold)
    tp = sum((p & g).values())
    fps = list((p - g).elements())
    fns = list((g - p).elements())
    return Score(tp, len(fps), len(fns)), fps, fns


ARTICLES = re.compile(r"\b(?:de la|de l|du|des|de|d)\b ?")


def _org_keys(r: dict) -> set[str]:
    """An organisation's acronym and name, folded, its articles left out (`Préfecture
    de Vaucluse` and `Préfecture du Vaucluse` are one name)."""
    return {ARTICLES.sub("", k).strip() for k in (fold(r.get("acronym") or ""), fold(r.get("name") or "")) if k}


def _org_label(r: dict) -> tuple:
    return (r.get("acronym") or r.get("name") or "?",)


def compare_organizations(predicted: list[dict], gold: list[dict]) -> tuple[Score, list, list]:
    """Organisations matched one to one when they share an acronym or a full name
    (`ANCT` in one, `Agence nationale de la cohésion des territoires (ANCT)` in the other)."""
    left = list(predicted)
    missed = []
    for g in gold:
        keys = _org_keys(g)
        hit = next((i for i, p in enumerate(left) if keys & _org_keys(p)), None)
        if hit is None:
            missed.append(_org_label(g))
        else:
            left.pop(hit)
    tp = len(gold) - len(missed)
    return Score(tp, len(left), len(missed)), [_org_label(p) for p in left], missed


def evaluate_document(extraction: dict, gold: dict, *, codes: bool = False) -> dict[str, tuple[Score, list, list]]:
    """(score, extras, misses) per record type the gold annotates."""
    out = {}
    for rtype in RECORD_TYPES:
        if rtype not in gold:
            continue
        if rtype == "organizations":
            out[rtype] = compare_organizations(extraction.get(rtype, []), gold[rtype])
            continue
        key = KEYS[rtype]
        if codes and rtype == "places":
            key = PLACE_WITH_CODE
        if codes and rtype == "allocations":
            key = ALLOCATION_WITH_CODE
        out[rtype] = compare(extraction.get(rtype, []), gold[rtype], key)
    return out


def gold_for(path: Path, gold_dir: Path) -> Optional[dict]:
    """The gold of `<stem>.json`; a variant `<stem>--<producer>--<layout>` (the same
    document printed another way) shares its document's gold."""
    stem = Path(path).stem
    for name in (stem, stem.split("--")[0]):
        g = Path(gold_dir) / f"{name}.json"
        if g.exists():
            return json.loads(g.read_text(encoding="utf-8"))
    return None


@dataclass
class DocumentScore:
    name: str
    kind: str  # extracted
    gold_kind: Optional[str]
    scores: dict[str, tuple[Score, list, list]]


@dataclass
class Evaluation:
    """Scores of a set of documents against their gold, per document and pooled."""

    documents: list[DocumentScore] = field(default_factory=list)

    @property
    def totals(self) -> dict[str, Score]:
        out: dict[str, Score] = {}
        for d in self.documents:
            for rtype, (score, _, _) in d.scores.items():
                out.setdefault(rtype, Score()).add(score)
        return out

    @property
    def kinds(self) -> Counter:
        """(gold kind, extracted kind) -> documents: the confusion matrix."""
        return Counter((d.gold_kind, d.kind) for d in self.documents if d.gold_kind)

    def to_dict(self) -> dict:
        return {
            "totals": {t: {"tp": s.tp, "fp": s.fp, "fn": s.fn, "precision": round(s.precision, 4),
                           "recall": round(s.recall, 4), "f1": round(s.f1, 4)} for t, s in self.totals.items()},
            "kinds": [{"gold": g, "extracted": k, "documents": n} for (g, k), n in sorted(self.kinds.items())],
            "documents": [{"name": d.name, "kind": d.kind, "gold_kind": d.gold_kind,
                           "scores": {t: {"tp": s.tp, "fp": s.fp, "fn": s.fn, "extra": fps, "missed": fns}
                                      for t, (s, fps, fns) in d.scores.items()}} for d in self.documents],
        }

    def format(self, *, verbose: bool = False, per_document: bool = True) -> str:
        """The table a terminal shows: one row per document and record type, then ALL."""
        rows = [(d.name, t, s) for d in self.documents for t, (s, _, _) in d.scores.items()] if per_document else []
        rows += [("ALL", t, s) for t, s in self.totals.items()]
        width = max([len(r[0]) for r in rows] + [8])
        out = [f"{'document':<{width}}  {'records':<13} {'tp':>5} {'fp':>5} {'fn':>5} {'precision':>9} {'recall':>7} {'F1':>6}"]
        for name, rtype, s in rows:
            out.append(f"{name:<{width}}  {rtype:<13} {s.tp:>5} {s.fp:>5} {s.fn:>5} {s.precision:>9.3f} {s.recall:>7.3f} {s.f1:>6.3f}")
        if self.kinds:
            out.append("")
            out.append(self.format_kinds())
        if verbose:
            for d in self.documents:
                for rtype, (_, fps, fns) in d.scores.items():
                    if fps or fns:
                        out.append(f"\n{d.name} {rtype}:\n  extra: {fps}\n  missed: {fns}")
        return "\n".join(out)

    def format_kinds(self) -> str:
        """The confusion matrix of kinds: gold kinds in rows, extracted kinds in columns."""
        kinds = ["fiche_territoriale", "communique_de_presse", "article", "autre", "inconnu"]
        counts = self.kinds
        corner = "gold \\ extracted"
        head = f"{corner:<22}" + "".join(f"{k[:12]:>13}" for k in kinds)
        lines = [head]
        for g in kinds:
            if any(counts[(g, k)] for k in kinds):
                lines.append(f"{g:<22}" + "".join(f"{counts[(g, k)]:>13}" for k in kinds))
        return "\n".join(lines)


def evaluate(paths: Iterable[Path | str], gold_dir: Path | str, *, codes: bool = False,
             extract: Optional[Callable[[Path], dict]] = None) -> Evaluation:
    """Extract every document of `paths` that has a gold file in `gold_dir` and score it;
    `extract` (a path to the record contract's dict) defaults to the default pipeline."""
    if extract is None:
        from ..pipeline import extract_path

        def extract(p: Path) -> dict:
            return extract_path(p).model_dump(mode="json")

    result = Evaluation()
    for path in map(Path, paths):
        gold = gold_for(path, Path(gold_dir))
        if gold is None:
            continue
        ex = extract(path)
        result.documents.append(DocumentScore(path.name, ex["document"]["kind"],
                                              (gold.get("document") or {}).get("kind"),
                                              evaluate_document(ex, gold, codes=codes)))
    return result
