"""Findings over a document's records: consistency checks (`consistency.py`, the
`checks` stage) and the reconciliation with the official programme lists
(`reconcile.py`, the `reconcile` stage)."""

from . import consistency, reconcile  # noqa: F401  (registers the checks and reconcile stages)
