"""A certificate of origin as its web page and PDF show it: every label and value in the
reader's language (`[verify]` in `menus/locales/<lang>/origin.toml`), and where each comes
from (README, "The certificate")."""

from __future__ import annotations

from dataclasses import dataclass

from gateway.commerce.money import Money
from gateway.commerce.money import format_money
from gateway.commerce.origin.certificates import CertificateView
from menus.i18n import t
from menus.i18n import texts
from menus.present import country_name

DAY = "%Y-%m-%d"


@dataclass(frozen=True)
class PageTexts:
    """What the page and the PDF print, in one language."""

    lang: str
    dir: str
    title: str
    heading: str
    subheading: str
    status: str
    status_text: str
    status_class: str
    rows: tuple[tuple[str, str], ...]
    declaration: str
    url: str
    qr: str
    pdf: str


def _unit(language: str, slug: str) -> str:
    key = f"unit.{slug}"
    return t(language, key) if key in texts(language) else slug


def _with_country(language: str, name: str, iso: str) -> str:
    return f"{name} ({country_name(language, iso)})"


def _money(amount: Money) -> str:
    return format_money(amount)


def page_texts(language: str, view: CertificateView, url: str) -> PageTexts:
    """The certificate's labels and values in `language`; `url` is its verify address."""

    def label(key: str, **values: object) -> str:
        return t(language, f"verify.{key}", **values)

    moment = view.used_at if view.status == "used" else view.cancelled_at
    origin = country_name(language, view.exporter_country)
    destination = country_name(language, view.consignee_country)
    rows = (
        (label("code"), view.code),
        (label("exporter"), _with_country(language, view.exporter, view.exporter_country)),
        (label("consignee"), _with_country(language, view.consignee, view.consignee_country)),
        (label("goods"), view.description),
        (label("hs"), view.hs_heading),
        (label("quantity"), f"{view.quantity} {_unit(language, view.unit)}"),
        (label("value"), _money(view.value)),
        (label("value_buyer"), _money(view.buyer_value)),
        (label("value_usd"), _money(view.usd_value)),
        (label("origin"), country_name(language, view.origin_country)),
        (label("route"), label("route_value", origin=origin, destination=destination)),
        (label("issued"), view.issued_at.strftime(DAY)),
    )
    return PageTexts(
        lang=language,
        dir=label("dir"),
        title=label("title", certificate=view.code),
        heading=label("heading"),
        subheading=label("subheading"),
        status=label("status"),
        status_text=label(f"status_{view.status}", date=moment.strftime(DAY) if moment else ""),
        status_class=view.status,
        rows=rows,
        declaration=label("declaration", origin=origin, destination=destination, url=url),
        url=url,
        qr=label("qr"),
        pdf=label("pdf"),
    )
