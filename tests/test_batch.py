"""Batch runs for data teams: skip, force, failures and hangs isolated, kill -9 and
resume, the Dask executor giving the same database."""

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from conftest import COMMUNIQUE_TXT, FICHE_TXT

BASE = COMMUNIQUE_TXT.read_text(encoding="utf-8")
assert "trois \ngrandes missions" in BASE


def make_folder(path, n=6):
    """`n` distinct communiqués (different figures, so different bytes) and the fiche."""
    path.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        text = BASE.replace("trois \ngrandes missions", f"{i + 3} \ngrandes missions")
        (path / f"communique-{i:02d}.txt").write_text(text, encoding="utf-8")
    (path / "fiche.txt").write_text(FICHE_TXT.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def run(folder, db, *extra, env=None):
    return subprocess.run(
        [sys.executable, "-m", "fiche_extract.cli", "run", str(folder), "--db", str(db), *map(str, extra)],
        capture_output=True, text=True, env={**os.environ, **(env or {})},
    )


def rows(db, sql, *params):
    con = sqlite3.connect(db)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def test_skip_unchanged_force_and_changed_file(tmp_path):
    folder = make_folder(tmp_path / "docs", n=3)
    db = tmp_path / "f.db"
    first = run(folder, db, "--workers", "2")
    assert first.returncode == 0, first.stderr
    assert "4 ok" in first.stdout and "0 skipped" in first.stdout
    second = run(folder, db)
    assert "0 ok" in second.stdout and "4 skipped" in second.stdout
    forced = run(folder, db, "--force", "--workers", "1")
    assert "4 ok" in forced.stdout
    # a changed file replaces its old rows (its id, the hash of its bytes, changes)
    target = folder / "communique-00.txt"
    target.write_text(BASE.replace("trois \ngrandes missions", "neuf \ngrandes missions"), encoding="utf-8")
    third = run(folder, db)
    assert "1 ok" in third.stdout and "3 skipped" in third.stdout
    assert rows(db, "SELECT COUNT(*) FROM documents WHERE source = ?", str(target)) == [(1,)]
    values = rows(db, "SELECT m.value FROM measures m JOIN documents d ON d.id = m.document_id WHERE d.source = ?", str(target))
    assert values == [(9.0,)]
    assert rows(db, "PRAGMA foreign_key_check") == []


def test_failing_file_in_the_middle_is_recorded_and_the_batch_goes_on(tmp_path):
    folder = make_folder(tmp_path / "docs", n=2)
    (folder / "communique-00b.pdf").write_bytes(b"%PDF-1.4\n this is not a PDF at all")
    (folder / "communique-00c.txt").write_bytes("Préfecture en latin-1".encode("latin-1"))
    db = tmp_path / "f.db"
    out = run(folder, db)
    assert out.returncode == 1  # failures are reported by the exit status
    assert "3 ok" in out.stdout and "2 failed" in out.stdout
    status = dict(rows(db, "SELECT source, status FROM documents"))
    assert status[str(folder / "communique-00b.pdf")] == "failed"
    assert status[str(folder / "communique-01.txt")] == "ok"
    errors = dict(rows(db, "SELECT source, error FROM documents WHERE status = 'failed'"))
    assert "--encoding" in errors[str(folder / "communique-00c.txt")]
    assert "Traceback" not in out.stdout + out.stderr


def test_hanging_file_times_out_and_the_batch_goes_on(tmp_path, monkeypatch):
    """A worker that never answers for one file (a fault injected by replacing the
    workers' extraction function before they are forked) fails that file alone."""
    import fiche_extract
    from fiche_extract.batch import runner

    real = runner.extract_task

    def hangs_on_one(path, opts):
        if "communique-00" in path:
            time.sleep(10**6)
        return real(path, opts)

    monkeypatch.setattr(runner, "extract_task", hangs_on_one)
    folder = make_folder(tmp_path / "docs", n=2)
    db = tmp_path / "f.db"
    summary = fiche_extract.run([folder], db, timeout=4, workers=2, progress=False)
    assert summary.counts["ok"] == 2 and summary.counts["failed"] == 1
    error = rows(db, "SELECT error FROM documents WHERE source LIKE '%communique-00.txt'")[0][0]
    assert error.startswith("timed out after 4 s")


def test_progress_is_plain_log_lines_without_a_terminal(tmp_path):
    folder = make_folder(tmp_path / "docs", n=1)
    out = run(folder, tmp_path / "f.db")
    assert "[2/2]" in out.stderr and "pages/s" in out.stderr and "\x1b[" not in out.stderr


def test_kill_9_then_resume_loses_nothing_and_does_each_document_once(tmp_path):
    folder = make_folder(tmp_path / "docs", n=400)  # several seconds of work: killed in the middle
    total = 401
    db = tmp_path / "f.db"
    proc = subprocess.Popen(
        [sys.executable, "-m", "fiche_extract.cli", "run", str(folder), "--db", str(db), "--workers", "1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    deadline = time.monotonic() + 90
    stored = 0
    while time.monotonic() < deadline:
        time.sleep(0.2)
        if db.exists():
            try:
                stored = rows(db, "SELECT COUNT(*) FROM documents")[0][0]
            except sqlite3.OperationalError:
                continue
            if stored >= 3:
                break
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    before = rows(db, "SELECT COUNT(*) FROM documents")[0][0]
    assert 3 <= before < total, "the run should have been killed in the middle"
    assert rows(db, "PRAGMA integrity_check") == [("ok",)]
    out = run(folder, db)
    assert out.returncode == 0, out.stderr
    assert f"{total - before} ok" in out.stdout and f"{before} skipped" in out.stdout
    assert rows(db, "SELECT COUNT(*), COUNT(DISTINCT source) FROM documents") == [(total, total)]
    assert rows(db, "SELECT COUNT(*) FROM documents WHERE status != 'ok'") == [(0,)]


def test_dask_executor_gives_the_same_database(tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    folder = make_folder(tmp_path / "docs", n=3)
    local_db, dask_db = tmp_path / "local.db", tmp_path / "dask.db"
    assert run(folder, local_db, "--workers", "2").returncode == 0
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        out = run(folder, dask_db, "--executor", "dask", "--scheduler", cluster.scheduler_address)
    assert out.returncode == 0, out.stderr
    query = ("SELECT d.source, m.value, m.unit, m.object, m.section, m.start FROM measures m "
             "JOIN documents d ON d.id = m.document_id ORDER BY 1, 6")
    assert rows(local_db, query) == rows(dask_db, query)
    places = "SELECT d.source, p.name, p.insee_code FROM places p JOIN documents d ON d.id = p.document_id ORDER BY 1, 2"
    assert rows(local_db, places) == rows(dask_db, places)


def test_workers_replaced_after_their_share_lose_nothing(tmp_path):
    folder = make_folder(tmp_path / "docs", n=8)
    db = tmp_path / "f.db"
    out = run(folder, db, "--workers", "2", "--recycle", "2")
    assert out.returncode == 0, out.stderr
    assert "9 ok" in out.stdout
    assert rows(db, "SELECT COUNT(DISTINCT source) FROM documents WHERE status = 'ok'") == [(9,)]
