"""Certificates of origin by USSD, under Parcels: anyone verifies one by its code; a border
agent records that a certificate's parcel is at the border or cleared (which uses it)."""

from __future__ import annotations

from gateway.commerce import errors
from gateway.commerce.origin import border
from gateway.commerce.origin import certificates
from menus.context import Context
from menus.i18n import t
from menus.origin import certificate_data
from menus.origin import certificate_values
from menus.origin import state_word
from menus.present import country_name
from menus.present import unit
from menus.screens import Ask
from menus.screens import End
from menus.screens import Invalid
from menus.screens import Item
from menus.screens import Pick
from menus.screens import Screen


def screens() -> tuple[Screen, ...]:
    """This journey's screens, in the order a caller meets them."""
    return (
        Ask(
            "origin.verify",
            act=verify,
            store="verified",
            goto="origin.verified",
            errors=("origin.not_found", "origin.too_many"),
            retry="origin.code_retry",
        ),
        End("origin.verified", shows=verified_values),
        Ask(
            "origin.border",
            parse=seen,
            store="seen",
            goto="origin.border_record",
            errors=("origin.not_found", "origin.not_sent"),
            retry="origin.code_retry",
        ),
        Pick(
            "origin.border_record",
            source=border_steps,
            store="border_status",
            then=record,
            goto="parcels.recorded",
            shows=seen_values,
        ),
    )


def verify(ctx: Context, text: str) -> dict[str, object]:
    """The certificate's essentials; each try counts against the caller's rate limit."""
    if not ctx.deps.may_verify(f"phone:{ctx.caller.phone}"):
        raise Invalid("origin.too_many")
    view = certificates.find(ctx.uow(), text)
    if view is None:
        raise Invalid("origin.not_found")
    return certificate_data(view)


def verified_values(ctx: Context) -> dict[str, object]:
    return certificate_values(ctx.language, ctx.data["verified"])


def seen(ctx: Context, text: str) -> dict[str, object]:
    """The parcel the certificate covers, as the border agent will record it.

    Raises:
        NotABorderAgent.
    """
    try:
        found = border.preview(ctx.uow(), ctx.caller, text)
    except errors.CertificateNotFound:
        raise Invalid("origin.not_found") from None
    except errors.ParcelNotFound:
        raise Invalid("origin.not_sent") from None
    return {
        "code": found.code,
        "status": found.certificate_status,
        "ref": found.ref,
        "qty": found.quantity,
        "unit": found.unit,
        "name": found.name,
        "origin": found.origin,
        "destination": found.destination,
    }


def seen_values(ctx: Context) -> dict[str, object]:
    data = ctx.data["seen"]
    return {
        "certificate": data["code"],
        "state": state_word(ctx.language, data["status"], ""),
        "ref": data["ref"],
        "qty": data["qty"],
        "unit": unit(ctx.language, data["unit"]),
        "name": data["name"],
        "origin": country_name(ctx.language, data["origin"]),
        "destination": country_name(ctx.language, data["destination"]),
    }


def border_steps(ctx: Context) -> list[Item]:
    return [
        Item("at_border", t(ctx.language, "origin.at_border")),
        Item("cleared_border", t(ctx.language, "origin.cleared")),
    ]


def record(ctx: Context) -> None:
    """Record the chosen step for the certificate's parcel.

    Raises:
        CertificateUsed, CertificateCancelled (flagged for operators), IllegalTransition.
    """
    done = border.record(
        ctx.uow(),
        ctx.caller,
        ctx.data["seen"]["code"],
        ctx.data.pop("border_status"),
        ctx.deps.parcel_rules,
        ctx.now(),
    )
    ctx.data["done"] = {"ref": done.ref, "status": done.status}
