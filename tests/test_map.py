"""Places on a map: `fiche-extract serve` shows the communes of the places table with
datasette-cluster-map, checked in a real headless Chromium."""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
import urllib.request

import pytest

from conftest import serving

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]


def test_places_carry_population_and_coordinates(corpus_db):
    con = sqlite3.connect(corpus_db)
    cahors = con.execute("SELECT population, latitude, longitude FROM places WHERE insee_code = '46042' LIMIT 1").fetchone()
    assert cahors[0] > 10000 and 44 < cahors[1] < 45 and 1 < cahors[2] < 2
    lot = con.execute("SELECT population, latitude FROM places WHERE kind = 'departement' AND insee_code = '46' LIMIT 1").fetchone()
    assert lot[0] > 100000 and lot[1] is None  # a département: its population, no point
    epci = con.execute("SELECT population FROM places WHERE insee_code = '200023737' LIMIT 1").fetchone()
    assert epci[0] > cahors[0]  # the Grand Cahors: the inhabitants of its communes


def test_serve_shows_places_on_a_map_in_a_real_browser(corpus_db, tmp_path):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("Chromium is not installed (make test installs it as root)")
    pytest.importorskip("datasette_cluster_map")
    with serving(corpus_db) as base:
        plugins = urllib.request.urlopen(base + "/-/plugins.json", timeout=10).read().decode()
        assert "datasette-cluster-map" in plugins
        dom = subprocess.run(
            [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=15000",
             "--dump-dom", f"{base}/fiches/places?_size=200&kind=commune"],
            capture_output=True, text=True, timeout=180,
        ).stdout
    assert "leaflet-container" in dom  # the map
    # every commune with coordinates is on it, as a marker or inside a cluster
    communes = sqlite3.connect(corpus_db).execute(
        "SELECT COUNT(*) FROM places WHERE kind = 'commune' AND latitude IS NOT NULL").fetchone()[0]
    assert communes > 20
    assert dom.count("leaflet-marker-icon") >= 2
    clustered = sum(int(n) for n in re.findall(r"<span>(\d+)</span>", dom))
    singles = dom.count("leaflet-marker-icon") - dom.count("marker-cluster ")
    assert clustered + singles >= communes
