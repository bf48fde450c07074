"""Read and check what a page sends to the decision endpoint.

Anything a page (or anyone) can put in the query string is bounded and typed here.
Junk (a key that is no key, a width that is no number, ``fc`` that is no JSON map
of times, a URL that is no web address, control characters, an oversized query) is
a 400 with a message naming the parameter, never a 500. What the page's own
metadata says (title, section, tags, language, the remembered times) is cut to
its bounds instead: a long headline or an odd ``lang`` must not cost the page its
ads.
"""

import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from urllib.parse import unquote, unquote_to_bytes, urlsplit

import werkzeug.urls  # noqa: F401  (registers the "werkzeug.url_quote" decoding errors)
from werkzeug.exceptions import BadRequest

from ad_manager.delivery.page_request import PageRequest

MAX_QUERY = 8192
MAX_URL = 2000
MAX_TITLE = 300
MAX_SECTION = 120
MAX_TAGS = 20
MAX_TAG = 60
MAX_VIEWPORT = 20000
MAX_FC_CAMPAIGNS = 50
MAX_FC_TIMES = 50
KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")
LANGUAGE_PATTERN = re.compile(r"[A-Za-z]{2,3}")
LANGUAGE_SEPARATOR = re.compile(r"[-_]")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


def _text(args: Mapping[str, str], name: str, limit: int, *, cut: bool = True) -> str:
    """Give the parameter with whitespace collapsed, cut to ``limit`` (or refused)."""
    value = " ".join(args.get(name, "").split())
    if CONTROL_CHARACTERS.search(value):
        raise BadRequest(f"parameter {name!r} holds control characters")
    if len(value) > limit:
        if not cut:
            raise BadRequest(f"parameter {name!r} is longer than {limit} characters")
        value = value[:limit].rstrip()
    return value


def _key(args: Mapping[str, str], name: str, *, required: bool) -> str | None:
    value = args.get(name, "")
    if not value:
        if required:
            raise BadRequest(f"parameter {name!r} is required")
        return None
    if not KEY_PATTERN.fullmatch(value):
        raise BadRequest(f"parameter {name!r} is not a key (letters, digits, - and _)")
    return value


def _page_url(args: Mapping[str, str]) -> str:
    url = _text(args, "url", MAX_URL, cut=False)
    if not url:
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        raise BadRequest("parameter 'url' is not a URL") from None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise BadRequest("parameter 'url' must be an http(s) address")
    return url


def _tags(args: Mapping[str, str]) -> tuple[str, ...]:
    """Give the page's first tags, each cut to its bound."""
    tags = (tag.strip()[:MAX_TAG].rstrip() for tag in _text(args, "tags", MAX_QUERY).split(","))
    return tuple(dict.fromkeys(tag for tag in tags if tag))[:MAX_TAGS]


def _published(args: Mapping[str, str]) -> datetime | None:
    """Give the page's publication date (ISO 8601, UTC when it names no zone), or None
    when it has none or says something else: an odd date must not cost the page its ads."""
    value = args.get("published", "")[:40].strip()
    try:
        moment = datetime.fromisoformat(value) if value else None
    except ValueError:
        return None
    if moment is None or not 1900 <= moment.year <= 2200:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _viewport(args: Mapping[str, str]) -> int | None:
    value = args.get("vw", "")
    if not value:
        return None
    if not value.isascii() or not value.isdigit() or len(value) > 6 \
            or int(value) > MAX_VIEWPORT:
        raise BadRequest(f"parameter 'vw' must be a width in pixels up to {MAX_VIEWPORT}")
    return int(value)


def _language(args: Mapping[str, str]) -> str:
    """Give the primary language subtag ("fr" of "fr-FR"), or "" when there is none."""
    primary = LANGUAGE_SEPARATOR.split(args.get("lang", "")[:35], maxsplit=1)[0]
    return primary.lower() if LANGUAGE_PATTERN.fullmatch(primary) else ""


def _frequency(args: Mapping[str, str]) -> dict[int, tuple[float, ...]]:
    """Read ``fc``: {campaign id: [unix times the reader saw it]}, as the page remembers.

    The shape is checked; the size is cut (the first campaigns, each one's latest
    times), since a reader's memory grows with the campaigns it met.
    """
    text = args.get("fc", "")
    if not text:
        return {}
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise BadRequest("parameter 'fc' is not JSON") from None
    if not isinstance(data, dict):
        raise BadRequest("parameter 'fc' must be an object {campaign id: [unix times]}")
    frequency = {}
    for key, times in data.items():
        if not key.isascii() or not key.isdigit() or len(key) > 12 \
                or not isinstance(times, list) \
                or not all(isinstance(t, int | float) and not isinstance(t, bool)
                           and 0 <= t < 1e11 for t in times):
            raise BadRequest("parameter 'fc' maps campaign ids to lists of unix times")
        if len(frequency) < MAX_FC_CAMPAIGNS:
            frequency[int(key)] = tuple(sorted(float(t) for t in times)[-MAX_FC_TIMES:])
    return frequency


def query_args(query_string: bytes) -> dict[str, str]:
    """Give the query's parameters, the first value of each, as ``request.args.get``
    gives them, in a plain dict: a ``MultiDict`` raises and catches an exception for
    every parameter asked for and absent, four per decision.

    ``parse_qsl`` as werkzeug calls it (blank values kept, invalid bytes left
    percent-encoded), unrolled: only a part with a ``%`` or a ``+`` is decoded, and a
    decision's query has a handful of plain parts.
    """
    found: dict[str, str] = {}
    for part in query_string.decode().split("&"):
        if not part:
            continue
        name, _, value = part.partition("=")
        name = _decoded(name)
        if name not in found:
            found[name] = _decoded(value)
    return found


def _decoded(text: str) -> str:
    """Decode one name or value as ``parse_qsl`` does for werkzeug."""
    if "+" in text:
        text = text.replace("+", " ")
    if "%" not in text:
        return text
    try:
        # Valid UTF-8 once decoded whole: what ``unquote`` gives, in one C-backed step.
        return unquote_to_bytes(text).decode()
    except UnicodeDecodeError:  # invalid bytes stay percent-encoded, as werkzeug's
        return unquote(text, errors="werkzeug.url_quote")


def read_page_request(args: Mapping[str, str], query_length: int) -> PageRequest:
    """Check the decision's query string and give the page's question."""
    if query_length > MAX_QUERY:
        raise BadRequest(f"query string is longer than {MAX_QUERY} characters")
    preview = args.get("preview", "")
    if preview not in ("", "0", "1"):
        raise BadRequest("parameter 'preview' must be 0 or 1")
    return PageRequest(
        site=_key(args, "site", required=True),
        layout=_key(args, "layout", required=False),
        url=_page_url(args),
        title=_text(args, "title", MAX_TITLE),
        section=_text(args, "section", MAX_SECTION),
        tags=_tags(args),
        published=_published(args),
        viewport_width=_viewport(args),
        language=_language(args),
        frequency=_frequency(args),
        preview=preview == "1",
    )
