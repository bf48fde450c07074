"""Sites: the publisher's websites, their embed key and who may call us from them."""

from zoneinfo import ZoneInfo, available_timezones

from flask_babel import gettext as _
from sqlalchemy import select

from ad_manager import saving
from ad_manager.extensions import db
from ad_manager.invalid import Invalid
from ad_manager.inventory import addresses, slugs
from ad_manager.models import Site

LANGUAGES = ("fr", "en", "de", "es", "it", "nl", "pt")


def site_timezone(site: Site | None, default: str = "Europe/Paris") -> ZoneInfo:
    """Give the time zone flight dates of ``site`` are entered in."""
    return ZoneInfo(site.timezone if site is not None else default)


def site_values(data: dict, site: Site | None = None) -> dict:
    """Check a site form's values; give the model's fields or raise ``Invalid``.

    ``data`` holds the form's raw text: name, key, domains, allowed_origins (one per
    line), language, timezone, sales_contact_url, house_ad_text, discover_articles,
    excluded_user_agents and excluded_ip_ranges (one per line).
    """
    errors: dict[str, str] = {}
    values: dict = {"name": (data.get("name") or "").strip(),
                    "house_ad_text": (data.get("house_ad_text") or "").strip(),
                    "discover_articles": bool(data.get("discover_articles")),
                    "excluded_user_agents": addresses.lines_of(
                        data.get("excluded_user_agents", "").replace(",", "\n"))}
    if not values["name"]:
        errors["name"] = _("Give the site a name.")
    if not values["house_ad_text"]:
        errors["house_ad_text"] = _("Give the text of the house ad, e.g. “Votre Pub ici !”.")
    checks = {
        "key": lambda: slugs.slug(data.get("key", ""), "key", values["name"]),
        "domains": lambda: addresses.host_names(addresses.lines_of(data.get("domains", "")),
                                                "domains"),
        "allowed_origins": lambda: addresses.origins(
            addresses.lines_of(data.get("allowed_origins", "")), "allowed_origins"),
        "sales_contact_url": lambda: addresses.web_url(data.get("sales_contact_url", ""),
                                                       "sales_contact_url"),
        "excluded_ip_ranges": lambda: addresses.ip_ranges(
            addresses.lines_of(data.get("excluded_ip_ranges", "")), "excluded_ip_ranges"),
    }
    for field, check in checks.items():
        try:
            values[field] = check()
        except Invalid as error:
            errors.update(error.errors)
    language = data.get("language", "")
    if language not in LANGUAGES:
        errors["language"] = _("Choose one of the offered languages.")
    values["language"] = language
    timezone = (data.get("timezone") or "").strip()
    if timezone not in available_timezones():
        errors["timezone"] = _("Unknown time zone: use a name like Europe/Paris.")
    values["timezone"] = timezone
    if "key" in values and key_taken(values["key"], site):
        errors["key"] = _("Another site already uses this key.")
    if errors:
        raise Invalid(errors)
    return values


def key_taken(key: str, site: Site | None) -> bool:
    """Tell whether another site than ``site`` has the embed key ``key``."""
    query = select(Site.id).where(Site.key == key)
    if site is not None and site.id is not None:
        query = query.where(Site.id != site.id)
    return db.session.scalar(query) is not None


def create_site(data: dict) -> Site:
    """Add a site from a form's values."""
    site = Site(**site_values(data))
    return saving.add(site, summary=site.name)


def update_site(site: Site, data: dict) -> Site:
    """Change a site from a form's values (when they change nothing, nothing is written)."""
    saving.change(site, site_values(data, site), summary=site.name)
    return site


def archive_site(site: Site) -> bool:
    """Archive a site: its embed stops being answered, reports keep it; give whether it was live."""
    return saving.archive(site, summary=site.name)


def restore_site(site: Site) -> bool:
    """Bring an archived site back; give whether it was archived."""
    return saving.restore(site, summary=site.name)
