"""Write docs/journalists.md from the package's descriptions and canned queries
(src/fiche_extract/data/datasette.yaml), so the guide, Datasette and the tests
share one source. Run: `make guide`."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "journalists.md"

INTRO = """# A guide for journalists

The database `output/fiches.db` holds what fiche-extract read in the ANCT's
*fiches territoriales* and in prefecture press releases: every figure, place,
person and organisation, each with the page and the words it comes from.

Open it in your browser (read-only, nothing can be changed):

```sh
make run     # extract the documents of corpus/ into output/fiches.db
make serve   # open it in Datasette at http://127.0.0.1:8001
```

or with `sqlite3 output/fiches.db`. Every table and view is described in
Datasette; the questions below are there as ready-made queries (on the database
page, "Queries"). Export any table or view for a spreadsheet with
`.venv/bin/fiche-extract export output/fiches.db --table figures --format csv -o figures.csv`
(`--format json` or `parquet` too).

Before publishing a figure, look at its `findings` (the question "Which figures or places should be checked before publication?"): the quality
checks flag lists that do not match their announced count, tables whose parts
do not add up, places said to be in the wrong département.

A document given both as PDF and as text appears twice in `documents`; the views
(`figures`, `places_per_programme`, ...) keep one of them.

Values written `:name` in a query are parameters: Datasette shows a field for
each; with sqlite3, replace them by a value in quotes.
"""


def render() -> str:
    sys.path.insert(0, str(ROOT / "src"))
    from fiche_extract.storage.serve import publication

    pub = publication()
    out = [INTRO, f"\n## {len(pub['queries'])} questions\n"]
    for n, (name, q) in enumerate(pub["queries"].items(), start=1):
        params = ", ".join(f"`:{k}` = `{v}`" for k, v in (q.get("example") or {}).items())
        out.append(f"\n### {n}. {q['title']}\n\n{q['description']}"
                   f"{' Example: ' + params + '.' if params else ''} (Datasette query `{name}`.)\n\n"
                   f"```sql\n{q['sql']}\n```\n")
    out.append("\n## What the columns mean\n")
    for table, info in pub["tables"].items():
        out.append(f"\n### `{table}`\n\n{info['description']}\n")
        if info.get("columns"):
            out.append("\n| column | meaning |\n|---|---|\n")
            out.extend(f"| `{c}` | {d} |\n" for c, d in info["columns"].items())
    out.append(
        "\nEvery record table also has `document_id` (the document it comes from) and its evidence: "
        "`text` (the words read), `page`, `start` and `end` (character offsets in `documents.text`) "
        "and `bbox` (position on the PDF page, in points).\n"
    )
    return "".join(out)


def main() -> int:
    GUIDE.parent.mkdir(exist_ok=True)
    GUIDE.write_text(render(), encoding="utf-8")
    print(f"wrote {GUIDE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
