"""docs/api.md cannot drift from the code: its `python` blocks run here, in order, in
one namespace, from a folder holding a copy of the corpus; every public function and
every keyword argument of the API is documented there."""

from __future__ import annotations

import inspect
import re
import shutil
from dataclasses import fields

import pytest

import fiche_extract
from fiche_extract import api
from fiche_extract.batch.tasks import Options

from conftest import CORPUS, ROOT

DOC = ROOT / "docs" / "api.md"
BLOCK = re.compile(r"^(?P<skip><!-- not run[^\n]*-->\n)?```python\n(?P<code>.*?)^```", re.M | re.S)


def examples() -> list[tuple[int, str, bool]]:
    """(line of the block's first code line, code, run?) for each `python` block."""
    text = DOC.read_text(encoding="utf-8")
    return [(text.count("\n", 0, m.start("code")) + 1, m.group("code"), not m.group("skip"))
            for m in BLOCK.finditer(text)]


def test_every_example_runs(tmp_path, monkeypatch):
    (tmp_path / "corpus").mkdir()
    for path in [*CORPUS.glob("*.txt"), *CORPUS.glob("*.pdf")]:
        shutil.copy2(path, tmp_path / "corpus" / path.name)
    shutil.copytree(CORPUS / "gold", tmp_path / "corpus" / "gold")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FICHE_EXTRACT_PATTERNS", raising=False)

    blocks = examples()
    assert len([b for b in blocks if b[2]]) >= 10
    namespace: dict = {"__name__": "api_docs"}
    for line, code, run in blocks:
        if run:
            # padded so that a traceback names the line of docs/api.md
            exec(compile("\n" * (line - 1) + code, str(DOC), "exec"), namespace)


def test_every_function_and_option_is_documented():
    text = DOC.read_text(encoding="utf-8")
    for name in fiche_extract.__all__:
        if name != "__version__":
            assert re.search(rf"\b{name}\b", text), f"fiche_extract.{name} is not in docs/api.md"
    for fn in (api.extract, api.run, api.diff, api.evaluate, api.review, api.export, api.serve):
        assert f"fiche_extract.{fn.__name__}(" in text, fn.__name__
        for param in inspect.signature(fn).parameters.values():
            if param.kind is param.KEYWORD_ONLY:
                assert f"{param.name}=" in text, f"{fn.__name__}({param.name}=) is not in docs/api.md"
    for field in fields(Options):
        assert f"`{field.name}=`" in text, f"run({field.name}=) is not in docs/api.md"


def test_the_review_function_is_not_hidden_by_the_review_package():
    """`fiche_extract.review` is the function even after the `fiche_extract.review`
    subpackage's modules are imported (importing a submodule sets an attribute of the
    same name on its parent)."""
    import fiche_extract.review.diff  # noqa: F401
    import fiche_extract.review.evaluate  # noqa: F401
    import fiche_extract.review.pages  # noqa: F401

    assert fiche_extract.review is api.review


@pytest.mark.parametrize("line,code,run", examples(), ids=lambda v: str(v) if isinstance(v, int) else "")
def test_examples_are_valid_python(line, code, run):
    compile(code, f"{DOC}:{line}", "exec")
