"""`make review-demo`: extract the corpus, write its review pages and save screenshots,
taken by headless Chromium (Debian `chromium`, installed here when missing and when
running as root), of the Lot fiche's PDF review (its pages with each value's box, one
value selected) and of the index."""

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


def screenshot(url: str, shot: Path, size: str = "1500,1100") -> None:
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--window-size={size}",
             "--virtual-time-budget=5000", f"--screenshot={shot}", url],
            check=True, capture_output=True, timeout=120,
        )


def main() -> int:
    import sqlite3

    from fiche_extract.api import run
    from fiche_extract.review.pages import record_id, write_review

    db = OUTPUT / "fiches.db"
    run([str(ROOT / "corpus")], db, progress=False)  # incremental: extracts only what changed
    pages = write_review(db, OUTPUT / "review")
    con = sqlite3.connect(db)
    fiche_id = con.execute("SELECT id FROM documents WHERE source LIKE '%lot.pdf' OR source LIKE '%lot.txt' ORDER BY format").fetchone()[0]
    # a figure of the second page, selected: its box on the page image and its words in the text
    chosen = con.execute("SELECT ord FROM measures WHERE document_id = ? AND bbox IS NOT NULL ORDER BY page != 2, ord",
                         [fiche_id]).fetchone()
    con.close()
    page = next(p for p in pages if p.stem == fiche_id)
    shot = OUTPUT / "review-demo.png"
    screenshot(page.as_uri() + (f"#{record_id('measures', chosen[0])}" if chosen else ""), shot)
    screenshot((OUTPUT / "review" / "index.html").as_uri(), OUTPUT / "review-index.png")
    print(f"review pages in {OUTPUT / 'review'}; screenshot of {page.name} in {shot}, of the index in "
          f"{OUTPUT / 'review-index.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
