"""A certificate of origin as a one-page A4 PDF (fpdf2) with a QR code of its verify URL
(segno), so a customs officer can print it and scan it back to the live record."""

from __future__ import annotations

import io
import unicodedata

import segno
from fpdf import FPDF

from gateway.web.certificate_page import PageTexts

QR_SIZE = 50
"""Millimetres a side: large enough for a phone camera at arm's length."""
LABEL_WIDTH = 62


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


def render_pdf(texts: PageTexts) -> bytes:
    """The certificate's page, status, fields, declaration and QR code, on one A4 page."""
    pdf = FPDF(format="A4")
    pdf.set_title(latin1(texts.title))
    pdf.set_creator("Sokoni")
    pdf.add_page()
    pdf.set_auto_page_break(False)
    right = pdf.w - pdf.r_margin
    pdf.image(qr_png(texts.url), x=right - QR_SIZE, y=pdf.t_margin, w=QR_SIZE, h=QR_SIZE)
    pdf.set_font("Helvetica", "B", 16)
    width = right - QR_SIZE - pdf.l_margin - 5
    pdf.multi_cell(width, 8, latin1(texts.heading), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(width, 6, latin1(texts.subheading), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 12)
    status = f"{texts.status}: {texts.status_text}"
    pdf.multi_cell(width, 7, latin1(status), border=1, new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(pdf.get_y(), pdf.t_margin + QR_SIZE) + 6)
    for label, value in texts.rows:
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(LABEL_WIDTH, 8, latin1(label), border="B")
        pdf.set_font("Helvetica", "", 10)
        pdf.cell(0, 8, latin1(value), border="B", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("Helvetica", "", 9)
    pdf.multi_cell(0, 5, latin1(texts.declaration), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.multi_cell(0, 5, latin1(f"{texts.qr}: {texts.url}"), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
