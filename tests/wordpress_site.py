"""A real WordPress for the tests: Debian's package, MariaDB, php-fpm and nginx.

``WordPressSite`` gives one test session a WordPress of its own: a database of its
own on the MariaDB at 127.0.0.1:3306, a wp-content directory of its own (Debian's
themes linked in, our plugin from ``integrations/wordpress``), php-fpm and nginx on
a free 127.0.0.1 port, installed from the command line (tests/wordpress/setup.php).
Debian's wp-config.php reads its settings from /etc/wordpress/config-<name>.php:
the session writes one under a name of its own and removes it at the end.

``.ci/run`` installs the packages when missing (see ``PACKAGES``).
"""

import contextlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETUP_PHP = Path(__file__).resolve().parent / "wordpress" / "setup.php"
PLUGIN = ROOT / "integrations" / "wordpress" / "ad-manager"
WORDPRESS = Path("/usr/share/wordpress")
THEMES = Path("/usr/share/wordpress/wp-content/themes")
CONFIG_DIR = Path("/etc/wordpress")
DB_HOST = os.environ.get("TEST_MARIADB_HOST", "127.0.0.1")
DB_PORT = os.environ.get("TEST_MARIADB_PORT", "3306")
# What .ci/run installs (Debian bookworm).
PACKAGES = ("wordpress", "wordpress-theme-twentytwentythree", "wordpress-theme-twentytwentyone",
            "php-fpm", "php-mysql", "php-cli", "nginx", "mariadb-server", "mariadb-client")
BLOCK_THEME = "twentytwentythree"
CLASSIC_THEME = "twentytwentyone"
ADMIN = ("admin", "admin-password")


class WordPressUnavailable(Exception):
    """Something WordPress needs is missing; the message says what to install or start."""


def _php_fpm() -> str | None:
    found = sorted(Path("/usr/sbin").glob("php-fpm*"))
    return str(found[-1]) if found else None


def missing_parts() -> str:
    """Give what this machine lacks to run WordPress, or "" when nothing."""
    lacks = []
    if not (WORDPRESS / "wp-load.php").exists():
        lacks.append("Debian's wordpress package")
    for theme in (BLOCK_THEME, CLASSIC_THEME):
        if not (THEMES / theme).is_dir():
            lacks.append(f"wordpress-theme-{theme}")
    for tool in ("php", "nginx", "mysql"):
        if not shutil.which(tool) and not Path("/usr/sbin", tool).exists():
            lacks.append(tool)
    if not _php_fpm():
        lacks.append("php-fpm")
    if lacks:
        return "missing: " + ", ".join(lacks) + " (apt-get install " + " ".join(PACKAGES) + ")"
    return ""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _mysql(sql: str) -> None:
    subprocess.run(["mysql", "-h", DB_HOST, "-P", DB_PORT, "-u", "root", "-e", sql],
                   check=True, capture_output=True, text=True, timeout=30)


NGINX_CONF = """daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
{user}
events {{ worker_connections 256; }}
http {{
  include /etc/nginx/mime.types;
  access_log off;
  client_body_temp_path {tmp}/nginx-body;
  fastcgi_temp_path {tmp}/nginx-fastcgi;
  proxy_temp_path {tmp}/nginx-proxy;
  uwsgi_temp_path {tmp}/nginx-uwsgi;
  scgi_temp_path {tmp}/nginx-scgi;
  server {{
    listen 127.0.0.1:{port};
    root {wordpress};
    index index.php;
    location /wp-content/ {{
      alias {tmp}/wp-content/;
      location ~ \\.php$ {{ deny all; }}
    }}
    location / {{ try_files $uri $uri/ /index.php?$args; }}
    # Our own parameters, not /etc/nginx/fastcgi_params: a machine's copy may set
    # HTTP_HOST to $host (no port), and WordPress then redirects to itself forever.
    location ~ \\.php$ {{
      try_files $uri =404;
      fastcgi_param QUERY_STRING $query_string;
      fastcgi_param REQUEST_METHOD $request_method;
      fastcgi_param CONTENT_TYPE $content_type;
      fastcgi_param CONTENT_LENGTH $content_length;
      fastcgi_param SCRIPT_NAME $fastcgi_script_name;
      fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;
      fastcgi_param REQUEST_URI $request_uri;
      fastcgi_param DOCUMENT_URI $document_uri;
      fastcgi_param DOCUMENT_ROOT $document_root;
      fastcgi_param SERVER_PROTOCOL $server_protocol;
      fastcgi_param REQUEST_SCHEME $scheme;
      fastcgi_param GATEWAY_INTERFACE CGI/1.1;
      fastcgi_param SERVER_SOFTWARE nginx;
      fastcgi_param REMOTE_ADDR $remote_addr;
      fastcgi_param REMOTE_PORT $remote_port;
      fastcgi_param SERVER_ADDR $server_addr;
      fastcgi_param SERVER_PORT $server_port;
      fastcgi_param SERVER_NAME $server_name;
      fastcgi_param REDIRECT_STATUS 200;
      fastcgi_param WORDPRESS_CONFIG {config};
      fastcgi_pass unix:{tmp}/php-fpm.sock;
    }}
  }}
}}
"""

FPM_CONF = """[global]
pid = {tmp}/php-fpm.pid
error_log = {tmp}/php-fpm.log
daemonize = no
[wordpress]
{user}
listen = {tmp}/php-fpm.sock
listen.mode = 0666
pm = static
pm.max_children = 4
catch_workers_output = yes
"""

