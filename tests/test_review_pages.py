"""Review on the page: every value's box holds that value's text and little else (read
back from the PDF's own text layer), table values get their cell's box, and the review
pages (page images with boxes, linked both ways with the text; the index, sortable and
filterable) work in a real headless Chromium."""

from __future__ import annotations

import html
import json
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from conftest import CORPUS, FICHE_PDF, ROOT
from fiche_extract.models import Line, Page
from fiche_extract.pipeline import extract_path
from fiche_extract.reading.layout import _cell_words
from fiche_extract.reading.normalise import normalise
from fiche_extract.review.page_images import BOX_TYPES

CORPUS_PDFS = sorted(CORPUS.glob("*.pdf"))
MATRIX = sorted((ROOT / "tests" / "matrix").glob("*.pdf"))
PRODUCERS = ("chromium", "fpdf2", "libreoffice", "typst", "weasyprint")
LAYOUTS = ("plain", "serif", "twocol")
# both documents from every producer, the layouts taken in turn: 10 of the 30
MATRIX_SAMPLE = [ROOT / "tests" / "matrix" / f"{doc}--{producer}--{LAYOUTS[(k + j) % 3]}.pdf"
                 for j, doc in enumerate(("fiche-territoriale-lot", "communique-belfort-2020-12-14"))
                 for k, producer in enumerate(PRODUCERS)]
MARGIN = 3  # characters of other text a box may hold: a word's punctuation, an elided article (`l'`)
SPACES = re.compile(r"[\s\u00a0\u202f\u2009|•\-\u2010\u2011\u00ad]")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


# ---------------------------------------------------------------- boxes read back from the PDF


def page_chars(page) -> list[tuple[str, float, float]]:
    """The page's characters in content order with the centre of their (loose) box, in
    the engine's coordinates (origin at the top left); a line break as ("\\n", -1, -1)."""
    import pypdfium2.raw as raw

    textpage = page.get_textpage()
    height = page.get_height()
    out = []
    for i in range(textpage.count_chars()):
        ch = chr(raw.FPDFText_GetUnicode(textpage.raw, i))
        if ch in "\r\n":
            out.append(("\n", -1.0, -1.0))
            continue
        left, bottom, right, top = textpage.get_charbox(i, loose=True)
        # PDFium writes a hyphen that ends a line as \x02 and drops the line break
        out.append(("-\n" if ch == "\x02" else ch, (left + right) / 2, height - (bottom + top) / 2))
    return out


def text_in_box(chars, box) -> str:
    """The characters whose centre lies inside `box` (x0, top, x1, bottom), one line each
    run between line breaks."""
    x0, top, x1, bottom = box
    return "".join("\n" if cx < 0 else ch for ch, cx, cy in chars
                   if cx < 0 or (x0 <= cx <= x1 and top <= cy <= bottom) or ch.endswith("\n"))


def squash(text: str) -> str:
    return SPACES.sub("", text.replace("\u2019", "'"))


def box_problem(value: str, cropped: str) -> str | None:
    """Why the text cropped by a value's box is not that value's, or None. One line: the
    value and at most MARGIN other characters. A value over several lines (`31` /
    `juillet 2020`): its box spans them, so it starts on the first line, ends on the
    last, and no other line is in it."""
    want = squash(value)
    lines = [squash(line) for line in cropped.split("\n")]
    lines = [line for line in lines if line]
    got = "".join(lines)
    at = got.find(want)
    if at < 0:
        return f"{value!r} not in its box, which holds {cropped.strip()!r}"
    if len(lines) == 1 and len(got) > len(want) + MARGIN:
        return f"the box of {value!r} holds more: {cropped.strip()!r}"
    if len(lines) > 1 and not (at < len(lines[0]) and at + len(want) > len(got) - len(lines[-1])):
        return f"the box of {value!r} holds other lines: {cropped.strip()!r}"
    return None


