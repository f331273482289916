"""Batch benchmark, measured in one run on the generated corpus (`make bench`).

Measures: pages per second end to end with 1 and with 2 workers; the ratio of the
pipeline's single-worker time to pdfplumber's bare `extract_words` over the same
files, both end to end (the interpreter's start and the imports on both sides,
and the pipeline's one-time loading of the spaCy model), then the same without
that start-up, and to pypdfium2's bare text extraction; one document extracted by
its own `fiche-extract extract` process against a bare pdfplumber process on the
same file; a no-op re-run as a share of the full run; peak memory per worker; a
profile of one worker (output/bench-profile.txt);
measures and places F1 against the generated gold (places with their INSEE
codes, as `fiche-extract eval --codes`), and measures, places and dates F1 by print
feature of the generated PDFs (narrow no-break spaces as a glyph, a gap, an ordinary
space or a no-break space; running headers and footers; the communiqués' letterhead
row), which the gold records under `rendering`. Each timing is the best of
`--repeat` runs (3 by default). Prints a table and writes output/bench.json.
Nothing is asserted: the targets are printed beside the values.

    .venv/bin/python bench/run.py [--corpus output/corpus-large] [--limit N]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def bare_extract_words(files: list[Path]) -> tuple[float, float]:
    """pdfplumber's extract_words on every page, in one process: (seconds of the
    loop, seconds end to end with the interpreter's start and the import)."""
    code = (
        "import sys, time, pdfplumber\n"
        "t = time.perf_counter()\n"
        "for f in sys.argv[1:]:\n"
        "    with pdfplumber.open(f) as pdf:\n"
        "        for p in pdf.pages:\n"
        "            p.extract_words(); p.close()\n"
        "print(time.perf_counter() - t)\n"
    )
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code, *map(str, files)], capture_output=True, text=True, check=True)
    return float(out.stdout.strip()), time.perf_counter() - start


def bare_pdfium_text(files: list[Path]) -> float:
    """pypdfium2's plain text of every page, in one process, end to end (seconds)."""
    code = (
        "import sys, pypdfium2\n"
        "for f in sys.argv[1:]:\n"
        "    pdf = pypdfium2.PdfDocument(f)\n"
        "    for page in pdf:\n"
        "        page.get_textpage().get_text_range(); page.close()\n"
        "    pdf.close()\n"
    )
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, *map(str, files)], capture_output=True, text=True, check=True)
    return time.perf_counter() - start


def single_document(path: Path) -> tuple[float, float]:
    """(seconds of `fiche-extract extract path` as its own process, seconds of a bare
    pdfplumber process reading the same file's words)."""
    code = ("import sys, pdfplumber\n"
            "with pdfplumber.open(sys.argv[1]) as pdf:\n"
            "    for p in pdf.pages: p.extract_words(); p.close()\n")
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "fiche_extract", "extract", str(path)], capture_output=True, check=True)
    ours = time.perf_counter() - start
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, check=True)
    return ours, time.perf_counter() - start


def profile(files: list[Path], top: int = 15) -> str:
    """Where the time of one worker goes: cProfile over the extraction of `files` in
    this process, after a first document has loaded the resources."""
    import cProfile
    import io
    import pstats

    from fiche_extract.pipeline import extract_path

    extract_path(files[0])
    profiler = cProfile.Profile()
    profiler.enable()
    for f in files:
        extract_path(f)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    return out.getvalue()


def timed_run(folder: Path, db: Path, workers: int, *extra: str) -> tuple[float, str]:
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "fiche_extract.cli", "run", str(folder), "--db", str(db), "--workers", str(workers), *extra],
        capture_output=True, text=True,
    )
    return time.perf_counter() - start, out.stdout.strip().splitlines()[0] if out.stdout else out.stderr


