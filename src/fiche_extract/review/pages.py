"""Static review pages: a document's normalised text with every extracted span
highlighted by type, the record shown on hover and click, findings at the top and
tables whose rows link to their evidence. Self-contained; all document text escaped."""

from __future__ import annotations

import html
import json
import re
import sqlite3
from pathlib import Path
from typing import Optional

from ..storage.store import load_extraction

SPAN_TYPES = ("measures", "places", "people", "organizations", "dates", "links", "sections")
SAFE_NAME = re.compile(r"[^A-Za-z0-9_-]")


def page_name(document_id: str) -> str:
    """A file name from a document id that cannot leave the output folder."""
    name = SAFE_NAME.sub("_", document_id)[:64].strip("._") or "document"
    return f"{name}.html"


def _spans(ex: dict) -> list[tuple[int, int, str, str]]:
    """(start, end, type, record id) of every record with evidence."""
    out = []
    for rtype in SPAN_TYPES:
        for i, rec in enumerate(ex.get(rtype, [])):
            if rec.get("start") is not None and rec.get("end") is not None and rec["end"] > rec["start"]:
                out.append((rec["start"], rec["end"], rtype, f"{rtype[0]}{i}"))
    return out


def highlight(text: str, spans: list[tuple[int, int, str, str]]) -> str:
    """The text as escaped HTML, each piece wrapped in the innermost span covering it."""
    bounds = sorted({0, len(text)} | {s for s, _, _, _ in spans} | {e for _, e, _, _ in spans})
    out = []
    for a, b in zip(bounds, bounds[1:]):
        piece = html.escape(text[a:b])
        covering = [sp for sp in spans if sp[0] <= a and b <= sp[1]]
        if covering:
            s, e, rtype, rid = min(covering, key=lambda sp: sp[1] - sp[0])
            anchor = f" id='{rid}'" if s == a else ""
            out.append(f"<mark class='{rtype}' data-rec='{rid}'{anchor}>{piece}</mark>")
        else:
            out.append(piece)
    return "".join(out)


def _records_json(ex: dict) -> str:
    """The records keyed by id, as JSON safe inside a <script> element."""
    data = {}
    for rtype in SPAN_TYPES:
        for i, rec in enumerate(ex.get(rtype, [])):
            data[f"{rtype[0]}{i}"] = {"type": rtype, **{k: v for k, v in rec.items() if k not in ("document_id", "id")}}
    raw = json.dumps(data, ensure_ascii=False, default=str)
    return raw.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_document(ex: dict) -> str:
    e = html.escape
    doc = ex["document"]
    text = doc.get("text") or ""
    spans = _spans(ex)
    by_start = {s: rid for s, _, _, rid in sorted(spans, key=lambda sp: (sp[0], sp[1] - sp[0]))}
    findings = []
    for f in ex.get("findings", []):
        link = f" <a href='#{by_start[f['start']]}'>see</a>" if f.get("start") in by_start else ""
        findings.append(
            f"<li class='{e(f['severity'])}'><b>{e(f['check'])}</b> ({e(f['severity'])}"
            f"{', p. ' + str(f['page']) if f.get('page') else ''}): {e(f['message'])}"
            f"{' — <q>' + e(f['evidence']) + '</q>' if f.get('evidence') else ''}{link}</li>"
        )
    tables = []
    for t in ex.get("tables", []):
        rows = []
        for r in t.get("rows") or []:
            anchor = _row_anchor(text, t, r, spans)
            link = f"<td><a href='#{anchor}'>evidence</a></td>" if anchor else "<td></td>"
            rows.append("<tr>" + "".join(f"<td>{e(str(c))}</td>" for c in r) + link + "</tr>")
        head = "".join(f"<th>{e(str(c))}</th>" for c in t.get("header") or [])
        tables.append(f"<h3>{e(t.get('section') or '')} (p. {e(str(t.get('page')))})</h3>"
                      f"<table><tr>{head}<th></th></tr>{''.join(rows)}</table>")
    counts = " · ".join(f"<span class='legend {t}'>{t} {len(ex.get(t, []))}</span>" for t in SPAN_TYPES)
    meta = " · ".join(
        f"{k}: <b>{e(str(doc.get(k)))}</b>" for k in ("kind", "title", "department_name", "date", "pages", "status")
        if doc.get(k) is not None
    )
    return "".join([
        "<!doctype html><html lang='fr'><head><meta charset='utf-8'>",
        f"<title>{e(doc.get('source') or doc['id'])} — review</title><style>{REVIEW_CSS}</style></head><body>",
        f"<header><h1>{e(doc.get('source') or doc['id'])}</h1><p>{meta}</p><p>{counts}</p></header>",
        f"<section id='findings'><h2>Findings ({len(findings)})</h2><ul>{''.join(findings) or '<li>none</li>'}</ul></section>",
        "<main><pre id='text'>", highlight(text, spans), "</pre>",
        "<aside id='record'><p>Point at or click a highlighted value to see its record.</p></aside></main>",
        f"<section id='tables'><h2>Tables ({len(tables)})</h2>{''.join(tables)}</section>",
        f"<script id='records' type='application/json'>{_records_json(ex)}</script>",
        f"<script>{REVIEW_JS}</script></body></html>",
    ])


