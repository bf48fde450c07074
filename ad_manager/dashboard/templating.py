"""What every template can use: the partial flag for htmx and the navigation."""

from decimal import Decimal

from babel.numbers import format_currency
from flask import current_app, request
from flask_babel import get_locale

from ad_manager.audit import action_label, object_label, value_label
from ad_manager.extensions import htmx
from ad_manager.models import Role
from ad_manager.stats.revenue import cents, ecpm


def is_partial() -> bool:
    """Tell whether to render only the page's content block (a plain htmx request).

    Boosted navigations and history restores need the whole page.
    """
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def navigation() -> list[dict]:
    """Give the dashboard areas that exist in this app, in menu order."""
    from ad_manager.dashboard import NAVIGATION

    views = current_app.view_functions
    return [
        {"endpoint": endpoint, "label": label, "role": Role(role),
         "active": (request.endpoint or "").split(".")[0] == endpoint.split(".")[0]}
        for endpoint, label, role in NAVIGATION
        if endpoint in views
    ]


def template_context() -> dict:
    return {"is_partial": is_partial(), "Role": Role, "navigation": navigation,
            "get_locale": get_locale, "action_label": action_label, "object_label": object_label,
            "value_label": value_label}


def money(amount, exact: bool = False) -> str:
    """Write an amount in the reports' currency (setting CURRENCY): to the cent, or as
    given when ``exact`` (a price of 0.125); — for none."""
    if amount is None:
        return "—"
    amount = Decimal(amount)
    shown = amount.normalize() if exact else cents(amount)
    return format_currency(shown, current_app.config["CURRENCY"], locale=get_locale(),
                           decimal_quantization=not exact)


def register_template_context(app) -> None:
    app.context_processor(template_context)
    app.add_template_filter(money)
    app.add_template_filter(ecpm)
