"""Arabic over HTTP: callers in Egypt, Sudan and Libya find Arabic first and walk the menus in
it within the 80-character UCS-2 screen; `تحقق <code>` by SMS answers in Arabic; the verify
page is right to left and the certificate PDF prints in Arabic (in English when the font is
missing)."""

import pypdfium2
import pytest

from gateway.web import certificate_pdf
from tests.origin_support import certified_parcel
from tests.origin_support import qr_in
from tests.origin_support import set_rates
from tests.parcel_support import choose
from tests.parcel_support import texts_to
from tests.sms_support import Texter

EGYPTIAN = "+201001234567"
VODAFONE_EGYPT = "60202"
SUDANESE = "+249912345678"
ZAIN_SUDAN = "63401"
UCS2_SCREEN = 80


def _fits(screen: str) -> str:
    assert len(screen) <= UCS2_SCREEN, screen
    return screen


def test_an_egyptian_caller_finds_arabic_first_and_walks_the_menus_in_it(phone):
    caller = phone(EGYPTIAN, VODAFONE_EGYPT)
    screen = _fits(caller.dial())
    assert screen.split("\n")[:3] == ["CON اختر اللغة:", "1. عربي", "2. English"]
    screen = _fits(choose(caller, screen, "عربي"))
    assert screen.split("\n")[:2] == ["CON اختر بلدك:", "1. مصر"]
    screen = _fits(choose(caller, screen, "مصر"))
    assert screen.startswith("CON مرحبا بك في سوكوني\n1. شراء")
    screen = _fits(choose(caller, screen, "شراء"))
    assert screen.startswith("CON شراء: اختر فئة\n") and "بلدان أخرى" in screen
    screen = _fits(caller.send("00"))
    screen = _fits(choose(caller, screen, "التحقق من شهادة"))
    assert screen.startswith("CON شهادة المنشأ: أدخل رمزها من 10 خانات:")
    assert _fits(caller.send("7KM3PX9ARD")).startswith("CON لا شهادة بهذا الرمز.")
    again = phone(EGYPTIAN, VODAFONE_EGYPT)  # the language chosen is remembered
    assert again.dial() == "CON لديك جلسة لم تكتمل.\n1. متابعة\n2. البدء من جديد"


def test_elsewhere_the_language_menu_keeps_its_order_and_stays_latin(phone):
    screen = phone("+254711000001").dial()  # in Swahili, Kenya's first language
    assert screen.split("\n")[1:5] == ["1. English", "2. Kiswahili", "3. Francais", "4. Kiarabu"]


def test_a_sudanese_officer_verifies_by_sms_in_arabic(services, app, client, run_outbox):
    set_rates(app)
    _, code = certified_parcel(services)
    Texter(client, SUDANESE, ZAIN_SUDAN).text(f"تحقق {code}")
    Texter(client, SUDANESE, ZAIN_SUDAN).text("تحقق ٧KM3PX9ARD")
    run_outbox()
    found, missing = texts_to(services, SUDANESE)
    assert found.startswith(f"سوكوني، شهادة {code}: سارية. 2 كيس Maize، HS 10.05، 49.42 USD.")
    assert found.endswith("كينيا-أوغندا. من Wanjiru Farm.")
    assert missing == "سوكوني: لا شهادة منشأ بالرمز 7KM3PX9ARD."


def test_the_verify_page_in_arabic_is_right_to_left(services, app, client):
    set_rates(app)
    _, code = certified_parcel(services)
    html = client.get(f"/verify/{code}?lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    assert "شهادة منشأ مبسطة" in html and "من كينيا إلى أوغندا" in html


def _text(pdf: bytes) -> str:
    page = pypdfium2.PdfDocument(pdf)[0]
    return str(page.get_textpage().get_text_range())


def test_the_certificate_pdf_prints_in_arabic(services, app, client):
    pytest.importorskip("uharfbuzz")
    set_rates(app)
    _, code = certified_parcel(services)
    pdf = client.get(f"/verify/{code}.pdf?lang=ar")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert b"DejaVu" in pdf.data
    assert [url.rsplit("/verify/", 1)[1] for url in qr_in(pdf.data)] == [code]


def test_without_the_font_the_pdf_prints_in_english(services, app, client, monkeypatch, tmp_path):
    monkeypatch.setattr(certificate_pdf, "FONT_DIR", tmp_path)
    set_rates(app)
    _, code = certified_parcel(services)
    pdf = client.get(f"/verify/{code}.pdf?lang=ar")
    assert pdf.status_code == 200 and b"DejaVu" not in pdf.data
    assert "Simplified Certificate of Origin" in _text(pdf.data)
    assert [url.rsplit("/verify/", 1)[1] for url in qr_in(pdf.data)] == [code]
