"""The app as gunicorn serves it, plus one hook for the fault tests only.

A request with the header ``X-Test-Pause-After-Flush: <seconds>`` stops after its
first flush (rows written, transaction not committed), writes the worker's pid
to ``$PF_TEST_PAUSE_DIR/<pid>`` and sleeps, so the test can SIGKILL the worker
mid-transaction. Production never loads this module (``projektfabrik.wsgi``).
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from flask import g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import Session

from projektfabrik.wsgi import app

HEADER = "X-Test-Pause-After-Flush"


@event.listens_for(Session, "after_flush")
def _pause(session: Session, context: Any) -> None:
    if not has_request_context() or g.get("_test_paused"):
        return
    seconds = request.headers.get(HEADER)
    if not seconds:
        return
    g._test_paused = True
    folder = Path(os.environ["PF_TEST_PAUSE_DIR"])
    (folder / str(os.getpid())).write_text(request.path)
    time.sleep(float(seconds))


__all__ = ["app"]
