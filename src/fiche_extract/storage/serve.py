"""Serve a database with Datasette, read-only (immutable), on localhost, with the
descriptions and canned queries of `data/datasette.yaml`."""

from __future__ import annotations

import importlib.util
import json
import logging
import signal
import subprocess
import sys
import tempfile
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import yaml

log = logging.getLogger(__name__)

INSTALL_HINT = "Datasette is not installed: pip install 'fiche-extract[serve]' (or: make install)"


@lru_cache(maxsize=1)
def publication() -> dict:
    """The descriptions and canned queries, as written in `data/datasette.yaml`."""
    return yaml.safe_load((files("fiche_extract") / "data" / "datasette.yaml").read_text(encoding="utf-8"))


def datasette_metadata(database_name: str) -> dict:
    """Datasette 0.65 metadata for a database served under `database_name`."""
    pub = publication()
    tables = {}
    for name, info in pub["tables"].items():
        entry = {"description": info["description"]}
        if info.get("columns"):
            entry["columns"] = info["columns"]
        tables[name] = entry
    queries = {
        name: {"title": q["title"], "description": q["description"], "sql": q["sql"]}
        for name, q in pub["queries"].items()
    }
    return {
        "title": pub["title"],
        "description": pub["description"],
        "license": pub["license"],
        "databases": {database_name: {"tables": tables, "queries": queries}},
    }


def datasette_available() -> bool:
    return importlib.util.find_spec("datasette") is not None


def serve(db_path: Path | str, *, host: str = "127.0.0.1", port: int = 8001, open_browser: bool = False) -> int:
    """Run Datasette in the foreground until interrupted; returns its exit status."""
    db_path = Path(db_path)
    if not datasette_available():
        log.error(INSTALL_HINT)
        return 3
    if not db_path.is_file():
        log.error("no database at %s: run `fiche-extract run` (or `make run`) first", db_path)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        meta = Path(tmp) / "metadata.json"
        meta.write_text(json.dumps(datasette_metadata(db_path.stem), ensure_ascii=False), encoding="utf-8")
        cmd = [sys.executable, "-m", "datasette", "serve", "-i", str(db_path), "--metadata", str(meta),
               "--host", host, "--port", str(port), "--setting", "sql_time_limit_ms", "3000"]
        if open_browser:
            cmd.append("--open")
        server = subprocess.Popen(cmd)
        # stopping this command stops Datasette too (never an orphan server)
        previous = signal.signal(signal.SIGTERM, lambda *_: server.terminate())
        try:
            return server.wait()
        except KeyboardInterrupt:
            server.terminate()
            server.wait()
            return 0
        finally:
            signal.signal(signal.SIGTERM, previous)
            if server.poll() is None:
                server.kill()
