"""Read and check what a page sends to the decision endpoint.

Anything a page (or anyone) can put in the query string is bounded and typed here;
a value that doesn't fit is a 400 with a message saying which parameter, never a 500
and never a silently odd decision.
"""

import json
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest

MAX_QUERY = 8192
MAX_URL = 2000
MAX_TITLE = 300
MAX_SECTION = 120
MAX_TAGS = 20
MAX_TAG = 60
MAX_VIEWPORT = 20000
MAX_FC_TEXT = 4096
MAX_FC_CAMPAIGNS = 50
MAX_FC_TIMES = 50
KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")
LANGUAGE_PATTERN = re.compile(r"[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*")


@dataclass(frozen=True)
class PageRequest:
    """One page view's question: which site and layout, and what the page is about."""

    site: str
    layout: str | None = None
    url: str = ""
    title: str = ""
    section: str = ""
    tags: tuple[str, ...] = ()
    viewport_width: int | None = None
    language: str = ""
    frequency: dict[int, tuple[float, ...]] = field(default_factory=dict)
    preview: bool = False


def _text(args: MultiDict, name: str, limit: int) -> str:
    value = args.get(name, "")
    if len(value) > limit:
        raise BadRequest(f"parameter {name!r} is longer than {limit} characters")
    if any(ord(ch) < 32 for ch in value):
        raise BadRequest(f"parameter {name!r} holds control characters")
    return " ".join(value.split())


def _key(args: MultiDict, name: str, *, required: bool) -> str | None:
    value = args.get(name, "")
    if not value:
        if required:
            raise BadRequest(f"parameter {name!r} is required")
        return None
    if not KEY_PATTERN.fullmatch(value):
        raise BadRequest(f"parameter {name!r} is not a key (letters, digits, - and _)")
    return value


def _page_url(args: MultiDict) -> str:
    url = _text(args, "url", MAX_URL)
    if not url:
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        raise BadRequest("parameter 'url' is not a URL") from None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise BadRequest("parameter 'url' must be an http(s) address")
    return url


def _tags(args: MultiDict) -> tuple[str, ...]:
    text = _text(args, "tags", MAX_TAGS * (MAX_TAG + 1))
    tags = [" ".join(tag.split()) for tag in text.split(",")]
    tags = [tag for tag in tags if tag]
    if len(tags) > MAX_TAGS or any(len(tag) > MAX_TAG for tag in tags):
        raise BadRequest(f"parameter 'tags' takes at most {MAX_TAGS} tags of {MAX_TAG} characters")
    return tuple(dict.fromkeys(tags))


def _viewport(args: MultiDict) -> int | None:
    value = args.get("vw", "")
    if not value:
        return None
    if not value.isascii() or not value.isdigit() or len(value) > 6 \
            or int(value) > MAX_VIEWPORT:
        raise BadRequest(f"parameter 'vw' must be a width in pixels up to {MAX_VIEWPORT}")
    return int(value)


def _language(args: MultiDict) -> str:
    value = args.get("lang", "")
    if not value:
        return ""
    if len(value) > 35 or not LANGUAGE_PATTERN.fullmatch(value):
        raise BadRequest("parameter 'lang' is not a language tag")
    return re.split(r"[-_]", value)[0].lower()


def _frequency(args: MultiDict) -> dict[int, tuple[float, ...]]:
    """Read ``fc``: {campaign id: [unix times the reader saw it]}, as the page remembers."""
    text = args.get("fc", "")
    if not text:
        return {}
    if len(text) > MAX_FC_TEXT:
        raise BadRequest(f"parameter 'fc' is longer than {MAX_FC_TEXT} characters")
    try:
        data = json.loads(text)
    except ValueError:
        raise BadRequest("parameter 'fc' is not JSON") from None
    if not isinstance(data, dict) or len(data) > MAX_FC_CAMPAIGNS:
        raise BadRequest(f"parameter 'fc' must be an object of at most {MAX_FC_CAMPAIGNS} "
                         "campaigns")
    frequency = {}
    for key, times in data.items():
        if not key.isascii() or not key.isdigit() or len(key) > 12 \
                or not isinstance(times, list) or len(times) > MAX_FC_TIMES \
                or not all(isinstance(t, int | float) and not isinstance(t, bool)
                           and 0 <= t < 1e11 for t in times):
            raise BadRequest("parameter 'fc' maps campaign ids to lists of unix times")
        frequency[int(key)] = tuple(float(t) for t in times)
    return frequency


def read_page_request(args: MultiDict, query_length: int) -> PageRequest:
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
        viewport_width=_viewport(args),
        language=_language(args),
        frequency=_frequency(args),
        preview=preview == "1",
    )
