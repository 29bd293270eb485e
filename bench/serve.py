"""The application as run.py serves it with ``--rev``: ``gunicorn serve:app``.

Hides the plugins installed from the working tree (see snapshot.py), then
builds the app from whatever ``projektfabrik`` is first on the path.
"""

import snapshot

snapshot.isolate_from_environment()

from projektfabrik.wsgi import app  # noqa: E402

__all__ = ["app"]