def worker_peak_mb(folder: Path, db: Path) -> float:
    """Peak resident memory of the largest worker process (children of a run)."""
    code = (
        "import resource, sys\n"
        "from fiche_extract.batch.runner import Options, run\n"
        "run([sys.argv[1]], sys.argv[2], Options(workers=1, force=True, progress=False))\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(folder), str(db)], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


RENDERED = ("measures", "places", "dates")


def rendering_groups(gold: dict) -> list[str]:
    """The print features of a generated document its gold records (`rendering`):
    how narrow no-break spaces reach the PDF, the running lines, the letterhead row."""
    r = gold.get("rendering")
    if not r:
        return []
    mode = r["narrow_space"]
    if mode == "space":
        mode += " (narrowed U+0020)" if r.get("narrow_em") else " (full-width U+0020)"
    groups = [f"narrow space: {mode}"]
    if gold["document"]["kind"] == "fiche_territoriale":
        groups.append(f"running lines: {(r.get('running') or {}).get('style', 'none')}")
    if r.get("letterhead"):
        groups.append(f"letterhead: {r['letterhead']}")
    return groups


def accuracy(db: Path, gold_dir: Path) -> tuple[dict, dict]:
    """Measures and places F1 of the run's database against the gold; places must
    carry the gold's INSEE code (`evaluate_document(codes=True)`, as `fiche-extract
    eval --codes` scores them). Then measures, places and dates F1 by print feature
    of the generated documents (`rendering_groups`), with their numbers of documents."""
    import sqlite3
    from collections import defaultdict

    from fiche_extract.review.evaluate import Score, evaluate_document

    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    totals = {"measures": Score(), "places": Score()}
    groups: dict = defaultdict(lambda: {"documents": 0, **{rtype: Score() for rtype in RENDERED}})
    for doc in con.execute("SELECT id, source FROM documents"):
        gold_file = gold_dir / f"{Path(doc['source']).stem}.json"
        if not gold_file.exists():
            continue
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        got = {rtype: [dict(r) for r in con.execute(f"SELECT * FROM {rtype} WHERE document_id = ?", [doc["id"]])]
               for rtype in RENDERED}
        scores = evaluate_document(got, {rtype: gold[rtype] for rtype in RENDERED}, codes=True)
        for rtype in totals:
            totals[rtype].add(scores[rtype][0])
        for name in rendering_groups(gold):
            groups[name]["documents"] += 1
            for rtype in RENDERED:
                groups[name][rtype].add(scores[rtype][0])
    by_rendering = {name: {k: (v if k == "documents" else round(v.f1, 4)) for k, v in g.items()}
                    for name, g in sorted(groups.items())}
    return {k: round(v.f1, 4) for k, v in totals.items()}, by_rendering


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=ROOT / "output" / "corpus-large")
    parser.add_argument("--limit", type=int, default=0, help="use only the first N documents")
    parser.add_argument("--fiches", type=int, default=101, help="fiches to generate when the corpus is missing")
    parser.add_argument("--communiques", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing, the best kept")
    args = parser.parse_args(argv)
    if not (args.corpus / "gold").is_dir():
        subprocess.run([sys.executable, str(ROOT / "scripts" / "generate_corpus.py"), str(args.corpus),
                        "--fiches", str(args.fiches), "--communiques", str(args.communiques)], check=True)
    files = sorted(args.corpus.glob("*.pdf"))
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        folder = args.corpus
        if args.limit:
            folder = tmp / "docs"
            folder.mkdir()
            for f in files[: args.limit]:
                (folder / f.name).symlink_to(f.resolve())
            files = files[: args.limit]
        import pdfplumber

        pages = 0
        for f in files:
            with pdfplumber.open(f) as pdf:
                pages += len(pdf.pages)
        # each timing is the best of `--repeat` runs (fresh databases): the machine's
        # other work only ever adds time. The three timings are interleaved, so that
        # a slow spell of the machine weighs on all of them alike rather than on one.
        # The start-up (interpreter, imports, spaCy model, gazetteer) is timed on a
        # run of the smallest document, to tell the fixed cost from the per-page one.
        smallest = tmp / "smallest"
        smallest.mkdir()
        (smallest / files[0].name).symlink_to(min(files, key=lambda f: f.stat().st_size).resolve())
        fiches = sorted((f for f in files if "fiche" in f.name), key=lambda f: f.stat().st_size) or files
        typical = fiches[len(fiches) // 2]
        bares, walls, pdfiums, ones, twos, starts, singles = [], [], [], [], [], [], []
        for k in range(args.repeat):
            loop, wall = bare_extract_words(files)
            bares.append(loop)
            walls.append(wall)
            pdfiums.append(bare_pdfium_text(files))
            ones.append(timed_run(folder, tmp / f"one-{k}.db", 1))
            twos.append(timed_run(folder, tmp / f"two-{k}.db", 2))
            starts.append(timed_run(smallest, tmp / f"start-{k}.db", 1)[0])
            singles.append(single_document(typical))
        bare, bare_wall, startup, pdfium_text = min(bares), min(walls), min(starts), min(pdfiums)
        single, single_bare = min(s for s, _ in singles), min(b for _, b in singles)
        (one, line1), (two, line2) = min(ones), min(twos)
        noop, line3 = timed_run(folder, tmp / f"two-{args.repeat - 1}.db", 2)
        peak = worker_peak_mb(folder, tmp / "mem.db")
        f1, by_rendering = accuracy(tmp / f"two-{args.repeat - 1}.db", args.corpus / "gold")
        profiled = profile(files[:: max(1, len(files) // 20)])
    result = {
        "documents": len(files), "pages": pages, "repeat": args.repeat,
        "bare_extract_words_s": round(bare, 2), "pipeline_1_worker_s": round(one, 2), "pipeline_2_workers_s": round(two, 2),
        "pages_per_s_1_worker": round(pages / one, 2), "pages_per_s_2_workers": round(pages / two, 2),
        "bare_extract_words_end_to_end_s": round(bare_wall, 2), "startup_s": round(startup, 2),
        "ratio_pipeline_to_bare": round(one / bare_wall, 2),
        "bare_pdfium_text_end_to_end_s": round(pdfium_text, 2),
        "ratio_pipeline_to_bare_pdfium_text": round(one / pdfium_text, 2),
        "single_document": typical.name, "single_extract_s": round(single, 2),
        "single_bare_pdfplumber_s": round(single_bare, 2), "ratio_single_extract": round(single / single_bare, 2),
        "ratio_without_startup": round((one - startup) / bare, 2),
        "speedup_2_workers": round(one / two, 2),
        "noop_rerun_s": round(noop, 2), "noop_share_of_full_run": round(noop / two, 4),
        "peak_memory_per_worker_mb": round(peak, 1), "f1": f1, "f1_by_rendering": by_rendering,
        "runs": [line1, line2, line3],
    }
    rows = [
        ("documents / pages", f"{len(files)} / {pages}", ""),
        ("pages/s, 1 worker", f"{result['pages_per_s_1_worker']}", ""),
        ("pages/s, 2 workers", f"{result['pages_per_s_2_workers']}", ""),
        ("2 workers vs 1 (speed-up)", f"{result['speedup_2_workers']}x", ">= 1.8x"),
        ("pipeline (1 worker) / bare pdfplumber extract_words", f"{result['ratio_pipeline_to_bare']}x", "<= 0.25x"),
        (f"  the same without start-up ({result['startup_s']} s once)", f"{result['ratio_without_startup']}x", ""),
        ("pipeline (1 worker) / bare pypdfium2 text", f"{result['ratio_pipeline_to_bare_pdfium_text']}x", ""),
        (f"single extract / bare pdfplumber process ({typical.name})", f"{result['ratio_single_extract']}x", "<= 1.5x"),
        ("no-op re-run / full run", f"{100 * result['noop_share_of_full_run']:.1f} %", "< 5 %"),
        ("peak memory per worker", f"{result['peak_memory_per_worker_mb']} MB", "< 300 MB"),
        ("measures F1", f"{f1['measures']}", ">= 0.97"),
        ("places F1 (with INSEE codes)", f"{f1['places']}", ">= 0.97"),
    ]
    print(f"{'measure':<58}{'value':>12}  target")
    for name, value, target in rows:
        print(f"{name:<58}{value:>12}  {target}")
    if by_rendering:
        print(f"\n{'F1 by print feature of the generated documents':<58}{'docs':>6}{'measures':>10}{'places':>8}{'dates':>7}")
        for name, g in by_rendering.items():
            print(f"{name:<58}{g['documents']:>6}{g['measures']:>10.3f}{g['places']:>8.3f}{g['dates']:>7.3f}")
    print("\nprofile of one worker (top functions by own time):")
    print(profiled)
    (ROOT / "output").mkdir(exist_ok=True)
    (ROOT / "output" / "bench-profile.txt").write_text(profiled, encoding="utf-8")
    out = ROOT / "output" / "bench.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(f"written to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
