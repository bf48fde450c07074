"""Read the articles out of an RSS/Atom feed or an XML sitemap (bytes in, entries out).

The document is first parsed with defusedxml, which refuses entity tricks and tells a
malformed file from a lenient guess; RSS and Atom are then read by feedparser,
sitemaps (``urlset``, news and image extensions) with the standard ElementTree API.
"""

import html
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element, ParseError

import feedparser
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from flask_babel import gettext as _

MAX_ENTRIES = 5000
_TAGS = re.compile(r"<[^>]+>")


class FeedError(Exception):
    """The feed cannot be imported; the message says why, for staff to read.

    Messages are translated (French by default, also in the shell).
    """


@dataclass
class FeedEntry:
    """One article as a feed or sitemap describes it; the title may be empty (sitemaps)."""

    url: str
    title: str = ""
    section: str = ""
    tags: list[str] = field(default_factory=list)
    published_at: datetime | None = None
    image_url: str = ""


@dataclass
class FeedDocument:
    """What a fetched document holds: articles, or (sitemap index) other sitemaps."""

    kind: str  # "rss", "atom", "sitemap" or "sitemapindex"
    entries: list[FeedEntry] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)


def parse_document(data: bytes) -> FeedDocument:
    """Give the entries of a feed or sitemap; raise FeedError when it is neither."""
    try:
        root = fromstring(data)
    except (ParseError, DefusedXmlException) as error:
        raise FeedError(_("The document is not well-formed XML (%(error)s).",
                          error=error)) from None
    name = _local(root.tag)
    if name == "urlset":
        return FeedDocument("sitemap", entries=_sitemap_entries(root))
    if name == "sitemapindex":
        return FeedDocument("sitemapindex", sitemaps=_children_text(root, "sitemap", "loc"))
    if name in ("rss", "feed", "RDF"):
        return _feed(data)
    raise FeedError(_("The document is XML but neither a feed nor a sitemap (<%(name)s>).",
                      name=name))


def title_from_url(url: str) -> str:
    """Make a readable title from the last part of an address, for sitemap entries."""
    last = [part for part in urlsplit(url).path.split("/") if part]
    if not last:
        return url
    words = re.sub(r"\.\w{2,5}$", "", unquote(last[-1]))
    words = " ".join(re.split(r"[-_+]+", words)).strip()
    return (words[:1].upper() + words[1:]) if words else url


def _local(tag: str) -> str:
    """Drop the XML namespace of a tag name."""
    return tag.rsplit("}", 1)[-1]


def _children_text(root: Element, parent: str, child: str) -> list[str]:
    values = []
    for element in root:
        if _local(element.tag) != parent:
            continue
        for item in element:
            if _local(item.tag) == child and (item.text or "").strip():
                values.append(item.text.strip())
    return values[:MAX_ENTRIES]


def _plain(text: str | None) -> str:
    """Give text without markup or entities, on one line."""
    return " ".join(html.unescape(_TAGS.sub(" ", text or "")).split())


def _date(text: str | None) -> datetime | None:
    """Read a W3C date (sitemaps) as an aware UTC instant, or None."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _find(element: Element, name: str) -> Element | None:
    """The first descendant with this local name, whatever its namespace."""
    for item in element.iter():
        if item is not element and _local(item.tag) == name:
            return item
    return None


def _text(element: Element, name: str) -> str:
    found = _find(element, name)
    return (found.text or "").strip() if found is not None else ""


def _sitemap_entries(root: Element) -> list[FeedEntry]:
    """Entries of a ``urlset``; Google News and image extensions give title, tags, image."""
    entries = []
    for element in root:
        if _local(element.tag) != "url":
            continue
        url = next((_plain(c.text) for c in element if _local(c.tag) == "loc"), "")
        if not url:
            continue
        keywords = _text(element, "keywords")
        image = _find(element, "image")
        entries.append(FeedEntry(
            url=url,
            title=_plain(_text(element, "title")),
            tags=[k for k in (w.strip() for w in keywords.split(",")) if k],
            published_at=_date(_text(element, "publication_date") or _text(element, "lastmod")),
            image_url=_text(image, "loc") if image is not None else "",
        ))
        if len(entries) >= MAX_ENTRIES:
            break
    return entries


def _struct_time(value) -> datetime | None:
    return datetime(*value[:6], tzinfo=UTC) if value else None


def _feed_image(entry) -> str:
    for key in ("media_content", "media_thumbnail"):
        for media in entry.get(key) or ():
            if media.get("url") and media.get("medium", "image") == "image":
                return media["url"]
    for enclosure in entry.get("enclosures") or ():
        if str(enclosure.get("type", "")).startswith("image/") and enclosure.get("href"):
            return enclosure["href"]
    return ""


def _feed(data: bytes) -> FeedDocument:
    """Entries of an RSS or Atom feed: first category = section, the others = tags."""
    parsed = feedparser.parse(data)
    error = parsed.get("bozo_exception")
    if parsed.get("bozo") and not isinstance(error, feedparser.CharacterEncodingOverride):
        raise FeedError(_("The feed could not be read (%(error)s).", error=error))
    kind = "atom" if parsed.get("version", "").startswith("atom") else "rss"
    entries = []
    for entry in parsed.entries[:MAX_ENTRIES]:
        url = entry.get("link") or ""
        if not url and str(entry.get("id", "")).startswith(("http://", "https://")):
            url = entry["id"]
        if not url:
            continue
        terms = [_plain(tag.get("term")) for tag in entry.get("tags") or ()]
        terms = [term for term in terms if term]
        entries.append(FeedEntry(
            url=url,
            title=_plain(entry.get("title")),
            section=terms[0] if terms else "",
            tags=terms[1:],
            published_at=_struct_time(entry.get("published_parsed") or entry.get("updated_parsed")),
            image_url=_feed_image(entry),
        ))
    return FeedDocument(kind, entries=entries)
