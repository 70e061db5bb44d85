"""A certificate of origin as a one-page A4 PDF (fpdf2) with a QR code of its verify URL
(segno), so a customs officer can print it and scan it back to the live record.

Latin texts print in the PDF core font (Helvetica, Latin-1). A script beyond Latin-1 (Arabic)
needs a TrueType font with its glyphs, DejaVu Sans from Debian's `fonts-dejavu-core`, and
shaping (joined letters, right to left) by HarfBuzz through `uharfbuzz`; without either,
`render_pdf` raises `NoFont` and the caller prints the certificate in English instead.
"""

from __future__ import annotations

import importlib.util
import io
import unicodedata
from pathlib import Path

import segno
from fpdf import FPDF

from gateway.web.certificate_page import PageTexts

QR_SIZE = 50
"""Millimetres a side: large enough for a phone camera at arm's length."""
LABEL_WIDTH = 62
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
"""Where Debian's `fonts-dejavu-core` puts DejaVu Sans (Latin, Arabic, and more)."""
UNICODE_FONT = "DejaVu"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}


class NoFont(RuntimeError):
    """The texts need a Unicode font or shaping that this machine does not have."""


def _needs_unicode(texts: PageTexts) -> bool:
    words = [texts.title, texts.heading, texts.subheading, texts.status, texts.status_text]
    words += [texts.declaration, texts.qr] + [part for row in texts.rows for part in row]
    return any(latin1(text) != unicodedata.normalize("NFC", text) for text in words)


def _unicode_font(pdf: FPDF, font_dir: Path) -> None:
    """Add DejaVu Sans (regular and bold) with HarfBuzz shaping, or raise NoFont."""
    files = {style: font_dir / name for style, name in FONT_FILES.items()}
    missing = [str(path) for path in files.values() if not path.is_file()]
    if missing or importlib.util.find_spec("uharfbuzz") is None:
        raise NoFont(f"missing {missing or 'uharfbuzz'}: install fonts-dejavu-core, uharfbuzz")
    for style, path in files.items():
        pdf.add_font(UNICODE_FONT, style, str(path))
    pdf.set_text_shaping(True)


def latin1(text: str) -> str:
    """`text` in the PDF core fonts' Latin-1: accents kept where Latin-1 has them, dropped
    otherwise, anything else as `?`. (A script beyond Latin-1, such as Arabic, needs a
    Unicode TrueType font added with `FPDF.add_font`.)"""
    kept = []
    for ch in unicodedata.normalize("NFC", text):
        if ord(ch) < 256:
            kept.append(ch)
            continue
        plain = "".join(c for c in unicodedata.normalize("NFKD", ch) if ord(c) < 128)
        kept.append(plain or "?")
    return "".join(kept)


def qr_png(url: str) -> io.BytesIO:
    """The URL as a QR code PNG (error correction M: readable with a tenth of it smudged)."""
    image = io.BytesIO()
    segno.make(url, error="m", micro=False).save(image, kind="png", scale=10, border=4)
    image.seek(0)
    return image


def render_pdf(texts: PageTexts, font_dir: Path | None = None) -> bytes:
    """The certificate's page, status, fields, declaration and QR code, on one A4 page; right
    to left when the texts are (`texts.dir`). Raises NoFont when they need a font (or
    shaping) that is not installed."""
    pdf = FPDF(format="A4")
    family, plain = "Helvetica", latin1
    if _needs_unicode(texts):
        _unicode_font(pdf, font_dir or FONT_DIR)
        family, plain = UNICODE_FONT, _same
    rtl = texts.dir == "rtl"
    align = "R" if rtl else "L"
    pdf.set_title(plain(texts.title))
    pdf.set_creator("Sokoni")
    pdf.set_lang(texts.lang)
    pdf.add_page()
    pdf.set_auto_page_break(False)
    right = pdf.w - pdf.r_margin
    pdf.image(qr_png(texts.url), x=right - QR_SIZE, y=pdf.t_margin, w=QR_SIZE, h=QR_SIZE)
    pdf.set_font(family, "B", 16)
    width = right - QR_SIZE - pdf.l_margin - 5
    pdf.multi_cell(width, 8, plain(texts.heading), align=align, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 11)
    pdf.multi_cell(width, 6, plain(texts.subheading), align=align, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font(family, "B", 12)
    status = f"{texts.status}: {texts.status_text}"
    pdf.multi_cell(width, 7, plain(status), border=1, align=align, new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(pdf.get_y(), pdf.t_margin + QR_SIZE) + 6)
    value_width = pdf.epw - LABEL_WIDTH
    for label, value in texts.rows:
        cells = [("B", LABEL_WIDTH, label), ("", value_width, value)]
        for style, cell_width, text in reversed(cells) if rtl else cells:
            pdf.set_font(family, style, 10)
            pdf.cell(cell_width, 8, plain(text), border="B", align=align)
        pdf.ln(8)
    pdf.ln(6)
    pdf.set_font(family, "", 9)
    pdf.multi_cell(0, 5, plain(texts.declaration), align=align, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.multi_cell(
        0, 5, plain(f"{texts.qr}: {texts.url}"), align=align, new_x="LMARGIN", new_y="NEXT"
    )
    return bytes(pdf.output())


def _same(text: str) -> str:
    return text