def box_problems(path: Path, ex: dict) -> tuple[int, list[str]]:
    """(values checked, problems) for every value of `BOX_TYPES` in a PDF's extraction."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    chars: dict[int, list] = {}
    checked, problems = 0, []
    try:
        for rtype in BOX_TYPES:
            for rec in ex[rtype]:
                checked += 1
                if not rec.get("bbox"):
                    problems.append(f"{rtype} {rec['text']!r} has no box")
                    continue
                if rec["page"] not in chars:
                    chars[rec["page"]] = page_chars(pdf[rec["page"] - 1])
                problem = box_problem(rec["text"], text_in_box(chars[rec["page"]], rec["bbox"]))
                if problem:
                    problems.append(f"{rtype} p. {rec['page']}: {problem}")
    finally:
        pdf.close()
    return checked, problems


@pytest.mark.parametrize("pdf", CORPUS_PDFS + MATRIX_SAMPLE, ids=lambda p: p.stem)
def test_every_value_box_holds_its_own_text(pdf, extractions):
    ex = (extractions(pdf) if pdf.parent == CORPUS else extract_path(pdf, with_text=True)).model_dump()
    checked, problems = box_problems(pdf, ex)
    assert checked >= (140 if "fiche" in pdf.stem else 10)
    assert not problems, "\n".join(problems)


def test_table_values_get_their_cell_box(extractions):
    """`27 700` in the FttH table: the width of its figure and the height of a line, not a
    zero-height box across the table (the row read as one line)."""
    ex = extractions(FICHE_PDF)
    figure = next(m for m in ex.measures if m.text == "27\u202f700" or m.text == "27 700")
    x0, top, x1, bottom = figure.bbox
    assert 4 < bottom - top < 20 and 5 < x1 - x0 < 40


def test_a_table_row_places_each_cell_word_in_its_text():
    cells = ["Zone AMII", "27\u202f700 (21 %)", "", "développement"]
    words = [[("Zone", 10, 100, 30, 110), ("AMII", 32, 100, 50, 110)],
             [("27", 100, 100, 110, 110), ("700", 112, 100, 125, 110), ("(21", 127, 100, 140, 110), ("%)", 141, 100, 150, 110)],
             [],
             [("pement", 200, 112, 230, 122), ("dévelop-", 200, 100, 235, 110)]]  # out of order, cut at a line end
    text = " | ".join(c for c in cells if c)
    placed = _cell_words(cells, words)
    assert [text[a:b] for a, b, *_ in placed] == ["Zone", "AMII", "27", "700", "(21", "%)", "dévelop", "pement"]
    assert placed[-1][2:] == (200, 112, 230, 122)


def test_a_bullet_written_as_a_dash_keeps_the_line_words_boxes():
    """`– la mise en œuvre` is written `• la mise en œuvre`: its words keep their boxes
    (a word not found again would give every value of the line the line's box)."""
    text = "– la mise"
    line = Line(text=text, page=1, x0=50, top=100, x1=120, bottom=110,
                words=[(0, 1, 50, 100, 55, 110), (2, 4, 60, 100, 70, 110), (5, 9, 75, 100, 120, 110)])
    nt = normalise([Page(number=1, width=600, height=800, lines=[line])])
    assert nt.text == "• la mise"
    assert nt.evidence(5, 9).bbox == (75, 100, 120, 110)


# ---------------------------------------------------------------- the pages in a real browser


def chromium_or_skip() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.skip("Chromium is not installed (make test installs it as root)")
    return found


def run_in_browser(page: Path, script: str, tmp_path: Path) -> dict:
    """Open a copy of `page` in headless Chromium with `script` run once it has loaded;
    the script returns a JSON-able value, given back here."""
    copy = tmp_path / f"probe-{page.name}"
    probe = ("<script>window.addEventListener('load', () => { let out; try { out = (() => {" + script + "})(); }"
             " catch(e) { out = {error: String(e)}; } const pre = document.createElement('pre'); pre.id = 'probe';"
             " pre.textContent = JSON.stringify(out); document.body.appendChild(pre); });</script>")
    copy.write_text(page.read_text(encoding="utf-8").replace("</body>", probe + "</body>"), encoding="utf-8")
    dom = subprocess.run(
        [chromium_or_skip(), *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1400,1000",
         "--virtual-time-budget=5000", "--dump-dom", copy.as_uri()],
        capture_output=True, text=True, timeout=180,
    ).stdout
    found = re.search(r"<pre id=\"probe\">(.*?)</pre>", dom, re.S)
    assert found, dom[-2000:]
    result = json.loads(html.unescape(found.group(1)))
    assert "error" not in result, result
    return result


@pytest.fixture(scope="module")
def review(corpus_db, tmp_path_factory):
    from fiche_extract.review.pages import write_review

    out = tmp_path_factory.mktemp("review")
    write_review(corpus_db, out)
    return out


def _fiche_pdf_id(db) -> str:
    return sqlite3.connect(db).execute("SELECT id FROM documents WHERE source LIKE '%lot.pdf'").fetchone()[0]


PAGE_PROBE = """
const figures = Array.from(document.querySelectorAll('figure.page'));
const out = {pages: figures.map(f => ({page: +f.dataset.page, shown: f.querySelector('img').naturalWidth > 0
  && f.querySelector('img').getBoundingClientRect().width > 100, boxes: f.querySelectorAll('.box').length}))};
const visibleIn = (el, pane) => { const r = el.getBoundingClientRect(), p = pane.getBoundingClientRect();
  return r.top >= p.top && r.bottom <= p.bottom; };
// click the box of a value, where a reader would: at its centre on the page image
const box = document.querySelector(".box[data-rec='" + RID + "']");
box.scrollIntoView({block: 'center'});
const r = box.getBoundingClientRect();
const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
out.hit = hit && hit.dataset.rec;
hit.click();
const marks = Array.from(document.querySelectorAll('mark.selected'));
out.marked = marks.map(m => m.textContent).join('');
out.markVisible = marks.length > 0 && visibleIn(marks[0], document.getElementById('reading'));
out.panel = document.getElementById('record').textContent;
// and back: click a value in the text, its box is selected and brought into view
const mark = document.querySelector("mark[data-rec='" + BACK + "']");
mark.scrollIntoView({block: 'center'});
mark.click();
const back = document.querySelector(".box.selected");
out.back = back && back.dataset.rec;
out.backVisible = !!back && visibleIn(back, document.getElementById('pages'));
return out;
"""


def test_review_page_draws_every_value_box_on_its_page_image_in_a_real_browser(corpus_db, review, tmp_path):
    doc_id = _fiche_pdf_id(corpus_db)
    con = sqlite3.connect(corpus_db)
    expected: dict[int, int] = {}
    for rtype in BOX_TYPES:
        for (page,) in con.execute(f"SELECT page FROM [{rtype}] WHERE document_id = ? AND bbox IS NOT NULL", [doc_id]):
            expected[page] = expected.get(page, 0) + 1
    pages = con.execute("SELECT pages FROM documents WHERE id = ?", [doc_id]).fetchone()[0]
    # a figure of a table (page 4 or later) and a place from a list of communes on page 2
    ord_, text = con.execute("SELECT ord, text FROM measures WHERE document_id = ? AND page >= 4 AND text LIKE '%700'"
                             " ORDER BY ord", [doc_id]).fetchone()
    back = con.execute("SELECT ord FROM places WHERE document_id = ? AND name = 'Leyme'", [doc_id]).fetchone()[0]
    script = PAGE_PROBE.replace("RID", json.dumps(f"m{ord_}")).replace("BACK", json.dumps(f"pl{back}"))
    out = run_in_browser(review / f"{doc_id}.html", script, tmp_path)
    assert [p["page"] for p in out["pages"]] == list(range(1, pages + 1))
    assert all(p["shown"] for p in out["pages"])
    assert {p["page"]: p["boxes"] for p in out["pages"] if p["boxes"]} == expected
    assert out["hit"] == f"m{ord_}"  # the box is on top where it is drawn
    assert out["marked"] == text and out["markVisible"]
    assert json.loads(out["panel"])["text"] == text
    assert out["back"] == f"pl{back}" and out["backVisible"]


INDEX_PROBE = """
const rows = () => Array.from(document.querySelectorAll('#documents tbody tr')).filter(r => !r.hidden);
const column = k => rows().map(r => r.cells[k].textContent);
const out = {};
const measures = document.querySelector("#documents th[data-col='4']");
measures.click();
out.up = column(4).map(Number);
measures.click();
out.down = column(4).map(Number);
document.querySelector("#documents th[data-col='0']").click();
out.names = column(0);
const filter = document.getElementById('filter');
filter.value = 'belfort';
filter.dispatchEvent(new Event('input'));
out.filtered = column(0);
out.shown = document.getElementById('shown').textContent;
filter.value = '';
filter.dispatchEvent(new Event('input'));
const kind = document.getElementById('kind');
kind.value = 'fiche_territoriale';
kind.dispatchEvent(new Event('change'));
out.kinds = column(1);
return out;
"""


def test_index_sorts_and_filters_in_a_real_browser(corpus_db, review, tmp_path):
    out = run_in_browser(review / "index.html", INDEX_PROBE, tmp_path)
    con = sqlite3.connect(corpus_db)
    sources = [s for (s,) in con.execute("SELECT source FROM documents")]
    counts = sorted(n for (n,) in con.execute(
        "SELECT (SELECT COUNT(*) FROM measures m WHERE m.document_id = d.id) FROM documents d"))
    assert out["up"] == counts and out["down"] == counts[::-1]
    assert out["names"] == sorted(sources, key=str.lower)
    assert out["filtered"] == sorted((s for s in sources if "belfort" in s), key=str.lower)
    assert out["shown"] == str(len(out["filtered"])) == "2"
    assert out["kinds"] == ["fiche_territoriale", "fiche_territoriale"]


def test_index_lists_kind_department_counts_and_findings(corpus_db, review):
    page = (review / "index.html").read_text(encoding="utf-8")
    con = sqlite3.connect(corpus_db)
    doc_id = _fiche_pdf_id(corpus_db)
    findings = con.execute("SELECT COUNT(*) FROM findings WHERE document_id = ?", [doc_id]).fetchone()[0]
    row = next(r for r in page.split("<tr") if f"{doc_id}.html" in r)
    cells = [html.unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
    assert cells[1:4] == ["fiche_territoriale", "46 Lot", "6"]
    assert cells[-1] == str(findings)
    for remote in ("<script src", "<link", "@import", "url("):  # self-contained: nothing from the network
        assert remote not in page


def test_a_pdf_moved_or_changed_since_its_run_is_reviewed_as_text(corpus_db, tmp_path):
    from fiche_extract.review.page_images import find_pdf

    doc_id = _fiche_pdf_id(corpus_db)
    assert find_pdf(str(FICHE_PDF), doc_id) == FICHE_PDF
    assert find_pdf(str(FICHE_PDF.relative_to(ROOT)), doc_id, near=ROOT / "output") is not None
    changed = tmp_path / FICHE_PDF.name
    changed.write_bytes(FICHE_PDF.read_bytes() + b"\n%")
    assert find_pdf(str(changed), doc_id) is None