def _row_anchor(text: str, table: dict, row: list, spans) -> Optional[str]:
    """The id of the first highlighted span of a table row in the text, if found."""
    start, end = table.get("start"), table.get("end")
    if start is None or end is None or not row:
        return None
    first = next((str(c) for c in row if str(c).strip()), "")
    pos = text.find(first.split(" ")[0], start, end + 1) if first else -1
    if pos < 0:
        return None
    line_end = text.find("\n", pos)
    line_end = end if line_end < 0 else line_end
    inside = sorted((s, rid) for s, e, _, rid in spans if pos <= s < line_end)
    return inside[0][1] if inside else None


def write_review(db_path: Path | str, out_dir: Path | str, *, document_id: Optional[str] = None) -> list[Path]:
    """One page per document (or the one asked for) and an index page; returns the pages."""
    import sqlite_utils

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    db = sqlite_utils.Database(con)
    ids = [r[0] for r in con.execute("SELECT id FROM documents ORDER BY source")]
    if document_id:
        ids = [i for i in ids if i.startswith(document_id)]
        if not ids:
            raise ValueError(f"no document whose id starts with {document_id!r}")
    written = []
    index = []
    for doc_id in ids:
        ex = load_extraction(db, doc_id)
        target = (out_dir / page_name(doc_id)).resolve()
        if out_dir.resolve() not in target.parents:
            raise ValueError(f"refusing to write outside {out_dir}: {target}")
        target.write_text(render_document(ex), encoding="utf-8")
        written.append(target)
        d = ex["document"]
        index.append(
            f"<li><a href='{html.escape(target.name)}'>{html.escape(d.get('source') or doc_id)}</a> — "
            f"{html.escape(str(d.get('kind')))}, {len(ex.get('measures', []))} measures, "
            f"{len(ex.get('places', []))} places, {len(ex.get('findings', []))} findings</li>"
        )
    con.close()
    (out_dir / "index.html").write_text(
        "<!doctype html><html lang='fr'><head><meta charset='utf-8'><title>fiche-extract review</title>"
        f"<style>{REVIEW_CSS}</style></head><body><h1>Review</h1><ul>{''.join(index)}</ul></body></html>",
        encoding="utf-8",
    )
    return written


REVIEW_CSS = """
body{font-family:system-ui,sans-serif;margin:0 2em 2em;color:#222}
header{border-bottom:1px solid #ddd}
main{display:flex;gap:1.5em;align-items:flex-start}
#text{white-space:pre-wrap;font:14px/1.55 ui-monospace,monospace;flex:3;max-width:60em}
#record{flex:1;position:sticky;top:1em;background:#f6f8fa;border:1px solid #ddd;padding:.8em;font-size:13px;
  white-space:pre-wrap;min-height:6em}
mark{border-radius:2px;padding:0 1px;cursor:pointer;color:inherit}
mark.measures,.legend.measures{background:#ffd8a8}mark.places,.legend.places{background:#b2f2bb}
mark.people,.legend.people{background:#d0bfff}mark.organizations,.legend.organizations{background:#a5d8ff}
mark.dates,.legend.dates{background:#ffc9c9}mark.links,.legend.links{background:#e9ecef}
mark.sections,.legend.sections{background:#fff3bf;font-weight:bold}
mark.selected{outline:2px solid #e03131}
.legend{padding:1px 6px;border-radius:3px}
#findings li.error{color:#c92a2a}#findings li.warning{color:#a35f00}
table{border-collapse:collapse;font-size:13px;margin-bottom:1em}td,th{border:1px solid #ccc;padding:3px 6px}
"""

REVIEW_JS = """
const records = JSON.parse(document.getElementById('records').textContent);
const panel = document.getElementById('record');
function show(mark){
  const rec = records[mark.dataset.rec];
  if(!rec) return;
  panel.textContent = JSON.stringify(rec, null, 2);
}
document.querySelectorAll('mark[data-rec]').forEach(m => {
  const rec = records[m.dataset.rec];
  if(rec){ m.title = rec.type + ': ' + (rec.name || rec.heading || rec.url || rec.value || rec.acronym || ''); }
  m.addEventListener('mouseenter', () => show(m));
  m.addEventListener('click', () => {
    document.querySelectorAll('mark.selected').forEach(x => x.classList.remove('selected'));
    document.querySelectorAll("mark[data-rec='" + m.dataset.rec + "']").forEach(x => x.classList.add('selected'));
    show(m);
  });
});
"""
