"""Signed, expiring tokens that a decision hands to the page for its events and clicks.

A token says exactly what was shown where in which page view, so the events
endpoint and the click redirect can count it without trusting anything else the
page sends. Tokens are signed with the app's secret key (itsdangerous) and expire.

One token per thing shown: the page reports its events with it, and its click link
carries it (``/c/<token>``). Click links signed before that carried a token of their
own, under ``CLICK_SALT``; they are still read, for as long as a click may come.

Keys rotate: a token is signed with the current key (``SECRET_KEY``) alone, on the
decision's hot path, and checked against it first, then against the keys it
replaced (``SECRET_KEY_FALLBACKS``), so a page or a click link of before the
rotation still counts. Every function here takes ``keys``: one key, or the app's
keys oldest first as ``signing_keys`` gives them.
"""

import hashlib
import hmac
import json
import time
from base64 import urlsafe_b64decode
from binascii import b2a_base64
from collections.abc import Mapping
from functools import lru_cache

import orjson
from itsdangerous import BadData, URLSafeTimedSerializer
from itsdangerous.encoding import base64_encode, int_to_bytes
from itsdangerous.signer import HMACAlgorithm
from itsdangerous.timed import TimestampSigner

from ad_manager.delivery.shown import CLICK_MAX_AGE, EVENT_MAX_AGE, Shown

EVENT_SALT = "adm-event"
# The salt of the click tokens of before one token served both (read, never signed).
CLICK_SALT = "adm-click"


class BadToken(ValueError):
    """A token that is forged, expired or malformed; it counts nothing."""


# A decision signs a token per thing shown, so signing is on
# the hot path. The tokens are itsdangerous' own (HMAC-SHA1 over the derived key,
# URL-safe timed payload), byte for byte; three of its steps are made cheaper: the
# HMAC in one C call, the derived key computed once per key and salt, and no zlib
# attempt on a payload far too small to shrink.


class _OneShotHMAC(HMACAlgorithm):
    def get_signature(self, key: bytes, value: bytes) -> bytes:
        return hmac.digest(key, value, "sha1")


_derived_keys: dict = {}


class _Signer(TimestampSigner):
    def derive_key(self, secret_key: str | bytes | None = None) -> bytes:
        chosen = self.secret_keys[-1] if secret_key is None else secret_key
        found = _derived_keys.get((chosen, self.salt))
        if found is None:
            found = _derived_keys.setdefault((chosen, self.salt), super().derive_key(secret_key))
        return found


class _Serializer(URLSafeTimedSerializer):
    default_signer = _Signer

    def dump_payload(self, obj) -> bytes:
        return base64_encode(self.serializer.dumps(obj, **self.serializer_kwargs).encode())


Keys = str | tuple[str, ...]


def signing_keys(config: Mapping) -> tuple[str, ...]:
    """Give the app's keys, oldest first: the fallbacks, then ``SECRET_KEY``."""
    return (*(config.get("SECRET_KEY_FALLBACKS") or ()), config["SECRET_KEY"])


@lru_cache(maxsize=32)
def _serializer(keys: Keys, salt: str) -> URLSafeTimedSerializer:
    return _Serializer(keys if isinstance(keys, str) else list(keys), salt=salt,
                       signer_kwargs={"algorithm": _OneShotHMAC(hashlib.sha1)})


@lru_cache(maxsize=32)
def _derived_key(key: str, salt: str) -> bytes:
    return _serializer(key, salt).make_signer().derive_key()


def dumps(keys: Keys, payload, salt: str) -> str:
    """Sign ``payload`` with the current key only."""
    return _signed(keys, json.dumps(payload, ensure_ascii=False, separators=(",", ":")), salt)


def _signed(keys: Keys, payload_json: str, salt: str) -> str:
    """Sign a payload (as compact JSON) with the current key: the same bytes as
    ``URLSafeTimedSerializer.dumps`` (compact JSON, URL-safe base64 without padding,
    the timestamp, the HMAC), written out in a few C calls."""
    key = keys if isinstance(keys, str) else keys[-1]
    return _token(_value(payload_json, _stamp()), _derived_key(key, salt))


_URLSAFE = bytes.maketrans(b"+/", b"-_")


def _b64(data: bytes) -> bytes:
    """URL-safe base64 without padding, as itsdangerous writes it."""
    return b2a_base64(data, newline=False).translate(_URLSAFE).rstrip(b"=")


def _stamp(at: int | None = None) -> bytes:
    """The token's timestamp: ``at``, or now (seconds since 1970)."""
    return _b64(int_to_bytes(int(time.time()) if at is None else at))


