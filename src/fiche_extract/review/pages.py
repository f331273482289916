"""Static review pages: a document's normalised text with every extracted span
highlighted by type, the record shown on hover and click, findings at the top and
tables whose rows link to their evidence. For a PDF, its pages as images beside the
text, each value's box drawn on them and linked both ways with the value in the text.
An index lists the documents, sortable and filterable. Self-contained (no network);
all document text escaped."""

from __future__ import annotations

import html
import json
import re
import sqlite3
from pathlib import Path
from typing import Optional

from ..storage.store import load_extraction
from .page_images import PageImage, find_pdf, page_boxes, render_pages

SPAN_TYPES = ("measures", "places", "people", "organizations", "dates", "allocations", "links", "sections")
ID_PREFIX = {"measures": "m", "places": "pl", "people": "pe", "organizations": "o", "dates": "d",
             "allocations": "a", "links": "l", "sections": "s"}
INDEX_COUNTS = ("measures", "places", "people", "organizations", "dates", "tables", "allocations")
SAFE_NAME = re.compile(r"[^A-Za-z0-9_-]")


def page_name(document_id: str) -> str:
    """A file name from a document id that cannot leave the output folder."""
    name = SAFE_NAME.sub("_", document_id)[:64].strip("._") or "document"
    return f"{name}.html"


def record_id(rtype: str, index: int) -> str:
    return f"{ID_PREFIX[rtype]}{index}"


def _spans(ex: dict) -> list[tuple[int, int, str, str]]:
    """(start, end, type, record id) of every record with evidence."""
    out = []
    for rtype in SPAN_TYPES:
        for i, rec in enumerate(ex.get(rtype, [])):
            if rec.get("start") is not None and rec.get("end") is not None and rec["end"] > rec["start"]:
                out.append((rec["start"], rec["end"], rtype, record_id(rtype, i)))
    return out


def highlight(text: str, spans: list[tuple[int, int, str, str]]) -> str:
    """The text as escaped HTML, each piece wrapped in a mark of the innermost span
    covering it (`data-rec`), which also names every span covering it (`data-recs`)."""
    bounds = sorted({0, len(text)} | {s for s, _, _, _ in spans} | {e for _, e, _, _ in spans})
    out = []
    for a, b in zip(bounds, bounds[1:]):
        piece = html.escape(text[a:b])
        covering = [sp for sp in spans if sp[0] <= a and b <= sp[1]]
        if covering:
            s, e, rtype, rid = min(covering, key=lambda sp: sp[1] - sp[0])
            anchor = f" id='{rid}'" if s == a else ""
            recs = " ".join(sp[3] for sp in covering)
            out.append(f"<mark class='{rtype}' data-rec='{rid}' data-recs='{recs}'{anchor}>{piece}</mark>")
        else:
            out.append(piece)
    return "".join(out)


def _script_json(data) -> str:
    """JSON safe inside a <script> element."""
    raw = json.dumps(data, ensure_ascii=False, default=str)
    return raw.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _records(ex: dict) -> dict:
    return {record_id(rtype, i): {"type": rtype, **{k: v for k, v in rec.items() if k not in ("document_id", "id")}}
            for rtype in SPAN_TYPES for i, rec in enumerate(ex.get(rtype, []))}


def _page_view(ex: dict, pages: list[PageImage]) -> str:
    """The pages as images, each value's box an anchor over its image."""
    e = html.escape
    boxes = page_boxes(ex, pages)
    figures = []
    for page in pages:
        drawn = []
        for b in boxes[page.number]:
            rid = record_id(b.record_type, b.index)
            label = ex[b.record_type][b.index].get("text") or ""
            drawn.append(f"<a class='box {b.record_type}' data-rec='{rid}' href='#{rid}' title='{b.record_type}: {e(label)}' "
                         f"style='left:{b.left:.3f}%;top:{b.top:.3f}%;width:{b.width:.3f}%;height:{b.height:.3f}%'></a>")
        figures.append(
            f"<figure class='page' id='page-{page.number}' data-page='{page.number}'>"
            f"<img src='{page.png}' alt='page {page.number}' width='{page.width:.0f}' height='{page.height:.0f}'>"
            f"{''.join(drawn)}<figcaption>page {page.number} · {len(drawn)} values</figcaption></figure>"
        )
    total = ex["document"].get("pages") or 0
    note = f"<p class='note'>pages after {len(pages)} not shown</p>" if total > len(pages) else ""
    return f"<section id='pages' class='pane'>{''.join(figures)}{note}</section>"


