"""Command line: thin wrappers over the library functions of the same name."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import __version__

DEFAULT_DB = "output/fiches.db"


def _add_input_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--encoding", help="encoding of text inputs that are not UTF-8 (e.g. latin-1)")
    p.add_argument("--password", help="password of encrypted PDFs")
    p.add_argument("--ocr", action="store_true", help="read pages without a text layer with Tesseract")
    p.add_argument("--debug", action="store_true", help="let exceptions through with their traceback")


def cmd_run(args) -> int:
    from .batch.runner import Options, run

    paths = args.paths or ["corpus/"]
    opts = Options(
        workers=args.workers, force=args.force, retry_failed=args.retry_failed, timeout=args.timeout,
        max_memory_mb=args.max_memory, recycle=args.recycle, encoding=args.encoding, password=args.password,
        ocr=args.ocr, executor=args.executor, scheduler=args.scheduler,
    )
    summary = run(paths, args.db, opts)
    c = summary.counts
    total = sum(c.values())
    print(
        f"run {summary.run_id}: {total} documents into {args.db} in {summary.seconds:.1f} s "
        f"({summary.pages} pages): {c.get('ok', 0)} ok, {c.get('partial', 0)} partial, "
        f"{c.get('failed', 0)} failed, {c.get('skipped', 0)} skipped"
    )
    for path, error in summary.failures:
        print(f"  failed: {path}: {error}")
    return 1 if c.get("failed") else 0


def cmd_extract(args) -> int:
    from .pipeline import extract_path

    ex = extract_path(args.path, encoding=args.encoding, password=args.password, with_text=args.with_text,
                      debug=args.debug, ocr=args.ocr)
    data = ex.model_dump(mode="json")
    if not args.with_text:
        data["document"].pop("text", None)
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0 if ex.document.status != "failed" else 1


def cmd_eval(args) -> int:
    from .review.evaluate import Score, evaluate_document, gold_for
    from .pipeline import extract_path
    from .batch.runner import find_documents

    gold_dir = Path(args.gold)
    files = [f for f in find_documents(args.paths or [gold_dir.parent]) if gold_for(f, gold_dir) is not None]
    if not files:
        print(f"no document with a gold annotation in {gold_dir}", file=sys.stderr)
        return 2
    totals: dict[str, Score] = {}
    rows = []
    misses = []
    for f in files:
        ex = extract_path(f).model_dump(mode="json")
        for rtype, (score, fps, fns) in evaluate_document(ex, gold_for(f, gold_dir), codes=args.codes).items():
            rows.append((f.name, rtype, score))
            totals.setdefault(rtype, Score()).add(score)
            if args.verbose and (fps or fns):
                misses.append((f.name, rtype, fps, fns))
    width = max(len(r[0]) for r in rows)
    print(f"{'document':<{width}}  {'records':<13} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>9} {'recall':>7} {'F1':>6}")
    for name, rtype, s in rows + [("ALL", t, s) for t, s in totals.items()]:
        print(f"{name:<{width}}  {rtype:<13} {s.tp:>4} {s.fp:>4} {s.fn:>4} {s.precision:>9.3f} {s.recall:>7.3f} {s.f1:>6.3f}")
    for name, rtype, fps, fns in misses:
        print(f"\n{name} {rtype}:\n  extra: {fps}\n  missed: {fns}")
    return 0


def cmd_diff(args) -> int:
    from .review.diff import diff_databases, format_terminal, has_changes, to_html, to_json

    for path in (args.old, args.new):
        if not Path(path).is_file():
            print(f"fiche-extract: no database at {path}", file=sys.stderr)
            return 2
    diffs = diff_databases(args.old, args.new)
    if args.json:
        print(to_json(diffs))
    else:
        print(format_terminal(diffs))
    if args.html:
        Path(args.html).parent.mkdir(parents=True, exist_ok=True)
        Path(args.html).write_text(to_html(diffs, title=f"{args.old} → {args.new}"), encoding="utf-8")
    return 1 if args.fail_on == "changes" and has_changes(diffs) else 0


def cmd_review(args) -> int:
    from .review.pages import write_review

    if not Path(args.db).is_file():
        print(f"fiche-extract: no database at {args.db}", file=sys.stderr)
        return 2
    pages = write_review(args.db, args.html, document_id=args.doc)
    print(f"{len(pages)} review pages in {args.html} (open {Path(args.html) / 'index.html'})")
    return 0


def cmd_serve(args) -> int:
    from .storage.serve import serve

    return serve(args.db, host=args.host, port=args.port, open_browser=args.open)


def cmd_export(args) -> int:
    from .storage.export import export

    if not Path(args.db).is_file():
        print(f"fiche-extract: no database at {args.db}", file=sys.stderr)
        return 2
    try:
        n = export(args.db, args.table, args.format, args.output)
    except ValueError as exc:
        print(f"fiche-extract: {exc}", file=sys.stderr)
        return 2
    if args.output:
        print(f"{n} rows of {args.table} written to {args.output}", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fiche-extract", description=__doc__)
    parser.add_argument("--version", action="version", version=f"fiche-extract {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    from .batch.runner import DEFAULT_MAX_MEMORY_MB, DEFAULT_RECYCLE, DEFAULT_TIMEOUT

    p = sub.add_parser("run", help="extract files or folders into the SQLite database")
    p.add_argument("paths", nargs="*", help="files or folders (default: corpus/)")
    p.add_argument("--db", default=DEFAULT_DB, help=f"database file (default: {DEFAULT_DB})")
    p.add_argument("--workers", "-j", type=int, default=os.cpu_count() or 1, help="worker processes (default: cores)")
    p.add_argument("--force", action="store_true", help="extract again documents stored unchanged")
    p.add_argument("--retry-failed", action="store_true", help="extract again documents that failed")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds per document (default: %(default)s)")
    p.add_argument("--max-memory", type=int, default=DEFAULT_MAX_MEMORY_MB,
                   help="megabytes of memory per worker (default: %(default)s)")
    p.add_argument("--recycle", type=int, default=DEFAULT_RECYCLE,
                   help="documents per worker process before it is replaced (default: %(default)s)")
    p.add_argument("--executor", choices=["local", "dask"], default="local")
    p.add_argument("--scheduler", help="Dask scheduler address, with --executor dask")
    _add_input_options(p)
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("extract", help="print one document's records as JSON (the record contract)")
    p.add_argument("path")
    p.add_argument("--with-text", action="store_true", help="add the normalised text as document.text")
    _add_input_options(p)
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("eval", help="precision, recall and F1 per record type against gold annotations")
    p.add_argument("paths", nargs="*", help="documents (default: the folder above the gold folder)")
    p.add_argument("--gold", default="corpus/gold", help="folder of <stem>.json gold files")
    p.add_argument("--codes", action="store_true", help="places must also have the gold INSEE code")
    p.add_argument("-v", "--verbose", action="store_true", help="list the misses and extras")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("diff", help="what changed between two databases, matched on meaning")
    p.add_argument("old")
    p.add_argument("new")
    p.add_argument("--json", action="store_true", help="print the changes as JSON")
    p.add_argument("--html", metavar="FILE", help="also write one self-contained HTML page")
    p.add_argument("--fail-on", choices=["changes", "never"], default="never",
                   help="exit with status 1 when anything changed (for CI)")
    p.set_defaults(func=cmd_diff)

    p = sub.add_parser("review", help="write HTML review pages: every value in its source text")
    p.add_argument("db")
    p.add_argument("--doc", help="only the document whose id starts with this")
    p.add_argument("--html", metavar="DIR", default="output/review", help="output folder (default: output/review)")
    p.set_defaults(func=cmd_review)

    p = sub.add_parser("serve", help="browse the database in Datasette (read-only, on localhost)")
    p.add_argument("db", nargs="?", default=DEFAULT_DB, help=f"database file (default: {DEFAULT_DB})")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8001)
    p.add_argument("--open", action="store_true", help="open a browser")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("export", help="export a table or view to CSV, JSON or Parquet")
    p.add_argument("db")
    p.add_argument("--table", required=True, help="table or view, e.g. figures, places_per_programme")
    p.add_argument("--format", choices=["csv", "json", "parquet"], default="csv")
    p.add_argument("--output", "-o", help="file to write (default: standard output; required for parquet)")
    p.set_defaults(func=cmd_export)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    debug = getattr(args, "debug", False)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0
    except Exception as exc:  # no traceback for users unless asked
        if debug:
            raise
        print(f"fiche-extract: error: {type(exc).__name__}: {exc} (run with --debug for details)", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
