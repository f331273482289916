"""The real corpus: texts published by others, kept out of git, described by a manifest.

    .venv/bin/python scripts/real_corpus.py manifest   # corpus/real/sources.json from meta/ and texts/
    .venv/bin/python scripts/real_corpus.py status     # which texts are present, missing or changed
    .venv/bin/python scripts/real_corpus.py eval       # score the present texts (what `make real-eval` runs)

`corpus/real/texts/<id>.txt` holds each text exactly as the search tool's `pages`
corpus returned it (git-ignored: third-party sentences never enter the repository);
`corpus/real/sources.json` says, per text, its url, the query that returns it (and the
rank of the url in that answer), the sha256 of the saved text and its first words;
`corpus/real/gold/<id>.json` holds the facts read from it (docs/annotation-guide.md).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT / "corpus" / "real"
FIRST_WORDS = 6


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_manifest() -> list[dict]:
    """Entries from the collectors' notes (`meta/<id>.json`) and the saved texts."""
    out = []
    for meta_path in sorted((REAL / "meta").glob("*.json")):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        text_path = REAL / "texts" / f"{meta['id']}.txt"
        text = text_path.read_text(encoding="utf-8")
        gold = json.loads((REAL / "gold" / f"{meta['id']}.json").read_text(encoding="utf-8"))
        out.append({
            "id": meta["id"],
            "url": meta["url"],
            "query": meta["query"],
            "rank": meta.get("rank"),
            "sha256": sha256(text_path),
            "characters": len(text),
            "first_words": " ".join(text.split()[:FIRST_WORDS]),
            "kind": gold["document"]["kind"],
            "department_code": gold["document"].get("department_code"),
            "split": meta.get("split", "dev"),
        })
    return out


def manifest() -> dict:
    path = REAL / "sources.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"texts": []}


def status(split: str | None = None) -> tuple[list[dict], list[dict], list[dict]]:
    """(present and unchanged, missing, present but with other bytes), of one split
    (`dev`: the texts the rules were tuned on; `heldout`: texts scored blind) or all."""
    present, missing, changed = [], [], []
    for entry in manifest()["texts"]:
        if split and entry.get("split", "dev") != split:
            continue
        path = REAL / "texts" / f"{entry['id']}.txt"
        if not path.exists():
            missing.append(entry)
        elif sha256(path) != entry["sha256"]:
            changed.append(entry)
        else:
            present.append(entry)
    return present, missing, changed


def how_to_retrieve(entry: dict) -> str:
    return (f"  {entry['id']}: search the `pages` corpus for {json.dumps(entry['query'], ensure_ascii=False)}, "
            f"take the result {entry['url']} (rank {entry['rank']}) and save its excerpt, exactly as returned, "
            f"as corpus/real/texts/{entry['id']}.txt (sha256 {entry['sha256'][:12]}…, starts "
            f"{json.dumps(entry['first_words'], ensure_ascii=False)})")


def report_status(split: str | None = None) -> int:
    present, missing, changed = status(split)
    total = len(present) + len(missing) + len(changed)
    print(f"real corpus{f' ({split})' if split else ''}: {len(present)} of {total} texts present"
          + (f", {len(changed)} with other bytes than the manifest's" if changed else ""))
    if missing:
        print(f"{len(missing)} missing (third-party texts are not in git); to retrieve them:")
        for entry in missing:
            print(how_to_retrieve(entry))
    for entry in changed:
        print(f"  {entry['id']}: the saved text differs from the manifest's sha256; scored anyway")
    return 0


def evaluate(args) -> int:
    report_status(args.split)
    present, _, changed = status(args.split)
    paths = [REAL / "texts" / f"{e['id']}.txt" for e in present + changed]
    if not paths:
        print("nothing to score")
        return 0
    sys.path.insert(0, str(ROOT / "src"))
    import fiche_extract

    result = fiche_extract.evaluate(paths, REAL / "gold", codes=True)
    print(result.format(verbose=args.verbose, per_document=args.per_document))
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(result.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"scores written to {args.json}")
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("manifest", help="write corpus/real/sources.json from meta/ and texts/")
    sub.add_parser("status", help="which texts are present, missing or changed")
    p = sub.add_parser("eval", help="score the present texts against their gold (places with INSEE codes)")
    p.add_argument("--per-document", action="store_true", help="one row per document and record type")
    p.add_argument("-v", "--verbose", action="store_true", help="list the misses and extras")
    p.add_argument("--json", help="also write the scores to this file")
    p.add_argument("--split", choices=["dev", "heldout", "heldout2", "heldout3", "heldout4"],
                   help="only the texts the rules were tuned on first (dev) or one of the splits collected later and scored blind (heldout, heldout2…)")
    args = parser.parse_args(argv)
    if args.command == "manifest":
        entries = build_manifest()
        (REAL / "sources.json").write_text(json.dumps({
            "about": "Real texts of the evaluation corpus: published by others, not in git. Each entry says where "
                     "the text comes from and how the search tool's `pages` corpus returns it (query, rank), with "
                     "the sha256 of the saved excerpt. Gold facts: corpus/real/gold/<id>.json.",
            "texts": entries,
        }, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"{len(entries)} texts in corpus/real/sources.json")
        return 0
    if args.command == "status":
        return report_status()
    return evaluate(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
