from . import consistency  # noqa: F401  (registers the checks stage)
