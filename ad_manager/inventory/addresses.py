"""Web addresses the inventory keeps: click URLs, domains, origins, IP ranges."""

import ipaddress
import re
from urllib.parse import urlsplit

from flask_babel import gettext as _

from ad_manager.invalid import Invalid

HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}"
                  r"[a-z0-9])?)*$")
PORT = re.compile(r"^(\*|\d{1,5})$")


def web_url(value: str, field: str, required: bool = True) -> str:
    """Give ``value`` if it is an absolute http(s) URL; ``javascript:`` and the rest are refused."""
    value = (value or "").strip()
    if not value and not required:
        return ""
    if not value:
        raise Invalid.on(field, _("Give a web address."))
    try:
        parts = urlsplit(value)
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in {"http", "https"}:
        raise Invalid.on(field, _("Only web addresses starting with http:// or https:// "
                                  "are accepted."))
    if not parts.hostname or any(c.isspace() for c in value):
        raise Invalid.on(field, _("This web address has no valid host name."))
    return value


def host_names(lines: list[str], field: str) -> list[str]:
    """Give the host names of ``lines`` (e.g. www.example.fr), lower-cased, distinct."""
    hosts: list[str] = []
    for line in lines:
        host = line.strip().lower().rstrip(".")
        if not HOST.match(host):
            raise Invalid.on(field, _("“%(value)s” is not a host name (e.g. www.example.fr).",
                                      value=line.strip()))
        if host not in hosts:
            hosts.append(host)
    return hosts


def origins(lines: list[str], field: str) -> list[str]:
    """Give CORS origins ("https://www.example.fr", port "*" allowed), distinct."""
    found: list[str] = []
    for line in lines:
        origin = line.strip().rstrip("/").lower()
        scheme, sep, rest = origin.partition("://")
        host, _colon, port = rest.partition(":")
        if (scheme not in {"http", "https"} or not sep or not HOST.match(host)
                or (port and not PORT.match(port))):
            raise Invalid.on(field, _("“%(value)s” is not an origin like https://www.example.fr "
                                      "or http://localhost:*.", value=line.strip()))
        if origin not in found:
            found.append(origin)
    return found


def ip_ranges(lines: list[str], field: str) -> list[str]:
    """Give IP ranges in CIDR form (e.g. 192.0.2.0/24), each checked with ``ipaddress``."""
    ranges: list[str] = []
    for line in lines:
        try:
            network = ipaddress.ip_network(line.strip(), strict=False)
        except ValueError:
            raise Invalid.on(field, _("“%(value)s” is not an IP range (e.g. 192.0.2.0/24).",
                                      value=line.strip())) from None
        if str(network) not in ranges:
            ranges.append(str(network))
    return ranges


def lines_of(text: str) -> list[str]:
    """Split a textarea into its non-empty lines (commas also separate)."""
    return [part.strip() for line in (text or "").splitlines() for part in line.split(",")
            if part.strip()]