def render_document(ex: dict, pages: Optional[list[PageImage]] = None) -> str:
    """A document's review page; with `pages` (its PDF's rendered pages), the values'
    boxes on the page images beside the text."""
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
        f"<title>{e(doc.get('source') or doc['id'])} — review</title><style>{REVIEW_CSS}</style></head>",
        f"<body class='{'with-pages' if pages else 'text-only'}'>",
        f"<header><p><a href='index.html'>all documents</a></p><h1>{e(doc.get('source') or doc['id'])}</h1>"
        f"<p>{meta}</p><p>{counts}</p></header>",
        f"<details id='findings' open><summary>Findings ({len(findings)})</summary>"
        f"<ul>{''.join(findings) or '<li>none</li>'}</ul></details>",
        "<main>", _page_view(ex, pages) if pages else "",
        "<div id='reading' class='pane'><pre id='text'>", highlight(text, spans), "</pre>",
        f"<section id='tables'><h2>Tables ({len(tables)})</h2>{''.join(tables)}</section></div>",
        "<aside id='record'><p>Point at or click a highlighted value or a box to see its record.</p></aside></main>",
        f"<script id='records' type='application/json'>{_script_json(_records(ex))}</script>",
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


def render_index(entries: list[dict]) -> str:
    """The index page: one row per document (`entries` of `_index_entry`), sortable by
    any column and filtered by a search box and the kind."""
    e = html.escape
    columns = ["document", "kind", "département", "pages", *INDEX_COUNTS, "findings"]
    head = "".join(f"<th data-col='{k}' class='{'num' if k > 2 else 'text'}'>{e(name)}</th>" for k, name in enumerate(columns))
    rows = []
    for d in entries:
        cells = [f"<td><a href='{e(d['href'])}'>{e(d['source'])}</a></td>", f"<td>{e(d['kind'])}</td>",
                 f"<td>{e(d['department'])}</td>", f"<td class='num'>{d['pages']}</td>",
                 *(f"<td class='num'>{d[t]}</td>" for t in INDEX_COUNTS),
                 f"<td class='num' title='{e(d['severities'])}'>{d['findings']}</td>"]
        rows.append(f"<tr data-kind='{e(d['kind'])}'>{''.join(cells)}</tr>")
    kinds = "".join(f"<option>{e(k)}</option>" for k in sorted({d["kind"] for d in entries}))
    return (
        "<!doctype html><html lang='fr'><head><meta charset='utf-8'><title>fiche-extract review</title>"
        f"<style>{REVIEW_CSS}</style></head><body><h1>Review</h1>"
        "<p class='filters'><input id='filter' type='search' placeholder='filter: name, département…'> "
        f"<select id='kind'><option value=''>every kind</option>{kinds}</select> "
        f"<span id='shown'>{len(entries)}</span> of {len(entries)} documents · click a column to sort</p>"
        f"<table id='documents'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        f"<script>{INDEX_JS}</script></body></html>"
    )


def _index_entry(ex: dict, href: str) -> dict:
    d = ex["document"]
    findings = ex.get("findings", [])
    severities = {s: sum(f.get("severity") == s for f in findings) for s in ("error", "warning", "info")}
    department = " ".join(str(v) for v in (d.get("department_code"), d.get("department_name")) if v)
    return {"href": href, "source": d.get("source") or d["id"], "kind": str(d.get("kind") or ""),
            "department": department, "pages": d.get("pages") or 0, "findings": len(findings),
            "severities": ", ".join(f"{n} {s}" for s, n in severities.items() if n) or "none",
            **{t: len(ex.get(t, [])) for t in INDEX_COUNTS}}


