"""Signed, expiring tokens that a decision hands to the page for its events and clicks.

A token says exactly what was shown where in which page view, so the events
endpoint and the click redirect can count it without trusting anything else the
page sends. Tokens are signed with the app's secret key (itsdangerous) and expire.

Keys rotate: a token is signed with the current key (``SECRET_KEY``) alone, on the
decision's hot path, and checked against it first, then against the keys it
replaced (``SECRET_KEY_FALLBACKS``), so a page or a click link of before the
rotation still counts. Every function here takes ``keys``: one key, or the app's
keys oldest first as ``signing_keys`` gives them.
"""

from collections.abc import Mapping
from functools import lru_cache

from itsdangerous import BadData, URLSafeTimedSerializer

from ad_manager.delivery.shown import EVENT_MAX_AGE, Shown

EVENT_SALT = "adm-event"
CLICK_SALT = "adm-click"


class BadToken(ValueError):
    """A token that is forged, expired or malformed; it counts nothing."""


Keys = str | tuple[str, ...]


def signing_keys(config: Mapping) -> tuple[str, ...]:
    """Give the app's keys, oldest first: the fallbacks, then ``SECRET_KEY``."""
    return (*(config.get("SECRET_KEY_FALLBACKS") or ()), config["SECRET_KEY"])


@lru_cache(maxsize=32)
def _serializer(keys: Keys, salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(keys if isinstance(keys, str) else list(keys), salt=salt)


def dumps(keys: Keys, payload, salt: str) -> str:
    """Sign ``payload`` with the current key only."""
    return _serializer(keys if isinstance(keys, str) else keys[-1], salt).dumps(payload)


def loads(keys: Keys, token: str, salt: str, max_age: int):
    """Give a token's payload if any of ``keys`` signed it within ``max_age`` seconds
    (the current key is tried first); raise itsdangerous' ``BadData`` otherwise."""
    return _serializer(keys, salt).loads(token, max_age=max_age)


def sign(keys: Keys, shown: Shown, salt: str = EVENT_SALT) -> str:
    """Sign what was shown into a URL-safe token."""
    return dumps(keys, shown.to_payload(), salt)


def read(keys: Keys, token: str, salt: str = EVENT_SALT, max_age: int = EVENT_MAX_AGE,
         ) -> Shown:
    """Check a token and give back what it says; raise ``BadToken`` otherwise."""
    if not isinstance(token, str) or len(token) > 1000:
        raise BadToken("token missing or too long")
    try:
        payload = loads(keys, token, salt, max_age)
    except BadData as error:
        raise BadToken(str(error)) from None
    try:
        return Shown.from_payload(payload)
    except ValueError as error:
        raise BadToken(str(error)) from None
