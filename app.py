"""WSGI entry point: ``flask --app app run`` or ``gunicorn app:app``."""

from ad_manager import create_app

app = create_app()
