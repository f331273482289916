"""Consistency checks over one document's records. Each check is a named function
that yields findings; a failing check never stops the others."""

from __future__ import annotations

from typing import Callable, Iterable

from .models import Extraction, Finding, NormalisedText

Check = Callable[[Extraction, NormalisedText], Iterable[Finding]]
CHECKS: dict[str, Check] = {}


def check(name: str):
    """Register a check under its finding name."""

    def register(fn: Check) -> Check:
        CHECKS[name] = fn
        return fn

    return register


def _finding(name: str, severity: str, message: str, rec) -> Finding:
    return Finding(check=name, severity=severity, message=message, evidence=getattr(rec, "text", ""),
                   page=getattr(rec, "page", None), start=getattr(rec, "start", None), end=getattr(rec, "end", None))


@check("percent_out_of_range")
def percent_out_of_range(ex: Extraction, nt: NormalisedText) -> Iterable[Finding]:
    """A percentage below 0 or above 100."""
    for m in ex.measures:
        if m.unit == "percent" and not 0 <= m.value <= 100:
            yield _finding("percent_out_of_range", "warning", f"percentage {m.value} is outside 0–100", m)


@check("part_exceeds_total")
def part_exceeds_total(ex: Extraction, nt: NormalisedText) -> Iterable[Finding]:
    """`N sur T` where N is larger than T."""
    for m in ex.measures:
        if m.total is not None and m.value > m.total:
            yield _finding("part_exceeds_total", "error", f"{m.value:g} is more than its stated total {m.total:g}", m)


def check_extraction(ex: Extraction, nt: NormalisedText) -> list[Finding]:
    out: list[Finding] = []
    for name, fn in CHECKS.items():
        try:
            out.extend(fn(ex, nt))
        except Exception as exc:  # a broken check is itself a finding
            out.append(Finding(check="check_failed", severity="error", message=f"{name}: {type(exc).__name__}: {exc}"))
    return out