WP_CONFIG = """<?php
// Written by tests/wordpress_site.py for one test session; removed when it ends.
define('DB_NAME', '{db}');
define('DB_USER', 'root');
define('DB_PASSWORD', '');
define('DB_HOST', '{db_host}:{db_port}');
define('WP_HOME', '{url}');
define('WP_SITEURL', '{url}');
define('WP_CONTENT_DIR', '{tmp}/wp-content');
define('WP_CONTENT_URL', '{url}/wp-content');
define('DISABLE_WP_CRON', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('WP_DEBUG', false);
{salts}
"""


class WordPressSite:
    """One WordPress install, served on 127.0.0.1:``port`` until ``close()``."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.name = f"admtest-{secrets.token_hex(5)}"
        self.db = self.name.replace("-", "_")
        self.config_file = CONFIG_DIR / f"config-{self.name}.php"
        self.processes: list[subprocess.Popen] = []
        self.theme = ""

    def start(self) -> "WordPressSite":
        """Create the database, files and servers, and install WordPress; raise when it can't."""
        lacks = missing_parts()
        if lacks:
            raise WordPressUnavailable(lacks)
        try:
            _mysql(f"CREATE DATABASE `{self.db}` CHARACTER SET utf8mb4")
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
            raise WordPressUnavailable(
                f"MariaDB at {DB_HOST}:{DB_PORT} refused root: {getattr(error, 'stderr', error)}"
            ) from error
        self._write_files()
        self._serve()
        self.php("install")
        self.use_theme(BLOCK_THEME)
        return self

    def _write_files(self) -> None:
        content = self.tmp / "wp-content"
        for folder in ("themes", "plugins", "uploads", "languages"):
            (content / folder).mkdir(parents=True, exist_ok=True)
        for theme in THEMES.iterdir():
            (content / "themes" / theme.name).symlink_to(theme)
        (content / "plugins" / "ad-manager").symlink_to(PLUGIN)
        salts = "\n".join(f"define('{name}', '{secrets.token_hex(24)}');" for name in (
            "AUTH_KEY", "SECURE_AUTH_KEY", "LOGGED_IN_KEY", "NONCE_KEY", "AUTH_SALT",
            "SECURE_AUTH_SALT", "LOGGED_IN_SALT", "NONCE_SALT"))
        self.config_file.write_text(WP_CONFIG.format(
            db=self.db, db_host=DB_HOST, db_port=DB_PORT, url=self.url, tmp=self.tmp,
            salts=salts))
        root = os.geteuid() == 0
        (self.tmp / "nginx.conf").write_text(NGINX_CONF.format(
            tmp=self.tmp, port=self.port, wordpress=WORDPRESS, config=self.name,
            user="user root;" if root else ""))
        (self.tmp / "php-fpm.conf").write_text(FPM_CONF.format(
            tmp=self.tmp, user="user = root" if root else ""))

    def _serve(self) -> None:
        fpm = [_php_fpm(), "--nodaemonize", "--fpm-config", str(self.tmp / "php-fpm.conf")]
        if os.geteuid() == 0:
            fpm.append("--allow-to-run-as-root")
        nginx = ["nginx", "-c", str(self.tmp / "nginx.conf"), "-p", str(self.tmp)]
        for command, log in ((fpm, "php-fpm.out"), (nginx, "nginx.out")):
            with open(self.tmp / log, "wb") as out:
                self.processes.append(subprocess.Popen(command, stdout=out, stderr=out))
        deadline = time.monotonic() + 15
        while not (self.tmp / "php-fpm.sock").exists() or not self._listening():
            if time.monotonic() > deadline or any(p.poll() is not None for p in self.processes):
                raise WordPressUnavailable("php-fpm or nginx did not start: " + self.logs())
            time.sleep(0.05)

    def _listening(self) -> bool:
        with socket.socket() as sock:
            return sock.connect_ex(("127.0.0.1", self.port)) == 0

    def logs(self) -> str:
        """Give the servers' logs, for a failure message."""
        parts = []
        for name in ("php-fpm.out", "php-fpm.log", "nginx.out", "nginx-error.log"):
            path = self.tmp / name
            if path.exists():
                parts.append(f"--- {name}\n{path.read_text(errors='replace')[-2000:]}")
        return "\n".join(parts)

    def php(self, *args: str, stdin: str = "") -> str:
        """Run tests/wordpress/setup.php with ``args`` against this install; give its output."""
        env = {**os.environ, "WORDPRESS_CONFIG": self.name,
               "HTTP_HOST": f"127.0.0.1:{self.port}"}
        done = subprocess.run(["php", str(SETUP_PHP), *args], env=env, input=stdin,
                              capture_output=True, text=True, timeout=120, check=False)
        if done.returncode != 0:
            raise WordPressUnavailable(f"setup.php {' '.join(args)} failed: "
                                       f"{done.stdout[-2000:]}{done.stderr[-2000:]}")
        return done.stdout

    def use_theme(self, theme: str) -> None:
        """Switch the site to ``theme`` (our plugin stays active)."""
        if theme != self.theme:
            self.php("theme", theme)
            self.theme = theme

    def publish(self, title: str, paragraphs: list[str], tags: list[str], date: str) -> str:
        """Publish a post in the category "Politique" with ``tags``; give its URL."""
        out = self.php("publish", stdin=json.dumps(
            {"title": title, "paragraphs": paragraphs, "tags": tags, "date": date}))
        return json.loads(out.strip().splitlines()[-1])["url"]

    def get(self, path: str) -> str:
        """Give the HTML of a page of the site."""
        with urllib.request.urlopen(self.url + path, timeout=30) as response:
            return response.read().decode("utf-8")

    def close(self) -> None:
        """Stop the servers, drop the database and remove the config file."""
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        self.config_file.unlink(missing_ok=True)
        with contextlib.suppress(subprocess.CalledProcessError, subprocess.TimeoutExpired):
            _mysql(f"DROP DATABASE IF EXISTS `{self.db}`")
