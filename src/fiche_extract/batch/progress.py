"""Progress of a batch: a bar (documents, pages per second, failures, time left) on a
terminal, otherwise a line logged at INFO every ten seconds (the command line shows
them on standard error; a library caller sees them by configuring `logging`)."""

from __future__ import annotations

import logging
import sys
import time
from typing import Optional

log = logging.getLogger(__name__)

LOG_EVERY_SECONDS = 10.0


class Progress:
    def __init__(self, total: int, done: int = 0, enabled: Optional[bool] = None):
        self.total, self.done, self.pages, self.failed = total, done, 0, 0
        self.started = time.monotonic()
        self.last_log = 0.0
        self.terminal = sys.stderr.isatty() if enabled is None else enabled
        self.quiet = enabled is False
        self.bar = None
        if self.terminal and not self.quiet:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn, TimeRemainingColumn

            self.bar = Bar(
                TextColumn("[bold]extracting"), BarColumn(), MofNCompleteColumn(),
                TextColumn("{task.fields[rate]} pages/s"), TextColumn("[red]{task.fields[failed]} failed"),
                TimeRemainingColumn(), transient=True, stderr=True,
            )
            self.bar.start()
            self.task = self.bar.add_task("run", total=total, completed=done, rate="0.0", failed=0)

    def rate(self) -> float:
        elapsed = time.monotonic() - self.started
        return self.pages / elapsed if elapsed > 0 else 0.0

    def advance(self, *, pages: int = 0, failed: bool = False) -> None:
        self.done += 1
        self.pages += pages
        self.failed += int(failed)
        if self.bar is not None:
            self.bar.update(self.task, advance=1, rate=f"{self.rate():.1f}", failed=self.failed)
        elif not self.quiet:
            now = time.monotonic()
            if now - self.last_log >= LOG_EVERY_SECONDS or self.done == self.total:
                self.last_log = now
                log.info("[%d/%d] %d pages, %.1f pages/s, %d failed, %s left", self.done, self.total, self.pages,
                         self.rate(), self.failed, self._eta())

    def _eta(self) -> str:
        elapsed = time.monotonic() - self.started
        remaining = self.total - self.done
        if not remaining:
            return "0:00:00"
        per_doc = elapsed / max(1, self.done)
        secs = int(per_doc * remaining)
        return f"{secs // 3600}:{secs % 3600 // 60:02d}:{secs % 60:02d}"

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
