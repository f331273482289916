"""Page images for the review: each page of a document's PDF rendered by PDFium as a
PNG data URI, and each value's box placed on it in percent of the page, so that the
HTML draws it over the image at any zoom."""

from __future__ import annotations

import base64
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

BOX_TYPES = ("measures", "places", "people", "organizations", "dates", "allocations")
SCALE = 1.5  # 108 dpi: small print stays legible
COLOURS = 64  # an adaptive palette: text pages shrink about four times, still sharp
MAX_PAGES = 60  # beyond, the review page would weigh tens of megabytes


@dataclass
class PageImage:
    number: int
    width: float  # points
    height: float
    png: str  # data URI


@dataclass
class Box:
    record_type: str
    index: int  # the record's position in its list
    left: float  # percent of the page's width / height
    top: float
    width: float
    height: float


def find_pdf(source: str, document_id: str, *, near: Optional[Path] = None) -> Optional[Path]:
    """The PDF a document was read from: `source` as given, else (a relative path) from
    the folder `near` or one of its parents, when it still holds the same bytes (a
    document's id is their SHA-256)."""
    path = Path(source)
    candidates = [path]
    if near is not None and not path.is_absolute():
        candidates += [folder / path for folder in (near, *near.parents)]
    for candidate in candidates:
        try:
            if candidate.is_file() and candidate.suffix.lower() == ".pdf":
                if hashlib.sha256(candidate.read_bytes()).hexdigest() == document_id:
                    return candidate
        except OSError:
            continue
    return None


def render_pages(path: Path, *, scale: float = SCALE, max_pages: int = MAX_PAGES) -> list[PageImage]:
    """The first `max_pages` pages as PNG data URIs, with their size in points."""
    import pypdfium2 as pdfium
    from PIL import Image

    pdf = pdfium.PdfDocument(str(path))
    out = []
    try:
        for index in range(min(len(pdf), max_pages)):
            page = pdf[index]
            try:
                width, height = page.get_size()
                image = page.render(scale=scale).to_pil().convert("P", palette=Image.Palette.ADAPTIVE, colors=COLOURS)
            finally:
                page.close()
            buffer = io.BytesIO()
            image.save(buffer, "PNG", optimize=True)
            out.append(PageImage(index + 1, width, height,
                                 "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")))
    finally:
        pdf.close()
    return out


def page_boxes(ex: dict, pages: Iterable[PageImage], types: Iterable[str] = BOX_TYPES) -> dict[int, list[Box]]:
    """The boxes of the values (records of `types` with a bbox) on each rendered page."""
    sizes = {p.number: (p.width, p.height) for p in pages}
    out: dict[int, list[Box]] = {n: [] for n in sizes}
    for rtype in types:
        for i, rec in enumerate(ex.get(rtype) or []):
            bbox, page = rec.get("bbox"), rec.get("page")
            if not bbox or page not in sizes:
                continue
            width, height = sizes[page]
            x0, top, x1, bottom = bbox
            out[page].append(Box(rtype, i, 100 * x0 / width, 100 * top / height,
                                 100 * (x1 - x0) / width, 100 * (bottom - top) / height))
    for boxes in out.values():  # drawn largest first: a value inside another's box stays on top, clickable
        boxes.sort(key=lambda b: -b.width * b.height)
    return out
