"""The exceptions library users may catch. Bad documents never raise: they become a
`failed` or `partial` document with findings; these are for calls that cannot go on."""

from __future__ import annotations


class FicheExtractError(Exception):
    """Base of every error fiche-extract raises on purpose."""


class LoadError(FicheExtractError):
    """A document that cannot be read; `reason` is a short machine tag (`encrypted`,
    `corrupt`, `empty`, `encoding`, `bomb`, `unreadable`, `ocr_missing`), str() a
    sentence for people. `extract` turns it into a failed document."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


class UsageError(FicheExtractError, ValueError):
    """A call that cannot work as asked: unknown PDF engine, kind, stage or table."""


class NoDatabase(FicheExtractError, FileNotFoundError):
    """A command that reads a database was given a path with no database."""

    def __init__(self, path):
        super().__init__(f"no database at {path}")
        self.path = path
