"""Import a site's articles from its RSS/Atom feed or XML sitemap.

The whole document (and, for a sitemap index, every sitemap it names) is fetched and
parsed before anything is written, so an unreachable or malformed feed changes
nothing. Articles are then added or updated by canonical URL; the caller commits once.
Addresses are fetched through ``ad_manager.outbound`` (public http(s) addresses
only, with a timeout and a size limit), from the dashboard, the shell and cron
alike; a local file is read only when the shell names it (``--file``).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext as _

from ad_manager import outbound, saving
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

__all__ = ["FeedError", "ImportResult", "fetch", "import_feed", "import_for_staff", "read_entries",
           "read_file"]


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


def fetch(url: str, *, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """Give the bytes at ``url`` through the outbound guard (``ad_manager.outbound``:
    public http(s) addresses only, every redirect checked); raise FeedError saying
    what people may know when it can't."""
    try:
        return outbound.fetch(url, max_bytes=MAX_BYTES, timeout=timeout,
                              headers={"User-Agent": USER_AGENT}).body
    except outbound.TooLarge:
        raise FeedError(_("%(url)s is larger than %(size)d MB.", url=url,
                          size=MAX_BYTES // (1024 * 1024))) from None
    except outbound.FetchFailed as failed:
        raise FeedError(str(failed)) from None


def read_file(path: str) -> bytes:
    """Give the bytes of a local file named on the command line (``--file``)."""
    try:
        with Path(path).open("rb") as file:
            data = file.read(MAX_BYTES + 1)
    except OSError as error:
        raise FeedError(_("%(url)s cannot be read (%(reason)s).", url=path,
                          reason=error.strerror or error)) from None
    if len(data) > MAX_BYTES:
        raise FeedError(_("%(url)s is larger than %(size)d MB.", url=path,
                          size=MAX_BYTES // (1024 * 1024)))
    return data


def read_entries(url: str = "", *, path: str = "", progress: Progress | None = None,
                 ) -> tuple[str, list[FeedEntry]]:
    """Fetch and parse a feed or sitemap (following a sitemap index); give kind and entries.

    ``path`` reads a local file instead (the shell's ``--file``); the sitemaps an
    index names are always fetched from the network, never read from the disk.
    """
    say = progress or (lambda message: None)
    say(f"Reading {path}" if path else f"Fetching {url}")
    document = parse_document(read_file(path) if path else fetch(url))
    if document.kind != "sitemapindex":
        return document.kind, document.entries
    entries: list[FeedEntry] = []
    for sitemap_url in document.sitemaps[:MAX_SITEMAPS]:
        say(f"Fetching {sitemap_url}")
        child = parse_document(fetch(sitemap_url))
        if child.kind != "sitemap":
            raise FeedError(_("%(url)s is not a sitemap.", url=sitemap_url))
        entries.extend(child.entries)
    return "sitemap", entries


def import_feed(site: Site, url: str = "", *, path: str = "",
                progress: Progress | None = None) -> ImportResult:
    """Add or update the site's articles from a feed or sitemap at ``url`` (or in the
    local file ``path``, for the shell); the caller commits.

    Raises FeedError before any write when the document can't be fetched or read.
    Entries on other domains than the site's are skipped; a hidden article stays hidden.
    """
    say = progress or (lambda message: None)
    kind, entries = read_entries(url, path=path, progress=say)
    result = ImportResult(url=url or path, kind=kind)
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
        result = import_feed(site, url)
    except FeedError as error:
        raise Invalid.on("url", str(error)) from None
    if remember:
        saving.change(site, {"feed_url": url}, summary=site.name)
    record("import", site, summary=_(
        "%(url)s: %(created)d created, %(updated)d updated, %(skipped)d skipped",
        url=result.url, created=result.created, updated=result.updated,
        skipped=len(result.skipped)))
    return result
