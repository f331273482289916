"""SQLite store (sqlite-utils): one row per document, its records in child tables,
replaced in one transaction when the document is extracted again."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from functools import lru_cache
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Optional

import sqlite_utils

from ..models import Extraction

EVIDENCE = {"text": str, "page": int, "start": int, "end": int}

# record table -> (Extraction attribute, columns). Code columns are text.
RECORD_TABLES: dict[str, tuple[str, dict[str, Any]]] = {
    "sections": ("sections", {"heading": str, "path": str, "level": int, "body": str}),
    "measures": ("measures", {"value": float, "unit": str, "object": str, "total": float, "scope": str, "section": str}),
    "places": ("places", {"name": str, "kind": str, "insee_code": str, "department_code": str, "section": str, "source": str,
                          "population": int, "latitude": float, "longitude": float, "programme": str}),
    "people": ("people", {"name": str, "role": str, "organization": str, "mentions": str}),
    "organizations": ("organizations", {"name": str, "acronym": str}),
    "dates": ("dates", {"value": str}),
    "links": ("links", {"url": str}),
    "bullets": ("bullets", {"item": str, "section": str}),
    "allocations": ("allocations", {"beneficiary": str, "insee_code": str, "programme": str, "project": str,
                                    "amount_eur": float, "year": int, "measure_index": int, "place_index": int,
                                    "section": str}),
}
DOCUMENT_COLUMNS = {
    "id": str, "source": str, "kind": str, "title": str, "department_code": str, "department_name": str,
    "date": str, "pages": int, "format": str, "status": str, "error": str, "kind_features": str,
    "text": str, "run_id": int, "extracted_at": str, "version": str, "patterns_hash": str, "rules_hash": str,
    "engine": str, "file_size": int, "file_mtime": float, "running_lines": str,
}
CHILD_TABLES = list(RECORD_TABLES) + ["tables", "findings"]


def open_db(path: Path | str) -> sqlite_utils.Database:
    """Open (and create if needed) the database with its schema."""
    path = Path(path)
    if str(path) != ":memory:":
        path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=60)
    conn.execute("PRAGMA journal_mode=WAL")
    # in WAL mode, NORMAL keeps every committed document through a crash or a kill -9
    # of the process (only a power cut may lose the last commits, never consistency)
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    db = sqlite_utils.Database(conn)
    ensure_schema(db)
    return db


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Tables, then the readers' layer (indexes, views, full-text search)."""
    _ensure_tables(db)
    from .publish import ensure_reader_schema

    ensure_reader_schema(db)


def _ensure_tables(db: sqlite_utils.Database) -> None:
    if "runs" not in db.table_names():
        db["runs"].create(
            {"id": int, "started_at": str, "finished_at": str, "version": str, "patterns_hash": str,
             "rules_hash": str, "engine": str, "paths": str, "documents": int, "ok": int, "partial": int, "failed": int, "skipped": int},
            pk="id",
        )
    if "documents" not in db.table_names():
        db["documents"].create(DOCUMENT_COLUMNS, pk="id", foreign_keys=[("run_id", "runs", "id")])
    _add_missing_columns(db, "documents", DOCUMENT_COLUMNS)
    _add_missing_columns(db, "runs", {"rules_hash": str, "engine": str})
    for table, (_, cols) in RECORD_TABLES.items():
        if table not in db.table_names():
            columns = {"id": int, "document_id": str, "ord": int, **cols, **EVIDENCE, "bbox": str}
            db[table].create(columns, pk="id", foreign_keys=[("document_id", "documents", "id")])
            db[table].create_index(["document_id"])
        else:
            _add_missing_columns(db, table, cols)
    if "tables" not in db.table_names():
        db["tables"].create(
            {"id": int, "document_id": str, "ord": int, "section": str, "page": int, "header": str, "rows": str,
             "start": int, "end": int, "bbox": str},
            pk="id", foreign_keys=[("document_id", "documents", "id")],
        )
        db["tables"].create_index(["document_id"])
    if "findings" not in db.table_names():
        db["findings"].create(
            {"id": int, "document_id": str, "ord": int, "check": str, "severity": str, "message": str,
             "evidence": str, "page": int, "start": int, "end": int},
            pk="id", foreign_keys=[("document_id", "documents", "id")],
        )
        db["findings"].create_index(["document_id"])
    from .programme_lists import ensure_programme_lists

    ensure_programme_lists(db)


def _add_missing_columns(db: sqlite_utils.Database, table: str, columns: dict[str, Any]) -> None:
    """A database written by an earlier version gains the new columns (empty)."""
    have = db[table].columns_dict
    for name, kind in columns.items():
        if name not in have:
            db[table].add_column(name, kind)


def _bbox(value) -> Optional[str]:
    return json.dumps([round(v, 2) for v in value]) if value else None


def _cell(value):
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else value


@lru_cache(maxsize=64)
def _insert_sql(table: str, columns: tuple[str, ...], replace: bool = False) -> str:
    """An INSERT for `table` and `columns`, names of the schema above (never taken
    from a document); the values always go as parameters."""
    names = ", ".join(f"[{c}]" for c in columns)
    return f"INSERT {'OR REPLACE ' if replace else ''}INTO [{table}] ({names}) VALUES ({', '.join('?' * len(columns))})"


def _insert(conn: sqlite3.Connection, table: str, columns: list[str], rows: list[tuple]) -> None:
    if rows:
        conn.executemany(_insert_sql(table, tuple(columns)), rows)


