"""`python -m fiche_extract`: the command line."""

from .cli import console

console()
