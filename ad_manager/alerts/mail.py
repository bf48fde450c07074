"""Sending e-mail through the SMTP server of the settings (``MAIL_*``), with the standard
library: one connection for a batch of messages."""

import smtplib
import ssl
from email.message import EmailMessage

from flask import current_app


def configured() -> bool:
    """Tell whether an SMTP server is set (``MAIL_SERVER``)."""
    return bool(current_app.config.get("MAIL_SERVER"))


def message(to: str, subject: str, text: str) -> EmailMessage:
    """Give a plain-text UTF-8 message from ``MAIL_FROM`` to ``to``."""
    found = EmailMessage()
    found["From"] = current_app.config.get("MAIL_FROM") or "ad-manager@localhost"
    found["To"] = to
    found["Subject"] = subject
    found.set_content(text)
    return found


def connect() -> smtplib.SMTP:
    """Open the connection: STARTTLS when ``MAIL_USE_TLS``, login when a user is set."""
    config = current_app.config
    server = smtplib.SMTP(config["MAIL_SERVER"], int(config.get("MAIL_PORT") or 587),
                          timeout=30)
    if config.get("MAIL_USE_TLS"):
        server.starttls(context=ssl.create_default_context())
    if config.get("MAIL_USERNAME"):
        server.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
    return server
