"""Links (URLs and bare web addresses: `www.…`, `onpv.fr`, `sig.ville.gouv.fr`) and bullet items."""

from __future__ import annotations

from .. import rx as re

from ..models import Bullet, Link, NormalisedText
from ..stages import stage

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


@stage("links", requires=["text"], assigns=["links"])
def links_stage(doc) -> None:
    """Web addresses."""
    doc.extraction.links = extract_links(doc.text)


def extract_bullets(nt: NormalisedText) -> list[Bullet]:
    """Bullet items (`• …`, with the lines that go on them)."""
    out = []
    for m in re.finditer(r"(?m)^• (.+(?:\n(?!•|\n).+)*)", nt.text):
        item = " ".join(m.group(1).split())
        out.append(Bullet(item=item, **nt.evidence(m.start(), m.end()).model_dump()))
    return out


@stage("bullets", requires=["text"], assigns=["bullets"])
def bullets_stage(doc) -> None:
    """Bullet items, for the review and the checks."""
    doc.extraction.bullets = extract_bullets(doc.text)
