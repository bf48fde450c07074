"""A reader's address, never stored: a keyed hash of it, salted by the day and truncated.

Rate limits and the "one address" anomaly need to tell readers apart; we keep no IP
address. ``reader_key`` is an HMAC of the address with the app's secret key and the
UTC day, so the same reader gives a different key tomorrow, and it is cut short: at
anomaly length (24 bits) every key stands for hundreds of IPv4 addresses, so a key
can't be turned back into the address even by whoever holds the secret.
"""

import hashlib
import hmac
from datetime import date

from flask import current_app

# Hex digits kept: 16 for a rate limit's short-lived key, 6 for figures kept for days.
LIMIT_KEY_DIGITS = 16
STORED_KEY_DIGITS = 6


def reader_key(remote_addr: str | None, day: date, digits: int = STORED_KEY_DIGITS) -> str:
    """Give the day's truncated keyed hash of a reader's address."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    message = f"{day.isoformat()}|{remote_addr or ''}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:digits]
