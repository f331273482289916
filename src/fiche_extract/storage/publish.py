"""The readers' layer of the database: indexes on the columns people filter on, views
that answer the common questions (who got what, euros per inhabitant, what a document
leaves out of an official list), and a full-text index (FTS5) over section text,
measure objects and place names, kept in step with each document's rows."""

from __future__ import annotations

import sqlite_utils

INDEXES = {
    "documents": [["department_code"], ["kind"], ["source"], ["date"]],
    "measures": [["unit"], ["section"], ["value"]],
    "places": [["insee_code"], ["department_code"], ["kind"], ["section"], ["name"]],
    "sections": [["heading"]],
    "people": [["name"]],
    "organizations": [["acronym"]],
    "findings": [["check"], ["severity"]],
    "allocations": [["insee_code"], ["programme"], ["amount_eur"], ["year"], ["beneficiary"]],
}

# One document per publication: the PDF when the same document was also given as
# text (same kind, département, date and title); failed documents left out.
VIEWS = {
    "distinct_documents": """
SELECT d.* FROM documents d
WHERE d.status != 'failed' AND NOT EXISTS (
  SELECT 1 FROM documents o
  WHERE o.id != d.id AND o.status != 'failed' AND o.kind = d.kind
    AND IFNULL(o.department_code, '') = IFNULL(d.department_code, '')
    AND IFNULL(o.date, '') = IFNULL(d.date, '') AND IFNULL(o.title, '') = IFNULL(d.title, '')
    AND ((o.format = 'pdf' AND d.format != 'pdf') OR (o.format = d.format AND o.id < d.id)))""",
    "figures": """
SELECT m.id, d.department_code, d.department_name, d.kind, d.title AS document, m.section AS programme,
       m.value, m.unit, m.object, m.total, m.scope, m.page, m.text AS evidence, d.source, m.document_id
FROM measures m JOIN distinct_documents d ON d.id = m.document_id""",
    "figures_per_programme": """
SELECT d.department_code, d.department_name, m.section AS programme, m.unit,
       COUNT(*) AS figures, SUM(m.value) AS total_value
FROM measures m JOIN distinct_documents d ON d.id = m.document_id
GROUP BY d.department_code, d.department_name, m.section, m.unit""",
    "euros_per_programme": """
SELECT m.section AS programme, COUNT(DISTINCT d.department_code) AS departements, COUNT(*) AS amounts,
       SUM(m.value) AS euros
FROM measures m JOIN distinct_documents d ON d.id = m.document_id
WHERE m.unit = 'EUR' AND d.kind = 'fiche_territoriale'
GROUP BY m.section ORDER BY euros DESC""",
    "places_per_programme": """
SELECT d.department_code, d.department_name, p.section AS programme, p.name, p.kind, p.insee_code,
       p.department_code AS place_department_code, p.page, d.kind AS document_kind, d.source, p.document_id
FROM places p JOIN distinct_documents d ON d.id = p.document_id""",
    "people_roles": """
SELECT p.name, p.role, p.organization, d.kind, d.title AS document, d.department_name, d.date, d.source, p.document_id
FROM people p JOIN distinct_documents d ON d.id = p.document_id""",
    "who_got_what": """
SELECT a.id, d.department_code, d.department_name, a.beneficiary, a.insee_code, a.programme, a.project,
       a.amount_eur, a.year, d.kind AS document_kind, d.title AS document, d.date AS document_date, a.page,
       a.text AS evidence, d.source, a.document_id
FROM allocations a JOIN distinct_documents d ON d.id = a.document_id""",
    "place_populations": """
SELECT insee_code, kind, MAX(name) AS name, MAX(department_code) AS department_code, MAX(population) AS population,
       MAX(latitude) AS latitude, MAX(longitude) AS longitude
FROM places WHERE insee_code IS NOT NULL AND population > 0
GROUP BY insee_code, kind""",
    "euros_per_inhabitant": """
SELECT a.insee_code, MAX(a.beneficiary) AS beneficiary, p.kind, p.name, p.department_code, COUNT(*) AS grants,
       SUM(a.amount_eur) AS euros, p.population, ROUND(SUM(a.amount_eur) / p.population, 2) AS euros_per_inhabitant,
       p.latitude, p.longitude
FROM allocations a JOIN distinct_documents d ON d.id = a.document_id
JOIN place_populations p ON p.insee_code = a.insee_code
WHERE a.amount_eur IS NOT NULL
GROUP BY a.insee_code""",
    "euros_per_inhabitant_per_programme": """
WITH per_beneficiary AS (
  SELECT a.programme, a.insee_code, SUM(a.amount_eur) AS euros
  FROM allocations a JOIN distinct_documents d ON d.id = a.document_id
  WHERE a.amount_eur IS NOT NULL
  GROUP BY a.programme, a.insee_code)
SELECT g.programme, COUNT(*) AS beneficiaries, SUM(g.euros) AS euros, SUM(p.population) AS inhabitants,
       ROUND(SUM(g.euros) / SUM(p.population), 2) AS euros_per_inhabitant
FROM per_beneficiary g JOIN place_populations p ON p.insee_code = g.insee_code
GROUP BY g.programme""",
    "official_members_left_out": """
SELECT DISTINCT d.id AS document_id, d.source, d.kind, d.title AS document, d.department_code, d.department_name,
       m.programme, m.programme_name, COALESCE(m.commune_code, m.insee_code) AS insee_code, m.name, m.source AS official_list
FROM (SELECT DISTINCT document_id, programme FROM places WHERE programme IS NOT NULL) listed
JOIN distinct_documents d ON d.id = listed.document_id
JOIN programme_members m ON m.programme = listed.programme AND m.department_code = d.department_code
WHERE m.member_kind = 'commune' AND NOT EXISTS (
  SELECT 1 FROM places p WHERE p.document_id = d.id AND p.programme = m.programme
    AND p.insee_code IN (m.insee_code, m.commune_code))""",
    "findings_per_document": """
SELECT d.id AS document_id, d.source, d.kind, d.department_name, d.status, d.error,
       SUM(f.severity = 'error') AS errors, SUM(f.severity = 'warning') AS warnings,
       SUM(f.severity = 'info') AS infos, COUNT(f.id) AS findings
FROM documents d LEFT JOIN findings f ON f.document_id = d.id
GROUP BY d.id""",
}
SEARCH = "search"


