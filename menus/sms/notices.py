"""SMS the system sends on its own initiative, rendered in the recipient's language."""

from __future__ import annotations

from gateway.commerce.market import order_view
from gateway.commerce.messages import queue_sms
from gateway.store.uow import UnitOfWork
from menus.i18n import t
from menus.sms.replies import language_for
from menus.sms.replies import order_values


def send_order_receipt(uow: UnitOfWork, order_id: int) -> None:
    """Queue the buyer's receipt for a new order (once, however often this runs)."""
    with uow:
        view = order_view(uow, order_id)
        if view is None:
            return
        language = language_for(view.buyer_language, view.buyer_country)
        text = t(language, "sms.receipt", **order_values(language, view))
        queue_sms(
            uow, view.buyer_phone, text, kind="transactional", dedupe_key=f"order.placed:{order_id}"
        )
        uow.commit()
