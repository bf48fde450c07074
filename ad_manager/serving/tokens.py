"""Signed, expiring tokens that a decision hands to the page for its events and clicks.

A token says exactly what was shown where in which page view, so the events
endpoint and the click redirect can count it without trusting anything else the
page sends. Tokens are signed with the app's secret key (itsdangerous) and expire.
"""

from functools import lru_cache

from itsdangerous import BadData, URLSafeTimedSerializer

from ad_manager.delivery.shown import EVENT_MAX_AGE, Shown

EVENT_SALT = "adm-event"
CLICK_SALT = "adm-click"


class BadToken(ValueError):
    """A token that is forged, expired or malformed; it counts nothing."""


@lru_cache(maxsize=16)
def _serializer(secret_key: str, salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=salt)


def sign(secret_key: str, shown: Shown, salt: str = EVENT_SALT) -> str:
    """Sign what was shown into a URL-safe token."""
    return _serializer(secret_key, salt).dumps(shown.to_payload())


def read(secret_key: str, token: str, salt: str = EVENT_SALT, max_age: int = EVENT_MAX_AGE,
         ) -> Shown:
    """Check a token and give back what it says; raise ``BadToken`` otherwise."""
    if not isinstance(token, str) or len(token) > 1000:
        raise BadToken("token missing or too long")
    try:
        payload = _serializer(secret_key, salt).loads(token, max_age=max_age)
    except BadData as error:
        raise BadToken(str(error)) from None
    try:
        return Shown.from_payload(payload)
    except ValueError as error:
        raise BadToken(str(error)) from None
