"""Batch runs: find documents, skip those already stored unchanged, extract the rest in
worker processes (each with a time limit and a memory cap, recycled every N
documents), and store each result from this one process, one transaction per
document. Killing a run loses nothing: a new run does what is missing."""

from __future__ import annotations

import gc
import multiprocessing as mp
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from pathlib import Path
from typing import Iterable, Optional

from ..version import __version__
from ..reading.load import file_sha256
from ..models import Extraction
from .tasks import PREFETCH, Options, Task, duplicate_record, extract_task, failed_record
from .progress import Progress
from ..storage.store import delete_source, finish_run, open_db, save_extraction, start_run, stored_state

DOCUMENT_SUFFIXES = {".pdf", ".txt"}
def find_documents(paths: Iterable[Path | str]) -> list[Path]:
    """Files given directly, and documents (PDF, text) found under folders, sorted;
    `gold/` annotation folders are not documents."""
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found.extend(
                f for f in sorted(p.rglob("*"))
                if f.is_file() and f.suffix.lower() in DOCUMENT_SUFFIXES and "gold" not in f.relative_to(p).parts
            )
        elif p.exists():
            found.append(p)
    seen, unique = set(), []
    for f in found:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


@dataclass
class RunSummary:
    run_id: int
    counts: Counter = field(default_factory=Counter)
    failures: list[tuple[str, str]] = field(default_factory=list)
    pages: int = 0
    seconds: float = 0.0


@dataclass(frozen=True)
class RunKey:
    """What a stored document was extracted with: a document stored under another key
    is extracted again (a rule, the code, the data or the engine changed)."""

    version: str
    rules_hash: str  # code, data files and patterns (`Resources.rules_hash`)
    engine: str

    def matches(self, stored: dict) -> bool:
        return (stored["version"], stored.get("rules_hash"), stored.get("engine") or "") == \
            (self.version, self.rules_hash, self.engine)


def plan(db, files: list[Path], opts: Options, key: RunKey) -> tuple[list[Task], list[Path]]:
    """(tasks to extract, files skipped as unchanged). A file is unchanged when its
    bytes (size and time first, then hash) and the run key are."""
    state = stored_state(db)
    tasks, skipped = [], []
    seen_hashes: dict[str, Path] = {}
    for f in files:
        st = f.stat()
        prev = state.by_source.get(str(f))
        same_stamp = prev is not None and prev["file_size"] == st.st_size and prev["file_mtime"] == st.st_mtime
        if same_stamp and not opts.force and _current(prev, key, opts):
            skipped.append(f)
            continue
        sha = file_sha256(f.read_bytes())
        if not opts.force and prev is not None and prev["id"].startswith(sha) and _current(prev, key, opts):
            skipped.append(f)
            continue
        task = Task(f, sha, st.st_size, st.st_mtime)
        if st.st_size == 0:
            pass  # empty files all look alike: each gets its own `empty file` row
        elif sha in seen_hashes:
            task.duplicate_of = str(seen_hashes[sha])
        else:
            other = state.by_id.get(sha)
            if other is not None and other["source"] != str(f) and Path(other["source"]).exists():
                task.duplicate_of = other["source"]
            seen_hashes[sha] = f
        tasks.append(task)
    return tasks, skipped


def _current(prev: dict, key: RunKey, opts: Options) -> bool:
    if not key.matches(prev):
        return False
    return not (opts.retry_failed and prev["status"] == "failed")


def run(paths: Iterable[Path | str], db_path: Path | str, options: Optional[Options] = None) -> RunSummary:
    """Extract every document under `paths` into `db_path`; see `Options`."""
    from ..pipeline import default_pipeline
    from ..reading.pdf import DEFAULT_ENGINE

    opts = options or Options()
    paths = [str(p) for p in paths]
    files = find_documents(paths)
    db = open_db(db_path)
    resources = default_pipeline(opts.engine).resources
    phash = resources.patterns_hash
    key = RunKey(__version__, resources.rules_hash, opts.engine or DEFAULT_ENGINE)
    run_id = start_run(db, version=__version__, patterns_hash=phash, rules_hash=key.rules_hash, engine=key.engine,
                       paths=paths)
    summary = RunSummary(run_id=run_id)
    tasks, skipped = plan(db, files, opts, key)
    summary.counts["skipped"] += len(skipped)
    progress = Progress(total=len(files), done=len(skipped), enabled=opts.progress)
    started = time.monotonic()

    def store(task: Task, ex: Extraction) -> None:
        if task.duplicate_of:
            ex = duplicate_record(task)
        delete_source(db, str(task.path), keep_id=ex.document.id)
        save_extraction(db, ex, run_id=run_id, version=__version__, patterns_hash=phash, rules_hash=key.rules_hash,
                        engine=key.engine, file_size=task.size, file_mtime=task.mtime)
        summary.counts[ex.document.status] += 1
        summary.pages += ex.document.pages
        if ex.document.status == "failed":
            summary.failures.append((str(task.path), ex.document.error or ""))
        progress.advance(pages=ex.document.pages, failed=ex.document.status == "failed")

    try:
        # largest files first: the workers finish together instead of one waiting on a
        # big file picked up last
        originals = sorted((t for t in tasks if not t.duplicate_of), key=lambda t: -t.size)
        duplicates = [t for t in tasks if t.duplicate_of]
        if opts.executor == "dask":
            from .executors import run_dask

            run_dask(originals, opts, store)
        else:
            run_local(originals, opts, store)
        for t in duplicates:
            store(t, duplicate_record(t))
    finally:
        progress.close()
        summary.seconds = time.monotonic() - started
        finish_run(db, run_id, dict(summary.counts))
        db.conn.close()
    return summary


