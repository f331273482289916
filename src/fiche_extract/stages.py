"""Extraction stages, registered by name and assembled from a list in configuration.

A stage is a function `fn(doc, **settings)` that reads a `Document` and writes its
records into `doc.extraction`. `@stage(name, requires=..., assigns=...)` registers it;
`patterns/pipeline.yaml` lists the stages in order with their settings (it is hashed
with the other rules, so a change of order or setting shows up in a run's diff).
`assemble` checks, before any document is read, that every stage's requirements are
assigned by a stage before it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, Optional, Sequence

from .errors import UsageError

# what a document holds before any stage runs
GIVEN = frozenset({"pages", "text", "flat", "resources"})


@dataclass(frozen=True)
class StageSpec:
    name: str
    fn: Callable[..., None]
    requires: tuple[str, ...]
    assigns: tuple[str, ...]

    @property
    def summary(self) -> str:
        return (self.fn.__doc__ or "").strip().split("\n")[0]


@dataclass(frozen=True)
class ConfiguredStage:
    spec: StageSpec
    settings: Mapping[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.spec.name


class StageError(UsageError):
    """A pipeline configuration that cannot run: unknown stage, missing requirement."""


_REGISTRY: dict[str, StageSpec] = {}


def stage(name: str, *, requires: Sequence[str] = (), assigns: Sequence[str] = ()):
    """Register `fn` as the stage `name`."""

    def register(fn: Callable[..., None]) -> Callable[..., None]:
        if name in _REGISTRY and _REGISTRY[name].fn is not fn:
            raise StageError(f"two stages named {name!r}")
        _REGISTRY[name] = StageSpec(name, fn, tuple(requires), tuple(assigns))
        return fn

    return register


def registered() -> dict[str, StageSpec]:
    """Every stage registered so far. The rule and check modules register theirs when
    imported; `fiche_extract.pipeline` imports them all (this module imports none, so
    that they can import it)."""
    return dict(_REGISTRY)


def assemble(config: Iterable[str | Mapping[str, Any]], *, only: Optional[Sequence[str]] = None,
             skip: Sequence[str] = ()) -> list[ConfiguredStage]:
    """Stages from a configuration list (`name`, or `{name: ..., setting: value}`), in
    order, without the `skip`ped ones (or only the `only` ones, with what they need).
    Raises `StageError` when a stage is unknown or needs what no earlier stage assigns."""
    known = registered()
    wanted: list[ConfiguredStage] = []
    for item in config:
        item = {"name": item} if isinstance(item, str) else dict(item)
        name = item.pop("name")
        if name not in known:
            raise StageError(f"unknown stage {name!r} (known: {', '.join(sorted(known))})")
        wanted.append(ConfiguredStage(known[name], item))
    for name in list(skip) + list(only or []):
        if name not in known:
            raise StageError(f"unknown stage {name!r} (known: {', '.join(sorted(known))})")
    if only:
        needed = set(only)
        for st in reversed(wanted):  # the stages the chosen ones need, transitively
            if st.name in needed:
                needed |= {s.name for s in wanted if set(s.spec.assigns) & set(st.spec.requires)}
        wanted = [s for s in wanted if s.name in needed]
    wanted = [s for s in wanted if s.name not in skip]
    available = set(GIVEN)
    for st in wanted:
        missing = [r for r in st.spec.requires if r not in available]
        if missing and not skip:
            raise StageError(f"stage {st.name!r} needs {', '.join(missing)}, which no stage before it assigns")
        available |= set(st.spec.assigns)
    return wanted