def _value(payload_json: str, stamp: bytes) -> bytes:
    return _b64(payload_json.encode()) + b"." + stamp


def _token(value: bytes, derived_key: bytes) -> str:
    return _token_with(value, _mac(derived_key))


def _token_with(value: bytes, mac) -> str:
    mac = mac.copy()  # the key's padded blocks are hashed once, in ``_mac``
    mac.update(value)
    return (value + b"." + _b64(mac.digest())).decode()


@lru_cache(maxsize=32)
def _mac(derived_key: bytes):
    return hmac.new(derived_key, digestmod=hashlib.sha1)


class PageSigner:
    """Signs one page view's tokens: the current key's derived key and the timestamp
    are worked out once for the page, not once per thing shown."""

    __slots__ = ("_mac", "_stamp")

    def __init__(self, keys: Keys, at: int | None = None):
        key = keys if isinstance(keys, str) else keys[-1]
        self._mac = _mac(_derived_key(key, EVENT_SALT))
        self._stamp = _stamp(at)

    def __call__(self, shown: Shown) -> str:
        """Give what was shown signed: its events' token, and its click link's."""
        return _token_with(_value(shown.payload_json(), self._stamp), self._mac)


def loads(keys: Keys, token: str, salt: str, max_age: int, *, return_timestamp: bool = False):
    """Give a token's payload if any of ``keys`` signed it within ``max_age`` seconds
    (the current key is tried first); raise itsdangerous' ``BadData`` otherwise.
    With ``return_timestamp``, give (payload, when it was signed)."""
    return _serializer(keys, salt).loads(token, max_age=max_age,
                                         return_timestamp=return_timestamp)


def sign(keys: Keys, shown: Shown, salt: str = EVENT_SALT) -> str:
    """Sign what was shown into a URL-safe token."""
    return _signed(keys, shown.payload_json(), salt)


def read(keys: Keys, token: str, salt: str = EVENT_SALT, max_age: int = EVENT_MAX_AGE,
         ) -> Shown:
    """Check a token and give back what it says; raise ``BadToken`` otherwise."""
    if not isinstance(token, str) or len(token) > 1000:
        raise BadToken("token missing or too long")
    found = _read_current(keys, token, salt, max_age)
    if found is not None:
        payload, signed_at = found
    else:
        try:
            payload, signed = loads(keys, token, salt, max_age, return_timestamp=True)
        except BadData as error:
            raise BadToken(str(error)) from None
        signed_at = int(signed.timestamp())
    try:
        return Shown.from_payload(payload, signed_at)
    except ValueError as error:
        raise BadToken(str(error)) from None


def read_click(keys: Keys, token: str) -> Shown:
    """Check a click link's token: the token of a thing shown, within a click's age, or
    (a click link of before one token served both) one signed under ``CLICK_SALT``."""
    try:
        return read(keys, token, EVENT_SALT, CLICK_MAX_AGE)
    except BadToken:
        return read(keys, token, CLICK_SALT, CLICK_MAX_AGE)


def _read_current(keys: Keys, token: str, salt: str, max_age: int):
    """Give (payload, when signed) of a well-formed token the current key signed within
    ``max_age`` seconds, checked in a few C calls; None for anything else, which
    ``loads`` (itsdangerous) then reads, or refuses with its reason. Events and clicks
    read one token each."""
    value, dot, signature = token.encode("ascii", "replace").rpartition(b".")
    payload, dot2, stamp = value.partition(b".")
    if not dot or not dot2 or b"." in stamp or payload.startswith(b"."):
        return None  # not ours as we sign them (or compressed): the slow path decides
    key = keys if isinstance(keys, str) else keys[-1]
    mac = _mac(_derived_key(key, salt)).copy()
    mac.update(value)
    try:
        # Padded by its own length, as itsdangerous pads it (a junk character appended
        # to a signature then fails to decode here too).
        if not hmac.compare_digest(mac.digest(), urlsafe_b64decode(
                signature + b"=" * (-len(signature) % 4))):
            return None
        signed_at = int.from_bytes(urlsafe_b64decode(stamp + b"=" * (-len(stamp) % 4)))
        if not 0 <= time.time() - signed_at <= max_age:
            return None
        return orjson.loads(urlsafe_b64decode(payload + b"=" * (-len(payload) % 4))), signed_at
    except (ValueError, TypeError):  # binascii.Error and orjson's errors are ValueErrors
        return None
