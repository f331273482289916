"""The official ANCT programme lists in the database (`programme_members`,
`programme_counts`), copied from `resources.programmes` once, when the database is
created: the reference the reconciliation findings and views compare documents to."""

from __future__ import annotations

from dataclasses import asdict

import sqlite_utils

from ..resources import programmes

MEMBER_COLUMNS = {
    "programme": str, "programme_name": str, "member_kind": str, "insee_code": str, "name": str,
    "department_code": str, "commune_code": str, "territory_id": str, "territory_name": str, "date": str,
    "site_type": str, "site_format": str, "source": str,
}
COUNT_COLUMNS = {"programme": str, "programme_name": str, "department_code": str, "value": int, "date": str,
                 "indicator": str, "source": str}


def ensure_programme_lists(db: sqlite_utils.Database) -> None:
    """Create and fill both tables when they are missing (a database made by an
    earlier version gains them); an existing database keeps the rows it has."""
    names = set(db.table_names())
    if "programme_members" not in names:
        db["programme_members"].create({"id": int, **MEMBER_COLUMNS}, pk="id")
        rows = [asdict(m) for code in programmes.PROGRAMMES for m in programmes.members(code)]
        with db.conn:
            db["programme_members"].insert_all(rows, batch_size=2000)
        for cols in (["programme", "department_code"], ["insee_code"], ["commune_code"]):
            db["programme_members"].create_index(cols)
    if "programme_counts" not in names:
        db["programme_counts"].create({"id": int, **COUNT_COLUMNS}, pk="id")
        rows = [{**asdict(c), "programme_name": programmes.PROGRAMMES[c.programme]}
                for code in programmes.PROGRAMMES for c in programmes.reported_counts(code)]
        with db.conn:
            db["programme_counts"].insert_all(rows)
        db["programme_counts"].create_index(["programme", "department_code"])
