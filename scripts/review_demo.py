"""`make review-demo`: extract the corpus, write its review pages and save a
screenshot of the fiche's page taken by headless Chromium (Debian `chromium`,
installed here when missing and when running as root)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "output"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True,
                       env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
        return shutil.which("chromium") or sys.exit("chromium did not install")
    sys.exit("headless Chromium is needed: sudo apt-get install chromium")


def main() -> int:
    from fiche_extract.review.pages import write_review
    from fiche_extract.batch.runner import run

    db = OUTPUT / "fiches.db"
    if not db.exists():
        run([str(ROOT / "corpus")], db, progress=False)
    pages = write_review(db, OUTPUT / "review")
    import sqlite3

    con = sqlite3.connect(db)
    fiche_id = con.execute("SELECT id FROM documents WHERE source LIKE '%lot.pdf' OR source LIKE '%lot.txt' ORDER BY format").fetchone()[0]
    con.close()
    page = next(p for p in pages if p.stem == fiche_id)
    shot = OUTPUT / "review-demo.png"
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--window-size=1400,1800",
             f"--screenshot={shot}", page.as_uri()],
            check=True, capture_output=True, timeout=120,
        )
    print(f"review pages in {OUTPUT / 'review'}; screenshot of {page.name} in {shot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