# ---------------------------------------------------------------- local workers


def _worker_main(conn, opts: Options) -> None:
    """A worker: extract the paths it is sent, one at a time, within its memory cap."""
    import resource

    if opts.max_memory:
        limit = opts.max_memory * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    # a document makes many short-lived records: collect the young generation less often
    gc.set_threshold(20_000, 20, 20)
    for _ in range(max(1, opts.recycle)):
        try:
            path = conn.recv()
        except EOFError:
            return
        if path is None:
            return
        try:
            ex = extract_task(path, opts)
        except MemoryError:
            ex = None
            conn.send(("memory", f"memory limit exceeded ({opts.max_memory} MB): the document is too large"))
            continue
        except Exception as exc:  # the pipeline guards its stages; this is a last resort
            conn.send(("crash", f"extraction failed: {type(exc).__name__}: {exc}"))
            continue
        conn.send(("ok", ex))


class _Worker:
    """A worker process and the documents sent to it, in order: the first is being
    read, the next waits in the pipe so that the worker never waits for this process."""

    def __init__(self, ctx, opts: Options):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child, opts), daemon=True)
        self.process.start()
        child.close()
        self.tasks: deque[Task] = deque()
        self.deadline = 0.0
        self.done = 0

    def send(self, task: Task, timeout: float) -> None:
        if not self.tasks:
            self.deadline = time.monotonic() + timeout
        self.tasks.append(task)
        self.conn.send(str(task.path))

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


def _context():
    # fork shares the loaded model and gazetteer with every worker; elsewhere, spawn
    return mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context("spawn")


def run_local(tasks: list[Task], opts: Options, store) -> None:
    """Extract `tasks` in `opts.workers` processes; `store(task, extraction)` runs here."""
    if not tasks:
        return
    from ..pipeline import default_pipeline

    default_pipeline(opts.engine).warm_up()  # model, gazetteer, compiled rules built once; forked workers share them
    gc.freeze()  # ... untouched by the workers' garbage collector (no copy-on-write, no rescans)
    ctx = _context()
    pending = list(reversed(tasks))
    workers = [_Worker(ctx, opts) for _ in range(min(opts.workers, len(tasks)))]

    def dispatch(i: int) -> None:
        """Keep worker `i` fed (a new worker when the old one has done its share)."""
        w = workers[i]
        if not w.tasks and pending and (not w.process.is_alive() or w.done >= opts.recycle):
            w.stop()
            workers[i] = w = _Worker(ctx, opts)
        while pending and len(w.tasks) < PREFETCH and w.done + len(w.tasks) < opts.recycle:
            w.send(pending.pop(), opts.timeout)

    def lost(i: int, check: str, message: str) -> None:
        """Worker `i` died or hung: its current document fails, the queued ones go back."""
        w = workers[i]
        task = w.tasks.popleft()
        pending.extend(reversed(w.tasks))
        w.tasks.clear()
        w.stop()
        store(task, failed_record(task, check, message))
        workers[i] = _Worker(ctx, opts)

    try:
        while pending or any(w.tasks for w in workers):
            for i in range(len(workers)):
                dispatch(i)
            busy = [w for w in workers if w.tasks]
            ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=0.5)
            now = time.monotonic()
            for i, w in enumerate(workers):
                if not w.tasks:
                    continue
                if w.conn in ready or w.conn.poll():
                    try:
                        kind, payload = w.conn.recv()
                    except (EOFError, OSError):
                        kind, payload = "crash", "the worker process died (out of memory?)"
                    task = w.tasks.popleft()
                    w.done += 1
                    w.deadline = now + opts.timeout  # the next queued document starts now
                    dispatch(i)  # the worker goes on while this process stores
                    store(task, payload if kind == "ok" else failed_record(task, f"worker_{kind}", payload))
                elif not w.process.is_alive():
                    lost(i, "worker_crash", f"the worker process died (exit code {w.process.exitcode}): "
                                            "out of memory or a crash in a library")
                elif now > w.deadline:
                    lost(i, "timeout", f"timed out after {opts.timeout:g} s: the document was skipped")
    finally:
        for w in workers:
            try:
                if w.process.is_alive() and not w.tasks:
                    w.conn.send(None)
            except OSError:
                pass
            w.stop()
