"""What changed between two databases, document by document, matched on meaning:
a measure by (section, object, unit, scope), a place by (section, name), a person by
name... never by row ids. Terminal summary, JSON, or one self-contained HTML page."""

from __future__ import annotations

import html
import json
import sqlite3
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

from ..folding import fold

CONTEXT = 90  # characters of source text on each side of a changed value


def _f(v: Any) -> str:
    return fold(str(v)) if v is not None else ""


# record table -> (meaning key, compared value, label)
KEYS: dict[str, tuple[Callable[[dict], tuple], Callable[[dict], Any], Callable[[dict], str]]] = {
    "measures": (
        lambda r: (r["section"], _f(r["object"]), r["unit"], r["scope"]),
        lambda r: {"value": r["value"], "total": r["total"]},
        lambda r: f"{r['object'] or '?'} ({r['unit']}{', ' + r['scope'] if r['scope'] else ''})",
    ),
    "places": (
        lambda r: (r["section"], _f(r["name"])),
        lambda r: {"kind": r["kind"], "insee_code": r["insee_code"]},
        lambda r: r["name"],
    ),
    "people": (lambda r: (_f(r["name"]),), lambda r: {"role": r["role"]}, lambda r: r["name"]),
    "organizations": (
        lambda r: (_f(r["acronym"] or r["name"]),),
        lambda r: {"name": r["name"], "acronym": r["acronym"]},
        lambda r: r["acronym"] or r["name"] or "?",
    ),
    "dates": (lambda r: (r["value"],), lambda r: {"value": r["value"]}, lambda r: r["value"]),
    "sections": (lambda r: (_f(r["heading"]),), lambda r: {"level": r["level"], "path": r["path"]}, lambda r: r["heading"]),
    "allocations": (
        lambda r: (_f(r["beneficiary"]), r["programme"], _f(r["project"])),
        lambda r: {"amount_eur": r["amount_eur"], "insee_code": r["insee_code"], "year": r["year"]},
        lambda r: f"{r['beneficiary']} ({r['programme'] or '?'})",
    ),
    "findings": (lambda r: (r["check"], r["message"]), lambda r: {"severity": r["severity"]}, lambda r: r["check"]),
}
DOCUMENT_FIELDS = ("kind", "title", "department_code", "date", "pages", "status", "error")


@dataclass
class Change:
    record: str  # record table
    change: str  # added | removed | changed
    label: str
    old: Optional[Any] = None
    new: Optional[Any] = None
    page: Optional[int] = None
    context: Optional[dict] = None  # before / text / after, from the side that has it


@dataclass
class DocumentDiff:
    source: str
    status: str  # same | changed | added | removed
    changes: list[Change] = field(default_factory=list)


def _rows(con: sqlite3.Connection, table: str, document_id: str) -> list[dict]:
    """A document's rows of a record table (none when a database written by an earlier
    version lacks the table)."""
    try:
        cur = con.execute(f"SELECT * FROM [{table}] WHERE document_id = ? ORDER BY ord", [document_id])
    except sqlite3.OperationalError:
        return []
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def _documents(con: sqlite3.Connection) -> dict[str, dict]:
    cur = con.execute("SELECT * FROM documents")
    cols = [c[0] for c in cur.description]
    return {row["source"]: row for row in (dict(zip(cols, r)) for r in cur.fetchall())}


def _context(doc: dict, rec: dict) -> Optional[dict]:
    text = doc.get("text") or ""
    start, end = rec.get("start"), rec.get("end")
    if start is None or end is None or not text:
        return None
    return {"before": text[max(0, start - CONTEXT):start], "text": text[start:end], "after": text[end:end + CONTEXT]}


