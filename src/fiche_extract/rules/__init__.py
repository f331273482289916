"""The extraction rules, one module per record type; importing this package
registers their stages (`fiche_extract.stages`)."""

from . import allocations, classify, dates, furniture, links, measures, organizations, people, places, segment, tables  # noqa: F401
