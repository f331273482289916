"""Export a table or view to CSV, JSON or Parquet for spreadsheet users."""

from __future__ import annotations

import csv
import json
import sqlite3
import sys
from pathlib import Path
from typing import IO, Optional

from ..errors import UsageError

FORMATS = ("csv", "json", "parquet")


def relations(con: sqlite3.Connection) -> list[str]:
    """Tables and views a user may export (no SQLite or full-text internals)."""
    rows = con.execute(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' "
        "AND name NOT LIKE 'search_%' ORDER BY name"
    )
    return [r[0] for r in rows]


def export(db_path: Path | str, table: str, fmt: str, output: Optional[Path | str] = None) -> int:
    """Write every row of `table` in `fmt` to `output` (stdout when None); returns the row count."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        names = relations(con)
        if table not in names:
            raise UsageError(f"no table or view {table!r}; there are: {', '.join(names)}")
        cur = con.execute(f'SELECT * FROM "{table}"')  # name checked against sqlite_master above
        columns = [c[0] for c in cur.description]
        rows = cur.fetchall()
    finally:
        con.close()
    if fmt == "parquet":
        if output is None:
            raise UsageError("parquet needs --output FILE")
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError as exc:
            raise UsageError("parquet export needs pyarrow: pip install 'fiche-extract[parquet]'") from exc
        pq.write_table(pa.table({c: [r[i] for r in rows] for i, c in enumerate(columns)}), str(output))
        return len(rows)
    fh: IO[str] = open(output, "w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        if fmt == "csv":
            writer = csv.writer(fh)
            writer.writerow(columns)
            writer.writerows(rows)
        else:
            json.dump([dict(zip(columns, r)) for r in rows], fh, ensure_ascii=False, indent=1)
            fh.write("\n")
    finally:
        if output:
            fh.close()
    return len(rows)