def write_review(db_path: Path | str, out_dir: Path | str, *, document_id: Optional[str] = None,
                 page_images: bool = True) -> list[Path]:
    """One page per document (or the one asked for) and an index page; returns the pages.
    A PDF still found at its source with the same bytes is shown as page images."""
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
        pages = None
        if page_images and ex["document"].get("format") == "pdf":
            pdf = find_pdf(ex["document"].get("source") or "", doc_id, near=Path(db_path).resolve().parent)
            try:
                pages = render_pages(pdf) if pdf else None
            except Exception:  # a PDF PDFium cannot draw (damaged, encrypted): its text alone
                pages = None
        target.write_text(render_document(ex, pages), encoding="utf-8")
        written.append(target)
        index.append(_index_entry(ex, target.name))
    con.close()
    (out_dir / "index.html").write_text(render_index(index), encoding="utf-8")
    return written


REVIEW_CSS = """
body{font-family:system-ui,sans-serif;margin:0 2em 2em;color:#222}
header{border-bottom:1px solid #ddd}header h1{margin:.2em 0;font-size:1.4em}
main{display:flex;gap:1.5em;align-items:flex-start}#reading{flex:3;max-width:60em}
body.with-pages{height:100vh;margin:0 1em;display:flex;flex-direction:column;overflow:hidden}
.with-pages main{flex:1;min-height:0;display:grid;grid-template-columns:minmax(0,1.15fr) minmax(0,1fr) 17em;margin:.5em 0}
.with-pages .pane{height:100%;overflow:auto}.with-pages #record{max-height:100%;box-sizing:border-box}
#text{white-space:pre-wrap;font:14px/1.55 ui-monospace,monospace;margin:0}.with-pages #text{font-size:13px}
#record{flex:1;position:sticky;top:1em;background:#f6f8fa;border:1px solid #ddd;padding:.8em;font-size:13px;
  white-space:pre-wrap;min-height:6em;overflow:auto;max-height:calc(100vh - 4em)}
figure.page{position:relative;margin:0 0 1em;border:1px solid #bbb;box-shadow:0 1px 4px #0002}
figure.page img{display:block;width:100%;height:auto}
figure.page figcaption{position:absolute;right:4px;bottom:2px;font-size:11px;color:#666}
.box{position:absolute;border:1.5px solid;border-radius:2px;box-sizing:border-box;cursor:pointer}
.box.measures{border-color:#e8590c;background:#ffd8a855}.box.places{border-color:#2f9e44;background:#b2f2bb55}
.box.people{border-color:#7048e8;background:#d0bfff55}.box.organizations{border-color:#1971c2;background:#a5d8ff55}
.box.dates{border-color:#e03131;background:#ffc9c955}.box.allocations{border-color:#0c8599;background:#99e9f255}
.box.selected{outline:3px solid #e03131;outline-offset:1px;background:#e0313140;z-index:2}
mark{border-radius:2px;padding:0 1px;cursor:pointer;color:inherit}
mark.measures,.legend.measures{background:#ffd8a8}mark.places,.legend.places{background:#b2f2bb}
mark.people,.legend.people{background:#d0bfff}mark.organizations,.legend.organizations{background:#a5d8ff}
mark.dates,.legend.dates{background:#ffc9c9}mark.links,.legend.links{background:#e9ecef}
mark.allocations,.legend.allocations{background:#99e9f2}
mark.sections,.legend.sections{background:#fff3bf;font-weight:bold}
mark.selected{outline:2px solid #e03131}
.legend{padding:1px 6px;border-radius:3px}
#findings summary{font-weight:bold;margin:.6em 0;cursor:pointer}#findings ul{max-height:9em;overflow:auto;margin:0}
#findings li.error{color:#c92a2a}#findings li.warning{color:#a35f00}
table{border-collapse:collapse;font-size:13px;margin-bottom:1em}td,th{border:1px solid #ccc;padding:3px 6px}
th{text-align:left}td.num,th.num{text-align:right}#documents th{cursor:pointer;background:#f1f3f5;user-select:none}
#documents th.asc::after{content:' ▲'}#documents th.desc::after{content:' ▼'}
.filters input{width:22em}.note{color:#666}
"""

