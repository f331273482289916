"""Reviewed snapshots of every corpus document's records. A change of extraction
fails here with a readable diff; after reviewing it, `make golden` (pytest
--update-golden) rewrites the snapshots."""

import difflib
import json
from pathlib import Path

import pytest

from conftest import CORPUS_DOCUMENTS

GOLDEN = Path(__file__).parent / "golden"
DROPPED = {"id", "source", "bbox", "kind_features"}


def snapshot(ex) -> str:
    """The records as stable, line-oriented JSON (no ids, paths or boxes)."""
    data = ex.model_dump(mode="json")
    data["document"].pop("text", None)  # the whole text: spans and evidence stay

    def clean(obj):
        if isinstance(obj, dict):
            return {k: clean(v) for k, v in obj.items() if k not in DROPPED}
        if isinstance(obj, list):
            return [clean(v) for v in obj]
        return obj

    return json.dumps(clean(data), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


@pytest.mark.parametrize("path", CORPUS_DOCUMENTS, ids=lambda p: p.name)
def test_extraction_matches_reviewed_snapshot(extractions, path, request):
    target = GOLDEN / f"{path.name}.json"
    current = snapshot(extractions(path))
    if request.config.getoption("--update-golden"):
        GOLDEN.mkdir(exist_ok=True)
        target.write_text(current, encoding="utf-8")
        return
    assert target.exists(), f"no snapshot for {path.name}: run `make golden` and review it"
    expected = target.read_text(encoding="utf-8")
    if current != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), current.splitlines(True),
                                            f"golden/{target.name}", "current extraction", n=2))
        pytest.fail(f"extraction of {path.name} changed (review, then `make golden`):\n{diff}", pytrace=False)
