"""Running the same extraction on a Dask distributed cluster (optional extra
`fiche-extract[dask]`): workers return records; this process alone writes SQLite."""

from __future__ import annotations

from typing import Callable


def _extract(path: str, opts):
    from .tasks import extract_task

    return extract_task(path, opts)


def run_dask(tasks, opts, store: Callable) -> None:
    """Submit one task per file path (not file contents) to the scheduler at
    `opts.scheduler`; store each result as it completes."""
    try:
        from dask.distributed import Client, as_completed
    except ImportError as exc:
        raise RuntimeError("the dask executor needs: pip install 'fiche-extract[dask]'") from exc
    if not opts.scheduler:
        raise RuntimeError("--executor dask needs --scheduler ADDRESS (e.g. tcp://127.0.0.1:8786)")
    from .tasks import failed_record

    by_key = {}
    with Client(opts.scheduler) as client:
        futures = []
        for t in tasks:
            f = client.submit(_extract, str(t.path), opts, pure=False)
            by_key[f.key] = t
            futures.append(f)
        for future in as_completed(futures):
            task = by_key[future.key]
            try:
                ex = future.result(timeout=opts.timeout)
            except Exception as exc:  # a worker lost or a task error: recorded, the run goes on
                ex = failed_record(task, "worker_crash", f"extraction failed on the cluster: {type(exc).__name__}: {exc}")
            store(task, ex)
