"""Signed, expiring tokens that a decision hands to the page for its events and clicks.

A token says exactly what was shown where in which page view, so the events
endpoint and the click redirect can count it without trusting anything else the
page sends. Tokens are signed with the app's secret key (itsdangerous) and expire.
"""

from dataclasses import dataclass
from functools import lru_cache

from itsdangerous import BadData, URLSafeTimedSerializer

EVENT_SALT = "adm-event"
CLICK_SALT = "adm-click"
# A page may stay open for a while before the reader scrolls or clicks.
EVENT_MAX_AGE = 6 * 3600
CLICK_MAX_AGE = 24 * 3600


class BadToken(ValueError):
    """A token that is forged, expired or malformed; it counts nothing."""


@dataclass(frozen=True)
class Shown:
    """What one rendered thing was: the dimensions its counts are kept under.

    ``view`` is the page view's random id; ``placement`` the layout placement.
    ``campaign``/``creative`` are None for a house ad; ``article`` is the linked
    article of an insert link; ``zone`` or ``insert`` says which kind was placed.
    """

    view: str
    site: int
    layout: int | None
    placement: int | None
    zone: int | None = None
    insert: int | None = None
    campaign: int | None = None
    creative: int | None = None
    article: int | None = None
    preview: bool = False

    def to_payload(self) -> dict:
        """Give a compact dict (short keys, Nones left out) to sign."""
        # getattr, not dataclasses.asdict: this runs for every link of every page view.
        values = ((short, getattr(self, name)) for name, short in KEYS.items())
        return {short: value for short, value in values if value is not None and value is not False}

    @classmethod
    def from_payload(cls, payload) -> "Shown":
        if not isinstance(payload, dict):
            raise BadToken("token payload is not an object")
        values = {name: payload.get(short) for name, short in KEYS.items()}
        values["preview"] = bool(values["preview"])
        if not isinstance(values["view"], str) or not isinstance(values["site"], int):
            raise BadToken("token lacks its page view or site")
        for name in ("layout", "placement", "zone", "insert", "campaign", "creative", "article"):
            if values[name] is not None and not isinstance(values[name], int):
                raise BadToken(f"token field {name} is not a number")
        return cls(**values)


KEYS = {"view": "v", "site": "s", "layout": "l", "placement": "p", "zone": "z", "insert": "i",
        "campaign": "c", "creative": "k", "article": "a", "preview": "x"}


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
    return Shown.from_payload(payload)
