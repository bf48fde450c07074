"""Fetching an address staff typed (a feed, a sitemap, an article to preview), and
nothing inside our own network.

Whoever may type an address could otherwise make the server read its neighbours:
cloud metadata, an admin console, the database's port. So every fetch, from the
dashboard, the shell or cron alike:

- speaks http or https only, to port 80 or 443 (``FETCH_PORTS`` may add others);
- resolves the host once, refuses it when any of its addresses is not a public one
  (private, loopback, link-local, shared, reserved, multicast, or one of those
  wrapped in IPv6), and connects to the very address it checked, sending the host
  name as ``Host`` and TLS server name: a DNS answer that changes between the check
  and the connection (DNS rebinding) reaches nothing new;
- checks each redirect the same way, at most ``MAX_REDIRECTS`` of them;
- bounds the time and the size of the answer.

A site's own hosts get no exemption: a site is on the internet. Failing to reach
an address says one thing to people, whatever the reason (``UNREACHABLE``: refused,
unknown host, closed port, timeout): the reason, which would tell an open port from
a closed one, goes to the log. What a public server answered (its HTTP status) is
said. Proxies set in the environment are not used.
"""

import http.client
import ipaddress
import logging
import socket
import ssl
import time
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urljoin, urlsplit

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l

log = logging.getLogger(__name__)

MAX_REDIRECTS = 5
REDIRECTS = (301, 302, 303, 307, 308)
DEFAULT_PORTS = (80, 443)
NAT64 = ipaddress.ip_network("64:ff9b::/96")
UNREACHABLE = _l("The address could not be fetched: it must be a public http:// or "
                 "https:// address (ports 80 and 443) that answers. Check it, or try "
                 "again later.")


class FetchFailed(Exception):
    """An address that could not be fetched; ``str()`` is what people are told."""

    def __init__(self, message=UNREACHABLE, detail: str = ""):
        super().__init__(str(message))
        self.detail = detail


class TooLarge(FetchFailed):
    """An answer larger than the caller's limit."""


@dataclass(frozen=True)
class Fetched:
    """A successful answer: the final address, its type and charset, and the body."""

    url: str
    content_type: str
    charset: str | None
    body: bytes


def public_address(address: str) -> bool:
    """Tell whether an IP address is one of the public internet's (IPv4 inside IPv6 too)."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if ip.version == 6:
        if ip.teredo:
            return False
        inner = ip.ipv4_mapped or ip.sixtofour or (
            ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF) if ip in NAT64 else None)
        if inner is not None:
            return public_address(str(inner))
    return ip.is_global and not ip.is_multicast


def _settings() -> tuple[set[int], set[str]]:
    """Give the allowed ports, and the loopback ``host:port`` pairs tests may fetch."""
    if not has_app_context():
        return set(DEFAULT_PORTS), set()
    config = current_app.config
    ports = {int(p) for p in str(config.get("FETCH_PORTS") or "80,443").split(",") if p.strip()}
    # Only a test app may name local servers: a setting mistyped in production can't.
    tests = set(config.get("FETCH_TEST_ADDRESSES") or ()) if current_app.testing else set()
    return ports, tests


def _destination(url: str) -> tuple[str, str, int, str]:
    """Give (scheme, host, port, the checked IP to connect to); refuse any other address."""
    parts = urlsplit(url)
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        raise FetchFailed(detail=f"bad port in {url!r}") from None
    if scheme not in ("http", "https") or not host:
        raise FetchFailed(detail=f"not an http(s) address: {url!r}")
    ports, tests = _settings()
    if f"{host}:{port}" in tests:
        return scheme, host, port, host
    if port not in ports:
        raise FetchFailed(detail=f"port {port} not allowed: {url!r}")
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise FetchFailed(detail=f"{host}: {error}") from None
    addresses = [info[4][0] for info in found]
    refused = [a for a in addresses if not public_address(a)]
    if refused or not addresses:
        raise FetchFailed(detail=f"{host} resolves inside our network: {refused}")
    return scheme, host, port, addresses[0]


class _PinnedHTTP(http.client.HTTPConnection):
    """An HTTP connection to a checked address, naming the host in ``Host``."""

    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """An HTTPS connection to a checked address; the certificate is checked for the host."""

    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _read(response, max_bytes: int, deadline: float) -> bytes:
    """Read at most ``max_bytes`` + 1 bytes before the deadline (a server dripping
    bytes would otherwise hold the worker: the socket timeout bounds each read only)."""
    chunks, size = [], 0
    while size <= max_bytes:
        if time.monotonic() > deadline:
            raise TimeoutError("too slow")
        chunk = response.read(min(65_536, max_bytes + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def fetch(url: str, *, max_bytes: int, timeout: float, headers: dict) -> Fetched:
    """Give the answer at ``url`` (following checked redirects); raise ``FetchFailed``
    (``TooLarge`` past ``max_bytes``) with what people may be told, the reason logged."""
    deadline = time.monotonic() + timeout
    current = (url or "").strip()
    try:
        for _hop in range(MAX_REDIRECTS + 1):
            scheme, host, port, address = _destination(current)
            parts = urlsplit(current)
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            kind = _PinnedHTTPS if scheme == "https" else _PinnedHTTP
            connection = kind(host, port, address, timeout=timeout)
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                if response.status in REDIRECTS and response.getheader("Location"):
                    current = urljoin(current, response.getheader("Location"))
                    continue
                if response.status >= 400:
                    raise FetchFailed(_l("The address answered HTTP %(code)s.",
                                         code=response.status), detail=current)
                body = _read(response, max_bytes, deadline)
                message = Message()
                message["Content-Type"] = response.getheader("Content-Type") or ""
                content_type = message.get_content_type() if message["Content-Type"] else ""
                fetched = Fetched(current, content_type, message.get_content_charset(), body)
            finally:
                connection.close()
            if len(fetched.body) > max_bytes:
                raise TooLarge(detail=f"{current}: over {max_bytes} bytes")
            return fetched
        raise FetchFailed(detail=f"more than {MAX_REDIRECTS} redirects from {url!r}")
    except FetchFailed as failed:
        log.warning("fetching %s failed: %s", url, failed.detail or failed)
        raise
    except (OSError, http.client.HTTPException, ValueError) as error:
        log.warning("fetching %s failed: %r", url, error)
        raise FetchFailed(detail=repr(error)) from None
