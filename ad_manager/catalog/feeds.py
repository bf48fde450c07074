"""Import a site's articles from its RSS/Atom feed or XML sitemap.

The whole document (and, for a sitemap index, every sitemap it names) is fetched and
parsed before anything is written, so an unreachable or malformed feed changes
nothing. Articles are then added or updated by canonical URL; the caller commits once.
Fetching has a timeout and a size limit; ``file://`` and local paths are for the shell.
"""

import ipaddress
import socket
import urllib.error
import urllib.request
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from flask_babel import gettext as _

from ad_manager import saving
from ad_manager.audit import record
from ad_manager.catalog.articles import find_article, is_own_url, save_article
from ad_manager.catalog.feed_entries import FeedEntry, FeedError, parse_document, title_from_url
from ad_manager.invalid import Invalid
from ad_manager.models import Site

TIMEOUT_SECONDS = 15
MAX_BYTES = 10 * 1024 * 1024
MAX_SITEMAPS = 20
USER_AGENT = "AdManager-catalogue/1.0 (+feed import)"

Progress = Callable[[str], None]

__all__ = ["FeedError", "ImportResult", "fetch", "import_feed", "import_for_staff", "read_entries"]


@dataclass
class ImportResult:
    """What an import did, for the result page and the shell."""

    url: str
    kind: str = ""
    created: int = 0
    updated: int = 0
    skipped: list[str] = field(default_factory=list)  # addresses not on the site's domains

    @property
    def total(self) -> int:
        return self.created + self.updated


class _GuardedRedirects(urllib.request.HTTPRedirectHandler):
    """Check every redirect target like the first address."""

    def __init__(self, trusted_hosts: Collection[str] | None):
        self.trusted_hosts = trusted_hosts

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        check_host(newurl, self.trusted_hosts)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener(trusted_hosts: Collection[str] | None = None) -> urllib.request.OpenerDirector:
    """An opener that speaks HTTP(S) only, so a redirect can never lead to a file."""
    opener = urllib.request.OpenerDirector()
    for handler in (urllib.request.HTTPHandler(), urllib.request.HTTPSHandler(),
                    _GuardedRedirects(trusted_hosts), urllib.request.HTTPErrorProcessor(),
                    urllib.request.HTTPDefaultErrorHandler()):
        opener.add_handler(handler)
    return opener


def check_host(url: str, trusted_hosts: Collection[str] | None) -> None:
    """Refuse an address inside our own network, unless its host is a trusted one.

    The dashboard passes the site's own domains: staff can import the site's feed
    wherever it is hosted, but not make the server read its neighbours (cloud
    metadata, admin consoles, databases). The shell passes None: no check.
    """
    if trusted_hosts is None:
        return
    host = (urlsplit(url).hostname or "").lower()
    if host in {h.strip().lower() for h in trusted_hosts}:
        return
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except (OSError, UnicodeError):
        raise FeedError(_("%(url)s is unreachable (%(reason)s).", url=url,
                          reason=_("unknown host"))) from None
    for address in addresses:
        if not ipaddress.ip_address(address.split("%")[0]).is_global:
            raise FeedError(_("%(url)s points inside our own network: only the site's own "
                              "domains may be fetched there.", url=url))


