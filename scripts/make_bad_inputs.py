"""Write a corpus of bad inputs into a folder, for the tests and for trying the tool:

    .venv/bin/python scripts/make_bad_inputs.py output/bad-inputs

Each file's name says what it is; `EXPECTED` says what status and message a run
must give it.
"""

from __future__ import annotations

import io
import random
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"

# a file name that is also HTML: review pages and diffs must escape it
HOSTILE_NAME = "name-<img src=x onerror=alert(1)>.txt"

# file name -> (status, words the message must contain)
EXPECTED = {
    "truncated.pdf": ("failed", "not a readable PDF: the file is damaged or truncated"),
    "random-bytes.pdf": ("failed", "no PDF header"),
    "zero-pages.pdf": ("failed", "no pages"),
    "encrypted-user-password.pdf": ("failed", "encrypted: run again with --password"),
    "encrypted-owner-only.pdf": ("ok", ""),
    "scanned.pdf": ("failed", "no text layer: scanned pages need OCR"),
    "thousands-of-pages.pdf": ("partial", "only the first 500 were read"),
    "decompression-bomb.pdf": ("failed", "decompression bomb"),
    "long-lines.txt": ("partial", "absurdly long lines cut"),
    "latin-1.txt": ("failed", "run again with --encoding latin-1"),
    "utf-16.txt": ("failed", "--encoding utf-16"),
    "empty.txt": ("failed", "empty file"),
    "empty.pdf": ("failed", "empty file"),
    "english.txt": ("skipped", "does not look French"),
    "unrelated-french.txt": ("ok", ""),  # any French text is read (kind `autre`)
    "fiche-missing-section.txt": ("ok", ""),
    "duplicate-a.txt": ("ok", ""),
    "duplicate-b.txt": ("skipped", "duplicate: same bytes as"),
    "script-in-text.txt": ("ok", ""),
    HOSTILE_NAME: ("ok", ""),
}

ENGLISH = """PRESS RELEASE

The regional council met on Monday to discuss the new broadband plan. Fifteen
towns will receive funding, and the chair thanked the partners for their work.
The plan covers roads, schools and the local hospital, with a budget voted in
the spring. More information is available on the council's website.
"""

UNRELATED = """Compte rendu du conseil d'école

La séance est ouverte à 18 heures. Les enseignants présentent le projet de
classe verte du printemps et le budget de la coopérative scolaire. Les parents
demandent que la cantine propose davantage de produits locaux. La séance est
levée à 20 heures après un échange sur la sécurité aux abords de l'école.
"""


def pdf_bytes(draw) -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    draw(c)
    c.save()
    return buf.getvalue()


def simple_pdf(encrypt=None) -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1, encrypt=encrypt)
    text = CORPUS.joinpath("communique-belfort-2020-12-14.txt").read_text(encoding="utf-8")
    y = 800
    for line in text.splitlines()[:40]:
        c.drawString(40, y, line.replace("\u2019", "'").replace("\u2022", "-")[:110])
        y -= 14
    c.save()
    return buf.getvalue()


def scanned_pdf() -> bytes:
    """One page holding only an image of French text (no text layer)."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader

    img = Image.new("L", (1240, 600), 255)
    d = ImageDraw.Draw(img)
    lines = ["COMMUNIQUE DE PRESSE", "", "Mende, le 3 mars 2021", "",
             "12 espaces France Services ouvrent en Lozere."]
    for i, line in enumerate(lines):
        d.text((60, 60 + 40 * i), line, fill=0, font_size=28)
    reader = ImageReader(img)
    return pdf_bytes(lambda c: c.drawImage(reader, 20, 400, width=560, height=270))


def many_pages(n: int = 2000) -> bytes:
    """A communiqué followed by thousands of nearly empty pages."""
    text = CORPUS.joinpath("communique-belfort-2020-12-14.txt").read_text(encoding="utf-8")

    def draw(c):
        y = 800
        for line in text.splitlines()[:40]:
            c.drawString(40, y, line.replace("\u2019", "'").replace("\u2022", "-")[:110])
            y -= 14
        c.showPage()
        for i in range(1, n):
            c.drawString(72, 720, f"Page {i + 1}")
            c.showPage()

    return pdf_bytes(draw)


def pdf_from_objects(objs: list[bytes]) -> bytes:
    """A PDF file from its numbered object bodies (object 1 the catalogue), with a
    correct cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref))
    return out.getvalue()


def zero_pages() -> bytes:
    """A syntactically valid PDF whose page tree is empty."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
    return pdf_from_objects(objs)


def bomb(inflated_mb: int = 400) -> bytes:
    """A page content stream that inflates to `inflated_mb` MB of spaces."""
    comp = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    stream = b"".join(comp.compress(chunk) for _ in range(inflated_mb)) + comp.flush()
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    return pdf_from_objects(objs)


def write_all(folder: Path) -> dict[str, tuple[str, str]]:
    from reportlab.lib.pdfencrypt import StandardEncryption

    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(7)
    fiche_pdf = (CORPUS / "fiche-territoriale-lot.pdf").read_bytes()
    communique = (CORPUS / "communique-belfort-2020-12-14.txt").read_text(encoding="utf-8")
    fiche = (CORPUS / "fiche-territoriale-lot.txt").read_text(encoding="utf-8")
    files = {
        "truncated.pdf": fiche_pdf[: len(fiche_pdf) // 3],
        "random-bytes.pdf": bytes(rng.getrandbits(8) for _ in range(4096)),
        "zero-pages.pdf": zero_pages(),
        "encrypted-user-password.pdf": simple_pdf(StandardEncryption("secret", ownerPassword="owner", strength=128)),
        "encrypted-owner-only.pdf": simple_pdf(StandardEncryption("", ownerPassword="owner", canCopy=0, strength=128)),
        "scanned.pdf": scanned_pdf(),
        "thousands-of-pages.pdf": many_pages(),
        "decompression-bomb.pdf": bomb(),
        "long-lines.txt": (communique + "\n" + "x" * 300_000 + "\n" + " ".join(["mot"] * 100_000) + "\n").encode("utf-8"),
        "latin-1.txt": communique.replace("\u2019", "'").replace("\u2022", "-").replace("\u0153", "oe")
        .replace("\ufffd", "").replace("\u2026", "...").encode("latin-1", errors="replace"),
        "utf-16.txt": communique.encode("utf-16"),
        "empty.txt": b"",
        "empty.pdf": b"",
        "english.txt": ENGLISH.encode("utf-8"),
        "unrelated-french.txt": UNRELATED.encode("utf-8"),
        "fiche-missing-section.txt": _without_section(fiche, " Numérique\n", " ACCOMPAGNEMENT SUR MESURE").encode("utf-8"),
        "duplicate-a.txt": communique.encode("utf-8"),
        "duplicate-b.txt": communique.encode("utf-8"),
        "script-in-text.txt": communique.replace("INSTALLATION DU COMITÉ", "<script>alert('x')</script> INSTALLATION DU COMITÉ")
        .encode("utf-8"),
        HOSTILE_NAME: (communique + "\n<b>Contact presse</b> <a href='javascript:alert(1)'>lien</a>\n").encode("utf-8"),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return EXPECTED


def _without_section(text: str, start: str, stop: str) -> str:
    a = text.index(start)
    b = text.index(stop, a)
    return text[:a] + text[b:]


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else ROOT / "output" / "bad-inputs"
    write_all(folder)
    print(f"{len(EXPECTED)} bad inputs in {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
