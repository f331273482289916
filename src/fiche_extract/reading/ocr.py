"""Optional OCR of pages without a text layer, with Tesseract (Debian packages
`tesseract-ocr` and `tesseract-ocr-fra`), run as a subprocess."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

INSTALL_HINT = "OCR needs Tesseract: sudo apt-get install tesseract-ocr tesseract-ocr-fra"
RESOLUTION = 200  # dpi of the page images given to Tesseract


class OcrUnavailable(Exception):
    pass


def tesseract() -> str:
    found = shutil.which("tesseract")
    if not found:
        raise OcrUnavailable(INSTALL_HINT)
    langs = subprocess.run([found, "--list-langs"], capture_output=True, text=True).stdout.split()
    if "fra" not in langs:
        raise OcrUnavailable("Tesseract has no French data: sudo apt-get install tesseract-ocr-fra")
    return found


def ocr_image(page, *, timeout: float = 120.0) -> str:
    """The text of one engine page (anything with `image(resolution)`) read by Tesseract (French)."""
    exe = tesseract()
    with tempfile.TemporaryDirectory() as tmp:
        image = Path(tmp) / "page.png"
        page.image(RESOLUTION).save(str(image))
        out = subprocess.run([exe, str(image), "stdout", "-l", "fra", "--psm", "4"], capture_output=True,
                             text=True, timeout=timeout)
    return out.stdout