def _record_rows(ex: Extraction, attr: str, cols: dict[str, Any]) -> tuple[list[str], list[tuple]]:
    """(columns, rows) of one record table, read straight from the records."""
    fields = list(cols) + list(EVIDENCE)
    rows = [
        (ex.document.id, i, *(_cell(getattr(rec, f, None)) for f in fields), _bbox(getattr(rec, "bbox", None)))
        for i, rec in enumerate(getattr(ex, attr))
    ]
    return ["document_id", "ord", *fields, "bbox"], rows


def save_extraction(
    db: sqlite_utils.Database,
    ex: Extraction,
    *,
    run_id: Optional[int] = None,
    version: str = "",
    patterns_hash: str = "",
    rules_hash: str = "",
    engine: Optional[str] = None,
    file_size: Optional[int] = None,
    file_mtime: Optional[float] = None,
    keep_text: bool = True,
) -> None:
    """Replace everything stored for this document in one transaction."""
    doc = ex.document.model_dump()
    doc_row = {k: doc.get(k) for k in DOCUMENT_COLUMNS if k in doc}
    doc_row["kind_features"] = json.dumps(doc.get("kind_features") or {}, ensure_ascii=False)
    doc_row["running_lines"] = json.dumps(doc.get("running_lines") or [], ensure_ascii=False)
    if not keep_text:
        doc_row["text"] = None
    doc_row.update(
        run_id=run_id, extracted_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        version=version, patterns_hash=patterns_hash, rules_hash=rules_hash, engine=engine,
        file_size=file_size, file_mtime=file_mtime,
    )
    conn = db.conn
    with conn:
        delete_document_rows(db, ex.document.id)
        conn.execute(_insert_sql("documents", tuple(doc_row), replace=True), list(doc_row.values()))
        for table, (attr, cols) in RECORD_TABLES.items():
            _insert(conn, table, *_record_rows(ex, attr, cols))
        _insert(conn, "tables", ["document_id", "ord", "section", "page", "header", "rows", "start", "end", "bbox"], [
            (ex.document.id, i, t.section, t.page, _cell(t.header), _cell(t.rows), t.start, t.end, _bbox(t.bbox))
            for i, t in enumerate(ex.tables)
        ])
        _insert(conn, "findings", ["document_id", "ord", "check", "severity", "message", "evidence", "page", "start", "end"], [
            (ex.document.id, i, f.check, f.severity, f.message, f.evidence, f.page, f.start, f.end)
            for i, f in enumerate(ex.findings)
        ])
        from .publish import index_document

        index_document(db, ex.document.id)


def delete_document_rows(db: sqlite_utils.Database, document_id: str) -> None:
    from .publish import unindex_document

    unindex_document(db, document_id)
    for table in CHILD_TABLES:
        db.conn.execute(f"DELETE FROM [{table}] WHERE document_id = ?", [document_id])


def delete_source(db: sqlite_utils.Database, source: str, *, keep_id: Optional[str] = None) -> None:
    """Remove what an earlier version of this file left (a changed file has a new id)."""
    for (doc_id,) in db.conn.execute("SELECT id FROM documents WHERE source = ?", [source]).fetchall():
        if doc_id != keep_id:
            with db.conn:
                delete_document_rows(db, doc_id)
                db.conn.execute("DELETE FROM documents WHERE id = ?", [doc_id])


@dataclass
class StoredState:
    by_source: dict[str, dict]
    by_id: dict[str, dict]


def stored_state(db: sqlite_utils.Database) -> StoredState:
    """What is stored of each file, to skip unchanged ones."""
    cur = db.conn.execute(
        "SELECT id, source, file_size, file_mtime, version, patterns_hash, rules_hash, engine, status FROM documents"
    )
    cols = [c[0] for c in cur.description]
    rows = [dict(zip(cols, r)) for r in cur.fetchall()]
    return StoredState({r["source"]: r for r in rows}, {r["id"]: r for r in rows})


def start_run(db: sqlite_utils.Database, *, version: str, patterns_hash: str, paths: list[str],
              rules_hash: str = "", engine: Optional[str] = None) -> int:
    with db.conn:
        return db["runs"].insert(
            {"started_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "version": version,
             "patterns_hash": patterns_hash, "rules_hash": rules_hash, "engine": engine,
             "paths": json.dumps(paths, ensure_ascii=False)}
        ).last_pk


def finish_run(db: sqlite_utils.Database, run_id: int, counts: dict[str, int]) -> None:
    with db.conn:
        db["runs"].update(
            run_id,
            {"finished_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
             "documents": sum(counts.values()), **{k: counts.get(k, 0) for k in ("ok", "partial", "failed", "skipped")}},
        )


def load_extraction(db: sqlite_utils.Database, document_id: str) -> dict:
    """The stored records of one document, as the record contract's dict."""
    doc = db["documents"].get(document_id)
    out = {"document": dict(doc)}
    for table in list(RECORD_TABLES) + ["tables", "findings"]:
        rows = list(db.query(f"SELECT * FROM [{table}] WHERE document_id = ? ORDER BY ord", [document_id]))
        for r in rows:
            for key in ("path", "header", "rows", "bbox"):
                if key in r and isinstance(r[key], str):
                    r[key] = json.loads(r[key])
        out[table] = rows
    return out
