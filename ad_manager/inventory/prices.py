"""A campaign's price: how it is sold, for how much, and the order it belongs to.

Read from the campaign form by ``inventory.campaigns.campaign_values``; what the price
earns is ``stats/revenue.py``'s business.
"""

from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _

from ad_manager.models.inventory import PRICING_MODELS

LARGEST_PRICE = Decimal("99999999.9999")  # Numeric(12, 4)
SPACES = (" ", "\u00a0", "\u202f")  # thousands separators people type or paste


def read_price(text: str | None) -> Decimal | None:
    """Give the price typed (``2.50``, ``2,50``, ``1 200``), None when empty.

    Raises ValueError with the message to show for anything else.
    """
    text = (text or "").strip()
    for space in SPACES:
        text = text.replace(space, "")
    if not text:
        return None
    try:
        price = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise ValueError(_("Give the price as a number, e.g. 2.50.")) from None
    if not price.is_finite():
        raise ValueError(_("Give the price as a number, e.g. 2.50."))
    if price < 0:
        raise ValueError(_("A price cannot be negative."))
    if price > LARGEST_PRICE:
        raise ValueError(_("This price is too large."))
    if price.as_tuple().exponent < -4:
        raise ValueError(_("Give the price with at most 4 decimals."))
    return price


def price_values(data: dict, errors: dict) -> dict:
    """Check the pricing fields of a campaign form; give the model's fields.

    Problems go into ``errors`` by field, as ``campaign_values`` gathers them.
    """
    values = {"pricing_model": data.get("pricing_model") or "cpm",
              "order_number": (data.get("order_number") or "").strip()}
    if values["pricing_model"] not in PRICING_MODELS:
        errors["pricing_model"] = _("Choose how the campaign is sold.")
    if len(values["order_number"]) > 64:
        errors["order_number"] = _("At most %(n)s characters.", n=64)
    try:
        values["price"] = read_price(data.get("price"))
    except ValueError as error:
        errors["price"] = str(error)
    return values


def price_text(price: Decimal | None) -> str:
    """Write a stored price back for the form: 2.5000 as 2.50, 0.1250 as 0.125."""
    if price is None:
        return ""
    cents = price.quantize(Decimal("0.01"))
    return f"{cents:f}" if cents == price else f"{price.normalize():f}"
