"""Fixtures for feed imports over HTTP: tests/feeds served locally, and a closed port.

Test modules import them (``from tests.feed_server import ...``).
"""

import functools
import socket
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

FEEDS = Path(__file__).parent / "feeds"


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def feed_server():
    """Serve tests/feeds over HTTP on a free local port; give its base URL."""
    handler = functools.partial(QuietHandler, directory=str(FEEDS))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def feed_url(feed_server):
    """Give the http:// address of a file of tests/feeds."""
    return lambda name: f"{feed_server}/{name}"


@pytest.fixture
def closed_port():
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        return closed.getsockname()[1]
