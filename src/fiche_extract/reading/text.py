"""Text inputs: bytes decoded (UTF-8 unless told otherwise) and lines grouped into the
pages the extracted text marks (form feeds, a line led by one space)."""

from __future__ import annotations

from typing import Optional

from ..errors import LoadError
from ..models import Line, Page

# A text page of fewer lines than this cannot end at a space-led line: such
# lines are then separate text boxes (link labels, captions), not page starts.
MIN_TEXT_PAGE_LINES = 20


def decode_text(data: bytes, encoding: Optional[str] = None) -> str:
    if encoding:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError) as exc:
            raise LoadError("encoding", f"cannot decode as {encoding}: {exc}") from exc
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LoadError(
            "encoding", "text is UTF-16, not UTF-8: run again with --encoding utf-16"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoadError(
            "encoding",
            f"text is not UTF-8 (byte {data[exc.start]:#04x} at offset {exc.start}): "
            "run again with --encoding latin-1 (or the file's encoding)",
        ) from exc


def _is_link_like(s: str) -> bool:
    s = s.strip()
    return "://" in s or s.startswith("www.") or (" " not in s and "." in s[1:-1])


def split_text_pages(text: str) -> list[Page]:
    """Recover pages from extracted text.

    A form feed always starts a page. A line that begins with a single space
    starts a page when the current page already holds enough lines, the line is
    not a link, and it is not one of a run of space-led lines (text boxes).
    """
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    pages: list[list[Line]] = [[]]
    count_since_break = 0
    for i, raw in enumerate(raw_lines):
        chunks = raw.split("\f")
        for j, chunk in enumerate(chunks):
            if j > 0:
                pages.append([])
                count_since_break = 0
            leading = chunk.startswith(" ") and not chunk.startswith("  ") and chunk.strip() != ""
            if leading and count_since_break >= MIN_TEXT_PAGE_LINES and not _is_link_like(chunk):
                prev = raw_lines[i - 1] if i > 0 else ""
                nxt = raw_lines[i + 1] if i + 1 < len(raw_lines) else ""
                in_run = (prev.startswith(" ") and prev.strip()) or (nxt.startswith(" ") and nxt.strip())
                if not in_run:
                    pages.append([])
                    count_since_break = 0
            page_no = len(pages)
            pages[-1].append(Line(text=chunk, page=page_no, leading_space=leading))
            if chunk.strip():
                count_since_break += 1
    result = [Page(number=n, lines=lines) for n, lines in enumerate(pages, start=1)]
    # drop trailing empty pages (a final form feed)
    while len(result) > 1 and not any(l.text.strip() for l in result[-1].lines):
        result.pop()
    return result
