"""WSGI entry point: ``gunicorn projektfabrik.wsgi:app``."""

from projektfabrik.app import create_app

app = create_app()
