"""The knobs of PDF reading in one place: tolerances from `patterns/layout.yaml` and
the table header cues of `patterns/sections.yaml`, as a frozen `LayoutSettings`
(the way pdfplumber gathers its table settings)."""

from __future__ import annotations

from dataclasses import dataclass, fields

from ..folding import fold


@dataclass(frozen=True)
class LayoutSettings:
    row_tolerance: float = 3.0
    min_gutter: float = 12.0
    char_gap: float = 0.08
    block_gap: float = 3.0
    margin_band: float = 0.08
    running_share: float = 0.5
    bullet_reach: float = 2.5
    column_slack: float = 2.0
    inside_margin: float = 1.0
    cell_gap: float = 8.0
    cell_slack: float = 2.0
    max_table_lines: int = 60
    block_pitch_slack: float = 2.5
    block_size_change: float = 1.0
    max_line_pitch: float = 40.0
    default_line_pitch: float = 12.0
    table_header_cues: tuple[str, ...] = ()  # folded header cells that anchor a table drawn without rules

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, (int, float)) and value < 0:
                raise ValueError(f"layout setting {f.name} cannot be negative ({value})")

    @property
    def cue_first_words(self) -> frozenset[str]:
        return frozenset(c.split(" ")[0] for c in self.table_header_cues)

    @classmethod
    def from_patterns(cls, patterns) -> "LayoutSettings":
        """Settings from `layout.yaml` (unknown keys refused) and the header cues."""
        given = dict(patterns.get("layout") or {})
        known = {f.name for f in fields(cls)}
        unknown = set(given) - known
        if unknown:
            raise ValueError(f"unknown layout settings: {', '.join(sorted(unknown))}")
        cues = tuple(fold(c) for c in (patterns.get("sections") or {}).get("table_headers", []) or [])
        return cls(**given, table_header_cues=cues)


def layout_settings(resources) -> LayoutSettings:
    """The settings of a `Resources` (built once for it)."""
    return resources.compiled(_from_resources)


def _from_resources(resources) -> LayoutSettings:
    return LayoutSettings.from_patterns(resources.patterns)
