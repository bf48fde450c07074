"""The outbound guard connects to the address it checked: a host whose DNS answer
changes after the check (DNS rebinding) reaches nothing new, and the server still
hears the host's name."""

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ad_manager import outbound

PUBLIC = "93.184.215.14"  # a public address (no packet goes there: connections are caught)


class _Echo(BaseHTTPRequestHandler):
    def do_GET(self):
        body = f"host={self.headers['Host']} path={self.path}".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def echo():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def rebinding_dns(monkeypatch, echo):
    """feeds.example answers a public address once, then 127.0.0.1; connections to the
    public address are carried to the local echo server, any other one is recorded."""
    answers, connections = [PUBLIC, "127.0.0.1"], []
    real_connection, real_resolve = socket.create_connection, socket.getaddrinfo

    def resolve(host, port, *args, **kwargs):
        if host != "feeds.example":  # the carried connection's own lookup
            return real_resolve(host, port, *args, **kwargs)
        address = answers.pop(0) if len(answers) > 1 else answers[0]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    def connect(address, *args, **kwargs):
        connections.append(address)
        if address[0] == PUBLIC:
            return real_connection(("127.0.0.1", echo), *args, **kwargs)
        raise ConnectionRefusedError(address)

    monkeypatch.setattr(outbound.socket, "getaddrinfo", resolve)
    monkeypatch.setattr(outbound.socket, "create_connection", connect)
    return connections


def test_the_connection_goes_to_the_address_checked_with_the_hosts_name(app, rebinding_dns):
    fetched = outbound.fetch("http://feeds.example/rss.xml?page=2", max_bytes=1000, timeout=5,
                             headers={"User-Agent": "test"})
    assert fetched.body == b"host=feeds.example path=/rss.xml?page=2"
    assert (fetched.content_type, fetched.charset) == ("text/plain", "utf-8")
    assert rebinding_dns == [(PUBLIC, 80)]  # resolved once, never asked again


def test_a_host_that_resolves_inside_our_network_is_never_connected_to(app, monkeypatch):
    monkeypatch.setattr(outbound.socket, "getaddrinfo", lambda host, port, *a, **k: [
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", (PUBLIC, port)),
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.5", port))])
    connections = []
    monkeypatch.setattr(outbound.socket, "create_connection",
                        lambda address, *a, **k: connections.append(address))
    with pytest.raises(outbound.FetchFailed) as failed:
        outbound.fetch("http://mixed.example/", max_bytes=1000, timeout=5, headers={})
    assert str(failed.value) == str(outbound.UNREACHABLE)
    assert connections == []


def test_the_test_setting_works_only_in_a_test_app(app, echo):
    url = f"http://127.0.0.1:{echo}/x"
    app.config["FETCH_TEST_ADDRESSES"] = (f"127.0.0.1:{echo}",)
    assert outbound.fetch(url, max_bytes=1000, timeout=5, headers={}).body.startswith(b"host=")
    app.testing = False
    try:
        with pytest.raises(outbound.FetchFailed):
            outbound.fetch(url, max_bytes=1000, timeout=5, headers={})
    finally:
        app.testing = True


def test_more_ports_only_when_the_setting_names_them(app, monkeypatch):
    monkeypatch.setattr(outbound.socket, "getaddrinfo", lambda host, port, *a, **k: [
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", (PUBLIC, port))])
    tried = []

    def connect(address, *args, **kwargs):
        tried.append(address)
        raise ConnectionRefusedError(address)

    monkeypatch.setattr(outbound.socket, "create_connection", connect)
    for url in ("http://feeds.example:8080/", "https://feeds.example:8443/"):
        with pytest.raises(outbound.FetchFailed):
            outbound.fetch(url, max_bytes=1000, timeout=5, headers={})
    assert tried == []
    app.config["FETCH_PORTS"] = "80,443,8080"
    with pytest.raises(outbound.FetchFailed):
        outbound.fetch("http://feeds.example:8080/", max_bytes=1000, timeout=5, headers={})
    assert tried == [(PUBLIC, 8080)]
