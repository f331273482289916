"""Limits that keep one hostile file from taking a batch down: compressed streams that
inflate past a cap (decompression bombs), too many pages, too much text."""

from __future__ import annotations

import re
import zlib

MAX_INFLATED_BYTES = 150 * 1024 * 1024  # one PDF stream, once inflated
MAX_PAGES = 500
MAX_TEXT_CHARS = 3_000_000
MAX_LINE_CHARS = 20_000

STREAM_RE = re.compile(rb"/FlateDecode.{0,200}?stream\r?\n", re.S)


class BombError(Exception):
    pass


def check_pdf_streams(data: bytes, limit: int = MAX_INFLATED_BYTES) -> None:
    """Inflate every Flate stream in pieces, never holding more than a chunk, and
    stop at the first one that would inflate past `limit`."""
    for m in STREAM_RE.finditer(data):
        inflater = zlib.decompressobj()
        total = 0
        pos = m.end()
        end = data.find(b"endstream", pos)
        chunk = data[pos:end if end > 0 else len(data)]
        try:
            out = inflater.decompress(chunk, 1 << 20)
            total += len(out)
            while inflater.unconsumed_tail and total <= limit:
                out = inflater.decompress(inflater.unconsumed_tail, 1 << 20)
                if not out:
                    break
                total += len(out)
        except zlib.error:
            continue  # a damaged stream: the PDF parser will say so
        if total > limit:
            raise BombError(
                f"decompression bomb: a compressed stream inflates past {limit // (1024 * 1024)} MB; not read"
            )


def clip_lines(text: str, limit: int = MAX_LINE_CHARS) -> tuple[str, int]:
    """Cut absurdly long lines (and tokens) at `limit` characters; returns the text
    and how many lines were cut."""
    cut = 0
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if len(line) > limit:
            lines[i] = line[:limit]
            cut += 1
    return "\n".join(lines), cut