REVIEW_JS = """
const records = JSON.parse(document.getElementById('records').textContent);
const panel = document.getElementById('record');
function show(rid){
  const rec = records[rid];
  if(rec) panel.textContent = JSON.stringify(rec, null, 2);
}
function select(rid, reveal){
  document.querySelectorAll('.selected').forEach(x => x.classList.remove('selected'));
  const marks = document.querySelectorAll("mark[data-recs~='" + rid + "']");
  const boxes = document.querySelectorAll(".box[data-rec='" + rid + "']");
  marks.forEach(x => x.classList.add('selected'));
  boxes.forEach(x => x.classList.add('selected'));
  show(rid);
  const target = reveal === 'text' ? marks[0] : boxes[0];
  if(target) centre(target);
}
function centre(el){  // scroll the pane holding `el` (pages or text), not the window
  const pane = el.closest('.pane');
  if(!pane) return;
  const r = el.getBoundingClientRect(), p = pane.getBoundingClientRect();
  pane.scrollTop += r.top - p.top - (p.height - r.height) / 2;
}
function label(rec){ return rec.type + ': ' + (rec.name || rec.heading || rec.url || rec.value || rec.acronym || rec.beneficiary || ''); }
document.querySelectorAll('mark[data-rec]').forEach(m => {
  const rec = records[m.dataset.rec];
  if(rec) m.title = label(rec);
  m.addEventListener('mouseenter', () => show(m.dataset.rec));
  m.addEventListener('click', () => select(m.dataset.rec, 'page'));
});
document.querySelectorAll('.box[data-rec]').forEach(b => {
  b.addEventListener('mouseenter', () => show(b.dataset.rec));
  b.addEventListener('click', ev => { ev.preventDefault(); select(b.dataset.rec, 'text'); });
});
function fromHash(){  // `page.html#m3` opens on that value
  const rid = decodeURIComponent(location.hash.slice(1));
  if(!Object.prototype.hasOwnProperty.call(records, rid)) return;
  select(rid, 'page');
  const mark = document.querySelector("mark[data-recs~='" + rid + "']");
  if(mark) centre(mark);
}
window.addEventListener('hashchange', fromHash);
fromHash();
"""

INDEX_JS = """
const table = document.getElementById('documents');
const body = table.tBodies[0];
const filter = document.getElementById('filter');
const kind = document.getElementById('kind');
function apply(){
  const words = filter.value.toLowerCase().split(/\\s+/).filter(Boolean);
  let shown = 0;
  for(const row of body.rows){
    const text = row.textContent.toLowerCase();
    const ok = (!kind.value || row.dataset.kind === kind.value) && words.every(w => text.includes(w));
    row.hidden = !ok;
    shown += ok;
  }
  document.getElementById('shown').textContent = shown;
}
filter.addEventListener('input', apply);
kind.addEventListener('change', apply);
table.tHead.querySelectorAll('th').forEach(th => th.addEventListener('click', () => {
  const col = +th.dataset.col, numeric = th.classList.contains('num');
  const down = th.classList.contains('asc');
  table.tHead.querySelectorAll('th').forEach(x => x.classList.remove('asc', 'desc'));
  th.classList.add(down ? 'desc' : 'asc');
  const key = row => numeric ? parseFloat(row.cells[col].textContent) || 0 : row.cells[col].textContent.toLowerCase();
  const rows = Array.from(body.rows).sort((a, b) => (key(a) > key(b)) - (key(a) < key(b)));
  if(down) rows.reverse();
  rows.forEach(r => body.appendChild(r));
}));
"""