# The full-text rows of a record have the rowid `id * 4 + kind`: a document's rows
# are deleted by rowid (the index has no usable column to delete by: a scan of the
# whole index per document would make a batch quadratic).
SEARCH_KINDS = {"section": 1, "measure": 2, "place": 3}
SEARCH_SCHEMA_VERSION = 2  # PRAGMA user_version: 2 = rowids derived from record ids
_S, _M, _P = (SEARCH_KINDS[k] for k in ("section", "measure", "place"))
UNINDEX_SQL = f"""DELETE FROM [{SEARCH}] WHERE rowid IN (
SELECT id * 4 + {_S} FROM sections WHERE document_id = ?
UNION ALL SELECT id * 4 + {_M} FROM measures WHERE document_id = ?
UNION ALL SELECT id * 4 + {_P} FROM places WHERE document_id = ?)"""
INDEX_SQL = f"""INSERT INTO [{SEARCH}] (rowid, content, record, document_id, section, ref)
SELECT id * 4 + {_S}, heading || ' — ' || IFNULL(body, ''), 'section', document_id, heading, id
FROM sections WHERE document_id = ?
UNION ALL
SELECT id * 4 + {_M}, IFNULL(object, '') || ' — ' || text, 'measure', document_id, section, id
FROM measures WHERE document_id = ?
UNION ALL
SELECT id * 4 + {_P}, name || CASE WHEN text != name THEN ' — ' || text ELSE '' END, 'place', document_id, section, id
FROM places WHERE document_id = ?"""
SET_VERSION_SQL = f"PRAGMA user_version = {SEARCH_SCHEMA_VERSION}"


def ensure_reader_schema(db: sqlite_utils.Database) -> None:
    for table, indexes in INDEXES.items():
        existing = {tuple(i.columns) for i in db[table].indexes}
        for cols in indexes:
            if tuple(cols) not in existing:
                db[table].create_index(cols)
    for name, sql in VIEWS.items():
        if name not in db.view_names():
            db.create_view(name, sql.strip())
    version = db.conn.execute("PRAGMA user_version").fetchone()[0]
    if SEARCH in db.table_names() and version < SEARCH_SCHEMA_VERSION:
        db.conn.execute(f"DROP TABLE [{SEARCH}]")  # an older layout: rebuilt below
    if SEARCH not in db.table_names():
        db.conn.execute(
            f"CREATE VIRTUAL TABLE [{SEARCH}] USING fts5("
            "content, record UNINDEXED, document_id UNINDEXED, section UNINDEXED, ref UNINDEXED, "
            "tokenize = 'unicode61 remove_diacritics 2')"
        )
        with db.conn:
            for (document_id,) in db.conn.execute("SELECT id FROM documents").fetchall():
                index_document(db, document_id)
    db.conn.execute(SET_VERSION_SQL)


def unindex_document(db: sqlite_utils.Database, document_id: str) -> None:
    """Remove a document's rows from the full-text index (before its records go)."""
    db.conn.execute(UNINDEX_SQL, [document_id] * 3)


def index_document(db: sqlite_utils.Database, document_id: str) -> None:
    """Put a document's section texts, measure objects and place names in the
    full-text index (called inside the transaction that stores the document)."""
    unindex_document(db, document_id)
    db.conn.execute(INDEX_SQL, [document_id] * 3)
