"""`GET /verify/<code>` and `GET /verify/<code>.pdf`: anyone checks a Simplified Certificate of
Origin by its code, with no login; a border officer's phone needs no JavaScript.

Responses, for the API description:

- `/verify/<code>`: 200 `text/html` (the record and its status: valid, used at the border,
  cancelled); 404 `text/html` when no certificate has the code (a malformed code included,
  so nothing tells how near a guess came); 429 `text/html` past VERIFY_LIMIT per IP address
  in VERIFY_WINDOW seconds.
- `/verify/<code>.pdf`: 200 `application/pdf` (one page with a QR code of the verify URL;
  in English when the language's font is not installed); 404 and 429 as above.
- `code`: 10 characters of `gateway.commerce.origin.certificates.CODE_ALPHABET`, any case,
  spaces and dashes ignored; query `lang` (`en`, `sw`, `fr`, `ar`, ...) picks the language, else
  the browser's Accept-Language.
"""

from __future__ import annotations

import logging

from flask import Blueprint
from flask import Response
from flask import render_template
from flask import request
from flask import url_for

from gateway.commerce.origin.certificates import CertificateView
from gateway.commerce.origin.certificates import find
from gateway.current import services
from gateway.web.certificate_page import page_texts
from gateway.web.certificate_pdf import NoFont
from gateway.web.certificate_pdf import render_pdf
from menus.i18n import DEFAULT_LANGUAGE
from menus.i18n import LANGUAGES
from menus.i18n import t

bp = Blueprint("verify", __name__, template_folder="templates")
log = logging.getLogger(__name__)


def _language() -> str:
    asked = request.args.get("lang", "")
    if asked in LANGUAGES:
        return asked
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT_LANGUAGE


def verify_url(code: str) -> str:
    """The public address of a certificate's page (printed in its QR code)."""
    return f"{services().settings.verify_base_url}/verify/{code}"


Refusal = tuple[str, int]


def _refusal(language: str, status: int, key: str) -> Refusal:
    html = render_template(
        "verify_missing.html",
        lang=language,
        dir=t(language, "verify.dir"),
        title=t(language, f"{key}_title"),
        text=t(language, key),
    )
    return html, status


def _lookup(code: str, language: str) -> CertificateView | Refusal:
    """The certificate, or the refusal to answer with; every look-up counts per IP."""
    svc = services()
    if not svc.deps.may_verify(f"ip:{request.remote_addr}"):
        return _refusal(language, 429, "verify.too_many")
    view = find(svc.uow(), code)
    return view if view is not None else _refusal(language, 404, "verify.not_found")


@bp.get("/verify/<code>.pdf")
def pdf(code: str) -> Response | Refusal:
    """The certificate as a one-page PDF with a QR code of its verify URL."""
    language = _language()
    found = _lookup(code, language)
    if not isinstance(found, CertificateView):
        return found
    try:
        document = render_pdf(page_texts(language, found, verify_url(found.code)))
    except NoFont:
        log.warning("no font for a %s certificate PDF; printed in English", language)
        document = render_pdf(page_texts(DEFAULT_LANGUAGE, found, verify_url(found.code)))
    response = Response(document, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="certificate-{found.code}.pdf"'
    return response


@bp.get("/verify/<code>")
def page(code: str) -> str | Refusal:
    """The certificate's record and status as a small HTML page."""
    language = _language()
    found = _lookup(code, language)
    if not isinstance(found, CertificateView):
        return found
    texts = page_texts(language, found, verify_url(found.code))
    return render_template(
        "verify.html", texts=texts, pdf=url_for("verify.pdf", code=found.code, lang=language)
    )