def _compare(table: str, old_doc: dict, new_doc: dict, old: list[dict], new: list[dict]) -> list[Change]:
    key, value, label = KEYS[table]
    by_key_old: dict[tuple, list[dict]] = defaultdict(list)
    by_key_new: dict[tuple, list[dict]] = defaultdict(list)
    for r in old:
        by_key_old[key(r)].append(r)
    for r in new:
        by_key_new[key(r)].append(r)
    changes = []
    for k in sorted(set(by_key_old) | set(by_key_new), key=str):
        a = sorted(by_key_old.get(k, []), key=lambda r: json.dumps(value(r), sort_keys=True, default=str))
        b = sorted(by_key_new.get(k, []), key=lambda r: json.dumps(value(r), sort_keys=True, default=str))
        # identical values pair off first; what is left is changed, added or removed
        rest_a = list(a)
        rest_b = []
        for r in b:
            match = next((x for x in rest_a if value(x) == value(r)), None)
            if match is not None:
                rest_a.remove(match)
            else:
                rest_b.append(r)
        for x, y in zip(rest_a, rest_b):
            changes.append(Change(table, "changed", label(y), value(x), value(y), y.get("page"), _context(new_doc, y)))
        for x in rest_a[len(rest_b):]:
            changes.append(Change(table, "removed", label(x), value(x), None, x.get("page"), _context(old_doc, x)))
        for y in rest_b[len(rest_a):]:
            changes.append(Change(table, "added", label(y), None, value(y), y.get("page"), _context(new_doc, y)))
    return changes


def diff_databases(old_path: Path | str, new_path: Path | str) -> list[DocumentDiff]:
    """Every document of either database with what changed in its records."""
    old_con = sqlite3.connect(f"file:{old_path}?mode=ro", uri=True)
    new_con = sqlite3.connect(f"file:{new_path}?mode=ro", uri=True)
    try:
        old_docs, new_docs = _documents(old_con), _documents(new_con)
        out = []
        for source in sorted(set(old_docs) | set(new_docs)):
            a, b = old_docs.get(source), new_docs.get(source)
            if a is None:
                out.append(DocumentDiff(source, "added"))
                continue
            if b is None:
                out.append(DocumentDiff(source, "removed"))
                continue
            changes = [
                Change("documents", "changed", f, a.get(f), b.get(f))
                for f in DOCUMENT_FIELDS if a.get(f) != b.get(f)
            ]
            for table in KEYS:
                changes += _compare(table, a, b, _rows(old_con, table, a["id"]), _rows(new_con, table, b["id"]))
            out.append(DocumentDiff(source, "changed" if changes else "same", changes))
        return out
    finally:
        old_con.close()
        new_con.close()


def summary(diffs: list[DocumentDiff]) -> dict[str, int]:
    counts = defaultdict(int)
    for d in diffs:
        counts[f"documents_{d.status}"] += 1
        for c in d.changes:
            counts[c.change] += 1
    return dict(counts)


def has_changes(diffs: list[DocumentDiff]) -> bool:
    return any(d.status != "same" for d in diffs)


def to_json(diffs: list[DocumentDiff]) -> str:
    return json.dumps({"summary": summary(diffs), "documents": [asdict(d) for d in diffs]}, ensure_ascii=False,
                      indent=2, default=str)


def format_terminal(diffs: list[DocumentDiff], *, limit: int = 20) -> str:
    lines = []
    for d in diffs:
        if d.status == "same":
            lines.append(f"  same     {d.source}")
            continue
        lines.append(f"  {d.status:<8} {d.source}" + (f": {len(d.changes)} changes" if d.changes else ""))
        for c in d.changes[:limit]:
            sign = {"added": "+", "removed": "-", "changed": "~"}[c.change]
            detail = f"{_short(c.old)} -> {_short(c.new)}" if c.change == "changed" else _short(c.new or c.old)
            lines.append(f"      {sign} {c.record}: {c.label}: {detail}" + (f" (p. {c.page})" if c.page else ""))
        if len(d.changes) > limit:
            lines.append(f"      ... {len(d.changes) - limit} more")
    s = summary(diffs)
    lines.append(
        f"{sum(v for k, v in s.items() if k.startswith('documents_'))} documents: "
        f"{s.get('documents_changed', 0)} changed, {s.get('documents_added', 0)} added, "
        f"{s.get('documents_removed', 0)} removed; records: {s.get('added', 0)} added, "
        f"{s.get('removed', 0)} removed, {s.get('changed', 0)} changed"
    )
    return "\n".join(lines)


