"""fiche-extract: French territorial documents into a validated SQLite database.

    import fiche_extract
    ex = fiche_extract.extract("corpus/fiche-territoriale-lot.pdf")
    fiche_extract.run(["corpus/"], "output/fiches.db", workers=2)

See `docs/api.md`.
"""

# `review` names both a subpackage and a function of the API. Importing a submodule
# binds its name on the parent package, once, when first imported: the subpackage is
# imported here, before the function takes the name, so that importing
# `fiche_extract.review.pages` later does not hide `fiche_extract.review()`.
from . import review as _review_package  # noqa: F401
from .api import diff, evaluate, export, extract, review, run, serve
from .errors import FicheExtractError, LoadError, NoDatabase, UsageError
from .models import Extraction
from .version import __version__

__all__ = ["Extraction", "FicheExtractError", "LoadError", "NoDatabase", "UsageError", "diff", "evaluate", "export",
           "extract", "review", "run", "serve", "__version__"]
