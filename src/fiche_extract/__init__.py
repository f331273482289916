"""fiche-extract: French territorial documents into a validated SQLite database.

    import fiche_extract
    ex = fiche_extract.extract("corpus/fiche-territoriale-lot.pdf")
    fiche_extract.run(["corpus/"], "output/fiches.db", workers=2)

See `docs/api.md`.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("fiche-extract")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0"

from .api import diff, evaluate, export, extract, review, run, serve  # noqa: E402
from .errors import FicheExtractError, LoadError, NoDatabase, UsageError  # noqa: E402
from .models import Extraction  # noqa: E402

__all__ = ["Extraction", "FicheExtractError", "LoadError", "NoDatabase", "UsageError", "diff", "evaluate", "export",
           "extract", "review", "run", "serve", "__version__"]