def _limited(read: Callable[[int], bytes], url: str) -> bytes:
    data = read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise FeedError(_("%(url)s is larger than %(size)d MB.", url=url,
                          size=MAX_BYTES // (1024 * 1024)))
    return data


def fetch(url: str, *, allow_files: bool = False, timeout: float = TIMEOUT_SECONDS,
          trusted_hosts: Collection[str] | None = None) -> bytes:
    """Give the bytes at ``url``; raise FeedError saying plainly why when it can't.

    With ``trusted_hosts`` (the dashboard), addresses inside our network are refused
    unless their host is one of them (see ``check_host``).
    """
    url = (url or "").strip()
    scheme = urlsplit(url).scheme.lower()
    if scheme in ("http", "https"):
        check_host(url, trusted_hosts)
        # The scheme is checked just above and the opener handles nothing but HTTP(S).
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310
        try:
            with _opener(trusted_hosts).open(request, timeout=timeout) as response:
                return _limited(response.read, url)
        except FeedError:
            raise
        except urllib.error.HTTPError as error:
            raise FeedError(_("%(url)s answered HTTP %(code)s.", url=url,
                              code=error.code)) from None
        except (urllib.error.URLError, OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            raise FeedError(_("%(url)s is unreachable (%(reason)s).", url=url,
                              reason=reason)) from None
    if not allow_files:
        raise FeedError(_("Only http:// and https:// addresses can be imported here."))
    path = Path(urllib.request.url2pathname(urlsplit(url).path)) if scheme == "file" else Path(url)
    try:
        with path.open("rb") as file:
            return _limited(file.read, url)
    except OSError as error:
        raise FeedError(_("%(url)s cannot be read (%(reason)s).", url=url,
                          reason=error.strerror or error)) from None


def read_entries(url: str, *, allow_files: bool = False, progress: Progress | None = None,
                 trusted_hosts: Collection[str] | None = None) -> tuple[str, list[FeedEntry]]:
    """Fetch and parse a feed or sitemap (following a sitemap index); give kind and entries."""
    say = progress or (lambda message: None)
    say(f"Fetching {url}")
    document = parse_document(fetch(url, allow_files=allow_files,
                                      trusted_hosts=trusted_hosts))
    if document.kind != "sitemapindex":
        return document.kind, document.entries
    entries: list[FeedEntry] = []
    for sitemap_url in document.sitemaps[:MAX_SITEMAPS]:
        say(f"Fetching {sitemap_url}")
        child = parse_document(fetch(sitemap_url, allow_files=allow_files,
                                           trusted_hosts=trusted_hosts))
        if child.kind != "sitemap":
            raise FeedError(_("%(url)s is not a sitemap.", url=sitemap_url))
        entries.extend(child.entries)
    return "sitemap", entries


def import_feed(site: Site, url: str, *, allow_files: bool = False,
                progress: Progress | None = None, from_dashboard: bool = False) -> ImportResult:
    """Add or update the site's articles from a feed or sitemap; the caller commits.

    Raises FeedError before any write when the document can't be fetched or read.
    Entries on other domains than the site's are skipped; a hidden article stays hidden.
    ``from_dashboard`` refuses addresses inside our network but the site's own domains.
    """
    say = progress or (lambda message: None)
    trusted = list(site.domains or []) if from_dashboard else None
    kind, entries = read_entries(url, allow_files=allow_files, progress=say,
                                 trusted_hosts=trusted)
    result = ImportResult(url=url, kind=kind)
    say(f"Read {len(entries)} entries ({kind})")
    for number, entry in enumerate(entries, start=1):
        if not is_own_url(site, entry.url, when_no_domains=True):
            result.skipped.append(entry.url)
            continue
        known = find_article(site, entry.url)
        title = entry.title or (known.title if known else title_from_url(entry.url))
        section = entry.section or (known.section if known else "")
        tags = entry.tags or (known.tags if known else [])
        _, created = save_article(
            site, entry.url, title=title, section=section, tags=tags,
            published_at=entry.published_at, image_url=entry.image_url,
            source=known.source if known else "feed",
        )
        if created:
            result.created += 1
        else:
            result.updated += 1
        if number % 100 == 0:
            say(f"{number}/{len(entries)} saved")
    say(f"{result.created} created, {result.updated} updated, {len(result.skipped)} skipped")
    return result


def import_for_staff(site: Site, url: str, *, remember: bool) -> ImportResult:
    """Import a feed from the dashboard and log it; ``remember`` keeps it as the site's feed.

    A feed that cannot be read is a refusal of the address typed: ``Invalid`` on
    ``url``, and nothing is written. (``FeedError`` stays the failure of a fetch, for
    the shell and scheduled imports, where there is no form.)
    """
    try:
        result = import_feed(site, url, from_dashboard=True)
    except FeedError as error:
        raise Invalid.on("url", str(error)) from None
    if remember:
        saving.change(site, {"feed_url": url}, summary=site.name)
    record("import", site, summary=_(
        "%(url)s: %(created)d created, %(updated)d updated, %(skipped)d skipped",
        url=result.url, created=result.created, updated=result.updated,
        skipped=len(result.skipped)))
    return result
