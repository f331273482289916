"""The packaging test: the wheel as a user gets it, in a virtual environment that
cannot see this source tree.

How, offline and without touching the checkout:

1. the wheel is built from a copy of `pyproject.toml`, `README.md` and `src/` in a
   temporary folder (`pip wheel --no-deps --no-build-isolation --no-index`), so no
   `build/` or `*.egg-info` lands in the repository;
2. a fresh virtual environment is made with `python -m venv --without-pip` (no system
   site-packages);
3. it reuses the dependencies already installed in the development environment
   through one `.pth` line naming a folder of links to every entry of that
   environment's site-packages except fiche-extract's own (its dist-info and the
   `__editable__` finder that puts `src/` on the path). A plain path line in a `.pth`
   file adds the folder to `sys.path` without running the `.pth` files inside it, so
   nothing of the editable install is reachable;
4. the wheel is installed into it with `pip --python VENV install --no-deps --no-index`;
5. the checks run with `python -I` (no `PYTHONPATH`, no user site, no current folder on
   the path) from a temporary folder outside the repository, and first assert that
   `fiche_extract` was imported from the new environment and that no entry of
   `sys.path` lies in the checkout.

Deselect with `pytest -m "not packaging"`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest

from conftest import COMMUNIQUE_PDF, COMMUNIQUE_TXT, CORPUS, FICHE_PDF, FICHE_TXT, ROOT

pytestmark = pytest.mark.packaging

PACKAGE = ROOT / "src" / "fiche_extract"
CORPUS_FILES = sorted(CORPUS.glob("*.txt")) + sorted(CORPUS.glob("*.pdf"))

# run inside the fresh environment: where the package comes from, and each corpus
# document extracted through the public API, as JSON on standard output
PROBE = r"""
import json, sys
import fiche_extract
from fiche_extract.resources.patterns import PACKAGE_PATTERNS

out = {"module": fiche_extract.__file__, "version": fiche_extract.__version__, "sys_path": sys.path,
       "patterns": str(PACKAGE_PATTERNS), "documents": {}}
for path in sys.argv[1:]:
    ex = fiche_extract.extract(path)
    out["documents"][path] = {
        "kind": ex.document.kind, "status": ex.document.status, "date": ex.document.date,
        "department_code": ex.document.department_code,
        "places": [[p.name, p.insee_code] for p in ex.places],
        "measures": len(ex.measures),
        "stage_failed": [f.message for f in ex.findings if f.check == "stage_failed"],
    }
print(json.dumps(out))
"""


def _clean_env() -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in {"PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV", "FICHE_EXTRACT_PATTERNS"}}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env["PIP_NO_INPUT"] = "1"
    return env


def _run(cmd, cwd, **kwargs) -> subprocess.CompletedProcess:
    out = subprocess.run([str(c) for c in cmd], cwd=cwd, env=_clean_env(), capture_output=True, text=True, **kwargs)
    assert out.returncode == 0, f"{' '.join(map(str, cmd))}\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}"
    return out


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    pytest.importorskip("setuptools")
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    (source / "src").mkdir(parents=True)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(PACKAGE, source / "src" / "fiche_extract", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    _run([sys.executable, "-m", "pip", "wheel", source, "--no-deps", "--no-build-isolation", "--no-index",
          "-w", work / "dist"], cwd=work)
    (built,) = (work / "dist").glob("fiche_extract-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> Path:
    """A fresh virtual environment holding the wheel, the development environment's
    dependencies reachable, fiche-extract's editable install not."""
    work = tmp_path_factory.mktemp("venv")
    env_dir = work / "env"
    _run([sys.executable, "-m", "venv", "--without-pip", env_dir], cwd=work)
    python = env_dir / "bin" / "python"
    site = Path(_run([python, "-I", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                     cwd=work).stdout.strip())

    deps = work / "dependencies"
    deps.mkdir()
    for dev_site in dict.fromkeys(Path(sysconfig.get_paths()[k]) for k in ("purelib", "platlib")):
        for entry in dev_site.iterdir():
            name = entry.name.lower()
            if (name.startswith(("fiche_extract", "fiche-extract", "__editable__")) or name.endswith(".pth")
                    or (deps / entry.name).exists()):
                continue
            (deps / entry.name).symlink_to(entry)
    (site / "_dependencies.pth").write_text(f"{deps}\n", encoding="utf-8")

    _run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", wheel], cwd=work)
    return env_dir


def test_wheel_carries_the_patterns_and_the_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"fiche_extract/{p.relative_to(PACKAGE).as_posix()}"
                for p in [*(PACKAGE / "patterns").glob("*.yaml"), *(PACKAGE / "data").rglob("*")]
                if p.is_file() and "__pycache__" not in p.parts}
    assert "fiche_extract/patterns/pipeline.yaml" in expected and "fiche_extract/data/gazetteer.tsv.gz" in expected
    assert not expected - names, f"missing from the wheel: {sorted(expected - names)}"
    assert "fiche_extract/__main__.py" in names
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "fiche-extract = fiche_extract.cli:console" in zipfile.ZipFile(wheel).read(entry_points).decode()
    assert not [n for n in names if n.startswith(("tests/", "corpus/", "scripts/"))]


def test_fresh_environment_extracts_the_corpus(venv, tmp_path):
    outside = tmp_path / "elsewhere"  # not the checkout: nothing of it on the path
    outside.mkdir()
    python = venv / "bin" / "python"
    out = _run([python, "-I", "-c", PROBE, *CORPUS_FILES], cwd=outside, timeout=300)
    result = json.loads(out.stdout.strip().splitlines()[-1])

    # the package and its rules come from the installed wheel, not from the source tree
    assert Path(result["module"]).resolve().is_relative_to(venv.resolve()), result["module"]
    assert Path(result["patterns"]).resolve().is_relative_to(venv.resolve()), result["patterns"]
    assert not [p for p in result["sys_path"] if p and Path(p).resolve().is_relative_to(ROOT.resolve())]

    docs = result["documents"]
    assert sorted(docs) == sorted(map(str, CORPUS_FILES))
    for path, doc in docs.items():
        assert doc["status"] == "ok" and not doc["stage_failed"], (path, doc["status"], doc["stage_failed"])
    for fiche in (FICHE_TXT, FICHE_PDF):
        doc = docs[str(fiche)]
        assert doc["kind"] == "fiche_territoriale" and doc["department_code"] == "46"
        assert ["Cahors", "46042"] in doc["places"]  # the gazetteer shipped as package data
        assert doc["measures"] > 50
    for communique in (COMMUNIQUE_TXT, COMMUNIQUE_PDF):
        doc = docs[str(communique)]
        assert doc["kind"] == "communique_de_presse" and doc["department_code"] == "90"
        assert doc["date"] == "2020-12-14"


def test_fresh_environment_command_line(venv, tmp_path):
    python = venv / "bin" / "python"
    helped = _run([python, "-I", "-m", "fiche_extract", "--help"], cwd=tmp_path)
    for command in ("run", "extract", "eval", "diff", "review", "serve", "export", "stages"):
        assert command in helped.stdout
    stages = _run([python, "-I", "-m", "fiche_extract", "stages"], cwd=tmp_path)
    assert stages.stdout.split()[0] == "classify" and "reconcile" in stages.stdout
    version = _run([venv / "bin" / "fiche-extract", "--version"], cwd=tmp_path)
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert version.stdout.strip() == f"fiche-extract {declared}"
