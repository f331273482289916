"""Precision, recall and F1 per record type against gold annotations (`corpus/gold/<stem>.json`).

Records are matched as multisets of keys: a measure by value, unit and total; a
place by folded name (and INSEE code when codes are compared); a person by
folded name; an organisation by acronym, else folded name; a date by ISO value;
a section by folded heading.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from ..folding import fold


def _num(v) -> Optional[float]:
    return None if v is None else round(float(v), 4)


def _org_key(r: dict) -> str:
    return fold(r.get("acronym") or "") or fold(r.get("name") or "")


KEYS: dict[str, Callable[[dict], tuple]] = {
    "measures": lambda r: (_num(r["value"]), r["unit"], _num(r.get("total"))),
    "places": lambda r: (fold(r["name"]),),
    "people": lambda r: (fold(r["name"]),),
    "organizations": lambda r: (_org_key(r),),
    "dates": lambda r: (r["value"],),
    "sections": lambda r: (fold(r["heading"]),),
}
PLACE_WITH_CODE = lambda r: (fold(r["name"]), r.get("insee_code"))  # noqa: E731


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


def evaluate_document(extraction: dict, gold: dict, *, codes: bool = False) -> dict[str, tuple[Score, list, list]]:
    out = {}
    for rtype, key in KEYS.items():
        if rtype not in gold:
            continue
        if rtype == "places" and codes:
            key = PLACE_WITH_CODE
        out[rtype] = compare(extraction.get(rtype, []), gold[rtype], key)
    return out


def gold_for(path: Path, gold_dir: Path) -> Optional[dict]:
    g = gold_dir / f"{path.stem}.json"
    return json.loads(g.read_text(encoding="utf-8")) if g.exists() else None
