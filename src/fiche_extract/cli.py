"""Command line: each command parses its options, calls the library function of the
same name (`fiche_extract.api`) and prints."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from . import api
from .errors import FicheExtractError
from .version import __version__

EXAMPLES = {
    "run": "example: fiche-extract run corpus/ --db output/fiches.db --workers 2",
    "extract": "example: fiche-extract extract corpus/fiche-territoriale-lot.pdf --engine pdfplumber",
    "eval": "example: fiche-extract eval corpus/real/texts --gold corpus/real/gold --codes",
    "diff": "example: fiche-extract diff old.db output/fiches.db --html output/diff.html",
    "review": "example: fiche-extract review output/fiches.db --html output/review",
    "serve": "example: fiche-extract serve output/fiches.db --port 8001",
    "export": "example: fiche-extract export output/fiches.db --table who_got_what --format csv -o grants.csv",
    "stages": "example: fiche-extract stages",
}


def existing_db(value: str) -> Path:
    """An argument type: a path that holds a database."""
    path = Path(value)
    if not path.is_file():
        raise argparse.ArgumentTypeError(f"no database at {value}")
    return path


def _add_input_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--encoding", help="encoding of text inputs that are not UTF-8 (e.g. latin-1)")
    p.add_argument("--password", help="password of encrypted PDFs")
    p.add_argument("--ocr", action="store_true", help="read pages without a text layer with Tesseract")
    p.add_argument("--engine", choices=["pdfium", "pdfplumber"], help="PDF reading engine (default: pdfium)")
    p.add_argument("--debug", action="store_true", help="let exceptions through with their traceback")


def cmd_run(args) -> int:
    from .batch.tasks import Options

    options = {f: getattr(args, f) for f in Options.__dataclass_fields__ if hasattr(args, f)}
    summary = api.run(args.paths or ["corpus/"], args.db, **options)
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
    ex = api.extract(args.path, kind=args.kind, engine=args.engine, encoding=args.encoding, password=args.password,
                     ocr=args.ocr, with_text=args.with_text, only=args.only, skip=args.skip or (), debug=args.debug)
    data = ex.model_dump(mode="json")
    if not args.with_text:
        data["document"].pop("text", None)
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0 if ex.document.status != "failed" else 1


def cmd_eval(args) -> int:
    gold = Path(args.gold)
    result = api.evaluate(args.paths or [gold.parent], gold, codes=args.codes, engine=args.engine)
    if not result.documents:
        print(f"no document with a gold annotation in {gold}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=1))
    else:
        print(result.format(verbose=args.verbose, per_document=not args.totals))
    return 0


def cmd_diff(args) -> int:
    changes = api.diff(args.old, args.new)
    print(changes.to_json() if args.json else changes.format())
    if args.html:
        Path(args.html).parent.mkdir(parents=True, exist_ok=True)
        Path(args.html).write_text(changes.to_html(), encoding="utf-8")
    return 1 if args.fail_on == "changes" and changes.has_changes else 0


def cmd_review(args) -> int:
    pages = api.review(args.db, args.html, document=args.doc)
    print(f"{len(pages)} review pages in {args.html} (open {Path(args.html) / 'index.html'})")
    return 0


def cmd_serve(args) -> int:
    return api.serve(args.db, host=args.host, port=args.port, open=args.open)


def cmd_export(args) -> int:
    n = api.export(args.db, args.table, format=args.format, output=args.output)
    if args.output:
        print(f"{n} rows of {args.table} written to {args.output}", file=sys.stderr)
    return 0


def cmd_stages(args) -> int:
    from .pipeline import Pipeline

    for st in Pipeline().stages:
        spec = st.spec
        print(f"{spec.name:<16} {spec.summary}")
        print(f"{'':<16} needs: {', '.join(spec.requires) or '-'}; gives: {', '.join(spec.assigns) or '-'}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    from .batch.tasks import DEFAULT_MAX_MEMORY_MB, DEFAULT_RECYCLE, DEFAULT_TIMEOUT

    parser = argparse.ArgumentParser(prog="fiche-extract", description=__doc__)
    parser.add_argument("--version", action="version", version=f"fiche-extract {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, help: str) -> argparse.ArgumentParser:  # noqa: A002
        return sub.add_parser(name, help=help, description=help, epilog=EXAMPLES[name])

    p = command("run", "extract files or folders into the SQLite database")
    p.add_argument("paths", nargs="*", help="files or folders (default: corpus/)")
    p.add_argument("--db", default=api.DEFAULT_DB, help=f"database file (default: {api.DEFAULT_DB})")
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

    p = command("extract", "print one document's records as JSON (the record contract)")
    p.add_argument("path")
    p.add_argument("--with-text", action="store_true", help="add the normalised text as document.text")
    p.add_argument("--kind", choices=api.KINDS, help="take this kind instead of classifying the document")
    p.add_argument("--only", action="append", metavar="STAGE", help="run only this stage (and what it needs); repeatable")
    p.add_argument("--skip", action="append", metavar="STAGE", help="leave this stage out; repeatable")
    _add_input_options(p)
    p.set_defaults(func=cmd_extract)

    p = command("eval", "precision, recall and F1 per record type against gold annotations")
    p.add_argument("paths", nargs="*", help="documents or folders (default: the folder above the gold folder)")
    p.add_argument("--gold", default="corpus/gold", help="folder of <stem>.json gold files")
    p.add_argument("--codes", action="store_true", help="places and grants must also have the gold INSEE code")
    p.add_argument("--engine", choices=["pdfium", "pdfplumber"], help="PDF reading engine")
    p.add_argument("--totals", action="store_true", help="only the pooled rows and the kinds")
    p.add_argument("--json", action="store_true", help="print the scores as JSON")
    p.add_argument("-v", "--verbose", action="store_true", help="list the misses and extras")
    p.set_defaults(func=cmd_eval)

    p = command("diff", "what changed between two databases, matched on meaning")
    p.add_argument("old", type=existing_db)
    p.add_argument("new", type=existing_db)
    p.add_argument("--json", action="store_true", help="print the changes as JSON")
    p.add_argument("--html", metavar="FILE", help="also write one self-contained HTML page")
    p.add_argument("--fail-on", choices=["changes", "never"], default="never",
                   help="exit with status 1 when anything changed (for CI)")
    p.set_defaults(func=cmd_diff)

    p = command("review", "write HTML review pages: every value in its source text")
    p.add_argument("db", type=existing_db)
    p.add_argument("--doc", help="only the document whose id starts with this")
    p.add_argument("--html", metavar="DIR", default="output/review", help="output folder (default: output/review)")
    p.set_defaults(func=cmd_review)

    p = command("serve", "browse the database in Datasette (read-only, on localhost)")
    p.add_argument("db", nargs="?", type=existing_db, default=api.DEFAULT_DB,
                   help=f"database file (default: {api.DEFAULT_DB})")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8001)
    p.add_argument("--open", action="store_true", help="open a browser")
    p.set_defaults(func=cmd_serve)

    p = command("export", "export a table or view to CSV, JSON or Parquet")
    p.add_argument("db", type=existing_db)
    p.add_argument("--table", required=True, help="table or view, e.g. figures, who_got_what")
    p.add_argument("--format", choices=["csv", "json", "parquet"], default="csv")
    p.add_argument("--output", "-o", help="file to write (default: standard output; required for parquet)")
    p.set_defaults(func=cmd_export)

    p = command("stages", "list the extraction stages in order, with what each needs and gives")
    p.set_defaults(func=cmd_stages)
    return parser


def _show_progress_lines() -> None:
    """A batch without a terminal logs its progress at INFO: show those lines as they are."""
    from .batch.progress import log as progress_log

    if not progress_log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        progress_log.addHandler(handler)
        progress_log.setLevel(logging.INFO)
        progress_log.propagate = False


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    debug = getattr(args, "debug", False)
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    _show_progress_lines()
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0
    except FicheExtractError as exc:
        if debug:
            raise
        print(f"fiche-extract: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # no traceback for users unless asked
        if debug:
            raise
        print(f"fiche-extract: error: {type(exc).__name__}: {exc} (run with --debug for details)", file=sys.stderr)
        return 2


def console() -> None:
    """The `fiche-extract` command. After `extract` (one document, output flushed), the
    process ends without freeing its objects one by one: the gazetteer's index and the
    language model would take half a second more to tear down than the command ran."""
    code = main()
    if sys.argv[1:2] == ["extract"]:
        sys.stdout.flush()
        sys.stderr.flush()
        logging.shutdown()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    sys.exit(main())
