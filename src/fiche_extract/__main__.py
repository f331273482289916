"""`python -m fiche_extract`: the command line."""

import sys

from .cli import main

sys.exit(main())