def _short(v: Any) -> str:
    if isinstance(v, dict):
        return ", ".join(f"{k}={_fmt(x)}" for k, x in v.items() if x is not None) or "∅"
    return _fmt(v)


def _fmt(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def to_html(diffs: list[DocumentDiff], *, title: str = "fiche-extract diff") -> str:
    """One self-contained page: every change next to its source text (all escaped)."""
    e = html.escape
    parts = [
        "<!doctype html><html lang='fr'><head><meta charset='utf-8'>",
        f"<title>{e(title)}</title><style>{DIFF_CSS}</style></head><body>",
        f"<h1>{e(title)}</h1><p class='summary'>{e(format_terminal(diffs).splitlines()[-1])}</p>",
    ]
    for d in diffs:
        parts.append(f"<section class='doc {e(d.status)}'><h2>{e(d.source)} <small>{e(d.status)}</small></h2>")
        if d.changes:
            parts.append("<table><tr><th></th><th>record</th><th>what</th><th>old</th><th>new</th><th>source</th></tr>")
            for c in d.changes:
                ctx = ""
                if c.context:
                    ctx = (f"<span class='ctx'>{e(c.context['before'])}<mark>{e(c.context['text'])}</mark>"
                           f"{e(c.context['after'])}</span>")
                page = f"<br><small>p. {c.page}</small>" if c.page else ""
                parts.append(
                    f"<tr class='{e(c.change)}'><td>{e(c.change)}</td><td>{e(c.record)}</td><td>{e(c.label)}</td>"
                    f"<td>{e(_short(c.old)) if c.old is not None else ''}</td>"
                    f"<td>{e(_short(c.new)) if c.new is not None else ''}</td><td>{ctx}{page}</td></tr>"
                )
            parts.append("</table>")
        parts.append("</section>")
    parts.append("</body></html>")
    return "".join(parts)


DIFF_CSS = """
body{font-family:system-ui,sans-serif;margin:2em;color:#222}
h2 small{font-weight:normal;color:#666}
table{border-collapse:collapse;width:100%;font-size:14px}
td,th{border:1px solid #ddd;padding:4px 6px;vertical-align:top;text-align:left}
tr.added td:first-child{background:#e6ffed}tr.removed td:first-child{background:#ffeef0}
tr.changed td:first-child{background:#fff5b1}
.ctx{white-space:pre-wrap;color:#555}mark{background:#ffd33d;color:#000}
section.same h2{color:#888}
"""


@dataclass
class Diff:
    """What changed between two databases (`diff(old, new)`), in the forms the CLI prints."""

    old: str
    new: str
    documents: list[DocumentDiff]

    @property
    def has_changes(self) -> bool:
        return has_changes(self.documents)

    @property
    def summary(self) -> dict[str, int]:
        return summary(self.documents)

    def to_json(self) -> str:
        return to_json(self.documents)

    def to_html(self) -> str:
        return to_html(self.documents, title=f"{self.old} → {self.new}")

    def format(self, *, limit: int = 20) -> str:
        return format_terminal(self.documents, limit=limit)


def diff(old_db: Path | str, new_db: Path | str) -> Diff:
    """The changes from `old_db` to `new_db`, document by document, matched on meaning."""
    from ..errors import NoDatabase

    for path in (old_db, new_db):
        if not Path(path).is_file():
            raise NoDatabase(path)
    return Diff(str(old_db), str(new_db), diff_databases(old_db, new_db))
