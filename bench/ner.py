"""NER cost per page, model load excluded, and the gazetteer's load time.

Run: .venv/bin/python bench/ner.py [FILES...] (default: the corpus documents).
Prints one table; nothing is asserted.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def main(argv: list[str]) -> int:
    from fiche_extract.reading.load import load
    from fiche_extract.reading.normalise import normalise
    from fiche_extract.resources import Resources
    from fiche_extract.resources.gazetteer import Gazetteer, _read_rows
    from fiche_extract.resources.nlp import entities

    files = [Path(a) for a in argv] or sorted((ROOT / "corpus").glob("*.*[tf]"))
    rows = list(_read_rows())
    t = time.perf_counter()
    Gazetteer(rows)
    gazetteer_s = time.perf_counter() - t

    t = time.perf_counter()
    nlp = Resources().nlp
    load_s = time.perf_counter() - t
    texts, pages, words = [], 0, 0
    for f in files:
        doc = load(f)
        nt = normalise(doc.pages)
        texts.append(nt.text)
        pages += nt.pages
        words += len(nt.text.split())
    entities(texts[:1], nlp=nlp)  # warm-up
    repeats = 5
    t = time.perf_counter()
    for _ in range(repeats):
        entities(texts, nlp=nlp)
    ner_s = (time.perf_counter() - t) / repeats
    print(f"pipeline components: {', '.join(nlp.pipe_names)}")
    print(f"{'measure':<34}{'value':>12}")
    print(f"{'gazetteer build (rows parsed)':<34}{gazetteer_s * 1000:>10.0f} ms")
    print(f"{'spaCy model + ruler load':<34}{load_s:>10.2f} s")
    print(f"{'documents / pages / words':<34}{len(files):>4} / {pages} / {words}")
    print(f"{'NER per page (load excluded)':<34}{ner_s / pages * 1000:>10.1f} ms")
    print(f"{'NER words per second':<34}{words / ner_s:>10.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
