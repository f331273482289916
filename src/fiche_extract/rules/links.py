"""Links: URLs and bare web addresses (`www.…`, `onpv.fr`, `sig.ville.gouv.fr`)."""

from __future__ import annotations

from .. import rx as re

from ..models import Link, NormalisedText

TLDS = r"(?:fr|com|org|net|eu|info|gouv\.fr|io)"
URL_RE = re.compile(
    rf"(?:https?://[^\s<>\"«»]+|www\.[^\s<>\"«»]+|(?<![\p{{L}}\d@.\-])[a-z0-9][a-z0-9\-]*(?:\.[a-z0-9\-]+)*\.{TLDS}(?:/[^\s<>\"«»]*)?)(?![\p{{L}}\d\-])",
    re.IGNORECASE,
)


def extract_links(nt: NormalisedText) -> list[Link]:
    out = []
    seen_spans = []
    for m in URL_RE.finditer(nt.text):
        url = m.group(0).rstrip(".,;:)»")
        if url.count("(") < url.count(")"):
            url = url.rstrip(")")
        start, end = m.start(), m.start() + len(url)
        if any(s <= start < e for s, e in seen_spans):
            continue
        seen_spans.append((start, end))
        out.append(Link(url=url, **nt.evidence(start, end).model_dump()))
    return out
